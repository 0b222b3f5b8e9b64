//go:build goexperiment.simd && amd64

#include "textflag.h"

// Gathered bilinear interpolation (lookup_gather.go). Registers: AX tabs, BX k, R13 base, DX dx,
// SI dy, DI fy, R8 fx, R9 n, R10 the first lane of the vector, R11 the table, R12 the tables left
// (and the lane mask before), CX the table's values and then its results; Z0-Z3 the corners'
// indices, Z4 fy, Z5 fx, Z6 gx, Z7 gy, Z8-Z11 the corners, Z31 1.0; K1 the lanes of this vector
// (all but in the last, partial one), K2-K5 its copies, which each gather clears as it goes.
// R14, R15 and Z15 are left alone (Go's g, the GOT and the zero register of ABIInternal).

// func gatherF32(tabs unsafe.Pointer, k int, base, dx, dy *int32, fy, fx unsafe.Pointer, n int)
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
	KMOVW        R12, K1
	VMOVDQU32.Z  (R13)(R10*4), K1, Z0
	VMOVDQU32.Z  (DX)(R10*4), K1, Z1
	VMOVDQU32.Z  (SI)(R10*4), K1, Z2
	VPADDD       Z0, Z1, Z1           // base + dx
	VPADDD       Z1, Z2, Z3           // base + dx + dy
	VPADDD       Z0, Z2, Z2           // base + dy
	VMOVUPS.Z    (DI)(R10*4), K1, Z4
	VMOVUPS.Z    (R8)(R10*4), K1, Z5
	VSUBPS       Z5, Z31, Z6          // gx = 1 - fx
	VSUBPS       Z4, Z31, Z7          // gy = 1 - fy
	MOVQ         AX, R11
	MOVQ         BX, R12

table32:
	MOVQ       0(R11), CX
	KMOVW      K1, K2
	VPXORD     Z8, Z8, Z8
	VGATHERDPS (CX)(Z0*4), K2, Z8
	KMOVW      K1, K3
	VPXORD     Z9, Z9, Z9
	VGATHERDPS (CX)(Z1*4), K3, Z9
	KMOVW      K1, K4
	VPXORD     Z10, Z10, Z10
	VGATHERDPS (CX)(Z2*4), K4, Z10
	KMOVW      K1, K5
	VPXORD     Z11, Z11, Z11
	VGATHERDPS (CX)(Z3*4), K5, Z11
	VMULPS     Z6, Z8, Z8             // (v0*gx)*gy
	VMULPS     Z7, Z8, Z8
	VMULPS     Z5, Z9, Z9             // (v1*fx)*gy
	VMULPS     Z7, Z9, Z9
	VMULPS     Z6, Z10, Z10           // (v2*gx)*fy
	VMULPS     Z4, Z10, Z10
	VMULPS     Z5, Z11, Z11           // (v3*fx)*fy
	VMULPS     Z4, Z11, Z11
	VADDPS     Z9, Z8, Z8
	VADDPS     Z10, Z8, Z8
	VADDPS     Z11, Z8, Z8
	MOVQ       8(R11), CX
	VMOVUPS    Z8, K1, (CX)(R10*4)
	ADDQ       $16, R11
	DECQ       R12
	JNZ        table32
	ADDQ       $16, R10
	JMP        loop32

done32:
	VZEROUPPER
	RET

// func gatherF64(tabs unsafe.Pointer, k int, base, dx, dy *int32, fy, fx unsafe.Pointer, n int)
// As gatherF32 with 8 lanes a vector: the indices in Y0-Y3.
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
