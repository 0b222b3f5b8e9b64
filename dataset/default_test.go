package dataset

import (
	"math"
	"testing"

	"github.com/neuromass/neuromass/engine"
)

// TestDefaultEmbedded: the embedded files are what GenerateDefault computes (go generate writes
// them). They are compared to 1e-15 relative rather than bit for bit because math.Exp and
// math.Sincos may differ in the last bit between architectures; on the one that wrote them they
// are equal.
func TestDefaultEmbedded(t *testing.T) {
	got, want := Default(), GenerateDefault()
	for _, c := range []struct {
		name string
		g, w [][]float64
	}{{"weights", got.Cmat, want.Cmat}, {"lengths", got.Lengths, want.Lengths}} {
		for i := range c.w {
			for j := range c.w[i] {
				if d := math.Abs(c.g[i][j] - c.w[i][j]); d > 1e-15*math.Abs(c.w[i][j]) {
					t.Fatalf("%s[%d][%d]: embedded %v, generated %v: run go generate ./dataset", c.name, i, j, c.g[i][j], c.w[i][j])
				}
			}
		}
	}
	for i := range want.Centres {
		if got.Labels[i] != want.Labels[i] || got.Centres[i] != want.Centres[i] {
			t.Fatalf("region %d: embedded %s %v, generated %s %v", i, got.Labels[i], got.Centres[i], want.Labels[i], want.Centres[i])
		}
	}
	// each call is a new copy
	got.Cmat[0][1] = 42
	if Default().Cmat[0][1] == 42 {
		t.Fatal("Default returned shared storage")
	}
}

// TestDefaultRule checks the documented rule on the generated network, entry by entry from the
// centres: weights exp(-0.05 d) within a hemisphere and 0.1 exp(-0.05 d) between, scaled to a
// largest entry of 1; homotopic pairs 0.5; lengths 1.3 d; symmetric; zero diagonal.
func TestDefaultRule(t *testing.T) {
	d := Default()
	n := d.N()
	if n != 80 || len(d.Labels) != 80 || d.Labels[0] != "L00" || d.Labels[1] != "R00" || d.Labels[79] != "R39" {
		t.Fatalf("%d regions, labels %v", n, d.Labels)
	}
	dist := func(i, j int) float64 {
		a, b := d.Centres[i], d.Centres[j]
		return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
	}
	// the strongest link fixes the scale: the closest pair within a hemisphere
	scale, biggest := 0.0, 0.0
	for i := range n {
		for j := range n {
			if i != j && i%2 == j%2 {
				scale = max(scale, math.Exp(-0.05*dist(i, j)))
			}
			if i != j && j != i^1 {
				biggest = max(biggest, d.Cmat[i][j])
			}
		}
	}
	if biggest != 1 {
		t.Errorf("largest non-homotopic weight %v, want 1", biggest)
	}
	// relative tolerance: a few roundings of exp, sqrt and the division
	const tol = 1e-13
	maxLen := 0.0
	for i := range n {
		if d.Centres[i][0]*d.Centres[i^1][0] >= 0 || d.Centres[i][1] != d.Centres[i^1][1] || d.Centres[i][2] != d.Centres[i^1][2] {
			t.Fatalf("regions %d and %d are not mirror images: %v %v", i, i^1, d.Centres[i], d.Centres[i^1])
		}
		if (i%2 == 0) != (d.Centres[i][0] < 0) {
			t.Fatalf("region %d (%s) at x = %g is on the wrong hemisphere", i, d.Labels[i], d.Centres[i][0])
		}
		for j := range n {
			want := math.Exp(-0.05*dist(i, j)) / scale
			switch {
			case i == j:
				want = 0
			case j == i^1:
				want = 0.5
			case i%2 != j%2:
				want *= 0.1
			}
			if math.Abs(d.Cmat[i][j]-want) > tol*want {
				t.Fatalf("C[%d][%d] = %v, want %v", i, j, d.Cmat[i][j], want)
			}
			if l := 1.3 * dist(i, j); math.Abs(d.Lengths[i][j]-l) > tol*l {
				t.Fatalf("length[%d][%d] = %v, want 1.3 d = %v", i, j, d.Lengths[i][j], l)
			}
			if d.Cmat[i][j] != d.Cmat[j][i] || d.Lengths[i][j] != d.Lengths[j][i] {
				t.Fatalf("not symmetric at [%d][%d]", i, j)
			}
			maxLen = max(maxLen, d.Lengths[i][j])
		}
	}
	// the delay range of gw (longest tract 233.6 mm, spec/models.md 12), as the constants intend
	if maxLen < 200 || maxLen > 260 {
		t.Errorf("longest tract %.1f mm; the rule aims at gw's range (234 mm)", maxLen)
	}
	if _, err := engine.NewNetwork(d.Cmat, d.Lengths); err != nil {
		t.Fatalf("the engine refuses the default network: %v", err)
	}
	t.Logf("default connectome: longest tract %.1f mm", maxLen)
}
