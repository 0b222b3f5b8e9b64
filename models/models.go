package models

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"github.com/neuromass/neuromass/engine/eqn"
)

//go:embed *.nm
var files embed.FS

// ext is the file extension of model sources.
const ext = ".nm"

// Names returns the names of the built-in models, sorted.
func Names() []string {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		panic("models: reading the embedded sources: " + err.Error())
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ext); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// IsBuiltin reports whether name is the name of a built-in model.
func IsBuiltin(name string) bool {
	if name == "" || strings.ContainsAny(name, `/\.`) {
		return false
	}
	_, err := fs.Stat(files, name+ext)
	return err == nil
}

// Source returns the model-language text of the named built-in model.
func Source(name string) (string, error) {
	if !IsBuiltin(name) {
		return "", fmt.Errorf("unknown model %q (built-in models: %s)", name, strings.Join(Names(), ", "))
	}
	b, err := files.ReadFile(name + ext)
	if err != nil {
		return "", fmt.Errorf("model %q: %w", name, err)
	}
	return string(b), nil
}

// Compile compiles the named built-in model. Errors name the file as NAME.nm.
func Compile(name string, opt eqn.Options) (*eqn.Model, error) {
	src, err := Source(name)
	if err != nil {
		return nil, err
	}
	return eqn.Compile(name+ext, src, opt)
}

// Load compiles a built-in model, given its name, or the model in a file, given its path. A name
// of a built-in model takes precedence over a file of the same name in the working directory;
// write "./wc" to mean the file.
func Load(nameOrPath string, opt eqn.Options) (*eqn.Model, error) {
	if IsBuiltin(nameOrPath) {
		return Compile(nameOrPath, opt)
	}
	b, err := os.ReadFile(nameOrPath)
	if err != nil {
		why := err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			why = "no such file"
		}
		return nil, fmt.Errorf("model %q is neither a built-in model (%s) nor a readable model file (%s)",
			nameOrPath, strings.Join(Names(), ", "), why)
	}
	return eqn.Compile(nameOrPath, string(b), opt)
}
