package store

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/neuromass/neuromass/engine"
)

// Format names a result file format.
type Format string

// The formats Write and Read know.
const (
	FormatNPZ  Format = "npz"
	FormatHDF5 Format = "hdf5"
)

// FormatVersion is the version of the layout described in the package documentation, written as
// the format_version attribute. It grows when a reader would misread a newer file.
const FormatVersion = 1

// formatTag is the "format" attribute of every result file neuromass writes.
const formatTag = "neuromass-result"

// FormatFor returns the format a path's extension asks for: .npz is npz; .h5, .hdf5 and .nc are
// HDF5 (.nc because the HDF5 files follow netCDF-4's conventions). Anything else is an error
// that lists what is known, so a command can refuse a bad --out before it simulates.
func FormatFor(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npz":
		return FormatNPZ, nil
	case ".h5", ".hdf5", ".nc":
		return FormatHDF5, nil
	}
	return "", fmt.Errorf("%s: unknown result file type %q: expected .npz, .h5, .hdf5 or .nc", path, filepath.Ext(path))
}

// CanWrite reports whether this build writes the format: HDF5 needs cgo and libhdf5, so a build
// with CGO_ENABLED=0 writes only .npz. Commands check it before a long run.
func CanWrite(f Format) error {
	switch f {
	case FormatNPZ:
		return nil
	case FormatHDF5:
		return hdf5Available()
	}
	return fmt.Errorf("unknown format %q", f)
}

// Meta describes how a result was made. Every field is optional: a zero Meta is written as
// empty strings and zeros (and read back as such).
type Meta struct {
	Model     string // the model's name
	ModelText string // the model's definition (its model file), so the file says what was simulated
	Version   string // neuromass's version
	Backend   string // the backend that ran it: cpu or gpu
	Device    string // what the backend ran on: the CPU's kernel set, the GL renderer
	Precision string // f64 or f32
	Mode      string // default or compat

	Dt         float64 // integration step, ms
	SamplingDt float64 // ms between recorded samples
	Duration   float64 // simulated time, ms
	Seed       uint64
	Members    int // ensemble size
	Nodes      int

	NodeNames []string // one per node when the network has region names, else nil

	// Params are the parameters as they were set, one value for a shared parameter, one per
	// member or node otherwise; Units their units where the model declares one.
	Params map[string][]float64
	Units  map[string]string

	Created time.Time // when the file was written (UTC, to the second, as written)
	Command string    // the command line that made it
}

// Array is a named float64 array: Data in row-major (C) order, Shape its dimensions (nil or
// empty for a scalar). The product of Shape must be len(Data). Units and Dims (one name per
// dimension, e.g. node and t) are optional for .npz and required for HDF5, whose dimensions are
// named.
type Array struct {
	Name  string
	Shape []int
	Data  []float64
	Units string
	Dims  []string
}

// File is a result file's contents: its metadata and its arrays, in the order written.
type File struct {
	Meta   Meta
	Arrays []Array
}

// Array returns the array named name.
func (f *File) Array(name string) (*Array, bool) {
	for i := range f.Arrays {
		if f.Arrays[i].Name == name {
			return &f.Arrays[i], true
		}
	}
	return nil, false
}

// The dimension names of a result (see the package documentation).
const (
	DimMember = "member"
	DimNode   = "node"
	DimTime   = "t"
)

// FromResult returns a result as a File: "t", the sample times in ms ([t]); every recorded output
// under its name, [node][t] for a single member and [member][node][t] for an ensemble, with its
// unit; an output with its own time stamps (BOLD) on its own time axis "t_NAME" ([node][t_NAME]),
// and so is an output that compat mode shortens (Series.Offset > 0: Kuramoto, quirk Q17), whose
// t_NAME is t from its offset. meta's Members and Nodes are set from the result, and its Model when
// empty.
func FromResult(res *engine.Result, meta Meta) (*File, error) {
	meta.Members, meta.Nodes = res.Members, res.Nodes
	if meta.Model == "" {
		meta.Model = res.Model
	}
	if meta.Dt == 0 {
		meta.Dt = res.Dt
	}
	if meta.SamplingDt == 0 {
		meta.SamplingDt = float64(res.Every) * res.Dt
	}
	f := &File{Meta: meta}
	f.Arrays = append(f.Arrays, Array{Name: DimTime, Shape: []int{len(res.T)}, Data: res.T, Units: "ms", Dims: []string{DimTime}})
	var extra []Array // the outputs' own time axes, after the outputs (today's .npz order)
	for i := range res.Series {
		s := &res.Series[i]
		if s.Name == DimTime || s.Name == DimNode || s.Name == DimMember {
			return nil, fmt.Errorf("model %s has an output named %s, which would clash with the axis of that name", res.Model, s.Name)
		}
		tdim := DimTime
		switch {
		case s.Times != nil:
			tdim = "t_" + s.Name
			extra = append(extra, Array{Name: tdim, Shape: []int{len(s.Times)}, Data: s.Times, Units: "ms", Dims: []string{tdim}})
		case s.Offset > 0 || s.Samples != len(res.T):
			var ts []float64 // none when the run was shorter than the samples dropped
			if s.Samples > 0 {
				if s.Offset+s.Samples > len(res.T) {
					return nil, fmt.Errorf("output %s: %d samples from offset %d, but only %d time stamps", s.Name, s.Samples, s.Offset, len(res.T))
				}
				ts = res.T[s.Offset : s.Offset+s.Samples]
			}
			tdim = "t_" + s.Name
			extra = append(extra, Array{Name: tdim, Shape: []int{s.Samples}, Data: ts, Units: "ms", Dims: []string{tdim}})
		}
		a := Array{Name: s.Name, Shape: []int{res.Nodes, s.Samples}, Data: s.Data, Units: s.Unit, Dims: []string{DimNode, tdim}}
		if res.Members > 1 {
			a.Shape = []int{res.Members, res.Nodes, s.Samples}
			a.Dims = []string{DimMember, DimNode, tdim}
		}
		f.Arrays = append(f.Arrays, a)
	}
	f.Arrays = append(f.Arrays, extra...)
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("model %s: %w", res.Model, err)
	}
	return f, nil
}

// check validates the arrays: names unique and usable as file member names, shapes matching
// data and dims, every dimension name of one length, metadata sizes consistent.
func (f *File) check() error {
	seen := map[string]bool{}
	dimLen := map[string]int{}
	for _, a := range f.Arrays {
		if a.Name == "" || strings.ContainsAny(a.Name, "/\\\x00") || a.Name == "." || a.Name == ".." {
			return fmt.Errorf("invalid array name %q", a.Name)
		}
		if a.Name == "attrs" || a.Name == "node_names" {
			return fmt.Errorf("array name %q is reserved for the metadata", a.Name)
		}
		if seen[a.Name] {
			return fmt.Errorf("array %q given twice", a.Name)
		}
		seen[a.Name] = true
		n := 1
		for _, d := range a.Shape {
			if d < 0 {
				return fmt.Errorf("array %s has a negative dimension in shape %v", a.Name, a.Shape)
			}
			n *= d
		}
		if n != len(a.Data) {
			return fmt.Errorf("array %s has %d values for shape %v (%d)", a.Name, len(a.Data), a.Shape, n)
		}
		if a.Dims == nil {
			continue
		}
		if len(a.Dims) != len(a.Shape) {
			return fmt.Errorf("array %s has %d dimension names %v for shape %v", a.Name, len(a.Dims), a.Dims, a.Shape)
		}
		for i, d := range a.Dims {
			if d == "" || strings.ContainsAny(d, "/\\\x00") {
				return fmt.Errorf("array %s: invalid dimension name %q", a.Name, d)
			}
			if slices.Index(a.Dims, d) != i {
				return fmt.Errorf("array %s: dimension %s named twice in %v", a.Name, d, a.Dims)
			}
			if l, ok := dimLen[d]; ok && l != a.Shape[i] {
				return fmt.Errorf("array %s: dimension %s has length %d here and %d elsewhere", a.Name, d, a.Shape[i], l)
			}
			dimLen[d] = a.Shape[i]
		}
	}
	// An array named like a dimension is that dimension's coordinate: one-dimensional along itself.
	for _, a := range f.Arrays {
		if _, isDim := dimLen[a.Name]; isDim && (len(a.Dims) != 1 || a.Dims[0] != a.Name) {
			return fmt.Errorf("array %s has the name of a dimension but is not its coordinate (dims %v)", a.Name, a.Dims)
		}
	}
	if f.Meta.NodeNames != nil {
		if l, ok := dimLen[DimNode]; ok && l != len(f.Meta.NodeNames) {
			return fmt.Errorf("%d node names for %d nodes", len(f.Meta.NodeNames), l)
		}
	}
	for name, v := range f.Meta.Params {
		if name == "" {
			return fmt.Errorf("a parameter without a name")
		}
		if len(v) == 0 {
			return fmt.Errorf("parameter %s has no values", name)
		}
	}
	for _, x := range []float64{f.Meta.Dt, f.Meta.SamplingDt, f.Meta.Duration} {
		if !finite(x) {
			return fmt.Errorf("dt, sampling interval and duration must be finite: %v", x)
		}
	}
	return nil
}

// Write writes f to path in the format its extension names (FormatFor). The file is written
// under a temporary name in path's directory, flushed to disk and renamed to path: an error (or a
// killed process) never leaves a partial file under path, and an existing file there is replaced
// only by a complete one.
func Write(path string, f *File) error {
	format, err := FormatFor(path)
	if err != nil {
		return err
	}
	return WriteFormat(path, format, f)
}

// WriteFormat is Write with the format given rather than taken from the extension.
func WriteFormat(path string, format Format, f *File) error {
	if err := f.check(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if f.Meta.Created.IsZero() {
		g := *f
		g.Meta.Created = time.Now().UTC().Truncate(time.Second)
		f = &g
	}
	switch format {
	case FormatNPZ:
		return atomicWrite(path, func(w io.Writer) error { return writeNPZ(w, f.Arrays, &f.Meta) })
	case FormatHDF5:
		return atomicWriteNamed(path, func(tmp string) error { return writeHDF5(tmp, f) })
	}
	return fmt.Errorf("%s: unknown format %q", path, format)
}

// WriteResult writes a result (FromResult with meta) to path in the format its extension names.
func WriteResult(path string, res *engine.Result, meta Meta) error {
	f, err := FromResult(res, meta)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return Write(path, f)
}

// hdf5Magic is the HDF5 signature; it is at offset 0, 512, 1024, ... (after a user block).
var hdf5Magic = []byte("\x89HDF\r\n\x1a\n")

// Read reads a result file written by Write (or an .npz of float arrays written by anything
// else): the format by the extension, or by the first bytes when the extension is neither .npz
// nor an HDF5 one.
func Read(path string) (*File, error) {
	format, err := FormatFor(path)
	if err != nil {
		if format, err = sniff(path); err != nil {
			return nil, err
		}
	}
	var f *File
	switch format {
	case FormatNPZ:
		f, err = readNPZ(path)
	default:
		f, err = readHDF5(path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// sniff tells the format by the file's first bytes: a zip archive is npz, an HDF5 signature at 0
// or 512 (MATLAB's user block) is HDF5.
func sniff(path string) (Format, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	head := make([]byte, 520)
	n, err := io.ReadFull(fh, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return FormatNPZ, nil
	case bytes.HasPrefix(head, hdf5Magic), len(head) >= 520 && bytes.Equal(head[512:520], hdf5Magic):
		return FormatHDF5, nil
	}
	return "", fmt.Errorf("%s: neither an .npz (zip) nor an HDF5 file", path)
}

// finite reports whether v is neither NaN nor infinite (metadata numbers; array data may be NaN).
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
