package gpu

import "github.com/neuromass/neuromass/engine/eqn"

var eqnFloat = eqn.GLSLOptions{}
