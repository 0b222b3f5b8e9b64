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
		return nil, fmt.Errorf("%s %s: values of type %s; expected little-endian float64, float32 or integers", flag, path, r.Header.Descr.Type)
	}
	n := shape[0]
	flat, err := readFloats(r, n*n)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %v", flag, path, err)
	}
	if r.Header.Descr.Fortran {
		t := make([]float64, n*n)
		for i := range n {
			for j := range n {
				t[i*n+j] = flat[j*n+i]
			}
		}
		flat = t
	}
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
		for j := range out[i] {
			v := flat[i*n+j]
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s %s: entry [%d][%d] is %v; every entry must be finite", flag, path, i, j, v)
			}
			out[i][j] = v
		}
	}
	return out, nil
}

// readFloats reads count values of the file's type as float64, turning npyio's panics on odd
// files into errors.
func readFloats(r *npy.Reader, count int) (out []float64, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("cannot read the values: %v", p)
		}
	}()
	read := func(ptr any) error {
		if err := r.Read(ptr); err != nil {
			return fmt.Errorf("cannot read the values: %v", err)
		}
		return nil
	}
	t := strings.Trim(r.Header.Descr.Type, "'\"")
	switch t[len(t)-2:] {
	case "f8":
		v := make([]float64, count)
		err = read(&v)
		out = v
	case "f4":
		out, err = convert[float32](read, count)
	case "i1":
		out, err = convert[int8](read, count)
	case "i2":
		out, err = convert[int16](read, count)
	case "i4":
		out, err = convert[int32](read, count)
	case "i8":
		out, err = convert[int64](read, count)
	case "u1":
		out, err = convert[uint8](read, count)
	case "u2":
		out, err = convert[uint16](read, count)
	case "u4":
		out, err = convert[uint32](read, count)
	case "u8":
		out, err = convert[uint64](read, count)
	default:
		err = fmt.Errorf("values of type %s; expected float64, float32 or integers", t)
	}
	if err == nil && len(out) != count {
		err = fmt.Errorf("read %d values, expected %d", len(out), count)
	}
	return out, err
}

func convert[T float32 | int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64](read func(any) error, count int) ([]float64, error) {
	v := make([]T, count)
	if err := read(&v); err != nil {
		return nil, err
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out, nil
}

// supportedDtype reports whether a .npy descr is a float64, float32 or integer type.
func supportedDtype(descr string) bool {
	t := strings.Trim(descr, "'\"")
	if len(t) < 2 {
		return false
	}
	switch t[len(t)-2:] {
	case "f8", "f4", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8":
		return t[0] == '<' || t[0] == '|' || t[0] == '=' // big-endian files are not read
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
