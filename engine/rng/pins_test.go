package rng

// normalPins: see TestNormalPins. Fields: seed, member, node, variable, step, Normal64 bits,
// Normal32 bits; the comment repeats the values in decimal.
var normalPins = []struct {
	seed     uint64
	member   uint32
	node     uint32
	variable uint8
	step     uint64
	bits64   uint64
	bits32   uint32
}{
	{0x0, 0, 0, 0, 0x0, 0xBFBF1BCD1A2003C6, 0xBDF8DE7E},                                                 // -0.12151796233958043, -0.12151812
	{0x2a, 0, 0, 0, 0x0, 0x3FEC5E30062517F2, 0x3F62F181},                                                // 0.8864975090043556, 0.88649756
	{0x2a, 1, 0, 0, 0x0, 0x3FD5D375FD2159E4, 0x3EAE9BB4},                                                // 0.341031548688447, 0.34103167
	{0x2a, 0, 1, 0, 0x0, 0x3FB9C0E2481A5E1E, 0x3DCE0726},                                                // 0.10059942493750682, 0.10059957
	{0x2a, 0, 0, 1, 0x0, 0xBFEED8475B550DA1, 0xBF76C236},                                                // -0.9639012130577848, -0.9639009
	{0x2a, 0, 0, 0, 0x1, 0xBFC40BC8B2401BD4, 0xBE205E30},                                                // -0.15660961822160735, -0.1566093
	{0xffffffffffffffff, 4294967295, 16777215, 255, 0xffffffffffffffff, 0xBFF1D0237BB1F701, 0xBF8E811F}, // -1.1133150894015105, -1.1133155
	{0x123456789abcdef, 123, 456, 7, 0x10000000005, 0x3FDB6232BCCFC3EF, 0x3EDB1197},                     // 0.4278685420859451, 0.42786857
}
