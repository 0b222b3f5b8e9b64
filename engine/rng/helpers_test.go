package rng

import "math"

// ulpDist64 is the number of float64 values between a and b (0 when equal; +0 and -0 are equal).
func ulpDist64(a, b float64) int64 {
	ia, ib := orderedBits64(a), orderedBits64(b)
	if ia > ib {
		return ia - ib
	}
	return ib - ia
}

func orderedBits64(x float64) int64 {
	b := int64(math.Float64bits(x))
	if b < 0 {
		b = math.MinInt64 - b
	}
	return b
}

func ulpDist32(a, b float32) int64 {
	ia, ib := orderedBits32(a), orderedBits32(b)
	if ia > ib {
		return ia - ib
	}
	return ib - ia
}

func orderedBits32(x float32) int64 {
	b := int64(int32(math.Float32bits(x)))
	if b < 0 {
		b = math.MinInt32 - b
	}
	return b
}

// halfPiLo is pi/2 - halfPi (the rounding error of the float64 constant), for double-double
// reference angles.
const halfPiLo = 6.123233995736766e-17

// cos64AndRef returns cosQuarterTurns64 for the 53-bit u2 = (hi*2^26 + lo)*2^-53 (hi < 2^27,
// lo < 2^26) as Normal64 reduces it, and a reference cos(2*pi*u2) that carries the reduced angle in
// double-double: a = r*pi/2 exactly to ~2^-106, cos(a) ~ cos(aHi) - sin(aHi)*aLo.
func cos64AndRef(hi, lo uint32) (got, ref float64) {
	t := (float64(hi)*0x1p26 + float64(lo)) * 0x1p-51
	n := (hi + 1<<24) >> 25
	r := t - float64(n)
	got = cosQuarterTurns64(n&3, r)
	aHi := r * halfPi
	aLo := math.FMA(r, halfPi, -aHi) + r*halfPiLo
	s, c := math.Sincos(aHi)
	var v float64
	switch n & 3 {
	case 0:
		v = c - s*aLo
	case 1:
		v = -(s + c*aLo)
	case 2:
		v = -(c - s*aLo)
	default:
		v = s + c*aLo
	}
	return got, v
}

// cosQuarterTurnsRef is cos((pi/2)*(q + r)) in float64 through math.Sin/Cos of the exactly reduced
// angle: a reference for the float32 kernels, whose ULP is 2^29 times coarser than its error.
func cosQuarterTurnsRef(q uint32, r float64) float64 {
	s, c := math.Sincos(r * (math.Pi / 2))
	switch q {
	case 0:
		return c
	case 1:
		return -s
	case 2:
		return -c
	default:
		return s
	}
}
