#!/usr/bin/python3
"""Check result files neuromass wrote, with the readers people use: numpy for .npz, h5py and
xarray (engine="h5netcdf") for HDF5.

    /usr/bin/python3 scripts/check_store.py EXPECT.json

EXPECT.json is written by the Go side (cmd/neuromass/run_store_test.go) from a run of the library
made apart from the file: for every file its path and format, the metadata it must carry, and for
every array its shape, dimension names, units and a summary of its values (sum of the finite
values, count of NaN, first and last value, a few samples by index). Uses only Debian's
python3-numpy, python3-h5py, python3-xarray and python3-h5netcdf. Prints one line per problem and
exits 1 if there is any, else prints how many checks passed and exits 0.
"""

import json
import math
import sys

import h5py
import numpy as np
import xarray as xr

problems = []
passed = 0


def check(ok, what):
    global passed
    if ok:
        passed += 1
    else:
        problems.append(what)


def close(got, want, rel):
    """Equal, or both NaN, or within rel of each other (rel = 0: the same double)."""
    got, want = float(got), float(want)
    if math.isnan(want):
        return math.isnan(got)
    if rel == 0:
        return got == want
    return abs(got - want) <= rel * max(abs(want), 1e-300)


# Sums: numpy adds pairwise, Go in order, so the last bits differ; 1e-12 of the sum is far above
# that rounding (about n * 1e-16 for n values) and far below any real difference.
SUM_REL = 1e-12


def check_values(where, data, a):
    """data: a numpy array read by one of the readers; a: the expectation of one array."""
    data = np.asarray(data, dtype=np.float64)
    check(list(data.shape) == a["shape"], f"{where}: shape {list(data.shape)}, expected {a['shape']}")
    if list(data.shape) != a["shape"]:
        return
    flat = data.reshape(-1)
    nan = int(np.isnan(flat).sum())
    check(nan == a["nan"], f"{where}: {nan} NaN, expected {a['nan']}")
    finite = flat[np.isfinite(flat)]
    check(close(finite.sum(), a["sum"], SUM_REL), f"{where}: sum {finite.sum()!r}, expected {a['sum']!r}")
    if flat.size:
        check(close(flat[0], a["first"], 0), f"{where}: first value {flat[0]!r}, expected {a['first']!r}")
        check(close(flat[-1], a["last"], 0), f"{where}: last value {flat[-1]!r}, expected {a['last']!r}")
    for idx, v in a.get("samples", []):
        got = data[tuple(idx)]
        check(close(got, v, 0), f"{where}{idx}: {got!r}, expected {v!r}")


def check_attrs(where, attrs, want):
    """attrs: a mapping read from the file; want: the expected metadata (numbers and strings)."""
    for k, v in want.items():
        if k not in attrs:
            problems.append(f"{where}: attribute {k} missing")
            continue
        got = attrs[k]
        if isinstance(got, bytes):
            got = got.decode()
        if isinstance(v, str):
            check(got == v, f"{where}: attribute {k} = {got!r}, expected {v!r}")
        else:
            check(np.ndim(got) == 0 and close(got, v, 0), f"{where}: attribute {k} = {got!r}, expected {v!r}")


def check_params(where, params, units, want):
    for k, v in want["params"].items():
        if k not in params:
            problems.append(f"{where}: parameter {k} missing")
            continue
        got = np.atleast_1d(np.asarray(params[k], dtype=np.float64))
        check(got.tolist() == v, f"{where}: parameter {k} = {got.tolist()}, expected {v}")
    for k, v in want["param_units"].items():
        got = units.get(k)
        if isinstance(got, bytes):
            got = got.decode()
        check(got == v, f"{where}: unit of parameter {k} = {got!r}, expected {v!r}")


def check_npz(f):
    path = f["path"]
    # allow_pickle=False: the file must load without executing anything
    with np.load(path, allow_pickle=False) as z:
        names = [n for n in z.files if n not in ("attrs", "node_names")]
        want_names = [a["name"] for a in f["arrays"]]
        check(names == want_names, f"{path}: arrays {names}, expected {want_names}")
        check(z["attrs"].dtype.kind == "U" and z["attrs"].shape == (), f"{path}: attrs is {z['attrs'].dtype} {z['attrs'].shape}, expected a 0-d unicode array")
        attrs = json.loads(str(z["attrs"]))
        check_attrs(path, attrs, f["attrs"])
        check(f["model_text_contains"] in attrs["model_text"], f"{path}: model_text lacks {f['model_text_contains']!r}")
        check_params(path, attrs["params"], attrs["param_units"], f)
        if f.get("node_names") is not None:
            nn = z["node_names"]
            check(nn.dtype.kind == "U", f"{path}: node_names dtype {nn.dtype}, expected unicode")
            check(nn.tolist() == f["node_names"], f"{path}: node_names {nn.tolist()[:4]}..., expected {f['node_names'][:4]}...")
        described = {a["name"]: a for a in attrs["arrays"]}
        for a in f["arrays"]:
            where = f"{path}:{a['name']}"
            check(z[a["name"]].dtype == np.float64, f"{where}: dtype {z[a['name']].dtype}, expected float64")
            check_values(where, z[a["name"]], a)
            d = described.get(a["name"], {})
            check(d.get("units") == a["units"], f"{where}: units {d.get('units')!r}, expected {a['units']!r}")
            check(d.get("dims") == a["dims"], f"{where}: dims {d.get('dims')}, expected {a['dims']}")


def check_h5py(f):
    path = f["path"]
    with h5py.File(path, "r") as h:
        check_attrs(path, h.attrs, f["attrs"])
        text = h.attrs["model_text"]
        check(f["model_text_contains"] in text, f"{path}: model_text lacks {f['model_text_contains']!r}")
        check_params(path, dict(h["params"].attrs), dict(h["param_units"].attrs), f)
        order = [x.decode() if isinstance(x, bytes) else x for x in h.attrs["arrays"]]
        check(order == [a["name"] for a in f["arrays"]], f"{path}: attribute arrays {order}")
        if f.get("node_names") is not None:
            nn = [x.decode() for x in h["node"][()]]
            check(nn == f["node_names"], f"{path}: node names {nn[:4]}..., expected {f['node_names'][:4]}...")
        for a in f["arrays"]:
            where = f"{path}:{a['name']} (h5py)"
            ds = h[a["name"]]
            check(ds.dtype == np.float64, f"{where}: dtype {ds.dtype}")
            check_values(where, ds[()], a)
            u = ds.attrs.get("units")
            check(u == a["units"], f"{where}: units {u!r}, expected {a['units']!r}")
            # the dimension scales: each dimension's attached scale is the dataset named as the dimension
            dims = []
            for i, dim in enumerate(ds.dims):
                if len(dim) == 0:
                    dims.append(a["name"] if h5py.h5ds.is_scale(ds.id) else None)
                else:
                    dims.append(dim[0].name.lstrip("/"))
            check(dims == a["dims"], f"{where}: dimension scales {dims}, expected {a['dims']}")


def check_xarray(f):
    path = f["path"]
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        check_attrs(path + " (xarray)", ds.attrs, f["attrs"])
        for a in f["arrays"]:
            where = f"{path}:{a['name']} (xarray)"
            if a["name"] not in ds.variables:
                problems.append(f"{where}: missing")
                continue
            v = ds[a["name"]]
            check(list(v.dims) == a["dims"], f"{where}: dims {list(v.dims)}, expected {a['dims']}")
            check(v.attrs.get("units") == a["units"], f"{where}: units {v.attrs.get('units')!r}, expected {a['units']!r}")
            check_values(where, v.values, a)
            # every dimension is a coordinate of the right length
            for d, n in zip(a["dims"], a["shape"]):
                check(d in ds.coords and ds.coords[d].size == n, f"{where}: no coordinate {d} of length {n}")
        if f.get("node_names") is not None:
            nn = [str(x) for x in ds.coords["node"].values]
            check(nn == f["node_names"], f"{path}: node coordinate {nn[:4]}..., expected {f['node_names'][:4]}...")
            # selecting by region name is what the coordinate is for
            first = f["node_names"][0]
            for a in f["arrays"]:
                if "node" in a["dims"] and a["dims"][-1] == "t" and "member" not in a["dims"]:
                    got = ds[a["name"]].sel(node=first).values
                    check(got.shape == (a["shape"][-1],), f"{path}: {a['name']}.sel(node={first!r}) has shape {got.shape}")
        with xr.open_dataset(path, engine="h5netcdf", group="params") as p, \
                xr.open_dataset(path, engine="h5netcdf", group="param_units") as pu:
            check_params(path + " (xarray params)", dict(p.attrs), dict(pu.attrs), f)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check_store.py EXPECT.json")
    with open(sys.argv[1]) as fh:
        expect = json.load(fh)
    if not expect.get("files"):
        sys.exit(f"{sys.argv[1]}: no files to check")
    for f in expect["files"]:
        try:
            if f["format"] == "npz":
                check_npz(f)
            elif f["format"] == "hdf5":
                check_h5py(f)
                check_xarray(f)
            else:
                problems.append(f"{f['path']}: unknown format {f['format']!r}")
        except Exception as e:  # a reader that cannot open the file is a failed check, with its reason
            problems.append(f"{f['path']}: {type(e).__name__}: {e}")
    for p in problems:
        print("FAIL", p)
    print(f"check_store: {passed} checks passed, {len(problems)} failed, {len(expect['files'])} files")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
