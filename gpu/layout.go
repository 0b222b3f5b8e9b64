package gpu

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/neuromass/neuromass/engine"
	"github.com/neuromass/neuromass/engine/eqn"
	"github.com/neuromass/neuromass/shaders"
)

// Limits are the device limits the layout respects (queried from GL; tests set them to force the
// other paths).
type Limits struct {
	MaxBlock       int64 // MAX_SHADER_STORAGE_BLOCK_SIZE, bytes
	MaxShared      int   // MAX_COMPUTE_SHARED_MEMORY_SIZE, bytes
	MaxInvocations int   // MAX_COMPUTE_WORK_GROUP_INVOCATIONS
	MaxGroupsX     int   // MAX_COMPUTE_WORK_GROUP_COUNT[0]
	MaxBlocks      int   // MAX_COMPUTE_SHADER_STORAGE_BLOCKS
}

// bindings is the number of storage blocks integrate.comp declares.
const bindings = 6

// layout is how one ensemble is placed on the device: the parts its members are split into (each
// with its own buffers, every buffer within MaxBlock), the workgroup shape, and where every value
// lives in the buffers. It is pure arithmetic on the plan: no GL.
type layout struct {
	N, E     int // nodes, members of the whole ensemble
	B        int // members per workgroup
	WG       int // invocations per workgroup
	S        int // ring slots of a state read with a delay: the history length + 1
	Ecap     int // members per part (the buffers' member stride, a multiple of B)
	parts    int
	shared   bool  // rings in shared memory
	exact    bool  // IEEE division and square root (Options.ExactDivSqrt)
	hid      []int // per state: its history index, or -1
	nh       int
	soff     []int // per state: offset of its values in the state buffer (floats)
	stateLen int   // floats of a part's state buffer
	boff     int   // offset of the BOLD state (x, f, q, v: [var][node][member]) in it, when Plan.Bold is set

	// the constant buffers of a part
	poff, pnode     []int // per parameter: offset in g_f; 1 when it has a value per node
	conn            int   // C[i][j] in g_f
	toff, tcols     []int // tables in g_f
	fLen            int
	lag, ldel, seed int // offsets in g_i
	iLen            int
}

// memberBlock is the number of members per workgroup for an ensemble of E: up to 32 (one warp of
// neighbouring members reading one node's history), fewer for small ensembles so that there are
// enough workgroups to fill a GPU (128 at least when E allows).
func memberBlock(E int) int {
	b := 1
	for b < 32 && b*2*128 <= E {
		b *= 2
	}
	return b
}

// planLayout places the plan on a device with the given limits. forceB > 0 fixes the members per
// workgroup; shared: 1 forces the rings into shared memory (an error when they do not fit), -1 keeps
// them in storage buffers, 0 decides by size.
func planLayout(p *engine.Plan, lim Limits, forceB, shared int) (*layout, error) {
	m := p.Model
	N, E := p.N, p.E
	if N < 1 || E < 1 {
		return nil, fmt.Errorf("gpu: %d nodes and %d members, expected at least 1 of each", N, E)
	}
	if N >= 1<<24 {
		return nil, fmt.Errorf("gpu: %d nodes, at most 2^24-1 (the noise counter's node field)", N)
	}
	if lim.MaxBlocks > 0 && lim.MaxBlocks < bindings {
		return nil, fmt.Errorf("gpu: the device offers %d storage blocks to a compute shader, the integration loop needs %d", lim.MaxBlocks, bindings)
	}
	l := &layout{N: N, E: E, S: p.HistoryColumns() + 1}
	l.hid = make([]int, len(m.States))
	for k, s := range m.States {
		l.hid[k] = -1
		if s.History {
			l.hid[k] = l.nh
			l.nh++
		}
	}
	l.B = memberBlock(E)
	if forceB > 0 {
		l.B = forceB
	}
	l.B = min(l.B, E)
	// shared memory: the rings of one workgroup's members (and the flag word)
	fits := func(b int) bool {
		return int64(l.nh)*int64(l.S)*int64(N)*int64(b)*4+64 <= int64(lim.MaxShared)
	}
	switch {
	case shared > 0:
		if l.nh == 0 {
			return nil, fmt.Errorf("gpu: the model has no delayed state to keep in shared memory")
		}
		for l.B > 1 && !fits(l.B) {
			l.B /= 2
		}
		if !fits(l.B) {
			return nil, fmt.Errorf("gpu: the delay history of one simulation (%d states x %d slots x %d nodes x 4 bytes) does not fit the %d bytes of shared memory",
				l.nh, l.S, N, lim.MaxShared)
		}
		l.shared = true
	case shared == 0 && l.nh > 0 && fits(l.B):
		l.shared = true
	}
	l.WG = min(256, max(32, (N*l.B+31)/32*32))
	if lim.MaxInvocations > 0 {
		l.WG = min(l.WG, lim.MaxInvocations)
	}
	// the state buffer of one member, and the part size under MaxBlock
	perMember := int64(0)
	for k := range m.States {
		slots := int64(1)
		if l.hid[k] >= 0 {
			slots = int64(l.S)
		}
		perMember += slots * int64(N) * 4
	}
	if p.Bold != nil {
		perMember += 4 * int64(N) * 4
	}
	maxBlock := min(lim.MaxBlock, math.MaxInt32)
	if perMember > maxBlock {
		return nil, fmt.Errorf("gpu: the state and delay history of one simulation need %d bytes (%d nodes, %d history slots), more than one storage block holds on this device (%d bytes)",
			perMember, N, l.S, maxBlock)
	}
	fixed := int64(len(m.Params)) * int64(N) * 4 // the largest per-member constants, per member
	per := max(perMember, fixed+int64(2*4+4*len(m.Delays)))
	ecap := int(min(int64(E), maxBlock/per))
	if ecap >= l.B {
		ecap = ecap / l.B * l.B
	} else {
		l.B = max(1, ecap)
	}
	l.Ecap = ecap
	l.parts = (E + ecap - 1) / ecap
	// state offsets
	off := 0
	l.soff = make([]int, len(m.States))
	for k := range m.States {
		l.soff[k] = off
		slots := 1
		if l.hid[k] >= 0 {
			slots = l.S
		}
		off += slots * N * ecap
	}
	if p.Bold != nil {
		l.boff = off
		off += 4 * N * ecap
	}
	l.stateLen = off
	// constants
	l.conn = 0
	f := N * N
	l.poff = make([]int, len(m.Params))
	l.pnode = make([]int, len(m.Params))
	for k := range m.Params {
		l.poff[k] = f
		if len(p.Params[k]) == N*E && N > 1 {
			l.pnode[k] = 1
			f += N * ecap
		} else {
			f += ecap
		}
	}
	l.toff = make([]int, len(m.Tables))
	l.tcols = make([]int, len(m.Tables))
	for t := range m.Tables {
		if t >= len(p.Tables) || p.Tables[t] == nil {
			return nil, fmt.Errorf("gpu: table %s is missing from the plan", m.Tables[t].Name)
		}
		td := p.Tables[t]
		l.toff[t] = f
		l.tcols[t] = td.Col.N
		f += len(td.V)
	}
	l.fLen = f
	if int64(f)*4 > maxBlock {
		return nil, fmt.Errorf("gpu: weights, parameters and tables need %d bytes, more than one storage block holds on this device (%d bytes)", int64(f)*4, maxBlock)
	}
	l.lag = 0
	l.ldel = N * N
	l.seed = l.ldel + len(m.Delays)*ecap
	l.iLen = l.seed + 2*ecap
	return l, nil
}

// groups is the number of workgroups of one part.
func (l *layout) groups() int { return (l.Ecap + l.B - 1) / l.B }

// partRange returns the members [m0, m1) of part i.
func (l *layout) partRange(i int) (int, int) {
	return i * l.Ecap, min(l.E, (i+1)*l.Ecap)
}

// glslFloat writes a float32 exactly: the shortest decimal that reads back as f, or its bits.
func glslFloat(f float32) string {
	if math.IsInf(float64(f), 0) || f != f || f == 0 && math.Signbit(float64(f)) {
		return fmt.Sprintf("uintBitsToFloat(0x%08xu)", math.Float32bits(f))
	}
	s := strconv.FormatFloat(float64(f), 'g', -1, 32)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	if strings.HasPrefix(s, "-") {
		s = "(" + s + ")"
	}
	return s
}

func intArray(name string, v []int) string {
	if len(v) == 0 {
		v = []int{0}
	}
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.Itoa(x)
	}
	return fmt.Sprintf("const int %s[%d] = int[%d](%s);\n", name, len(v), len(v), strings.Join(parts, ", "))
}

func floatArray(name string, v []float32) string {
	if len(v) == 0 {
		v = []float32{0}
	}
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = glslFloat(x)
	}
	return fmt.Sprintf("const float %s[%d] = float[%d](%s);\n", name, len(v), len(v), strings.Join(parts, ", "))
}

// source assembles the compute shader of a layout: #version, the defines and const tables of the
// layout, Philox, and the template with the model fragment spliced in.
func (l *layout) source(p *engine.Plan, frag string) (string, error) {
	if !strings.Contains(shaders.Integrate, shaders.ModelMarker) {
		return "", fmt.Errorf("gpu: the integration template has no model marker")
	}
	m := p.Model
	var b strings.Builder
	b.WriteString("#version 430\n")
	fmt.Fprintf(&b, "// neuromass GPU integration loop: model %s, %d nodes, %d members per part, %d per workgroup\n", m.Name, l.N, l.Ecap, l.B)
	def := func(name string, v any) { fmt.Fprintf(&b, "#define %s %v\n", name, v) }
	def("T_WG", l.WG)
	def("NM_REAL", "float")
	def("NM_NODES", l.N)
	def("NM_N", "float(NM_NODES)")
	def("NM_DT", glslFloat(float32(p.Dt)))
	def("T_B", l.B)
	def("T_E", l.Ecap)
	def("T_S", l.S)
	def("T_NS", len(m.States))
	def("T_NH", max(l.nh, 1))
	def("T_HIST_SHARED", map[bool]int{false: 0, true: 1}[l.shared])
	def("T_NREC", len(p.Record))
	def("T_NNOISE_LEN", max(len(m.Noises), 1))
	def("T_NINPUTS_LEN", max(len(m.Inputs), 1))
	def("T_CONN", l.conn)
	def("T_LAG", l.lag)
	def("T_LDEL", l.ldel)
	def("T_SEED", l.seed)
	l.boldDefines(p, def)
	b.WriteString(intArray("T_SOFF", l.soff))
	b.WriteString(intArray("T_HID", l.hid))
	b.WriteString(intArray("T_POFF", l.poff))
	b.WriteString(intArray("T_PNODE", l.pnode))
	ds := make([]int, len(m.Delays))
	for k, d := range m.Delays {
		ds[k] = d.State
	}
	b.WriteString(intArray("T_DSTATE", ds))
	b.WriteString(intArray("T_TOFF", l.toff))
	b.WriteString(intArray("T_TCOLS", l.tcols))
	var axf, axs, axl []float32
	var axn []int
	for t := range m.Tables {
		td := p.Tables[t]
		axf = append(axf, float32(td.Row.First), float32(td.Col.First))
		axs = append(axs, float32(td.Row.Step), float32(td.Col.Step))
		axl = append(axl, float32(td.Last[0]), float32(td.Last[1]))
		axn = append(axn, td.Row.N, td.Col.N)
	}
	b.WriteString(floatArray("T_AXF", axf))
	b.WriteString(floatArray("T_AXS", axs))
	b.WriteString(floatArray("T_AXL", axl))
	b.WriteString(intArray("T_AXN", axn))
	b.WriteString(intArray("T_REC", p.Record))
	b.WriteString("\n")
	if l.exact {
		b.WriteString("#define NM_EXACT_DIVSQRT 1\n")
	}
	b.WriteString(eqn.GLSLFloatOps)
	b.WriteString(shaders.Philox)
	b.WriteString("\n")
	b.WriteString(strings.Replace(shaders.Integrate, shaders.ModelMarker, frag, 1))
	return b.String(), nil
}

// boldDefines writes T_BOLD and, when the plan asks for BOLD, bold.Stepper32's constants (the
// same float32 roundings of the resolved parameters) and where the BOLD input comes from.
func (l *layout) boldDefines(p *engine.Plan, def func(string, any)) {
	if p.Bold == nil {
		def("T_BOLD", 0)
		return
	}
	b, r := p.Bold, p.Bold.Params
	def("T_BOLD", 1)
	def("T_BOFF", l.boff)
	out := -1 // the model's bold expression
	if p.Model.Bold == eqn.NoID {
		out = b.Output
	}
	def("T_BOLD_OUT", out)
	for _, c := range []struct {
		name string
		v    float64
	}{
		{"H", b.H}, {"HTAU", b.H / r.Tau}, {"KAPPA", r.Kappa}, {"GAMMA", r.Gamma}, {"INVRHO", 1 / r.Rho},
		{"INVALPHA", 1 / r.Alpha}, {"INVALPHAM1", 1/r.Alpha - 1}, {"ONEMINUSRHO", 1 - r.Rho},
		{"V0", r.V0}, {"K1", r.K1}, {"K2", r.K2}, {"K3", r.K3},
	} {
		def("T_BOLD_"+c.name, glslFloat(float32(c.v)))
	}
}
