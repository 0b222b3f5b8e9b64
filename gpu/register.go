package gpu

import (
	"github.com/neuromass/neuromass/engine"
)

// The GPU backend registers before the CPU in auto's order. Tried by auto it refuses a software
// renderer (Mesa llvmpipe: the CPU backend is faster, platform.md 1.4); asked for by name it takes
// whatever OpenGL 4.3 context the providers give.
func init() {
	engine.RegisterBackend("gpu", 10, func(auto bool) (engine.Backend, error) {
		b, err := New(Options{Hardware: auto})
		if err != nil {
			return nil, err
		}
		return b, nil
	})
}
