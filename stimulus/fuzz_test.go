package stimulus

import (
	"math"
	"testing"
)

// FuzzParse: any text is a stimulus or an error, never a panic, and a parsed stimulus generates
// finite values or an error on a small grid (sums of parts are checked by each part; a sum of
// two near-overflowing parts is not reachable from text).
func FuzzParse(f *testing.F) {
	for _, s := range []string{"zero", "step:size=1,start=2,end=5", "sine:amplitude=0.5,frequency=10,dc_bias=true",
		"square:amplitude=1,frequency=250", "ramp:max=2,length=4", "exp:max=1,coef=3,type=decay", "wiener:seed=42",
		"ou:mu=1,sigma=0.1,tau=5,seed=3", "rectified:amplitude=0.2", "sine:", ":", "step:size=1e308"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := Parse(s)
		if err != nil {
			return
		}
		out, err := st.Generate(2, 10, 0.5)
		if err != nil {
			return
		}
		for _, row := range out {
			for j, v := range row {
				// overflow must be an error, not a value
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("Parse(%q) generates %v at sample %d", s, v, j)
				}
			}
		}
	})
}
