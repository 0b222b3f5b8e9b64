package main

import (
	"os"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/gpu"
)

// gpuAvailable says whether this machine has an OpenGL 4.3 context (llvmpipe counts).
func gpuAvailable(t *testing.T) bool {
	b, err := gpu.New(gpu.Options{})
	if err != nil {
		if os.Getenv("NEUROMASS_REQUIRE_GPU") == "1" {
			t.Fatalf("NEUROMASS_REQUIRE_GPU=1 and no GPU backend: %v", err)
		}
		return false
	}
	b.Close()
	return true
}

func TestInfoCommand(t *testing.T) {
	out, _ := mustRun(t, "info")
	for _, want := range []string{"backends (in the order --backend auto tries them):", "  cpu  available: cpu", "kernels:   " + cpu.Kernels() + " (this binary has: ", "auto: "} {
		if !strings.Contains(out, want) {
			t.Errorf("info lacks %q:\n%s", want, out)
		}
	}
	if gpuAvailable(t) {
		for _, want := range []string{"  gpu  available: gpu: ", "GL_VENDOR:", "GL_RENDERER:", "GL_VERSION:", "limits:"} {
			if !strings.Contains(out, want) {
				t.Errorf("info lacks %q:\n%s", want, out)
			}
		}
	} else if !strings.Contains(out, "  gpu  unavailable: ") {
		t.Errorf("info does not say why the GPU is unavailable:\n%s", out)
	}
}

// TestRunBackends: --backend gpu runs f32 on the GPU and refuses f64 with the reason; auto takes
// the CPU for f64 and says why; NEUROMASS_BACKEND decides for auto.
func TestRunBackends(t *testing.T) {
	args := []string{"run", "--network", "single", "--model", "hopf", "--duration", "20", "-v"}
	_, errs := mustRun(t, args...)
	if !strings.Contains(errs, "backend cpu (--backend auto: --precision f64 runs on the CPU") {
		t.Errorf("auto with f64:\n%s", errs)
	}
	code, _, errs := cli(t, append(args, "--backend", "gpu")...)
	if code != exitError {
		t.Fatalf("--backend gpu with f64: exit %d, want %d:\n%s", code, exitError, errs)
	}
	if !gpuAvailable(t) {
		if !strings.Contains(errs, "--backend gpu: backend gpu (requested) is unavailable") {
			t.Errorf("--backend gpu without GL:\n%s", errs)
		}
		return
	}
	if !strings.Contains(errs, "precision f64 is not supported") {
		t.Errorf("--backend gpu with f64:\n%s", errs)
	}
	if info, err := gpu.New(gpu.Options{}); err == nil {
		soft := info.Info().Software
		info.Close()
		if soft {
			// auto passes a software renderer over for the CPU and says why
			_, errs = mustRun(t, append(args, "--precision", "f32")...)
			if !strings.Contains(errs, "backend cpu (--backend auto: gpu: ") || !strings.Contains(errs, "software rasterizer, not a GPU") {
				t.Errorf("auto with f32 on a software renderer:\n%s", errs)
			}
		}
	}
	_, errs = mustRun(t, append(args, "--backend", "gpu", "--precision", "f32")...)
	if !strings.Contains(errs, "run: backend gpu: ") {
		t.Errorf("--backend gpu --precision f32:\n%s", errs)
	}
	t.Setenv("NEUROMASS_BACKEND", "gpu")
	_, errs = mustRun(t, append(args, "--precision", "f32")...)
	if !strings.Contains(errs, "run: backend gpu: ") || !strings.Contains(errs, "NEUROMASS_BACKEND=gpu") {
		t.Errorf("NEUROMASS_BACKEND=gpu:\n%s", errs)
	}
}
