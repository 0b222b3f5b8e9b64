package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// npyHeader returns a .npy (version 1.0, or 2.0 for a header over 64 KiB) preamble and header for
// an array of dtype descr and the given shape, padded to a multiple of 64 bytes as numpy does.
func npyHeader(descr string, shape []int) []byte {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	s := "(" + strings.Join(dims, ", ")
	if len(shape) == 1 {
		s += ","
	}
	s += ")"
	hdr := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, s)
	var b bytes.Buffer
	pre := 10 // magic (6) + version (2) + header length (2)
	if len(hdr)+1+pre+63 > 65535 {
		pre = 12 // version 2.0: a 4-byte header length
	}
	total := pre + len(hdr) + 1
	hdr += strings.Repeat(" ", (64-total%64)%64) + "\n"
	if pre == 10 {
		b.WriteString("\x93NUMPY\x01\x00")
		b.WriteByte(byte(len(hdr)))
		b.WriteByte(byte(len(hdr) >> 8))
	} else {
		b.WriteString("\x93NUMPY\x02\x00")
		var n [4]byte
		binary.LittleEndian.PutUint32(n[:], uint32(len(hdr)))
		b.Write(n[:])
	}
	b.WriteString(hdr)
	return b.Bytes()
}

// writeStringNPY writes strings as a numpy unicode array ('<U' with the longest string's length in
// code points, UTF-32LE, zero padded): numpy loads it without allow_pickle, unlike an object array.
// A nil shape writes a 0-d array of one string.
func writeStringNPY(w io.Writer, shape []int, s []string) error {
	width := 1 // numpy's '<U0' is legal but odd; one code point of padding costs nothing
	for _, x := range s {
		if !utf8.ValidString(x) {
			return fmt.Errorf("string %q is not valid UTF-8", x)
		}
		width = max(width, utf8.RuneCountInString(x))
	}
	var b bytes.Buffer
	b.Write(npyHeader("<U"+strconv.Itoa(width), shape))
	var u [4]byte
	for _, x := range s {
		n := 0
		for _, r := range x {
			binary.LittleEndian.PutUint32(u[:], uint32(r))
			b.Write(u[:])
			n++
		}
		b.Write(make([]byte, 4*(width-n)))
	}
	_, err := w.Write(b.Bytes())
	return err
}

var (
	npyDescrRe   = regexp.MustCompile(`'descr':\s*'([^']*)'`)
	npyFortranRe = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
	npyShapeRe   = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
)

// npyArray is one array read from a .npy stream: Float for numbers, Str for unicode strings.
type npyArray struct {
	Shape []int
	Float []float64
	Str   []string
}

// readNPY reads one .npy array of float64, float32, int64, int32 (either byte order, C order) or
// unicode strings ('<U'). limit bounds the data size in bytes (the zip member's size), so a header
// claiming a huge shape fails before it allocates.
func readNPY(r io.Reader, limit uint64) (*npyArray, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return nil, fmt.Errorf("reading the .npy preamble: %w", err)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return nil, fmt.Errorf("not a .npy array (magic %q)", pre[:6])
	}
	var hlen int
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("reading the .npy header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("reading the .npy header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
	default:
		return nil, fmt.Errorf(".npy format version %d.%d is not supported (1, 2 and 3 are)", pre[6], pre[7])
	}
	if uint64(hlen) > limit || hlen > 1<<20 {
		return nil, fmt.Errorf(".npy header of %d bytes is longer than the array", hlen)
	}
	hb := make([]byte, hlen)
	if _, err := io.ReadFull(r, hb); err != nil {
		return nil, fmt.Errorf("reading the .npy header: %w", err)
	}
	h := string(hb)
	d, fo, sh := npyDescrRe.FindStringSubmatch(h), npyFortranRe.FindStringSubmatch(h), npyShapeRe.FindStringSubmatch(h)
	if d == nil || fo == nil || sh == nil {
		return nil, fmt.Errorf("malformed .npy header %q", h)
	}
	a := &npyArray{Shape: []int{}}
	n := uint64(1)
	for _, s := range strings.Split(sh[1], ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		k, err := strconv.Atoi(s)
		if err != nil || k < 0 {
			return nil, fmt.Errorf("bad shape in .npy header %q", h)
		}
		a.Shape = append(a.Shape, k)
		if k > 0 && n > limit/uint64(k) {
			n = limit + 1 // more elements than bytes: too large
		} else {
			n *= uint64(k)
		}
	}
	if fo[1] != "False" && len(a.Shape) > 1 {
		return nil, errors.New("Fortran-order arrays are not supported")
	}
	descr := d[1]
	if len(descr) < 3 {
		return nil, fmt.Errorf("dtype %q is not supported", descr)
	}
	var order binary.ByteOrder = binary.LittleEndian
	switch descr[0] {
	case '>':
		order = binary.BigEndian
	case '<', '|', '=':
	default:
		return nil, fmt.Errorf("dtype %q is not supported", descr)
	}
	size, err := strconv.Atoi(descr[2:])
	if err != nil || size <= 0 || uint64(size) > limit { // (a huge size would overflow 4*size)
		return nil, fmt.Errorf("dtype %q is not supported", descr)
	}
	kind := descr[1]
	item := uint64(size)
	if kind == 'U' {
		item = 4 * uint64(size)
	}
	if n > limit || n*item > limit {
		return nil, fmt.Errorf("shape %v of %s needs more bytes than the archive member holds", a.Shape, descr)
	}
	buf := make([]byte, n*item)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, fmt.Errorf("reading %d elements: %w", n, err)
	}
	switch {
	case kind == 'U':
		a.Str = make([]string, n)
		var sb strings.Builder
		for i := range a.Str {
			sb.Reset()
			for j := 0; j < size; j++ {
				c := order.Uint32(buf[4*(i*size+j):])
				if c == 0 {
					break
				}
				sb.WriteRune(rune(c))
			}
			a.Str[i] = sb.String()
		}
	case kind == 'f' && size == 8:
		a.Float = make([]float64, n)
		for i := range a.Float {
			a.Float[i] = math.Float64frombits(order.Uint64(buf[8*i:]))
		}
	case kind == 'f' && size == 4:
		a.Float = make([]float64, n)
		for i := range a.Float {
			a.Float[i] = float64(math.Float32frombits(order.Uint32(buf[4*i:])))
		}
	case kind == 'i' && size == 8:
		a.Float = make([]float64, n)
		for i := range a.Float {
			a.Float[i] = float64(int64(order.Uint64(buf[8*i:])))
		}
	case kind == 'i' && size == 4:
		a.Float = make([]float64, n)
		for i := range a.Float {
			a.Float[i] = float64(int32(order.Uint32(buf[4*i:])))
		}
	default:
		return nil, fmt.Errorf("dtype %q is not supported (float64, float32, int64, int32 and unicode are)", descr)
	}
	return a, nil
}
