//go:build goexperiment.simd && amd64

package cpu

import "unsafe"

// Bilinear interpolation with AVX-512 gathers (lookup_gather_amd64.s): for 16 float32 or 8 float64
// lanes at a time, the four corners of each table are gathered at base, base+dx, base+dy and
// base+dy+dx (float32: as two pairs, base and base+1, base+dy and base+dy+1, the second of a pair
// replaced by the first where dx = 0), and summed as bilinear does: gx = 1-fx, gy = 1-fy, ((v0*gx)*gy) + ((v1*fx)*gy) +
// ((v2*gx)*fy) + ((v3*fx)*fy), every product rounded and the sums left to right (multiplications,
// additions and subtractions only, never a fused multiply-add: the same bits). The last partial
// vector is masked, so that any number of lanes, 16 or 8 included, is one call without a tail in Go.

// lut is one table of a gathered interpolation: its values and where its lanes' results go.
type lut[F float] struct{ v, d *F }

// gatherF32 and gatherF64 interpolate k tables (tabs[0 .. k-1]) at n placed lanes. They read
// tabs[j].v at every index the placement gives (gatherF32 one after it) without checking it:
// interpGather checks that each table is at least as large as the grids placed on and padded.
//
//go:noescape
func gatherF32(tabs unsafe.Pointer, k int, base, dx, dy *int32, fy, fx unsafe.Pointer, n int)

//go:noescape
func gatherF64(tabs unsafe.Pointer, k int, base, dx, dy *int32, fy, fx unsafe.Pointer, n int)

// interpGather is tablePos.interp's sums with gathers (kernels' interp), for t and every table of
// more, up to 8 tables a call. It does nothing and returns false when a table is smaller than the
// grids placed on or lacks newTable's padding (interp then runs in plain Go, which checks every
// index).
func interpGather[F float](p *tablePos[F], t *table[F], d []F, more []fusedLookup[F], lo int) bool {
	n := len(d)
	if n == 0 {
		return true
	}
	cells := max(p.cells, 1)
	if len(t.v) < cells || cap(t.v) <= len(t.v) {
		return false
	}
	for _, f := range more {
		if len(f.t.v) < cells || cap(f.t.v) <= len(f.t.v) {
			return false
		}
	}
	base, dx, dy := p.base[lo:lo+n], p.dx[lo:lo+n], p.dy[lo:lo+n]
	fy, fx := p.fy[lo:lo+n], p.fx[lo:lo+n]
	var tabs [8]lut[F]
	tabs[0] = lut[F]{v: &t.v[0], d: &d[0]}
	k := 1
	for _, f := range more {
		if k == len(tabs) {
			gather(&tabs, k, base, dx, dy, fy, fx)
			k = 0
		}
		fd := f.d[lo : lo+n]
		tabs[k] = lut[F]{v: &f.t.v[0], d: &fd[0]}
		k++
	}
	gather(&tabs, k, base, dx, dy, fy, fx)
	return true
}

// gather calls the assembly kernel of F; base, dx, dy, fy and fx have the same length.
func gather[F float](tabs *[8]lut[F], k int, base, dx, dy []int32, fy, fx []F) {
	n := len(base)
	dx, dy, fy, fx = dx[:n], dy[:n], fy[:n], fx[:n]
	var z F
	switch any(z).(type) {
	case float32:
		gatherF32(unsafe.Pointer(tabs), k, &base[0], &dx[0], &dy[0], unsafe.Pointer(&fy[0]), unsafe.Pointer(&fx[0]), n)
	case float64:
		gatherF64(unsafe.Pointer(tabs), k, &base[0], &dx[0], &dy[0], unsafe.Pointer(&fy[0]), unsafe.Pointer(&fx[0]), n)
	}
}
