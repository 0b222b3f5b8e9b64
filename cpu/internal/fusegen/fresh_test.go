package main

import (
	"bytes"
	"os"
	"testing"
)

// TestGeneratedFresh regenerates cpu/fused_gen.go in memory and compares it with the committed
// file: a model, the lane program's lowering or the generator changed without `go generate ./cpu/`
// fails here (the kernels of a stale file would only go unused: their fingerprints no longer match).
func TestGeneratedFresh(t *testing.T) {
	var buf bytes.Buffer
	if err := Generate(&buf); err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("../../fused_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), have) {
		t.Fatal("cpu/fused_gen.go is stale: run go generate ./cpu/")
	}
}
