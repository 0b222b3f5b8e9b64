package cpu

// SetFused switches the fused step kernels on or off for Sims built from now on; it returns the
// previous setting.
func SetFused(on bool) bool {
	was := !fusedOff
	fusedOff = !on
	return was
}

// FusedModels lists the models this build has fused kernels for.
func FusedModels() []string {
	var out []string
	for _, k := range fusedKernels {
		out = append(out, k.model)
	}
	return out
}

// FusedBuilt is the number of Sims (blocks included) built with a fused kernel so far.
func FusedBuilt() int64 { return fusedBuilt.Load() }

// BlockSize returns the block size SetBlockSize set (0: the backend's choice).
func BlockSize() int { return blockOverride }
