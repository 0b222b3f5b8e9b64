package store

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// WriteNPZ writes the arrays to path as a NumPy .npz archive (deflated, numpy.savez_compressed's
// layout: one NAME.npy member per array, in the order given), as float64 ('<f8'), without
// metadata (Write adds it). It writes a temporary file in path's directory and renames it to path
// on success: on error nothing is left behind and an existing file at path is untouched.
func WriteNPZ(path string, arrays []Array) error {
	if err := (&File{Arrays: arrays}).check(); err != nil {
		return fmt.Errorf("npz %s: %w", path, err)
	}
	return atomicWrite(path, func(w io.Writer) error { return writeNPZ(w, arrays, nil) })
}

// npzAttrs is the JSON held by an .npz's "attrs" array: the metadata, and the units and dimension
// names of every array in order.
type npzAttrs struct {
	Format        string                `json:"format"`
	FormatVersion int                   `json:"format_version"`
	Model         string                `json:"model"`
	ModelText     string                `json:"model_text"`
	Version       string                `json:"neuromass_version"`
	Backend       string                `json:"backend"`
	Device        string                `json:"device"`
	Precision     string                `json:"precision"`
	Mode          string                `json:"mode"`
	Dt            float64               `json:"dt"`
	SamplingDt    float64               `json:"sampling_dt"`
	Duration      float64               `json:"duration"`
	Seed          uint64                `json:"seed"`
	Members       int                   `json:"members"`
	Nodes         int                   `json:"nodes"`
	Params        map[string]jsonFloats `json:"params"`
	ParamUnits    map[string]string     `json:"param_units"`
	Created       string                `json:"created"`
	Command       string                `json:"command"`
	Arrays        []npzArrayAttrs       `json:"arrays"`
}

type npzArrayAttrs struct {
	Name  string   `json:"name"`
	Units string   `json:"units"`
	Dims  []string `json:"dims"`
}

// writeNPZ writes the archive: the arrays, then with meta "node_names" (when there are names)
// and "attrs".
func writeNPZ(w io.Writer, arrays []Array, meta *Meta) error {
	zw := zip.NewWriter(w)
	// Deflate at its fastest level: simulation output barely compresses (noisy low bits of
	// float64), and the default level took three times as long for 1% more.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	member := func(name string, write func(io.Writer) error) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: zip.Deflate})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := write(fw); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	for _, a := range arrays {
		if err := member(a.Name, func(w io.Writer) error { return writeNPY(w, a) }); err != nil {
			return err
		}
	}
	if meta != nil {
		if meta.NodeNames != nil {
			err := member("node_names", func(w io.Writer) error {
				return writeStringNPY(w, []int{len(meta.NodeNames)}, meta.NodeNames)
			})
			if err != nil {
				return err
			}
		}
		attrs := npzAttrs{Format: formatTag, FormatVersion: FormatVersion, Model: meta.Model, ModelText: meta.ModelText,
			Version: meta.Version, Backend: meta.Backend, Device: meta.Device, Precision: meta.Precision, Mode: meta.Mode,
			Dt: meta.Dt, SamplingDt: meta.SamplingDt, Duration: meta.Duration, Seed: meta.Seed,
			Members: meta.Members, Nodes: meta.Nodes, Params: map[string]jsonFloats{}, ParamUnits: meta.Units,
			Created: meta.Created.UTC().Format(time.RFC3339), Command: meta.Command}
		for k, v := range meta.Params {
			attrs.Params[k] = v
		}
		if attrs.ParamUnits == nil {
			attrs.ParamUnits = map[string]string{}
		}
		for _, a := range arrays {
			dims := a.Dims
			if dims == nil {
				dims = []string{}
			}
			attrs.Arrays = append(attrs.Arrays, npzArrayAttrs{Name: a.Name, Units: a.Units, Dims: dims})
		}
		js, err := json.Marshal(attrs)
		if err != nil {
			return fmt.Errorf("metadata: %w", err)
		}
		if err := member("attrs", func(w io.Writer) error { return writeStringNPY(w, nil, []string{string(js)}) }); err != nil {
			return err
		}
	}
	return zw.Close()
}

// writeNPY writes one array in the .npy format: the header, then the values as little-endian
// float64 ('<f8'), through a buffer. It is this package's own rather than npyio's, which spent
// 80% of a large write discovering the shape of nested slices element by element (BenchmarkWrite:
// 14 MB/s through npyio with deflate at its fastest level).
func writeNPY(w io.Writer, a Array) error {
	if _, err := w.Write(npyHeader("<f8", a.Shape)); err != nil {
		return err
	}
	buf := make([]byte, 0, 64<<10)
	for i, v := range a.Data {
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(v))
		if len(buf) == cap(buf) || i == len(a.Data)-1 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	return nil
}

// readNPZ reads an .npz archive: every float array (in the archive's order), and the metadata
// from "attrs" and "node_names" when they are there (an archive without them, such as
// neuromass's first .npz files or numpy.savez's, gives a zero Meta and arrays without units).
func readNPZ(path string) (*File, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("not a readable .npz (zip) archive: %w", err)
	}
	defer z.Close()
	f := &File{}
	var attrs *npzAttrs
	for _, m := range z.File {
		name := strings.TrimSuffix(m.Name, ".npy")
		rc, err := m.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name, err)
		}
		a, err := readNPY(bufio.NewReader(rc), m.UncompressedSize64)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name, err)
		}
		switch {
		case name == "attrs" && a.Str != nil && len(a.Shape) == 0:
			attrs = &npzAttrs{}
			if err := json.Unmarshal([]byte(a.Str[0]), attrs); err != nil {
				return nil, fmt.Errorf("attrs: not the JSON of neuromass's metadata: %w", err)
			}
		case name == "node_names" && a.Str != nil:
			f.Meta.NodeNames = a.Str
		case a.Str != nil:
			return nil, fmt.Errorf("%s: a string array where numbers were expected", m.Name)
		default:
			f.Arrays = append(f.Arrays, Array{Name: name, Shape: a.Shape, Data: a.Float})
		}
	}
	if attrs == nil {
		return f, nil
	}
	if attrs.Format != formatTag {
		return nil, fmt.Errorf("attrs: format %q, expected %q", attrs.Format, formatTag)
	}
	if attrs.FormatVersion > FormatVersion {
		return nil, fmt.Errorf("format version %d is newer than this neuromass reads (%d): update neuromass", attrs.FormatVersion, FormatVersion)
	}
	m := &f.Meta
	m.Model, m.ModelText, m.Version = attrs.Model, attrs.ModelText, attrs.Version
	m.Backend, m.Device, m.Precision, m.Mode = attrs.Backend, attrs.Device, attrs.Precision, attrs.Mode
	m.Dt, m.SamplingDt, m.Duration, m.Seed = attrs.Dt, attrs.SamplingDt, attrs.Duration, attrs.Seed
	m.Members, m.Nodes = attrs.Members, attrs.Nodes
	m.Units, m.Command = attrs.ParamUnits, attrs.Command
	m.Params = make(map[string][]float64, len(attrs.Params))
	for k, v := range attrs.Params {
		m.Params[k] = v
	}
	if attrs.Created != "" {
		if m.Created, err = time.Parse(time.RFC3339, attrs.Created); err != nil {
			return nil, fmt.Errorf("attrs: created: %w", err)
		}
	}
	for _, aa := range attrs.Arrays {
		a, ok := f.Array(aa.Name)
		if !ok {
			return nil, fmt.Errorf("attrs describe an array %s that the archive lacks", aa.Name)
		}
		if len(aa.Dims) != len(a.Shape) && len(aa.Dims) > 0 {
			return nil, fmt.Errorf("attrs give array %s the dimensions %v, but its shape is %v", aa.Name, aa.Dims, a.Shape)
		}
		a.Units = aa.Units
		if len(aa.Dims) > 0 {
			a.Dims = aa.Dims
		}
	}
	return f, nil
}

// jsonFloats are numbers in JSON, which has no NaN or infinity: those are written as the strings
// "nan", "inf" and "-inf" (Python's float() and numpy.asarray(..., float) read them).
type jsonFloats []float64

func (v jsonFloats) MarshalJSON() ([]byte, error) {
	b := []byte{'['}
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		switch {
		case math.IsNaN(x):
			b = append(b, `"nan"`...)
		case math.IsInf(x, 1):
			b = append(b, `"inf"`...)
		case math.IsInf(x, -1):
			b = append(b, `"-inf"`...)
		default:
			b = strconv.AppendFloat(b, x, 'g', -1, 64)
		}
	}
	return append(b, ']'), nil
}

func (v *jsonFloats) UnmarshalJSON(b []byte) error {
	var raw []any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(jsonFloats, len(raw))
	for i, r := range raw {
		switch x := r.(type) {
		case float64:
			out[i] = x
		case string:
			switch x {
			case "nan":
				out[i] = math.NaN()
			case "inf":
				out[i] = math.Inf(1)
			case "-inf":
				out[i] = math.Inf(-1)
			default:
				return fmt.Errorf("parameter value %q is not a number", x)
			}
		default:
			return fmt.Errorf("parameter value %v is not a number", r)
		}
	}
	*v = out
	return nil
}
