package plot_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/neuromass/neuromass"
	"github.com/neuromass/neuromass/plot"
)

func TestResultSeries(t *testing.T) {
	cmat := [][]float64{{0, 0.5, 0.2}, {0.3, 0, 0.4}, {0.1, 0.6, 0}}
	m, err := neuromass.Load("hopf", neuromass.Config{Cmat: cmat, Duration: 100, Members: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Run()
	if err != nil {
		t.Fatal(err)
	}
	s, err := plot.ResultSeries(res, "x", 1)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := res.Output("x")
	if len(s.T) != x.Samples || len(s.Values) != 3 || &s.Values[2][0] != &x.Node(1, 2)[0] || s.Quantity != "x" {
		t.Fatalf("series of %d times, %d rows, quantity %q: not member 1's x", len(s.T), len(s.Values), s.Quantity)
	}
	if err := plot.TimeSeries(filepath.Join(t.TempDir(), "x.png"), s, plot.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		output string
		member int
		want   string
	}{{"nope", 0, "nope"}, {"x", 2, "member 2 of a result with 2 members"}, {"x", -1, "member -1"}} {
		if _, err := plot.ResultSeries(res, c.output, c.member); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s member %d: error %v, expected %q", c.output, c.member, err, c.want)
		}
	}
}
