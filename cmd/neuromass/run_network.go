package main

import (
	"fmt"

	"github.com/neuromass/neuromass/dataset"
)

// readMatrix reads an N x N matrix for the flag named flag: a .npy file (float64, float32 or
// integers, C or Fortran order, either byte order) or a .csv/.txt table (dataset.ReadMatrixFile).
// Every value must be finite; the network checks the rest.
func readMatrix(flag, path string) ([][]float64, error) {
	m, err := dataset.ReadMatrixFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s %w", flag, err) // the error starts with the path
	}
	return m, nil
}
