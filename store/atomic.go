package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// atomicWrite writes a file through write, to a temporary file in path's directory, then flushes
// it to disk and renames it to path (atomicWriteNamed).
func atomicWrite(path string, write func(io.Writer) error) error {
	return atomicWriteNamed(path, func(tmp string) error {
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return err
		}
		if err := write(pathlessWriter{f}); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
}

// atomicWriteNamed lets write create the file at a temporary name beside path (for writers that
// take a name, as the HDF5 library does), then fsyncs it, gives it the permissions os.Create
// would, renames it to path and fsyncs the directory. On any error the temporary file is removed
// and an existing file at path is untouched. The temporary name starts with a dot and ends in
// .tmp, so a listing of finished results does not show it.
func atomicWriteNamed(path string, write func(tmp string) error) (err error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s: is a directory", path)
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("%s: cannot create a file in %s: %w", path, dir, unwrapPath(err))
	}
	tmp := f.Name()
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	f, err = os.OpenFile(tmp, os.O_RDWR, 0)
	if err == nil {
		err = f.Sync()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("%s: flushing to disk: %w", path, err)
	}
	// CreateTemp makes the file 0600; give it what os.Create gives (0666 less the umask is not
	// knowable without changing it, so the usual 0644).
	if err := os.Chmod(tmp, 0o644); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if beforeRename != nil {
		beforeRename(tmp)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	// The rename is durable once the directory is; a failure here leaves a whole file, so it is
	// not an error (some file systems cannot fsync a directory).
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// beforeRename, when set (by tests), is called with the temporary name when the file is complete
// and flushed, just before the rename: where a killed process hurts most.
var beforeRename func(tmp string)

// pathlessWriter writes to a file, its errors without the file's (temporary) name.
type pathlessWriter struct{ f *os.File }

func (w pathlessWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		err = unwrapPath(err)
	}
	return n, err
}

// unwrapPath drops the temporary name from an *os.PathError or *os.LinkError, which would only
// confuse: the error is reported for the final path.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
