//go:build cgo

package alntable

const cgoEnabled = true
