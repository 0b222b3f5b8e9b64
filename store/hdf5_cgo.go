//go:build cgo

package store

// gonum.org/v1/hdf5 opens files and writes and lists datasets; what it does not wrap (UTF-8 string
// and numeric array attributes, listing attributes, string datasets, the hdf5_hl dimension scales
// that give netCDF-4 readers named dimensions, the library's error messages) is the C below. It
// works on the same identifiers (Identifier.ID).

// #cgo LDFLAGS: -lhdf5 -lhdf5_hl
// #cgo linux,!arm64 CFLAGS: -I/usr/include/hdf5/serial -I/usr/lib/x86_64-linux-gnu/hdf5/serial/include
// #cgo linux,!arm64 LDFLAGS: -L/usr/lib/x86_64-linux-gnu/hdf5/serial/
// #cgo linux,arm64 CFLAGS: -I/usr/include/hdf5/serial -I/usr/lib/aarch64-linux-gnu/hdf5/serial/include
// #cgo linux,arm64 LDFLAGS: -L/usr/lib/aarch64-linux-gnu/hdf5/serial/
// #cgo darwin CFLAGS: -I/usr/local/include
// #cgo darwin LDFLAGS: -L/usr/local/lib
// #include <stdlib.h>
// #include <string.h>
// #include "hdf5.h"
// #include "hdf5_hl.h"
//
// // nm_quiet stops the library printing its error stack on stderr: errors are returned instead,
// // with the innermost message (nm_error).
// static void nm_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
//
// static herr_t nm_walk(unsigned n, const H5E_error2_t *e, void *data) {
//     // the stack is walked from the API call inward: keep the innermost message, the one that
//     // names the cause (a system error such as "File too large")
//     if (e->desc != NULL) { strncpy((char *)data, e->desc, 511); ((char *)data)[511] = 0; }
//     return 0;
// }
// static void nm_error(char *buf) { buf[0] = 0; H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, nm_walk, buf); }
//
// static hid_t nm_utf8(void) {
//     hid_t t = H5Tcopy(H5T_C_S1);
//     if (t < 0) return t;
//     if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) { H5Tclose(t); return -1; }
//     return t;
// }
//
// // nm_attr writes attribute name of loc: n values of type mem (a scalar when scalar is set).
// static herr_t nm_attr(hid_t loc, const char *name, hid_t mem, hid_t file, const void *v, hsize_t n, int scalar) {
//     hid_t sp = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &n, NULL);
//     if (sp < 0) return -1;
//     hid_t a = H5Acreate2(loc, name, file, sp, H5P_DEFAULT, H5P_DEFAULT);
//     H5Sclose(sp);
//     if (a < 0) return -1;
//     herr_t e = H5Awrite(a, mem, v);
//     if (H5Aclose(a) < 0) e = -1;
//     return e;
// }
// static herr_t nm_attr_strs(hid_t loc, const char *name, const char **v, hsize_t n, int scalar) {
//     hid_t t = nm_utf8();
//     if (t < 0) return -1;
//     herr_t e = nm_attr(loc, name, t, t, v, n, scalar);
//     H5Tclose(t);
//     return e;
// }
// static herr_t nm_attr_f64(hid_t loc, const char *name, const double *v, hsize_t n, int scalar) {
//     return nm_attr(loc, name, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE, v, n, scalar);
// }
// static herr_t nm_attr_i64(hid_t loc, const char *name, long long v) {
//     return nm_attr(loc, name, H5T_NATIVE_LLONG, H5T_STD_I64LE, &v, 1, 1);
// }
// static herr_t nm_attr_u64(hid_t loc, const char *name, unsigned long long v) {
//     return nm_attr(loc, name, H5T_NATIVE_ULLONG, H5T_STD_U64LE, &v, 1, 1);
// }
//
// // nm_strings_dataset writes a one-dimensional dataset of UTF-8 strings.
// static hid_t nm_strings_dataset(hid_t loc, const char *name, const char **v, hsize_t n) {
//     hid_t t = nm_utf8();
//     if (t < 0) return -1;
//     hid_t sp = H5Screate_simple(1, &n, NULL);
//     if (sp < 0) { H5Tclose(t); return -1; }
//     hid_t d = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
//     H5Sclose(sp);
//     if (d >= 0 && n > 0 && H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) { H5Dclose(d); d = -1; }
//     H5Tclose(t);
//     return d;
// }
//
// // nm_write writes a whole dataset from memory of type mem (here, not through gonum, whose
// // Write closes a datatype after a failed write and so clears the error stack that says why).
// static herr_t nm_write_f64(hid_t d, const double *v) { return H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v); }
// static herr_t nm_write_i64(hid_t d, const long long *v) { return H5Dwrite(d, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, v); }
//
// // nm_npoints returns the number of elements of an attribute (attr set) or dataset, and its
// // type class in *class.
// static hssize_t nm_npoints(hid_t id, int attr, int *class) {
//     hid_t sp = attr ? H5Aget_space(id) : H5Dget_space(id);
//     if (sp < 0) return -1;
//     hssize_t n = H5Sget_simple_extent_npoints(sp);
//     H5Sclose(sp);
//     hid_t t = attr ? H5Aget_type(id) : H5Dget_type(id);
//     if (t < 0) return -1;
//     *class = H5Tget_class(t);
//     H5Tclose(t);
//     return n;
// }
//
// // nm_read_f64 reads n numbers of an attribute or dataset as doubles (the library converts).
// static herr_t nm_read_f64(hid_t id, int attr, double *v) {
//     return attr ? H5Aread(id, H5T_NATIVE_DOUBLE, v) : H5Dread(id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
// }
// static herr_t nm_read_u64(hid_t id, unsigned long long *v) { return H5Aread(id, H5T_NATIVE_ULLONG, v); }
//
// // nm_read_strings reads the n strings of an attribute or dataset, variable or fixed length,
// // into out[0..n-1], each malloc'ed (free them with free).
// static herr_t nm_read_strings(hid_t id, int attr, char **out, hssize_t n) {
//     hid_t ft = attr ? H5Aget_type(id) : H5Dget_type(id);
//     if (ft < 0) return -1;
//     herr_t e = -1;
//     if (H5Tis_variable_str(ft) > 0) {
//         hid_t mt = H5Tcopy(H5T_C_S1);
//         H5Tset_size(mt, H5T_VARIABLE);
//         H5Tset_cset(mt, H5Tget_cset(ft));
//         char **tmp = calloc(n > 0 ? n : 1, sizeof(char *));
//         e = attr ? H5Aread(id, mt, tmp) : H5Dread(id, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, tmp);
//         if (e >= 0) {
//             for (hssize_t i = 0; i < n; i++) { out[i] = strdup(tmp[i] ? tmp[i] : ""); }
//             hid_t sp = attr ? H5Aget_space(id) : H5Dget_space(id);
// #if H5_VERSION_GE(1, 12, 0)
//             H5Treclaim(mt, sp, H5P_DEFAULT, tmp);
// #else
//             H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, tmp);
// #endif
//             H5Sclose(sp);
//         }
//         free(tmp);
//         H5Tclose(mt);
//     } else {
//         size_t sz = H5Tget_size(ft) + 1;
//         hid_t mt = H5Tcopy(H5T_C_S1);
//         H5Tset_size(mt, sz);
//         H5Tset_strpad(mt, H5T_STR_NULLTERM);
//         H5Tset_cset(mt, H5Tget_cset(ft));
//         char *buf = calloc(n > 0 ? n : 1, sz);
//         e = attr ? H5Aread(id, mt, buf) : H5Dread(id, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
//         if (e >= 0) {
//             for (hssize_t i = 0; i < n; i++) { out[i] = strdup(buf + i * sz); }
//         }
//         free(buf);
//         H5Tclose(mt);
//     }
//     H5Tclose(ft);
//     return e;
// }
//
// // nm_attr_name returns the name of attribute idx of loc (in name order), malloc'ed.
// static char *nm_attr_name(hid_t loc, hsize_t idx) {
//     ssize_t n = H5Aget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, idx, NULL, 0, H5P_DEFAULT);
//     if (n < 0) return NULL;
//     char *s = malloc(n + 1);
//     if (H5Aget_name_by_idx(loc, ".", H5_INDEX_NAME, H5_ITER_INC, idx, s, n + 1, H5P_DEFAULT) < 0) { free(s); return NULL; }
//     return s;
// }
// static hssize_t nm_num_attrs(hid_t loc) {
//     H5O_info_t info;
//     if (H5Oget_info2(loc, &info, H5O_INFO_NUM_ATTRS) < 0) return -1;
//     return (hssize_t)info.num_attrs;
// }
//
// static herr_t nm_scale_name(hid_t did, unsigned dim, hid_t dsid, void *data) {
//     ssize_t n = H5Iget_name(dsid, (char *)data, 255);
//     return n < 0 ? -1 : 1; // the first scale is the dimension's name
// }
// // nm_dim_name writes the path of the dimension scale attached to dimension dim of did into buf
// // (256 bytes); "" when there is none.
// static herr_t nm_dim_name(hid_t did, unsigned dim, char *buf) {
//     buf[0] = 0;
//     if (H5DSget_num_scales(did, dim) <= 0) return 0;
//     return H5DSiterate_scales(did, dim, NULL, nm_scale_name, buf) < 0 ? -1 : 0;
// }
import "C"

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"gonum.org/v1/hdf5"
)

// hdf5Mu serialises this package's use of the HDF5 library.
var hdf5Mu sync.Mutex

// h5begin starts a use of the library: locked (hdf5Mu), on one OS thread, whose error stack and
// printing setting are its own in a thread-safe build of the library (Debian's is one): the
// errors must be read on the thread that made them, and the printing of them turned off on every
// thread that may make them. It returns the function that ends the use.
func h5begin() func() {
	hdf5Mu.Lock()
	runtime.LockOSThread()
	C.nm_quiet()
	return func() {
		runtime.UnlockOSThread()
		hdf5Mu.Unlock()
	}
}

// h5error returns an error for a failed HDF5 call: what was being done, and the library's
// innermost message, which names the cause (e.g. "File too large" from the system).
func h5error(what string, err error) error {
	buf := (*C.char)(C.calloc(512, 1))
	defer C.free(unsafe.Pointer(buf))
	C.nm_error(buf)
	msg := C.GoString(buf)
	// A system error's description spans lines and quotes the system's message
	// ("file write failed: time = ...\n, filename = ..., errno = 27, error message = 'File too
	// large', ..."): keep that message.
	if _, rest, ok := strings.Cut(msg, "error message = '"); ok {
		if m, _, ok := strings.Cut(rest, "'"); ok && m != "" {
			msg = strings.ToLower(m[:1]) + m[1:]
		}
	}
	msg, _, _ = strings.Cut(msg, "\n")
	switch {
	case msg != "":
		return fmt.Errorf("%s: %s", what, msg)
	case err != nil:
		return fmt.Errorf("%s: %w", what, err)
	}
	return errors.New(what + ": HDF5 error")
}

func hid(id hdf5.Identifier) C.hid_t { return C.hid_t(id.ID()) }

// cstrings returns C copies of s and a function freeing them.
func cstrings(s []string) (**C.char, func()) {
	p := (**C.char)(C.calloc(C.size_t(max(len(s), 1)), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	v := unsafe.Slice(p, max(len(s), 1))
	for i, x := range s {
		v[i] = C.CString(x)
	}
	return p, func() {
		for i := range s {
			C.free(unsafe.Pointer(v[i]))
		}
		C.free(unsafe.Pointer(p))
	}
}

// attrWriter writes attributes on one object, keeping the first error.
type attrWriter struct {
	loc C.hid_t
	err error
}

func (w *attrWriter) call(name string, rc C.herr_t) {
	if rc < 0 && w.err == nil {
		w.err = h5error("attribute "+name, nil)
	}
}

func (w *attrWriter) str(name, v string) { w.strs(name, []string{v}, true) }

func (w *attrWriter) strs(name string, v []string, scalar bool) {
	if w.err != nil {
		return
	}
	for _, s := range v {
		if strings.IndexByte(s, 0) >= 0 {
			w.err = fmt.Errorf("attribute %s: a string with a NUL byte", name)
			return
		}
	}
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	p, free := cstrings(v)
	defer free()
	w.call(name, C.nm_attr_strs(w.loc, cn, p, C.hsize_t(len(v)), cbool(scalar)))
}

func (w *attrWriter) f64(name string, v []float64, scalar bool) {
	if w.err != nil {
		return
	}
	if len(v) == 0 {
		v = []float64{math.NaN()} // unreachable: File.check refuses empty parameters
	}
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	// a C copy: cgo forbids nothing here, but the library may keep the pointer past the call
	buf := (*C.double)(C.malloc(C.size_t(8 * len(v))))
	defer C.free(unsafe.Pointer(buf))
	copy(unsafe.Slice((*float64)(unsafe.Pointer(buf)), len(v)), v)
	w.call(name, C.nm_attr_f64(w.loc, cn, buf, C.hsize_t(len(v)), cbool(scalar)))
}

func (w *attrWriter) i64(name string, v int64) {
	if w.err != nil {
		return
	}
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	w.call(name, C.nm_attr_i64(w.loc, cn, C.longlong(v)))
}

func (w *attrWriter) u64(name string, v uint64) {
	if w.err != nil {
		return
	}
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	w.call(name, C.nm_attr_u64(w.loc, cn, C.ulonglong(v)))
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// chunkFor returns a chunk shape for a dataset: whole rows of the last (time) axis up to 2^16
// values (512 KiB), so reading one node's series touches few chunks and compression sees long
// runs of one signal.
func chunkFor(shape []int) []uint {
	c := make([]uint, len(shape))
	const limit = 1 << 16
	n := 1
	for i := len(shape) - 1; i >= 0; i-- {
		d := max(shape[i], 1)
		if i == len(shape)-1 {
			d = min(d, limit)
		} else {
			d = max(1, min(d, limit/n))
		}
		c[i] = uint(d)
		n *= d
	}
	return c
}

// writeHDF5 writes f as an HDF5 file at path (a new file; the caller renamed nothing yet).
func writeHDF5(path string, f *File) (err error) {
	defer h5begin()()
	h, err := hdf5.CreateFile(path, hdf5.F_ACC_TRUNC)
	if err != nil {
		return h5error("creating the HDF5 file", err)
	}
	closed := false
	defer func() {
		if !closed {
			h.Close()
		}
	}()
	root, err := h.OpenGroup("/")
	if err != nil {
		return h5error("opening the root group", err)
	}
	defer root.Close()

	// The dimensions: each a dimension scale dataset named after it. An array of that name is its
	// coordinate; "node" without one holds the node names, or indices as any other dimension.
	dimLen := map[string]int{}
	var dimOrder []string
	for _, a := range f.Arrays {
		for i, d := range a.Dims {
			if _, ok := dimLen[d]; !ok {
				dimOrder = append(dimOrder, d)
			}
			dimLen[d] = a.Shape[i]
		}
	}
	if f.Meta.NodeNames != nil {
		if _, ok := dimLen[DimNode]; !ok {
			dimOrder = append(dimOrder, DimNode)
		}
		dimLen[DimNode] = len(f.Meta.NodeNames)
	}
	for _, a := range f.Arrays {
		if a.Dims == nil {
			return fmt.Errorf("array %s has no dimension names, which HDF5 output needs", a.Name)
		}
	}
	datasets := map[string]*hdf5.Dataset{}
	defer func() {
		for _, d := range datasets {
			d.Close()
		}
	}()
	for _, a := range f.Arrays {
		ds, err := writeFloatDataset(h, a)
		if err != nil {
			return err
		}
		datasets[a.Name] = ds
		aw := attrWriter{loc: hid(ds.Identifier)}
		aw.str("units", a.Units)
		if aw.err != nil {
			return fmt.Errorf("array %s: %w", a.Name, aw.err)
		}
	}
	for _, d := range dimOrder {
		if _, ok := datasets[d]; ok {
			continue
		}
		ds, err := writeIndexDataset(h, d, dimLen[d], f.Meta.NodeNames)
		if err != nil {
			return err
		}
		datasets[d] = ds
	}
	for _, d := range dimOrder {
		cn := C.CString(d)
		rc := C.H5DSset_scale(hid(datasets[d].Identifier), cn)
		C.free(unsafe.Pointer(cn))
		if rc < 0 {
			return h5error("making "+d+" a dimension scale", nil)
		}
	}
	for _, a := range f.Arrays {
		for i, d := range a.Dims {
			if d == a.Name {
				continue // a coordinate is its own dimension
			}
			if C.H5DSattach_scale(hid(datasets[a.Name].Identifier), hid(datasets[d].Identifier), C.uint(i)) < 0 {
				return h5error(fmt.Sprintf("attaching dimension %s to %s", d, a.Name), nil)
			}
		}
	}

	// root attributes: the metadata
	m := &f.Meta
	aw := attrWriter{loc: hid(root.Identifier)}
	aw.str("format", formatTag)
	aw.i64("format_version", FormatVersion)
	aw.str("model", m.Model)
	aw.str("model_text", m.ModelText)
	aw.str("neuromass_version", m.Version)
	aw.str("backend", m.Backend)
	aw.str("device", m.Device)
	aw.str("precision", m.Precision)
	aw.str("mode", m.Mode)
	aw.f64("dt", []float64{m.Dt}, true)
	aw.f64("sampling_dt", []float64{m.SamplingDt}, true)
	aw.f64("duration", []float64{m.Duration}, true)
	aw.u64("seed", m.Seed)
	aw.i64("members", int64(m.Members))
	aw.i64("nodes", int64(m.Nodes))
	aw.str("created", m.Created.UTC().Format(time.RFC3339))
	aw.str("command", m.Command)
	names := make([]string, len(f.Arrays))
	for i, a := range f.Arrays {
		names[i] = a.Name
	}
	aw.strs("arrays", names, false)
	if aw.err != nil {
		return aw.err
	}
	// the parameters: one attribute each on /params, their units on /param_units
	for _, grp := range []struct {
		name string
		f64  map[string][]float64
		str  map[string]string
	}{{name: "params", f64: m.Params}, {name: "param_units", str: m.Units}} {
		g, err := h.CreateGroup(grp.name)
		if err != nil {
			return h5error("creating group "+grp.name, err)
		}
		aw := attrWriter{loc: hid(g.Identifier)}
		for _, k := range sortedKeys(grp.f64) {
			aw.f64(k, grp.f64[k], false)
		}
		for _, k := range sortedKeys(grp.str) {
			aw.str(k, grp.str[k])
		}
		g.Close()
		if aw.err != nil {
			return fmt.Errorf("%s: %w", grp.name, aw.err)
		}
	}

	for _, d := range datasets {
		d.Close()
	}
	clear(datasets)
	root.Close()
	closed = true
	if err := h.Close(); err != nil {
		return h5error("closing the HDF5 file", err)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for x := range m {
		k = append(k, x)
	}
	sort.Strings(k)
	return k
}

// writeFloatDataset writes one array as a float64 dataset, chunked (chunkFor) when it has values
// and not compressed: simulation output barely compresses (its low bits are noisy), and shuffle
// with deflate at level 1 made BenchmarkWrite's file 25% smaller but the write 6.7 times as long
// (49 instead of 330 MB/s), which a fast run recording every step would feel. "h5repack -f SHUF
// -f GZIP=1" compresses a file afterwards.
func writeFloatDataset(h *hdf5.File, a Array) (*hdf5.Dataset, error) {
	dims := make([]uint, len(a.Shape))
	for i, d := range a.Shape {
		dims[i] = uint(d)
	}
	var sp *hdf5.Dataspace
	var err error
	if len(dims) == 0 {
		sp, err = hdf5.CreateDataspace(hdf5.S_SCALAR)
	} else {
		sp, err = hdf5.CreateSimpleDataspace(dims, nil)
	}
	if err != nil {
		return nil, h5error("array "+a.Name+": dataspace", err)
	}
	defer sp.Close()
	pl, err := hdf5.NewPropList(hdf5.P_DATASET_CREATE)
	if err != nil {
		return nil, h5error("array "+a.Name+": property list", err)
	}
	defer pl.Close()
	if len(a.Data) > 0 && len(dims) > 0 {
		if err := pl.SetChunk(chunkFor(a.Shape)); err != nil {
			return nil, h5error("array "+a.Name+": chunks", err)
		}
	}
	ds, err := h.CreateDatasetWith(a.Name, hdf5.T_NATIVE_DOUBLE, sp, pl)
	if err != nil {
		return nil, h5error("array "+a.Name+": creating the dataset", err)
	}
	if len(a.Data) > 0 {
		// Go memory without pointers, read during the call only: cgo allows passing it
		if C.nm_write_f64(hid(ds.Identifier), (*C.double)(unsafe.Pointer(&a.Data[0]))) < 0 {
			err := h5error("array "+a.Name+": writing", nil)
			ds.Close()
			return nil, err
		}
	}
	return ds, nil
}

// writeIndexDataset writes the coordinate of a dimension without one: the node names for "node"
// when there are names, else the indices 0..n-1 (netCDF-4 readers need a dataset per dimension).
func writeIndexDataset(h *hdf5.File, name string, n int, nodeNames []string) (*hdf5.Dataset, error) {
	if name == DimNode && nodeNames != nil {
		for _, s := range nodeNames {
			if strings.IndexByte(s, 0) >= 0 {
				return nil, fmt.Errorf("node name %q has a NUL byte", s)
			}
		}
		cn := C.CString(name)
		defer C.free(unsafe.Pointer(cn))
		p, free := cstrings(nodeNames)
		defer free()
		id := C.nm_strings_dataset(hid(h.Identifier), cn, p, C.hsize_t(len(nodeNames)))
		if id < 0 {
			return nil, h5error("writing the node names", nil)
		}
		// reopen through gonum, so it is closed and used like the others
		C.H5Dclose(id)
		ds, err := h.OpenDataset(name)
		if err != nil {
			return nil, h5error("reopening the node names", err)
		}
		return ds, nil
	}
	sp, err := hdf5.CreateSimpleDataspace([]uint{uint(n)}, nil)
	if err != nil {
		return nil, h5error("dimension "+name, err)
	}
	defer sp.Close()
	ds, err := h.CreateDataset(name, hdf5.T_NATIVE_INT64, sp)
	if err != nil {
		return nil, h5error("dimension "+name, err)
	}
	if n > 0 {
		idx := make([]int64, n)
		for i := range idx {
			idx[i] = int64(i)
		}
		if C.nm_write_i64(hid(ds.Identifier), (*C.longlong)(unsafe.Pointer(&idx[0]))) < 0 {
			err := h5error("dimension "+name, nil)
			ds.Close()
			return nil, err
		}
	}
	return ds, nil
}

// h5obj is an open attribute or dataset for the readers below.
type h5obj struct {
	id   C.hid_t
	attr bool
}

func (o h5obj) floats() ([]float64, error) {
	var class C.int
	n := C.nm_npoints(o.id, cbool(o.attr), &class)
	if n < 0 {
		return nil, h5error("size", nil)
	}
	if class != C.H5T_FLOAT && class != C.H5T_INTEGER {
		return nil, errors.New("not numbers")
	}
	if n > maxRead {
		return nil, fmt.Errorf("%d values: more than this reader takes", n)
	}
	v := make([]float64, int(n))
	if n == 0 {
		return v, nil
	}
	buf := (*C.double)(C.malloc(C.size_t(8 * n)))
	defer C.free(unsafe.Pointer(buf))
	if C.nm_read_f64(o.id, cbool(o.attr), buf) < 0 {
		return nil, h5error("reading", nil)
	}
	copy(v, unsafe.Slice((*float64)(unsafe.Pointer(buf)), int(n)))
	return v, nil
}

func (o h5obj) strings() ([]string, error) {
	var class C.int
	n := C.nm_npoints(o.id, cbool(o.attr), &class)
	if n < 0 {
		return nil, h5error("size", nil)
	}
	if class != C.H5T_STRING {
		return nil, errors.New("not text")
	}
	if n > maxRead {
		return nil, fmt.Errorf("%d strings: more than this reader takes", n)
	}
	out := (**C.char)(C.calloc(C.size_t(max(n, 1)), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	defer C.free(unsafe.Pointer(out))
	if C.nm_read_strings(o.id, cbool(o.attr), out, n) < 0 {
		return nil, h5error("reading", nil)
	}
	cs := unsafe.Slice(out, int(max(n, 1)))
	s := make([]string, int(n))
	for i := range s {
		s[i] = C.GoString(cs[i])
		C.free(unsafe.Pointer(cs[i]))
	}
	return s, nil
}

// maxRead bounds what one dataset or attribute may hold (2^31 values, 16 GiB), so a corrupt
// header fails instead of allocating without end.
const maxRead = 1 << 31

// attrReader reads attributes of one object; a missing attribute reads as the zero value.
type attrReader struct {
	loc C.hid_t
	err error
}

func (r *attrReader) open(name string) (C.hid_t, bool) {
	if r.err != nil {
		return -1, false
	}
	cn := C.CString(name)
	defer C.free(unsafe.Pointer(cn))
	if ex := C.H5Aexists(r.loc, cn); ex <= 0 {
		if ex < 0 {
			r.err = h5error("attribute "+name, nil)
		}
		return -1, false
	}
	a := C.H5Aopen(r.loc, cn, C.H5P_DEFAULT)
	if a < 0 {
		r.err = h5error("attribute "+name, nil)
		return -1, false
	}
	return a, true
}

// readAttr reads attribute name with read; a missing attribute gives the zero value.
func readAttr[T any](r *attrReader, name string, read func(h5obj) (T, error)) T {
	var v T
	a, ok := r.open(name)
	if !ok {
		return v
	}
	defer C.H5Aclose(a)
	v, err := read(h5obj{a, true})
	if err != nil {
		r.err = fmt.Errorf("attribute %s: %w", name, err)
	}
	return v
}

func (r *attrReader) strs(name string) []string { return readAttr(r, name, h5obj.strings) }

func (r *attrReader) str(name string) string {
	s := r.strs(name)
	if len(s) > 1 && r.err == nil {
		r.err = fmt.Errorf("attribute %s: %d strings where one was expected", name, len(s))
	}
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

func (r *attrReader) f64s(name string) []float64 { return readAttr(r, name, h5obj.floats) }

func (r *attrReader) f64(name string) float64 {
	v := r.f64s(name)
	if len(v) != 1 {
		if len(v) > 1 && r.err == nil {
			r.err = fmt.Errorf("attribute %s: %d numbers where one was expected", name, len(v))
		}
		return 0
	}
	return v[0]
}

func (r *attrReader) u64(name string) uint64 {
	a, ok := r.open(name)
	if !ok {
		return 0
	}
	defer C.H5Aclose(a)
	var v C.ulonglong
	if C.nm_read_u64(a, &v) < 0 {
		r.err = h5error("attribute "+name, nil)
	}
	return uint64(v)
}

// names lists the object's attributes.
func (r *attrReader) names() []string {
	n := C.nm_num_attrs(r.loc)
	if n < 0 {
		r.err = h5error("listing attributes", nil)
		return nil
	}
	var out []string
	for i := range C.hsize_t(n) {
		cs := C.nm_attr_name(r.loc, i)
		if cs == nil {
			r.err = h5error("listing attributes", nil)
			return nil
		}
		out = append(out, C.GoString(cs))
		C.free(unsafe.Pointer(cs))
	}
	return out
}

// readHDF5 reads a file written by writeHDF5: the arrays named by the root's "arrays" attribute
// in that order (in a file without it, every numeric dataset at the root that is not a dimension's
// index), their units and dimension names, the metadata and the parameters.
func readHDF5(path string) (*File, error) {
	defer h5begin()()
	h, err := hdf5.OpenFile(path, hdf5.F_ACC_RDONLY)
	if err != nil {
		return nil, h5error("not a readable HDF5 file", err)
	}
	defer h.Close()
	root, err := h.OpenGroup("/")
	if err != nil {
		return nil, h5error("opening the root group", err)
	}
	defer root.Close()
	ar := attrReader{loc: hid(root.Identifier)}
	f := &File{}
	m := &f.Meta
	format := ar.str("format")
	version := ar.f64("format_version")
	if ar.err == nil && format != "" && format != formatTag {
		return nil, fmt.Errorf("format %q, expected %q", format, formatTag)
	}
	if version > FormatVersion {
		return nil, fmt.Errorf("format version %g is newer than this neuromass reads (%d): update neuromass", version, FormatVersion)
	}
	m.Model, m.ModelText, m.Version = ar.str("model"), ar.str("model_text"), ar.str("neuromass_version")
	m.Backend, m.Device, m.Precision, m.Mode = ar.str("backend"), ar.str("device"), ar.str("precision"), ar.str("mode")
	m.Dt, m.SamplingDt, m.Duration = ar.f64("dt"), ar.f64("sampling_dt"), ar.f64("duration")
	m.Seed = ar.u64("seed")
	m.Members, m.Nodes = int(ar.f64("members")), int(ar.f64("nodes"))
	m.Command = ar.str("command")
	if c := ar.str("created"); c != "" && ar.err == nil {
		if m.Created, err = time.Parse(time.RFC3339, c); err != nil {
			return nil, fmt.Errorf("attribute created: %w", err)
		}
	}
	names := ar.strs("arrays")
	if ar.err != nil {
		return nil, ar.err
	}
	ours := names != nil
	if !ours { // not ours: every numeric root dataset but the dimensions' indices
		n, err := root.NumObjects()
		if err != nil {
			return nil, h5error("listing the datasets", err)
		}
		for i := range n {
			name, err := root.ObjectNameByIndex(i)
			if err != nil {
				return nil, h5error("listing the datasets", err)
			}
			if typ, err := root.ObjectTypeByIndex(i); err == nil && typ == hdf5.H5G_DATASET && name != DimMember && name != DimNode {
				names = append(names, name)
			}
		}
	}
	for _, name := range names {
		a, err := readFloatDataset(h, name)
		if err != nil {
			return nil, fmt.Errorf("array %s: %w", name, err)
		}
		f.Arrays = append(f.Arrays, *a)
	}
	if h.LinkExists(DimNode) {
		ds, err := h.OpenDataset(DimNode)
		if err != nil {
			return nil, h5error("node", err)
		}
		var class C.int
		if C.nm_npoints(hid(ds.Identifier), 0, &class) >= 0 && class == C.H5T_STRING {
			m.NodeNames, err = h5obj{hid(ds.Identifier), false}.strings()
		}
		ds.Close()
		if err != nil {
			return nil, fmt.Errorf("node names: %w", err)
		}
	}
	for _, grp := range []string{"params", "param_units"} {
		if !h.LinkExists(grp) {
			continue
		}
		g, err := h.OpenGroup(grp)
		if err != nil {
			return nil, h5error(grp, err)
		}
		gr := attrReader{loc: hid(g.Identifier)}
		for _, k := range gr.names() {
			if grp == "params" {
				if m.Params == nil {
					m.Params = map[string][]float64{}
				}
				m.Params[k] = gr.f64s(k)
			} else {
				if m.Units == nil {
					m.Units = map[string]string{}
				}
				m.Units[k] = gr.str(k)
			}
		}
		g.Close()
		if gr.err != nil {
			return nil, fmt.Errorf("%s: %w", grp, gr.err)
		}
	}
	if ours { // as the .npz reader: no parameters read as an empty map
		if m.Params == nil {
			m.Params = map[string][]float64{}
		}
		if m.Units == nil {
			m.Units = map[string]string{}
		}
	}
	return f, nil
}

// readFloatDataset reads a root dataset as float64 with its shape, units and dimension names.
func readFloatDataset(h *hdf5.File, name string) (*Array, error) {
	if !h.LinkExists(name) {
		return nil, errors.New("no such dataset")
	}
	ds, err := h.OpenDataset(name)
	if err != nil {
		return nil, h5error("opening", err)
	}
	defer ds.Close()
	sp := ds.Space()
	if sp == nil {
		return nil, h5error("dataspace", nil)
	}
	dims, _, err := sp.SimpleExtentDims()
	sp.Close()
	if err != nil {
		return nil, h5error("dataspace", err)
	}
	a := &Array{Name: name, Shape: make([]int, len(dims))}
	for i, d := range dims {
		if d > maxRead {
			return nil, fmt.Errorf("dimension %d of length %d: too large", i, d)
		}
		a.Shape[i] = int(d)
	}
	if a.Data, err = (h5obj{hid(ds.Identifier), false}).floats(); err != nil {
		return nil, err
	}
	ar := attrReader{loc: hid(ds.Identifier)}
	a.Units = ar.str("units")
	if ar.err != nil {
		return nil, ar.err
	}
	buf := (*C.char)(C.calloc(256, 1))
	defer C.free(unsafe.Pointer(buf))
	for i := range a.Shape {
		if C.nm_dim_name(hid(ds.Identifier), C.uint(i), buf) < 0 {
			return nil, h5error("dimension names", nil)
		}
		d := strings.TrimPrefix(C.GoString(buf), "/")
		if d == "" && len(a.Shape) == 1 && isScale(ds) {
			d = name // a coordinate: its own dimension
		}
		if d == "" {
			a.Dims = nil // unnamed dimensions (not neuromass's file): none named
			break
		}
		a.Dims = append(a.Dims, d)
	}
	if slices.Contains(a.Dims, "") {
		a.Dims = nil
	}
	return a, nil
}

// isScale reports whether a dataset is a dimension scale.
func isScale(ds *hdf5.Dataset) bool {
	return C.H5DSis_scale(hid(ds.Identifier)) > 0
}

func hdf5Available() error { return nil }
