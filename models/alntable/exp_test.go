package alntable

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// bigExp is exp(x) to 200 bits (Taylor series in big.Float after reduction), rounded to float64.
func bigExp(x float64) float64 {
	const prec = 300
	ln2 := new(big.Float).SetPrec(prec)
	ln2.SetString("0.69314718055994530941723212145817656807550013436025525412068000949339362196969471560586332699641868754200148102057068573368552023575813055703267075163507596193072757082837143519030703862389167347112335")
	k := math.Round(x / math.Ln2)
	r := new(big.Float).SetPrec(prec).SetFloat64(x)
	r.Sub(r, new(big.Float).SetPrec(prec).Mul(ln2, new(big.Float).SetPrec(prec).SetFloat64(k)))
	sum := new(big.Float).SetPrec(prec).SetFloat64(1)
	term := new(big.Float).SetPrec(prec).SetFloat64(1)
	for n := 1; n < 60; n++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(int64(n)))
		sum.Add(sum, term)
	}
	sum.SetMantExp(sum, int(k))
	f, _ := sum.Float64()
	return f
}

func TestExpCR(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	diffGo := 0
	for i := range 20000 {
		var x float64
		switch i % 3 {
		case 0:
			x = (rng.Float64() - 0.5) * 1380
		case 1:
			x = (rng.Float64() - 0.5) * 20
		default:
			x = (rng.Float64() - 0.5) * 1e-3
		}
		want := bigExp(x)
		if got := expCR(x); got != want {
			t.Fatalf("expCR(%v) = %v, correctly rounded %v", x, got, want)
		}
		if i%10 == 0 {
			if got := expSlow(x); got != want {
				t.Fatalf("expSlow(%v) = %v, correctly rounded %v", x, got, want)
			}
		}
		if math.Exp(x) != want {
			diffGo++
		}
	}
	t.Logf("math.Exp differed from the correctly rounded value at %d of 20000 arguments", diffGo)
	for _, x := range []float64{0, 1, -1, 709.5, -700, 1e-300, math.Inf(1), math.Inf(-1)} {
		if got, want := expCR(x), math.Exp(x); math.Abs(got-want) > 1e-15*want {
			t.Errorf("expCR(%v) = %v, math.Exp %v", x, got, want)
		}
	}
	if !math.IsNaN(expCR(math.NaN())) {
		t.Error("expCR(NaN) is not NaN")
	}
}
