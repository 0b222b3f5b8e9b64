//go:build cgo

package gpu

import (
	"fmt"
	"unsafe"

	"github.com/go-gl/gl/v4.3-core/gl"
)

// Test hooks for the external tests (package gpu_test), which share one backend.

// CompileForTest compiles a compute shader source on the backend's GL thread.
func CompileForTest(b *Backend, src string) error {
	return b.run(func() error {
		_, err := compileCompute(src)
		return err
	})
}

// WithOptionsForTest runs f with the backend's layout options replaced (the GL limits stay).
func WithOptionsForTest(b *Backend, opt Options, f func()) {
	saved, savedLim := b.opt, b.info.Limits
	b.opt.MembersPerGroup, b.opt.SharedHistory, b.opt.StepsPerDispatch, b.opt.MemoryLimit = opt.MembersPerGroup, opt.SharedHistory, opt.StepsPerDispatch, opt.MemoryLimit
	if l := opt.Limits; l != nil {
		if l.MaxBlock > 0 {
			b.info.Limits.MaxBlock = l.MaxBlock
		}
		if l.MaxGroupsX > 0 {
			b.info.Limits.MaxGroupsX = l.MaxGroupsX
		}
		if l.MaxShared > 0 {
			b.info.Limits.MaxShared = l.MaxShared
		}
	}
	defer func() { b.opt, b.info.Limits = saved, savedLim }()
	f()
}

// WithExactForTest runs f with Options.ExactDivSqrt set to exact (the other options stay).
func WithExactForTest(b *Backend, exact bool, f func()) {
	saved := b.opt.ExactDivSqrt
	b.opt.ExactDivSqrt = exact
	defer func() { b.opt.ExactDivSqrt = saved }()
	f()
}

// SetExactForTest sets Options.ExactDivSqrt of the backend.
func SetExactForTest(b *Backend, exact bool) { b.opt.ExactDivSqrt = exact }

// LastLayoutForTest describes the layout of the backend's last NewSim: the parts, the members per
// part and per workgroup, and whether the rings are in shared memory.
func LastLayoutForTest(b *Backend) (parts, perPart, perGroup int, shared bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.last
	return l.parts, l.Ecap, l.B, l.shared
}

// RunComputeForTest compiles src (a compute shader with local size 64 reading binding 0 and writing
// binding 1, both uint arrays), runs ceil(n/64) workgroups over in and returns out (outLen words).
func RunComputeForTest(b *Backend, src string, in []uint32, n, outLen int) ([]uint32, error) {
	out := make([]uint32, outLen)
	err := b.run(func() error {
		p, err := compileCompute(src)
		if err != nil {
			return err
		}
		defer gl.DeleteProgram(p)
		var bufs [2]uint32
		gl.GenBuffers(2, &bufs[0])
		defer gl.DeleteBuffers(2, &bufs[0])
		gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, bufs[0])
		gl.BufferData(gl.SHADER_STORAGE_BUFFER, len(in)*4, unsafe.Pointer(&in[0]), gl.STATIC_DRAW)
		gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, bufs[1])
		gl.BufferData(gl.SHADER_STORAGE_BUFFER, outLen*4, nil, gl.DYNAMIC_READ)
		gl.BindBufferBase(gl.SHADER_STORAGE_BUFFER, 0, bufs[0])
		gl.BindBufferBase(gl.SHADER_STORAGE_BUFFER, 1, bufs[1])
		gl.UseProgram(p)
		gl.DispatchCompute(uint32((n+63)/64), 1, 1)
		gl.MemoryBarrier(gl.SHADER_STORAGE_BARRIER_BIT | gl.BUFFER_UPDATE_BARRIER_BIT)
		gl.BindBuffer(gl.SHADER_STORAGE_BUFFER, bufs[1])
		gl.GetBufferSubData(gl.SHADER_STORAGE_BUFFER, 0, outLen*4, unsafe.Pointer(&out[0]))
		if e := gl.GetError(); e != gl.NO_ERROR {
			return fmt.Errorf("GL error 0x%x", e)
		}
		return nil
	})
	return out, err
}
