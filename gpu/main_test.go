package gpu_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/gpu"
)

// backend is the GPU backend every test shares: one GL context per test binary (platform.md 1.8).
var (
	backend *gpu.Backend
	glErr   error
)

func TestMain(m *testing.M) {
	backend, glErr = gpu.New(gpu.Options{Debug: true})
	if glErr != nil && os.Getenv("NEUROMASS_REQUIRE_GPU") == "1" {
		fmt.Fprintln(os.Stderr, "NEUROMASS_REQUIRE_GPU=1 and no GPU backend:", glErr)
		os.Exit(1)
	}
	if glErr == nil {
		in := backend.Info()
		fmt.Fprintf(os.Stderr, "gpu tests on %s: GL_VENDOR=%s GL_RENDERER=%s GL_VERSION=%s\n", in.Provider, in.Vendor, in.Renderer, in.Version)
		// Exact division and square root where the driver's are not IEEE (all but Mesa's
		// llvmpipe, whose are: TestIEEEDivSqrt measures it), so that the tests comparing with the
		// CPU bit for bit hold on every driver; on llvmpipe the results are the same either way
		// and the exact forms only cost time (TestExactDivSqrt runs them there).
		if !ieeeDriver(in) {
			gpu.SetExactForTest(backend, true)
		}
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

// ieeeDriver says whether the driver's float / and sqrt are IEEE-rounded: Mesa's llvmpipe
// (TestIEEEDivSqrt: none of 300k operands differ); NVIDIA's are not (30% of quotients on an H200).
func ieeeDriver(in gpu.Info) bool {
	return in.Software && strings.Contains(in.Version, "Mesa") && strings.Contains(in.Renderer, "llvmpipe")
}
