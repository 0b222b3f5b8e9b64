// Default-mode noise, the GLSL twin of engine/rng (its doc.go is the specification followed here,
// step by step): Philox4x32-10 keyed by the member's seed, counter (step, member, node<<8 | source),
// and the float32 transform F1-F5 (Normal32). Every float value is `precise`, so no product is fused
// into a sum, and every constant is written as its IEEE binary32 encoding. Division and sqrt go
// through nm_fdiv and nm_fsqrt (engine/eqn GLSLFloatOps, put before this file), so on a driver whose
// + - * and fma are IEEE the samples are those of rng.Normal32 bit for bit.

uvec4 t_philox(uvec4 c, uvec2 k) {
	for (int i = 0; i < 10; i++) {
		if (i > 0) {
			k.x += 0x9E3779B9u;
			k.y += 0xBB67AE85u;
		}
		uint hi0, lo0, hi1, lo1;
		umulExtended(0xD2511F53u, c.x, hi0, lo0);
		umulExtended(0xCD9E8D57u, c.z, hi1, lo1);
		c = uvec4(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
	}
	return c;
}

// t_log32: step F3, fdlibm's logarithm in float arithmetic.
float t_log32(float x) {
	uint b = floatBitsToUint(x);
	uint mant = b & 0x7FFFFFu;
	uint adj = (mant >= 0x3504F3u) ? 1u : 0u;
	int e = int(b >> 23) - 127 + int(adj);
	precise float m = uintBitsToFloat(mant | ((127u - adj) << 23));
	precise float f = m - 1.0;
	precise float k = float(e);
	precise float s = nm_fdiv(f, 2.0 + f);
	precise float z = s * s;
	precise float p = uintBitsToFloat(0x3E178897u); // LG7
	p = uintBitsToFloat(0x3E1CD04Fu) + z * p;       // LG6
	p = uintBitsToFloat(0x3E3A3325u) + z * p;       // LG5
	p = uintBitsToFloat(0x3E638E29u) + z * p;       // LG4
	p = uintBitsToFloat(0x3E924925u) + z * p;       // LG3
	p = uintBitsToFloat(0x3ECCCCCDu) + z * p;       // LG2
	p = uintBitsToFloat(0x3F2AAAABu) + z * p;       // LG1
	precise float R = z * p;
	precise float hfsq = (0.5 * f) * f;
	precise float r = (k * uintBitsToFloat(0x3F317180u)) - ((hfsq - ((s * (hfsq + R)) + (k * uintBitsToFloat(0x3717F7D2u)))) - f);
	return r;
}

float t_ksin32(float x) {
	precise float z = x * x;
	precise float v = z * x;
	precise float p = uintBitsToFloat(0x2F2EC9D3u); // S6
	p = uintBitsToFloat(0xB2D72F34u) + z * p;       // S5
	p = uintBitsToFloat(0x3638EF1Bu) + z * p;       // S4
	p = uintBitsToFloat(0xB9500D01u) + z * p;       // S3
	p = uintBitsToFloat(0x3C088889u) + z * p;       // S2
	precise float r = x + (v * (uintBitsToFloat(0xBE2AAAABu) + (z * p)));
	return r;
}

float t_kcos32(float x) {
	precise float z = x * x;
	precise float p = uintBitsToFloat(0xAD47D74Eu); // C6
	p = uintBitsToFloat(0x310F74F6u) + z * p;       // C5
	p = uintBitsToFloat(0xB493F27Cu) + z * p;       // C4
	p = uintBitsToFloat(0x37D00D01u) + z * p;       // C3
	p = uintBitsToFloat(0xBAB60B61u) + z * p;       // C2
	p = uintBitsToFloat(0x3D2AAAABu) + z * p;       // C1
	precise float r = z * p;
	precise float hz = 0.5 * z;
	precise float w = 1.0 - hz;
	precise float c = w + (((1.0 - w) - hz) + (z * r));
	return c;
}

// t_normal32: rng.Normal32(seed, member, node, source, step); seed and step as (low, high) words.
float t_normal32(uvec2 seed, uint member, uint node, uint source, uvec2 step) {
	uvec4 w = t_philox(uvec4(step.x, step.y, member, (node << 8) | source), seed);
	precise float u1 = float((w.x >> 8) + 1u) * uintBitsToFloat(0x33800000u); // F1: * 2^-24
	uint K = w.z >> 8;                                                           // F2
	precise float t = float(K) * uintBitsToFloat(0x34800000u);                  // * 2^-22
	uint n = (K + 0x200000u) >> 22;
	precise float r = t - float(n);
	uint q = n & 3u;
	precise float a = r * uintBitsToFloat(0x3FC90FDBu); // HALFPI
	float S = t_ksin32(a);
	float C = t_kcos32(a);
	float c = ((q & 1u) != 0u) ? S : C;
	if ((((q + 1u) >> 1) & 1u) != 0u) c = uintBitsToFloat(floatBitsToUint(c) ^ 0x80000000u);
	precise float v = 0.0 - (2.0 * t_log32(u1)); // F4
	precise float z = nm_fsqrt(v) * c;           // F5
	return z;
}
