package shaders

import _ "embed"

// Philox is the default-mode noise: t_philox (Philox4x32-10) and t_normal32 (engine/rng.Normal32).
//
//go:embed philox.glsl
var Philox string

// Integrate is the integration-loop template. It contains the line ModelMarker, which package gpu
// replaces with the model's GLSL fragment.
//
//go:embed integrate.comp
var Integrate string

// ModelMarker is the line of Integrate that the model fragment replaces.
const ModelMarker = "//@NM_MODEL_FRAGMENT@"
