#!/usr/bin/env bash
# Runs the GPU tests and the GPU benchmark from a bundle made by bench/gpu/build.sh, on a machine
# with an NVIDIA GPU and its driver, without Go or network access; under 5 minutes. Writes
# results.txt beside this script: the GL strings, the test summary and node-steps/s.
#   ./run.sh            GPU tests (-short grid) and the benchmark (ALN, Hopf on gw, 1 s, E = 1024, 16384)
#   FULL=1 ./run.sh     the full conformance grid instead of -short
#   ALLOW_SOFTWARE=1    run even when the renderer is a software one (llvmpipe): never a GPU timing
#   NEUROMASS_GPU_GROUPS=8,16,32 ./run.sh   also the 16384-member runs with those members per workgroup
# Containers: the NVIDIA toolkit mounts the EGL driver only with NVIDIA_DRIVER_CAPABILITIES=graphics
# (or all).
set -uo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
cd "$dir"
res="$dir/results.txt"
: >"$res"
say() { echo "$*" | tee -a "$res"; }

# the bundled libraries (not glibc); glvnd's only when the server has none (the driver's own glvnd
# must win where it exists)
libs="$dir/lib"
if ! ldconfig -p 2>/dev/null | grep -q 'libEGL.so.1 '; then
  libs="$libs:$dir/lib/glvnd"
  say "using the bundled libEGL.so.1 and libGLdispatch.so.0"
fi
export LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# containers that mount the driver under /usr/local/nvidia (its libraries are then not in the
# loader's cache, and its vendor file is not where glvnd looks)
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [[ -d $d ]] && export LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$d"
done
# NVIDIA's EGL vendor file, when the driver did not install one where glvnd looks
if [[ -z ${__EGL_VENDOR_LIBRARY_FILENAMES:-} ]] && ! ls /usr/share/glvnd/egl_vendor.d/*nvidia*.json /etc/glvnd/egl_vendor.d/*nvidia*.json >/dev/null 2>&1; then
  mounted=$(ls /usr/local/nvidia/share/glvnd/egl_vendor.d/*nvidia*.json 2>/dev/null | head -1)
  export __EGL_VENDOR_LIBRARY_FILENAMES=${mounted:-$dir/egl_vendor.d/10_nvidia.json}
  say "using the EGL vendor file $__EGL_VENDOR_LIBRARY_FILENAMES"
fi
# the EGL device platform only: never fall back to Mesa's software renderer silently
export NEUROMASS_GL_PROVIDER=${NEUROMASS_GL_PROVIDER:-egl-device}
export NEUROMASS_REQUIRE_GPU=1
export NEUROMASS_GW_DIR="$dir/gw"

say "== $(date -u +%FT%TZ) on $(hostname)"
command -v nvidia-smi >/dev/null && nvidia-smi -L 2>&1 | tee -a "$res"
say "== neuromass info"
info=$(./neuromass info 2>&1)
say "$info"
if ! grep -q '^  gpu  available' <<<"$info"; then
  say "no GPU backend: see the reasons above"
  exit 1
fi
if grep -q 'GL_RENDERER: .*\(llvmpipe\|softpipe\|swrast\)' <<<"$info" && [[ ${ALLOW_SOFTWARE:-} != 1 ]]; then
  say "the renderer is a software rasterizer, NOT A GPU: stopping (ALLOW_SOFTWARE=1 runs it anyway; its timings are never GPU timings)"
  exit 1
fi

say "== GPU tests"
short=-test.short
[[ ${FULL:-} == 1 ]] && short=
timeout 200 ./gpu.test -test.v $short -test.count=1 -test.timeout 190s 2>&1 | tee "$dir/tests.log" | grep -E '^(--- FAIL|FAIL|PASS|ok|gpu tests on)|^\s+--- FAIL' | tee -a "$res"
tests=${PIPESTATUS[0]}
say "GPU tests exit status: $tests (full log: tests.log)"

say "== GPU benchmark"
timeout 240 ./bench.test -test.v -test.run '^$' -test.bench '^BenchmarkGPU$' -test.benchtime 1x -test.timeout 230s 2>&1 | tee "$dir/bench.log" | grep -E 'device:|node-steps/s|FAIL|ok|SKIP|software' | tee -a "$res"
bench=${PIPESTATUS[0]}
say "benchmark exit status: $bench (full log: bench.log); target on an H100: ALN gw E=16384 >= 1.5e10 node-steps/s"
if [[ -n ${NEUROMASS_GPU_GROUPS:-} ]]; then
  say "== members per workgroup: $NEUROMASS_GPU_GROUPS"
  timeout 240 ./bench.test -test.v -test.run '^$' -test.bench BenchmarkGPUGroups -test.benchtime 1x -test.timeout 230s 2>&1 | tee "$dir/groups.log" | grep -E 'per workgroup|FAIL' | tee -a "$res"
fi
[[ $tests == 0 && $bench == 0 ]]
