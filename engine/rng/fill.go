package rng

import "math"

// lanes is the number of members FillNormal64/FillNormal32 carry through the transform together.
// One sample is a long chain of dependent operations (division, two Horner polynomials, sqrt) and
// the processor's out-of-order window holds about one sample's worth of instructions; written
// operation by operation across four independent members, the chains overlap. Each lane performs
// exactly the scalar sequence of normalFromWords64/32, so the results are bit-identical
// (TestFillNormal, TestFillLanesMatchScalar).
const lanes = 4

// normal64Lanes is normalFromWords64 on four Philox blocks at once.
func normal64Lanes(w *[lanes][4]uint32, out *[lanes]float64) {
	var u1, r, f, k, s, z, p, hfsq, v, a, zz, ps, pc [lanes]float64
	var q [lanes]uint32
	for j := range lanes {
		u1[j] = float64(float64(float64(w[j][0]>>5)*0x1p26)+float64(w[j][1]>>6+1)) * 0x1p-53
		hi := w[j][2] >> 5
		t := float64(float64(float64(hi)*0x1p26)+float64(w[j][3]>>6)) * 0x1p-51
		n := (hi + 1<<24) >> 25
		r[j] = t - float64(n)
		q[j] = n & 3
	}
	// log64, lane by lane per step.
	for j := range lanes {
		b := math.Float64bits(u1[j])
		mant := b & (1<<52 - 1)
		adj := (mant-sqrt2Frac)>>63 ^ 1
		k[j] = float64(int32(b>>52) - 1023 + int32(adj))
		f[j] = math.Float64frombits(mant|(1023-adj)<<52) - 1.0
	}
	for j := range lanes {
		s[j] = f[j] / (2.0 + f[j])
	}
	for j := range lanes {
		z[j] = float64(s[j] * s[j])
		p[j] = lg7
		a[j] = float64(r[j] * halfPi)
	}
	for j := range lanes {
		zz[j] = float64(a[j] * a[j])
		ps[j] = sinS6
		pc[j] = cosC6
	}
	for _, c := range [...]float64{lg6, lg5, lg4, lg3, lg2, lg1} {
		for j := range lanes {
			p[j] = c + float64(z[j]*p[j])
		}
	}
	for _, c := range [...]float64{sinS5, sinS4, sinS3, sinS2} {
		for j := range lanes {
			ps[j] = c + float64(zz[j]*ps[j])
		}
	}
	for _, c := range [...]float64{cosC5, cosC4, cosC3, cosC2, cosC1} {
		for j := range lanes {
			pc[j] = c + float64(zz[j]*pc[j])
		}
	}
	for j := range lanes {
		R := float64(z[j] * p[j])
		hfsq[j] = float64(float64(0.5*f[j]) * f[j])
		L := float64(k[j]*ln2Hi64) - ((hfsq[j] - (float64(s[j]*(hfsq[j]+R)) + float64(k[j]*ln2Lo64))) - f[j])
		v[j] = 0.0 - float64(2.0*L)
	}
	for j := range lanes {
		x := a[j]
		sn := x + float64(float64(zz[j]*x)*(sinS1+float64(zz[j]*ps[j])))
		hz := float64(0.5 * zz[j])
		w1 := 1.0 - hz
		cs := w1 + (((1.0 - w1) - hz) + float64(zz[j]*float64(zz[j]*pc[j])))
		odd := uint64(q[j] & 1)
		bits := math.Float64bits(cs)&(odd-1) | math.Float64bits(sn)&-odd
		flip := uint64((q[j]+1)>>1&1) << 63
		out[j] = float64(math.Sqrt(v[j]) * math.Float64frombits(bits^flip))
	}
}

// normal32Lanes is normalFromWords32 on four Philox blocks at once.
func normal32Lanes(w *[lanes][4]uint32, out *[lanes]float32) {
	var r, f, k, s, z, p, v, a, zz, ps, pc [lanes]float32
	var q [lanes]uint32
	for j := range lanes {
		u1 := float32(w[j][0]>>8+1) * 0x1p-24
		kk := w[j][2] >> 8
		n := (kk + 1<<21) >> 22
		r[j] = float32(kk)*0x1p-22 - float32(n)
		q[j] = n & 3
		b := math.Float32bits(u1)
		mant := b & (1<<23 - 1)
		adj := (mant-sqrt2Frac32)>>31 ^ 1
		k[j] = float32(int32(b>>23) - 127 + int32(adj))
		f[j] = math.Float32frombits(mant|(127-adj)<<23) - 1
	}
	for j := range lanes {
		s[j] = f[j] / (2 + f[j])
	}
	for j := range lanes {
		z[j] = float32(s[j] * s[j])
		p[j] = lg7f
		a[j] = float32(r[j] * halfPif)
	}
	for j := range lanes {
		zz[j] = float32(a[j] * a[j])
		ps[j] = sinS6f
		pc[j] = cosC6f
	}
	for _, c := range [...]float32{lg6f, lg5f, lg4f, lg3f, lg2f, lg1f} {
		for j := range lanes {
			p[j] = c + float32(z[j]*p[j])
		}
	}
	for _, c := range [...]float32{sinS5f, sinS4f, sinS3f, sinS2f} {
		for j := range lanes {
			ps[j] = c + float32(zz[j]*ps[j])
		}
	}
	for _, c := range [...]float32{cosC5f, cosC4f, cosC3f, cosC2f, cosC1f} {
		for j := range lanes {
			pc[j] = c + float32(zz[j]*pc[j])
		}
	}
	for j := range lanes {
		R := float32(z[j] * p[j])
		hfsq := float32(float32(0.5*f[j]) * f[j])
		L := float32(k[j]*ln2Hi32) - ((hfsq - (float32(s[j]*(hfsq+R)) + float32(k[j]*ln2Lo32))) - f[j])
		v[j] = float32(0) - float32(2*L)
	}
	for j := range lanes {
		x := a[j]
		sn := x + float32(float32(zz[j]*x)*(sinS1f+float32(zz[j]*ps[j])))
		hz := float32(0.5 * zz[j])
		w1 := 1 - hz
		cs := w1 + (((1 - w1) - hz) + float32(zz[j]*float32(zz[j]*pc[j])))
		odd := q[j] & 1
		bits := math.Float32bits(cs)&(odd-1) | math.Float32bits(sn)&-odd
		flip := (q[j] + 1) >> 1 & 1 << 31
		out[j] = float32(float32(math.Sqrt(float64(v[j]))) * math.Float32frombits(bits^flip))
	}
}
