package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/neuromass/neuromass"
	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/stimulus"
)

// checkBoldFlags checks --tr and the form of --input before anything is loaded.
func checkBoldFlags(o *runOptions) error {
	if o.tr != 0 && !o.bold {
		return usagef("--tr %v: the BOLD sampling interval needs --bold", o.tr)
	}
	if math.IsNaN(o.tr) || math.IsInf(o.tr, 0) || o.tr < 0 {
		return fmt.Errorf("--tr %v: expected a positive number of ms", o.tr)
	}
	for _, in := range o.inputs {
		name, st, ok := strings.Cut(in, ":")
		if !ok || name == "" || st == "" {
			return usagef("--input %q: expected NAME:KIND[:KEY=VALUE,...], e.g. mue_ext:sine:amplitude=0.5,frequency=10", in)
		}
		if _, err := stimulus.Parse(st); err != nil {
			return fmt.Errorf("--input %s: %w", name, err)
		}
	}
	return nil
}

// applyBoldAndInputs sets --bold/--tr and the --input stimuli on the model.
func applyBoldAndInputs(o *runOptions, m *neuromass.Model) error {
	if o.bold {
		m.Spec.Bold = &engine.BoldSpec{TR: o.tr}
	}
	byName := map[string]stimulus.Sum{}
	var order []string
	for _, in := range o.inputs {
		name, text, _ := strings.Cut(in, ":")
		st, err := stimulus.Parse(text)
		if err != nil {
			return fmt.Errorf("--input %s: %w", name, err)
		}
		if _, seen := byName[name]; !seen {
			order = append(order, name)
		}
		byName[name] = append(byName[name], st)
	}
	for _, name := range order {
		if err := m.Stimulus(name, byName[name]); err != nil {
			return fmt.Errorf("--input %s: %w", name, err)
		}
	}
	return nil
}
