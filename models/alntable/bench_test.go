package alntable

import (
	"math"
	"testing"
)

func BenchmarkSweep(b *testing.B) {
	s, err := NewSolver(NeurolibParams())
	if err != nil {
		b.Fatal(err)
	}
	w := s.newWork()
	r := s.steady(1.5, 2, w.p, w.A, w.B)
	for k := range w.p {
		w.hmu[k] = 1e-5 * w.p[k]
		w.hsig[k] = 1e-5 * (r - w.p[k])
	}
	s.packCoef(w)
	b.ResetTimer()
	for b.Loop() {
		sweep(w.coef, len(s.V), s.kr, s.c, s.eRe, s.eIm, &w.out)
	}
}

func BenchmarkFit(b *testing.B) {
	s, err := NewSolver(NeurolibParams())
	if err != nil {
		b.Fatal(err)
	}
	rho := make([]complex128, len(s.w))
	for i, w := range s.w {
		rho[i] = 1 / complex(1, w*3.3)
	}
	for b.Loop() {
		s.fitExp(rho)
	}
}

func BenchmarkPoint(b *testing.B) {
	s, err := NewSolver(NeurolibParams())
	if err != nil {
		b.Fatal(err)
	}
	w := s.newWork()
	for b.Loop() {
		s.point(1.5, 2, w)
	}
}

func BenchmarkExpCR(b *testing.B) {
	x := -3.3
	s := 0.0
	for b.Loop() {
		s += expCR(x)
		x += 1e-9
	}
	_ = s
}

func BenchmarkSteady(b *testing.B) {
	for _, name := range []string{"go", "cr"} {
		b.Run(name, func(b *testing.B) {
			old := expFn
			defer func() { expFn = old }()
			if name == "go" {
				expFn = math.Exp
			} else {
				expFn = expCR
			}
			s, _ := NewSolver(NeurolibParams())
			w := s.newWork()
			for b.Loop() {
				s.steady(1.5, 2, w.p, w.A, w.B)
			}
		})
	}
}
