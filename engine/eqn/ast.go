package eqn

// Expr is an expression of the model language as parsed.
type Expr interface {
	Pos() Pos
}

// NumLit is a number literal.
type NumLit struct {
	P    Pos
	Val  float64
	Text string
}

// Ident is a name: a parameter, state, let, input, noise, switch option or built-in.
type Ident struct {
	P    Pos
	Name string
}

// RemoteRef is x[j] inside sum_j: state x of the other node j, delayed.
type RemoteRef struct {
	P    Pos
	Name string
}

// Unary is -x, +x or not x.
type Unary struct {
	P  Pos
	Op string
	X  Expr
}

// Binary is a binary operation; Op is the operator's text ("+", "and", "<=", ...).
type Binary struct {
	P    Pos
	Op   string
	X, Y Expr
}

// Call is f(args): a built-in function, a user fn, a table lookup, sum_j, delayed or uniform.
type Call struct {
	P    Pos
	Fun  string
	Args []Expr
}

func (e *NumLit) Pos() Pos    { return e.P }
func (e *Ident) Pos() Pos     { return e.P }
func (e *RemoteRef) Pos() Pos { return e.P }
func (e *Unary) Pos() Pos     { return e.P }
func (e *Binary) Pos() Pos    { return e.P }
func (e *Call) Pos() Pos      { return e.P }

// Interval is a parameter's allowed range.
type Interval struct {
	Lo, Hi         Expr
	LoOpen, HiOpen bool
}

// Decl is one declaration line. Kind is its keyword: model, param, switch, input, noise, state,
// table, fn, let, coupling, ode ("d x/dt = ..."), assign ("x := ..."), after, init, output, bold,
// option.
type Decl struct {
	Kind    string
	P       Pos // position of the keyword (or of the name, for ode and assign)
	Name    string
	NameP   Pos
	Names   []string // noise: all names; fn and table: argument / axis names
	NamesP  []Pos
	Expr    Expr // default, right-hand side, body, initial value
	Unit    string
	HasUnit bool
	Range   *Interval
	PerNode bool
	Default bool
	Doc     string
	Options []string // switch options
	OptP    []Pos
}

// File is a parsed model text.
type File struct {
	Name  string // file name used in errors
	Decls []*Decl
}
