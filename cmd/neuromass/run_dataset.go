package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/neuromass/neuromass"
	"github.com/neuromass/neuromass/dataset"
)

// The --network values: the built-in connectome (the default without --cmat and --dataset) or
// one node.
const (
	networkDefault = "default"
	networkSingle  = "single"
)

// checkNetworkFlags checks that at most one of --cmat, --dataset and --network gives the network.
func checkNetworkFlags(o *runOptions) error {
	switch o.network {
	case "", networkDefault, networkSingle:
	default:
		return usagef("--network %q: expected default (the built-in connectome) or single (one node)", o.network)
	}
	if o.dataset != "" && o.cmat != "" {
		return fmt.Errorf("--dataset %s and --cmat %s both give the network; give one of them", o.dataset, o.cmat)
	}
	if o.network != "" && (o.dataset != "" || o.cmat != "") {
		return fmt.Errorf("--network %s cannot be used with --cmat or --dataset, which give the network themselves", o.network)
	}
	if o.dataset != "" && o.dmat != "" {
		return fmt.Errorf("--dmat %s cannot be used with --dataset %s, which has its own fibre lengths", o.dmat, o.dataset)
	}
	return nil
}

// networkWithoutCmat puts the network given by --dataset or --network (default: the built-in
// connectome) into cfg and describes it for --verbose.
func networkWithoutCmat(o *runOptions, cfg *neuromass.Config) (string, error) {
	if o.dataset == "" {
		if o.network == networkSingle {
			return "a single node (--network single)", nil
		}
		d := dataset.Default()
		cfg.Cmat, cfg.Dmat = d.Cmat, d.Lengths
		return fmt.Sprintf("%d nodes (the built-in connectome, %g mm/ms)", d.N(), o.speed), nil
	}
	dir, err := datasetDir(o.dataset, o.dataDir)
	if err != nil {
		return "", err
	}
	d, err := dataset.Load(dir, dataset.Options{})
	if err != nil {
		return "", fmt.Errorf("--dataset %s: %w", o.dataset, err)
	}
	cfg.Cmat, cfg.Dmat = d.Cmat, d.Lengths
	return fmt.Sprintf("%d nodes (--dataset %s: %s, mean of %d subjects, %g mm/ms)", d.N(), o.dataset, dir, len(d.Subjects), o.speed), nil
}

// datasetDir resolves --dataset NAME|DIR: an existing folder is used as it is; a name of a
// fetchable dataset is looked up in the data directory (--data-dir or the default one).
func datasetDir(arg, dataDir string) (string, error) {
	if st, err := os.Stat(arg); err == nil && st.IsDir() {
		return arg, nil
	}
	if !slices.Contains(dataset.Fetchable(), arg) {
		return "", fmt.Errorf("--dataset %s: no such folder, and not a dataset name (%s)", arg, strings.Join(dataset.Fetchable(), ", "))
	}
	if dataDir == "" {
		var err error
		if dataDir, err = dataset.DataDir(); err != nil {
			return "", fmt.Errorf("--dataset %s: %w; give --data-dir", arg, err)
		}
	}
	dir := filepath.Join(dataDir, arg)
	if _, err := os.Stat(filepath.Join(dir, "subjects")); err != nil {
		return "", fmt.Errorf("--dataset %s: not in the data directory %s; fetch it with: neuromass data fetch %s --dir %s", arg, dataDir, arg, dataDir)
	}
	return dir, nil
}
