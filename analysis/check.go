package analysis

import (
	"fmt"
	"math"
)

// checkSeries checks a [region][sample] array: at least one region, rows of one length of at
// least minT samples, every value finite.
func checkSeries(what string, ts [][]float64, minT int) (n, t int, err error) {
	if len(ts) == 0 {
		return 0, 0, fmt.Errorf("%s: no regions (expected [region][sample])", what)
	}
	t = len(ts[0])
	for i, row := range ts {
		if len(row) != t {
			return 0, 0, fmt.Errorf("%s: region %d has %d samples, region 0 has %d", what, i, len(row), t)
		}
		for k, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, 0, fmt.Errorf("%s: region %d, sample %d is %v", what, i, k, v)
			}
		}
	}
	if t < minT {
		return 0, 0, fmt.Errorf("%s: %d samples, expected at least %d", what, t, minT)
	}
	return len(ts), t, nil
}

// checkVector checks a 1-D series of at least minT finite values.
func checkVector(what string, x []float64, minT int) error {
	if len(x) < minT {
		return fmt.Errorf("%s: %d values, expected at least %d", what, len(x), minT)
	}
	for k, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s: value %d is %v", what, k, v)
		}
	}
	return nil
}

// checkSquare checks an N x N matrix of finite values, N >= minN.
func checkSquare(what string, m [][]float64, minN int) (int, error) {
	n := len(m)
	if n < minN {
		return 0, fmt.Errorf("%s: %d x %d matrix, expected at least %d x %d", what, n, n, minN, minN)
	}
	for i, row := range m {
		if len(row) != n {
			return 0, fmt.Errorf("%s: row %d has %d columns, expected %d (a square matrix)", what, i, len(row), n)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("%s: entry [%d][%d] is %v", what, i, j, v)
			}
		}
	}
	return n, nil
}

// pearson is the sample correlation of x and y (equal lengths): NaN when either is constant.
func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		a, b := x[i]-mx, y[i]-my
		sxy += a * b
		sxx += a * a
		syy += b * b
	}
	return sxy / math.Sqrt(sxx*syy)
}

// upper returns the strictly upper triangle of m, row by row (i < j).
func upper(m [][]float64) []float64 {
	var out []float64
	for i, row := range m {
		out = append(out, row[i+1:]...)
	}
	return out
}
