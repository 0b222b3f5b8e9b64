//go:build cgo

package gpu

import (
	"fmt"
	"math"
	"strings"
	"unsafe"

	"github.com/go-gl/gl/v4.3-core/gl"

	"github.com/neuromass/neuromass/engine"
)

// part is one group of members with its own buffers (an ensemble is split into parts so that
// every buffer stays within the device's storage block size).
type part struct {
	m0, m1 int       // members [m0, m1) of the ensemble
	buf    [6]uint32 // state, constants (float), constants (int), inputs, outputs, divergence
	size   [6]int    // bytes allocated
}

const (
	bufState = iota
	bufConstF
	bufConstI
	bufIn
	bufOut
	bufBad
)

type sim struct {
	b     *Backend
	p     *engine.Plan
	l     *layout
	prog  uint32
	parts []*part
	col   int // ring slot of the current values
	u     map[string]int32
	set   bool // SetState was called
	shut  bool
}

func (s *sim) uni(name string) int32 {
	if loc, ok := s.u[name]; ok {
		return loc
	}
	loc := gl.GetUniformLocation(s.prog, gl.Str(name+"\x00"))
	s.u[name] = loc
	return loc
}

// alloc (re)allocates buffer i of a part with the given bytes, initialised from data when not nil.
func (s *sim) alloc(pt *part, i int, bytes int, data unsafe.Pointer) error {
	if pt.buf[i] == 0 {
		gl.GenBuffers(1, &pt.buf[i])
	}
	gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, pt.buf[i])
	bytes = max(bytes, 4)
	gl.BufferData(gl.SHADER_STORAGE_BUFFER, bytes, data, gl.DYNAMIC_DRAW)
	if e := gl.GetError(); e != gl.NO_ERROR {
		if e == gl.OUT_OF_MEMORY {
			return fmt.Errorf("gpu: the device is out of memory allocating %d bytes for members %d to %d: use fewer members per ensemble", bytes, pt.m0, pt.m1-1)
		}
		return fmt.Errorf("gpu: glBufferData(%d bytes) failed with GL error 0x%x", bytes, e)
	}
	pt.size[i] = bytes
	return nil
}

// deviceBytes is the device memory the ensemble's buffers take (outputs and inputs aside).
func (s *sim) deviceBytes() int64 {
	l := s.l
	per := int64(l.stateLen+l.fLen+l.iLen+2*l.Ecap) * 4
	return per * int64(l.parts)
}

// init compiles the program and creates every part's buffers (on the GL thread).
func (s *sim) init(src string) error {
	limit := s.b.opt.MemoryLimit
	if limit <= 0 {
		limit = s.b.info.DeviceMemory
	}
	if need := s.deviceBytes(); limit > 0 && need > limit {
		return fmt.Errorf("gpu: the ensemble needs %d MiB of device memory (%d members x %d nodes, %d history slots), more than the %d MiB available: use fewer members per ensemble",
			need>>20, s.p.E, s.p.N, s.l.S, limit>>20)
	}
	prog, err := s.b.program(src)
	if err != nil {
		return err
	}
	s.prog = prog
	s.u = map[string]int32{}
	p, l := s.p, s.l
	for i := range l.parts {
		m0, m1 := l.partRange(i)
		pt := &part{m0: m0, m1: m1}
		s.parts = append(s.parts, pt)
		if err := s.alloc(pt, bufState, l.stateLen*4, nil); err != nil {
			return err
		}
		cf := s.constF(m0, m1)
		if err := s.alloc(pt, bufConstF, len(cf)*4, unsafe.Pointer(&cf[0])); err != nil {
			return err
		}
		ci := s.constI(m0, m1)
		if err := s.alloc(pt, bufConstI, len(ci)*4, unsafe.Pointer(&ci[0])); err != nil {
			return err
		}
	}
	_ = p
	return nil
}

// constF is a part's float constants: weights, parameters, tables (layout offsets).
func (s *sim) constF(m0, m1 int) []float32 {
	p, l := s.p, s.l
	N, E := p.N, p.E
	f := make([]float32, max(l.fLen, 1))
	for ij, w := range p.Weights {
		f[l.conn+ij] = float32(w)
	}
	for k, v := range p.Params {
		o := l.poff[k]
		if l.pnode[k] == 1 {
			for n := range N {
				for mb := m0; mb < m1; mb++ {
					f[o+n*l.Ecap+mb-m0] = float32(v[n*E+mb])
				}
			}
		} else {
			for mb := m0; mb < m1; mb++ {
				f[o+mb-m0] = float32(v[mb])
			}
		}
	}
	for t, o := range l.toff {
		for i, x := range p.Tables[t].V {
			f[o+i] = float32(x)
		}
	}
	return f
}

// constI is a part's integer constants: delays, local delays, seeds.
func (s *sim) constI(m0, m1 int) []int32 {
	p, l := s.p, s.l
	c := make([]int32, max(l.iLen, 1))
	copy(c[l.lag:], p.Delays)
	for k, v := range p.LocalDelays {
		copy(c[l.ldel+k*l.Ecap:], v[m0:m1])
	}
	for mb := m0; mb < m1; mb++ {
		sd := p.Seeds[mb]
		c[l.seed+2*(mb-m0)] = int32(uint32(sd))
		c[l.seed+2*(mb-m0)+1] = int32(uint32(sd >> 32))
	}
	return c
}

func (s *sim) free() {
	for _, pt := range s.parts {
		for i := range pt.buf {
			if pt.buf[i] != 0 {
				gl.DeleteBuffers(1, &pt.buf[i])
				pt.buf[i] = 0
			}
		}
	}
}

// SetState implements engine.Sim: every state and its whole ring.
func (s *sim) SetState(x [][]float64) error {
	p, l := s.p, s.l
	if len(x) != len(p.Model.States) {
		return fmt.Errorf("gpu: %d state vectors for %d states", len(x), len(p.Model.States))
	}
	for k, v := range x {
		if len(v) != p.N*p.E {
			return fmt.Errorf("gpu: state %s has %d values, expected %d", p.Model.States[k].Name, len(v), p.N*p.E)
		}
	}
	return s.b.run(func() error {
		for _, pt := range s.parts {
			buf := make([]float32, max(l.stateLen, 1))
			for k, v := range x {
				slots := 1
				if l.hid[k] >= 0 {
					slots = l.S
				}
				for sl := range slots {
					for n := range p.N {
						o := l.soff[k] + (sl*p.N+n)*l.Ecap
						for mb := pt.m0; mb < pt.m1; mb++ {
							buf[o+mb-pt.m0] = float32(v[n*p.E+mb])
						}
					}
				}
			}
			if b := p.Bold; b != nil {
				// bold.State32's deviations from rest
				in := [4]float32{float32(b.Init.X), float32(b.Init.F - 1), float32(b.Init.Q - 1), float32(b.Init.V - 1)}
				for q, v := range in {
					for n := range p.N {
						o := l.boff + (q*p.N+n)*l.Ecap
						for mb := pt.m0; mb < pt.m1; mb++ {
							buf[o+mb-pt.m0] = v
						}
					}
				}
			}
			gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, pt.buf[bufState])
			gl.BufferSubData(gl.SHADER_STORAGE_BUFFER, 0, len(buf)*4, unsafe.Pointer(&buf[0]))
		}
		s.col, s.set = 0, true
		return glErr("uploading the state")
	})
}

// State implements engine.Sim.
func (s *sim) State() [][]float64 {
	p, l := s.p, s.l
	out := make([][]float64, len(p.Model.States))
	for k := range out {
		out[k] = make([]float64, p.N*p.E)
	}
	s.b.run(func() error {
		for _, pt := range s.parts {
			buf := make([]float32, max(l.stateLen, 1))
			gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, pt.buf[bufState])
			gl.GetBufferSubData(gl.SHADER_STORAGE_BUFFER, 0, len(buf)*4, unsafe.Pointer(&buf[0]))
			for k := range out {
				sl := 0
				if l.hid[k] >= 0 {
					sl = s.col
				}
				for n := range p.N {
					o := l.soff[k] + (sl*p.N+n)*l.Ecap
					for mb := pt.m0; mb < pt.m1; mb++ {
						out[k][n*p.E+mb] = float64(buf[o+mb-pt.m0])
					}
				}
			}
		}
		return nil
	})
	return out
}

// Close implements engine.Sim.
func (s *sim) Close() error {
	if s.shut {
		return nil
	}
	s.shut = true
	err := s.b.run(func() error { s.free(); return nil })
	s.b.mu.Lock()
	s.b.sims--
	s.b.mu.Unlock()
	return err
}

func glErr(what string) error {
	if e := gl.GetError(); e != gl.NO_ERROR {
		if e == gl.OUT_OF_MEMORY {
			return fmt.Errorf("gpu: %s: the device is out of memory", what)
		}
		return fmt.Errorf("gpu: %s: GL error 0x%x", what, e)
	}
	return nil
}

// samplesBefore is the number of samples a call records after steps < k.
func samplesBefore(c *engine.Call, k int) int {
	if k <= c.First {
		return 0
	}
	return (k-1-c.First)/c.Every + 1
}

// boldBefore is the number of BOLD samples a call takes after steps < k.
func boldBefore(c *engine.Call, k int) int {
	if k <= c.BoldFirst {
		return 0
	}
	return (k-1-c.BoldFirst)/c.BoldEvery + 1
}

// stepsPerDispatch bounds a dispatch: the option, else about 2^28 lane-steps (~20 ms on a GPU at
// 1.5e10 node-steps/s: short enough for a display watchdog and for progress, long enough that the
// launch and the read-back pause vanish), and always small enough for the divergence key (steps x
// states x nodes < 2^32) and the output buffer (within MaxBlock).
func (s *sim) stepsPerDispatch(c *engine.Call) int {
	l := s.l
	n := s.b.opt.StepsPerDispatch
	if n <= 0 {
		n = max(1, min(1<<16, (1<<28)/(l.N*l.Ecap)))
	}
	n = min(n, int((math.MaxUint32-1)/uint64(max(1, len(s.p.Model.States)*l.N))))
	if strings.Contains(strings.ToLower(s.b.info.Renderer), "llvmpipe") {
		// llvmpipe stops every loop of a shader after 65535 iterations in all (gallivm's loop
		// limiter counts across re-entries of the loop, per invocation), silently: a dispatch of
		// 50000 Hopf steps on one node ended after 16384 (4 states per step in the store loop), on
		// 80 nodes after 752 (80 terms per step in the coupling loop). Keep every loop under it:
		// lanes per invocation x the longest per-lane loop (coupling terms, states, outputs) x steps.
		perInv := (l.N*l.B + l.WG - 1) / l.WG
		trip := perInv * max(l.N, len(s.p.Model.States), len(s.p.Record), 1)
		n = min(n, max(1, llvmpipeLoopLimit/(trip+perInv+1)))
	}
	R := len(s.p.Record)
	if s.p.Bold != nil {
		R++ // BOLD samples share the output buffer (at most one per step, like the outputs)
	}
	if R > 0 {
		perSample := int64(R) * int64(l.N) * int64(l.Ecap) * 4
		maxSamples := int(min(l.maxBlock(s.b.info.Limits), 64<<20) / perSample)
		n = min(n, max(1, maxSamples-1)*c.Every)
	}
	return max(1, min(n, c.T))
}

// llvmpipeLoopLimit is below llvmpipe's 65535 loop iterations, with room for the loops run once
// per dispatch.
const llvmpipeLoopLimit = 60000

func (l *layout) maxBlock(lim Limits) int64 { return min(lim.MaxBlock, math.MaxInt32) }

// Run implements engine.Sim.
func (s *sim) Run(c *engine.Call) error {
	p := s.p
	m := p.Model
	if s.shut {
		return fmt.Errorf("gpu: run of a closed simulation")
	}
	if !s.set {
		return fmt.Errorf("gpu: run before SetState")
	}
	if c.T < 0 || c.Every < 1 || c.First < 0 {
		return fmt.Errorf("gpu: %d steps sampled every %d steps from step %d", c.T, c.Every, c.First)
	}
	samples := c.Samples()
	if len(c.Out) != len(p.Record) {
		return fmt.Errorf("gpu: %d output buffers for %d recorded outputs", len(c.Out), len(p.Record))
	}
	for o, b := range c.Out {
		if len(b) != p.N*p.E*samples {
			return fmt.Errorf("gpu: output buffer %d has %d values, expected %d", o, len(b), p.N*p.E*samples)
		}
	}
	if c.BoldEvery > 0 {
		if p.Bold == nil {
			return fmt.Errorf("gpu: a call asks for BOLD of a simulation planned without it")
		}
		if c.BoldFirst < 0 {
			return fmt.Errorf("gpu: BOLD sampled every %d steps from step %d", c.BoldEvery, c.BoldFirst)
		}
		if want := p.N * p.E * c.BoldSamples(); len(c.BoldOut) != want {
			return fmt.Errorf("gpu: BOLD buffer has %d values, expected %d", len(c.BoldOut), want)
		}
	}
	if c.Bad != nil && len(c.Bad) != p.E {
		return fmt.Errorf("gpu: divergence slots for %d members, expected %d", len(c.Bad), p.E)
	}
	if c.Noise != nil {
		for _, u := range c.Noise {
			if u != nil {
				return fmt.Errorf("gpu: host-drawn (compat) noise is not supported")
			}
		}
	}
	for k, u := range c.Inputs {
		if u != nil && len(u) != p.N*c.T {
			return fmt.Errorf("gpu: input %s has %d values, expected %d nodes x %d steps", m.Inputs[k].Name, len(u), p.N, c.T)
		}
	}
	if c.T == 0 {
		return nil
	}
	spd := s.stepsPerDispatch(c)
	noiseOn := make([]int32, max(1, len(m.Noises)))
	for q := range m.Noises {
		noiseOn[q] = 1
		if c.NoiseUsed != nil && !c.NoiseUsed[q] {
			noiseOn[q] = 0
		}
	}
	check := int32(0)
	if c.Bad != nil {
		check = 1
	}
	for k0 := 0; k0 < c.T; k0 += spd {
		k1 := min(c.T, k0+spd)
		s0, s1 := samplesBefore(c, k0), samplesBefore(c, k1)
		err := s.b.run(func() error {
			return s.dispatch(c, k0, k1, s0, s1, samples, noiseOn, check)
		})
		if err != nil {
			return err
		}
		if c.Progress != nil {
			c.Progress(k1)
		}
	}
	return nil
}

// dispatch integrates steps [k0, k1) of the call on every part and reads back samples [s0, s1)
// (on the GL thread).
func (s *sim) dispatch(c *engine.Call, k0, k1, s0, s1, samples int, noiseOn []int32, check int32) error {
	p, l := s.p, s.l
	m := p.Model
	steps := k1 - k0
	ns := s1 - s0
	R := len(p.Record)
	s.b.debug = nil // report only what this dispatch causes, not what other work on the backend left
	// inputs of the window: [input][node][step], a single value for a default input
	nin := len(m.Inputs)
	inOff := make([]int32, max(1, nin))
	inStep := make([]int32, max(1, nin))
	var inBuf []float32
	for k := range m.Inputs {
		inOff[k] = int32(len(inBuf))
		var u []float64
		if k < len(c.Inputs) {
			u = c.Inputs[k]
		}
		if u == nil {
			inBuf = append(inBuf, float32(m.Inputs[k].Default))
			continue
		}
		inStep[k] = 1
		for n := range p.N {
			for st := k0; st < k1; st++ {
				inBuf = append(inBuf, float32(u[n*c.T+st]))
			}
		}
	}
	if len(inBuf) == 0 {
		inBuf = []float32{0}
	}
	gl.UseProgram(s.prog)
	gl.Uniform1i(s.uni("u_steps"), int32(steps))
	gl.Uniform1i(s.uni("u_col0"), int32(s.col))
	gl.Uniform1i(s.uni("u_k0"), int32(k0))
	gl.Uniform1i(s.uni("u_first"), int32(c.First))
	gl.Uniform1i(s.uni("u_every"), int32(c.Every))
	gl.Uniform1i(s.uni("u_s0"), int32(s0))
	gl.Uniform1i(s.uni("u_samp"), int32(max(ns, 1)))
	st := c.Step0 + uint64(k0)
	gl.Uniform2ui(s.uni("u_step"), uint32(st), uint32(st>>32))
	gl.Uniform1i(s.uni("u_check"), check)
	gl.Uniform1iv(s.uni("u_noiseon"), int32(len(noiseOn)), &noiseOn[0])
	gl.Uniform1iv(s.uni("u_inoff"), int32(len(inOff)), &inOff[0])
	gl.Uniform1iv(s.uni("u_instep"), int32(len(inStep)), &inStep[0])
	gl.Uniform1i(s.uni("u_inT"), int32(steps))
	// BOLD samples [bs0, bs1) of this window, after the recorded outputs in the output buffer
	bs0, bs1 := 0, 0
	if c.BoldEvery > 0 {
		bs0, bs1 = boldBefore(c, k0), boldBefore(c, k1)
	}
	nbs := bs1 - bs0
	boff := R * max(ns, 1) * p.N * l.Ecap
	gl.Uniform1i(s.uni("u_bevery"), int32(c.BoldEvery))
	gl.Uniform1i(s.uni("u_bfirst"), int32(c.BoldFirst))
	gl.Uniform1i(s.uni("u_bs0"), int32(bs0))
	gl.Uniform1i(s.uni("u_boff"), int32(boff))
	outBytes := (boff + nbs*p.N*l.Ecap) * 4
	for _, pt := range s.parts {
		if err := s.upload(pt, bufIn, inBuf); err != nil {
			return err
		}
		if pt.size[bufOut] < outBytes {
			if err := s.alloc(pt, bufOut, outBytes, nil); err != nil {
				return err
			}
		}
		if check != 0 {
			bad := make([]uint32, 2*l.Ecap)
			for i := range bad {
				bad[i] = math.MaxUint32
			}
			if pt.size[bufBad] < len(bad)*4 {
				if err := s.alloc(pt, bufBad, len(bad)*4, unsafe.Pointer(&bad[0])); err != nil {
					return err
				}
			} else {
				gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, pt.buf[bufBad])
				gl.BufferSubData(gl.SHADER_STORAGE_BUFFER, 0, len(bad)*4, unsafe.Pointer(&bad[0]))
			}
		} else if pt.size[bufBad] == 0 {
			if err := s.alloc(pt, bufBad, 8, nil); err != nil {
				return err
			}
		}
		for i, b := range pt.buf {
			gl.BindBufferRange(gl.SHADER_STORAGE_BUFFER, uint32(i), b, 0, pt.size[i])
		}
		gl.Uniform1ui(s.uni("u_member0"), uint32(pt.m0))
		gl.Uniform1i(s.uni("u_members"), int32(pt.m1-pt.m0))
		groups := (pt.m1 - pt.m0 + l.B - 1) / l.B
		maxG := max(1, s.b.info.Limits.MaxGroupsX)
		for g0 := 0; g0 < groups; g0 += maxG {
			gl.Uniform1i(s.uni("u_group0"), int32(g0))
			gl.DispatchCompute(uint32(min(maxG, groups-g0)), 1, 1)
		}
		if err := glErr("dispatching the integration loop"); err != nil {
			return err
		}
	}
	gl.MemoryBarrier(gl.SHADER_STORAGE_BARRIER_BIT | gl.BUFFER_UPDATE_BARRIER_BIT)
	// Wait for the dispatches: llvmpipe's glGetBufferSubData does not wait for a compute job still
	// writing the buffer (measured: long dispatches came back half written).
	if err := waitGPU(); err != nil {
		return err
	}
	// read back: outputs [rec][sample][node][member] -> Out[rec][member][node][sample]
	for _, pt := range s.parts {
		if ns > 0 && R > 0 {
			buf := make([]float32, R*ns*p.N*l.Ecap)
			gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, pt.buf[bufOut])
			gl.GetBufferSubData(gl.SHADER_STORAGE_BUFFER, 0, len(buf)*4, unsafe.Pointer(&buf[0]))
			for r := range R {
				dst := c.Out[r]
				for si := range ns {
					for n := range p.N {
						row := buf[((r*ns+si)*p.N+n)*l.Ecap:]
						for mb := pt.m0; mb < pt.m1; mb++ {
							dst[(mb*p.N+n)*samples+s0+si] = float64(row[mb-pt.m0])
						}
					}
				}
			}
		}
		if nbs > 0 {
			buf := make([]float32, nbs*p.N*l.Ecap)
			gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, pt.buf[bufOut])
			gl.GetBufferSubData(gl.SHADER_STORAGE_BUFFER, boff*4, len(buf)*4, unsafe.Pointer(&buf[0]))
			bsamples := c.BoldSamples()
			for si := range nbs {
				for n := range p.N {
					row := buf[(si*p.N+n)*l.Ecap:]
					for mb := pt.m0; mb < pt.m1; mb++ {
						c.BoldOut[(mb*p.N+n)*bsamples+bs0+si] = float64(row[mb-pt.m0])
					}
				}
			}
		}
		if check != 0 {
			bad := make([]uint32, 2*l.Ecap)
			gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, pt.buf[bufBad])
			gl.GetBufferSubData(gl.SHADER_STORAGE_BUFFER, 0, len(bad)*4, unsafe.Pointer(&bad[0]))
			per := uint32(len(m.States) * p.N)
			for mb := pt.m0; mb < pt.m1; mb++ {
				key := bad[2*(mb-pt.m0)]
				if key == math.MaxUint32 || c.Bad[mb] != nil {
					continue
				}
				rest := int(key % per)
				c.Bad[mb] = &engine.Divergence{Member: mb, Node: rest % p.N, Step: c.Step0 + uint64(k0) + uint64(key/per),
					State: m.States[rest/p.N].Name, Value: float64(math.Float32frombits(bad[2*(mb-pt.m0)+1]))}
			}
		}
	}
	s.col = (s.col + steps) % l.S
	if err := s.b.debugErr("integrating"); err != nil {
		return err
	}
	return glErr("reading back the results")
}

// upload writes data into buffer i of a part, growing it when needed.
func (s *sim) upload(pt *part, i int, data []float32) error {
	if pt.size[i] < len(data)*4 {
		return s.alloc(pt, i, len(data)*4, unsafe.Pointer(&data[0]))
	}
	gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, pt.buf[i])
	gl.BufferSubData(gl.SHADER_STORAGE_BUFFER, 0, len(data)*4, unsafe.Pointer(&data[0]))
	return nil
}

// waitGPU blocks until every command sent so far has completed (a fence).
func waitGPU() error {
	f := gl.FenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0)
	defer gl.DeleteSync(f)
	for {
		switch r := gl.ClientWaitSync(f, gl.SYNC_FLUSH_COMMANDS_BIT, 1e9); r {
		case gl.ALREADY_SIGNALED, gl.CONDITION_SATISFIED:
			return nil
		case gl.TIMEOUT_EXPIRED:
			continue // a long dispatch: keep waiting
		default:
			return fmt.Errorf("gpu: waiting for the device failed (glClientWaitSync returned 0x%x, GL error 0x%x)", r, gl.GetError())
		}
	}
}
