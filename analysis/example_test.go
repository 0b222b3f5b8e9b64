package analysis_test

import (
	"fmt"

	"github.com/neuromass/neuromass/analysis"
)

// The FC of three regions and how well it matches another FC (the upper triangles' correlation).
// By hand: FC[0][1] = 11.5/sqrt(5·26.75) = 0.99438, FC[0][2] = -0.94388, FC[1][2] = -0.90359,
// whose correlation with (0.9, -0.8, -0.7) is 0.99941.
func ExampleMatrixCorrelation() {
	ts := [][]float64{{1, 2, 3, 4}, {2, 4, 6, 9}, {4, 3, 2, 2}}
	fc, err := analysis.FC(ts)
	if err != nil {
		panic(err)
	}
	empirical := [][]float64{{1, 0.9, -0.8}, {0.9, 1, -0.7}, {-0.8, -0.7, 1}}
	r, err := analysis.MatrixCorrelation(fc, empirical)
	if err != nil {
		panic(err)
	}
	fmt.Printf("FC[0][1] = %.3f, fit = %.3f\n", fc[0][1], r)
	// Output: FC[0][1] = 0.994, fit = 0.999
}
