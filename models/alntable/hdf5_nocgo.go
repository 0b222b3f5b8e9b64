//go:build !cgo

package alntable

import "fmt"

// loadHDF5 needs the HDF5 C library, which this build (without cgo) lacks.
func loadHDF5(path string) (*Tables, error) {
	return nil, fmt.Errorf("alntable: %s is an HDF5 file: HDF5 support needs cgo (build with CGO_ENABLED=1 and libhdf5), or convert it to .npz or neuromass's .alnt", path)
}
