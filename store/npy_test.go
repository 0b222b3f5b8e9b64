package store

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"
)

// rawNPY builds a .npy stream by hand (header dictionary and data bytes), independent of the
// writer under test.
func rawNPY(dict string, data []byte) []byte {
	hdr := dict + strings.Repeat(" ", (64-(10+len(dict)+1)%64)%64) + "\n"
	b := []byte("\x93NUMPY\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(hdr)))
	b = append(b, hdr...)
	return append(b, data...)
}

func TestReadNPYKinds(t *testing.T) {
	le8 := func(v ...float64) []byte {
		var b []byte
		for _, x := range v {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		}
		return b
	}
	be4 := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, math.Float32bits(1.5)), math.Float32bits(-2))
	i4 := binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, uint32(7)), uint32(0xffffffff))
	u := []byte{'h', 0, 0, 0, 'i', 0, 0, 0, 0xc4, 0, 0, 0, 0, 0, 0, 0} // "hi", "Ä"
	for _, c := range []struct {
		dict  string
		data  []byte
		shape []int
		float []float64
		str   []string
	}{
		{"{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", le8(1, math.NaN()), []int{2}, []float64{1, math.NaN()}, nil},
		{"{'descr': '>f4', 'fortran_order': False, 'shape': (1, 2), }", be4, []int{1, 2}, []float64{1.5, -2}, nil},
		{"{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", i4, []int{2}, []float64{7, -1}, nil},
		{"{'descr': '<U2', 'fortran_order': False, 'shape': (2,), }", u, []int{2}, nil, []string{"hi", "Ä"}},
		{"{'descr': '<U2', 'fortran_order': False, 'shape': (), }", u[:8], []int{}, nil, []string{"hi"}},
	} {
		b := rawNPY(c.dict, c.data)
		a, err := readNPY(bytes.NewReader(b), uint64(len(b)))
		if err != nil {
			t.Errorf("%s: %v", c.dict, err)
			continue
		}
		if !slices.Equal(a.Shape, c.shape) || !sameFloats(a.Float, c.float) || !slices.Equal(a.Str, c.str) {
			t.Errorf("%s: read %+v", c.dict, a)
		}
	}
	for _, bad := range [][]byte{
		rawNPY("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", le8(1, 2, 3, 4)),
		rawNPY("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", le8(1, 2)),
		rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", le8(1, 2)),
		rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000, 1000000000), }", nil),
		[]byte("\x93NUMPY\x09\x00"),
		rawNPY("{'descr': '<U4611686018427387904', 'fortran_order': False, 'shape': (1,), }", nil), // 4 x 2^62 wraps to 0
	} {
		if a, err := readNPY(bytes.NewReader(bad), uint64(len(bad))); err == nil {
			t.Errorf("%q: read %+v, want an error", bad, a)
		}
	}
}

// FuzzReadNPY: any bytes give an array or an error, never a panic or an allocation beyond what
// the input could hold.
func FuzzReadNPY(f *testing.F) {
	f.Add(rawNPY("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", make([]byte, 8)))
	f.Add(rawNPY("{'descr': '<U3', 'fortran_order': False, 'shape': (), }", make([]byte, 12)))
	f.Add(rawNPY("{'descr': '>i8', 'fortran_order': False, 'shape': (2, 0), }", nil))
	var b bytes.Buffer
	writeStringNPY(&b, []int{2}, []string{"Präcentral_L", ""})
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := readNPY(bytes.NewReader(data), uint64(len(data)))
		if err != nil {
			return
		}
		n := 1
		for _, d := range a.Shape {
			n *= d
		}
		if len(a.Float)+len(a.Str) != n || n > len(data) && n > 0 {
			t.Errorf("shape %v with %d floats and %d strings from %d bytes", a.Shape, len(a.Float), len(a.Str), len(data))
		}
	})
}
