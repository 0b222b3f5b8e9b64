package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	"gonum.org/v1/gonum/mat"
)

// readMatrix reads an N x N matrix from a .npy file (float64, float32 or integers, C or Fortran
// order) for the flag named flag. Every value must be finite; the network checks the rest.
func readMatrix(flag, path string) ([][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		why := err
		var pe *fs.PathError
		if errors.As(err, &pe) {
			why = pe.Err
		}
		return nil, fmt.Errorf("%s %s: cannot read the file: %v", flag, path, why)
	}
	defer f.Close()
	r, err := npy.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s %s: not a NumPy .npy file: %v", flag, path, err)
	}
	shape := r.Header.Descr.Shape
	if len(shape) != 2 {
		return nil, fmt.Errorf("%s %s: the array has shape %s; expected an N x N matrix", flag, path, shapeText(shape))
	}
	if shape[0] != shape[1] {
		return nil, fmt.Errorf("%s %s: the matrix is %d x %d, not square; expected N x N", flag, path, shape[0], shape[1])
	}
	if shape[0] == 0 {
		return nil, fmt.Errorf("%s %s: the matrix is empty (0 x 0); expected at least one node", flag, path)
	}
	if !supportedDtype(r.Header.Descr.Type) {
		return nil, fmt.Errorf("%s %s: values of type %s; expected float64, float32 or integers", flag, path, r.Header.Descr.Type)
	}
	var d mat.Dense
	if err := readDense(r, &d); err != nil {
		return nil, fmt.Errorf("%s %s: %v", flag, path, err)
	}
	n := shape[0]
	if rr, cc := d.Dims(); rr != n || cc != n {
		return nil, fmt.Errorf("%s %s: read %d x %d values for shape %d x %d", flag, path, rr, cc, n, n)
	}
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
		for j := range out[i] {
			v := d.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s %s: entry [%d][%d] is %v; every entry must be finite", flag, path, i, j, v)
			}
			out[i][j] = v
		}
	}
	return out, nil
}

// readDense reads the data, turning npyio's panics on odd files into errors.
func readDense(r *npy.Reader, d *mat.Dense) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("cannot read the values: %v", p)
		}
	}()
	if err := r.Read(d); err != nil {
		return fmt.Errorf("cannot read the values: %v", err)
	}
	return nil
}

// supportedDtype reports whether a .npy descr is a float64, float32 or integer type.
func supportedDtype(descr string) bool {
	t := strings.Trim(descr, "'\"")
	if len(t) < 2 {
		return false
	}
	switch t[len(t)-2:] {
	case "f8", "f4", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8":
		return t[0] == '<' || t[0] == '|' || t[0] == '=' || t[0] == '>'
	}
	return false
}

func shapeText(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
