//go:build cgo

package gpu

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

// LastLayoutForTest describes the layout of the backend's last NewSim: the parts, the members per
// part and per workgroup, and whether the rings are in shared memory.
func LastLayoutForTest(b *Backend) (parts, perPart, perGroup int, shared bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.last
	return l.parts, l.Ecap, l.B, l.shared
}
