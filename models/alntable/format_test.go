package alntable

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// smallTables is a 3 x 4 table with made-up values.
func smallTables() *Tables {
	t := NewTables(Linspace(-1, 1, 3), Linspace(0.5, 2, 4))
	for k := range t.R {
		t.R[k] = 0.01 * float64(k+1)
		t.V[k] = -70 + float64(k)
		t.TauMu[k] = 0.001 + float64(k)*0.01
		t.TauSigma[k] = float64(k % 2)
	}
	p := NeurolibParams()
	t.Params = &p
	t.Source = "test"
	t.Command = "neuromass precalc aln --out x.alnt"
	return t
}

func TestEncodeDecode(t *testing.T) {
	tb := smallTables()
	b, err := tb.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b, "mem")
	if err != nil {
		t.Fatal(err)
	}
	for q, v := range tb.values() {
		for k := range v {
			if math.Float64bits(got.values()[q][k]) != math.Float64bits(v[k]) {
				t.Fatalf("%s[%d]: %v, want %v", Names[q], k, got.values()[q][k], v[k])
			}
		}
	}
	if got.Command != tb.Command || got.Source != tb.Source || got.Params == nil || got.Params.C != 200 || len(got.Params.Freqs) != 4000 {
		t.Errorf("provenance lost: %+v", got)
	}
	// the file on disk, through Load's format detection
	path := filepath.Join(t.TempDir(), "t.bin") // no .alnt extension: detected by content
	if err := tb.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err != nil {
		t.Fatal(err)
	}
}

func TestDecodeCorrupt(t *testing.T) {
	good, err := smallTables().Encode()
	if err != nil {
		t.Fatal(err)
	}
	mut := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	hlen := int(binary.LittleEndian.Uint32(good[8:12]))
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "magic"},
		{"wrong magic", mut(func(b []byte) []byte { b[0] = 'X'; return b }), "magic"},
		{"future version", mut(func(b []byte) []byte { b[7] = 9; return b }), "version 9"},
		{"truncated header", good[:20], "truncated"},
		{"truncated values", good[:len(good)-100], "corrupt"},
		{"truncated checksum", good[:len(good)-5], "corrupt"},
		{"flipped checksum", mut(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }), "checksum"},
		{"changed header", mut(func(b []byte) []byte { b[12+hlen-3] ^= 0x01; return b }), ""},
		{"flipped data", mut(func(b []byte) []byte { b[12+hlen+10] ^= 0x40; return b }), ""},
		{"huge header length", mut(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 1<<30); return b }), "header"},
	}
	for _, c := range cases {
		_, err := Decode(c.b, "f.alnt")
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), "f.alnt") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q should name the file and say %q", c.name, err, c.want)
		}
	}
}

// writeNPZ writes an .npz of float64 arrays (name -> shape, values).
func writeNPZ(t *testing.T, path string, arrays map[string][]float64, shapes map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, v := range arrays {
		w, err := z.Create(name + ".npy")
		if err != nil {
			t.Fatal(err)
		}
		hdr := "{'descr': '<f8', 'fortran_order': False, 'shape': " + shapes[name] + ", }"
		for (10+len(hdr)+1)%64 != 0 {
			hdr += " "
		}
		hdr += "\n"
		w.Write([]byte("\x93NUMPY\x01\x00"))
		binary.Write(w, binary.LittleEndian, uint16(len(hdr)))
		w.Write([]byte(hdr))
		binary.Write(w, binary.LittleEndian, v)
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadForeignAndCorrupt(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good, _ := smallTables().Encode()
	other := filepath.Join(dir, "other.npz")
	writeNPZ(t, other, map[string][]float64{"x": {1, 2, 3}}, map[string]string{"x": "(3,)"})
	badShape := filepath.Join(dir, "badshape.npz")
	writeNPZ(t, badShape, map[string][]float64{
		"Irange": {0, 1}, "sigmarange": {1, 2}, "precalc_r": {1, 2, 3}, "precalc_V": {1, 2, 3, 4},
		"precalc_tau_mu": {1, 2, 3, 4}, "precalc_tau_sigma": {1, 2, 3, 4},
	}, map[string]string{"Irange": "(2,)", "sigmarange": "(2,)", "precalc_r": "(3,)", "precalc_V": "(2, 2)", "precalc_tau_mu": "(2, 2)", "precalc_tau_sigma": "(2, 2)"})
	onePoint := filepath.Join(dir, "onepoint.npz")
	writeNPZ(t, onePoint, map[string][]float64{
		"Irange": {0}, "sigmarange": {1}, "precalc_r": {1}, "precalc_V": {1}, "precalc_tau_mu": {1}, "precalc_tau_sigma": {1},
	}, map[string]string{"Irange": "(1,)", "sigmarange": "(1,)", "precalc_r": "(1, 1)", "precalc_V": "(1, 1)", "precalc_tau_mu": "(1, 1)", "precalc_tau_sigma": "(1, 1)"})
	cases := []struct{ path, want string }{
		{write("image.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")), "PNG"},
		{write("empty.alnt", nil), "empty"},
		{write("text.alnt", []byte("hello")), "not an ALN table file"},
		{write("trunc.alnt", good[:len(good)/2]), "corrupt"},
		{write("zip.npz", []byte("PK\x03\x04garbage")), "npz"},
		{other, "no Irange or mu_vals"},
		{badShape, "precalc_r has shape [3]"},
		{onePoint, "at least 2"},
		{filepath.Join(dir, "missing.alnt"), "no such file"},
	}
	for _, c := range cases {
		_, err := Load(c.path)
		if err == nil {
			t.Errorf("%s: no error", c.path)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), filepath.Base(c.path)) {
			t.Errorf("%s: error %q should name the file and say %q", filepath.Base(c.path), err, c.want)
		}
	}
}

func TestLoadNeurolib(t *testing.T) {
	ref := neurolibTables(t)
	dir := referenceDir(t)
	check := func(name string, tb *Tables) {
		t.Helper()
		if len(tb.Mu) != 350 || len(tb.Sigma) != 64 {
			t.Fatalf("%s: grid %d x %d", name, len(tb.Mu), len(tb.Sigma))
		}
		for q, key := range []string{"Irange", "sigmarange", "precalc_r", "precalc_V", "precalc_tau_mu", "precalc_tau_sigma"} {
			got := [][]float64{tb.Mu, tb.Sigma, tb.R, tb.V, tb.TauMu, tb.TauSigma}[q]
			for k, v := range ref[key] {
				if math.Float64bits(got[k]) != math.Float64bits(v) {
					t.Fatalf("%s: %s[%d] = %v, npz %v", name, key, k, got[k], v)
				}
			}
		}
		d := tb.Data()
		r := d["r_ss"]
		if r.Row.N != 350 || r.Col.N != 64 || r.Row.First != -1 || r.Row.Step != ref["Irange"][1]-ref["Irange"][0] ||
			r.Last != [2]float64{7, 5} || &r.V[0] != &tb.R[0] || d["tau_sigma_exp"] == nil || len(d) != 4 {
			t.Errorf("%s: Data() %+v", name, r.Row)
		}
	}
	tb, err := Load(filepath.Join(dir, "data", "aln_lookup_tables.npz"))
	if err != nil {
		t.Fatal(err)
	}
	check("npz", tb)
	h5 := filepath.Join(dir, "data", "quantities_cascade.h5")
	tb, err = Load(h5)
	if !cgoEnabled {
		if err == nil || !strings.Contains(err.Error(), "needs cgo") {
			t.Fatalf("HDF5 without cgo: error %v, want one saying it needs cgo", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	check("HDF5", tb)
	if tb.Params == nil || tb.Params.C != 200 || tb.Params.Vr != -70 || tb.Params.Vs != -40 || len(tb.Params.Freqs) != 4000 {
		t.Errorf("HDF5 params: %+v", tb.Params)
	}
	_ = runtime.GOOS
}
