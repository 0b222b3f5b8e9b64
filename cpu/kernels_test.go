package cpu

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neuromass/neuromass/engine/eqn"
)

// TestKernelsMatchGo checks the kernels in use (SIMD ones under GOEXPERIMENT=simd) against the
// plain-Go loops bit for bit, on lengths that exercise the vector body and the tail, with NaN,
// infinities, signed zeros and subnormals among the operands.
func TestKernelsMatchGo(t *testing.T) {
	t.Logf("kernels: %s", Kernels())
	r := rand.New(rand.NewPCG(1, 2))
	special := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 5e-324, -2.2e-308, 1, -1, 1e308}
	gen := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			if r.IntN(5) == 0 {
				v[i] = special[r.IntN(len(special))]
			} else {
				v[i] = r.NormFloat64() * math.Exp(r.NormFloat64()*5)
			}
		}
		return v
	}
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) || x != x && y != y }
	type vv func(d, a, b []float64)
	type sv func(d []float64, x float64, b []float64)
	type vs func(d, a []float64, y float64)
	cases := []struct {
		name     string
		vv, vvGo vv
		sv, svGo sv
		vs, vsGo vs
	}{
		{"add", addVV, addVVGo, addSV, addSVGo, addVS, addVSGo},
		{"sub", subVV, subVVGo, subSV, subSVGo, subVS, subVSGo},
		{"mul", mulVV, mulVVGo, mulSV, mulSVGo, mulVS, mulVSGo},
		{"div", divVV, divVVGo, divSV, divSVGo, divVS, divVSGo},
	}
	for _, n := range []int{1, 3, 4, 7, 8, 9, 16, 31, 80, 1000} {
		a, b := gen(n), gen(n)
		x, y := a[0], b[n-1]
		for _, c := range cases {
			d1, d2 := make([]float64, n), make([]float64, n)
			c.vv(d1, a, b)
			c.vvGo(d2, a, b)
			for l := range d1 {
				if !same(d1[l], d2[l]) {
					t.Fatalf("%s vv n=%d lane %d: %v, plain Go %v", c.name, n, l, d1[l], d2[l])
				}
			}
			c.sv(d1, x, b)
			c.svGo(d2, x, b)
			for l := range d1 {
				if !same(d1[l], d2[l]) {
					t.Fatalf("%s sv n=%d lane %d: %v, plain Go %v", c.name, n, l, d1[l], d2[l])
				}
			}
			c.vs(d1, a, y)
			c.vsGo(d2, a, y)
			for l := range d1 {
				if !same(d1[l], d2[l]) {
					t.Fatalf("%s vs n=%d lane %d: %v, plain Go %v", c.name, n, l, d1[l], d2[l])
				}
			}
		}
		d1, d2 := make([]float64, n), make([]float64, n)
		sqrtV(d1, a)
		sqrtVGo(d2, a)
		for l := range d1 {
			if !same(d1[l], d2[l]) {
				t.Fatalf("sqrt n=%d lane %d: %v, plain Go %v", n, l, d1[l], d2[l])
			}
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
	for _, group := range [][]*eqn.TableData{nil, others[:2], others} {
		p := newTablePos(n)
		p.place(tb, y, x, n)
		d := make([]float64, n)
		var more []fusedLookup
		for _, o := range group {
			more = append(more, fusedLookup{t: o, d: make([]float64, n)})
		}
		p.interp(tb, d, more)
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
