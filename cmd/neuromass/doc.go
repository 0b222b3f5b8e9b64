// Command neuromass is the command-line tool of the neuromass whole-brain neural mass simulator.
//
// Usage:
//
//	neuromass model list                      the built-in models, one line each
//	neuromass model show NAME|FILE            a model's switches, parameters, states, inputs,
//	                                          noises, tables, outputs and couplings
//	neuromass model show --source NAME|FILE   the model's text
//	neuromass model check FILE...             compile model files and report every error as
//	                                          FILE:LINE:COL: message
//	neuromass model glsl NAME|FILE            the GLSL the GPU backend runs for a model
//	neuromass run [flags]                     simulate a model on a network; write .npz or print a summary
//	neuromass precalc aln --out FILE          compute ALN's transfer tables (resumable)
//
// NAME is a built-in model (aln, fhn, hopf, kuramoto, rww, thalamus, wc, ww); anything else is read
// as the path of a model file written in the model language (docs/model-language.md). A built-in
// name takes precedence over a file of the same name in the working directory: write ./wc for the
// file. --switch name=option (repeatable) picks a compile-time switch option for show and glsl.
//
// Global flags: --quiet (-q) prints only errors, --verbose (-v) prints more detail, --version
// prints the version (set at build time with -ldflags "-X main.version=...", otherwise taken from
// the Go build information).
//
// Exit status: 0 on success, 1 when a command fails (a model that does not compile, a file that
// cannot be read, a run that cannot be done), 2 on a usage error (an unknown command or flag, a
// malformed flag value, the wrong number of arguments).
package main
