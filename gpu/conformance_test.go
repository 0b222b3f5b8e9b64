package gpu_test

import (
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/enginetest"
)

// TestConformanceF32: the GPU float32 run equals the CPU float32 run of the same spec (default
// mode, the same Philox noise) bit for bit for the models using only + - * / sqrt (and what is
// built of them), for every built-in model and the user model given as text.
func TestConformanceF32(t *testing.T) {
	b := needGL(t)
	enginetest.Run(t, b, enginetest.Options{
		Precision:          engine.F32,
		Reference:          cpu.New(),
		ReferencePrecision: engine.F32,
		Exact:              enginetest.ExactArithmetic,
	})
}
