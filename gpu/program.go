//go:build cgo

package gpu

import (
	"fmt"
	"strings"

	"github.com/go-gl/gl/v4.3-core/gl"
)

// compileCompute compiles and links a compute shader (on the GL thread). A compile or link error
// comes back with the driver's log and the generated source lines around every line it names.
func compileCompute(src string) (uint32, error) {
	sh := gl.CreateShader(gl.COMPUTE_SHADER)
	if sh == 0 {
		return 0, fmt.Errorf("gpu: glCreateShader(COMPUTE_SHADER) failed (GL error 0x%x)", gl.GetError())
	}
	defer gl.DeleteShader(sh)
	csrc, free := gl.Strs(src + "\x00")
	gl.ShaderSource(sh, 1, csrc, nil)
	free()
	gl.CompileShader(sh)
	var ok int32
	gl.GetShaderiv(sh, gl.COMPILE_STATUS, &ok)
	if ok == gl.FALSE {
		log := shaderLog(sh, true)
		return 0, fmt.Errorf("gpu: compute shader does not compile:\n%s%s", log, sourceContext(src, log))
	}
	p := gl.CreateProgram()
	gl.AttachShader(p, sh)
	gl.LinkProgram(p)
	gl.GetProgramiv(p, gl.LINK_STATUS, &ok)
	if ok == gl.FALSE {
		log := shaderLog(p, false)
		gl.DeleteProgram(p)
		return 0, fmt.Errorf("gpu: compute program does not link:\n%s%s", log, sourceContext(src, log))
	}
	return p, nil
}

func shaderLog(obj uint32, shader bool) string {
	var n int32
	if shader {
		gl.GetShaderiv(obj, gl.INFO_LOG_LENGTH, &n)
	} else {
		gl.GetProgramiv(obj, gl.INFO_LOG_LENGTH, &n)
	}
	if n <= 1 {
		return "(no log)\n"
	}
	buf := make([]byte, n+1)
	if shader {
		gl.GetShaderInfoLog(obj, n, nil, &buf[0])
	} else {
		gl.GetProgramInfoLog(obj, n, nil, &buf[0])
	}
	s := strings.TrimRight(gl.GoStr(&buf[0]), "\n\x00") + "\n"
	return s
}
