//go:build !cgo

package gpu_test

import (
	"strings"
	"testing"

	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/gpu"
)

// TestNoCgo: a build without cgo has a GPU backend that says why it is unavailable, and auto
// falls back to the CPU with that reason.
func TestNoCgo(t *testing.T) {
	if _, err := gpu.New(gpu.Options{}); err == nil || !strings.Contains(err.Error(), "without cgo") {
		t.Errorf("New: %v", err)
	}
	if _, _, err := engine.OpenBackend("gpu"); err == nil || !strings.Contains(err.Error(), "without cgo") {
		t.Errorf("OpenBackend(gpu): %v", err)
	}
}
