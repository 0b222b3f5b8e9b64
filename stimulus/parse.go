package stimulus

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// kinds lists Parse's stimuli with their keys (start and end are accepted by the waveforms).
var kinds = map[string][]string{
	"zero":      {},
	"step":      {"size", "start", "end"},
	"sine":      {"amplitude", "frequency", "dc_bias", "start", "end"},
	"square":    {"amplitude", "frequency", "dc_bias", "start", "end"},
	"ramp":      {"max", "length", "start", "end"},
	"exp":       {"max", "coef", "type", "start", "end"},
	"wiener":    {"seed"},
	"ou":        {"mu", "sigma", "tau", "seed"},
	"rectified": {"amplitude"},
}

// Kinds returns the stimulus names Parse knows, sorted, each with its keys: "sine(amplitude,
// frequency, dc_bias, start, end)".
func Kinds() []string {
	var out []string
	for k, keys := range kinds {
		out = append(out, k+"("+strings.Join(keys, ", ")+")")
	}
	sort.Strings(out)
	return out
}

// Parse reads a stimulus written KIND[:KEY=VALUE,...], e.g. "sine:amplitude=0.5,frequency=10",
// "step:size=1,start=500,end=1500", "exp:max=2,coef=30,type=decay", "wiener:seed=42",
// "ou:mu=1,sigma=0.2,tau=5,seed=1", "rectified:amplitude=0.2". Keys are the lower-case names of
// the types' fields (ramp: max, length; dc_bias: true or false); unset keys are zero.
func Parse(s string) (Stimulus, error) {
	kind, rest, _ := strings.Cut(strings.TrimSpace(s), ":")
	kind = strings.ToLower(kind)
	if kind == "sinusoid" {
		kind = "sine"
	}
	keys, ok := kinds[kind]
	if !ok {
		return nil, fmt.Errorf("stimulus %q: unknown kind %q (known: %s)", s, kind, strings.Join(Kinds(), "; "))
	}
	vals := map[string]string{}
	if rest != "" {
		for _, kv := range strings.Split(rest, ",") {
			k, v, ok := strings.Cut(kv, "=")
			k = strings.ToLower(strings.TrimSpace(k))
			if !ok || k == "" {
				return nil, fmt.Errorf("stimulus %q: %q is not KEY=VALUE", s, kv)
			}
			if !contains(keys, k) {
				return nil, fmt.Errorf("stimulus %q: %s has no key %q (it has %s)", s, kind, k, strings.Join(keys, ", "))
			}
			if _, dup := vals[k]; dup {
				return nil, fmt.Errorf("stimulus %q: key %s given twice", s, k)
			}
			vals[k] = strings.TrimSpace(v)
		}
	}
	var err error
	num := func(k string) float64 {
		v, ok := vals[k]
		if !ok || err != nil {
			return 0
		}
		f, e := strconv.ParseFloat(v, 64)
		if e != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			err = fmt.Errorf("stimulus %q: %s = %q, expected a finite number", s, k, v)
		}
		return f
	}
	flag := func(k string) bool {
		v, ok := vals[k]
		if !ok || err != nil {
			return false
		}
		b, e := strconv.ParseBool(v)
		if e != nil {
			err = fmt.Errorf("stimulus %q: %s = %q, expected true or false", s, k, v)
		}
		return b
	}
	seed := func() uint32 {
		v, ok := vals["seed"]
		if !ok || err != nil {
			return 0
		}
		u, e := strconv.ParseUint(v, 10, 32)
		if e != nil {
			err = fmt.Errorf("stimulus %q: seed = %q, expected an integer from 0 to 2^32-1 (NumPy's legacy seeding)", s, v)
		}
		return uint32(u)
	}
	w := Window{Start: num("start"), End: num("end")}
	var st Stimulus
	switch kind {
	case "zero":
		st = Zero{}
	case "step":
		st = Step{Size: num("size"), Window: w}
	case "sine":
		st = Sinusoid{Amplitude: num("amplitude"), Frequency: num("frequency"), DCBias: flag("dc_bias"), Window: w}
	case "square":
		st = Square{Amplitude: num("amplitude"), Frequency: num("frequency"), DCBias: flag("dc_bias"), Window: w}
	case "ramp":
		st = LinearRamp{Max: num("max"), RampLength: num("length"), Window: w}
	case "exp":
		decay := false
		switch t := strings.ToLower(vals["type"]); t {
		case "", "rise":
		case "decay":
			decay = true
		default:
			err = fmt.Errorf("stimulus %q: type = %q, expected rise or decay", s, t)
		}
		st = Exponential{Max: num("max"), Coef: num("coef"), Decay: decay, Window: w}
	case "wiener":
		st = Wiener{Seed: seed()}
	case "ou":
		st = OrnsteinUhlenbeck{Mu: num("mu"), Sigma: num("sigma"), Tau: num("tau"), Seed: seed()}
	case "rectified":
		st = Rectified{Amplitude: num("amplitude")}
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}

func contains(s []string, k string) bool {
	for _, v := range s {
		if v == k {
			return true
		}
	}
	return false
}
