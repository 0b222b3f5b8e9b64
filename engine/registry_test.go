package engine

import (
	"errors"
	"strings"
	"testing"
)

type regBackend struct{ name string }

func (f regBackend) Name() string              { return f.name }
func (f regBackend) NewSim(*Plan) (Sim, error) { return nil, errors.New("fake") }

// withRegistry runs f with only the given backends registered.
func withRegistry(t *testing.T, f func()) {
	registry.Lock()
	saved := registry.list
	registry.list = nil
	registry.Unlock()
	defer func() {
		registry.Lock()
		registry.list = saved
		registry.Unlock()
	}()
	f()
}

func TestOpenBackend(t *testing.T) {
	withRegistry(t, func() {
		if _, _, err := OpenBackend("auto"); err == nil || !strings.Contains(err.Error(), "no backend is registered") {
			t.Errorf("empty registry: err = %v", err)
		}
		RegisterBackend("cpu", 0, func(bool) (Backend, error) { return regBackend{"cpu"}, nil })
		RegisterBackend("gpu", 10, func(bool) (Backend, error) { return nil, errors.New("no GL context") })
		if got := strings.Join(BackendNames(), ","); got != "gpu,cpu" {
			t.Errorf("BackendNames = %s, want gpu,cpu (priority order)", got)
		}
		t.Setenv(BackendEnv, "")
		b, refused, err := OpenBackend("auto")
		if err != nil || b.Name() != "cpu" {
			t.Fatalf("auto: %v, %v", b, err)
		}
		if len(refused) != 1 || refused[0].Backend != "gpu" || !strings.Contains(refused[0].String(), "no GL context") {
			t.Errorf("auto: refused = %v, want the gpu and its reason", refused)
		}
		if _, refused, err := OpenBackend("gpu"); err == nil || !strings.Contains(err.Error(), "no GL context") || len(refused) != 1 {
			t.Errorf("gpu: err = %v, refused = %v", err, refused)
		}
		if b, _, err := OpenBackend("CPU"); err != nil || b.Name() != "cpu" {
			t.Errorf("CPU: %v, %v", b, err)
		}
		if _, _, err := OpenBackend("tpu"); err == nil || !strings.Contains(err.Error(), `unknown backend "tpu"`) || !strings.Contains(err.Error(), "gpu, cpu") {
			t.Errorf("tpu: err = %v", err)
		}
		// the environment chooses for auto, not over an explicit name
		t.Setenv(BackendEnv, "gpu")
		if _, _, err := OpenBackend(""); err == nil || !strings.Contains(err.Error(), BackendEnv+"=gpu") {
			t.Errorf("env gpu: err = %v, want it to name %s", err, BackendEnv)
		}
		if b, _, err := OpenBackend("cpu"); err != nil || b.Name() != "cpu" {
			t.Errorf("env gpu, explicit cpu: %v, %v", b, err)
		}
		t.Setenv(BackendEnv, "nope")
		if _, _, err := OpenBackend("auto"); err == nil || !strings.Contains(err.Error(), `unknown backend "nope"`) {
			t.Errorf("env nope: err = %v", err)
		}
		// nothing opens: every reason is in the error
		RegisterBackend("cpu", 0, func(bool) (Backend, error) { return nil, errors.New("cpu broken") })
		t.Setenv(BackendEnv, "")
		if _, refused, err := OpenBackend("auto"); err == nil || len(refused) != 2 || !strings.Contains(err.Error(), "no GL context") || !strings.Contains(err.Error(), "cpu broken") {
			t.Errorf("none: err = %v, refused = %v", err, refused)
		}
	})
}
