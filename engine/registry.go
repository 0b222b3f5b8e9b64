package engine

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
)

// Backends register themselves here (package cpu and package gpu in their init functions), so that
// a program picks one at run time by name without importing the others' internals: the registry
// holds, per backend, a factory and a priority for "auto".

// BackendFactory opens a backend. It returns an error saying why the backend is unavailable on
// this machine (no GL context, a build without cgo, ...). auto is set when the backend is tried
// by "auto" rather than asked for by name: it may then be pickier (the GPU backend refuses a
// software renderer, which the CPU backend outruns).
type BackendFactory func(auto bool) (Backend, error)

type registered struct {
	name     string
	priority int // auto tries higher first
	open     BackendFactory
}

var registry struct {
	sync.Mutex
	list []registered
}

// RegisterBackend makes a backend available to OpenBackend under name. auto tries backends in
// decreasing priority (the GPU before the CPU). Registering a name twice replaces the first.
func RegisterBackend(name string, priority int, open BackendFactory) {
	registry.Lock()
	defer registry.Unlock()
	name = strings.ToLower(name)
	for i := range registry.list {
		if registry.list[i].name == name {
			registry.list[i] = registered{name, priority, open}
			return
		}
	}
	registry.list = append(registry.list, registered{name, priority, open})
}

// BackendNames lists the registered backends, in the order auto tries them.
func BackendNames() []string {
	var names []string
	for _, r := range sortedBackends() {
		names = append(names, r.name)
	}
	return names
}

func sortedBackends() []registered {
	registry.Lock()
	list := append([]registered(nil), registry.list...)
	registry.Unlock()
	sort.SliceStable(list, func(i, j int) bool { return list[i].priority > list[j].priority })
	return list
}

// Refusal is a backend that was not used, and why.
type Refusal struct {
	Backend string
	Err     error
}

func (r Refusal) String() string {
	if msg := r.Err.Error(); strings.HasPrefix(msg, r.Backend+":") {
		return msg
	}
	return r.Backend + ": " + r.Err.Error()
}

// BackendEnv is the environment variable that chooses the backend when the caller asks for auto.
const BackendEnv = "NEUROMASS_BACKEND"

// OpenBackend opens a backend by name: "cpu", "gpu" (any registered name), or "auto" (or "") for
// the environment variable NEUROMASS_BACKEND when set, else the registered backends in order of
// priority, the first that opens. It returns every backend tried and refused before the one
// returned, with its reason; when none opens, the error names each reason.
func OpenBackend(name string) (Backend, []Refusal, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	source := "requested"
	if name == "" || name == "auto" {
		if env := strings.ToLower(strings.TrimSpace(os.Getenv(BackendEnv))); env != "" && env != "auto" {
			name, source = env, BackendEnv+"="+env
		} else {
			name = "auto"
		}
	}
	list := sortedBackends()
	if len(list) == 0 {
		return nil, nil, errors.New("no backend is registered (import package cpu or gpu)")
	}
	if name != "auto" {
		for _, r := range list {
			if r.name == name {
				b, err := r.open(false)
				if err != nil {
					ref := Refusal{r.name, err}
					return nil, []Refusal{ref}, fmt.Errorf("backend %s (%s) is unavailable: %w", name, source, err)
				}
				return b, nil, nil
			}
		}
		return nil, nil, fmt.Errorf("unknown backend %q (%s; expected auto or one of %s)", name, source, strings.Join(BackendNames(), ", "))
	}
	var refused []Refusal
	for _, r := range list {
		b, err := r.open(true)
		if err == nil {
			return b, refused, nil
		}
		refused = append(refused, Refusal{r.name, err})
	}
	var why []string
	for _, r := range refused {
		why = append(why, r.String())
	}
	return nil, refused, fmt.Errorf("no backend is available: %s", strings.Join(why, "; "))
}
