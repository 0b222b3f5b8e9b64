// Command gendefault writes the built-in connectome's files (dataset/default/) from
// dataset.GenerateDefault. It runs through go generate in package dataset.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/neuromass/neuromass/dataset"
)

func main() {
	d := dataset.GenerateDefault()
	var w, l, c bytes.Buffer
	for _, err := range []error{dataset.WriteTVBText(&w, d.Cmat), dataset.WriteTVBText(&l, d.Lengths),
		dataset.WriteCentres(&c, d.Labels, d.Centres)} {
		if err != nil {
			fail(err)
		}
	}
	for name, b := range map[string][]byte{"weights.txt": w.Bytes(), "tract_lengths.txt": l.Bytes(), "centres.txt": c.Bytes()} {
		if err := os.WriteFile(filepath.Join("default", name), b, 0o644); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gendefault:", err)
	os.Exit(1)
}
