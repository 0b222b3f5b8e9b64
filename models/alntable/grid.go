package alntable

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

// GridOptions control Solver.Grid.
type GridOptions struct {
	Workers int                           // goroutines; <= 0 means GOMAXPROCS
	Skip    func(i, j int) bool           // points already computed (resuming); nil computes all
	Emit    func(i, j int, p Point) error // called for each computed point, from one goroutine at a time
}

// Grid computes the points of the mu x sigma grid in parallel (mu-major order of dispatch).
// It stops at the first error, an error of Emit, or when ctx is done.
func (s *Solver) Grid(ctx context.Context, mu, sigma []float64, opt GridOptions) error {
	if err := ValidateGrid("mu", mu); err != nil {
		return fmt.Errorf("alntable: %w", err)
	}
	if err := ValidateGrid("sigma", sigma); err != nil {
		return fmt.Errorf("alntable: %w", err)
	}
	for j, sg := range sigma {
		if !(sg > 0) {
			return fmt.Errorf("alntable: sigma grid value %d is %v; sigma must be positive", j, sg)
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct{ i, j int }
	type res struct {
		i, j int
		p    Point
		err  error
	}
	jobs := make(chan job)
	results := make(chan res)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := s.newWork()
			for jb := range jobs {
				p, err := s.point(mu[jb.i], sigma[jb.j], w)
				select {
				case results <- res{jb.i, jb.j, p, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range mu {
			for j := range sigma {
				if opt.Skip != nil && opt.Skip(i, j) {
					continue
				}
				select {
				case jobs <- job{i, j}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	var first error
	for r := range results {
		if first != nil {
			continue
		}
		err := r.err
		if err == nil && opt.Emit != nil {
			err = opt.Emit(r.i, r.j, r.p)
		}
		if err != nil {
			first = err
			cancel()
		}
	}
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// Compute computes the whole tables for p on the grid.
func Compute(ctx context.Context, p Params, mu, sigma []float64, workers int) (*Tables, error) {
	s, err := NewSolver(p)
	if err != nil {
		return nil, err
	}
	t := NewTables(mu, sigma)
	pp := p
	t.Params = &pp
	err = s.Grid(ctx, mu, sigma, GridOptions{Workers: workers, Emit: func(i, j int, pt Point) error {
		t.set(i, j, pt)
		return nil
	}})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Tables) set(i, j int, p Point) {
	k := i*len(t.Sigma) + j
	t.R[k], t.V[k], t.TauMu[k], t.TauSigma[k] = p.R, p.V, p.TauMu, p.TauSigma
}
