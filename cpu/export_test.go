package cpu

import (
	"os"
	"strconv"

	"github.com/neuromass/neuromass/engine"
)

// CouplingKinds reports how each coupling of a prepared Sim is computed, for tests.
func CouplingKinds(s engine.Sim) []string {
	var kinds []couplingKind
	switch s := s.(type) {
	case *sim[float64]:
		for _, cp := range s.couplings {
			kinds = append(kinds, cp.kind)
		}
	case *sim[float32]:
		for _, cp := range s.couplings {
			kinds = append(kinds, cp.kind)
		}
	}
	var out []string
	for _, k := range kinds {
		out = append(out, [...]string{"generic", "weighted", "diffusive"}[k])
	}
	return out
}

// ForceGeneric makes Sims built while it is set evaluate every coupling summand per pair.
func ForceGeneric(on bool) { forceGeneric = on }

// SetBlockSize makes Sims built while it is set split ensembles into blocks of n members (0: the
// backend's choice).
func SetBlockSize(n int) { blockOverride = n }

func init() {
	if v := os.Getenv("NEUROMASS_TEST_BLOCK"); v != "" {
		n, _ := strconv.Atoi(v)
		blockOverride = n
	}
}

// SetSplit turns the two-goroutine coupling sums on or off; it returns the previous setting.
func SetSplit(on bool) bool {
	was := !noSplit
	noSplit = !on
	return was
}

// SetChunkNodes makes ensembles run their steps n nodes at a time (0: the backend's choice); it
// returns the previous setting.
func SetChunkNodes(n int) int {
	was := chunkOverride
	chunkOverride = n
	return was
}

// RingColumns reports the columns kept by each state's delay ring of a prepared Sim (0: no ring),
// for tests.
func RingColumns(s engine.Sim) []int {
	var out []int
	switch s := s.(type) {
	case *sim[float64]:
		for _, r := range s.rings {
			out = append(out, ringColumns(r))
		}
	case *sim[float32]:
		for _, r := range s.rings {
			out = append(out, ringColumns(r))
		}
	}
	return out
}

func ringColumns[F float](r *ring[F]) int {
	if r == nil {
		return 0
	}
	return r.h
}
