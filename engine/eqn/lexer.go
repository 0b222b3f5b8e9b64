package eqn

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Pos is a position in a model's source text: 1-based line and column (in characters).
type Pos struct {
	Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Error is one problem found in a model text.
type Error struct {
	File string
	Pos  Pos
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// ErrorList is every problem found in one model text, in source order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap lets errors.As find the individual errors.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

type tokKind int

const (
	tEOF tokKind = iota
	tNewline
	tIdent
	tNumber
	tString
	tPunct // operators and brackets; text in tok.text
	tBad
)

type token struct {
	kind tokKind
	text string
	num  float64
	pos  Pos
}

func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of file"
	case tNewline:
		if t.text != "" { // the line end made up at the end of the file
			return t.text
		}
		return "end of line"
	case tString:
		return strconv.Quote(t.text)
	case tBad:
		return fmt.Sprintf("%q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// lexer produces tokens on demand; the parser may ask it for raw text (units).
type lexer struct {
	src   string
	off   int
	line  int
	col   int
	depth int   // open brackets: newlines inside brackets are not line ends
	last  token // last token returned (for line continuation)
	errs  *ErrorList
	file  string
}

func newLexer(file, src string, errs *ErrorList) *lexer {
	return &lexer{src: src, line: 1, col: 1, errs: errs, file: file, last: token{kind: tNewline}}
}

func (lx *lexer) errorf(p Pos, format string, args ...any) {
	*lx.errs = append(*lx.errs, &Error{File: lx.file, Pos: p, Msg: fmt.Sprintf(format, args...)})
}

func (lx *lexer) peekRune() (rune, int) {
	if lx.off >= len(lx.src) {
		return 0, 0
	}
	r, w := utf8.DecodeRuneInString(lx.src[lx.off:])
	return r, w
}

func (lx *lexer) advance() rune {
	r, w := lx.peekRune()
	lx.off += w
	if r == '\n' {
		lx.line++
		lx.col = 1
	} else {
		lx.col++
	}
	return r
}

// continues reports whether a line ending after t continues on the next line.
func continues(t token) bool {
	if t.kind == tIdent {
		// Fix (TestParseLineContinuation): and, or and not are operators too (model-language.md 2
		// and 4); a line ending in one continues like one ending in "+".
		return t.text == "and" || t.text == "or" || t.text == "not"
	}
	if t.kind != tPunct {
		return false
	}
	switch t.text {
	case ")", "]", "}":
		return false
	}
	return true
}

func (lx *lexer) next() token {
	t := lx.scan()
	lx.last = t
	return t
}

func (lx *lexer) scan() token {
	for {
		r, _ := lx.peekRune()
		switch {
		case lx.off >= len(lx.src):
			if lx.last.kind != tNewline && lx.last.kind != tEOF {
				// Fix (TestCompileErrors): this line end is the end of the file; say so in errors
				// ("found end of line" on a line after the last one, for an unclosed "(", misled).
				return token{kind: tNewline, text: "end of file", pos: Pos{lx.line, lx.col}}
			}
			return token{kind: tEOF, pos: Pos{lx.line, lx.col}}
		case r == '#':
			for lx.off < len(lx.src) {
				if r, _ := lx.peekRune(); r == '\n' {
					break
				}
				lx.advance()
			}
		case r == '\n':
			p := Pos{lx.line, lx.col}
			lx.advance()
			if lx.depth > 0 || lx.last.kind == tNewline || continues(lx.last) {
				continue
			}
			return token{kind: tNewline, pos: p}
		case r == '\\' && strings.HasPrefix(lx.src[lx.off:], "\\\n"):
			lx.advance()
			lx.advance()
		case unicode.IsSpace(r):
			lx.advance()
		default:
			return lx.scanToken()
		}
	}
}

func isIdentStart(r rune) bool { return r == '_' || r < utf8.RuneSelf && unicode.IsLetter(r) }
func isIdentRune(r rune) bool  { return isIdentStart(r) || r >= '0' && r <= '9' }

func (lx *lexer) scanToken() token {
	p := Pos{lx.line, lx.col}
	start := lx.off
	r, _ := lx.peekRune()
	switch {
	case isIdentStart(r):
		for {
			r, _ := lx.peekRune()
			if lx.off >= len(lx.src) || !isIdentRune(r) {
				break
			}
			lx.advance()
		}
		return token{kind: tIdent, text: lx.src[start:lx.off], pos: p}
	case r >= '0' && r <= '9' || r == '.' && lx.off+1 < len(lx.src) && lx.src[lx.off+1] >= '0' && lx.src[lx.off+1] <= '9':
		return lx.scanNumber(p)
	case r == '"':
		return lx.scanString(p)
	}
	lx.advance()
	two := ""
	if nr, _ := lx.peekRune(); lx.off < len(lx.src) {
		two = string(r) + string(nr)
	}
	switch two {
	case ":=", "<=", ">=", "==", "!=":
		lx.advance()
		return token{kind: tPunct, text: two, pos: p}
	}
	switch r {
	case '(', '[', '{':
		lx.depth++
		return token{kind: tPunct, text: string(r), pos: p}
	case ')', ']', '}':
		if lx.depth > 0 {
			lx.depth--
		}
		return token{kind: tPunct, text: string(r), pos: p}
	case '+', '-', '*', '/', '^', '<', '>', '=', ',':
		return token{kind: tPunct, text: string(r), pos: p}
	}
	return token{kind: tBad, text: string(r), pos: p}
}

func (lx *lexer) scanNumber(p Pos) token {
	start := lx.off
	digits := func() {
		for {
			r, _ := lx.peekRune()
			if lx.off >= len(lx.src) || r < '0' || r > '9' {
				return
			}
			lx.advance()
		}
	}
	digits()
	if r, _ := lx.peekRune(); r == '.' {
		lx.advance()
		digits()
	}
	if r, _ := lx.peekRune(); r == 'e' || r == 'E' {
		save, sl, sc := lx.off, lx.line, lx.col
		lx.advance()
		if r, _ := lx.peekRune(); r == '+' || r == '-' {
			lx.advance()
		}
		if r, _ := lx.peekRune(); r >= '0' && r <= '9' {
			digits()
		} else {
			lx.off, lx.line, lx.col = save, sl, sc // "2e" followed by a name: not an exponent
		}
	}
	text := lx.src[start:lx.off]
	if r, _ := lx.peekRune(); lx.off < len(lx.src) && isIdentStart(r) {
		// 3x, 1.5ms: a number glued to a name is a mistake, not two tokens.
		for {
			r, _ := lx.peekRune()
			if lx.off >= len(lx.src) || !isIdentRune(r) {
				break
			}
			lx.advance()
		}
		bad := lx.src[start:lx.off]
		lx.errorf(p, "found %q, expected a number (put units in [brackets] and use * for products)", bad)
		return token{kind: tNumber, text: bad, num: 0, pos: p}
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		lx.errorf(p, "found %q, expected a number in range (%v)", text, err.(*strconv.NumError).Err)
	}
	return token{kind: tNumber, text: text, num: v, pos: p}
}

func (lx *lexer) scanString(p Pos) token {
	lx.advance() // opening quote
	var b strings.Builder
	for {
		if lx.off >= len(lx.src) {
			lx.errorf(p, "found an unterminated string, expected a closing \"")
			return token{kind: tString, text: b.String(), pos: p}
		}
		r := lx.advance()
		switch r {
		case '"':
			return token{kind: tString, text: b.String(), pos: p}
		case '\n':
			lx.errorf(p, "found the end of the line inside a string, expected a closing \"")
			return token{kind: tString, text: b.String(), pos: p}
		case '\\':
			if lx.off < len(lx.src) {
				e := lx.advance()
				switch e {
				case '"', '\\':
					b.WriteRune(e)
				case 'n':
					b.WriteByte('\n')
				default:
					b.WriteByte('\\')
					b.WriteRune(e)
				}
			}
		default:
			b.WriteRune(r)
		}
	}
}

// rawUntilClose returns the raw text up to the next ']' on this line (a unit), consuming the ']'.
// The '[' was already returned as a token.
func (lx *lexer) rawUntilClose(open Pos) (string, bool) {
	start := lx.off
	for lx.off < len(lx.src) {
		r, _ := lx.peekRune()
		if r == '\n' {
			break
		}
		if r == ']' {
			text := lx.src[start:lx.off]
			lx.advance()
			if lx.depth > 0 {
				lx.depth--
			}
			lx.last = token{kind: tPunct, text: "]", pos: open}
			return strings.TrimSpace(text), true
		}
		lx.advance()
	}
	lx.errorf(open, "found a unit without its closing \"]\", expected [UNIT] on one line")
	if lx.depth > 0 {
		lx.depth--
	}
	return strings.TrimSpace(lx.src[start:lx.off]), false
}

// rawIsJ reports whether the source right after a '[' token reads "j]" (spaces allowed): the
// remote reference x[j], as opposed to a unit such as [Hz].
func (lx *lexer) rawIsJ() bool {
	s := strings.TrimLeft(lx.src[lx.off:], " \t")
	if !strings.HasPrefix(s, "j") {
		return false
	}
	s = strings.TrimLeft(s[1:], " \t")
	return strings.HasPrefix(s, "]")
}
