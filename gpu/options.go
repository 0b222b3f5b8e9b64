package gpu

// Options configure a GPU backend. The zero value picks the provider automatically and sizes
// everything from the device's limits.
type Options struct {
	// Provider is the GL context provider: "egl" (the EGL device platform, then Mesa's surfaceless
	// platform), "egl-device", "egl-surfaceless" or "glfw" (a hidden window; needs an X display).
	// Empty: the environment variable NEUROMASS_GL_PROVIDER, else egl-device, egl-surfaceless, glfw
	// in that order.
	Provider string
	// Debug asks for a debug context and turns GL debug messages of type error or high severity
	// into errors of the integration call that caused them. go-gl keeps one debug callback per
	// process: use it on one backend at a time (the tests do).
	Debug bool
	// Hardware refuses software renderers (Mesa llvmpipe, softpipe, swrast): for benchmarks and for
	// a caller that asked for a GPU and must not get a CPU emulating one.
	Hardware bool
	// MembersPerGroup fixes the members per workgroup (0: chosen from the ensemble size).
	MembersPerGroup int
	// SharedHistory: 0 keeps the delay rings in shared memory when they fit, 1 requires it (an
	// error when they do not fit), -1 keeps them in storage buffers.
	SharedHistory int
	// StepsPerDispatch bounds the steps of one dispatch (0: chosen from the ensemble size).
	StepsPerDispatch int
	// MemoryLimit, when positive, is the device memory in bytes an ensemble may use; 0 uses what
	// the driver reports (NVIDIA), else only the driver's out-of-memory error stops it.
	MemoryLimit int64
	// ExactDivSqrt makes every float division and square root of the shaders IEEE-rounded, as on
	// the CPU, also on drivers whose / and sqrt are approximations (GLSL allows 2.5 ULP; NVIDIA's
	// are): float32 runs then equal the CPU's bit for bit on any driver for models without
	// exp, log, pow, sin, cos, tan or tanh (engine/eqn GLSLFloatOps). It costs time where a model
	// divides often (ALN on an H200: 2.2x). The environment variable NEUROMASS_GPU_EXACT=1 sets it.
	// On Mesa llvmpipe / and sqrt are IEEE already, and the results are the same either way.
	ExactDivSqrt bool
	// Limits, when set, lowers the device's limits (tests use it to force ensemble splitting).
	Limits *Limits
}

// Info describes an opened GPU backend.
type Info struct {
	Provider                  string // the provider that made the context
	Vendor, Renderer, Version string // GL_VENDOR, GL_RENDERER, GL_VERSION
	GLSL                      string // GL_SHADING_LANGUAGE_VERSION
	Software                  bool   // the renderer is a CPU emulation (llvmpipe, softpipe, swrast)
	Limits                    Limits
	MaxGroupSize              [3]int
	DeviceMemory              int64    // bytes of dedicated memory the driver reports (NVX_gpu_memory_info), 0 if unknown
	Attempts                  []string // providers tried before this one and why they failed
}
