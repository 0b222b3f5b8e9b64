// Package fuse describes how the CPU backend runs the Step and After phases of a model's lane
// program as one fused loop (cpu/fused.go): which registers the fused code reads from memory, in
// which order they are bound, which leaf instructions still run before the loop, which lookups
// share a table placement, and which registers it stores. The generator of the fused kernels
// (cpu/internal/fusegen) and the backend's binding at NewSim both walk a program through Analyze,
// so that the order of the operands the generated code expects and the order the backend binds
// them in cannot drift apart; Fingerprint ties a generated kernel to the exact program it was
// generated from.
package fuse
