package store

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neuromass/neuromass/engine"
)

// sampleFile is a two-member, three-node result with BOLD, NaN and infinite samples, node names
// with non-ASCII letters and a multi-line model text: what a reader must get back unchanged.
func sampleFile() *File {
	const members, nodes, samples, bold = 2, 3, 5, 2
	t := make([]float64, samples)
	for i := range t {
		t[i] = 0.1 * float64(i+1)
	}
	x := make([]float64, members*nodes*samples)
	for i := range x {
		x[i] = math.Sin(float64(i)) * 1e3
	}
	x[7] = math.NaN()
	x[8] = math.Inf(-1)
	b := make([]float64, nodes*bold)
	for i := range b {
		b[i] = 0.01 * float64(i)
	}
	return &File{
		Meta: Meta{
			Model: "hopf", ModelText: "model hopf\n  x' = (a - x^2 - y^2) x - w y\n", Version: "v0.1.0-test",
			Backend: "cpu", Device: "avx2", Precision: "f64", Mode: "default",
			Dt: 0.1, SamplingDt: 0.1, Duration: 0.5, Seed: 1<<63 + 5, Members: members, Nodes: nodes,
			NodeNames: []string{"Präcentral_L", "Frontal_Sup_R", "x"},
			Params:    map[string][]float64{"a": {0.25, -0.5}, "K_gl": {0.6}, "big": {math.Inf(1), 1e300}},
			Units:     map[string]string{"w": "rad/ms"},
			Created:   time.Date(2026, 11, 26, 1, 2, 3, 0, time.UTC),
			Command:   "neuromass run --model hopf --out 'a b.h5'",
		},
		Arrays: []Array{
			{Name: "t", Shape: []int{samples}, Data: t, Units: "ms", Dims: []string{"t"}},
			{Name: "x", Shape: []int{members, nodes, samples}, Data: x, Units: "mV", Dims: []string{"member", "node", "t"}},
			{Name: "BOLD", Shape: []int{members, nodes, bold}, Data: append(slices.Clone(b), b...), Units: "%", Dims: []string{"member", "node", "t_BOLD"}},
			{Name: "t_BOLD", Shape: []int{bold}, Data: []float64{2000, 4000}, Units: "ms", Dims: []string{"t_BOLD"}},
		},
	}
}

// sameFloats compares bit patterns, so NaN equals NaN and -0 differs from 0.
func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// checkSame compares what was read with what was written, field by field.
func checkSame(t *testing.T, got, want *File) {
	t.Helper()
	if !reflect.DeepEqual(got.Meta, want.Meta) {
		t.Errorf("meta read back:\n%+v\nwrote:\n%+v", got.Meta, want.Meta)
	}
	var names []string
	for _, a := range got.Arrays {
		names = append(names, a.Name)
	}
	if len(got.Arrays) != len(want.Arrays) {
		t.Fatalf("arrays read back %v, wrote %d", names, len(want.Arrays))
	}
	for i, w := range want.Arrays {
		g := got.Arrays[i]
		if g.Name != w.Name || !slices.Equal(g.Shape, w.Shape) || g.Units != w.Units || !slices.Equal(g.Dims, w.Dims) {
			t.Errorf("array %d read back as %s %v %q %v, wrote %s %v %q %v", i, g.Name, g.Shape, g.Units, g.Dims, w.Name, w.Shape, w.Units, w.Dims)
		}
		if !sameFloats(g.Data, w.Data) {
			t.Errorf("%s: data read back %v, wrote %v", w.Name, g.Data, w.Data)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, ext := range []string{".npz", ".h5", ".hdf5", ".nc"} {
		t.Run(ext, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "out"+ext)
			want := sampleFile()
			if err := Write(p, want); err != nil {
				t.Fatal(err)
			}
			got, err := Read(p)
			if err != nil {
				t.Fatal(err)
			}
			checkSame(t, got, want)
			if a, ok := got.Array("x"); !ok || a.Name != "x" {
				t.Errorf("Array(x) = %v, %v", a, ok)
			}
			if _, ok := got.Array("nope"); ok {
				t.Error("Array(nope) found")
			}
			// by magic bytes, under a name that says nothing
			q := filepath.Join(filepath.Dir(p), "result.dat")
			if err := os.Rename(p, q); err != nil {
				t.Fatal(err)
			}
			got, err = Read(q)
			if err != nil {
				t.Fatal(err)
			}
			checkSame(t, got, want)
			if st, err := os.Stat(q); err != nil || st.Mode().Perm() != 0o644 {
				t.Errorf("file mode %v (%v), want 0644", st.Mode(), err)
			}
		})
	}
}

// TestZeroMeta: a File with no metadata at all, and an array without units, is written and read.
func TestZeroMeta(t *testing.T) {
	for _, ext := range []string{".npz", ".h5"} {
		p := filepath.Join(t.TempDir(), "z"+ext)
		want := &File{Meta: Meta{Created: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)},
			Arrays: []Array{{Name: "v", Shape: []int{2}, Data: []float64{1, 2}, Dims: []string{"i"}}}}
		if err := Write(p, want); err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		got, err := Read(p)
		if err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		// Read gives empty maps where nil was written; compare the rest.
		if len(got.Meta.Params) != 0 || len(got.Meta.Units) != 0 {
			t.Errorf("%s: params %v units %v", ext, got.Meta.Params, got.Meta.Units)
		}
		got.Meta.Params, got.Meta.Units = nil, nil
		checkSame(t, got, want)
	}
}

func TestFormatFor(t *testing.T) {
	for p, want := range map[string]Format{"a.npz": FormatNPZ, "A.NPZ": FormatNPZ, "d/a.h5": FormatHDF5, "a.hdf5": FormatHDF5, "a.nc": FormatHDF5} {
		if got, err := FormatFor(p); err != nil || got != want {
			t.Errorf("FormatFor(%s) = %v, %v; want %v", p, got, err, want)
		}
	}
	for _, p := range []string{"a.csv", "a", "a.npy", "a.h5.tmp"} {
		if _, err := FormatFor(p); err == nil || !strings.Contains(err.Error(), ".npz, .h5") {
			t.Errorf("FormatFor(%s): error %v, want one listing the known types", p, err)
		}
	}
}

// TestReadOldNPZ: neuromass's first .npz files (no attrs) still read, without metadata.
func TestReadOldNPZ(t *testing.T) {
	p := filepath.Join(t.TempDir(), "old.npz")
	if err := WriteNPZ(p, []Array{{Name: "t", Shape: []int{2}, Data: []float64{1, 2}}, {Name: "x", Shape: []int{1, 2}, Data: []float64{3, 4}}}); err != nil {
		t.Fatal(err)
	}
	f, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Arrays) != 2 || f.Arrays[1].Name != "x" || !slices.Equal(f.Arrays[1].Data, []float64{3, 4}) || f.Meta.Model != "" {
		t.Errorf("read %+v", f)
	}
}

func TestFromResult(t *testing.T) {
	res := &engine.Result{Model: "kuramoto", Members: 1, Nodes: 2, Dt: 0.1, Every: 2, T: []float64{0.2, 0.4, 0.6}}
	res.Series = []engine.Series{
		{Name: "theta", Unit: "rad", Offset: 1, Samples: 2, Data: []float64{1, 2, 3, 4}},
		{Name: "BOLD", Unit: "%", Samples: 1, Data: []float64{5, 6}, Times: []float64{2000}},
	}
	f, err := FromResult(res, Meta{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := []Array{
		{Name: "t", Shape: []int{3}, Data: res.T, Units: "ms", Dims: []string{"t"}},
		{Name: "theta", Shape: []int{2, 2}, Data: []float64{1, 2, 3, 4}, Units: "rad", Dims: []string{"node", "t_theta"}},
		{Name: "BOLD", Shape: []int{2, 1}, Data: []float64{5, 6}, Units: "%", Dims: []string{"node", "t_BOLD"}},
		{Name: "t_theta", Shape: []int{2}, Data: []float64{0.4, 0.6}, Units: "ms", Dims: []string{"t_theta"}},
		{Name: "t_BOLD", Shape: []int{1}, Data: []float64{2000}, Units: "ms", Dims: []string{"t_BOLD"}},
	}
	if !reflect.DeepEqual(f.Arrays, want) {
		t.Errorf("arrays\n%+v\nwant\n%+v", f.Arrays, want)
	}
	if f.Meta.Model != "kuramoto" || f.Meta.Nodes != 2 || f.Meta.Members != 1 || f.Meta.Dt != 0.1 || f.Meta.SamplingDt != 0.2 || f.Meta.Seed != 3 {
		t.Errorf("meta %+v", f.Meta)
	}
	// a run shorter than the samples compat mode drops: an empty output on an empty axis
	short := *res
	short.T = res.T[:1]
	short.Series = []engine.Series{{Name: "theta", Offset: 7, Samples: 0}}
	f, err = FromResult(&short, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := f.Array("t_theta"); !ok || len(a.Shape) != 1 || a.Shape[0] != 0 {
		t.Errorf("t_theta of an empty output: %+v", a)
	}
	for _, ext := range formats {
		p := filepath.Join(t.TempDir(), "short"+ext)
		if err := Write(p, f); err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		if g, err := Read(p); err != nil || !slices.Equal(g.Arrays[1].Shape, []int{2, 0}) {
			t.Errorf("%s: read back %+v, %v", ext, g, err)
		}
	}
	res.Series[0].Name = "t"
	if _, err := FromResult(res, Meta{}); err == nil || !strings.Contains(err.Error(), "clash") {
		t.Errorf("output named t: %v", err)
	}
}
