package alntable

import "testing"

// FuzzDecode: any byte string decodes to valid tables or an error, never a panic.
func FuzzDecode(f *testing.F) {
	small := smallTables()
	small.Params = nil // a short header: the fuzzer mutates the structure, not 4000 frequencies
	good, err := small.Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:40])
	f.Add(good[:len(good)-1])
	f.Add([]byte(magic))
	f.Add([]byte(magic + "\x05\x00\x00\x00{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := Decode(b, "fuzz")
		if err != nil {
			return
		}
		if err := tb.Validate(); err != nil {
			t.Fatalf("Decode returned invalid tables: %v", err)
		}
	})
}
