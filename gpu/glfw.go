//go:build cgo && !noglfw

package gpu

import (
	"fmt"
	"os"
	"unsafe"

	"github.com/go-gl/glfw/v3.3/glfw"
)

const haveGLFW = true

// openGLFW makes a hidden GLFW window's OpenGL 4.3 core context current on the calling (locked)
// thread. GLFW 3.3 needs an X display: without DISPLAY it would only log and then panic on the next
// call (platform.md 1.9), so that is checked first and any panic is turned into an error.
func openGLFW(debug bool) (getProc func(string) unsafe.Pointer, closeFn func(), err error) {
	if os.Getenv("DISPLAY") == "" {
		return nil, nil, fmt.Errorf("GLFW needs an X display and DISPLAY is not set (use EGL, or run under Xvfb)")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("GLFW failed on display %q: %v", os.Getenv("DISPLAY"), r)
		}
	}()
	if err := glfw.Init(); err != nil {
		return nil, nil, fmt.Errorf("glfw.Init on display %q: %w", os.Getenv("DISPLAY"), err)
	}
	glfw.WindowHint(glfw.Visible, glfw.False)
	glfw.WindowHint(glfw.ContextVersionMajor, 4)
	glfw.WindowHint(glfw.ContextVersionMinor, 3)
	glfw.WindowHint(glfw.OpenGLProfile, glfw.OpenGLCoreProfile)
	glfw.WindowHint(glfw.OpenGLForwardCompatible, glfw.True)
	if debug {
		glfw.WindowHint(glfw.OpenGLDebugContext, glfw.True)
	}
	w, err := glfw.CreateWindow(16, 16, "neuromass", nil, nil)
	if err != nil {
		glfw.Terminate()
		return nil, nil, fmt.Errorf("GLFW: no OpenGL 4.3 core context on display %q: %w", os.Getenv("DISPLAY"), err)
	}
	w.MakeContextCurrent()
	return glfw.GetProcAddress, func() { w.Destroy(); glfw.Terminate() }, nil
}
