package rng

import (
	"math"
	"sort"
	"testing"
)

// The GLSL port copies these constants from doc.go; this pins that the Go constants are exactly the
// documented encodings (decimal literal and hex must agree, which also catches a mistyped digit in
// the fdlibm coefficients).
func TestConstants(t *testing.T) {
	for _, c := range []struct {
		name string
		v    float64
		bits uint64
	}{
		{"ln2Hi64", ln2Hi64, 0x3FE62E42FEE00000}, {"ln2Lo64", ln2Lo64, 0x3DEA39EF35793C76},
		{"lg1", lg1, 0x3FE5555555555593}, {"lg2", lg2, 0x3FD999999997FA04}, {"lg3", lg3, 0x3FD2492494229359},
		{"lg4", lg4, 0x3FCC71C51D8E78AF}, {"lg5", lg5, 0x3FC7466496CB03DE}, {"lg6", lg6, 0x3FC39A09D078C69F},
		{"lg7", lg7, 0x3FC2F112DF3E5244}, {"sqrt2", sqrt2, 0x3FF6A09E667F3BCD}, {"halfPi", halfPi, 0x3FF921FB54442D18}, {"sqrt2Frac", math.Float64frombits(sqrt2Frac | 0x3FF<<52), 0x3FF6A09E667F3BCD},
		{"sinS1", sinS1, 0xBFC5555555555549}, {"sinS2", sinS2, 0x3F8111111110F8A6}, {"sinS3", sinS3, 0xBF2A01A019C161D5},
		{"sinS4", sinS4, 0x3EC71DE357B1FE7D}, {"sinS5", sinS5, 0xBE5AE5E68A2B9CEB}, {"sinS6", sinS6, 0x3DE5D93A5ACFD57C},
		{"cosC1", cosC1, 0x3FA555555555554C}, {"cosC2", cosC2, 0xBF56C16C16C15177}, {"cosC3", cosC3, 0x3EFA01A019CB1590},
		{"cosC4", cosC4, 0xBE927E4F809C52AD}, {"cosC5", cosC5, 0x3E21EE9EBDB4B1C4}, {"cosC6", cosC6, 0xBDA8FAE9BE8838D4},
	} {
		if got := math.Float64bits(c.v); got != c.bits {
			t.Errorf("%s: bits %016X, documented %016X", c.name, got, c.bits)
		}
	}
	for _, c := range []struct {
		name string
		v    float32
		bits uint32
	}{
		{"ln2Hi32", ln2Hi32, 0x3F317180}, {"ln2Lo32", ln2Lo32, 0x3717F7D2},
		{"lg1f", lg1f, 0x3F2AAAAB}, {"lg2f", lg2f, 0x3ECCCCCD}, {"lg3f", lg3f, 0x3E924925}, {"lg4f", lg4f, 0x3E638E29},
		{"lg5f", lg5f, 0x3E3A3325}, {"lg6f", lg6f, 0x3E1CD04F}, {"lg7f", lg7f, 0x3E178897},
		{"sqrt2f", sqrt2f, 0x3FB504F3}, {"sqrt2Frac32", math.Float32frombits(sqrt2Frac32 | 0x7F<<23), 0x3FB504F3}, {"halfPif", halfPif, 0x3FC90FDB},
		{"sinS1f", sinS1f, 0xBE2AAAAB}, {"sinS2f", sinS2f, 0x3C088889}, {"sinS3f", sinS3f, 0xB9500D01},
		{"sinS4f", sinS4f, 0x3638EF1B}, {"sinS5f", sinS5f, 0xB2D72F34}, {"sinS6f", sinS6f, 0x2F2EC9D3},
		{"cosC1f", cosC1f, 0x3D2AAAAB}, {"cosC2f", cosC2f, 0xBAB60B61}, {"cosC3f", cosC3f, 0x37D00D01},
		{"cosC4f", cosC4f, 0xB493F27C}, {"cosC5f", cosC5f, 0x310F74F6}, {"cosC6f", cosC6f, 0xAD47D74E},
	} {
		if got := math.Float32bits(c.v); got != c.bits {
			t.Errorf("%s: bits %08X, documented %08X", c.name, got, c.bits)
		}
	}
}

// log64 against math.Log over the arguments Normal64 produces, (K+1)*2^-53, spread over every
// binade. Bound 2 ULP: both are fdlibm-class logarithms with error < 1 ULP each, so they can be at
// most 2 apart (measured maximum: 1).
func TestLog64Accuracy(t *testing.T) {
	r := NewMT19937(3)
	check := func(x float64) {
		if d := ulpDist64(log64(x), math.Log(x)); d > 2 {
			t.Fatalf("log64(%v) = %v, math.Log = %v: %d ULP", x, log64(x), math.Log(x), d)
		}
	}
	for _, x := range []float64{1, 0x1p-53, 0.5, 1 - 0x1p-53, sqrt2 / 2, math.Nextafter(sqrt2/2, 0), 0.75, 0x1p-52 + 0x1p-53} {
		check(x)
	}
	for i := 0; i < 1000000; i++ {
		k := uint64(r.Uint32()>>5)<<26 | uint64(r.Uint32()>>6)
		check(float64((k>>(r.Uint32()%53))+1) * 0x1p-53)
	}
	if log64(1) != 0 || math.Signbit(log64(1)) {
		t.Fatalf("log64(1) = %v, want +0", log64(1))
	}
}

// log32 on every argument Normal32 can produce (all 2^24). Bound 1 ULP of float32 against
// float32(math.Log): exhaustive, so this is the exact maximum, not an estimate.
func TestLog32Exhaustive(t *testing.T) {
	if testing.Short() {
		t.Skip("2^24 evaluations")
	}
	for k := uint32(0); k < 1<<24; k++ {
		x := float32(k+1) * 0x1p-24
		if d := ulpDist32(log32(x), float32(math.Log(float64(x)))); d > 1 {
			t.Fatalf("log32(%v) = %v, want %v: %d ULP", x, log32(x), float32(math.Log(float64(x))), d)
		}
	}
}

// cos(2*pi*u2) in float64 against a double-double reference (helpers_test.go). Bound 3 ULP: kernel
// about 1 ULP, the rounding of r*pi/2 half an ULP, and the reference's own math.Sincos about 1 ULP
// (measured maximum: 2).
func TestCos64Accuracy(t *testing.T) {
	r := NewMT19937(4)
	check := func(hi, lo uint32) {
		if got, ref := cos64AndRef(hi, lo); ulpDist64(got, ref) > 3 {
			t.Fatalf("u2 words %d,%d: %v vs %v (%d ULP)", hi, lo, got, ref, ulpDist64(got, ref))
		}
	}
	// Quadrant edges and the largest |r|.
	for _, hi := range []uint32{0, 1, 1<<24 - 1, 1 << 24, 1<<25 - 1, 1 << 25, 3 << 24, 1<<27 - 1} {
		check(hi, 0)
		check(hi, 1<<26-1)
	}
	for i := 0; i < 1000000; i++ {
		check(r.Uint32()>>5, r.Uint32()>>6)
	}
	// Exact angles come out exact: u2 = 0, 1/4, 1/2, 3/4.
	for q, want := range []float64{1, 0, -1, 0} {
		if got, _ := cos64AndRef(uint32(q)<<25, 0); got != want {
			t.Errorf("cos(2 pi %d/4) = %v, want %v", q, got, want)
		}
	}
}

// cos(2*pi*u2) in float32 on all 2^24 values of u2, against the float64 reference rounded to
// float32. Exhaustive: 2 ULP is the measured exact maximum (kernel rounding plus the rounding of
// r*pi/2 in float32).
func TestCos32Exhaustive(t *testing.T) {
	if testing.Short() {
		t.Skip("2^24 evaluations")
	}
	for k := uint32(0); k < 1<<24; k++ {
		n := (k + 1<<21) >> 22
		r := float32(k)*0x1p-22 - float32(n)
		got := cosQuarterTurns32(n&3, r)
		want := float32(cosQuarterTurnsRef(n&3, float64(r)))
		if d := ulpDist32(got, want); d > 2 {
			t.Fatalf("u2 = %d*2^-24: %v vs %v (%d ULP)", k, got, want, d)
		}
	}
}

// The assembled transform against the textbook formula evaluated with the standard library on the
// same uniforms. Bound 6 ULP of the result, the sum of both sides' budgets: ours log (1 ULP, halved
// by sqrt), sqrt (0.5), cos (2), product (0.5); the reference's math.Log (halved, 0.5), sqrt (0.5),
// product (0.5) (measured maxima, printed by -v: 4 for float64, 3 for float32).
func TestNormalMatchesFormula(t *testing.T) {
	var max64, max32 int64
	for i := uint32(0); i < 200000; i++ {
		w := Philox4x32([4]uint32{i, 0, 7, 9}, [2]uint32{1, 2})
		u1 := (float64(w[0]>>5)*0x1p26 + float64(w[1]>>6+1)) * 0x1p-53
		_, c := cos64AndRef(w[2]>>5, w[3]>>6)
		ref := math.Sqrt(-2*math.Log(u1)) * c
		if d := ulpDist64(normalFromWords64(w), ref); d > max64 {
			max64 = d
		}
		u1f := float64(w[0]>>8+1) * 0x1p-24
		k := w[2] >> 8
		n := (k + 1<<21) >> 22
		ref32 := float32(math.Sqrt(-2*math.Log(u1f)) * cosQuarterTurnsRef(n&3, float64(k)*0x1p-22-float64(n)))
		if d := ulpDist32(normalFromWords32(w), ref32); d > max32 {
			max32 = d
		}
	}
	t.Logf("max distance from the formula: float64 %d ULP, float32 %d ULP", max64, max32)
	if max64 > 6 || max32 > 6 {
		t.Fatalf("float64 %d ULP, float32 %d ULP; bound 6", max64, max32)
	}
}

// Extremes of the transform: u1 = 1 gives a zero (never NaN, +0 under the square root), u1 = 2^-53
// gives the largest magnitude sqrt(106 ln 2) = 8.57 (float32: sqrt(48 ln 2) = 5.77).
func TestNormalExtremes(t *testing.T) {
	if z := normalFromWords64([4]uint32{0xffffffff, 0xffffffff, 0, 0}); z != 0 {
		t.Errorf("u1 = 1: %v", z)
	}
	if z := normalFromWords32([4]uint32{0xffffffff, 0, 0, 0}); z != 0 {
		t.Errorf("float32 u1 = 1: %v", z)
	}
	if z, want := normalFromWords64([4]uint32{0, 0, 0, 0}), math.Sqrt(106*math.Ln2); math.Abs(z-want) > 1e-15*want {
		t.Errorf("u1 = 2^-53, u2 = 0: %v, want %v", z, want)
	}
	if z, want := normalFromWords32([4]uint32{0, 0, 0, 0}), math.Sqrt(48*math.Ln2); math.Abs(float64(z)-want) > 1e-6*want {
		t.Errorf("float32 u1 = 2^-24, u2 = 0: %v, want %v", z, want)
	}
}

// moments returns mean, variance, skewness and excess kurtosis.
func moments(x []float64) (mean, variance, skew, kurt float64) {
	n := float64(len(x))
	for _, v := range x {
		mean += v
	}
	mean /= n
	var m2, m3, m4 float64
	for _, v := range x {
		d := v - mean
		m2 += d * d
		m3 += d * d * d
		m4 += d * d * d * d
	}
	m2, m3, m4 = m2/n, m3/n, m4/n
	return mean, m2, m3 / math.Pow(m2, 1.5), m4/(m2*m2) - 3
}

// checkGaussian tests n samples against N(0,1). Every bound is 5 standard errors of the statistic
// under the null hypothesis (a deterministic stream, so a pass is a fixed fact, but a real bias of
// that size would show): mean sqrt(1/n), variance sqrt(2/n), skewness sqrt(6/n), excess kurtosis
// sqrt(24/n), tail fraction P(|z| > 3) sqrt(p(1-p)/n); Kolmogorov-Smirnov D*sqrt(n) < 1.95 (the
// 0.1% critical value).
func checkGaussian(t *testing.T, name string, x []float64) {
	t.Helper()
	n := float64(len(x))
	mean, variance, skew, kurt := moments(x)
	const z = 5
	if math.Abs(mean) > z*math.Sqrt(1/n) {
		t.Errorf("%s: mean %v", name, mean)
	}
	if math.Abs(variance-1) > z*math.Sqrt(2/n) {
		t.Errorf("%s: variance %v", name, variance)
	}
	if math.Abs(skew) > z*math.Sqrt(6/n) {
		t.Errorf("%s: skewness %v", name, skew)
	}
	if math.Abs(kurt) > z*math.Sqrt(24/n) {
		t.Errorf("%s: excess kurtosis %v", name, kurt)
	}
	tail := 0
	for _, v := range x {
		if math.Abs(v) > 3 {
			tail++
		}
	}
	p := math.Erfc(3 / math.Sqrt2)
	if math.Abs(float64(tail)/n-p) > z*math.Sqrt(p*(1-p)/n) {
		t.Errorf("%s: P(|z|>3) = %v, want %v", name, float64(tail)/n, p)
	}
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	d := 0.0
	for i, v := range s {
		c := 0.5 * math.Erfc(-v/math.Sqrt2)
		d = math.Max(d, math.Max(math.Abs(c-float64(i)/n), math.Abs(float64(i+1)/n-c)))
	}
	if d*math.Sqrt(n) > 1.95 {
		t.Errorf("%s: KS D*sqrt(n) = %v", name, d*math.Sqrt(n))
	}
	t.Logf("%s: n=%d mean %.2e var-1 %.2e skew %.2e kurt %.2e KS %.2f", name, len(x), mean, variance-1, skew, kurt, d*math.Sqrt(n))
}

func TestNormalDistribution(t *testing.T) {
	n := 1 << 20
	if testing.Short() {
		n = 1 << 16
	}
	x64 := make([]float64, n)
	x32 := make([]float64, n)
	// Walk members and steps together so that the stream covers several counter words.
	for i := range x64 {
		m, s := uint32(i%1024), uint64(i/1024)
		x64[i] = Normal64(12345, m, 3, 1, s)
		x32[i] = float64(Normal32(12345, m, 3, 1, s))
	}
	checkGaussian(t, "Normal64", x64)
	checkGaussian(t, "Normal32", x32)
}

// Neighbouring keys and counters must give unrelated samples: the correlation of pairs that differ
// in one field by one (and of seed neighbours) stays within 5 standard errors, 5/sqrt(n), of zero.
func TestNormalNeighbourCorrelation(t *testing.T) {
	n := 200000
	if testing.Short() {
		n = 20000
	}
	type sample func(i int, d uint32) float64
	cases := []struct {
		name string
		f    sample
	}{
		{"member", func(i int, d uint32) float64 { return Normal64(1, uint32(i)+d, 5, 0, 100) }},
		{"node", func(i int, d uint32) float64 { return Normal64(1, 3, uint32(i)+d, 0, 100) }},
		{"variable", func(i int, d uint32) float64 { return Normal64(1, uint32(i), 5, uint8(d), 100) }},
		{"step", func(i int, d uint32) float64 { return Normal64(1, 3, 5, 0, uint64(i)+uint64(d)) }},
		{"step-high-word", func(i int, d uint32) float64 { return Normal64(1, 3, 5, 0, uint64(i)|uint64(d)<<32) }},
		{"seed", func(i int, d uint32) float64 { return Normal64(uint64(i)+uint64(d), 3, 5, 0, 100) }},
		{"seed-high-word", func(i int, d uint32) float64 { return Normal64(uint64(i)|uint64(d)<<32, 3, 5, 0, 100) }},
		{"float32-member", func(i int, d uint32) float64 { return float64(Normal32(1, uint32(i)+d, 5, 0, 100)) }},
	}
	for _, c := range cases {
		var sx, sy, sxx, syy, sxy float64
		for i := 0; i < n; i++ {
			x, y := c.f(2*i, 0), c.f(2*i, 1)
			sx += x
			sy += y
			sxx += x * x
			syy += y * y
			sxy += x * y
		}
		fn := float64(n)
		cov := sxy/fn - sx/fn*sy/fn
		rho := cov / math.Sqrt((sxx/fn-sx/fn*sx/fn)*(syy/fn-sy/fn*sy/fn))
		if math.Abs(rho) > 5/math.Sqrt(fn) {
			t.Errorf("%s neighbours: correlation %v", c.name, rho)
		}
	}
}

func TestFillNormal(t *testing.T) {
	const seed, node, variable, step = 0xdeadbeefcafe, 77, 3, 123456789012
	d64 := make([]float64, 1003) // not a multiple of the lane count: exercises the tail
	d32 := make([]float32, 1003)
	member0 := uint32(math.MaxUint32 - 500) // crosses the documented uint32 wrap-around
	FillNormal64(d64, seed, member0, node, variable, step)
	FillNormal32(d32, seed, member0, node, variable, step)
	for i := range d64 {
		m := member0 + uint32(i)
		if want := Normal64(seed, m, node, variable, step); d64[i] != want {
			t.Fatalf("FillNormal64[%d] = %v, want %v", i, d64[i], want)
		}
		if want := Normal32(seed, m, node, variable, step); d32[i] != want {
			t.Fatalf("FillNormal32[%d] = %v, want %v", i, d32[i], want)
		}
	}
}

// Regression pins: bits this Go implementation produced (amd64, Go 1.26) when the stream was
// defined. They are not independent references; they freeze the stream so that a change to the
// algorithm shows, and they are the fixtures the GLSL port must reproduce bit for bit.
func TestNormalPins(t *testing.T) {
	for _, c := range normalPins {
		if got := math.Float64bits(Normal64(c.seed, c.member, c.node, c.variable, c.step)); got != c.bits64 {
			t.Errorf("Normal64%v: %016X (%v), pinned %016X (%v)", c, got, math.Float64frombits(got), c.bits64, math.Float64frombits(c.bits64))
		}
		if got := math.Float32bits(Normal32(c.seed, c.member, c.node, c.variable, c.step)); got != c.bits32 {
			t.Errorf("Normal32%v: %08X (%v), pinned %08X (%v)", c, got, math.Float32frombits(got), c.bits32, math.Float32frombits(c.bits32))
		}
	}
}

// The four-lane transform behind the fill functions must be the scalar transform, bit for bit, on
// arbitrary words and on the edge words (u1 = 1, smallest u1, every quadrant edge).
func TestFillLanesMatchScalar(t *testing.T) {
	r := NewMT19937(11)
	edges := [][4]uint32{
		{0xffffffff, 0xffffffff, 0, 0}, {0, 0, 0, 0}, {0, 0, 0xffffffff, 0xffffffff},
		{1 << 31, 0, 1 << 30, 0}, {5, 7, 1 << 31, 0}, {9, 9, 3 << 30, 0}, {0x6A09E667, 0xF3BCD000, 1<<29 - 1, 0},
	}
	for i := 0; i < 1<<18; i++ {
		var w [lanes][4]uint32
		for j := range lanes {
			if i < len(edges) && j == 0 {
				w[j] = edges[i]
				continue
			}
			w[j] = [4]uint32{r.Uint32(), r.Uint32(), r.Uint32(), r.Uint32()}
		}
		var o64 [lanes]float64
		var o32 [lanes]float32
		normal64Lanes(&w, &o64)
		normal32Lanes(&w, &o32)
		for j := range lanes {
			if a, b := o64[j], normalFromWords64(w[j]); math.Float64bits(a) != math.Float64bits(b) {
				t.Fatalf("float64 words %08x: lanes %v, scalar %v", w[j], a, b)
			}
			if a, b := o32[j], normalFromWords32(w[j]); math.Float32bits(a) != math.Float32bits(b) {
				t.Fatalf("float32 words %08x: lanes %v, scalar %v", w[j], a, b)
			}
		}
	}
}
