package gpu

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/enginetest"
	"github.com/neuromass/neuromass/models"
)

// planOf captures the plan the engine builds for a spec (no GL involved).
type planOf struct{ p *engine.Plan }

func (c *planOf) Name() string { return "plan capture" }
func (c *planOf) NewSim(p *engine.Plan) (engine.Sim, error) {
	c.p = p
	return nil, errors.New("captured")
}

func capturePlan(t *testing.T, model string, N, E int) *engine.Plan {
	return capturePlanBold(t, model, N, E, false)
}

// capturePlanBold is capturePlan, with BOLD when withBold is set.
func capturePlanBold(t *testing.T, model string, N, E int, withBold bool) *engine.Plan {
	t.Helper()
	m, err := enginetest.Model(model)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := enginetest.Spec(m, N, E, 1, 0.1, engine.F32)
	if err != nil {
		t.Fatal(err)
	}
	if withBold {
		spec.Bold = &engine.BoldSpec{TR: 0.5}
	}
	c := &planOf{}
	engine.New(spec, c)
	if c.p == nil {
		t.Fatalf("%s: the engine built no plan", model)
	}
	return c.p
}

// llvmpipeLimits are Mesa llvmpipe's limits (platform.md 1.2).
var llvmpipeLimits = Limits{MaxBlock: 128 << 20, MaxShared: 32 << 10, MaxInvocations: 1024, MaxGroupsX: 65535, MaxBlocks: 16}

// TestSourceValidates: the assembled shader of every model, with the rings in shared memory and in
// the storage buffer (and with BOLD, fed by the model's bold expression or by an output), is valid
// GLSL 4.30 for glslangValidator (no GL context needed).
func TestSourceValidates(t *testing.T) {
	tool, err := exec.LookPath("glslangValidator")
	if err != nil {
		if os.Getenv("NEUROMASS_REQUIRE_GLSLANG") == "1" {
			t.Fatal("glslangValidator is not on PATH (Debian package glslang-tools)")
		}
		t.Skip("glslangValidator is not on PATH (Debian package glslang-tools)")
	}
	dir := t.TempDir()
	for _, name := range append(models.Names(), "user") {
		for _, shared := range []int{1, -1, 2} {
			p := capturePlanBold(t, name, 3, 4, shared == 2)
			if shared == 2 {
				shared = 0 // with BOLD: the layout decides
			}
			l, err := planLayout(p, llvmpipeLimits, 0, shared)
			if err != nil {
				if shared == 1 && strings.Contains(err.Error(), "no delayed state") {
					continue
				}
				t.Fatalf("%s: %v", name, err)
			}
			frag, err := p.Model.GLSL(eqnFloat)
			if err != nil {
				t.Fatal(err)
			}
			src, err := l.source(p, frag)
			if err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(dir, name+".comp")
			if err := os.WriteFile(f, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(tool, "-S", "comp", f).CombinedOutput(); err != nil {
				t.Errorf("%s (shared %d): glslangValidator: %v\n%s%s", name, shared, err, out, sourceContext(src, string(out)))
			}
		}
	}
}

// TestLayoutSplit: the part size follows the storage block limit, in whole workgroups, and a
// simulation that alone exceeds it is an error that says so.
func TestLayoutSplit(t *testing.T) {
	p := capturePlan(t, "hopf", 3, 100)
	lim := llvmpipeLimits
	l, err := planLayout(p, lim, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	if l.parts != 1 || l.Ecap != 100 {
		t.Errorf("100 members under 128 MiB: %d parts of %d", l.parts, l.Ecap)
	}
	lim.MaxBlock = int64(l.stateLen*4) / 3 // a third of the state buffer
	l, err = planLayout(p, lim, 4, -1)
	if err != nil {
		t.Fatal(err)
	}
	if l.parts < 3 || l.Ecap%4 != 0 || int64(l.stateLen*4) > lim.MaxBlock {
		t.Errorf("a third of the block: %d parts of %d members (%d bytes of state, limit %d)", l.parts, l.Ecap, l.stateLen*4, lim.MaxBlock)
	}
	lim.MaxBlock = 64
	if _, err := planLayout(p, lim, 0, -1); err == nil || !strings.Contains(err.Error(), "more than one storage block holds") {
		t.Errorf("one simulation above the block size: %v", err)
	}
	lim = llvmpipeLimits
	lim.MaxShared = 16
	if _, err := planLayout(p, lim, 0, 1); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Errorf("shared memory forced but too small: %v", err)
	}
	lim = llvmpipeLimits
	lim.MaxBlocks = 4
	if _, err := planLayout(p, lim, 0, 0); err == nil || !strings.Contains(err.Error(), "storage blocks") {
		t.Errorf("too few storage blocks: %v", err)
	}
}

// TestErrorLines: the line numbers of Mesa's, NVIDIA's and glslang's logs are found.
func TestErrorLines(t *testing.T) {
	log := "0:12(5): error: `x' undeclared\n0(40) : error C1008: undefined variable \"y\"\nERROR: 0:7: 'z' : undeclared identifier\nno line here\n"
	got := errorLines(log)
	want := []int{12, 40, 7}
	if len(got) != len(want) {
		t.Fatalf("errorLines = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("errorLines = %v, want %v", got, want)
		}
	}
}
