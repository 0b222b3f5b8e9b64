//go:build linux

package hugemem

import (
	"syscall"
	"unsafe"
)

// madvHugepage is MADV_HUGEPAGE (linux/mman.h).
const madvHugepage = 14

// advise asks the kernel to back s with transparent huge pages (where THP is in "madvise" mode).
// The range is narrowed to whole 4 KiB pages; errors are ignored: the advice is only a hint.
func advise(s []float64) {
	if len(s) == 0 {
		return
	}
	p := unsafe.Pointer(&s[0])
	start := uintptr(p)
	end := start + uintptr(len(s))*8
	const page = 4096
	lo := (start + page - 1) &^ (page - 1)
	hi := end &^ (page - 1)
	if hi <= lo {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(p, lo-start)), hi-lo)
	_ = syscall.Madvise(b, madvHugepage)
}
