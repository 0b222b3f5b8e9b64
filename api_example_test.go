package neuromass_test

import (
	"fmt"
	"log"
	"math"

	"github.com/neuromass/neuromass"
)

// An ensemble: three Hopf nodes (no network) that differ in the bifurcation parameter a, run at
// once. The normal form's limit cycle has radius sqrt(a) for a > 0 and none for a < 0 (the node
// decays to rest), so after the transient the peak of x is 0, 0.5 and 1.
func ExampleModel_Set() {
	m, err := neuromass.Load("hopf", neuromass.Config{Duration: 300, Members: 3, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Set("a", -0.1, 0.25, 1); err != nil { // one value per member
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
	for member, a := range []float64{-0.1, 0.25, 1} {
		peak := 0.0
		for _, v := range x.Node(member, 0)[2000:] { // the last 100 ms: three periods of 2 pi / w = 31 ms
			peak = math.Max(peak, math.Abs(v))
		}
		fmt.Printf("a = %5.2f: peak |x| %.2f\n", a, peak)
	}
	// Output:
	// a = -0.10: peak |x| 0.00
	// a =  0.25: peak |x| 0.50
	// a =  1.00: peak |x| 1.00
}

// Config.Progress reports the steps done: here after each 25 ms part (Chunk) of a 100 ms run at
// dt = 0.1 ms. Long parts also report from within, so the calls are printed only at the parts' ends.
func ExampleConfig_progress() {
	last := 0
	cfg := neuromass.Config{Duration: 100, Chunk: 25, Progress: func(done, total int) {
		if done < last {
			fmt.Println("progress went back")
		}
		if done%250 == 0 && done != last {
			fmt.Printf("%d of %d steps\n", done, total)
		}
		last = done
	}}
	m, err := neuromass.Load("hopf", cfg)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := m.Run(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 250 of 1000 steps
	// 500 of 1000 steps
	// 750 of 1000 steps
	// 1000 of 1000 steps
}
