package cpu

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuromass/neuromass/engine/eqn"
)

// TestKernelsMatchGo checks every kernel variant this build and CPU have (SIMD ones under
// GOEXPERIMENT=simd) against the plain-Go loops bit for bit, in float64 and float32, on lengths
// that exercise the vector body and the tail, with NaN, infinities, signed zeros and subnormals
// among the operands.
func TestKernelsMatchGo(t *testing.T) {
	t.Logf("variants: %v", Variants())
	for _, v := range variants {
		t.Run(v.name+"/f64", func(t *testing.T) { checkKernels(t, v.k64) })
		t.Run(v.name+"/f32", func(t *testing.T) { checkKernels(t, v.k32) })
	}
}

func checkKernels[F float](t *testing.T, k *kernels[F]) {
	g := goKernels[F]()
	r := rand.New(rand.NewPCG(1, 2))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 5e-324, -2.2e-308, 1e-40, -3e-45, 1, -1, 1e308, 3e38,
		// the flush's edges in both precisions: the smallest normal numbers and the largest subnormals
		smallestNormal64, -smallestNormal64, math.Nextafter(smallestNormal64, 0), -math.Nextafter(smallestNormal64, 0),
		smallestNormal32, -smallestNormal32, float64(math.Nextafter32(smallestNormal32, 0)), -float64(math.Nextafter32(smallestNormal32, 0))}
	gen := func(n int) []F {
		v := make([]F, n)
		for i := range v {
			if r.IntN(5) == 0 {
				v[i] = F(special[r.IntN(len(special))])
			} else {
				v[i] = F(r.NormFloat64() * math.Exp(r.NormFloat64()*5))
			}
		}
		return v
	}
	same := func(x, y F) bool {
		return math.Float64bits(float64(x)) == math.Float64bits(float64(y)) || x != x && y != y
	}
	check := func(what string, n int, d1, d2 []F) {
		t.Helper()
		for l := range d1 {
			if !same(d1[l], d2[l]) {
				t.Fatalf("%s n=%d lane %d: %v, plain Go %v", what, n, l, d1[l], d2[l])
			}
		}
	}
	type vv func(d, a, b []F)
	type sv func(d []F, x F, b []F)
	type vs func(d, a []F, y F)
	cases := []struct {
		name     string
		vv, vvGo vv
		sv, svGo sv
		vs, vsGo vs
	}{
		{"add", k.addVV, g.addVV, k.addSV, g.addSV, k.addVS, g.addVS},
		{"sub", k.subVV, g.subVV, k.subSV, g.subSV, k.subVS, g.subVS},
		{"mul", k.mulVV, g.mulVV, k.mulSV, g.mulSV, k.mulVS, g.mulVS},
		{"div", k.divVV, g.divVV, k.divSV, g.divSV, k.divVS, g.divVS},
	}
	for _, n := range []int{1, 3, 4, 7, 8, 9, 16, 17, 31, 32, 33, 80, 1000} {
		a, b, c := gen(n), gen(n), gen(n)
		x, y := a[0], b[n-1]
		for _, cs := range cases {
			d1, d2 := make([]F, n), make([]F, n)
			cs.vv(d1, a, b)
			cs.vvGo(d2, a, b)
			check(cs.name+" vv", n, d1, d2)
			cs.sv(d1, x, b)
			cs.svGo(d2, x, b)
			check(cs.name+" sv", n, d1, d2)
			cs.vs(d1, a, y)
			cs.vsGo(d2, a, y)
			check(cs.name+" vs", n, d1, d2)
		}
		d1, d2 := make([]F, n), make([]F, n)
		k.sqrtV(d1, a)
		g.sqrtV(d2, a)
		check("sqrt", n, d1, d2)
		// comparisons and select, with NaN, infinities and both zeros among the values (b against
		// itself too: equal lanes)
		for _, cmp := range []struct {
			name   string
			k1, k2 func(d, a, b []F)
		}{{"lt", k.ltVV, g.ltVV}, {"le", k.leVV, g.leVV}, {"gt", k.gtVV, g.gtVV}, {"ge", k.geVV, g.geVV}} {
			for _, y := range [][]F{b, a} {
				cmp.k1(d1, a, y)
				cmp.k2(d2, a, y)
				check(cmp.name, n, d1, d2)
			}
		}
		k.fill(d1, x)
		g.fill(d2, x)
		check("fill", n, d1, d2)
		k.selVVV(d1, a, b, c)
		g.selVVV(d2, a, b, c)
		check("select", n, d1, d2)
		acc := func(f1, f2 func(d []F)) {
			copy(d1, c)
			copy(d2, c)
			f1(d1)
			f2(d2)
		}
		acc(func(d []F) { k.accW(d, x, a) }, func(d []F) { g.accW(d, x, a) })
		check("accW", n, d1, d2)
		acc(func(d []F) { k.accWV(d, b, a) }, func(d []F) { g.accWV(d, b, a) })
		check("accWV", n, d1, d2)
		acc(func(d []F) { k.accWD(d, x, a, b) }, func(d []F) { g.accWD(d, x, a, b) })
		check("accWD", n, d1, d2)
		acc(func(d []F) { k.accWVD(d, c, a, b) }, func(d []F) { g.accWVD(d, c, a, b) })
		check("accWVD", n, d1, d2)
		copy(d1, a)
		copy(d2, a)
		k.flush(d1, d1)
		g.flush(d2, d2)
		check("flush", n, d1, d2)
		// into another slice (the commit's copy and flush in one pass): the same values
		d3 := make([]F, n)
		k.flush(d3, a)
		check("flush into", n, d3, d2)
		for l, x := range d2 {
			if x != 0 && math.Abs(float64(x)) < math.Abs(float64(F(smallestNormal32))) && elemSize[F]() == 4 ||
				x != 0 && math.Abs(float64(x)) < smallestNormal64 {
				t.Fatalf("flush n=%d lane %d: %v is subnormal", n, l, x)
			}
			if a[l] != a[l] && x == x || a[l] == 0 && math.Signbit(float64(a[l])) != math.Signbit(float64(x)) {
				t.Fatalf("flush n=%d lane %d: %v became %v", n, l, a[l], x)
			}
		}
		for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			for _, at := range []int{0, n / 2, n - 1} {
				copy(d1, a)
				for l := range d1 {
					if d1[l]-d1[l] != 0 {
						d1[l] = 1
					}
				}
				if !k.finite(d1) || !g.finite(d1) {
					t.Fatalf("finite n=%d: false for finite values", n)
				}
				// the flush kernels say the same (the commit's divergence test)
				if !k.flush(d2, d1) || !g.flush(d2, d1) {
					t.Fatalf("flush n=%d: not finite for finite values", n)
				}
				d1[at] = F(bad)
				if k.finite(d1) || g.finite(d1) {
					t.Fatalf("finite n=%d: true with %v at %d", n, bad, at)
				}
				if k.flush(d2, d1) || g.flush(d2, d1) {
					t.Fatalf("flush n=%d: finite with %v at %d", n, bad, at)
				}
			}
		}
		// a target's sum over 5 sources at offsets into a buffer of 6 columns of n members
		buf, w := gen(6*n+3), gen(5)
		off := []int32{int32(2 * n), 0, int32(5 * n), int32(n), int32(3 * n)}
		acc(func(d []F) { k.rowW(d, w, buf, off, 3) }, func(d []F) { g.rowW(d, w, buf, off, 3) })
		check("rowW", n, d1, d2)
		acc(func(d []F) { k.rowWD(d, w, buf, off, 3, c) }, func(d []F) { g.rowWD(d, w, buf, off, 3, c) })
		check("rowWD", n, d1, d2)
		// rowW is the accumulation of accW over the sources in order, from +0
		want := make([]F, n)
		for j := range w {
			g.accW(want, w[j], buf[3+int(off[j]):])
		}
		g.rowW(d1, w, buf, off, 3)
		check("rowW against accW", n, d1, want)
		// two weighted sums in one pass (rowWW) against two rowW
		{
			w2 := gen(5)
			got2, ref2 := make([]F, n), make([]F, n)
			k.rowWW(d1, got2, w, w2, buf, off, 3)
			g.rowW(d2, w, buf, off, 3)
			g.rowW(ref2, w2, buf, off, 3)
			check("rowWW first", n, d1, d2)
			check("rowWW second", n, got2, ref2)
		}
		// T consecutive targets at once (rowWT, rowWDT) against the plain-Go sums target by target:
		// four targets of one vector of members, two of two vectors, and every other shape
		for _, T := range []int{2, 4} {
			wT, yT := gen(5*T), gen(T*n)
			offT := make([]int32, 5*T)
			for q := range offT {
				offT[q] = int32((q*7 + 3) % 6 * n)
			}
			got, ref := make([]F, T*n), make([]F, T*n)
			k.rowWT(got, wT, buf, offT, 3, T)
			for tg := range T {
				g.rowW(ref[tg*n:(tg+1)*n], wT[tg*5:(tg+1)*5], buf, offT[tg*5:(tg+1)*5], 3)
			}
			check(fmt.Sprintf("rowWT T=%d", T), n, got, ref)
			k.rowWDT(got, wT, buf, offT, 3, T, yT)
			for tg := range T {
				g.rowWD(ref[tg*n:(tg+1)*n], wT[tg*5:(tg+1)*5], buf, offT[tg*5:(tg+1)*5], 3, yT[tg*n:(tg+1)*n])
			}
			check(fmt.Sprintf("rowWDT T=%d", T), n, got, ref)
		}
	}
}

// TestLookupMatchesEqn checks the placed, shared-position table lookup against eqn's definition
// bit for bit, inside, outside and on the edges of the grid, and with NaN arguments.
func TestLookupMatchesEqn(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	tb := &eqn.TableData{Row: eqn.Axis{First: -1, Step: 0.022922636103151817, N: 350},
		Col: eqn.Axis{First: 0.5, Step: 0.0714285714285714, N: 64}}
	tb.Last = [2]float64{7, 5}
	tb.V = make([]float64, 350*64)
	for i := range tb.V {
		tb.V[i] = r.NormFloat64()
	}
	n := 4000
	y, x := make([]float64, n), make([]float64, n)
	for l := range y {
		y[l] = -2 + 10*r.Float64()
		x[l] = 6 * r.Float64()
		switch l % 50 {
		case 0:
			y[l] = 7
		case 1:
			x[l] = 5
		case 2:
			y[l] = math.NaN()
		case 3:
			y[l] = tb.Row.First + 349*tb.Row.Step // rounding may land on the last point
		case 4:
			x[l] = math.Inf(1)
		}
	}
	// a second and third table on the same grid, interpolated in the same pass (ALN's r_ss,
	// tau_mu_exp and V_mean_ss share one placement), and a group of four (the general loop)
	others := make([]*eqn.TableData, 3)
	for k := range others {
		o := *tb
		o.V = make([]float64, len(tb.V))
		for i := range o.V {
			o.V[i] = r.NormFloat64() * float64(k+2)
		}
		others[k] = &o
	}
	for k, group := range [][]*eqn.TableData{nil, others[:2], others} {
		p := newTablePos[float64](n)
		// every variant's axis kernel in turn (nil: the plain-Go placement)
		p.place(variants[k%len(variants)].k64, newTable[float64](tb), y, x, 0, n)
		d := make([]float64, n)
		var more []fusedLookup[float64]
		for _, o := range group {
			more = append(more, fusedLookup[float64]{t: newTable[float64](o), d: make([]float64, n)})
		}
		p.interp(newTable[float64](tb), d, more, 0)
		check := func(tab *eqn.TableData, got []float64) {
			for l := range got {
				want := tab.LookupOp(eqn.OpLookup, y[l], x[l])
				if math.Float64bits(got[l]) != math.Float64bits(want) && !(got[l] != got[l] && want != want) {
					t.Fatalf("group of %d: lookup at (%v, %v): %v, eqn %v", len(group)+1, y[l], x[l], got[l], want)
				}
			}
		}
		check(tb, d)
		for k, f := range more {
			check(group[k], f.d)
		}
	}
}
