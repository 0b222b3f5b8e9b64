package dataset

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// readTable reads rows of numbers separated by commas, semicolons, tabs or spaces. Blank lines
// and lines starting with '#' are skipped.
func readTable(r io.Reader) ([][]float64, error) {
	var rows [][]float64
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.FieldsFunc(text, func(c rune) bool {
			return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\r'
		})
		row := make([]float64, len(fields))
		for k, f := range fields {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return nil, fmt.Errorf("line %d, value %d: %q is not a number", line, k+1, f)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("line %d, value %d is %v; every value must be finite", line, k+1, v)
			}
			row[k] = v
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	return rows, nil
}

// ReadCSV reads an N x N matrix of numbers separated by commas (or semicolons, tabs, spaces), one
// row a line; blank lines and lines starting with '#' are skipped. Every value must be finite.
func ReadCSV(r io.Reader) ([][]float64, error) {
	rows, err := readTable(r)
	if err != nil {
		return nil, err
	}
	return rows, checkSquare(rows)
}

// checkSquare returns an error unless m is N x N with N >= 1.
func checkSquare(m [][]float64) error {
	if len(m) == 0 {
		return errors.New("no values; expected an N x N matrix")
	}
	for i, row := range m {
		if len(row) != len(m) {
			return fmt.Errorf("row %d has %d values but there are %d rows; expected an N x N matrix", i+1, len(row), len(m))
		}
	}
	return nil
}

var (
	npyDescr   = regexp.MustCompile(`'descr':\s*'([^']*)'`)
	npyFortran = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
	npyShape   = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
)

// ReadNPY reads a 2-D array from a NumPy .npy stream (format 1, 2 or 3; C or Fortran order;
// float64, float32 or integers of either byte order) as rows. Every value must be finite.
func ReadNPY(r io.Reader) ([][]float64, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil || string(pre[:6]) != "\x93NUMPY" {
		return nil, errors.New("not a NumPy .npy file (no \\x93NUMPY magic)")
	}
	var hlen int
	switch pre[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, errors.New("cut off in the .npy header")
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, errors.New("cut off in the .npy header")
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
	default:
		return nil, fmt.Errorf(".npy format version %d.%d; versions 1 to 3 are read", pre[6], pre[7])
	}
	if hlen > 1<<20 {
		return nil, fmt.Errorf("a .npy header of %d bytes; numpy writes well under 1 MiB", hlen)
	}
	hb, err := readN(r, uint32(hlen))
	if err != nil {
		return nil, fmt.Errorf("cut off in the .npy header: %w", err)
	}
	h := string(hb)
	d, fo, sh := npyDescr.FindStringSubmatch(h), npyFortran.FindStringSubmatch(h), npyShape.FindStringSubmatch(h)
	if d == nil || fo == nil || sh == nil {
		return nil, fmt.Errorf("malformed .npy header %q", strings.TrimSpace(h))
	}
	var shape []int
	for _, s := range strings.Split(sh[1], ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		k, err := strconv.Atoi(s)
		if err != nil || k < 0 {
			return nil, fmt.Errorf("bad shape in .npy header %q", strings.TrimSpace(h))
		}
		shape = append(shape, k)
	}
	if len(shape) != 2 {
		return nil, fmt.Errorf("the array has %d dimensions %v; expected a 2-D matrix", len(shape), shape)
	}
	rows, cols := shape[0], shape[1]
	descr := d[1]
	if len(descr) != 3 {
		return nil, fmt.Errorf("values of type %s; expected float64, float32 or integers", descr)
	}
	var order binary.ByteOrder = binary.LittleEndian
	if descr[0] == '>' {
		order = binary.BigEndian
	}
	kind, size := descr[1], int(descr[2]-'0')
	if !(kind == 'f' && (size == 4 || size == 8) || (kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)) {
		return nil, fmt.Errorf("values of type %s; expected float64, float32 or integers", descr)
	}
	if rows > 0 && cols > math.MaxInt32/size/rows {
		return nil, fmt.Errorf("a %d x %d array is too large", rows, cols)
	}
	raw, err := readN(r, uint32(rows*cols*size))
	if err != nil {
		return nil, fmt.Errorf("cannot read the %d x %d values: %w", rows, cols, err)
	}
	out := make([][]float64, rows)
	for i := range out {
		out[i] = make([]float64, cols)
		for j := range out[i] {
			k := i*cols + j
			if fo[1] == "True" {
				k = j*rows + i
			}
			v := npyValue(raw[k*size:], kind, size, order)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("entry [%d][%d] is %v; every entry must be finite", i, j, v)
			}
			out[i][j] = v
		}
	}
	return out, nil
}

func npyValue(b []byte, kind byte, size int, o binary.ByteOrder) float64 {
	switch {
	case kind == 'f' && size == 8:
		return math.Float64frombits(o.Uint64(b))
	case kind == 'f':
		return float64(math.Float32frombits(o.Uint32(b)))
	case size == 1 && kind == 'i':
		return float64(int8(b[0]))
	case size == 1:
		return float64(b[0])
	case size == 2 && kind == 'i':
		return float64(int16(o.Uint16(b)))
	case size == 2:
		return float64(o.Uint16(b))
	case size == 4 && kind == 'i':
		return float64(int32(o.Uint32(b)))
	case size == 4:
		return float64(o.Uint32(b))
	case kind == 'i':
		return float64(int64(o.Uint64(b)))
	}
	return float64(o.Uint64(b))
}

// ReadTVBZip reads a The Virtual Brain connectivity zip from r (size bytes): weights.txt (N x N,
// required), tract_lengths.txt (N x N, mm; without it the lengths are the Euclidean distances
// between the centres, as TVB does, or absent without centres) and centres.txt (one "label x y z"
// line per region, optional). The files may lie in a folder inside the zip. TVB's weights[i][j]
// is the input to region i from region j, the [to][from] orientation of Dataset.Cmat.
func ReadTVBZip(r io.ReaderAt, size int64, name string) (*Dataset, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%s: not a zip file: %w", name, err)
	}
	files := map[string]*zip.File{}
	for _, f := range z.File {
		base := path.Base(f.Name)
		if strings.HasPrefix(base, ".") || strings.HasSuffix(f.Name, "/") {
			continue
		}
		if _, dup := files[base]; dup {
			return nil, fmt.Errorf("%s: two files named %s", name, base)
		}
		files[base] = f
	}
	open := func(base string) (io.ReadCloser, error) {
		f := files[base]
		if f == nil {
			return nil, nil
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, f.Name, err)
		}
		return rc, nil
	}
	matrix := func(base string) ([][]float64, error) {
		rc, err := open(base)
		if rc == nil || err != nil {
			return nil, err
		}
		defer rc.Close()
		m, err := ReadCSV(rc)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, base, err)
		}
		return m, nil
	}
	d := &Dataset{Name: strings.TrimSuffix(path.Base(name), ".zip")}
	if d.Cmat, err = matrix("weights.txt"); err != nil {
		return nil, err
	}
	if d.Cmat == nil {
		return nil, fmt.Errorf("%s: no weights.txt in the zip; a TVB connectivity zip holds weights.txt, tract_lengths.txt and centres.txt", name)
	}
	n := len(d.Cmat)
	if d.Lengths, err = matrix("tract_lengths.txt"); err != nil {
		return nil, err
	}
	if d.Lengths != nil && len(d.Lengths) != n {
		return nil, fmt.Errorf("%s: tract_lengths.txt is %d x %d but weights.txt is %d x %d; they must have the same shape", name, len(d.Lengths), len(d.Lengths), n, n)
	}
	if i, j, ok := findNegative(d.Lengths); ok {
		return nil, fmt.Errorf("%s: tract_lengths.txt [%d][%d] = %g is negative", name, i, j, d.Lengths[i][j])
	}
	rc, err := open("centres.txt")
	if err != nil {
		return nil, err
	}
	if rc != nil {
		defer rc.Close()
		if d.Labels, d.Centres, err = readCentres(rc, n); err != nil {
			return nil, fmt.Errorf("%s: centres.txt: %w", name, err)
		}
		if d.Lengths == nil {
			d.Lengths = distances(d.Centres, 1)
		}
	}
	return d, nil
}

// readCentres reads n lines "label x y z".
func readCentres(r io.Reader, n int) ([]string, [][3]float64, error) {
	var labels []string
	var centres [][3]float64
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(strings.ReplaceAll(sc.Text(), ",", " "))
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if len(f) != 4 {
			return nil, nil, fmt.Errorf("line %d has %d fields; expected \"label x y z\"", line, len(f))
		}
		var c [3]float64
		for k := range 3 {
			v, err := strconv.ParseFloat(f[k+1], 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, fmt.Errorf("line %d: coordinate %q is not a finite number", line, f[k+1])
			}
			c[k] = v
		}
		labels = append(labels, f[0])
		centres = append(centres, c)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	if len(centres) != n {
		return nil, nil, fmt.Errorf("%d regions, but weights.txt has %d", len(centres), n)
	}
	return labels, centres, nil
}

// distances returns factor times the Euclidean distances between the centres.
func distances(c [][3]float64, factor float64) [][]float64 {
	out := make([][]float64, len(c))
	for i := range out {
		out[i] = make([]float64, len(c))
		for j := range out[i] {
			dx, dy, dz := c[i][0]-c[j][0], c[i][1]-c[j][1], c[i][2]-c[j][2]
			out[i][j] = factor * math.Sqrt(dx*dx+dy*dy+dz*dz)
		}
	}
	return out
}

// ReadMatrixFile reads an N x N matrix from a file: NumPy .npy (ReadNPY), or text (ReadCSV) when
// the name ends in .csv or .txt. Every value must be finite and N at least 1. Errors name the file.
//
// The .npy reader is this package's own rather than npyio's: npyio panics on some malformed
// headers and allocates what a header claims before reading it, so every caller had to guard it;
// ReadNPY is fuzzed (FuzzReadNPY) and reads big-endian files too.
func ReadMatrixFile(name string) ([][]float64, error) {
	f, err := os.Open(name)
	if err != nil {
		why := err
		var pe *fs.PathError
		if errors.As(err, &pe) {
			why = pe.Err
		}
		return nil, fmt.Errorf("%s: cannot read the file: %v", name, why)
	}
	defer f.Close()
	var m [][]float64
	switch strings.ToLower(path.Ext(name)) {
	case ".csv", ".txt":
		m, err = ReadCSV(bufio.NewReader(f))
	default:
		if m, err = ReadNPY(bufio.NewReader(f)); err == nil && len(m) > 0 && len(m[0]) != len(m) {
			err = fmt.Errorf("the matrix is %d x %d, not square; expected N x N", len(m), len(m[0]))
		} else if err == nil {
			err = checkSquare(m)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}
