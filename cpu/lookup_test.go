package cpu

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/internal/testref"
)

// lookupGrids are the tables of the lookup tests: ALN's (four on one grid) and small synthetic
// grids (one point, one row, one column, 2 x 2, and a rectangular one with a negative first
// point), each with eight further tables of random values on its grid, interpolated at the
// same placement.
func lookupGrids(t *testing.T) [][]*eqn.TableData {
	r := rand.New(rand.NewPCG(7, 8))
	aln := testref.ALNTables(t)
	var out [][]*eqn.TableData
	group := []*eqn.TableData{aln["r_ss"], aln["tau_mu_exp"], aln["V_mean_ss"], aln["tau_sigma_exp"]}
	for _, g := range group[1:] {
		if g.Row != group[0].Row || g.Col != group[0].Col || g.Last != group[0].Last {
			t.Fatal("ALN's tables are expected on one grid")
		}
	}
	out = append(out, group)
	for _, sz := range [][2]int{{1, 1}, {1, 7}, {7, 1}, {2, 2}, {5, 9}} {
		row := eqn.Axis{First: -1.5, Step: 0.25, N: sz[0]}
		col := eqn.Axis{First: 0.1, Step: 0.3, N: sz[1]}
		base := eqn.TableData{Row: row, Col: col,
			Last: [2]float64{row.First + float64(row.N-1)*row.Step, col.First + float64(col.N-1)*col.Step}}
		var g []*eqn.TableData
		for range 9 {
			tb := base
			tb.V = make([]float64, row.N*col.N)
			for i := range tb.V {
				tb.V[i] = r.NormFloat64() * 10
			}
			g = append(g, &tb)
		}
		out = append(out, g)
	}
	// a last point far beyond the grid's (a grid gridSane rejects: placements in plain Go, whose
	// indices clamp at n-2 with fraction 1)
	wide := eqn.TableData{Row: eqn.Axis{First: 0, Step: 1, N: 3}, Col: eqn.Axis{First: -2, Step: 0.5, N: 4}, Last: [2]float64{1e12, 1e12}}
	var wg []*eqn.TableData
	for range 2 {
		tb := wide
		tb.V = make([]float64, 12)
		for i := range tb.V {
			tb.V[i] = r.NormFloat64()
		}
		wg = append(wg, &tb)
	}
	out = append(out, wg)
	// ALN's grid with random tables, for groups larger than ALN's four
	for range 5 {
		tb := *group[0]
		tb.V = make([]float64, len(tb.V))
		for i := range tb.V {
			tb.V[i] = r.NormFloat64()
		}
		out[0] = append(out[0], &tb)
	}
	return out
}

// axisPoints returns n values on an axis (first, step, N points, last): half of them random over
// the grid and 20% beyond each end, the others special: below the first point, exactly on grid
// points (the last two among them), just below the last point, the last point, beyond it,
// infinities and NaN.
func axisPoints(r *rand.Rand, a eqn.Axis, last float64, n int) []float64 {
	span := last - a.First
	if span == 0 {
		span = 1
	}
	special := []float64{a.First - a.Step, a.First, last, math.Nextafter(last, math.Inf(-1)), last + a.Step,
		math.Inf(1), math.Inf(-1), math.NaN(), a.First + float64(max(a.N-2, 0))*a.Step,
		math.Nextafter(a.First, math.Inf(-1)), a.First + 0.5*a.Step}
	v := make([]float64, n)
	for l := range v {
		switch {
		case r.IntN(2) == 0:
			v[l] = a.First - 0.2*span + 1.4*span*r.Float64()
		case r.IntN(3) == 0:
			v[l] = a.First + float64(r.IntN(a.N))*a.Step
		default:
			v[l] = special[r.IntN(len(special))]
		}
	}
	return v
}

// TestLookupVariantsMatchGo checks every variant's placement and interpolation (the AVX-512
// gathers, the archsimd placements, plain Go) against the plain-Go placement and sums bit for
// bit, NaN results included, for n = 1 .. 40 lanes at several offsets, scalar arguments, and
// groups of 1 to 9 tables at a placement; in float64 also against eqn's lookup, the definition.
func TestLookupVariantsMatchGo(t *testing.T) {
	grids := lookupGrids(t)
	for _, v := range variants {
		t.Run(v.name+"/f64", func(t *testing.T) { checkLookups(t, v.k64, grids, true) })
		t.Run(v.name+"/f32", func(t *testing.T) { checkLookups(t, v.k32, grids, false) })
	}
}

func checkLookups[F float](t *testing.T, k *kernels[F], grids [][]*eqn.TableData, eqnRef bool) {
	r := rand.New(rand.NewPCG(1, 2))
	const L = 48
	for gi, g := range grids {
		tabs := make([]*table[F], len(g))
		for i, tb := range g {
			tabs[i] = newTable[F](tb)
		}
		for rep := range 3 {
			y64, x64 := axisPoints(r, g[0].Row, g[0].Last[0], L), axisPoints(r, g[0].Col, g[0].Last[1], L)
			y, x := make([]F, L), make([]F, L)
			for l := range L {
				y[l], x[l] = F(y64[l]), F(x64[l])
			}
			for n := 1; n <= 40; n++ {
				for _, lo := range []int{0, 1, 3, 8} {
					if lo+n > L {
						continue
					}
					// full-lane arguments, then a scalar row or column argument
					for form := range 3 {
						ya, xa := y[lo:lo+n], x[lo:lo+n]
						switch form {
						case 1:
							ya = y[lo : lo+1]
						case 2:
							xa = x[lo : lo+1]
						}
						where := fmt.Sprintf("grid %d (%dx%d) rep %d n %d lo %d form %d", gi, g[0].Row.N, g[0].Col.N, rep, n, lo, form)
						checkLookupAt(t, k, g, tabs, ya, xa, lo, n, where, eqnRef)
					}
				}
			}
		}
	}
}

// checkLookupAt places (ya, xa) at lanes lo .. lo+n-1 with k and with plain Go, compares the
// placements, and interpolates groups of 1 .. len(g) tables at both.
func checkLookupAt[F float](t *testing.T, k *kernels[F], g []*eqn.TableData, tabs []*table[F], ya, xa []F, lo, n int, where string, eqnRef bool) {
	t.Helper()
	L := lo + n + 5
	got, want := newTablePos[F](L), newTablePos[F](L)
	// stale values in the lanes around: a kernel must write its own lanes only
	for l := range L {
		got.base[l], got.fx[l], want.base[l], want.fx[l] = -7, 3, -7, 3
	}
	got.place(k, tabs[0], ya, xa, lo, n)
	want.place(nil, tabs[0], ya, xa, lo, n)
	if !slices.Equal(got.base, want.base) || !slices.Equal(got.dx, want.dx) || !slices.Equal(got.dy, want.dy) ||
		!sameBits(got.fy, want.fy) || !sameBits(got.fx, want.fx) || !slices.Equal(got.nan, want.nan) {
		t.Fatalf("%s: placement\ngot  base %v dx %v dy %v fy %v fx %v nan %v\nwant base %v dx %v dy %v fy %v fx %v nan %v", where,
			got.base, got.dx, got.dy, got.fy, got.fx, got.nan, want.base, want.dx, want.dy, want.fy, want.fx, want.nan)
	}
	for _, size := range []int{1, 2, 3, 4, len(g)} {
		if size > len(g) {
			continue
		}
		run := func(p *tablePos[F]) [][]F {
			out := make([][]F, size)
			for i := range out {
				out[i] = make([]F, L)
				for l := range out[i] {
					out[i][l] = -99 // lanes outside lo .. lo+n-1 must stay
				}
			}
			var more []fusedLookup[F]
			for i := 1; i < size; i++ {
				more = append(more, fusedLookup[F]{t: tabs[i], d: out[i]})
			}
			p.interp(tabs[0], out[0][lo:lo+n], more, lo)
			return out
		}
		g1, w1 := run(got), run(want)
		for i := range g1 {
			if !sameBits(g1[i], w1[i]) {
				t.Fatalf("%s: table %d of %d: got %v, want %v", where, i, size, g1[i], w1[i])
			}
		}
		if !eqnRef {
			continue
		}
		for i := range w1 {
			for l := lo; l < lo+n; l++ {
				e := g[i].LookupOp(eqn.OpLookup, float64(pick(ya, l-lo)), float64(pick(xa, l-lo)))
				if math.Float64bits(float64(w1[i][l])) != math.Float64bits(e) {
					t.Fatalf("%s: table %d lane %d at (%v, %v): %v, eqn %v", where, i, l, pick(ya, l-lo), pick(xa, l-lo), w1[i][l], e)
				}
			}
		}
	}
}

// sameBits says whether a and b hold the same bits.
func sameBits[F float](a, b []F) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(float64(a[i])) != math.Float64bits(float64(b[i])) {
			return false
		}
	}
	return true
}

// TestLookupKernelsRegistered checks that the SIMD variants received their lookup kernels (their
// init must run after the variants are registered), and that a placement and interpolation of 16
// lanes with them allocate nothing.
func TestLookupKernelsRegistered(t *testing.T) {
	for _, v := range variants {
		want := v.name != "generic"
		if (v.k64.place != nil) != want || (v.k32.place != nil) != want {
			t.Errorf("%s: place kernels registered: %v %v, want %v", v.name, v.k64.place != nil, v.k32.place != nil, want)
		}
		if want := v.name == "avx512"; (v.k64.interp != nil) != want || (v.k32.interp != nil) != want {
			t.Errorf("%s: interp kernels registered: %v %v, want %v", v.name, v.k64.interp != nil, v.k32.interp != nil, want)
		}
		tb := newTable[float32](&eqn.TableData{Row: eqn.Axis{First: 0, Step: 1, N: 4}, Col: eqn.Axis{First: 0, Step: 1, N: 4},
			Last: [2]float64{3, 3}, V: make([]float64, 16)})
		p := newTablePos[float32](16)
		y, x, d1, d2, d3 := make([]float32, 16), make([]float32, 16), make([]float32, 16), make([]float32, 16), make([]float32, 16)
		more := []fusedLookup[float32]{{t: tb, d: d2}, {t: tb, d: d3}}
		if a := testing.AllocsPerRun(10, func() {
			p.place(v.k32, tb, y, x, 0, 16)
			p.interp(tb, d1, more, 0)
		}); a != 0 {
			t.Errorf("%s: %v allocations per placement and interpolation", v.name, a)
		}
	}
}

// TestGridSane checks which grids the vector placements and gathers accept: ALN's in both
// precisions, not one whose step is 0 in float32 or whose last point lies 2^30 steps out.
func TestGridSane(t *testing.T) {
	aln := testref.ALNTables(t)["r_ss"]
	tiny := eqn.TableData{Row: eqn.Axis{First: 0, Step: 1e-50, N: 3}, Col: eqn.Axis{First: 0, Step: 1, N: 3},
		Last: [2]float64{2e-50, 2}, V: make([]float64, 9)}
	wide := eqn.TableData{Row: eqn.Axis{First: 0, Step: 1, N: 3}, Col: eqn.Axis{First: 0, Step: 1, N: 3},
		Last: [2]float64{2, 1e12}, V: make([]float64, 9)}
	for _, c := range []struct {
		name     string
		tb       *eqn.TableData
		s32, s64 bool
	}{{"aln", aln, true, true}, {"step 1e-50", &tiny, false, true}, {"last 1e12", &wide, false, false}} {
		if g32, g64 := newTable[float32](c.tb).sane, newTable[float64](c.tb).sane; g32 != c.s32 || g64 != c.s64 {
			t.Errorf("%s: sane %v (float32), %v (float64), want %v, %v", c.name, g32, g64, c.s32, c.s64)
		}
	}
	// an insane grid's placement takes the gathers off its tablePos for good
	p := newTablePos[float32](16)
	p.place(variants[0].k32, newTable[float32](&tiny), make([]float32, 16), make([]float32, 16), 0, 16)
	if p.cells != math.MaxInt {
		t.Errorf("cells after a placement on an insane grid: %d", p.cells)
	}
}
