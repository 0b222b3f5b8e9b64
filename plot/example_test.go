package plot_test

import (
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/neuromass/neuromass/plot"
)

// Two nodes' rates over 200 ms, drawn with the mean over nodes as a PNG.
func ExampleTimeSeries() {
	dir, err := os.MkdirTemp("", "plot-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	s := plot.Series{Quantity: "rate", Unit: "Hz", Names: []string{"V1", "V2"}}
	s.Values = make([][]float64, 2)
	for k := range 2000 {
		t := 0.1 * float64(k+1) // ms
		s.T = append(s.T, t)
		s.Values[0] = append(s.Values[0], 5+math.Sin(2*math.Pi*t/100))
		s.Values[1] = append(s.Values[1], 4+math.Cos(2*math.Pi*t/50))
	}
	path := filepath.Join(dir, "rates.png")
	if err := plot.TimeSeries(path, s, plot.Options{Width: 800, Height: 400}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("wrote", filepath.Base(path))
	// Output: wrote rates.png
}

// A simulated and an empirical FC side by side; the title gives their correlation.
func ExampleFCPair() {
	dir, err := os.MkdirTemp("", "plot-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	n := 10
	sim, emp := make([][]float64, n), make([][]float64, n)
	for i := range n {
		sim[i], emp[i] = make([]float64, n), make([]float64, n)
		for j := range n {
			d := math.Abs(float64(i - j))
			sim[i][j], emp[i][j] = math.Exp(-d/3), math.Exp(-d/2)
		}
	}
	err = plot.FCPair(filepath.Join(dir, "fc.svg"), plot.FC{Simulated: sim, Empirical: emp}, plot.Options{})
	fmt.Println(err)
	// Output: <nil>
}
