//go:build cgo && noglfw

package gpu

import (
	"errors"
	"unsafe"
)

const haveGLFW = false

// openGLFW: this binary was built with the noglfw tag (EGL only, no X11 libraries).
func openGLFW(bool) (func(string) unsafe.Pointer, func(), error) {
	return nil, nil, errors.New("GLFW is compiled out of this binary (build tag noglfw)")
}
