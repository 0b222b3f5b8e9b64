#!/usr/bin/env bash
# Installs what neuromass needs to build and test: the Debian packages below (only those missing;
# a machine that has them all does nothing) and the Go modules in go.mod. Idempotent.
# Called by `make deps`, which `make build`, `make test`, `make check` and `make run` run first.
set -euo pipefail
cd "$(dirname "$0")/.."

# platform.md 1.1 and 3.1: cgo headers for go-gl/gl (GL, EGL) and go-gl/glfw (X11), Mesa llvmpipe
# for GPU tests without a GPU, Xvfb for GLFW tests, glslang for checking emitted GLSL, HDF5 output.
packages=(
  pkg-config glslang-tools
  libgl-dev libegl-dev libegl1 libegl-mesa0 libgl1-mesa-dri
  libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
  xvfb xauth
  libhdf5-dev
  # the Python readers of the result-file check (scripts/check_store.py, run by go test)
  python3-numpy python3-h5py python3-xarray python3-h5netcdf
)

# One `dpkg -s` for all (0.05 s, not 0.4 s for one each). It also knows packages that were removed but
# left config files, so count only those whose status is "install ok installed".
installed=" $(dpkg -s "${packages[@]}" 2>/dev/null |
  awk '/^Package:/ {p = $2} /^Status: install ok installed$/ {printf "%s ", p}' || true) "
missing=()
for p in "${packages[@]}"; do
  [[ $installed == *" $p "* ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "deps: these packages are missing and installing them needs root or sudo: ${missing[*]}" >&2
    exit 1
  fi
  echo "deps: installing Debian packages: ${missing[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi

go mod download
