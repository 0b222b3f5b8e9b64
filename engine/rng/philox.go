package rng

// Philox4x32-10 constants (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3",
// SC'11; the values of Random123's philox.h).
const (
	philoxM0 = 0xD2511F53 // round multiplier for counter word 0
	philoxM1 = 0xCD9E8D57 // round multiplier for counter word 2
	philoxW0 = 0x9E3779B9 // Weyl key increment, key word 0 (golden ratio)
	philoxW1 = 0xBB67AE85 // Weyl key increment, key word 1 (sqrt(3)-1)
)

// Philox4x32 is the Philox4x32-10 bijection of Random123: ten rounds, the key bumped by the Weyl
// constants between rounds. It is a pure function of (ctr, key), which is what lets every backend,
// thread and chunk draw the same noise for the same (seed, member, node, variable, step).
func Philox4x32(ctr [4]uint32, key [2]uint32) [4]uint32 {
	c0, c1, c2, c3 := ctr[0], ctr[1], ctr[2], ctr[3]
	k0, k1 := key[0], key[1]
	for i := 0; i < 10; i++ {
		if i > 0 {
			k0 += philoxW0
			k1 += philoxW1
		}
		p0 := uint64(philoxM0) * uint64(c0)
		p1 := uint64(philoxM1) * uint64(c2)
		c0, c1, c2, c3 = uint32(p1>>32)^c1^k0, uint32(p1), uint32(p0>>32)^c3^k1, uint32(p0)
	}
	return [4]uint32{c0, c1, c2, c3}
}

// philoxKey and philoxCounter are the one place that fixes how (seed, member, node, variable, step)
// map onto Philox's key and counter; doc.go documents the layout for the GLSL side.
func philoxKey(seed uint64) [2]uint32 {
	return [2]uint32{uint32(seed), uint32(seed >> 32)}
}

func philoxCounter(member, node uint32, variable uint8, step uint64) [4]uint32 {
	// node<<8 drops node's top 8 bits: the engine guarantees node < 2^24, so nothing is lost there.
	return [4]uint32{uint32(step), uint32(step >> 32), member, node<<8 | uint32(variable)}
}
