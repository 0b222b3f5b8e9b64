// Package shaders holds the GLSL sources of the GPU backend, embedded into the binary: the
// integration-loop template (integrate.comp) into which package gpu splices a model's GLSL fragment
// (engine/eqn's Model.GLSL), and the default-mode noise (philox.glsl: Philox4x32-10 and the float32
// Box-Muller transform of engine/rng, operation for operation).
//
// The files are plain GLSL 4.30 without a #version line; package gpu prepends "#version 430" and
// the #defines that fix one ensemble's sizes (nodes, members per workgroup, ring slots, offsets),
// then the files in the order Template lists. Nothing here calls OpenGL: the sources are also
// checked with glslangValidator by the gpu package's tests, without a GL context.
package shaders
