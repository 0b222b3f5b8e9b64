package main

import (
	"bufio"
	"encoding/binary"
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
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("%s %s: cannot read the file: %v", flag, path, err)
	}
	m, err := decodeMatrix(bufio.NewReader(f), st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s %s: %v", flag, path, err)
	}
	return m, nil
}

// maxNpyHeader bounds the .npy header length read (numpy writes well under 1 KiB).
const maxNpyHeader = 1 << 20

// decodeMatrix reads an N x N matrix from a .npy stream of size bytes.
func decodeMatrix(br *bufio.Reader, size int64) ([][]float64, error) {
	// npyio allocates the header length it reads and panics on some malformed headers: check
	// the preamble here first
	pre, err := br.Peek(10)
	if err != nil || string(pre[:6]) != "\x93NUMPY" {
		return nil, errors.New("not a NumPy .npy file (no \\x93NUMPY magic)")
	}
	hlen := int64(binary.LittleEndian.Uint16(pre[8:10]))
	if pre[6] >= 2 {
		p, err := br.Peek(12)
		if err != nil {
			return nil, errors.New("not a NumPy .npy file: cut off in the header")
		}
		hlen = int64(binary.LittleEndian.Uint32(p[8:12]))
	}
	if hlen > maxNpyHeader || hlen > size {
		return nil, fmt.Errorf("not a NumPy .npy file: a header of %d bytes", hlen)
	}
	r, err := newNpyReader(br)
	if err != nil {
		return nil, fmt.Errorf("not a NumPy .npy file: %v", err)
	}
	shape := r.Header.Descr.Shape
	if len(shape) != 2 {
		return nil, fmt.Errorf("the array has shape %s; expected an N x N matrix", shapeText(shape))
	}
	if shape[0] != shape[1] {
		return nil, fmt.Errorf("the matrix is %d x %d, not square; expected N x N", shape[0], shape[1])
	}
	if shape[0] <= 0 {
		return nil, fmt.Errorf("the matrix is empty (%d x %d); expected at least one node", shape[0], shape[1])
	}
	if !supportedDtype(r.Header.Descr.Type) {
		return nil, fmt.Errorf("values of type %s; expected little-endian float64, float32 or integers", r.Header.Descr.Type)
	}
	n := shape[0]
	// every value takes at least one byte: a shape the file cannot hold is refused before
	// anything is allocated for it
	if int64(n) > size || int64(n) > size/int64(n) {
		return nil, fmt.Errorf("the header says %d x %d values, more than the file's %d bytes hold", n, n, size)
	}
	flat, err := readFloats(r, n*n)
	if err != nil {
		return nil, err
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
				return nil, fmt.Errorf("entry [%d][%d] is %v; every entry must be finite", i, j, v)
			}
			out[i][j] = v
		}
	}
	return out, nil
}

// newNpyReader reads the header with npyio, turning its panics on malformed headers into errors.
func newNpyReader(br *bufio.Reader) (r *npy.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("malformed header (%v)", p)
		}
	}()
	return npy.NewReader(br)
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
