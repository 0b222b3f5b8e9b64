package main

import (
	"bytes"
	"io"
	"strings"
	"text/tabwriter"
)

// writeTable writes rows as aligned columns (text/tabwriter), each line prefixed by indent, with
// trailing blanks removed. header, when not nil, is the first row.
func writeTable(w io.Writer, indent string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	put := func(cells []string) {
		clean := make([]string, len(cells))
		for i, c := range cells {
			// A tab or newline inside a cell would break the columns.
			clean[i] = strings.NewReplacer("\t", " ", "\n", " ").Replace(c)
		}
		io.WriteString(tw, strings.Join(clean, "\t")+"\n")
	}
	if header != nil {
		put(header)
	}
	for _, r := range rows {
		put(r)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var out strings.Builder
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if line == "" {
			continue
		}
		out.WriteString(indent)
		out.WriteString(strings.TrimRight(line, " \n"))
		out.WriteByte('\n')
	}
	_, err := io.WriteString(w, out.String())
	return err
}

// abbreviate shortens s to at most max characters, ending in "..." when cut; it cuts after a
// whole item where it can (items are separated by sep).
func abbreviate(items []string, sep string, max int) string {
	s := strings.Join(items, sep)
	if len(s) <= max {
		return s
	}
	var b strings.Builder
	for i, it := range items {
		add := it
		if i > 0 {
			add = sep + it
		}
		if b.Len()+len(add)+len(sep)+3 > max {
			break
		}
		b.WriteString(add)
	}
	if b.Len() > 0 {
		b.WriteString(sep)
	}
	b.WriteString("...")
	return b.String()
}

// orDash returns s, or "-" when s is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
