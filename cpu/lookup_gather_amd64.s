//go:build goexperiment.simd && amd64

#include "textflag.h"

// Gathered bilinear interpolation (lookup_gather.go). Registers: AX tabs, BX k, R13 base, DX dx,
// SI dy, DI fy, R8 fx, R9 n, R10 the first lane of the vector, R11 the table, R12 the tables left
// (and the lane mask before), CX the table's values and then its results; Z0-Z3 the corners'
// indices, Z4 fy, Z5 fx, Z6 gx, Z7 gy, Z8-Z13 the corners, Z31 1.0; K1 the lanes of this vector
// (all but in the last, partial one), K2-K5 its copies, which each gather clears as it goes.
// R14, R15 and Z15 are left alone (Go's g, the GOT and the zero register of ABIInternal).

// func gatherF32(tabs unsafe.Pointer, k int, base, dx, dy *int32, fy, fx unsafe.Pointer, n int)
// In float32 the gathers are 64 bits wide, each fetching a lane's two corners of a row (base,
// base+1 and base+dy, base+dy+1) at once: half the elements of gathering each corner on its own
// (measured on the development VM's Zen 5, BenchmarkLookup: 1.4x to 2x faster). The pairs are
// split into corners by two permutations, and lanes with dx = 0 (the last column) take their
// first corner as their second. The values need one element after the last (newTable's padding).
// Z20 and Z21 hold the even and odd positions, Y1 and Y3 the upper 8 lanes' indices, K6 the lanes
// with dx = 0, K7 the upper 8 lanes of K1.
TEXT ·gatherF32(SB), NOSPLIT, $0-64
	MOVQ tabs+0(FP), AX
	MOVQ k+8(FP), BX
	MOVQ base+16(FP), R13
	MOVQ dx+24(FP), DX
	MOVQ dy+32(FP), SI
	MOVQ fy+40(FP), DI
	MOVQ fx+48(FP), R8
	MOVQ n+56(FP), R9
	MOVL $0x3f800000, R10
	VPBROADCASTD R10, Z31
	VMOVDQU32 evenIdx<>(SB), Z20
	VMOVDQU32 oddIdx<>(SB), Z21
	XORQ R10, R10

loop32:
	MOVQ R9, CX
	SUBQ R10, CX
	JLE  done32
	MOVL $0xffff, R12
	CMPQ CX, $16
	JGE  full32
	MOVL $1, R12
	SHLL CX, R12
	DECL R12

full32:
	KMOVW         R12, K1
	VMOVDQU32.Z   (R13)(R10*4), K1, Z0
	VMOVDQU32.Z   (DX)(R10*4), K1, Z1
	VMOVDQU32.Z   (SI)(R10*4), K1, Z2
	VPTESTNMD     Z1, Z1, K6           // dx = 0
	VPADDD        Z0, Z2, Z2           // base + dy
	VEXTRACTI32X8 $1, Z0, Y1
	VEXTRACTI32X8 $1, Z2, Y3
	VMOVUPS.Z     (DI)(R10*4), K1, Z4
	VMOVUPS.Z     (R8)(R10*4), K1, Z5
	VSUBPS        Z5, Z31, Z6          // gx = 1 - fx
	VSUBPS        Z4, Z31, Z7          // gy = 1 - fy
	KSHIFTRW      $8, K1, K7           // the upper 8 lanes
	MOVQ          AX, R11
	MOVQ          BX, R12

table32:
	MOVQ       0(R11), CX
	KMOVW      K1, K2
	VPXORQ     Z8, Z8, Z8
	VPGATHERDQ (CX)(Y0*4), K2, Z8
	KMOVW      K7, K3
	VPXORQ     Z9, Z9, Z9
	VPGATHERDQ (CX)(Y1*4), K3, Z9
	KMOVW      K1, K4
	VPXORQ     Z10, Z10, Z10
	VPGATHERDQ (CX)(Y2*4), K4, Z10
	KMOVW      K7, K5
	VPXORQ     Z11, Z11, Z11
	VPGATHERDQ (CX)(Y3*4), K5, Z11
	VMOVDQA32  Z20, Z12
	VPERMI2PS  Z9, Z8, Z12            // v0
	VPERMT2PS  Z9, Z21, Z8            // v1
	VMOVAPS    Z12, K6, Z8
	VMOVDQA32  Z20, Z13
	VPERMI2PS  Z11, Z10, Z13          // v2
	VPERMT2PS  Z11, Z21, Z10          // v3
	VMOVAPS    Z13, K6, Z10
	VMULPS     Z6, Z12, Z12           // (v0*gx)*gy
	VMULPS     Z7, Z12, Z12
	VMULPS     Z5, Z8, Z8             // (v1*fx)*gy
	VMULPS     Z7, Z8, Z8
	VMULPS     Z6, Z13, Z13           // (v2*gx)*fy
	VMULPS     Z4, Z13, Z13
	VMULPS     Z5, Z10, Z10           // (v3*fx)*fy
	VMULPS     Z4, Z10, Z10
	VADDPS     Z8, Z12, Z12
	VADDPS     Z13, Z12, Z12
	VADDPS     Z10, Z12, Z12
	MOVQ       8(R11), CX
	VMOVUPS    Z12, K1, (CX)(R10*4)
	ADDQ       $16, R11
	DECQ       R12
	JNZ        table32
	ADDQ       $16, R10
	JMP        loop32

done32:
	VZEROUPPER
	RET

DATA evenIdx<>+0(SB)/4, $0
DATA evenIdx<>+4(SB)/4, $2
DATA evenIdx<>+8(SB)/4, $4
DATA evenIdx<>+12(SB)/4, $6
DATA evenIdx<>+16(SB)/4, $8
DATA evenIdx<>+20(SB)/4, $10
DATA evenIdx<>+24(SB)/4, $12
DATA evenIdx<>+28(SB)/4, $14
DATA evenIdx<>+32(SB)/4, $16
DATA evenIdx<>+36(SB)/4, $18
DATA evenIdx<>+40(SB)/4, $20
DATA evenIdx<>+44(SB)/4, $22
DATA evenIdx<>+48(SB)/4, $24
DATA evenIdx<>+52(SB)/4, $26
DATA evenIdx<>+56(SB)/4, $28
DATA evenIdx<>+60(SB)/4, $30
GLOBL evenIdx<>(SB), RODATA|NOPTR, $64

DATA oddIdx<>+0(SB)/4, $1
DATA oddIdx<>+4(SB)/4, $3
DATA oddIdx<>+8(SB)/4, $5
DATA oddIdx<>+12(SB)/4, $7
DATA oddIdx<>+16(SB)/4, $9
DATA oddIdx<>+20(SB)/4, $11
DATA oddIdx<>+24(SB)/4, $13
DATA oddIdx<>+28(SB)/4, $15
DATA oddIdx<>+32(SB)/4, $17
DATA oddIdx<>+36(SB)/4, $19
DATA oddIdx<>+40(SB)/4, $21
DATA oddIdx<>+44(SB)/4, $23
DATA oddIdx<>+48(SB)/4, $25
DATA oddIdx<>+52(SB)/4, $27
DATA oddIdx<>+56(SB)/4, $29
DATA oddIdx<>+60(SB)/4, $31
GLOBL oddIdx<>(SB), RODATA|NOPTR, $64

// func gatherF64(tabs unsafe.Pointer, k int, base, dx, dy *int32, fy, fx unsafe.Pointer, n int)
// 8 lanes a vector, each corner gathered on its own (a pair of float64 corners is 128 bits, wider
// than a gather's element): the indices in Y0-Y3.
TEXT ·gatherF64(SB), NOSPLIT, $0-64
	MOVQ tabs+0(FP), AX
	MOVQ k+8(FP), BX
	MOVQ base+16(FP), R13
	MOVQ dx+24(FP), DX
	MOVQ dy+32(FP), SI
	MOVQ fy+40(FP), DI
	MOVQ fx+48(FP), R8
	MOVQ n+56(FP), R9
	MOVQ $0x3ff0000000000000, R10
	VPBROADCASTQ R10, Z31
	XORQ R10, R10

loop64:
	MOVQ R9, CX
	SUBQ R10, CX
	JLE  done64
	MOVL $0xff, R12
	CMPQ CX, $8
	JGE  full64
	MOVL $1, R12
	SHLL CX, R12
	DECL R12

full64:
	KMOVW        R12, K1
	VMOVDQU32.Z  (R13)(R10*4), K1, Y0
	VMOVDQU32.Z  (DX)(R10*4), K1, Y1
	VMOVDQU32.Z  (SI)(R10*4), K1, Y2
	VPADDD       Y0, Y1, Y1           // base + dx
	VPADDD       Y1, Y2, Y3           // base + dx + dy
	VPADDD       Y0, Y2, Y2           // base + dy
	VMOVUPD.Z    (DI)(R10*8), K1, Z4
	VMOVUPD.Z    (R8)(R10*8), K1, Z5
	VSUBPD       Z5, Z31, Z6          // gx = 1 - fx
	VSUBPD       Z4, Z31, Z7          // gy = 1 - fy
	MOVQ         AX, R11
	MOVQ         BX, R12

table64:
	MOVQ       0(R11), CX
	KMOVW      K1, K2
	VPXORQ     Z8, Z8, Z8
	VGATHERDPD (CX)(Y0*8), K2, Z8
	KMOVW      K1, K3
	VPXORQ     Z9, Z9, Z9
	VGATHERDPD (CX)(Y1*8), K3, Z9
	KMOVW      K1, K4
	VPXORQ     Z10, Z10, Z10
	VGATHERDPD (CX)(Y2*8), K4, Z10
	KMOVW      K1, K5
	VPXORQ     Z11, Z11, Z11
	VGATHERDPD (CX)(Y3*8), K5, Z11
	VMULPD     Z6, Z8, Z8             // (v0*gx)*gy
	VMULPD     Z7, Z8, Z8
	VMULPD     Z5, Z9, Z9             // (v1*fx)*gy
	VMULPD     Z7, Z9, Z9
	VMULPD     Z6, Z10, Z10           // (v2*gx)*fy
	VMULPD     Z4, Z10, Z10
	VMULPD     Z5, Z11, Z11           // (v3*fx)*fy
	VMULPD     Z4, Z11, Z11
	VADDPD     Z9, Z8, Z8
	VADDPD     Z10, Z8, Z8
	VADDPD     Z11, Z8, Z8
	MOVQ       8(R11), CX
	VMOVUPD    Z8, K1, (CX)(R10*8)
	ADDQ       $16, R11
	DECQ       R12
	JNZ        table64
	ADDQ       $8, R10
	JMP        loop64

done64:
	VZEROUPPER
	RET
