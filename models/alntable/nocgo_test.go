//go:build !cgo

package alntable

const cgoEnabled = false
