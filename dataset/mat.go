package dataset

import (
	"bufio"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// Matrix is a 2-D numeric array read from a file, its values converted to float64.
type Matrix struct {
	Name       string    // the variable's name
	Class      string    // MATLAB class it was stored as: "double", "single", "int32", ...
	Rows, Cols int       // shape
	Data       []float64 // row-major: Data[i*Cols+j] is row i, column j
}

// At returns row i, column j.
func (m *Matrix) At(i, j int) float64 { return m.Data[i*m.Cols+j] }

// Slices returns the matrix as one slice per row (copied).
func (m *Matrix) Slices() [][]float64 {
	out := make([][]float64, m.Rows)
	for i := range out {
		out[i] = append([]float64(nil), m.Data[i*m.Cols:(i+1)*m.Cols]...)
	}
	return out
}

// MAT-file element types (the MAT-File Format, Level 5).
const (
	miINT8       = 1
	miUINT8      = 2
	miINT16      = 3
	miUINT16     = 4
	miINT32      = 5
	miUINT32     = 6
	miSINGLE     = 7
	miDOUBLE     = 9
	miINT64      = 12
	miUINT64     = 13
	miMATRIX     = 14
	miCOMPRESSED = 15
	miUTF8       = 16
)

// matClasses are the array classes (low byte of the array flags); 6 to 15 are numeric.
var matClasses = map[uint32]string{1: "cell", 2: "struct", 3: "object", 4: "char", 5: "sparse",
	6: "double", 7: "single", 8: "int8", 9: "uint8", 10: "int16", 11: "uint16", 12: "int32",
	13: "uint32", 14: "int64", 15: "uint64", 16: "function", 17: "opaque"}

// elemSize is the byte size of one value of each numeric storage type.
var elemSize = map[uint32]int{miINT8: 1, miUINT8: 1, miINT16: 2, miUINT16: 2, miINT32: 4,
	miUINT32: 4, miSINGLE: 4, miDOUBLE: 8, miINT64: 8, miUINT64: 8}

// ReadMATFile reads a MAT-file with ReadMAT; errors name the file.
func ReadMATFile(path string) (map[string]*Matrix, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vars, err := ReadMAT(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return vars, nil
}

// ReadMAT reads every variable of a MATLAB Level-5 MAT-file, keyed by name. Each must be a real 2-D
// numeric array (any class from double to uint64, stored in any numeric type, or logical);
// anything else is an error naming the variable. Values of 64-bit integer classes beyond 2^53
// lose precision in the conversion to float64.
func ReadMAT(r io.Reader) (map[string]*Matrix, error) {
	var hdr [128]byte
	n, err := io.ReadFull(r, hdr[:])
	if err != nil {
		if n >= 10 && strings.HasPrefix(string(hdr[:n]), "MATLAB 7.3") {
			return nil, errors.New("a MATLAB v7.3 (HDF5) MAT-file; only Level-5 files (MATLAB -v7 or older) are read")
		}
		return nil, fmt.Errorf("not a Level-5 MAT-file: %d bytes, shorter than the 128-byte header", n)
	}
	text := string(hdr[:116])
	if strings.HasPrefix(text, "MATLAB 7.3") {
		return nil, errors.New("a MATLAB v7.3 (HDF5) MAT-file; only Level-5 files (MATLAB -v7 or older) are read")
	}
	var order binary.ByteOrder
	switch string(hdr[126:128]) {
	case "IM":
		order = binary.LittleEndian
	case "MI":
		order = binary.BigEndian
	default:
		if !strings.HasPrefix(text, "MATLAB 5.0") {
			return nil, errors.New(`not a Level-5 MAT-file (no "MATLAB 5.0 MAT-file" header; Level-4 files are not read)`)
		}
		return nil, fmt.Errorf("not a Level-5 MAT-file: endian mark %q, expected \"IM\" or \"MI\"", hdr[126:128])
	}
	if v := order.Uint16(hdr[124:126]); v != 0x0100 {
		return nil, fmt.Errorf("MAT-file version 0x%04x; only 0x0100 (Level 5) is read", v)
	}
	p := &matParser{order: order, vars: map[string]*Matrix{}}
	if err := p.elements(r, 128, true); err != nil {
		return nil, err
	}
	return p.vars, nil
}

type matParser struct {
	order binary.ByteOrder
	vars  map[string]*Matrix
}

// elements reads top-level data elements from r until it ends; off is r's offset in the file (or
// in the decompressed stream) for error messages. Outside compressed streams elements are padded to
// 8 bytes.
func (p *matParser) elements(r io.Reader, off int64, padded bool) error {
	for {
		var tag [8]byte
		n, err := io.ReadFull(r, tag[:])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("at byte %d: cut off in an element tag (%d of 8 bytes): %w", off, n, err)
		}
		typ, count := p.order.Uint32(tag[:4]), p.order.Uint32(tag[4:])
		if typ>>16 != 0 {
			// a small element as the top level holds no matrix: nothing to read
			off += 8
			continue
		}
		pad := padded
		switch typ {
		case miCOMPRESSED:
			pad = false // MATLAB does not pad compressed elements
			lr := &io.LimitedReader{R: r, N: int64(count)}
			zr, err := zlib.NewReader(lr)
			if err != nil {
				return fmt.Errorf("at byte %d: compressed element of %d bytes: %w", off, count, err)
			}
			if err := p.elements(zr, 0, false); err != nil {
				return fmt.Errorf("in the compressed element at byte %d: %w", off, err)
			}
			// the zlib stream ended (checksum checked); what is left of the element is ignored
			if _, err := io.Copy(io.Discard, lr); err != nil {
				return fmt.Errorf("at byte %d: %w", off, err)
			}
			if lr.N > 0 {
				return fmt.Errorf("at byte %d: compressed element of %d bytes cut off after %d", off, count, int64(count)-lr.N)
			}
			off += 8 + int64(count)
		case miMATRIX:
			data, err := readN(r, count)
			if err != nil {
				return fmt.Errorf("at byte %d: matrix element of %d bytes: %w", off, count, err)
			}
			if err := p.matrix(data); err != nil {
				return fmt.Errorf("at byte %d: %w", off, err)
			}
			off += 8 + int64(count)
		default:
			// other top-level elements carry no variables; skip them
			if _, err := readN(r, count); err != nil {
				return fmt.Errorf("at byte %d: element of type %d, %d bytes: %w", off, typ, count, err)
			}
			off += 8 + int64(count)
		}
		// padding rounds each element's data up to 8 bytes
		if n := (8 - int64(count)%8) % 8; pad && n != 0 {
			// the last element of a file may lack its padding
			if _, err := io.ReadFull(r, make([]byte, n)); err != nil && err != io.EOF {
				return fmt.Errorf("at byte %d: cut off in padding: %w", off, err)
			}
			off += n
		}
	}
}

// readN reads exactly count bytes, allocating no more than the stream holds.
func readN(r io.Reader, count uint32) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(count)))
	if err != nil {
		return nil, fmt.Errorf("cut off after %d bytes: %w", len(data), err)
	}
	if len(data) < int(count) {
		return nil, fmt.Errorf("cut off after %d bytes", len(data))
	}
	return data, nil
}

// subElement splits the next sub-element off b: its type, its data and the rest after padding.
func (p *matParser) subElement(b []byte, what string) (typ uint32, data, rest []byte, err error) {
	if len(b) < 8 {
		return 0, nil, nil, fmt.Errorf("matrix cut off before its %s", what)
	}
	typ = p.order.Uint32(b[:4])
	if small := typ >> 16; small != 0 {
		if small > 4 {
			return 0, nil, nil, fmt.Errorf("%s: small element of %d bytes (at most 4 fit)", what, small)
		}
		return typ & 0xffff, b[4 : 4+small], b[8:], nil
	}
	count := uint64(p.order.Uint32(b[4:8]))
	if count > uint64(len(b)-8) {
		return 0, nil, nil, fmt.Errorf("%s: %d bytes announced, %d left in the matrix", what, count, len(b)-8)
	}
	end := 8 + int(count)
	data = b[8:end]
	end += (8 - end%8) % 8
	if end > len(b) {
		end = len(b)
	}
	return typ, data, b[end:], nil
}

// matrix decodes one miMATRIX element's payload into p.vars.
func (p *matParser) matrix(b []byte) error {
	typ, flags, b, err := p.subElement(b, "array flags")
	if err != nil {
		return err
	}
	if typ != miUINT32 || len(flags) < 4 {
		return fmt.Errorf("array flags of type %d and %d bytes; expected uint32", typ, len(flags))
	}
	fw := p.order.Uint32(flags[:4])
	class := fw & 0xff
	complexFlag, logical := fw&0x800 != 0, fw&0x200 != 0

	typ, dimb, b, err := p.subElement(b, "dimensions")
	if err != nil {
		return err
	}
	if typ != miINT32 || len(dimb)%4 != 0 || len(dimb) < 8 {
		return fmt.Errorf("dimensions of type %d and %d bytes; expected at least two int32", typ, len(dimb))
	}
	dims := make([]int64, len(dimb)/4)
	for k := range dims {
		dims[k] = int64(int32(p.order.Uint32(dimb[4*k:])))
	}
	typ, nameb, b, err := p.subElement(b, "name")
	if err != nil {
		return err
	}
	if typ != miINT8 && typ != miUINT8 && typ != miUTF8 {
		return fmt.Errorf("array name of type %d; expected int8 characters", typ)
	}
	name := string(nameb)
	cname, ok := matClasses[class]
	if !ok {
		return fmt.Errorf("variable %q: unknown array class %d", name, class)
	}
	if class < 6 || class > 15 {
		return fmt.Errorf("variable %q: a %s array; only numeric 2-D arrays are read", name, cname)
	}
	if complexFlag {
		return fmt.Errorf("variable %q: a complex %s array; only real arrays are read", name, cname)
	}
	if logical {
		cname = "logical"
	}
	if len(dims) != 2 {
		return fmt.Errorf("variable %q: a %d-dimensional array %v; only 2-D arrays are read", name, len(dims), dims)
	}
	rows, cols := dims[0], dims[1]
	if rows < 0 || cols < 0 {
		return fmt.Errorf("variable %q: negative dimensions %d x %d", name, rows, cols)
	}
	if _, dup := p.vars[name]; dup {
		return fmt.Errorf("variable %q appears twice", name)
	}

	typ, raw, _, err := p.subElement(b, "real part")
	if err != nil {
		return fmt.Errorf("variable %q: %w", name, err)
	}
	size, ok := elemSize[typ]
	if !ok {
		return fmt.Errorf("variable %q: values stored as type %d; expected a numeric type", name, typ)
	}
	if len(raw)%size != 0 {
		return fmt.Errorf("variable %q: %d bytes of values, not a whole number of %d-byte values", name, len(raw), size)
	}
	count := int64(len(raw) / size)
	// rows*cols is compared through a division so that it cannot overflow
	if (rows == 0 || cols == 0) && count != 0 || rows != 0 && cols != 0 && (count%rows != 0 || count/rows != cols) {
		return fmt.Errorf("variable %q: %d x %d needs %d values, the file holds %d", name, rows, cols, rows*cols, count)
	}
	flat := p.decode(typ, raw, int(count))
	m := &Matrix{Name: name, Class: cname, Rows: int(rows), Cols: int(cols), Data: make([]float64, count)}
	// column-major in the file, row-major here
	r, c := int(rows), int(cols)
	for j := range c {
		for i := range r {
			m.Data[i*c+j] = flat[j*r+i]
		}
	}
	p.vars[name] = m
	return nil
}

// decode converts count values of storage type typ to float64.
func (p *matParser) decode(typ uint32, raw []byte, count int) []float64 {
	out := make([]float64, count)
	o := p.order
	for k := range out {
		switch typ {
		case miINT8:
			out[k] = float64(int8(raw[k]))
		case miUINT8:
			out[k] = float64(raw[k])
		case miINT16:
			out[k] = float64(int16(o.Uint16(raw[2*k:])))
		case miUINT16:
			out[k] = float64(o.Uint16(raw[2*k:]))
		case miINT32:
			out[k] = float64(int32(o.Uint32(raw[4*k:])))
		case miUINT32:
			out[k] = float64(o.Uint32(raw[4*k:]))
		case miSINGLE:
			out[k] = float64(math.Float32frombits(o.Uint32(raw[4*k:])))
		case miDOUBLE:
			out[k] = math.Float64frombits(o.Uint64(raw[8*k:]))
		case miINT64:
			out[k] = float64(int64(o.Uint64(raw[8*k:])))
		case miUINT64:
			out[k] = float64(o.Uint64(raw[8*k:]))
		}
	}
	return out
}
