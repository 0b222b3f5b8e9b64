//go:build !cgo

package store

import "errors"

// errNoHDF5 is what the HDF5 functions return in a build without cgo, which cannot link libhdf5.
var errNoHDF5 = errors.New("HDF5 needs cgo and libhdf5 (this neuromass was built with CGO_ENABLED=0): write .npz instead")

func writeHDF5(string, *File) error  { return errNoHDF5 }
func readHDF5(string) (*File, error) { return nil, errNoHDF5 }

func hdf5Available() error { return errNoHDF5 }
