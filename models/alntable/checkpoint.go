package alntable

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"slices"
)

// A checkpoint file makes a grid computation resumable. It holds one JSON line describing the
// computation (parameters and grids), then fixed-size records, one per finished point:
// uint32 i, uint32 j, float64 r_ss, V_mean_ss, tau_mu_exp, tau_sigma_exp, uint32 CRC-32 (IEEE) of
// the 40 bytes before it, little-endian. A record cut short by an interruption is dropped on
// resume (the file is truncated to the last whole, valid record).
const (
	ckMagic  = "NMALNCK1 "
	recBytes = 44
)

type ckHeader struct {
	Params Params    `json:"params"`
	Mu     []float64 `json:"mu"`
	Sigma  []float64 `json:"sigma"`
}

// Checkpoint is an open checkpoint file.
type Checkpoint struct {
	f    *os.File
	w    *bufio.Writer
	T    *Tables // the points so far
	Done []bool  // [i*len(Sigma)+j]: point present
	N    int     // number of points present
}

// OpenCheckpoint opens (resuming) or creates the checkpoint file at path for the computation of p
// on mu x sigma. An existing file for another computation is an error.
func OpenCheckpoint(path string, p Params, mu, sigma []float64) (*Checkpoint, error) {
	hdr, err := json.Marshal(ckHeader{p, mu, sigma})
	if err != nil {
		return nil, err
	}
	line := append([]byte(ckMagic), hdr...)
	line = append(line, '\n')
	c := &Checkpoint{T: NewTables(mu, sigma), Done: make([]bool, len(mu)*len(sigma))}
	pp := p
	c.T.Params = &pp
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	if len(b) == 0 {
		if _, err := f.Write(line); err != nil {
			f.Close()
			return nil, err
		}
	} else {
		nl := bytes.IndexByte(b, '\n')
		if nl < 0 || !bytes.HasPrefix(b, []byte(ckMagic)) {
			f.Close()
			return nil, fmt.Errorf("alntable: %s is not a checkpoint file of this tool; remove it to start afresh", path)
		}
		if !bytes.Equal(b[:nl+1], line) {
			f.Close()
			return nil, fmt.Errorf("alntable: checkpoint %s belongs to a computation with other parameters or grids; remove it to start afresh", path)
		}
		good := nl + 1
		nj := len(sigma)
		for off := nl + 1; off+recBytes <= len(b); off += recBytes {
			r := b[off : off+recBytes]
			if crc32.ChecksumIEEE(r[:40]) != binary.LittleEndian.Uint32(r[40:]) {
				break
			}
			i, j := int(binary.LittleEndian.Uint32(r)), int(binary.LittleEndian.Uint32(r[4:]))
			if i >= len(mu) || j >= nj {
				break
			}
			var v [4]float64
			for q := range v {
				v[q] = math.Float64frombits(binary.LittleEndian.Uint64(r[8+8*q:]))
			}
			c.T.set(i, j, Point{v[0], v[1], v[2], v[3]})
			if !c.Done[i*nj+j] {
				c.Done[i*nj+j] = true
				c.N++
			}
			good = off + recBytes
		}
		if err := f.Truncate(int64(good)); err != nil {
			f.Close()
			return nil, err
		}
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, err
	}
	c.f = f
	c.w = bufio.NewWriter(f)
	return c, nil
}

// Add records a finished point (buffered; Flush writes).
func (c *Checkpoint) Add(i, j int, p Point) error {
	var r [recBytes]byte
	binary.LittleEndian.PutUint32(r[0:], uint32(i))
	binary.LittleEndian.PutUint32(r[4:], uint32(j))
	for q, x := range []float64{p.R, p.V, p.TauMu, p.TauSigma} {
		binary.LittleEndian.PutUint64(r[8+8*q:], math.Float64bits(x))
	}
	binary.LittleEndian.PutUint32(r[40:], crc32.ChecksumIEEE(r[:40]))
	if _, err := c.w.Write(r[:]); err != nil {
		return err
	}
	c.T.set(i, j, p)
	k := i*len(c.T.Sigma) + j
	if !c.Done[k] {
		c.Done[k] = true
		c.N++
	}
	return nil
}

// Flush writes buffered records to the file.
func (c *Checkpoint) Flush() error { return c.w.Flush() }

// Complete reports whether every point is present.
func (c *Checkpoint) Complete() bool { return !slices.Contains(c.Done, false) }

// Close flushes and closes the file.
func (c *Checkpoint) Close() error {
	err := c.w.Flush()
	if e := c.f.Close(); err == nil {
		err = e
	}
	return err
}
