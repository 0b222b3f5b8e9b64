package plot

import (
	"fmt"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Evolution is the fitness of an evolution's generations, generation 0 first.
type Evolution struct {
	Best    []float64 // per generation: the best fitness (NaN: none that generation)
	Mean    []float64 // per generation: the mean fitness of the population (optional)
	Fitness string    // what the fitness is, for the y axis; default "fitness"
}

// EvolutionProgress draws the best and the mean fitness against the generation.
func EvolutionProgress(path string, e Evolution, o Options) error {
	if len(e.Best) == 0 {
		return fmt.Errorf("%s: evolution progress: no generations", path)
	}
	if len(e.Mean) != 0 && len(e.Mean) != len(e.Best) {
		return fmt.Errorf("%s: evolution progress: %d best and %d mean fitness values; expected one of each per generation", path, len(e.Best), len(e.Mean))
	}
	if _, _, ok := finiteRange(e.Best, e.Mean); !ok {
		return fmt.Errorf("%s: evolution progress: no finite fitness value", path)
	}
	gen := make([]float64, len(e.Best))
	for i := range gen {
		gen[i] = float64(i)
	}
	fitness := orName(e.Fitness, "fitness")
	return render(path, o, defaultWidth, defaultHeight, func(dc draw.Canvas) error {
		p := newPlot(o.title(fmt.Sprintf("evolution: %s over %d generations", fitness, len(e.Best))), "generation", fitness)
		p.Legend.Left = false
		p.Legend.Top = false
		p.X.Tick.Marker = intTicks{}
		series := []struct {
			name string
			y    []float64
			i    int
		}{{"best", e.Best, 0}, {"mean", e.Mean, 1}}
		for _, s := range series {
			if len(s.y) == 0 {
				continue
			}
			if _, err := addLine(p, gen, s.y, 0, s.name, lineColor(s.i), vg.Points(1.5), false); err != nil {
				return err
			}
			if _, err := addPoints(p, gen, s.y, lineColor(s.i), ""); err != nil {
				return err
			}
		}
		drawSingle(p, dc)
		return nil
	})
}

// Population is every individual an evolution evaluated, with its generation.
type Population struct {
	Names      []string    // the parameters
	Generation []int       // per individual: its generation (0, 1, ...)
	Values     [][]float64 // [individual][parameter]
}

// EvolutionParameters draws how each parameter is distributed over the generations: one panel
// per parameter, every individual a dot at (generation, value), and the generation's mean as a
// line.
func EvolutionParameters(path string, pop Population, o Options) error {
	np := len(pop.Names)
	if np == 0 {
		return fmt.Errorf("%s: parameter distributions: no parameters named", path)
	}
	if len(pop.Values) == 0 {
		return fmt.Errorf("%s: parameter distributions: no individuals", path)
	}
	if len(pop.Generation) != len(pop.Values) {
		return fmt.Errorf("%s: parameter distributions: %d generation numbers for %d individuals", path, len(pop.Generation), len(pop.Values))
	}
	maxGen := 0
	for i, row := range pop.Values {
		if len(row) != np {
			return fmt.Errorf("%s: parameter distributions: individual %d has %d values for %d parameters", path, i, len(row), np)
		}
		if g := pop.Generation[i]; g < 0 {
			return fmt.Errorf("%s: parameter distributions: individual %d has generation %d", path, i, g)
		}
		maxGen = max(maxGen, pop.Generation[i])
	}
	if maxGen > 1_000_000 {
		return fmt.Errorf("%s: parameter distributions: generation %d; expected generations numbered from 0", path, maxGen)
	}
	cols := min(np, 3)
	rows := (np + cols - 1) / cols
	gen := make([]float64, len(pop.Values))
	for i, g := range pop.Generation {
		gen[i] = float64(g)
	}
	plots := make([][]*gplot.Plot, rows)
	for r := range plots {
		plots[r] = make([]*gplot.Plot, cols)
	}
	for k, name := range pop.Names {
		v := make([]float64, len(pop.Values))
		sum := make([]float64, maxGen+1)
		cnt := make([]float64, maxGen+1)
		for i, row := range pop.Values {
			v[i] = row[k]
			if finite(row[k]) {
				sum[pop.Generation[i]] += row[k]
				cnt[pop.Generation[i]]++
			}
		}
		if _, _, ok := finiteRange(v); !ok {
			return fmt.Errorf("%s: parameter distributions: parameter %s has no finite value", path, name)
		}
		gx := make([]float64, maxGen+1)
		mean := make([]float64, maxGen+1)
		for g := range mean {
			gx[g] = float64(g)
			mean[g] = math.NaN() // a generation without this parameter's values: a gap
			if cnt[g] > 0 {
				mean[g] = sum[g] / cnt[g]
			}
		}
		p := newPlot(name, "generation", name)
		p.X.Tick.Marker = intTicks{}
		if _, err := addPoints(p, gen, v, lineColor(0), ""); err != nil {
			return err
		}
		if _, err := addLine(p, gx, mean, 0, "", blackish, vg.Points(1.5), false); err != nil {
			return err
		}
		plots[k/cols][k%cols] = p
	}
	h := max(defaultHeight, 320*rows)
	return render(path, o, defaultWidth, h, func(dc draw.Canvas) error {
		dc = figureTitle(dc, o.title(fmt.Sprintf("parameters of %d individuals over %d generations (dots; line: mean)", len(pop.Values), maxGen+1)))
		drawGrid(dc, plots)
		return nil
	})
}

// drawGrid draws the plots (nil ones leave their tile empty) in aligned tiles.
func drawGrid(dc draw.Canvas, plots [][]*gplot.Plot) {
	t := draw.Tiles{Rows: len(plots), Cols: len(plots[0]), PadX: vg.Points(14), PadY: vg.Points(10),
		PadTop: vg.Points(2), PadBottom: vg.Points(2), PadLeft: vg.Points(2), PadRight: vg.Points(8)}
	cs := gplot.Align(plots, t, dc)
	for r := range plots {
		for c, p := range plots[r] {
			if p != nil {
				p.Draw(cs[r][c])
			}
		}
	}
}
