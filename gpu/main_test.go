package gpu_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/neuromass/neuromass/gpu"
)

// backend is the GPU backend every test shares: one GL context per test binary (platform.md 1.8).
var (
	backend *gpu.Backend
	glErr   error
)

func TestMain(m *testing.M) {
	// Exact division and square root: the tests that compare with the CPU bit for bit hold on every
	// driver (TestAgainstF64 and TestFastDivSqrt run the driver's own / and sqrt).
	backend, glErr = gpu.New(gpu.Options{Debug: true, ExactDivSqrt: true})
	if glErr != nil && os.Getenv("NEUROMASS_REQUIRE_GPU") == "1" {
		fmt.Fprintln(os.Stderr, "NEUROMASS_REQUIRE_GPU=1 and no GPU backend:", glErr)
		os.Exit(1)
	}
	if glErr == nil {
		in := backend.Info()
		fmt.Fprintf(os.Stderr, "gpu tests on %s: GL_VENDOR=%s GL_RENDERER=%s GL_VERSION=%s\n", in.Provider, in.Vendor, in.Renderer, in.Version)
	}
	code := m.Run()
	if backend != nil {
		if err := backend.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// needGL skips the test without a GL context (TestMain already failed the binary when
// NEUROMASS_REQUIRE_GPU=1).
func needGL(t testing.TB) *gpu.Backend {
	t.Helper()
	if backend == nil {
		t.Skip("no OpenGL 4.3 context:", glErr)
	}
	return backend
}
