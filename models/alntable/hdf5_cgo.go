//go:build cgo

package alntable

import (
	"errors"
	"fmt"

	"gonum.org/v1/hdf5"
)

// loadHDF5 reads neurolib's quantities_cascade.h5 (models.md 4.1): the datasets mu_vals,
// sigma_vals, r_ss, V_mean_ss, tau_mu_exp, tau_sigma_exp (float64), and the neuron parameters
// under /params when they are there.
func loadHDF5(path string) (*Tables, error) {
	f, err := hdf5.OpenFile(path, hdf5.F_ACC_RDONLY)
	if err != nil {
		return nil, fmt.Errorf("alntable: %s: cannot open as HDF5: %v", path, err)
	}
	defer f.Close()
	read := func(name string) ([]float64, []int, error) {
		ds, err := f.OpenDataset(name)
		if err != nil {
			return nil, nil, nil // missing
		}
		defer ds.Close()
		dt, err := ds.Datatype()
		if err != nil {
			return nil, nil, err
		}
		ok := dt.Equal(hdf5.T_NATIVE_DOUBLE)
		dt.Close()
		if !ok {
			return nil, nil, errors.New("not a float64 (native double) dataset")
		}
		sp := ds.Space()
		if sp == nil {
			return nil, nil, errors.New("no dataspace")
		}
		defer sp.Close()
		dims, _, err := sp.SimpleExtentDims()
		if err != nil {
			return nil, nil, err
		}
		n := 1
		shape := make([]int, len(dims))
		for i, d := range dims {
			if d > maxPoints {
				return nil, nil, fmt.Errorf("dimension %d too large", d)
			}
			shape[i] = int(d)
			n *= int(d)
		}
		if n > maxPoints {
			return nil, nil, fmt.Errorf("%d values: too large", n)
		}
		v := make([]float64, n)
		if n > 0 {
			if err := ds.Read(&v); err != nil {
				return nil, nil, err
			}
		}
		return v, shape, nil
	}
	t, err := fromArrays(path, "HDF5", func(name string) ([]float64, []int, error) {
		if name != tableKeys[1][0] && name != tableKeys[0][0] {
			return read(name)
		}
		if name == tableKeys[0][0] { // neurolib's npz names are not HDF5 dataset names
			return nil, nil, nil
		}
		return read(name)
	})
	if err != nil {
		return nil, err
	}
	// the generator's parameters, when present
	p := NeurolibParams()
	found := 0
	for _, x := range []struct {
		name string
		dst  *float64
	}{{"C", &p.C}, {"gL", &p.GL}, {"EL", &p.EL}, {"deltaT", &p.DeltaT}, {"VT", &p.VT}, {"Vcut", &p.Vs},
		{"Vr", &p.Vr}, {"Vlb", &p.Vlb}, {"t_ref", &p.Tref}, {"d_mu", &p.DMu}, {"d_sigma", &p.DSigma}} {
		if v, _, err := read("params/" + x.name); err == nil && len(v) == 1 {
			*x.dst = v[0]
			found++
		}
	}
	if fr, _, err := read("freq_vals"); err == nil && len(fr) > 0 {
		p.Freqs = fr
	}
	if found > 0 && p.Validate() == nil {
		t.Params = &p
	}
	return t, nil
}
