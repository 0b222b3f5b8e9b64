package plot

import (
	"fmt"

	"github.com/neuromass/neuromass/engine"
)

// ResultSeries is a convenience for Go programs: one output of a simulation result (BOLD
// included), one member's nodes, as a Series for TimeSeries, BOLD or Spectrum. Its times are the
// output's own (BOLD's) or the result's from the output's offset; the rows are views of the
// result's data, not copies.
func ResultSeries(res *engine.Result, output string, member int) (Series, error) {
	if res == nil {
		return Series{}, fmt.Errorf("result series %s: no result", output)
	}
	s, err := res.Output(output)
	if err != nil {
		return Series{}, err
	}
	if member < 0 || member >= res.Members {
		return Series{}, fmt.Errorf("result series %s: member %d of a result with %d members (0 to %d)", output, member, res.Members, res.Members-1)
	}
	t := s.Times
	if t == nil {
		if s.Offset+s.Samples > len(res.T) {
			return Series{}, fmt.Errorf("result series %s: %d samples from offset %d, but %d time stamps", output, s.Samples, s.Offset, len(res.T))
		}
		t = res.T[s.Offset : s.Offset+s.Samples]
	}
	return Series{T: t, Values: s.Matrix(member), Quantity: s.Name, Unit: s.Unit}, nil
}
