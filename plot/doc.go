// Package plot draws neuromass results as PNG or SVG pictures with gonum.org/v1/plot: time
// series (a few nodes and the mean over nodes), BOLD, power spectra, simulated against empirical
// functional connectivity, and, for the drivers, two-parameter maps of any result column,
// evolution progress and parameter distributions, and optimal-control input and state against
// the target.
//
// Every function takes plain data (slices, not engine types; ResultSeries turns an output of an
// engine.Result into a Series) and a path whose extension, .png or .svg, chooses the format. Options' zero value gives a sensible size; Width and Height are
// pixels of the PNG (at 96 dpi), and the SVG gets the same physical size (in points, 3/4 of the
// pixel count). A picture is written to a temporary file in the destination's directory and
// renamed into place when complete, so an error never leaves a partial picture under the final
// name and never destroys an existing one. Bad data (empty, ragged, mismatched lengths, an
// unknown extension) is an error naming what is wrong, never a panic.
package plot
