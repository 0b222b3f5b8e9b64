//go:build goexperiment.simd && amd64

package alntable

import "simd/archsimd"

// The SIMD sweep runs the frequencies in blocks (8 per vector with AVX-512, 4 with AVX2) with the
// block's state in registers and the voltage index inside. Each vector operation is the plain
// kernel's scalar operation lane by lane (Mul, Add, Sub; no fused multiply-add), so the results are
// bit for bit those of sweepGeneric.

var (
	useAVX512 = archsimd.X86.AVX512()
	useAVX2   = archsimd.X86.AVX2()
)

// KernelName names the sweep kernel in use.
func KernelName() string {
	switch {
	case useAVX512:
		return "avx512"
	case useAVX2:
		return "avx2"
	}
	return "generic"
}

// sweep runs the backward sweep over all frequencies.
func sweep(coef []float64, n, kr int, c, eRe, eIm []float64, o *sweepOut) {
	nf := len(c)
	i := 0
	switch {
	case useAVX512:
		for ; i+8 <= nf; i += 8 {
			sweep8one(coef, n, kr, c, eRe, eIm, o, i)
		}
	case useAVX2:
		for ; i+4 <= nf; i += 4 {
			sweep4(coef, n, kr, c, eRe, eIm, o, i)
		}
	}
	sweepGeneric(coef, n, kr, c, eRe, eIm, o, i, nf)
}

type state8 struct {
	qaR, qaI, paR, paI, pmR, pmI, qmR, qmI, psR, psI, qsR, qsI archsimd.Float64x8
}

// steps8 advances the state over sweep indices [j0, j1), none of them the reset crossing.
func steps8(coef []float64, j0, j1 int, c archsimd.Float64x8, st *state8) {
	qaR, qaI, paR, paI := st.qaR, st.qaI, st.paR, st.paI
	pmR, pmI, qmR, qmI := st.pmR, st.pmI, st.qmR, st.qmI
	psR, psI, qsR, qsI := st.psR, st.psI, st.qsR, st.qsI
	for j := j0; j < j1; j++ {
		cf := coef[4*j : 4*j+4 : 4*j+4]
		A := archsimd.BroadcastFloat64x8(cf[0])
		B := archsimd.BroadcastFloat64x8(cf[1])
		hm := archsimd.BroadcastFloat64x8(cf[2])
		hs := archsimd.BroadcastFloat64x8(cf[3])
		nqaR := qaR.Sub(c.Mul(paI))
		nqaI := qaI.Add(c.Mul(paR))
		npaR := paR.Mul(A).Add(B.Mul(qaR))
		npaI := paI.Mul(A).Add(B.Mul(qaI))
		npmR := pmR.Mul(A).Add(B.Mul(qmR.Sub(hm)))
		npmI := pmI.Mul(A).Add(B.Mul(qmI))
		qmR = qmR.Sub(c.Mul(pmI))
		qmI = qmI.Add(c.Mul(pmR))
		npsR := psR.Mul(A).Add(B.Mul(qsR.Sub(hs)))
		npsI := psI.Mul(A).Add(B.Mul(qsI))
		qsR = qsR.Sub(c.Mul(psI))
		qsI = qsI.Add(c.Mul(psR))
		qaR, qaI, paR, paI = nqaR, nqaI, npaR, npaI
		pmR, pmI, psR, psI = npmR, npmI, npsR, npsI
	}
	*st = state8{qaR, qaI, paR, paI, pmR, pmI, qmR, qmI, psR, psI, qsR, qsI}
}

func sweep8(coef []float64, n, kr int, c, eRe, eIm []float64, o *sweepOut, i int) {
	js := n - 2 - kr
	cv := archsimd.LoadFloat64x8Slice(c[i:])
	var st state8
	st.qaR = archsimd.BroadcastFloat64x8(1)
	steps8(coef, 0, js, cv, &st)
	// the reset crossing: qa' = (qa + c*qa) - e
	cf := coef[4*js : 4*js+4 : 4*js+4]
	A := archsimd.BroadcastFloat64x8(cf[0])
	B := archsimd.BroadcastFloat64x8(cf[1])
	hm := archsimd.BroadcastFloat64x8(cf[2])
	hs := archsimd.BroadcastFloat64x8(cf[3])
	nqaR := st.qaR.Sub(cv.Mul(st.qaI)).Sub(archsimd.LoadFloat64x8Slice(eRe[i:]))
	nqaI := st.qaI.Add(cv.Mul(st.qaR)).Sub(archsimd.LoadFloat64x8Slice(eIm[i:]))
	npaR := st.paR.Mul(A).Add(B.Mul(st.qaR))
	npaI := st.paI.Mul(A).Add(B.Mul(st.qaI))
	npmR := st.pmR.Mul(A).Add(B.Mul(st.qmR.Sub(hm)))
	npmI := st.pmI.Mul(A).Add(B.Mul(st.qmI))
	st.qmR = st.qmR.Sub(cv.Mul(st.pmI))
	st.qmI = st.qmI.Add(cv.Mul(st.pmR))
	npsR := st.psR.Mul(A).Add(B.Mul(st.qsR.Sub(hs)))
	npsI := st.psI.Mul(A).Add(B.Mul(st.qsI))
	st.qsR = st.qsR.Sub(cv.Mul(st.psI))
	st.qsI = st.qsI.Add(cv.Mul(st.psR))
	st.qaR, st.qaI, st.paR, st.paI = nqaR, nqaI, npaR, npaI
	st.pmR, st.pmI, st.psR, st.psI = npmR, npmI, npsR, npsI
	steps8(coef, js+1, n-1, cv, &st)
	st.qaR.StoreSlice(o.qaRe[i:])
	st.qaI.StoreSlice(o.qaIm[i:])
	st.qmR.StoreSlice(o.qmRe[i:])
	st.qmI.StoreSlice(o.qmIm[i:])
	st.qsR.StoreSlice(o.qsRe[i:])
	st.qsI.StoreSlice(o.qsIm[i:])
}

type state4 struct {
	qaR, qaI, paR, paI, pmR, pmI, qmR, qmI, psR, psI, qsR, qsI archsimd.Float64x4
}

func steps4(coef []float64, j0, j1 int, c archsimd.Float64x4, st *state4) {
	qaR, qaI, paR, paI := st.qaR, st.qaI, st.paR, st.paI
	pmR, pmI, qmR, qmI := st.pmR, st.pmI, st.qmR, st.qmI
	psR, psI, qsR, qsI := st.psR, st.psI, st.qsR, st.qsI
	for j := j0; j < j1; j++ {
		cf := coef[4*j : 4*j+4 : 4*j+4]
		A := archsimd.BroadcastFloat64x4(cf[0])
		B := archsimd.BroadcastFloat64x4(cf[1])
		hm := archsimd.BroadcastFloat64x4(cf[2])
		hs := archsimd.BroadcastFloat64x4(cf[3])
		nqaR := qaR.Sub(c.Mul(paI))
		nqaI := qaI.Add(c.Mul(paR))
		npaR := paR.Mul(A).Add(B.Mul(qaR))
		npaI := paI.Mul(A).Add(B.Mul(qaI))
		npmR := pmR.Mul(A).Add(B.Mul(qmR.Sub(hm)))
		npmI := pmI.Mul(A).Add(B.Mul(qmI))
		qmR = qmR.Sub(c.Mul(pmI))
		qmI = qmI.Add(c.Mul(pmR))
		npsR := psR.Mul(A).Add(B.Mul(qsR.Sub(hs)))
		npsI := psI.Mul(A).Add(B.Mul(qsI))
		qsR = qsR.Sub(c.Mul(psI))
		qsI = qsI.Add(c.Mul(psR))
		qaR, qaI, paR, paI = nqaR, nqaI, npaR, npaI
		pmR, pmI, psR, psI = npmR, npmI, npsR, npsI
	}
	*st = state4{qaR, qaI, paR, paI, pmR, pmI, qmR, qmI, psR, psI, qsR, qsI}
}

func sweep4(coef []float64, n, kr int, c, eRe, eIm []float64, o *sweepOut, i int) {
	js := n - 2 - kr
	cv := archsimd.LoadFloat64x4Slice(c[i:])
	var st state4
	st.qaR = archsimd.BroadcastFloat64x4(1)
	steps4(coef, 0, js, cv, &st)
	cf := coef[4*js : 4*js+4 : 4*js+4]
	A := archsimd.BroadcastFloat64x4(cf[0])
	B := archsimd.BroadcastFloat64x4(cf[1])
	hm := archsimd.BroadcastFloat64x4(cf[2])
	hs := archsimd.BroadcastFloat64x4(cf[3])
	nqaR := st.qaR.Sub(cv.Mul(st.qaI)).Sub(archsimd.LoadFloat64x4Slice(eRe[i:]))
	nqaI := st.qaI.Add(cv.Mul(st.qaR)).Sub(archsimd.LoadFloat64x4Slice(eIm[i:]))
	npaR := st.paR.Mul(A).Add(B.Mul(st.qaR))
	npaI := st.paI.Mul(A).Add(B.Mul(st.qaI))
	npmR := st.pmR.Mul(A).Add(B.Mul(st.qmR.Sub(hm)))
	npmI := st.pmI.Mul(A).Add(B.Mul(st.qmI))
	st.qmR = st.qmR.Sub(cv.Mul(st.pmI))
	st.qmI = st.qmI.Add(cv.Mul(st.pmR))
	npsR := st.psR.Mul(A).Add(B.Mul(st.qsR.Sub(hs)))
	npsI := st.psI.Mul(A).Add(B.Mul(st.qsI))
	st.qsR = st.qsR.Sub(cv.Mul(st.psI))
	st.qsI = st.qsI.Add(cv.Mul(st.psR))
	st.qaR, st.qaI, st.paR, st.paI = nqaR, nqaI, npaR, npaI
	st.pmR, st.pmI, st.psR, st.psI = npmR, npmI, npsR, npsI
	steps4(coef, js+1, n-1, cv, &st)
	st.qaR.StoreSlice(o.qaRe[i:])
	st.qaI.StoreSlice(o.qaIm[i:])
	st.qmR.StoreSlice(o.qmRe[i:])
	st.qmI.StoreSlice(o.qmIm[i:])
	st.qsR.StoreSlice(o.qsRe[i:])
	st.qsI.StoreSlice(o.qsIm[i:])
}

type state8one struct {
	qaR, qaI, paR, paI, pbR, pbI, qbR, qbI archsimd.Float64x8
}

// steps8one advances qa, pa and one modulation's pb, qb (h at coef[4j+hoff]) over [j0, j1).
func steps8one(coef []float64, j0, j1, hoff int, c archsimd.Float64x8, st *state8one) {
	qaR, qaI, paR, paI := st.qaR, st.qaI, st.paR, st.paI
	pbR, pbI, qbR, qbI := st.pbR, st.pbI, st.qbR, st.qbI
	for j := j0; j < j1; j++ {
		cf := coef[4*j : 4*j+4 : 4*j+4]
		A := archsimd.BroadcastFloat64x8(cf[0])
		B := archsimd.BroadcastFloat64x8(cf[1])
		h := archsimd.BroadcastFloat64x8(cf[hoff])
		nqaR := qaR.Sub(c.Mul(paI))
		nqaI := qaI.Add(c.Mul(paR))
		npaR := paR.Mul(A).Add(B.Mul(qaR))
		npaI := paI.Mul(A).Add(B.Mul(qaI))
		npbR := pbR.Mul(A).Add(B.Mul(qbR.Sub(h)))
		npbI := pbI.Mul(A).Add(B.Mul(qbI))
		qbR = qbR.Sub(c.Mul(pbI))
		qbI = qbI.Add(c.Mul(pbR))
		qaR, qaI, paR, paI = nqaR, nqaI, npaR, npaI
		pbR, pbI = npbR, npbI
	}
	*st = state8one{qaR, qaI, paR, paI, pbR, pbI, qbR, qbI}
}

// sweep8one is sweep8 for one modulation at a time: fewer live vectors than registers.
func sweep8one(coef []float64, n, kr int, c, eRe, eIm []float64, o *sweepOut, i int) {
	js := n - 2 - kr
	cv := archsimd.LoadFloat64x8Slice(c[i:])
	for m := 0; m < 2; m++ {
		hoff := 2 + m
		var st state8one
		st.qaR = archsimd.BroadcastFloat64x8(1)
		steps8one(coef, 0, js, hoff, cv, &st)
		cf := coef[4*js : 4*js+4 : 4*js+4]
		A := archsimd.BroadcastFloat64x8(cf[0])
		B := archsimd.BroadcastFloat64x8(cf[1])
		h := archsimd.BroadcastFloat64x8(cf[hoff])
		nqaR := st.qaR.Sub(cv.Mul(st.qaI)).Sub(archsimd.LoadFloat64x8Slice(eRe[i:]))
		nqaI := st.qaI.Add(cv.Mul(st.qaR)).Sub(archsimd.LoadFloat64x8Slice(eIm[i:]))
		npaR := st.paR.Mul(A).Add(B.Mul(st.qaR))
		npaI := st.paI.Mul(A).Add(B.Mul(st.qaI))
		npbR := st.pbR.Mul(A).Add(B.Mul(st.qbR.Sub(h)))
		npbI := st.pbI.Mul(A).Add(B.Mul(st.qbI))
		st.qbR = st.qbR.Sub(cv.Mul(st.pbI))
		st.qbI = st.qbI.Add(cv.Mul(st.pbR))
		st.qaR, st.qaI, st.paR, st.paI = nqaR, nqaI, npaR, npaI
		st.pbR, st.pbI = npbR, npbI
		steps8one(coef, js+1, n-1, hoff, cv, &st)
		st.qaR.StoreSlice(o.qaRe[i:])
		st.qaI.StoreSlice(o.qaIm[i:])
		if m == 0 {
			st.qbR.StoreSlice(o.qmRe[i:])
			st.qbI.StoreSlice(o.qmIm[i:])
		} else {
			st.qbR.StoreSlice(o.qsRe[i:])
			st.qbI.StoreSlice(o.qsIm[i:])
		}
	}
}
