package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

// npyBytes returns a version 1.0 .npy file with the given header dictionary and raw data.
func npyBytes(dict string, data []byte) []byte {
	hdr := dict + strings.Repeat(" ", (64-(10+len(dict)+1)%64)%64) + "\n"
	b := []byte("\x93NUMPY\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(hdr)))
	b = append(b, hdr...)
	return append(b, data...)
}

func f64s(v ...float64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}

func decode(b []byte) ([][]float64, error) {
	return decodeMatrix(bufio.NewReader(bytes.NewReader(b)), int64(len(b)))
}

func TestDecodeMatrix(t *testing.T) {
	m, err := decode(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", f64s(1, 2, 3, 4)))
	if err != nil || len(m) != 2 || m[0][1] != 2 || m[1][0] != 3 {
		t.Errorf("C order: %v, %v", m, err)
	}
	m, err = decode(npyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", f64s(1, 2, 3, 4)))
	if err != nil || m[0][1] != 3 || m[1][0] != 2 {
		t.Errorf("Fortran order: %v, %v", m, err)
	}
	m, err = decode(npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 1), }", []byte{7, 0, 0, 0}))
	if err != nil || m[0][0] != 7 {
		t.Errorf("int32: %v, %v", m, err)
	}
	for _, tc := range []struct {
		name string
		file []byte
		msg  string
	}{
		{"empty", nil, "not a NumPy .npy file"},
		{"no magic", []byte("PK\x03\x04 a zip file, say"), "not a NumPy .npy file"},
		{"huge header", append([]byte("\x93NUMPY\x02\x00"), 0xff, 0xff, 0xff, 0x7f), "header of"},
		{"header without newline", append([]byte("\x93NUMPY\x01\x00\x04\x00"), "abcd"...), "not a NumPy .npy file"},
		{"huge shape", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4000000000, 4000000000), }", nil), "more than the file"},
		{"negative shape", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (-2, -2), }", nil), "empty"},
		{"scalar", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", f64s(1)), "shape ()"},
		{"bool", npyBytes("{'descr': '|b1', 'fortran_order': False, 'shape': (1, 1), }", []byte{1}), "|b1"},
		{"cut off", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", f64s(1, 2, 3)), "cannot read the values"},
		{"Inf", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", f64s(math.Inf(-1))), "[0][0] is -Inf"},
	} {
		if _, err := decode(tc.file); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.msg)
		}
	}
}

// FuzzDecodeMatrix: no input panics, and a matrix read back is square with finite entries.
func FuzzDecodeMatrix(f *testing.F) {
	f.Add(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", f64s(0, 1, 1, 0)))
	f.Add(npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }", []byte{0, 0, 128, 63}))
	f.Add(npyBytes("{'descr': '<u2', 'fortran_order': False, 'shape': (1, 1), }", []byte{1, 0}))
	f.Add([]byte("\x93NUMPY\x02\x00\x10\x00\x00\x00{'descr': '<f8'}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := decode(b)
		if err != nil {
			return
		}
		for i, row := range m {
			if len(row) != len(m) {
				t.Fatalf("row %d has %d entries, matrix %d rows", i, len(row), len(m))
			}
			for _, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("entry %v", v)
				}
			}
		}
	})
}
