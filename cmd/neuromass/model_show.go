package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/models"
)

func newModelShowCmd(_ *globalOptions) *cobra.Command {
	var (
		switches switchFlag
		source   bool
	)
	cmd := &cobra.Command{
		Use:   "show NAME|FILE",
		Short: "Show a model's parameters, states, inputs and outputs",
		Long: `Show compiles a built-in model or a model file and prints its name and description,
then its declarations as tables:

  switches     name, the option compiled, the options, the default, description
  parameters   name, default, unit, allowed range, whether it may differ per node, description
  states       name, unit, kind (ODE or algebraic), description
  inputs       name, default, unit, description
  noises       name, description
  tables       name, axes (row, column), unit, description
  outputs      name, unit, default (the one recorded when none is asked for), description
  couplings    name, the states read from the other nodes (x[j]), definition

--switch name=option compiles the model with another switch option (repeatable).
--source prints the model's text instead, as written (without compiling it).

A model that does not compile prints its errors as FILE:LINE:COL: message (exit status 1).`,
		Example: `  neuromass model show hopf
  neuromass model show fhn --switch coupling=additive
  neuromass model show --source wc
  neuromass model show ./my-model.nm`,
		Args: exactArgs(1, "one model name or file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if source {
				text, err := modelSource(args[0])
				if err != nil {
					return err
				}
				if text != "" && !strings.HasSuffix(text, "\n") {
					text += "\n"
				}
				_, err = io.WriteString(cmd.OutOrStdout(), text)
				return err
			}
			m, err := loadModel(args[0], switches.options())
			if err != nil {
				return err
			}
			where := "file " + args[0]
			if models.IsBuiltin(args[0]) {
				where = "built-in (" + m.File + ")"
			}
			return showModel(cmd.OutOrStdout(), m, where)
		},
	}
	addSwitchFlag(cmd, &switches)
	cmd.Flags().BoolVar(&source, "source", false, "print the model's text instead")
	return cmd
}

// fmtNum writes a number the shortest way that reads back exactly.
func fmtNum(v float64) string {
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// showModel writes the description of m; where says where it came from.
func showModel(w io.Writer, m *eqn.Model, where string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "model %s", m.Name)
	if m.Doc != "" {
		fmt.Fprintf(&b, ": %s", m.Doc)
	}
	fmt.Fprintf(&b, "\nsource: %s\n", where)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}

	section := func(title string, n int, header []string, rows [][]string) error {
		if n == 0 {
			_, err := fmt.Fprintf(w, "\n%s: none\n", title)
			return err
		}
		if _, err := fmt.Fprintf(w, "\n%s (%d):\n", title, n); err != nil {
			return err
		}
		return writeTable(w, "  ", header, rows)
	}

	var rows [][]string
	for _, s := range m.Switches {
		rows = append(rows, []string{s.Name, s.Value, strings.Join(s.Options, " | "), s.Default, s.Doc})
	}
	if err := section("switches", len(m.Switches), []string{"NAME", "VALUE", "OPTIONS", "DEFAULT", "DESCRIPTION"}, rows); err != nil {
		return err
	}

	rows = nil
	for i := range m.Params {
		p := &m.Params[i]
		perNode := "-"
		if p.PerNode {
			perNode = "yes"
		}
		rows = append(rows, []string{p.Name, fmtNum(p.Default), orDash(p.Unit), p.RangeString(), perNode, p.Doc})
	}
	if err := section("parameters", len(m.Params), []string{"NAME", "DEFAULT", "UNIT", "RANGE", "PER NODE", "DESCRIPTION"}, rows); err != nil {
		return err
	}

	rows = nil
	for _, s := range m.States {
		kind := "ODE"
		if s.Kind == eqn.Algebraic {
			kind = "algebraic"
		}
		rows = append(rows, []string{s.Name, orDash(s.Unit), kind, s.Doc})
	}
	if err := section("states", len(m.States), []string{"NAME", "UNIT", "KIND", "DESCRIPTION"}, rows); err != nil {
		return err
	}

	rows = nil
	for _, in := range m.Inputs {
		rows = append(rows, []string{in.Name, fmtNum(in.Default), orDash(in.Unit), in.Doc})
	}
	if err := section("inputs", len(m.Inputs), []string{"NAME", "DEFAULT", "UNIT", "DESCRIPTION"}, rows); err != nil {
		return err
	}

	rows = nil
	for _, n := range m.Noises {
		rows = append(rows, []string{n.Name, n.Doc})
	}
	if err := section("noises", len(m.Noises), []string{"NAME", "DESCRIPTION"}, rows); err != nil {
		return err
	}

	rows = nil
	for _, t := range m.Tables {
		rows = append(rows, []string{t.Name, t.Row + ", " + t.Col, orDash(t.Unit), t.Doc})
	}
	if err := section("tables", len(m.Tables), []string{"NAME", "AXES", "UNIT", "DESCRIPTION"}, rows); err != nil {
		return err
	}

	rows = nil
	def := m.DefaultOutput()
	for i, o := range m.Outputs {
		mark := "-"
		if i == def {
			mark = "default"
		}
		rows = append(rows, []string{o.Name, orDash(o.Unit), mark, o.Doc})
	}
	if err := section("outputs", len(m.Outputs), []string{"NAME", "UNIT", "DEFAULT", "DESCRIPTION"}, rows); err != nil {
		return err
	}

	rows = nil
	defs := couplingSources(m)
	for _, c := range m.Couplings {
		var reads []string
		for _, s := range c.Remote {
			if s >= 0 && s < len(m.States) {
				reads = append(reads, m.States[s].Name+"[j]")
			}
		}
		rows = append(rows, []string{c.Name, orDash(strings.Join(reads, ", ")), orDash(defs[c.Name])})
	}
	return section("couplings", len(m.Couplings), []string{"NAME", "READS", "DEFINITION"}, rows)
}
