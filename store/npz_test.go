package store

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/neuromass/neuromass/internal/npz"
)

func TestWriteNPZReadBack(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.npz")
	arrays := []Array{
		{Name: "t", Shape: []int{3}, Data: []float64{0.1, 0.2, 0.3}},
		{Name: "x", Shape: []int{2, 3}, Data: []float64{1, 2, 3, 4, 5, 6}},
		{Name: "e", Shape: []int{2, 2, 2}, Data: []float64{1, 2, 3, 4, 5, 6, 7, 8}},
		{Name: "empty", Shape: []int{4, 0}, Data: nil},
		{Name: "empty1", Shape: []int{0}, Data: nil},
		{Name: "four", Shape: []int{1, 2, 1, 2}, Data: []float64{1, 2, 3, 4}},
		{Name: "scalar", Shape: []int{}, Data: []float64{5}},
	}
	if err := WriteNPZ(p, arrays); err != nil {
		t.Fatal(err)
	}
	got, err := npz.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(arrays) {
		t.Errorf("%d arrays read back, wrote %d", len(got), len(arrays))
	}
	for _, a := range arrays {
		g := got[a.Name]
		if g == nil {
			t.Errorf("array %s missing", a.Name)
			continue
		}
		if !slices.Equal(g.Shape, a.Shape) {
			t.Errorf("%s: shape %v, wrote %v", a.Name, g.Shape, a.Shape)
		}
		if !slices.Equal(g.Floats(), a.Data) && len(a.Data) > 0 {
			t.Errorf("%s: %v, wrote %v", a.Name, g.Floats(), a.Data)
		}
	}
	if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("file mode %v (%v), want 0644", st.Mode(), err)
	}
}

func TestWriteNPZErrorKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.npz")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]Array{
		{{Name: "x", Shape: []int{2, 2}, Data: []float64{1, 2, 3}}},
		{{Name: "x", Shape: []int{1}, Data: []float64{1}}, {Name: "x", Shape: []int{1}, Data: []float64{1}}},
		{{Name: "", Shape: []int{1}, Data: []float64{1}}},
		{{Name: "x", Shape: []int{-1}, Data: nil}},
	} {
		if err := WriteNPZ(p, bad); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	b, _ := os.ReadFile(p)
	if string(b) != "old" {
		t.Errorf("existing file changed to %q", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("files left behind: %v", ents)
	}
	// a directory that does not exist
	if err := WriteNPZ(filepath.Join(dir, "no", "such", "out.npz"), nil); err == nil {
		t.Error("writing into a missing directory: no error")
	}
}
