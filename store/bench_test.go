package store

import (
	"math"
	"path/filepath"
	"testing"
)

// BenchmarkWrite writes a one-member result of 80 nodes, two outputs and 20000 samples (25.6 MB
// of float64, a smooth signal as simulations give) in each format; b.SetBytes makes go test
// report MB/s of data written.
func BenchmarkWrite(b *testing.B) {
	f := benchFile()
	const nodes, samples = 80, 20000
	for _, ext := range []string{".h5", ".npz"} {
		b.Run(ext[1:], func(b *testing.B) {
			p := filepath.Join(b.TempDir(), "r"+ext)
			b.SetBytes(int64(8 * (samples + 2*nodes*samples)))
			for b.Loop() {
				if err := Write(p, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchFile is BenchmarkWrite's result.
func benchFile() *File {
	const nodes, samples = 80, 20000
	t := make([]float64, samples)
	for i := range t {
		t[i] = 0.1 * float64(i+1)
	}
	f := &File{Arrays: []Array{{Name: "t", Shape: []int{samples}, Data: t, Units: "ms", Dims: []string{"t"}}}}
	for _, name := range []string{"x", "y"} {
		v := make([]float64, nodes*samples)
		for i := range v {
			n, s := i/samples, i%samples
			v[i] = math.Sin(0.01*float64(s)+float64(n)) + 1e-3*math.Sin(1.7*float64(s))
		}
		f.Arrays = append(f.Arrays, Array{Name: name, Shape: []int{nodes, samples}, Data: v, Units: "mV", Dims: []string{"node", "t"}})
	}
	return f
}
