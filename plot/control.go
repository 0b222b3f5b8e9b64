package plot

import (
	"fmt"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Control is an optimal-control result over time: the controlled state, its target, and the
// control input, each [channel][sample] on the times T (ms).
type Control struct {
	T          []float64
	State      [][]float64 // [channel][sample]
	Target     [][]float64 // [channel][sample], one row per state channel, or none; NaN: no target then
	StateNames []string    // optional, one per state channel
	StateUnit  string
	Input      [][]float64 // [channel][sample], or none
	InputNames []string    // optional, one per input channel
	InputUnit  string
}

// maxChannels is how many channels a control plot draws unless Options.Nodes says otherwise:
// more lines are no longer told apart.
const maxChannels = 6

// ControlPlot draws the state (solid) against the target (dashed, the same colour) over time
// and, below it, the control input. Without Options.Nodes it draws the first 6 channels of
// each, and the titles say how many there are.
func ControlPlot(path string, c Control, o Options) error {
	if err := checkTimes("control", c.T, 2); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := checkRows("control: state", "channel", c.State, len(c.T)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(c.Target) != 0 {
		if len(c.Target) != len(c.State) {
			return fmt.Errorf("%s: control: %d target rows for %d state channels", path, len(c.Target), len(c.State))
		}
		if err := checkRows("control: target", "channel", c.Target, len(c.T)); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if len(c.Input) != 0 {
		if err := checkRows("control: input", "channel", c.Input, len(c.T)); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if len(c.StateNames) != 0 && len(c.StateNames) != len(c.State) {
		return fmt.Errorf("%s: control: %d state names for %d state channels", path, len(c.StateNames), len(c.State))
	}
	if len(c.InputNames) != 0 && len(c.InputNames) != len(c.Input) {
		return fmt.Errorf("%s: control: %d input names for %d input channels", path, len(c.InputNames), len(c.Input))
	}
	if _, _, ok := finiteRange(c.State...); !ok {
		return fmt.Errorf("%s: control: no finite state value", path)
	}
	t, xlabel, err := timeAxis(c.T, o.TimeUnit)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	limit := maxChannels
	if o.Nodes > 0 {
		limit = o.Nodes
	}
	name := func(names []string, what string, i int) string {
		if len(names) > 0 && names[i] != "" {
			return names[i]
		}
		return fmt.Sprintf("%s %d", what, i)
	}
	shown := func(what string, n int) string {
		if n > limit {
			return fmt.Sprintf("%s (%d of %d channels)", what, limit, n)
		}
		return what
	}
	b := o.buckets(defaultWidth)
	return render(path, o, defaultWidth, 700, func(dc draw.Canvas) error {
		dc = figureTitle(dc, o.title("optimal control"))
		top := newPlot(shown("state (solid) and target (dashed)", len(c.State)), xlabel, labelWith("state", c.StateUnit))
		for i := range min(len(c.State), limit) {
			if _, err := addLine(top, t, c.State[i], b, name(c.StateNames, "state", i), lineColor(i), vg.Points(1.5), false); err != nil {
				return err
			}
			if len(c.Target) != 0 {
				if _, err := addLine(top, t, c.Target[i], b, "", lineColor(i), vg.Points(1.5), true); err != nil {
					return err
				}
			}
		}
		legendRoom(top, min(len(c.State), limit), false)
		plots := [][]*gplot.Plot{{top}}
		if len(c.Input) != 0 {
			bottom := newPlot(shown("control input", len(c.Input)), xlabel, labelWith("input", c.InputUnit))
			for i := range min(len(c.Input), limit) {
				if _, err := addLine(bottom, t, c.Input[i], b, name(c.InputNames, "input", i), lineColor(i), vg.Points(1.5), false); err != nil {
					return err
				}
			}
			legendRoom(bottom, min(len(c.Input), limit), false)
			plots = append(plots, []*gplot.Plot{bottom})
		}
		drawGrid(dc, plots)
		return nil
	})
}
