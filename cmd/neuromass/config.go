package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// A run can be described by a TOML file (neuromass run --config FILE): every flag of run is a
// key of the same name, flags given on the command line win over the file, and
// --print-config writes the effective settings back as such a file. The format is documented
// in run --help (runLong) and docs/cli.md.

// The flags of run that are not settings of the run, so not keys of a file.
var notConfigKeys = []string{"config", "print-config", "help"}

// configAliases are the plural spellings of the repeatable flags, which read naturally as a
// table ([params]) and a list (inputs = [...]); each means the flag it names.
var configAliases = map[string]string{"params": "param", "inputs": "input"}

// fileSetting is one top-level key of a configuration file.
type fileSetting struct {
	key   string // as written
	line  int    // 0 when the parser has no position for it
	value any    // the TOML value: string, int64, float64, bool, []any, map[string]any, time
	// entries are a table's keys in file order with their lines and values (for [params])
	entries []fileSetting
}

// lineProbe is decoded into to learn where a key is: its UnmarshalTOML keeps the value and fails,
// and the decoder's ParseError carries the key's position, which MetaData does not export.
type lineProbe struct{ value any }

var errProbe = errors.New("probe")

func (p *lineProbe) UnmarshalTOML(v any) error {
	p.value = v
	return errProbe
}

// probe returns a primitive's value and line.
func probe(md *toml.MetaData, prim toml.Primitive) (any, int) {
	var p lineProbe
	err := md.PrimitiveDecode(prim, &p)
	var pe toml.ParseError
	if errors.As(err, &pe) {
		return p.value, pe.Position.Line
	}
	return p.value, 0
}

// readConfigFile reads a TOML configuration file into its top-level keys, in file order, with
// the entries of tables. A file that cannot be read is a runtime error; one that is not TOML is
// a usage error naming the line.
func readConfigFile(path string) ([]fileSetting, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	var top map[string]toml.Primitive
	md, err := toml.Decode(string(b), &top)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, usagef("%s:%d: not valid TOML: %s", path, pe.Position.Line, pe.Message)
		}
		return nil, usagef("%s: not valid TOML: %v", path, err)
	}
	// the keys in file order: Keys lists every key, tables' entries and dotted keys included
	var order []string
	sub := map[string][]string{}
	for _, k := range md.Keys() {
		if !slices.Contains(order, k[0]) {
			order = append(order, k[0])
		}
		if len(k) == 2 && !slices.Contains(sub[k[0]], k[1]) {
			sub[k[0]] = append(sub[k[0]], k[1])
		}
	}
	var out []fileSetting
	for _, key := range order {
		prim, ok := top[key]
		if !ok {
			continue
		}
		s := fileSetting{key: key}
		s.value, s.line = probe(&md, prim)
		if _, isTable := s.value.(map[string]any); isTable {
			var entries map[string]toml.Primitive
			if err := md.PrimitiveDecode(prim, &entries); err == nil {
				for _, name := range sub[key] {
					if p, ok := entries[name]; ok {
						e := fileSetting{key: name}
						e.value, e.line = probe(&md, p)
						s.entries = append(s.entries, e)
					}
				}
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// configFlags are the flags of cmd that a configuration file may set, in the order of --help.
func configFlags(cmd *cobra.Command) []*pflag.Flag {
	var fl []*pflag.Flag
	cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
		if !slices.Contains(notConfigKeys, f.Name) {
			fl = append(fl, f)
		}
	})
	return fl
}

// applyConfigFile sets the flags of cmd that the command line left alone from the file at path.
// It returns where each flag it set was given ("run.toml:3"), for errors found later. Every
// problem in the file is reported, one line each, as a usage error.
func applyConfigFile(cmd *cobra.Command, path string, params *paramFlag) (map[string]string, error) {
	settings, err := readConfigFile(path)
	if err != nil {
		return nil, err
	}
	flags := configFlags(cmd)
	byName := map[string]*pflag.Flag{}
	var names []string
	for _, f := range flags {
		byName[f.Name] = f
		names = append(names, f.Name)
	}
	origin := map[string]string{}
	seen := map[string]string{} // flag name -> the key that set it
	var errs []error
	at := func(line int) string {
		if line > 0 {
			return fmt.Sprintf("%s:%d", path, line)
		}
		return path
	}
	for _, s := range settings {
		name := s.key
		if a, ok := configAliases[name]; ok {
			name = a
		}
		f := byName[name]
		if f == nil {
			errs = append(errs, fmt.Errorf("%s: unknown key %q%s", at(s.line), s.key, suggestKey(s.key, names)))
			continue
		}
		if prev, dup := seen[name]; dup {
			errs = append(errs, fmt.Errorf("%s: %s: the file already set it as %s", at(s.line), s.key, prev))
			continue
		}
		seen[name] = s.key
		if name == "param" {
			errs = append(errs, applyConfigParams(cmd, s, at, params)...)
			origin[name] = at(s.line)
			continue
		}
		vals, err := configValues(f, s.value)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %w", at(s.line), s.key, err))
			continue
		}
		if f.Changed { // the command line wins; the value was still checked above
			continue
		}
		for _, v := range vals {
			if err := cmd.Flags().Set(name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %s: %w", at(s.line), s.key, err))
				break
			}
		}
		origin[name] = at(s.line)
	}
	if len(errs) > 0 {
		return nil, usageError{errors.Join(errs...)}
	}
	return origin, nil
}

// applyConfigParams sets the parameters of a [params] table the command line did not set.
func applyConfigParams(cmd *cobra.Command, s fileSetting, at func(int) string, params *paramFlag) []error {
	if _, ok := s.value.(map[string]any); !ok {
		return []error{fmt.Errorf("%s: %s: expected a table of NAME = VALUE ([%s] or %s = {K_gl = 0.8}), got %s",
			at(s.line), s.key, s.key, s.key, tomlType(s.value))}
	}
	var errs []error
	for _, e := range s.entries {
		v, err := paramValue(e.value)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s.%s: %w", at(e.line), s.key, e.key, err))
			continue
		}
		if _, onCommandLine := params.raw[e.key]; onCommandLine {
			continue
		}
		if err := cmd.Flags().Set("param", e.key+"="+v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %s.%s: %w", at(e.line), s.key, e.key, err))
		}
	}
	return errs
}

// paramValue turns a [params] value into the text of --param NAME=VALUE: a number, an array of
// numbers (one per member or node) or a string (a switch option).
func paramValue(v any) (string, error) {
	switch x := v.(type) {
	case string:
		if x == "" {
			return "", errors.New("empty string (a switch takes one of its options)")
		}
		return x, nil
	case int64, float64:
		return tomlNumber(x), nil
	case []any:
		if len(x) == 0 {
			return "", errors.New("empty array (give one value, or one per member or node)")
		}
		parts := make([]string, len(x))
		for i, e := range x {
			switch n := e.(type) {
			case int64, float64:
				parts[i] = tomlNumber(n)
			default:
				return "", fmt.Errorf("element %d is %s; expected numbers", i+1, tomlType(e))
			}
		}
		return strings.Join(parts, ","), nil
	}
	return "", fmt.Errorf("expected a number, an array of numbers or a switch option (a string), got %s", tomlType(v))
}

// configValues checks a TOML value against the flag's type and returns the text(s) to Set.
func configValues(f *pflag.Flag, v any) ([]string, error) {
	want := func(what string) error { return fmt.Errorf("expected %s, got %s", what, tomlType(v)) }
	switch f.Value.Type() {
	case "string":
		if s, ok := v.(string); ok {
			return []string{s}, nil
		}
		return nil, want("a string")
	case "float64":
		switch x := v.(type) {
		case int64, float64:
			return []string{tomlNumber(x)}, nil
		}
		return nil, want("a number")
	case "int":
		if x, ok := v.(int64); ok {
			if x > math.MaxInt32 || x < math.MinInt32 {
				return nil, fmt.Errorf("%d is out of range", x)
			}
			return []string{strconv.FormatInt(x, 10)}, nil
		}
		return nil, want("an integer")
	case "uint64":
		if x, ok := v.(int64); ok {
			if x < 0 {
				return nil, fmt.Errorf("%d is negative; expected an integer from 0", x)
			}
			return []string{strconv.FormatInt(x, 10)}, nil
		}
		return nil, want("an integer from 0")
	case "bool":
		if b, ok := v.(bool); ok {
			return []string{strconv.FormatBool(b)}, nil
		}
		return nil, want("true or false")
	case "stringArray", "stringSlice":
		switch x := v.(type) {
		case string:
			return []string{x}, nil
		case []any:
			out := make([]string, len(x))
			for i, e := range x {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("element %d is %s; expected strings", i+1, tomlType(e))
				}
				out[i] = s
			}
			return out, nil
		}
		return nil, want("a string or an array of strings")
	}
	// a flag of another type (added later): its own Set checks the text
	switch x := v.(type) {
	case string:
		return []string{x}, nil
	case int64, float64:
		return []string{tomlNumber(x)}, nil
	case bool:
		return []string{strconv.FormatBool(x)}, nil
	}
	return nil, want("a string, a number or true/false")
}

// tomlNumber writes an int64 or float64 TOML value as the flags parse it.
func tomlNumber(v any) string {
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v)
}

// tomlType names a decoded TOML value's type for error messages, with the value when short.
func tomlType(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) <= 40 {
			return fmt.Sprintf("the string %q", x)
		}
		return "a string"
	case int64:
		return fmt.Sprintf("the integer %d", x)
	case float64:
		return fmt.Sprintf("the number %v", x)
	case bool:
		return fmt.Sprintf("the boolean %v", x)
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("a %T", v) // dates and times
}

// suggestKey proposes the key meant by an unknown one: the same but for case or underscores for
// dashes, else the one cobra would suggest were the keys commands (a few edits away, or a
// prefix); else it lists the keys.
func suggestKey(key string, names []string) string {
	norm := strings.ToLower(strings.ReplaceAll(key, "_", "-"))
	keys := &cobra.Command{SuggestionsMinimumDistance: 2}
	for _, n := range append(slices.Clone(names), "params", "inputs") {
		if n == norm {
			return fmt.Sprintf(" (did you mean %s?)", n)
		}
		keys.AddCommand(&cobra.Command{Use: n, Run: func(*cobra.Command, []string) {}})
	}
	if s := keys.SuggestionsFor(norm); len(s) > 0 {
		return fmt.Sprintf(" (did you mean %s?)", strings.Join(s, " or "))
	}
	return "; the keys are the flags of run: " + strings.Join(names, ", ")
}

// fromConfig says in which file line a flag behind err was set: errors found after the file was
// read name the flag ("--mode ..."), and the user must find it in the file.
func fromConfig(err error, origin map[string]string) error {
	if err == nil || len(origin) == 0 {
		return err
	}
	msg := err.Error()
	for name, where := range origin {
		p := "--" + name
		if strings.HasPrefix(msg, p) && len(msg) > len(p) && strings.ContainsRune(" :=", rune(msg[len(p)])) {
			return fmt.Errorf("%s: %w", where, err)
		}
	}
	return err
}

// writeConfig prints the effective settings of cmd as a configuration file: every key, the
// empty ones (their defaults are "none") as comments, then the [params] table.
func writeConfig(w io.Writer, cmd *cobra.Command, params *paramFlag) error {
	var b strings.Builder
	b.WriteString("# neuromass run --config FILE: the settings of a run (flags on the command line override them)\n")
	for _, f := range configFlags(cmd) {
		if f.Name == "param" {
			continue
		}
		var val string
		empty := false
		switch f.Value.Type() {
		case "string":
			s := f.Value.String()
			val, empty = tomlString(s), s == ""
		case "float64":
			x, err := strconv.ParseFloat(f.Value.String(), 64)
			if err != nil {
				return fmt.Errorf("--%s: %w", f.Name, err)
			}
			val = tomlFloat(x)
		case "int", "uint64", "bool":
			val = f.Value.String()
		case "stringArray", "stringSlice":
			sv, ok := f.Value.(pflag.SliceValue)
			if !ok {
				return fmt.Errorf("--%s: not a list flag", f.Name)
			}
			items := sv.GetSlice()
			q := make([]string, len(items))
			for i, s := range items {
				q[i] = tomlString(s)
			}
			val, empty = "["+strings.Join(q, ", ")+"]", len(items) == 0
		default:
			s := f.Value.String()
			val, empty = tomlString(s), s == ""
		}
		line := f.Name + " = " + val
		if empty {
			line = "# " + line
		}
		b.WriteString(line + "\n")
	}
	if len(params.names) > 0 {
		b.WriteString("\n[params]\n")
		for _, n := range params.names {
			b.WriteString(tomlKey(n) + " = " + tomlParam(params.raw[n]) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tomlParam writes a --param value: a number, an array of numbers, else a switch option string.
func tomlParam(raw string) string {
	parts := strings.Split(raw, ",")
	nums := make([]string, len(parts))
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return tomlString(raw)
		}
		nums[i] = tomlFloat(x)
	}
	if len(nums) == 1 {
		return nums[0]
	}
	return "[" + strings.Join(nums, ", ") + "]"
}

// tomlFloat writes a float as a TOML float (always with a point or an exponent, inf and nan as
// TOML spells them), so that it reads back as the same float64.
func tomlFloat(x float64) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// tomlString writes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// tomlKey writes a key bare when TOML allows it, else quoted.
func tomlKey(k string) string {
	if k == "" {
		return `""`
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return tomlString(k)
		}
	}
	return k
}
