//go:build !cgo

package gpu

import (
	"errors"

	"github.com/neuromass/neuromass/engine"
)

// errNoCgo: OpenGL is reached through cgo (go-gl/gl, EGL, GLFW).
var errNoCgo = errors.New("gpu: this binary was built without cgo (CGO_ENABLED=0), so it has no OpenGL: rebuild with cgo for the GPU backend")

// Backend is the GPU backend; in a build without cgo it cannot be opened.
type Backend struct{}

// New reports that the GPU backend is unavailable in a build without cgo.
func New(Options) (*Backend, error) { return nil, errNoCgo }

// Name implements engine.Backend.
func (*Backend) Name() string { return "gpu (unavailable: built without cgo)" }

// NewSim implements engine.Backend.
func (*Backend) NewSim(*engine.Plan) (engine.Sim, error) { return nil, errNoCgo }

// Info returns nothing: no context.
func (*Backend) Info() Info { return Info{} }

// Close does nothing.
func (*Backend) Close() error { return nil }

// CachedPrograms is 0: no context.
func (*Backend) CachedPrograms() int { return 0 }
