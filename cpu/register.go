package cpu

import "github.com/neuromass/neuromass/engine"

// The CPU backend is always available: auto falls back to it.
func init() {
	engine.RegisterBackend("cpu", 0, func(bool) (engine.Backend, error) { return New(), nil })
}
