package eqn

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Options chooses what Compile specialises.
type Options struct {
	// Switches picks an option per switch by name; unset switches take their default.
	Switches map[string]string
}

// Compile parses and compiles a model text. All problems found are returned as an ErrorList,
// each naming the line and column.
func Compile(file, src string, opt Options) (*Model, error) {
	f, err := Parse(file, src)
	if err != nil {
		return nil, err
	}
	return CompileFile(f, src, opt)
}

// builtin function arities (min, max). uniform, delayed and sum_j are handled separately.
var builtinFuncs = map[string]struct {
	op    Op
	arity int
}{
	"exp": {OpExp, 1}, "log": {OpLog, 1}, "sqrt": {OpSqrt, 1}, "sin": {OpSin, 1}, "cos": {OpCos, 1},
	"tan": {OpTan, 1}, "tanh": {OpTanh, 1}, "abs": {OpAbs, 1}, "floor": {OpFloor, 1},
	"pow": {OpPow, 2}, "min": {OpMin, 2}, "max": {OpMax, 2}, "mod": {OpMod, 2},
	"clamp": {OpClamp, 3}, "select": {OpSelect, 3},
}

var reservedNames = map[string]bool{
	"dt": true, "N": true, "pi": true, "inf": true, "C_ij": true, "j": true, "and": true, "or": true,
	"not": true, "in": true, "per": true, "default": true, "sum_j": true, "delayed": true, "uniform": true,
}

// context says what an expression may refer to.
type context int

const (
	cConst   context = iota // numbers and constants only (param defaults, ranges)
	cParam                  // + parameters (delays, self_delay)
	cInit                   // + uniform draws
	cStep                   // the step: old states, lets, inputs, couplings, delayed, tables
	cSummand                // coupling summand: C, x[j], this node's states, params
	cAfter                  // the after map: its own new value, params
	cOutput                 // outputs: new states, params, tables
	cBold                   // bold: new states, outputs, params
)

var contextWhat = map[context]string{
	cConst: "a parameter default or range (numbers and constants only)", cParam: "an expression of parameters and constants",
	cInit: "an initial value", cStep: "a right-hand side", cSummand: "a coupling summand",
	cAfter: "an after map", cOutput: "an output", cBold: "the BOLD input",
}

type symKind int

const (
	symParam symKind = iota
	symSwitch
	symInput
	symNoise
	symState
	symTable
	symFn
	symLet
	symCoupling
)

var symWhat = map[symKind]string{
	symParam: "a parameter", symSwitch: "a switch", symInput: "an input", symNoise: "a noise source",
	symState: "a state", symTable: "a table", symFn: "a function", symLet: "a let", symCoupling: "a coupling",
}

type symbol struct {
	kind  symKind
	index int
	decl  *Decl
}

type compiler struct {
	m        *Model
	g        *Graph
	file     string
	errs     ErrorList
	syms     map[string]*symbol
	lets     map[string]ID
	active   map[string]bool // lets and fns being compiled (cycle detection)
	stack    []string
	outs     map[string]ID      // outputs compiled so far (bold may use them)
	letOrder []string           // lets in the order they finished compiling
	inFn     bool               // compiling a fn body: arguments, parameters and constants only
	fnMemo   map[fnKey]fnResult // fn expansions done so far (fix: see compiler.call)

	// per-expression context
	ctx      context
	self     int           // cAfter: the state
	args     map[string]ID // fn arguments in scope
	remote   map[int]bool  // cSummand: states read as x[j]
	remoteOr []int         // in order
}

func (c *compiler) errorf(p Pos, format string, args ...any) {
	c.errs = append(c.errs, &Error{File: c.file, Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// CompileFile compiles a parsed model. src is kept in the model for display.
func CompileFile(f *File, src string, opt Options) (*Model, error) {
	c := &compiler{
		m:      &Model{File: f.Name, Source: src, Bold: NoID, SelfDelay: NoID},
		file:   f.Name,
		syms:   map[string]*symbol{},
		lets:   map[string]ID{},
		active: map[string]bool{},
		outs:   map[string]ID{},
		self:   -1,
	}
	c.g = NewGraph()
	c.m.G = c.g
	c.declare(f)
	if len(c.errs) == 0 {
		c.specialise(opt)
	}
	if len(c.errs) == 0 {
		c.build(f)
	}
	if len(c.errs) > 0 {
		sort.SliceStable(c.errs, func(i, j int) bool {
			a, b := c.errs[i].Pos, c.errs[j].Pos
			return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
		})
		return nil, c.errs
	}
	return c.m, nil
}

// declare collects names, parameters, states and the other declarations.
func (c *compiler) declare(f *File) {
	if len(f.Decls) == 0 {
		// Fix (FuzzCompile): positioned at 1:1 like every other source error (it had no position).
		c.errorf(Pos{1, 1}, "found an empty model, expected \"model NAME\" first")
		return
	}
	if f.Decls[0].Kind != "model" {
		c.errorf(f.Decls[0].P, "found %q, expected \"model NAME\" as the first declaration", f.Decls[0].Kind)
	}
	add := func(d *Decl, name string, p Pos, kind symKind, index int) {
		if reservedNames[name] {
			c.errorf(p, "found %q, expected a name that is not built in (%q is reserved)", name, name)
			return
		}
		if _, ok := builtinFuncs[name]; ok {
			c.errorf(p, "found %q, expected a name that is not a built-in function", name)
			return
		}
		if old, ok := c.syms[name]; ok {
			c.errorf(p, "%q is already declared as %s at line %d", name, symWhat[old.kind], old.decl.NameP.Line)
			return
		}
		c.syms[name] = &symbol{kind: kind, index: index, decl: d}
	}
	m := c.m
	// Fix (TestCompileErrors): parameter and input defaults and ranges are evaluated after every
	// name is declared, so that a name declared further down is reported as what it is (a state,
	// say) rather than as not defined.
	var constants []func()
	for i, d := range f.Decls {
		switch d.Kind {
		case "model":
			if i > 0 {
				c.errorf(d.P, "found a second \"model\" line, expected one per file")
				continue
			}
			m.Name, m.Doc = d.Name, d.Doc
		case "param":
			add(d, d.Name, d.NameP, symParam, len(m.Params))
			m.Params = append(m.Params, Param{Name: d.Name, Unit: d.Unit, Doc: d.Doc, PerNode: d.PerNode, Lo: math.Inf(-1), Hi: math.Inf(1), LoOpen: true, HiOpen: true, Pos: d.NameP})
			k := len(m.Params) - 1
			constants = append(constants, func() {
				p := &m.Params[k]
				nerr := len(c.errs)
				p.Default = c.constant(d.Expr)
				if d.Range != nil {
					p.Lo, p.Hi = c.constant(d.Range.Lo), c.constant(d.Range.Hi)
					p.LoOpen, p.HiOpen = d.Range.LoOpen, d.Range.HiOpen
					if p.Lo > p.Hi {
						c.errorf(d.Range.Lo.Pos(), "found the range %s, expected a lower bound not above the upper one", p.RangeString())
					}
				}
				// Fix (TestCompileReportsEveryError): skip the range check only after an error in
				// this declaration (it was skipped after any earlier error in the file); write inf
				// as "inf", as the language does.
				if err := p.Check(p.Default); err != nil && len(c.errs) == nerr {
					c.errorf(d.Expr.Pos(), "found the default %s, expected a value within %s", fmtBound(p.Default), p.RangeString())
				}
			})
		case "switch":
			s := Switch{Name: d.Name, Doc: d.Doc, Options: d.Options}
			if id, ok := d.Expr.(*Ident); ok {
				s.Default = id.Name
			}
			seen := map[string]bool{}
			for k, o := range d.Options {
				if seen[o] {
					c.errorf(d.OptP[k], "option %q is listed twice", o)
				}
				seen[o] = true
			}
			if !seen[s.Default] && d.Expr != nil {
				c.errorf(d.Expr.Pos(), "found the default %q, expected one of the options {%s}", s.Default, strings.Join(d.Options, ", "))
			}
			s.Value = s.Default
			add(d, d.Name, d.NameP, symSwitch, len(m.Switches))
			m.Switches = append(m.Switches, s)
		case "input":
			add(d, d.Name, d.NameP, symInput, len(m.Inputs))
			m.Inputs = append(m.Inputs, Input{Name: d.Name, Unit: d.Unit, Doc: d.Doc})
			k := len(m.Inputs) - 1
			constants = append(constants, func() { m.Inputs[k].Default = c.constant(d.Expr) })
		case "noise":
			for k, n := range d.Names {
				add(d, n, d.NamesP[k], symNoise, len(m.Noises))
				m.Noises = append(m.Noises, Noise{Name: n, Doc: d.Doc})
			}
		case "state":
			add(d, d.Name, d.NameP, symState, len(m.States))
			m.States = append(m.States, State{Name: d.Name, Unit: d.Unit, Doc: d.Doc, Drift: NoID, Next: NoID, After: NoID, Init: NoID, Pos: d.NameP})
		case "table":
			if len(d.Names) != 2 {
				c.errorf(d.NameP, "table %q has %d axes, expected 2 (row axis, column axis)", d.Name, len(d.Names))
			}
			t := Table{Name: d.Name, Unit: d.Unit, Doc: d.Doc}
			if len(d.Names) == 2 {
				t.Row, t.Col = d.Names[0], d.Names[1]
			}
			t.Grid = len(m.Tables)
			for _, o := range m.Tables {
				if o.Row == t.Row && o.Col == t.Col {
					t.Grid = o.Grid
					break
				}
			}
			add(d, d.Name, d.NameP, symTable, len(m.Tables))
			m.Tables = append(m.Tables, t)
		case "fn":
			seen := map[string]bool{}
			for k, a := range d.Names {
				if seen[a] {
					c.errorf(d.NamesP[k], "argument %q of %s is listed twice", a, d.Name)
				}
				seen[a] = true
			}
			add(d, d.Name, d.NameP, symFn, 0)
		case "let":
			add(d, d.Name, d.NameP, symLet, 0)
		case "coupling":
			add(d, d.Name, d.NameP, symCoupling, len(m.Couplings))
			m.Couplings = append(m.Couplings, Coupling{Name: d.Name, Sum: NoID})
		}
	}
	for _, f := range constants {
		f()
	}
	if m.Name == "" && len(c.errs) == 0 {
		c.errorf(f.Decls[0].P, "found no model name, expected \"model NAME\"")
	}
}

// specialise applies the switch choices of opt.
func (c *compiler) specialise(opt Options) {
	names := make([]string, 0, len(opt.Switches))
	for n := range opt.Switches {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := opt.Switches[n]
		s, ok := c.syms[n]
		if !ok || s.kind != symSwitch {
			var have []string
			for _, sw := range c.m.Switches {
				have = append(have, sw.Name)
			}
			c.errs = append(c.errs, &Error{File: c.file, Msg: fmt.Sprintf("model %s has no switch %q (switches: %s)", c.m.Name, n, listOrNone(have))})
			continue
		}
		sw := &c.m.Switches[s.index]
		found := false
		for _, o := range sw.Options {
			found = found || o == v
		}
		if !found {
			c.errs = append(c.errs, &Error{File: c.file, Msg: fmt.Sprintf("switch %s: found %q, expected one of {%s}", n, v, strings.Join(sw.Options, ", "))})
			continue
		}
		sw.Value = v
	}
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// build compiles every expression.
func (c *compiler) build(f *File) {
	m := c.m
	updates := map[int]*Decl{}
	inits := map[int]*Decl{}
	afters := map[int]*Decl{}
	stateOf := func(d *Decl, what string) int {
		s, ok := c.syms[d.Name]
		if !ok {
			c.errorf(d.NameP, "%q is not declared, expected a state (declare it with \"state %s\")", d.Name, d.Name)
			return -1
		}
		if s.kind != symState {
			c.errorf(d.NameP, "found %s %q, expected a state for %s", symWhat[s.kind], d.Name, what)
			return -1
		}
		return s.index
	}
	for _, d := range f.Decls {
		switch d.Kind {
		case "ode", "assign":
			if k := stateOf(d, "an update"); k >= 0 {
				if old, ok := updates[k]; ok {
					c.errorf(d.NameP, "state %q already has an update at line %d, expected one", d.Name, old.P.Line)
				} else {
					updates[k] = d
				}
			}
		case "after":
			if k := stateOf(d, "an after map"); k >= 0 {
				if old, ok := afters[k]; ok {
					c.errorf(d.NameP, "state %q already has an after map at line %d, expected one", d.Name, old.P.Line)
				} else {
					afters[k] = d
				}
			}
		case "init", "state":
			if d.Kind == "state" && d.Expr == nil {
				continue
			}
			// Fix (FuzzCompile crasher): look an init's name up with stateOf only; c.syms has no
			// entry for an undeclared name ("init y = 0" without "state y" panicked).
			var k int
			if d.Kind == "init" {
				k = stateOf(d, "an initial value")
			} else {
				k = c.syms[d.Name].index
			}
			if k < 0 {
				continue
			}
			if old, ok := inits[k]; ok {
				c.errorf(d.NameP, "state %q already has an initial value at line %d, expected one", d.Name, old.P.Line)
				continue
			}
			inits[k] = d
			c.ctx = cInit
			id := c.expr(d.Expr)
			m.States[k].Init = id
			m.Init = append(m.Init, InitStep{State: k, Expr: id})
		}
	}
	// Lets, in declaration order (each compiled once; lets used by others compile on demand).
	for _, d := range f.Decls {
		if d.Kind == "let" {
			c.ctx = cStep
			c.let(d.Name, d.NameP)
		}
	}
	for _, d := range f.Decls {
		switch d.Kind {
		case "coupling":
			k := c.syms[d.Name].index
			c.ctx = cSummand
			c.remote, c.remoteOr = map[int]bool{}, nil
			call := d.Expr.(*Call)
			if len(call.Args) != 1 {
				c.errorf(call.P, "found %d arguments to sum_j, expected 1 (the summand)", len(call.Args))
				continue
			}
			m.Couplings[k].Sum = c.expr(call.Args[0])
			m.Couplings[k].Remote = c.remoteOr
			for _, s := range c.remoteOr {
				m.States[s].History = true
			}
		case "option":
			switch d.Name {
			case "self_delay":
				if m.SelfDelay != NoID {
					c.errorf(d.NameP, "found a second \"option self_delay\", expected one")
					continue
				}
				c.ctx = cParam
				m.SelfDelay = c.expr(d.Expr)
			case "compat_delays":
				id, ok := d.Expr.(*Ident)
				if !ok || id.Name != "integer_ms_as_steps" && id.Name != "none" {
					c.errorf(d.Expr.Pos(), "found an unknown value, expected integer_ms_as_steps or none")
					continue
				}
				if id.Name != "none" {
					m.CompatDelays = id.Name
				}
			default:
				c.errorf(d.NameP, "found the option %q, expected self_delay or compat_delays", d.Name)
			}
		}
	}
	for k := range m.States {
		s := &m.States[k]
		d, ok := updates[k]
		if !ok {
			c.errorf(s.Pos, "state %q has no update, expected \"d %s/dt = ...\" or \"%s := ...\"", s.Name, s.Name, s.Name)
			continue
		}
		if _, ok := inits[k]; !ok {
			c.errorf(s.Pos, "state %q has no initial value, expected \"init %s = ...\" or \"state %s = ...\"", s.Name, s.Name, s.Name)
		}
		c.ctx = cStep
		if d.Kind == "assign" {
			s.Kind = Algebraic
			s.Drift = c.expr(d.Expr)
			s.Next = s.Drift
			continue
		}
		s.Kind = ODE
		c.ode(s, d)
	}
	// Fix (FuzzCompile): compile the after maps in state order, not in map order, so that the graph
	// (node numbering) and the error order are the same on every compilation.
	for k := range m.States {
		d, ok := afters[k]
		if !ok {
			continue
		}
		c.ctx, c.self = cAfter, k
		m.States[k].After = c.expr(d.Expr)
		c.self = -1
	}
	for _, d := range f.Decls {
		if d.Kind != "output" {
			continue
		}
		o := Output{Name: d.Name, Unit: d.Unit, Doc: d.Doc, Default: d.Default}
		for _, prev := range m.Outputs {
			if prev.Name == d.Name {
				c.errorf(d.NameP, "output %q is declared twice", d.Name)
			}
			if prev.Default && d.Default {
				c.errorf(d.P, "output %q is marked default, but %q already is, expected one default output", d.Name, prev.Name)
			}
		}
		c.ctx = cOutput
		if d.Expr == nil {
			s, ok := c.syms[d.Name]
			if !ok || s.kind != symState {
				c.errorf(d.NameP, "output %q has no expression and is not a state, expected \"output %s = EXPR\"", d.Name, d.Name)
				continue
			}
			o.Expr = c.g.Leaf(OpNew, s.index)
			if o.Unit == "" {
				o.Unit = m.States[s.index].Unit
			}
			if o.Doc == "" {
				o.Doc = m.States[s.index].Doc
			}
		} else {
			if s, ok := c.syms[d.Name]; ok && s.kind != symState {
				c.errorf(d.NameP, "output %q has the name of %s, expected a new name or a state's", d.Name, symWhat[s.kind])
			}
			o.Expr = c.expr(d.Expr)
		}
		c.outs[d.Name] = o.Expr
		m.Outputs = append(m.Outputs, o)
	}
	if len(m.Outputs) == 0 && len(c.errs) == 0 {
		c.errorf(f.Decls[0].P, "model %s has no output, expected at least one \"output NAME\"", m.Name)
	} else if len(m.Outputs) > 0 {
		has := false
		for _, o := range m.Outputs {
			has = has || o.Default
		}
		if !has {
			m.Outputs[0].Default = true
		}
	}
	m.Bold = NoID
	for _, d := range f.Decls {
		if d.Kind == "bold" {
			if m.Bold != NoID {
				c.errorf(d.P, "found a second bold line, expected one")
				continue
			}
			c.ctx = cBold
			m.Bold = c.expr(d.Expr)
		}
	}
	if m.Bold == NoID && len(m.Outputs) > 0 {
		m.Bold = m.Outputs[m.DefaultOutput()].Expr
	}
	if m.SelfDelay == NoID {
		m.SelfDelay = c.g.Const(0)
	}
	for _, name := range c.letOrder {
		m.Lets = append(m.Lets, Let{Name: name, Expr: c.lets[name]})
	}
}
