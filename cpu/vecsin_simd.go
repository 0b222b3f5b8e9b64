//go:build goexperiment.simd && amd64

package cpu

import (
	"math"
	"simd/archsimd"
)

// The sine a vector at a time, with math.Sin's bits. Kuramoto's coupling takes sin(x_j - x_i) of
// every pair and member: scalar, math.Sin was nearly all of a Kuramoto ensemble's step. math.Sin is
// plain Go on amd64 (no FMA), and for |x| < 2^29 it is a short sequence of IEEE operations: the
// octant q = floor(|x| * 4/pi) (made even), z = ((|x| - q*PI4A) - q*PI4B) - q*PI4C, a polynomial of
// z*z chosen by the octant, and the sign. sin8 does the same operations in the same order on 8
// lanes; the octant arithmetic is exact in floating point (integers below 2^31). Lanes it does not
// take (|x| >= 2^29, where math.Sin reduces with Payne-Hanek; ±Inf and NaN) and ±0 (kept with its
// sign) are math.Sin's, lane by lane. The float32 form widens, takes the float64 sine and rounds,
// as eqn's float32 arithmetic does (F(math.Sin(float64(x)))).

// This init gives the AVX-512 kernel sets the sine-coupling kernel (after kernels_simd.go's init
// has registered the variants: files initialise in name order).
func init() {
	for _, v := range variants {
		if v.name == "avx512" {
			v.k64.accSinD, v.k32.accSinD = accSinD8, accSinD8f32
			v.k64.sinV, v.k32.sinV = sinV8, sinV8f32
		}
	}
}

// math.Sin's constants (math/sin.go): pi/4 in three parts, and the coefficients of its sine and
// cosine polynomials
const (
	sinPI4A  = 7.85398125648498535156e-1
	sinPI4B  = 3.77489470793079817668e-8
	sinPI4C  = 2.69515142907905952645e-15
	sinLarge = 1 << 29 // math.Sin's reduceThreshold
)

var (
	sinCoef = [6]float64{1.58962301576546568060e-10, -2.50507477628578072866e-8, 2.75573136213857245213e-6,
		-1.98412698295895385996e-4, 8.33333333332211858878e-3, -1.66666666666666307295e-1}
	cosCoef = [6]float64{-1.13585365213876817300e-11, 2.08757008419747316778e-9, -2.75573141792967388112e-7,
		2.48015872888517045348e-5, -1.38888888888730564116e-3, 4.16666666666665929218e-2}
)

// sin8 returns math.Sin of 8 lanes.
func sin8(x archsimd.Float64x8) archsimd.Float64x8 {
	bc := archsimd.BroadcastFloat64x8
	zero := bc(0)
	signBit := archsimd.BroadcastUint64x8(1 << 63)
	ax := x.AsUint64x8().AndNot(signBit).AsFloat64x8()
	// j = uint64(|x| * (4/Pi)), y = float64(j), both made even
	q := ax.Mul(bc(4 / math.Pi)).FloorScaled(0)
	y := q.Add(q.Sub(q.Mul(bc(0.5)).FloorScaled(0).Mul(bc(2))))
	oct := y.Sub(y.Mul(bc(0.125)).FloorScaled(0).Mul(bc(8))) // j & 7: 0, 2, 4 or 6
	z := ax.Sub(y.Mul(bc(sinPI4A))).Sub(y.Mul(bc(sinPI4B))).Sub(y.Mul(bc(sinPI4C)))
	zz := z.Mul(z)
	ps := bc(sinCoef[0]).Mul(zz).Add(bc(sinCoef[1])).Mul(zz).Add(bc(sinCoef[2])).Mul(zz).Add(bc(sinCoef[3])).Mul(zz).Add(bc(sinCoef[4])).Mul(zz).Add(bc(sinCoef[5]))
	pc := bc(cosCoef[0]).Mul(zz).Add(bc(cosCoef[1])).Mul(zz).Add(bc(cosCoef[2])).Mul(zz).Add(bc(cosCoef[3])).Mul(zz).Add(bc(cosCoef[4])).Mul(zz).Add(bc(cosCoef[5]))
	s := z.Add(z.Mul(zz).Mul(ps))                           // z + z*zz*(...)
	c := bc(1).Sub(bc(0.5).Mul(zz)).Add(zz.Mul(zz).Mul(pc)) // 1.0 - 0.5*zz + zz*zz*(...)
	useCos := oct.Equal(bc(2)).Or(oct.Equal(bc(6)))         // j == 1 || j == 2 after the reflection
	r := c.Merge(s, useCos)
	// the sign: x's, flipped in octants 4 and 6 (j > 3)
	r = r.AsUint64x8().Xor(x.AsUint64x8().And(signBit)).Xor(signBit.Masked(oct.GreaterEqual(bc(4)))).AsFloat64x8()
	// ±0 keeps its sign; |x| >= 2^29, ±Inf and NaN (no comparison holds) lane by lane
	r = x.Merge(r, x.Equal(zero))
	if odd := ax.Less(bc(sinLarge)).Or(x.Equal(zero)).ToBits(); odd != 0xff {
		var v [8]float64
		r.Store(&v)
		var in [8]float64
		x.Store(&in)
		for l := range 8 {
			if odd&(1<<l) == 0 {
				v[l] = math.Sin(in[l])
			}
		}
		r = archsimd.LoadFloat64x8(&v)
	}
	return r
}

// accSinD8 adds w times the sine of x - y to acc, lane by lane: acc[m] += w[m] * sin(x[m] - y[m])
// (ws for every m when w is nil), the operations of a diffusive coupling with sin (coupling.go).
// It does the leading whole vectors and returns how many lanes.
func accSinD8(acc, w []float64, ws float64, x, y []float64) int {
	const n = 8
	k := len(acc)
	x, y = x[:k], y[:k]
	wv := archsimd.BroadcastFloat64x8(ws)
	l := 0
	for ; l+n <= k; l += n {
		t := sin8(ld8(x, l).Sub(ld8(y, l)))
		if w != nil {
			wv = ld8(w, l)
		}
		st8(ld8(acc, l).Add(wv.Mul(t)), acc, l)
	}
	archsimd.ClearAVXUpperBits()
	return l
}

// accSinD8f32 is accSinD8 in float32: the difference in float32, its sine in float64 rounded to
// float32, the product and the sum in float32.
func accSinD8f32(acc, w []float32, ws float32, x, y []float32) int {
	const n = 16
	k := len(acc)
	x, y = x[:k], y[:k]
	wv := archsimd.BroadcastFloat32x16(ws)
	l := 0
	for ; l+n <= k; l += n {
		t := widen(ld8f32(x, l).Sub(ld8f32(y, l)), sin8)
		if w != nil {
			wv = ld8f32(w, l)
		}
		st8f32(ld8f32(acc, l).Add(wv.Mul(t)), acc, l)
	}
	archsimd.ClearAVXUpperBits()
	return l
}

// sinV8 and sinV8f32 are the kernel sets' sinV: math.Sin of the leading whole vectors.
func sinV8(d, a []float64) int    { return mapV8(d, a, sin8) }
func sinV8f32(d, a []float32) int { return mapV8f32(d, a, sin8) }
