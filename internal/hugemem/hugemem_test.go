package hugemem

import "testing"

func TestFloats(t *testing.T) {
	for _, n := range []int{0, 1, 1000, threshold / 8, threshold/8 + 12345} {
		s := Floats(n)
		if len(s) != n {
			t.Fatalf("Floats(%d) has length %d", n, len(s))
		}
		for i, v := range s {
			if v != 0 {
				t.Fatalf("Floats(%d)[%d] = %v, expected 0", n, i, v)
			}
		}
		for i := range s {
			s[i] = float64(i)
		}
		if n > 0 && s[n-1] != float64(n-1) {
			t.Fatal("write lost")
		}
	}
}
