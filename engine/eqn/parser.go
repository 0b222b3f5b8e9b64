package eqn

import (
	"fmt"
	"strings"
)

// Parse reads a model text into its declarations. Syntax errors are returned as an ErrorList with
// one entry per bad line (the parser resynchronises at the next line).
func Parse(file, src string) (*File, error) {
	var errs ErrorList
	p := &parser{lx: newLexer(file, src, &errs), errs: &errs, file: file}
	p.advance()
	f := &File{Name: file}
	for p.tok.kind != tEOF {
		if p.tok.kind == tNewline {
			p.advance()
			continue
		}
		n := len(errs)
		d := p.decl()
		if len(errs) > n {
			p.syncLine()
			// Fix (TestCompileErrors): keep only the first error of a bad declaration, as documented
			// above; what the parser found after it (and while skipping the rest) only repeats it.
			errs = errs[:n+1]
			continue
		}
		if d != nil {
			f.Decls = append(f.Decls, d)
		}
		if p.tok.kind != tNewline && p.tok.kind != tEOF {
			p.errorf(p.tok.pos, "found %s, expected the end of the line", p.tok.describe())
			p.syncLine()
			errs = errs[:n+1] // Fix: as above, one error per declaration
		}
	}
	if len(errs) > 0 {
		return f, errs
	}
	return f, nil
}

type parser struct {
	lx    *lexer
	tok   token
	ahead []token
	errs  *ErrorList
	file  string
}

var keywords = map[string]bool{
	"model": true, "param": true, "switch": true, "input": true, "noise": true, "state": true,
	"table": true, "fn": true, "let": true, "coupling": true, "after": true, "init": true,
	"output": true, "bold": true, "option": true,
}

func (p *parser) errorf(pos Pos, format string, args ...any) {
	*p.errs = append(*p.errs, &Error{File: p.file, Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) advance() {
	if len(p.ahead) > 0 {
		p.tok = p.ahead[0]
		p.ahead = p.ahead[1:]
		return
	}
	p.tok = p.lx.next()
}

// peek returns the k-th token after the current one (k >= 1).
func (p *parser) peek(k int) token {
	for len(p.ahead) < k {
		p.ahead = append(p.ahead, p.lx.next())
	}
	return p.ahead[k-1]
}

func (p *parser) syncLine() {
	for p.tok.kind != tNewline && p.tok.kind != tEOF {
		p.advance()
	}
}

func (p *parser) is(text string) bool {
	return (p.tok.kind == tPunct || p.tok.kind == tIdent) && p.tok.text == text
}

func (p *parser) expect(text, what string) (Pos, bool) {
	if p.is(text) {
		pos := p.tok.pos
		p.advance()
		return pos, true
	}
	p.errorf(p.tok.pos, "found %s, expected %s", p.tok.describe(), what)
	return p.tok.pos, false
}

func (p *parser) ident(what string) (string, Pos, bool) {
	if p.tok.kind == tIdent {
		t := p.tok
		p.advance()
		return t.text, t.pos, true
	}
	p.errorf(p.tok.pos, "found %s, expected %s", p.tok.describe(), what)
	return "", p.tok.pos, false
}

func (p *parser) decl() *Decl {
	t := p.tok
	if t.kind != tIdent {
		p.errorf(t.pos, "found %s, expected a declaration (model, param, state, d x/dt = ..., ...)", t.describe())
		return nil
	}
	next := p.peek(1)
	switch {
	case next.kind == tPunct && next.text == ":=":
		p.advance()
		p.advance()
		return &Decl{Kind: "assign", P: t.pos, Name: t.text, NameP: t.pos, Expr: p.expr()}
	case t.text == "d" && next.kind == tIdent && p.peek(2).kind == tPunct && p.peek(2).text == "/":
		p.advance()
		return p.ode(t.pos)
	case strings.HasPrefix(t.text, "d") && len(t.text) > 1 && next.kind == tPunct && next.text == "/":
		return p.ode(t.pos)
	case !keywords[t.text]:
		msg := "a declaration (model, param, state, let, d x/dt = ..., x := ..., ...)"
		if next.kind == tPunct && next.text == "=" {
			msg = fmt.Sprintf("a declaration: write \"let %s = ...\" for an intermediate, \"%s := ...\" for an algebraic state or \"d %s/dt = ...\" for an ODE", t.text, t.text, t.text)
		}
		p.errorf(t.pos, "found %q, expected %s", t.text, msg)
		return nil
	}
	p.advance()
	d := &Decl{Kind: t.text, P: t.pos}
	switch t.text {
	case "model":
		d.Name, d.NameP, _ = p.ident("the model's name")
		p.doc(d)
	case "param":
		p.nameEq(d, "a parameter name")
		d.Expr = p.expr()
		p.unit(d)
		if p.is("in") {
			p.advance()
			d.Range = p.interval()
		}
		if p.is("per") {
			p.advance()
			p.expect("node", "\"node\" (as in \"per node\")")
			d.PerNode = true
		}
		p.doc(d)
	case "switch":
		p.nameEq(d, "a switch name")
		opt, pos, _ := p.ident("the default option")
		d.Expr = &Ident{P: pos, Name: opt}
		if _, ok := p.expect("in", "\"in {option, ...}\""); !ok {
			return d
		}
		if _, ok := p.expect("{", "\"{\" starting the list of options"); !ok {
			return d
		}
		for {
			o, op, ok := p.ident("an option name")
			if !ok {
				return d
			}
			d.Options = append(d.Options, o)
			d.OptP = append(d.OptP, op)
			if p.is(",") {
				p.advance()
				continue
			}
			p.expect("}", "\",\" or \"}\"")
			break
		}
		p.doc(d)
	case "input":
		p.nameEq(d, "an input name")
		d.Expr = p.expr()
		p.unit(d)
		p.doc(d)
	case "noise":
		for {
			n, np, ok := p.ident("a noise name")
			if !ok {
				return d
			}
			d.Names = append(d.Names, n)
			d.NamesP = append(d.NamesP, np)
			if !p.is(",") {
				break
			}
			p.advance()
		}
		d.Name, d.NameP = d.Names[0], d.NamesP[0]
		p.doc(d)
	case "state":
		d.Name, d.NameP, _ = p.ident("a state name")
		if p.is("=") {
			p.advance()
			d.Expr = p.expr()
		}
		p.unit(d)
		p.doc(d)
	case "table":
		d.Name, d.NameP, _ = p.ident("a table name")
		p.argNames(d, "an axis name")
		p.unit(d)
		p.doc(d)
	case "fn":
		d.Name, d.NameP, _ = p.ident("a function name")
		p.argNames(d, "an argument name")
		p.expect("=", "\"=\"")
		d.Expr = p.expr()
	case "let", "after", "init", "option":
		p.nameEq(d, "a name")
		d.Expr = p.expr()
	case "coupling":
		p.nameEq(d, "a coupling name")
		d.Expr = p.expr()
		if c, ok := d.Expr.(*Call); !ok || c.Fun != "sum_j" {
			p.errorf(d.Expr.Pos(), "found an expression, expected sum_j(...) as the whole right-hand side of a coupling")
		}
	case "output":
		d.Name, d.NameP, _ = p.ident("an output name")
		if p.is("=") {
			p.advance()
			d.Expr = p.expr()
		}
		p.unit(d)
		if p.is("default") {
			p.advance()
			d.Default = true
		}
		p.doc(d)
	case "bold":
		p.expect("=", "\"=\"")
		d.Expr = p.expr()
	}
	return d
}

// ode parses "dNAME/dt = expr" or, after a separate "d", "NAME/dt = expr".
func (p *parser) ode(pos Pos) *Decl {
	name, np, _ := p.ident("a state name")
	if pos == np { // written dNAME
		name = name[1:]
		np.Col++
	}
	d := &Decl{Kind: "ode", P: pos, Name: name, NameP: np}
	p.expect("/", "\"/dt\"")
	if !p.is("dt") {
		p.errorf(p.tok.pos, "found %s, expected \"dt\" (as in d %s/dt)", p.tok.describe(), name)
		return d
	}
	p.advance()
	p.expect("=", "\"=\"")
	d.Expr = p.expr()
	return d
}

func (p *parser) nameEq(d *Decl, what string) {
	d.Name, d.NameP, _ = p.ident(what)
	p.expect("=", "\"=\"")
}

func (p *parser) argNames(d *Decl, what string) {
	if _, ok := p.expect("(", "\"(\""); !ok {
		return
	}
	if p.is(")") {
		p.advance()
		return
	}
	for {
		n, np, ok := p.ident(what)
		if !ok {
			return
		}
		d.Names = append(d.Names, n)
		d.NamesP = append(d.NamesP, np)
		if p.is(",") {
			p.advance()
			continue
		}
		p.expect(")", "\",\" or \")\"")
		return
	}
}

func (p *parser) unit(d *Decl) {
	if !p.is("[") || len(p.ahead) > 0 {
		return
	}
	open := p.tok.pos
	d.Unit, _ = p.lx.rawUntilClose(open)
	d.HasUnit = true
	p.advance()
}

func (p *parser) doc(d *Decl) {
	if p.tok.kind == tString {
		d.Doc = p.tok.text
		p.advance()
	}
}

func (p *parser) interval() *Interval {
	iv := &Interval{}
	switch {
	case p.is("["):
	case p.is("("):
		iv.LoOpen = true
	default:
		p.errorf(p.tok.pos, "found %s, expected \"[\" or \"(\" starting a range such as [0, inf)", p.tok.describe())
		return iv
	}
	p.advance()
	iv.Lo = p.expr()
	p.expect(",", "\",\" between the bounds of a range")
	iv.Hi = p.expr()
	switch {
	case p.is("]"):
	case p.is(")"):
		iv.HiOpen = true
	default:
		p.errorf(p.tok.pos, "found %s, expected \"]\" or \")\" closing the range", p.tok.describe())
		return iv
	}
	p.advance()
	return iv
}

// Expressions.

func (p *parser) expr() Expr { return p.or() }

func (p *parser) or() Expr {
	x := p.and()
	for p.is("or") {
		pos := p.tok.pos
		p.advance()
		x = &Binary{P: pos, Op: "or", X: x, Y: p.and()}
	}
	return x
}

func (p *parser) and() Expr {
	x := p.not()
	for p.is("and") {
		pos := p.tok.pos
		p.advance()
		x = &Binary{P: pos, Op: "and", X: x, Y: p.not()}
	}
	return x
}

func (p *parser) not() Expr {
	if p.is("not") {
		pos := p.tok.pos
		p.advance()
		return &Unary{P: pos, Op: "not", X: p.not()}
	}
	return p.cmp()
}

func (p *parser) cmp() Expr {
	x := p.add()
	if p.tok.kind == tPunct {
		switch p.tok.text {
		case "<", "<=", ">", ">=", "==", "!=":
			pos, op := p.tok.pos, p.tok.text
			p.advance()
			x = &Binary{P: pos, Op: op, X: x, Y: p.add()}
			if p.tok.kind == tPunct {
				switch p.tok.text {
				case "<", "<=", ">", ">=", "==", "!=":
					p.errorf(p.tok.pos, "found %q after a comparison, expected \"and\" between comparisons (a < b and b < c)", p.tok.text)
				}
			}
		}
	}
	return x
}

func (p *parser) add() Expr {
	x := p.mul()
	for p.is("+") || p.is("-") {
		pos, op := p.tok.pos, p.tok.text
		p.advance()
		x = &Binary{P: pos, Op: op, X: x, Y: p.mul()}
	}
	return x
}

func (p *parser) mul() Expr {
	x := p.unary()
	for p.is("*") || p.is("/") {
		pos, op := p.tok.pos, p.tok.text
		p.advance()
		x = &Binary{P: pos, Op: op, X: x, Y: p.unary()}
	}
	return x
}

func (p *parser) unary() Expr {
	if p.is("-") || p.is("+") {
		pos, op := p.tok.pos, p.tok.text
		p.advance()
		return &Unary{P: pos, Op: op, X: p.unary()}
	}
	return p.power()
}

func (p *parser) power() Expr {
	x := p.primary()
	if p.is("^") {
		pos := p.tok.pos
		p.advance()
		return &Binary{P: pos, Op: "^", X: x, Y: p.unary()}
	}
	return x
}

func (p *parser) primary() Expr {
	t := p.tok
	switch t.kind {
	case tNumber:
		p.advance()
		return &NumLit{P: t.pos, Val: t.num, Text: t.text}
	case tIdent:
		switch t.text {
		case "and", "or", "not":
			p.errorf(t.pos, "found %q, expected an expression", t.text)
			return &NumLit{P: t.pos}
		}
		p.advance()
		if p.is("(") {
			p.advance()
			c := &Call{P: t.pos, Fun: t.text}
			if p.is(")") {
				p.advance()
				return c
			}
			for {
				c.Args = append(c.Args, p.expr())
				if p.is(",") {
					p.advance()
					continue
				}
				p.expect(")", "\",\" or \")\" in the argument list")
				return c
			}
		}
		if p.is("[") && len(p.ahead) == 0 && p.lx.rawIsJ() {
			p.advance() // j
			p.advance() // ]
			p.advance()
			return &RemoteRef{P: t.pos, Name: t.text}
		}
		return &Ident{P: t.pos, Name: t.text}
	case tPunct:
		if t.text == "(" {
			p.advance()
			x := p.expr()
			p.expect(")", "\")\"")
			return x
		}
	}
	p.errorf(t.pos, "found %s, expected an expression", t.describe())
	return &NumLit{P: t.pos}
}
