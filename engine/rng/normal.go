package rng

import "math"

// Every float64(...) or float32(...) wrapped around a product below is deliberate: the Go
// specification allows an implementation to fuse x*y+z into one FMA (and the arm64, ppc64 and s390x
// compilers do), and an explicit conversion is the specified way to force the product's rounding.
// The GLSL twin gets the same guarantee from `precise`. Without it the same seed would give
// different bits on different machines.

// Normal64 returns the standard-normal sample of the default-mode noise for
// (seed, member, node, variable, step), in float64. It is a pure function: no state, no order.
// Layout: key = (uint32(seed), uint32(seed>>32)); counter = (uint32(step), uint32(step>>32), member,
// node<<8 | variable). It checks nothing: the engine keeps node < 2^24 (variable is 8 bits by type).
func Normal64(seed uint64, member, node uint32, variable uint8, step uint64) float64 {
	return normalFromWords64(Philox4x32(philoxCounter(member, node, variable, step), philoxKey(seed)))
}

// Normal32 is Normal64's float32 twin: the same Philox words, 24-bit uniforms and float32 arithmetic
// throughout, so that a float32 GPU run can reproduce it bit for bit. It is a different (coarser)
// sample than float32(Normal64(...)), not a rounding of it.
func Normal32(seed uint64, member, node uint32, variable uint8, step uint64) float32 {
	return normalFromWords32(Philox4x32(philoxCounter(member, node, variable, step), philoxKey(seed)))
}

// FillNormal64 sets dst[i] = Normal64(seed, member0+i, node, variable, step) for every i: the
// samples of len(dst) consecutive members at one (node, variable, step), which is one contiguous run
// of the engine's [var][node][member] layout. member0+i wraps modulo 2^32 like any uint32; keeping
// member ranges below 2^32 is the caller's business, as for Normal64.
func FillNormal64(dst []float64, seed uint64, member0, node uint32, variable uint8, step uint64) {
	k0, k1 := uint32(seed), uint32(seed>>32)
	c0, c1, c3 := uint32(step), uint32(step>>32), node<<8|uint32(variable)
	var w [lanes][4]uint32
	i := 0
	for ; i+lanes <= len(dst); i += lanes {
		for j := range lanes {
			w[j] = philoxInline(c0, c1, member0+uint32(i+j), c3, k0, k1)
		}
		normal64Lanes(&w, (*[lanes]float64)(dst[i:i+lanes]))
	}
	for ; i < len(dst); i++ {
		dst[i] = normalFromWords64(philoxInline(c0, c1, member0+uint32(i), c3, k0, k1))
	}
}

// FillNormal32 is FillNormal64 for Normal32.
func FillNormal32(dst []float32, seed uint64, member0, node uint32, variable uint8, step uint64) {
	k0, k1 := uint32(seed), uint32(seed>>32)
	c0, c1, c3 := uint32(step), uint32(step>>32), node<<8|uint32(variable)
	var w [lanes][4]uint32
	i := 0
	for ; i+lanes <= len(dst); i += lanes {
		for j := range lanes {
			w[j] = philoxInline(c0, c1, member0+uint32(i+j), c3, k0, k1)
		}
		normal32Lanes(&w, (*[lanes]float32)(dst[i:i+lanes]))
	}
	for ; i < len(dst); i++ {
		dst[i] = normalFromWords32(philoxInline(c0, c1, member0+uint32(i), c3, k0, k1))
	}
}

// philoxInline is Philox4x32 with the rounds written out, small enough for the fill loops to keep
// everything in registers. TestPhiloxInline holds it equal to Philox4x32.
func philoxInline(c0, c1, c2, c3, k0, k1 uint32) [4]uint32 {
	p0 := uint64(philoxM0) * uint64(c0)
	p1 := uint64(philoxM1) * uint64(c2)
	c0, c1, c2, c3 = uint32(p1>>32)^c1^k0, uint32(p1), uint32(p0>>32)^c3^k1, uint32(p0)
	for i := 1; i < 10; i++ {
		k0 += philoxW0
		k1 += philoxW1
		p0 = uint64(philoxM0) * uint64(c0)
		p1 = uint64(philoxM1) * uint64(c2)
		c0, c1, c2, c3 = uint32(p1>>32)^c1^k0, uint32(p1), uint32(p0>>32)^c3^k1, uint32(p0)
	}
	return [4]uint32{c0, c1, c2, c3}
}

// normalFromWords64 is the float64 Box-Muller transform of one Philox output block (doc.go, steps
// D1-D5).
func normalFromWords64(w [4]uint32) float64 {
	// D1: u1 = (K1 + 1) * 2^-53 in (0, 1], K1 the 53-bit integer (w0>>5)*2^26 + (w1>>6). The +1 keeps
	// log away from 0; every operation is exact (integers below 2^53, scaling by powers of two).
	u1 := float64(float64(float64(w[0]>>5)*0x1p26)+float64(w[1]>>6+1)) * 0x1p-53
	// D2: t = 4*u2 = K2 * 2^-51 in [0, 4), exact. n = round(t) from the integer bits (ties up),
	// r = t - n in [-1/2, 1/2) is exact because it is a multiple of 2^-51 smaller than 1.
	hi := w[2] >> 5
	t := float64(float64(float64(hi)*0x1p26)+float64(w[3]>>6)) * 0x1p-51
	n := (hi + 1<<24) >> 25
	r := t - float64(n)
	c := cosQuarterTurns64(n&3, r)
	// D4: v = 0 - 2*log(u1), written so that u1 = 1 gives +0, never -0 (sqrt(-0) is -0).
	v := 0.0 - float64(2.0*log64(u1))
	return float64(math.Sqrt(v) * c)
}

// normalFromWords32 is the float32 transform (doc.go, steps F1-F5).
func normalFromWords32(w [4]uint32) float32 {
	// F1: u1 = (w0>>8 + 1) * 2^-24 in (0, 1]; exact (integer below 2^24, power-of-two scale).
	u1 := float32(w[0]>>8+1) * 0x1p-24
	// F2: t = 4*u2 = (w2>>8) * 2^-22 in [0, 4); n = round(t) from the integer; r = t - n exact.
	k := w[2] >> 8
	t := float32(k) * 0x1p-22
	n := (k + 1<<21) >> 22
	r := t - float32(n)
	c := cosQuarterTurns32(n&3, r)
	v := float32(0) - float32(2*log32(u1))
	// The float64 sqrt of a float32, rounded to float32, is the correctly rounded float32 sqrt
	// (double rounding is harmless for sqrt when the wide format has >= 2p+2 bits), i.e. GLSL's
	// IEEE float sqrt.
	return float32(float32(math.Sqrt(float64(v))) * c)
}

// log64 coefficients: the minimax polynomial of fdlibm e_log.c (Sun Microsystems 1993), |error of
// the polynomial| < 2^-58.45 on |s| <= 0.1716. Hex is the IEEE binary64 encoding; TestConstants
// checks that decimal and hex agree.
const (
	ln2Hi64 = 6.93147180369123816490e-01 // 0x3FE62E42FEE00000: low 21 bits zero, so k*ln2Hi64 is exact for |k| < 2^21
	ln2Lo64 = 1.90821492927058770002e-10 // 0x3DEA39EF35793C76: ln2 - ln2Hi64
	lg1     = 6.666666666666735130e-01   // 0x3FE5555555555593
	lg2     = 3.999999999940941908e-01   // 0x3FD999999997FA04
	lg3     = 2.857142874366239149e-01   // 0x3FD2492494229359
	lg4     = 2.222219843214978396e-01   // 0x3FCC71C51D8E78AF
	lg5     = 1.818357216161805012e-01   // 0x3FC7466496CB03DE
	lg6     = 1.531383769920937332e-01   // 0x3FC39A09D078C69F
	lg7     = 1.479819860511658591e-01   // 0x3FC2F112DF3E5244
	sqrt2   = 1.4142135623730951         // 0x3FF6A09E667F3BCD: mantissa fold point
	halfPi  = 1.5707963267948966         // 0x3FF921FB54442D18: pi/2 rounded to nearest
)

// sqrt2Frac and sqrt2Frac32 are the fraction bits of sqrt2 and sqrt2f (TestConstants checks them).
const (
	sqrt2Frac   = 0x6A09E667F3BCD
	sqrt2Frac32 = 0x3504F3
)

// log64 is the natural logarithm for the positive normal arguments Normal64 feeds it (u1 in
// [2^-53, 1]). Doc.go step D3 gives the exact sequence.
func log64(x float64) float64 {
	b := math.Float64bits(x)
	mant := b & (1<<52 - 1)
	// adj = 1 when the mantissa m = 1.mant is >= sqrt2 (integer compare of the fraction bits, which
	// is the same test as the float compare m >= sqrt2, without a hard-to-predict branch): then
	// m/2 in [sqrt2/2, 1) is used and the exponent goes up by one.
	adj := (mant-sqrt2Frac)>>63 ^ 1
	e := int32(b>>52) - 1023 + int32(adj)
	m := math.Float64frombits(mant | (1023-adj)<<52)
	f := m - 1.0 // exact (Sterbenz)
	k := float64(e)
	s := f / (2.0 + f)
	z := float64(s * s)
	p := lg7
	p = lg6 + float64(z*p)
	p = lg5 + float64(z*p)
	p = lg4 + float64(z*p)
	p = lg3 + float64(z*p)
	p = lg2 + float64(z*p)
	p = lg1 + float64(z*p)
	R := float64(z * p)
	hfsq := float64(float64(0.5*f) * f)
	return float64(k*ln2Hi64) - ((hfsq - (float64(s*(hfsq+R)) + float64(k*ln2Lo64))) - f)
}

// Kernel coefficients of fdlibm k_sin.c and k_cos.c (Sun Microsystems 1993): minimax on
// |x| <= pi/4, polynomial error below 2^-58 (sin) and 2^-58 (cos) relative.
const (
	sinS1 = -1.66666666666666324348e-01 // 0xBFC5555555555549
	sinS2 = 8.33333333332248946124e-03  // 0x3F8111111110F8A6
	sinS3 = -1.98412698298579493134e-04 // 0xBF2A01A019C161D5
	sinS4 = 2.75573137070700676789e-06  // 0x3EC71DE357B1FE7D
	sinS5 = -2.50507602534068634195e-08 // 0xBE5AE5E68A2B9CEB
	sinS6 = 1.58969099521155010221e-10  // 0x3DE5D93A5ACFD57C
	cosC1 = 4.16666666666666019037e-02  // 0x3FA555555555554C
	cosC2 = -1.38888888888741095749e-03 // 0xBF56C16C16C15177
	cosC3 = 2.48015872894767294178e-05  // 0x3EFA01A019CB1590
	cosC4 = -2.75573143513906633035e-07 // 0xBE927E4F809C52AD
	cosC5 = 2.08757232129817482790e-09  // 0x3E21EE9EBDB4B1C4
	cosC6 = -1.13596475577881948265e-11 // 0xBDA8FAE9BE8838D4
)

// cosQuarterTurns64 returns cos((pi/2)*(q + r)) for q in 0..3 and |r| <= 1/2, i.e. cos(2*pi*u2)
// after the exact reduction of step D2.
func cosQuarterTurns64(q uint32, r float64) float64 {
	a := float64(r * halfPi)
	// Both kernels and a bitwise select: q is random, so a switch would mispredict most of the
	// time. Odd q takes the sine; q = 1, 2 flip the sign (an exact operation).
	s, c := ksin64(a), kcos64(a)
	odd := uint64(q & 1)
	bits := math.Float64bits(c)&(odd-1) | math.Float64bits(s)&-odd
	flip := uint64((q+1)>>1&1) << 63
	return math.Float64frombits(bits ^ flip)
}

func ksin64(x float64) float64 {
	z := float64(x * x)
	v := float64(z * x)
	p := sinS6
	p = sinS5 + float64(z*p)
	p = sinS4 + float64(z*p)
	p = sinS3 + float64(z*p)
	p = sinS2 + float64(z*p)
	r := p
	return x + float64(v*(sinS1+float64(z*r)))
}

func kcos64(x float64) float64 {
	z := float64(x * x)
	p := cosC6
	p = cosC5 + float64(z*p)
	p = cosC4 + float64(z*p)
	p = cosC3 + float64(z*p)
	p = cosC2 + float64(z*p)
	p = cosC1 + float64(z*p)
	r := float64(z * p)
	hz := float64(0.5 * z)
	w := 1.0 - hz
	return w + (((1.0 - w) - hz) + float64(z*r))
}

// float32 constants: the float64 coefficients above rounded to nearest float32 (fdlibm e_logf.c,
// k_sinf.c and k_cosf.c do the same), plus a float32 split of ln 2. Exact float32 values; the hex
// is the IEEE binary32 encoding (TestConstants checks both).
const (
	// ln2Hi32 is 0x3F317180: 17 significant bits, so k*ln2Hi32 is exact for |k| < 2^7.
	ln2Hi32 float32 = 0.693138122558593750
	// ln2Lo32 is ln 2 - ln2Hi32 rounded to float32.
	ln2Lo32 float32 = 0.693147180559945309417232121458176568 - 0.693138122558593750
	lg1f    float32 = lg1
	lg2f    float32 = lg2
	lg3f    float32 = lg3
	lg4f    float32 = lg4
	lg5f    float32 = lg5
	lg6f    float32 = lg6
	lg7f    float32 = lg7
	sqrt2f  float32 = sqrt2
	halfPif float32 = halfPi
	sinS1f  float32 = sinS1
	sinS2f  float32 = sinS2
	sinS3f  float32 = sinS3
	sinS4f  float32 = sinS4
	sinS5f  float32 = sinS5
	sinS6f  float32 = sinS6
	cosC1f  float32 = cosC1
	cosC2f  float32 = cosC2
	cosC3f  float32 = cosC3
	cosC4f  float32 = cosC4
	cosC5f  float32 = cosC5
	cosC6f  float32 = cosC6
)

// log32 is log64's algorithm in float32 arithmetic (doc.go step F3).
func log32(x float32) float32 {
	b := math.Float32bits(x)
	mant := b & (1<<23 - 1)
	adj := (mant-sqrt2Frac32)>>31 ^ 1 // as in log64
	e := int32(b>>23) - 127 + int32(adj)
	m := math.Float32frombits(mant | (127-adj)<<23)
	f := m - 1
	k := float32(e)
	s := f / (2 + f)
	z := float32(s * s)
	p := lg7f
	p = lg6f + float32(z*p)
	p = lg5f + float32(z*p)
	p = lg4f + float32(z*p)
	p = lg3f + float32(z*p)
	p = lg2f + float32(z*p)
	p = lg1f + float32(z*p)
	R := float32(z * p)
	hfsq := float32(float32(0.5*f) * f)
	return float32(k*ln2Hi32) - ((hfsq - (float32(s*(hfsq+R)) + float32(k*ln2Lo32))) - f)
}

func cosQuarterTurns32(q uint32, r float32) float32 {
	a := float32(r * halfPif)
	s, c := ksin32(a), kcos32(a) // branch-free select, as in cosQuarterTurns64
	odd := q & 1
	bits := math.Float32bits(c)&(odd-1) | math.Float32bits(s)&-odd
	flip := (q + 1) >> 1 & 1 << 31
	return math.Float32frombits(bits ^ flip)
}

func ksin32(x float32) float32 {
	z := float32(x * x)
	v := float32(z * x)
	p := sinS6f
	p = sinS5f + float32(z*p)
	p = sinS4f + float32(z*p)
	p = sinS3f + float32(z*p)
	p = sinS2f + float32(z*p)
	r := p
	return x + float32(v*(sinS1f+float32(z*r)))
}

func kcos32(x float32) float32 {
	z := float32(x * x)
	p := cosC6f
	p = cosC5f + float32(z*p)
	p = cosC4f + float32(z*p)
	p = cosC3f + float32(z*p)
	p = cosC2f + float32(z*p)
	p = cosC1f + float32(z*p)
	r := float32(z * p)
	hz := float32(0.5 * z)
	w := 1 - hz
	return w + (((1 - w) - hz) + float32(z*r))
}

// FillNormal64Nodes sets dst[i] = Normal64(seed, member, node0+i, variable, step) for every i: the
// samples of len(dst) consecutive nodes of one member at one (variable, step), the layout of a
// single simulation's lanes. Four lanes at a time, like FillNormal64.
func FillNormal64Nodes(dst []float64, seed uint64, member, node0 uint32, variable uint8, step uint64) {
	k0, k1 := uint32(seed), uint32(seed>>32)
	c0, c1 := uint32(step), uint32(step>>32)
	var w [lanes][4]uint32
	i := 0
	for ; i+lanes <= len(dst); i += lanes {
		for j := range lanes {
			w[j] = philoxInline(c0, c1, member, (node0+uint32(i+j))<<8|uint32(variable), k0, k1)
		}
		normal64Lanes(&w, (*[lanes]float64)(dst[i:i+lanes]))
	}
	for ; i < len(dst); i++ {
		dst[i] = normalFromWords64(philoxInline(c0, c1, member, (node0+uint32(i))<<8|uint32(variable), k0, k1))
	}
}
