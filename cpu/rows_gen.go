//go:build ignore

// rows_gen writes rows_amd64.s, the AVX-512 inner loops of the coupling sums (rows_amd64.go),
// for float64 (PD, 8 bytes) and float32 (PS, 4 bytes) from one template: go generate ./cpu/.
package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

// a kernel: the loop body per source (after R9 holds the source's first index, Z0 its weight
// and, for rowWW, Z13 the second weight), the registers set up before the loop, and the stores.
type kernel struct {
	name, args, setup, body, store string
	ret                            int
}

// one vector of members at each of the column's four 64-byte lines
const loads = `	MOVU (R8)(R9*SC), Z9
	MOVU 64(R8)(R9*SC), Z10
	MOVU 128(R8)(R9*SC), Z11
	MOVU 192(R8)(R9*SC), Z12
`

// the products in Z9-Z12 added to the accumulators Z5-Z8 (the accumulator the second operand,
// as Go's compiler orders it), and the accumulators stored
const adds = `	VADDP Z5, Z9, Z5
	VADDP Z6, Z10, Z6
	VADDP Z7, Z11, Z7
	VADDP Z8, Z12, Z8
`

const store = `	MOVU Z5, (DI)
	MOVU Z6, 64(DI)
	MOVU Z7, 128(DI)
	MOVU Z8, 192(DI)
`

var kernels = []kernel{
	{
		// acc[m] = sum_j w[j] * x_j[m]; the operands in the order Go's compiler gives rowW8
		// (VMULP x, w: the weight first)
		name: "asmRowW", args: "acc *F, w *F, n int, off *int32, buf *F, lim int, base int, next *int32", ret: 64,
		setup: "",
		body: `	VMULP (R8)(R9*SC), Z0, Z9
	VMULP 64(R8)(R9*SC), Z0, Z10
	VMULP 128(R8)(R9*SC), Z0, Z11
	VMULP 192(R8)(R9*SC), Z0, Z12
` + adds,
		store: store,
	},
	{
		// acc[m] = sum_j w[j] * (x_j[m] - y[m]), as rowWD8 orders the operands
		name: "asmRowWD", args: "acc *F, w *F, n int, off *int32, buf *F, lim int, base int, next *int32, y *F", ret: 72,
		setup: `	MOVQ y+64(FP), AX
	MOVU (AX), Z1
	MOVU 64(AX), Z2
	MOVU 128(AX), Z3
	MOVU 192(AX), Z4
`,
		body: loads + `	VSUBP Z1, Z9, Z9
	VSUBP Z2, Z10, Z10
	VSUBP Z3, Z11, Z11
	VSUBP Z4, Z12, Z12
	VMULP Z0, Z9, Z9
	VMULP Z0, Z10, Z10
	VMULP Z0, Z11, Z11
	VMULP Z0, Z12, Z12
` + adds,
		store: store,
	},
	{
		// acc1[m] = sum_j w1[j] * x_j[m], acc2[m] = sum_j w2[j] * x_j[m] in one pass, as rowWW8
		// orders the operands (VMULP w, x: the values first)
		name: "asmRowWW", args: "acc *F, w *F, n int, off *int32, buf *F, lim int, base int, next *int32, acc2 *F, w2 *F", ret: 80,
		setup: `	MOVQ w2+72(FP), AX
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19
`,
		body: `	BCAST (AX)(BX*SC), Z13
` + loads + `	VMULP Z0, Z9, Z20
	VMULP Z13, Z9, Z9
	VMULP Z0, Z10, Z21
	VMULP Z13, Z10, Z10
	VMULP Z0, Z11, Z22
	VMULP Z13, Z11, Z11
	VMULP Z0, Z12, Z23
	VMULP Z13, Z12, Z12
	VADDP Z5, Z20, Z5
	VADDP Z6, Z21, Z6
	VADDP Z7, Z22, Z7
	VADDP Z8, Z23, Z8
	VADDP Z16, Z9, Z16
	VADDP Z17, Z10, Z17
	VADDP Z18, Z11, Z18
	VADDP Z19, Z12, Z19
`,
		store: store + `	MOVQ acc2+64(FP), DI
	MOVU Z16, (DI)
	MOVU Z17, 64(DI)
	MOVU Z18, 128(DI)
	MOVU Z19, 192(DI)
`,
	},
}

// The AVX2 kernels (rowW4, rowWD4, rowWW4: four vectors of 32 bytes) are the AVX-512 ones on Y
// registers (avx2 below), except where Go's compiler orders their operands otherwise or they
// would need more than 15 registers (Y15 is ABIInternal's zero register):
var kernels4 = map[string]kernel{
	// rowW4 loads the values and multiplies them by the weight (VMULP w, x: the values first)
	"asmRowW": {body: `	MOVU (R8)(R9*SC), Z9
	MOVU 64(R8)(R9*SC), Z10
	MOVU 128(R8)(R9*SC), Z11
	MOVU 192(R8)(R9*SC), Z12
	VMULP Z0, Z9, Z9
	VMULP Z0, Z10, Z10
	VMULP Z0, Z11, Z11
	VMULP Z0, Z12, Z12
` + adds},
	// rowWW4: Z1-Z4 the second accumulators, Z12 a product, one vector of values at a time
	"asmRowWW": {setup: `	MOVQ w2+72(FP), AX
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
`, body: `	BCAST (AX)(BX*SC), Z13
	MOVU (R8)(R9*SC), Z9
	VMULP Z0, Z9, Z12
	VMULP Z13, Z9, Z9
	VADDP Z5, Z12, Z5
	VADDP Z1, Z9, Z1
	MOVU 64(R8)(R9*SC), Z9
	VMULP Z0, Z9, Z12
	VMULP Z13, Z9, Z9
	VADDP Z6, Z12, Z6
	VADDP Z2, Z9, Z2
	MOVU 128(R8)(R9*SC), Z9
	VMULP Z0, Z9, Z12
	VMULP Z13, Z9, Z9
	VADDP Z7, Z12, Z7
	VADDP Z3, Z9, Z3
	MOVU 192(R8)(R9*SC), Z9
	VMULP Z0, Z9, Z12
	VMULP Z13, Z9, Z9
	VADDP Z8, Z12, Z8
	VADDP Z4, Z9, Z4
`, store: store + `	MOVQ acc2+64(FP), DI
	MOVU Z1, (DI)
	MOVU Z2, 64(DI)
	MOVU Z3, 128(DI)
	MOVU Z4, 192(DI)
`},
}

// avx2 turns AVX-512 text into AVX2: Y registers, vectors of 32 bytes (the offsets 64, 128 and
// 192 of the second to fourth vectors become 32, 64 and 96), zeroing by VXORP.
func avx2(s, p string) string {
	s = regexp.MustCompile(`\b(64|128|192)\((R8|DI|AX)\)`).ReplaceAllStringFunc(s, func(m string) string {
		return strings.NewReplacer("64(", "32(", "128(", "64(", "192(", "96(").Replace(m)
	})
	s = regexp.MustCompile(`VPXORD (Z[0-9]+), Z[0-9]+, Z[0-9]+`).ReplaceAllString(s, "VXORP"+p+" $1, $1, $1")
	return regexp.MustCompile(`\bZ([0-9]+)\b`).ReplaceAllString(s, "Y$1")
}

// the frame: the common arguments, the accumulators zeroed, then two copies of the loop, the
// second also prefetching, for each source j, the four lines at buf[base+next[j]:].
const frame = `
// func NAME(ARGS) bool
TEXT ·NAME(SB), NOSPLIT, $0-SIZE
	MOVQ acc+0(FP), DI
	MOVQ w+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ off+24(FP), DX
	MOVQ buf+32(FP), R8
	MOVQ lim+40(FP), R10
	MOVQ base+48(FP), R11
	MOVQ next+56(FP), R12
SETUP	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	XORQ BX, BX
	TESTQ R12, R12
	JNE prefetchL

loopL:
	CMPQ BX, CX
	JGE doneL
	MOVLQSX (DX)(BX*4), R9
	ADDQ R11, R9
	CMPQ R9, R10
	JHI failL
	BCAST (SI)(BX*SC), Z0
BODY	INCQ BX
	JMP loopL

prefetchL:
	CMPQ BX, CX
	JGE doneL
	MOVLQSX (R12)(BX*4), R13
	ADDQ R11, R13
	LEAQ (R8)(R13*SC), R13
PREFETCH	MOVLQSX (DX)(BX*4), R9
	ADDQ R11, R9
	CMPQ R9, R10
	JHI failL
	BCAST (SI)(BX*SC), Z0
BODY	INCQ BX
	JMP prefetchL

doneL:
STORE	VZEROUPPER
	MOVB $1, ret+RET(FP)
	RET

failL:
	VZEROUPPER
	MOVB $0, ret+RET(FP)
	RET
`

func main() {
	var b strings.Builder
	b.WriteString(`// Code generated by rows_gen.go (go generate); DO NOT EDIT.

#include "textflag.h"

// The inner loops of the coupling sums (rows_amd64.go): registers DI acc, SI w, CX n, DX off,
// R8 buf, R10 lim, R11 base, R12 next (0: no prefetch), BX j, R9 the source's first index, R13
// the prefetched address, AX y or w2; Z0 w[j], Z13 w2[j], Z1-Z4 y, Z5-Z8 and Z16-Z19 the
// accumulators, Z9-Z12 and Z20-Z23 the values. R14, R15 and Z15 are left alone (Go's g, the GOT
// and ABIInternal's zero register).
`)
	for _, width := range []struct {
		suf      string
		prefetch string // the lines of a group: four vectors of 64 or 32 bytes
	}{
		{"8", "\tPREFETCHT0 (R13)\n\tPREFETCHT0 64(R13)\n\tPREFETCHT0 128(R13)\n\tPREFETCHT0 192(R13)\n"},
		{"4", "\tPREFETCHT0 (R13)\n\tPREFETCHT0 64(R13)\n"},
	} {
		for _, prec := range []struct{ suf, typ, p, sc, bcast string }{
			{"", "float64", "D", "8", "VBROADCASTSD"},
			{"f32", "float32", "S", "4", "VBROADCASTSS"},
		} {
			for _, k := range kernels {
				name := k.name + width.suf + prec.suf
				s := frame
				if k4, ok := kernels4[k.name]; ok && width.suf == "4" {
					k.body = k4.body
					if k4.setup != "" {
						k.setup, k.store = k4.setup, k4.store
					}
				}
				s = strings.ReplaceAll(s, "SETUP", k.setup)
				s = strings.ReplaceAll(s, "BODY", k.body)
				s = strings.ReplaceAll(s, "STORE", k.store)
				if width.suf == "4" {
					s = avx2(s, prec.p)
				}
				s = strings.ReplaceAll(s, "PREFETCH", width.prefetch)
				s = strings.ReplaceAll(s, "SIZE", fmt.Sprint(k.ret+1))
				s = strings.ReplaceAll(s, "ARGS", strings.ReplaceAll(k.args, "F", prec.typ))
				s = strings.ReplaceAll(s, "RET(FP)", fmt.Sprintf("%d(FP)", k.ret))
				s = strings.ReplaceAll(s, "NAME", name)
				s = strings.ReplaceAll(s, "L:", name+":")
				s = strings.ReplaceAll(s, "L\n", name+"\n")
				s = strings.ReplaceAll(s, "BCAST", prec.bcast)
				s = strings.ReplaceAll(s, "MOVU", "VMOVUP"+prec.p)
				s = strings.ReplaceAll(s, "VMULP ", "VMULP"+prec.p+" ")
				s = strings.ReplaceAll(s, "VADDP ", "VADDP"+prec.p+" ")
				s = strings.ReplaceAll(s, "VSUBP ", "VSUBP"+prec.p+" ")
				s = strings.ReplaceAll(s, "*SC)", "*"+prec.sc+")")
				b.WriteString(s)
			}
		}
	}
	if err := os.WriteFile("rows_amd64.s", []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
