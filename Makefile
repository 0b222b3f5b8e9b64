# neuromass: build, test and check. Every target installs what it needs first (`deps`: Debian packages
# via apt when missing, which needs root or sudo; Go modules), so each works on a fresh Debian 12 machine.

SHELL := /bin/bash
BIN := bin/neuromass

.PHONY: all deps build test fuzz run check clean

all: build

## deps: install missing Debian packages (apt, root or sudo) and download Go modules; idempotent
deps:
	@.ci/deps.sh

## build: build the command-line tool into bin/neuromass, with the SIMD kernels (GOEXPERIMENT=simd:
## AVX-512/AVX2 on amd64, chosen at run time; plain Go elsewhere)
build: deps
	GOEXPERIMENT=simd go build -o $(BIN) ./cmd/neuromass

## test: all tests, then the packages with SIMD variants again with them, the ensemble benchmarks in
## their short mode (so they cannot rot), the gpu package once more through GLFW on Xvfb, the build
## without cgo, then every fuzz target
## for $(FUZZTIME) (default 20s) each
test: deps
	go test -count=1 -timeout 30m ./...
	GOEXPERIMENT=simd go test -count=1 ./models/alntable/... ./cpu/...
	GOEXPERIMENT=simd go test -count=1 -short -run '^$$' -bench '^Benchmark(B[0-9]|Sweep)' -benchtime 1x ./bench/
	# GPU: the package once more through GLFW on Xvfb (the run above used EGL, no display), the GPU
	# benchmark's -short sizes on Mesa llvmpipe, and the build without cgo (gpu reports itself unavailable)
	NEUROMASS_GL_PROVIDER=glfw xvfb-run -a -s "-screen 0 64x64x24 -nolisten tcp" go test -count=1 -short ./gpu/
	go test -count=1 -short -run '^$$' -bench '^BenchmarkGPU$$' -benchtime 1x ./bench/
	CGO_ENABLED=0 go build ./...
	.ci/fuzz.sh

## fuzz: only the bounded fuzz runs (FUZZTIME=2m make fuzz for longer)
fuzz: deps
	.ci/fuzz.sh

## run: the main job on the built-in default: ALN on the built-in 80-region connectome for 2 s,
## written to out/aln.h5 (HDF5, opens in h5py and xarray) with pictures in out/plots/
run: build
	mkdir -p out
	./$(BIN) run --sampling-dt 1 --out out/aln.h5 --plot out/plots

## check: gofmt, go vet, generated files fresh
check: deps
	.ci/check.sh

clean:
	rm -rf bin
