package engine

import (
	"fmt"

	"github.com/neuromass/neuromass/engine/eqn"
)

// Backend turns a Plan into a Sim. Implementations: package cpu (the float64 reference and the
// fast CPU paths), package gpu (OpenGL compute).
type Backend interface {
	// Name says what the backend is ("cpu", "gpu: NVIDIA H100 ..."), for reports and benchmarks.
	Name() string
	// NewSim prepares an ensemble for the plan. It returns an error, never a silent substitute,
	// when it cannot honour the plan (a precision it lacks, a model it cannot run).
	NewSim(p *Plan) (Sim, error)
}

// Sim is one prepared ensemble on a backend. The driver calls SetState once, then Run once per
// integration call; a Sim keeps its state, including the delay history, between calls.
type Sim interface {
	// SetState sets every state and its whole history to x[state][node*E + member].
	SetState(x [][]float64) error
	// Run integrates one call (many steps), recording into c.Out.
	Run(c *Call) error
	// State returns the current value of every state, [state][node*E + member].
	State() [][]float64
	// Close releases what the Sim holds.
	Close() error
}

// Plan is everything fixed for the lifetime of a Sim, in the backend's terms: no NumPy shapes.
type Plan struct {
	Model   *eqn.Model
	Program *eqn.Program
	Tables  []*eqn.TableData // by Model.Tables index

	N, E int     // nodes, members; lanes are [node][member], member fastest
	Dt   float64 // ms

	Weights []float64 // N*N, [to][from], the diagonal already handled
	Delays  []int32   // N*N: steps of delay of node j's value as read by node i (coupling x[j])
	// LocalDelays [k][member]: steps of delay of Model.Delays[k] (delayed(x, T)) per member.
	LocalDelays [][]int32
	// History is the number of past columns a Sim must keep per history state: every read is of a
	// column at most History-1 steps before the previous one.
	History int

	// Params [param] holds E values, or N*E ([node][member]) for per-node parameters.
	Params [][]float64

	Mode      Mode
	Precision Precision
	Seeds     []uint64 // per member; default-mode noise keys

	Record []int // indices of the outputs to record, in order

	// Bold, when set, asks for the BOLD signal (BoldPlan says what to compute); a backend that
	// cannot compute it returns an error from NewSim. The BOLD state persists across calls and is
	// reset to Bold.Init by SetState.
	Bold *BoldPlan
}

// Lanes is N*E.
func (p *Plan) Lanes() int { return p.N * p.E }

// HistoryColumns is the number of past columns a Sim must keep per delayed value so that every
// read finds its column: History, and one more than the longest network or local delay.
func (p *Plan) HistoryColumns() int {
	h := max(p.History, 1)
	for _, d := range p.Delays {
		h = max(h, int(d)+1)
	}
	for _, v := range p.LocalDelays {
		for _, d := range v {
			h = max(h, int(d)+1)
		}
	}
	return h
}

// Call is one integration call: T steps from the Sim's current state.
type Call struct {
	T int // steps
	// Step0 is the number of steps integrated before this call since the initial state: the
	// default-mode noise counter of step k is Step0 + k.
	Step0 uint64
	// Noise [noise] holds the compat-mode samples of each noise source, [node][step] (N*T) when
	// every member shares them, or [member][node][step] (E*N*T). nil in default mode, where the
	// backend draws the Philox samples itself. A nil entry means "all zero" (the driver leaves out
	// noise that every member multiplies by 0).
	Noise [][]float64
	// NoiseUsed [noise] is false for a source every member multiplies by 0: a backend may skip
	// drawing it (its samples would not change a bit of the result).
	NoiseUsed []bool
	// Inputs [input]: nil for the input's default constant, else the value of each node at each
	// step, [node][step] (N*T), shared by all members.
	Inputs [][]float64
	// Record: samples are taken after steps First, First+Every, ... < T.
	First, Every int
	// Out [recorded output] receives the samples, [member][node][sample], sized by the driver:
	// Samples() values per member and node.
	Out [][]float64
	// Bad, when set, receives each member's first non-finite state (NaN or Inf): the Sim records
	// where it happened and carries on. Members never read each other's values, so the others are
	// unaffected; the diverged member's later samples are whatever its arithmetic gives (NaN).
	Bad []*Divergence // [member]: nil while the member is finite
	// Progress, if set, is called from the integrating goroutine with the steps done so far.
	Progress func(done int)

	// BOLD (Plan.Bold set): with BoldEvery > 0 the BOLD state advances after every step of the
	// call and is sampled after steps BoldFirst, BoldFirst+BoldEvery, ... < T into BoldOut,
	// [member][node][sample] (BoldSamples() per member and node). BoldEvery == 0: the call leaves
	// the BOLD state alone (compat mode, a call shorter than a TR).
	BoldFirst, BoldEvery int
	BoldOut              []float64
}

// Samples is the number of samples a call records per member and node.
func (c *Call) Samples() int {
	if c.First >= c.T || c.Every < 1 {
		return 0
	}
	return (c.T-c.First-1)/c.Every + 1
}

// Divergence says where a member's state stopped being finite.
type Divergence struct {
	Member, Node int
	Step         uint64 // global step index (Step0 + k)
	State        string
	Value        float64
}

func (d *Divergence) Error() string {
	return fmt.Sprintf("member %d diverged: state %s of node %d became %v at step %d", d.Member, d.State, d.Node, d.Value, d.Step)
}
