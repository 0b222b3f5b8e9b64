package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/neuromass/neuromass/engine/eqn"
)

// paramFlag is the repeatable --param NAME=VALUE flag. Set checks only the syntax (a usage
// error); resolve sorts the names into switches and parameters once the model is known.
type paramFlag struct {
	names []string
	raw   map[string]string
}

func (p *paramFlag) String() string {
	parts := make([]string, len(p.names))
	for i, n := range p.names {
		parts[i] = n + "=" + p.raw[n]
	}
	return strings.Join(parts, " ")
}

func (p *paramFlag) Set(v string) error {
	name, val, ok := strings.Cut(v, "=")
	name, val = strings.TrimSpace(name), strings.TrimSpace(val)
	if !ok || name == "" || val == "" {
		return fmt.Errorf("%q is not NAME=VALUE", v)
	}
	if old, dup := p.raw[name]; dup {
		return fmt.Errorf("%s given twice (%s and %s)", name, old, val)
	}
	if p.raw == nil {
		p.raw = map[string]string{}
	}
	p.names = append(p.names, name)
	p.raw[name] = val
	return nil
}

func (p *paramFlag) Type() string { return "NAME=VALUE" }

// paramValues is one --param that sets a parameter.
type paramValues struct {
	name   string
	values []float64
}

// resolve splits the --param values into switch options and parameter values for model m
// (compiled with its default switches). A name that is neither is an error listing both; a
// parameter value that is not a list of numbers is a usage error.
func (p *paramFlag) resolve(m *eqn.Model) (map[string]string, []paramValues, error) {
	var switches map[string]string
	var values []paramValues
	for _, name := range p.names {
		val := p.raw[name]
		if k := slices.IndexFunc(m.Switches, func(s eqn.Switch) bool { return s.Name == name }); k >= 0 {
			sw := m.Switches[k]
			if !slices.Contains(sw.Options, val) {
				return nil, nil, fmt.Errorf("--param %s=%s: switch %s of model %s has the options %s", name, val, name, m.Name,
					strings.Join(sw.Options, ", "))
			}
			if switches == nil {
				switches = map[string]string{}
			}
			switches[name] = val
			continue
		}
		if m.Param(name) < 0 {
			return nil, nil, fmt.Errorf("--param %s=%s: model %s has no parameter or switch %q%s", name, val, m.Name, name, modelNames(m, name))
		}
		var vs []float64
		for _, f := range strings.Split(val, ",") {
			x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil {
				return nil, nil, usagef("--param %s=%s: %q is not a number (a parameter takes a number, or numbers separated by commas)", name, val, strings.TrimSpace(f))
			}
			vs = append(vs, x)
		}
		values = append(values, paramValues{name, vs})
	}
	return switches, values, nil
}

// modelNames lists a model's parameters and switches for an error about name, or suggests the
// one that differs only in case.
func modelNames(m *eqn.Model, name string) string {
	var params, switches []string
	for _, p := range m.Params {
		params = append(params, p.Name)
	}
	for _, s := range m.Switches {
		switches = append(switches, s.Name)
	}
	for _, n := range append(slices.Clone(params), switches...) {
		if strings.EqualFold(n, name) {
			return fmt.Sprintf(" (did you mean %s?)", n)
		}
	}
	s := "; its parameters: " + listOrNone(params) + "; its switches: " + listOrNone(switches)
	return s
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
