package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/neuromass/neuromass/engine"
)

// runProgress shows the steps done: an mpb bar when stderr is a terminal (unless --quiet), else,
// with --verbose, a line every 10%.
type runProgress struct {
	mu      sync.Mutex
	w       io.Writer
	lines   bool
	t0      time.Time
	lastT   time.Time // bar: the time of the last update
	nextPct int
	last    int // the last done reported
	pool    *mpb.Progress
	bar     *mpb.Bar
}

func newRunProgress(w io.Writer, quiet, verbose bool) *runProgress {
	p := &runProgress{w: w, t0: time.Now(), nextPct: 10, last: -1}
	p.lastT = p.t0
	switch {
	case quiet:
	case isTerminal(w):
		p.pool = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40))
	case verbose:
		p.lines = true
	}
	return p
}

// update is the engine's progress callback.
func (p *runProgress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if total <= 0 {
		return
	}
	if p.pool != nil {
		if p.bar == nil {
			p.bar = p.pool.AddBar(int64(total),
				mpb.PrependDecorators(decor.Name("run "), decor.CountersNoUnit("%d/%d steps")),
				mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace), decor.Name(" ETA "), decor.EwmaETA(decor.ET_STYLE_GO, 30)),
			)
		}
		// the time since the last update: EwmaSetCurrent spreads it over the steps done since
		now := time.Now()
		p.bar.EwmaSetCurrent(int64(done), now.Sub(p.lastT))
		p.lastT = now
		return
	}
	if !p.lines || done == p.last {
		return
	}
	p.last = done
	if pct := done * 100 / total; pct >= p.nextPct || done == total {
		p.nextPct = pct/10*10 + 10
		el := time.Since(p.t0)
		left := "?"
		if done > 0 {
			left = (el / time.Duration(done) * time.Duration(total-done)).Round(time.Millisecond).String()
		}
		fmt.Fprintf(p.w, "run: %d/%d steps (%d%%), %s elapsed, %s left\n", done, total, pct, el.Round(time.Millisecond), left)
	}
}

func (p *runProgress) finish(ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pool == nil {
		return
	}
	if p.bar != nil {
		if ok {
			p.bar.SetTotal(-1, true)
		} else {
			p.bar.Abort(false)
		}
	}
	p.pool.Wait()
}

// describeArrays says what WriteResult writes: "t [1000], x [1 1000], y [1 1000]".
func describeArrays(res *engine.Result) string {
	parts := []string{fmt.Sprintf("t [%d]", len(res.T))}
	for _, s := range res.Series {
		if res.Members > 1 {
			parts = append(parts, fmt.Sprintf("%s [%d %d %d]", s.Name, res.Members, res.Nodes, s.Samples))
		} else {
			parts = append(parts, fmt.Sprintf("%s [%d %d]", s.Name, res.Nodes, s.Samples))
		}
		if s.Times != nil { // a series with its own time stamps (BOLD) is written with them
			parts = append(parts, fmt.Sprintf("t_%s [%d]", s.Name, len(s.Times)))
		}
	}
	return strings.Join(parts, ", ")
}

// writeSummary prints what a run without --out did: the settings, the last sample of every output
// (minimum, mean and maximum over the nodes and members) and the speed.
func writeSummary(w io.Writer, res *engine.Result, s runSettings, wall time.Duration) error {
	every := float64(res.Every) * res.Dt
	tEnd := 0.0
	if len(res.T) > 0 {
		tEnd = res.T[len(res.T)-1]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "model %s: %s, %s, %s mode, %s on %s\n", res.Model, plural(res.Nodes, "node"), plural(res.Members, "member"),
		s.mode, s.precision, s.backend)
	fmt.Fprintf(&b, "%s of %g ms; %s, one every %g ms, the last at t = %g ms\n", plural(res.Steps, "step"), res.Dt,
		plural(len(res.T), "sample"), every, tEnd)
	over := "over the nodes"
	if res.Members > 1 {
		over = "over the nodes and members"
	}
	fmt.Fprintf(&b, "\nlast sample of each output (%s):\n", over)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	var rows [][]string
	for i := range res.Series {
		sr := &res.Series[i]
		unit := orDash(sr.Unit)
		if sr.Samples == 0 {
			rows = append(rows, []string{sr.Name, unit, "-", "-", "-"})
			continue
		}
		lo, hi, sum, n, nan := math.Inf(1), math.Inf(-1), 0.0, 0, 0
		for mb := range res.Members {
			for node := range res.Nodes {
				v := sr.Node(mb, node)[sr.Samples-1]
				if math.IsNaN(v) {
					nan++
					continue
				}
				lo, hi, sum, n = min(lo, v), max(hi, v), sum+v, n+1
			}
		}
		row := []string{sr.Name, unit, "NaN", "NaN", "NaN"}
		if n > 0 {
			row = []string{sr.Name, unit, num(lo), num(sum / float64(n)), num(hi)}
		}
		if nan > 0 {
			row = append(row, fmt.Sprintf("(%d NaN)", nan))
		}
		rows = append(rows, row)
	}
	if err := writeTable(w, "  ", []string{"OUTPUT", "UNIT", "MIN", "MEAN", "MAX"}, rows); err != nil {
		return err
	}
	rate := "-"
	if sec := wall.Seconds(); sec > 0 {
		rate = num(float64(res.Nodes*res.Members*res.Steps)/sec) + " node-steps/s"
	}
	_, err := fmt.Fprintf(w, "\nwall time %s, %s\n", fmtWall(wall), rate)
	return err
}

// num writes a summary value with 6 significant digits.
func num(v float64) string {
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// fmtWall rounds a wall time for printing: to the microsecond below a second, else the millisecond.
func fmtWall(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Microsecond).String()
	}
	return d.Round(time.Millisecond).String()
}
