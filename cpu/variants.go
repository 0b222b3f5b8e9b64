package cpu

// The float32 SIMD kernels are generated from the float64 ones (kernels_simd.go); the directive
// lives here, in a file every build compiles, so that `go generate ./...` always refreshes them.
//go:generate sh -c "sed -f simd32.sed kernels_simd.go > kernels_simd32.go && gofmt -w kernels_simd32.go"

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// variant is one set of kernels, in both precisions, and the instruction-set feature it needs.
type variant struct {
	name string // "avx512", "avx2", "generic"; also the feature Backend.Disable names
	k64  *kernels[float64]
	k32  *kernels[float32]
}

// variants are the kernel sets this build and CPU can run, best first: kernels_simd.go puts the
// AVX-512 and AVX2 sets before the plain-Go one when the build has GOEXPERIMENT=simd and cpuid
// finds the instructions. Every one gives the same bits (tests run them all).
var variants = []*variant{{name: "generic", k64: goKernels[float64](), k32: goKernels[float32]()}}

// features are the names Backend.Disable and NEUROMASS_CPU_FEATURES accept.
var features = []string{"avx512", "avx2"}

// Variants returns the names of the kernel sets this build can use on this CPU, best first
// ("avx512", "avx2", "generic"; only "generic" without GOEXPERIMENT=simd or off amd64).
func Variants() []string {
	var out []string
	for _, v := range variants {
		out = append(out, v.name)
	}
	return out
}

// ForVariant returns a backend that uses the named kernel set, by disabling every better one; an
// error when this build or CPU does not have it.
func ForVariant(name string) (*Backend, error) {
	b := &Backend{}
	for _, v := range variants {
		if v.name == name {
			return b, nil
		}
		b.Disable = append(b.Disable, v.name)
	}
	return nil, fmt.Errorf("cpu: no kernel variant %q here (this build and CPU have %s)", name, strings.Join(Variants(), ", "))
}

// envDisable is what NEUROMASS_CPU_FEATURES switches off: a comma-separated list of -feature
// ("-avx512", "-avx2", "-avx512,-avx2"). Like Backend.Disable it can only take features away.
var envDisable = os.Getenv("NEUROMASS_CPU_FEATURES")

// parseDisable reads NEUROMASS_CPU_FEATURES.
func parseDisable(s string) ([]string, error) {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		name, ok := strings.CutPrefix(f, "-")
		if !ok || !slices.Contains(features, strings.ToLower(name)) {
			return nil, fmt.Errorf("cpu: NEUROMASS_CPU_FEATURES=%q: %q is not one of -%s (it can only switch features off)", s, f, strings.Join(features, ", -"))
		}
		out = append(out, strings.ToLower(name))
	}
	return out, nil
}

// variant returns the best variant neither b.Disable nor NEUROMASS_CPU_FEATURES switches off.
func (b *Backend) variant() (*variant, error) {
	off, err := parseDisable(envDisable)
	if err != nil {
		return nil, err
	}
	for _, f := range b.Disable {
		if !slices.Contains(features, strings.ToLower(f)) {
			return nil, fmt.Errorf("cpu: cannot disable %q: the features are %s", f, strings.Join(features, ", "))
		}
		off = append(off, strings.ToLower(f))
	}
	for _, v := range variants {
		if !slices.Contains(off, v.name) {
			return v, nil
		}
	}
	return variants[len(variants)-1], nil
}

// Variant returns the name of the kernel set b's Sims use ("avx512", "avx2" or "generic"), or the
// error that NewSim would return for its settings.
func (b *Backend) Variant() (string, error) {
	v, err := b.variant()
	if err != nil {
		return "", err
	}
	return v.name, nil
}

// Kernels reports which kernel set the zero Backend uses.
func Kernels() string {
	name, err := (&Backend{}).Variant()
	if err != nil {
		return "generic (" + err.Error() + ")"
	}
	return name
}
