package models

// The GLSL and CPU lane program of every built-in model, checked in under generated/.
//go:generate go run ./internal/gen
