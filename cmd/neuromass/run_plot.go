package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/store"
)

// The --plot DIR flag of run: after the run, pictures of the result go to DIR (plot.go draws
// them): timeseries.png (the model's first output) and spectrum.png, bold.png with --bold, and
// fc.png when the network came from a dataset with fMRI data (--dataset), the simulated FC
// beside the dataset's.

const runPlotHelp = "after the run, draw timeseries.png, spectrum.png (and bold.png with --bold, fc.png with a --dataset that has fMRI data) into this folder"

// prepareRunPlot creates --plot DIR before the simulation, so that a folder that cannot be
// made or written fails at once rather than after a long run.
func prepareRunPlot(o *runOptions) error {
	if o.plotDir == "" {
		return nil
	}
	return makePlotDir("--plot", o.plotDir)
}

// writeRunPlots draws the result's pictures into --plot DIR.
func writeRunPlots(cmd *cobra.Command, g *globalOptions, o *runOptions, res *engine.Result) error {
	if o.plotDir == "" {
		return nil
	}
	f, err := store.FromResult(res, store.Meta{})
	if err != nil {
		return fmt.Errorf("--plot %s: %w", o.plotDir, err)
	}
	req := resultPlots{dir: o.plotDir, ext: ".png"}
	if o.dataset != "" {
		if req.emp, err = loadEmpiricalFC(o.dataset, o.dataDir); err != nil {
			return fmt.Errorf("--plot %s: %w", o.plotDir, err)
		}
		if req.emp == nil && g.verbose {
			fmt.Fprintf(cmd.ErrOrStderr(), "run: --plot: no fc.png: --dataset %s has no fMRI data\n", o.dataset)
		}
	}
	if err := reportPlots(cmd, g, "run --plot", req.draw(f)); err != nil {
		return fmt.Errorf("--plot %s: %w", o.plotDir, err)
	}
	return nil
}
