package gpu

import (
	"fmt"
	"strings"
)

// errorLines finds the source line numbers a driver log names: Mesa writes "0:LINE(COL): error",
// NVIDIA "0(LINE) : error", glslang "ERROR: 0:LINE: ...".
func errorLines(log string) []int {
	var lines []int
	seen := map[int]bool{}
	for _, l := range strings.Split(log, "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(l), "ERROR:"), "WARNING:"))
		i := 0
		for i < len(l) && l[i] >= '0' && l[i] <= '9' {
			i++
		}
		if i == 0 || i >= len(l) || (l[i] != ':' && l[i] != '(') {
			continue
		}
		j := i + 1
		n := 0
		for j < len(l) && l[j] >= '0' && l[j] <= '9' {
			n = n*10 + int(l[j]-'0')
			j++
		}
		if j == i+1 || n < 1 || seen[n] {
			continue
		}
		seen[n] = true
		lines = append(lines, n)
	}
	return lines
}

// sourceContext shows the generated source around each line the log names (3 lines either side).
func sourceContext(src, log string) string {
	lines := strings.Split(src, "\n")
	var b strings.Builder
	for _, n := range errorLines(log) {
		if n > len(lines) {
			continue
		}
		fmt.Fprintf(&b, "--- generated source around line %d:\n", n)
		for k := max(1, n-3); k <= min(len(lines), n+3); k++ {
			mark := "  "
			if k == n {
				mark = "> "
			}
			fmt.Fprintf(&b, "%s%5d  %s\n", mark, k, lines[k-1])
		}
	}
	return b.String()
}
