package alntable

import (
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
)

// The table file format (".alnt"), all little-endian:
//
//	offset  size  content
//	0       8     magic "NMALNTB" followed by the format version byte 0x01
//	8       4     uint32 H, the length of the header
//	12      H     header, JSON: {"nmu", "nsigma", "params", "source", "command"}
//	12+H    ...   DEFLATE stream (RFC 1951) of the float64 arrays mu[nmu], sigma[nsigma], then
//	              r_ss, V_mean_ss, tau_mu_exp, tau_sigma_exp, each [nmu][nsigma] row-major
//	end-32  32    SHA-256 of bytes 0..12+H followed by the uncompressed arrays
//
// The checksum covers the header and the values (not their compressed form), so a file that
// decompresses to different numbers, or has a changed header, is refused.
const (
	magic     = "NMALNTB\x01"
	maxHeader = 1 << 20
	maxPoints = 1 << 24
)

type fileHeader struct {
	NMu     int     `json:"nmu"`
	NSigma  int     `json:"nsigma"`
	Params  *Params `json:"params,omitempty"`
	Source  string  `json:"source,omitempty"`
	Command string  `json:"command,omitempty"`
}

// Encode returns the tables in the table file format.
func (t *Tables) Encode() ([]byte, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	hdr, err := json.Marshal(fileHeader{NMu: len(t.Mu), NSigma: len(t.Sigma), Params: t.Params, Source: t.Source, Command: t.Command})
	if err != nil {
		return nil, err
	}
	var head bytes.Buffer
	head.WriteString(magic)
	binary.Write(&head, binary.LittleEndian, uint32(len(hdr)))
	head.Write(hdr)

	raw := make([]byte, 0, 8*(len(t.Mu)+len(t.Sigma)+4*len(t.R)))
	for _, a := range [][]float64{t.Mu, t.Sigma, t.R, t.V, t.TauMu, t.TauSigma} {
		for _, x := range a {
			raw = binary.LittleEndian.AppendUint64(raw, math.Float64bits(x))
		}
	}
	sum := sha256.New()
	sum.Write(head.Bytes())
	sum.Write(raw)

	var out bytes.Buffer
	out.Write(head.Bytes())
	fw, err := flate.NewWriter(&out, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	fw.Write(raw)
	if err := fw.Close(); err != nil {
		return nil, err
	}
	out.Write(sum.Sum(nil))
	return out.Bytes(), nil
}

// WriteFile writes the tables to path atomically (a temporary file renamed into place).
func (t *Tables) WriteFile(path string) error {
	b, err := t.Encode()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// Decode reads tables in the table file format; name is used in error messages.
func Decode(b []byte, name string) (*Tables, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("alntable: %s: %s", name, fmt.Sprintf(format, a...))
	}
	if len(b) < len(magic) || string(b[:7]) != magic[:7] {
		return nil, bad("not a neuromass ALN table file (no %q magic)", magic[:7])
	}
	if b[7] != magic[7] {
		return nil, bad("table file format version %d; this build reads version %d", b[7], magic[7])
	}
	if len(b) < 12+32 {
		return nil, bad("truncated table file (%d bytes)", len(b))
	}
	h := binary.LittleEndian.Uint32(b[8:12])
	if h > maxHeader || int(h) > len(b)-12-32 {
		return nil, bad("truncated or corrupt table file: header of %d bytes in a file of %d", h, len(b))
	}
	head := b[:12+h]
	var hdr fileHeader
	if err := json.Unmarshal(b[12:12+h], &hdr); err != nil {
		return nil, bad("corrupt header: %v", err)
	}
	if hdr.NMu < 2 || hdr.NSigma < 2 || hdr.NMu*hdr.NSigma > maxPoints || hdr.NMu > maxPoints || hdr.NSigma > maxPoints {
		return nil, bad("corrupt header: grid of %d x %d points", hdr.NMu, hdr.NSigma)
	}
	n := hdr.NMu * hdr.NSigma
	want := 8 * (hdr.NMu + hdr.NSigma + 4*n)
	body, tail := b[12+h:len(b)-32], b[len(b)-32:]
	raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(body)), int64(want)+1))
	if err != nil {
		return nil, bad("truncated or corrupt table file: %v", err)
	}
	if len(raw) != want {
		return nil, bad("truncated or corrupt table file: %d bytes of values, want %d", len(raw), want)
	}
	sum := sha256.New()
	sum.Write(head)
	sum.Write(raw)
	if !bytes.Equal(sum.Sum(nil), tail) {
		return nil, bad("checksum mismatch: the file is corrupt")
	}
	f := make([]float64, want/8)
	for i := range f {
		f[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	t := &Tables{Params: hdr.Params, Source: hdr.Source, Command: hdr.Command}
	t.Mu, f = f[:hdr.NMu], f[hdr.NMu:]
	t.Sigma, f = f[:hdr.NSigma], f[hdr.NSigma:]
	t.R, t.V, t.TauMu, t.TauSigma = f[:n], f[n:2*n], f[2*n:3*n], f[3*n:4*n]
	if t.Params != nil && len(t.Params.Freqs) == 0 {
		t.Params.Freqs = DefaultFreqs()
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// errNotTable reports a file of no supported format.
var errNotTable = errors.New("not an ALN table file")
