// Command gen writes the code the compiler emits for every built-in model into models/generated/,
// so that a change to a model or to an emitter shows up as a reviewable diff, and CI (make check)
// fails when the checked-in output is stale. Run it with go generate ./models.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

func main() {
	if err := run("generated"); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	want := map[string]bool{}
	for _, name := range models.Names() {
		m, err := models.Compile(name, eqn.Options{})
		if err != nil {
			return err
		}
		src, err := m.GLSL(eqn.GLSLOptions{})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := write(dir, name+".glsl", src, want); err != nil {
			return err
		}
		p, err := m.Program()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := write(dir, name+".program", p.String(), want); err != nil {
			return err
		}
	}
	// Remove outputs of models that no longer exist.
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !want[e.Name()] {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// write replaces a file only when its content changes, so generating twice touches nothing.
func write(dir, name, content string, want map[string]bool) error {
	want[name] = true
	path := filepath.Join(dir, name)
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, []byte(content)) {
		return nil
	}
	return os.WriteFile(path, []byte(content), 0o644)
}
