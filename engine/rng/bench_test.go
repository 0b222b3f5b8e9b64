package rng

import "testing"

// Benchmarks report ns/op where one op is one standard-normal sample.

var sink64 float64
var sink32 float32

func BenchmarkNormal64(b *testing.B) {
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += Normal64(42, uint32(i), 7, 1, 1000)
	}
	sink64 = s
}

func BenchmarkNormal32(b *testing.B) {
	var s float32
	for i := 0; i < b.N; i++ {
		s += Normal32(42, uint32(i), 7, 1, 1000)
	}
	sink32 = s
}

func BenchmarkFillNormal64(b *testing.B) {
	dst := make([]float64, 1024)
	b.ResetTimer()
	for i := 0; i < b.N; i += len(dst) {
		FillNormal64(dst, 42, 0, 7, 1, uint64(i))
	}
}

func BenchmarkFillNormal32(b *testing.B) {
	dst := make([]float32, 1024)
	b.ResetTimer()
	for i := 0; i < b.N; i += len(dst) {
		FillNormal32(dst, 42, 0, 7, 1, uint64(i))
	}
}

func BenchmarkPhilox4x32(b *testing.B) {
	var x uint32
	for i := 0; i < b.N; i++ {
		x ^= Philox4x32([4]uint32{uint32(i), 0, 0, 0}, [2]uint32{42, 0})[0]
	}
	sink32 = float32(x)
}

func BenchmarkMT19937NormFloat64(b *testing.B) {
	r := NewMT19937(42)
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += r.NormFloat64()
	}
	sink64 = s
}

func BenchmarkMT19937FillNormal(b *testing.B) {
	r := NewMT19937(42)
	dst := make([]float64, 1024)
	b.ResetTimer()
	for i := 0; i < b.N; i += len(dst) {
		r.FillNormal(dst)
	}
}
