package analysis

import (
	"fmt"
	"math"
	"slices"
)

// KS is the two-sample two-sided Kolmogorov-Smirnov statistic of samples a and b: the largest
// distance between their empirical distribution functions, both evaluated (right-continuous,
// counting values <= x) at every value of the pooled sample, as scipy.stats.ks_2samp. NaN or
// infinite values, or an empty sample, are an error.
func KS(a, b []float64) (float64, error) {
	if err := checkVector("ks: first sample", a, 1); err != nil {
		return 0, err
	}
	if err := checkVector("ks: second sample", b, 1); err != nil {
		return 0, err
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	na, nb := float64(len(x)), float64(len(y))
	d, i, j := 0.0, 0, 0
	for i < len(x) || j < len(y) {
		// the next pooled value; advance past every copy of it in both samples
		v := math.Inf(1)
		if i < len(x) {
			v = x[i]
		}
		if j < len(y) && y[j] < v {
			v = y[j]
		}
		for i < len(x) && x[i] == v {
			i++
		}
		for j < len(y) && y[j] == v {
			j++
		}
		d = max(d, math.Abs(float64(i)/na-float64(j)/nb))
	}
	return d, nil
}

// MatrixKolmogorov is the KS statistic of the strictly upper triangles of two square matrices
// (of any sizes >= 2; toolkit.md 1.4): the distance of two FCDs, lower is better.
func MatrixKolmogorov(a, b [][]float64) (float64, error) {
	if _, err := checkSquare("matrix ks: first matrix", a, 2); err != nil {
		return 0, err
	}
	if _, err := checkSquare("matrix ks: second matrix", b, 2); err != nil {
		return 0, err
	}
	return KS(upper(a), upper(b))
}

// TSKolmogorov is the "FCD fit" of two time series: MatrixKolmogorov of their FCDs, computed with
// the same window and step in samples (toolkit.md 1.4). The series may differ in length and in
// their number of regions.
func TSKolmogorov(ts1, ts2 [][]float64, window, step int) (float64, error) {
	f1, err := FCD(ts1, window, step)
	if err != nil {
		return 0, fmt.Errorf("first series: %w", err)
	}
	f2, err := FCD(ts2, window, step)
	if err != nil {
		return 0, fmt.Errorf("second series: %w", err)
	}
	if len(f1) < 2 || len(f2) < 2 {
		return 0, fmt.Errorf("ts ks: FCDs of %d and %d windows, expected at least 2 each (longer series or a smaller step)", len(f1), len(f2))
	}
	return MatrixKolmogorov(f1, f2)
}
