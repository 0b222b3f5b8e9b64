package npz

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// npy writes a .npy file as NumPy does: magic, version, header length, the header dict padded with
// spaces to a multiple of 64 bytes and ended by a newline, then the little-endian data.
func npy(version byte, descr, fortran, shape string, data []uint64) []byte {
	var b bytes.Buffer
	b.WriteString("\x93NUMPY")
	b.WriteByte(version)
	b.WriteByte(0)
	h := "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }"
	pre := 10
	if version == 2 {
		pre = 12
	}
	h += strings.Repeat(" ", 63-(pre+len(h))%64) + "\n"
	if version == 2 {
		binary.Write(&b, binary.LittleEndian, uint32(len(h)))
	} else {
		binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	}
	b.WriteString(h)
	for _, v := range data {
		binary.Write(&b, binary.LittleEndian, v)
	}
	return b.Bytes()
}

func f64bits(v ...float64) []uint64 {
	u := make([]uint64, len(v))
	for i, x := range v {
		u[i] = math.Float64bits(x)
	}
	return u
}

func writeZip(t *testing.T, members map[string][]byte, method map[string]uint16) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "a.npz")
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, data := range members {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: method[name]})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRead(t *testing.T) {
	m := []float64{1.5, -2, math.Pi, 0, math.Inf(-1), 1e-300}
	path := writeZip(t, map[string][]byte{
		"m.npy":      npy(1, "<f8", "False", "(2, 3)", f64bits(m...)),
		"scalar.npy": npy(2, "<f8", "False", "()", f64bits(-0.25)),
		"ints.npy":   npy(1, "<i8", "False", "(3,)", []uint64{7, math.MaxUint64, 1 << 40}),
		"empty.npy":  npy(1, "<f8", "False", "(0, 4)", nil),
	}, map[string]uint16{"m.npy": zip.Deflate, "ints.npy": zip.Store, "scalar.npy": zip.Deflate})
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d arrays, want 4", len(got))
	}
	check := func(name string, shape []int, f []float64, i []int64) {
		a := got[name]
		if a == nil {
			t.Fatalf("no array %s", name)
		}
		if !reflect.DeepEqual(a.Shape, shape) || !reflect.DeepEqual(a.Float, f) || !reflect.DeepEqual(a.Int, i) {
			t.Errorf("%s = %+v, want shape %v, floats %v, ints %v", name, a, shape, f, i)
		}
	}
	check("m", []int{2, 3}, m, nil)
	check("scalar", []int{}, []float64{-0.25}, nil)
	check("ints", []int{3}, nil, []int64{7, -1, 1 << 40})
	check("empty", []int{0, 4}, []float64{}, nil)
	if f := got["ints"].Floats(); !reflect.DeepEqual(f, []float64{7, -1, 1 << 40}) || got["ints"].Len() != 3 {
		t.Errorf("ints as floats: %v", f)
	}
}

func TestReadErrors(t *testing.T) {
	for name, data := range map[string][]byte{
		"big-endian": npy(1, ">f8", "False", "(1,)", f64bits(1)),
		"float32":    npy(1, "<f4", "False", "(1,)", nil),
		"fortran":    npy(1, "<f8", "True", "(1,)", f64bits(1)),
		"version 3":  npy(3, "<f8", "False", "(1,)", f64bits(1)),
		"short data": npy(1, "<f8", "False", "(2,)", f64bits(1)),
		"not npy":    []byte("hello, world"),
		"bad shape":  npy(1, "<f8", "False", "(a,)", f64bits(1)),
		"no shape":   []byte("\x93NUMPY\x01\x00\x10\x00{'descr': '<f8'}"),
	} {
		if _, err := Read(writeZip(t, map[string][]byte{"x.npy": data}, nil)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Read(writeZip(t, map[string][]byte{"x.txt": npy(1, "<f8", "False", "(1,)", f64bits(1))}, nil)); err == nil {
		t.Error("a member that is not .npy: no error")
	}
}

// TestReadUnicode: a '<U' array (numpy.array(["ab", "Ä"])) reads as strings, padding dropped.
func TestReadUnicode(t *testing.T) {
	hdr := "{'descr': '<U2', 'fortran_order': False, 'shape': (2,), }"
	hdr += strings.Repeat(" ", (64-(10+len(hdr)+1)%64)%64) + "\n"
	b := []byte("\x93NUMPY\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(hdr)))
	b = append(b, hdr...)
	for _, r := range []rune{'a', 'b', 'Ä', 0} {
		b = binary.LittleEndian.AppendUint32(b, uint32(r))
	}
	a, err := ReadNpy(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Str) != 2 || a.Str[0] != "ab" || a.Str[1] != "Ä" || a.Len() != 2 {
		t.Errorf("read %+v", a)
	}
}
