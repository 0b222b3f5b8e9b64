// neuromass integration loop (package shaders). Package gpu puts before this file: #version 430,
// the #defines and const tables that fix one ensemble part (below), and philox.glsl; it replaces the
// marker line with the model's GLSL fragment (engine/eqn, Model.GLSL).
//
// One workgroup integrates whole simulations: T_B members of every node, NM_NODES * T_B lanes,
// spread over T_WG invocations (an invocation takes lanes lid, lid + T_WG, ...; a lane is (node,
// member), member fastest, so neighbouring invocations read neighbouring members of one node and
// the coupling weights and delays of a lane are uniform across them). Members never read each
// other, so a workgroup needs nobody outside it, and the time loop runs inside the shader:
// u_steps steps per dispatch with barrier() between steps.
//
// State layout in g_state, per state k from T_SOFF[k]: a ring of T_S slots for a state read with a
// delay (T_HID[k] >= 0), [slot][node][member of the part]; one slot for the others. The slot of the
// current values is col; a step writes the new values into col + 1 (mod T_S), which no read of the
// step touches (reads go back at most T_S - 2 slots), then col moves on. With T_HIST_SHARED the
// rings of the workgroup's members live in shared memory during the dispatch (copied in at the start
// and out at the end): [history state][slot][node][member of the workgroup].
//
// Defines from package gpu: T_WG, NM_NODES, T_B, T_E (members in this part's buffers), T_S, T_NS,
// T_NH (states with history), T_HIST_SHARED, T_NREC, NM_DT, NM_N, T_CONN, T_LAG, T_SEED (offsets
// into g_f and g_i), and const arrays T_SOFF, T_HID, T_POFF, T_PNODE, T_DSTATE, T_TOFF, T_TCOLS,
// T_AXF, T_AXS, T_AXL, T_AXN, T_REC.

layout(local_size_x = T_WG) in;

layout(std430, binding = 0) coherent buffer TState { float g_state[]; };
layout(std430, binding = 1) restrict readonly buffer TConstF { float g_f[]; }; // weights, params, tables
layout(std430, binding = 2) restrict readonly buffer TConstI { int g_i[]; };   // delays, local delays, seeds
layout(std430, binding = 3) restrict readonly buffer TInputs { float g_in[]; };
layout(std430, binding = 4) restrict writeonly buffer TOut { float g_out[]; }; // [rec][sample][node][member]
layout(std430, binding = 5) coherent buffer TBad { uint g_bad[]; };            // [member]: key, value bits

uniform int u_steps;   // steps of this dispatch
uniform int u_col0;    // slot of the current values at the start
uniform int u_group0;  // workgroup offset (dispatches split under MAX_COMPUTE_WORK_GROUP_COUNT)
uniform int u_k0;      // index of this dispatch's first step within the integration call
uniform int u_first;   // the call records after steps u_first, u_first + u_every, ...
uniform int u_every;
uniform int u_s0;      // index (within the call) of the first sample this dispatch writes
uniform int u_samp;    // samples the output buffer holds
uniform uvec2 u_step;  // global step of this dispatch's first step (noise counter), low and high word
uniform uint u_member0; // global index of this part's first member (noise key)
uniform int u_members;  // members of this part (the buffers hold T_E)
uniform int u_check;   // record the first non-finite state of each member
uniform int u_noiseon[T_NNOISE_LEN];
uniform int u_inoff[T_NINPUTS_LEN];  // offset of each input in g_in
uniform int u_instep[T_NINPUTS_LEN]; // 1: [node][step] values; 0: one constant value
uniform int u_inT;                   // steps of g_in's windows
uniform int u_bevery;  // BOLD (T_BOLD): advance every step when > 0, sample after steps u_bfirst + n u_bevery
uniform int u_bfirst;
uniform int u_bs0;     // index (within the call) of the first BOLD sample this dispatch writes
uniform int u_boff;    // offset of the BOLD samples in g_out: [sample][node][member]

#if T_HIST_SHARED
shared float t_hist[T_NH * T_S * NM_NODES * T_B];
#endif
shared int t_flag;

// this lane
int tl_node, tl_bm, tl_pm, tl_col, tl_s;

int t_slot(int x) { return (x < 0) ? x + T_S : x; }

#if T_HIST_SHARED
#define T_HIST(k, slot, node) t_hist[((T_HID[k] * T_S + (slot)) * NM_NODES + (node)) * T_B + tl_bm]
#else
#define T_HIST(k, slot, node) g_state[T_SOFF[k] + ((slot) * NM_NODES + (node)) * T_E + tl_pm]
#endif
#define T_FLAT(k) g_state[T_SOFF[k] + tl_node * T_E + tl_pm]

#define NM_STATE(k) ((T_HID[k] >= 0) ? T_HIST(k, tl_col, tl_node) : T_FLAT(k))
#define NM_PARAM(k) g_f[T_POFF[k] + T_PNODE[k] * tl_node * T_E + tl_pm]
#define NM_CONN(j) g_f[T_CONN + tl_node * NM_NODES + (j)]
#define NM_REMOTE(k, j) T_HIST(k, t_slot(tl_col - g_i[T_LAG + tl_node * NM_NODES + (j)]), (j))
#define NM_DELAYED(k) T_HIST(T_DSTATE[k], t_slot(tl_col - g_i[T_LDEL + (k) * T_E + tl_pm]), tl_node)
#define NM_INPUT(k) g_in[u_inoff[k] + (tl_node * u_inT + tl_s) * u_instep[k]]
#define NM_NOISE(k) t_noise(k)
#define NM_TABLE(t, r, c) g_f[T_TOFF[t] + (r) * T_TCOLS[t] + (c)]
#define NM_AXIS_FIRST(t, a) T_AXF[2 * (t) + (a)]
#define NM_AXIS_STEP(t, a) T_AXS[2 * (t) + (a)]
#define NM_AXIS_LAST(t, a) T_AXL[2 * (t) + (a)]
#define NM_AXIS_N(t, a) T_AXN[2 * (t) + (a)]

float t_noise(int k) {
	if (u_noiseon[k] == 0) return 0.0;
	uint lo = u_step.x + uint(tl_s);
	uint hi = u_step.y + ((lo < u_step.x) ? 1u : 0u);
	uint m = u_member0 + uint(tl_pm);
	uvec2 seed = uvec2(uint(g_i[T_SEED + 2 * tl_pm]), uint(g_i[T_SEED + 2 * tl_pm + 1]));
	return t_normal32(seed, m, uint(tl_node), uint(k), uvec2(lo, hi));
}

//@NM_MODEL_FRAGMENT@

#if T_BOLD
// t_bold advances this lane's Balloon-Windkessel state by one step on the input z and returns the
// signal: bold.Stepper32's deviations formulation (x, f = F-1, q = Q-1, v = V-1), operation for
// operation; T_BOLD_* are its float32 constants.
#define T_BX g_state[T_BOFF + tl_node * T_E + tl_pm]
#define T_BF g_state[T_BOFF + (NM_NODES + tl_node) * T_E + tl_pm]
#define T_BQ g_state[T_BOFF + (2 * NM_NODES + tl_node) * T_E + tl_pm]
#define T_BV g_state[T_BOFF + (3 * NM_NODES + tl_node) * T_E + tl_pm]
float t_bold(float z) {
	precise float X = T_BX;
	precise float f = max(T_BF, -1.0);
	precise float Fa = 1.0 + f;
	precise float x = X + T_BOLD_H * ((z - T_BOLD_KAPPA * X) - T_BOLD_GAMMA * f);
	precise float q = T_BQ;
	precise float v = T_BV;
	precise float Va = 1.0 + v;
	precise float q2 = q + T_BOLD_HTAU * (((Fa * T_BOLD_INVRHO) * (1.0 - pow(T_BOLD_ONEMINUSRHO, nm_fdiv(1.0, Fa)))) - (1.0 + q) * pow(Va, T_BOLD_INVALPHAM1));
	precise float v2 = v + T_BOLD_HTAU * (f - (pow(Va, T_BOLD_INVALPHA) - 1.0));
	precise float f2 = f + T_BOLD_H * x;
	T_BX = x;
	T_BF = f2;
	T_BQ = q2;
	T_BV = v2;
	precise float sig = T_BOLD_V0 * ((((-T_BOLD_K1) * q2) + nm_fdiv(T_BOLD_K2 * (v2 - q2), 1.0 + v2)) - T_BOLD_K3 * v2);
	return sig;
}
#endif

void t_sync() {
	groupMemoryBarrier();
	barrier();
}

void main() {
	int lid = int(gl_LocalInvocationID.x);
	int wg = int(gl_WorkGroupID.x) + u_group0;
	const int lanes = NM_NODES * T_B;
	if (lid == 0) t_flag = 0;
#if T_HIST_SHARED
	for (int l = lid; l < T_NS * T_S * lanes; l += T_WG) {
		int k = l / (T_S * lanes);
		int slot = (l / lanes) % T_S;
		tl_node = (l % lanes) / T_B;
		tl_bm = l % T_B;
		tl_pm = wg * T_B + tl_bm;
		if (T_HID[k] < 0 || tl_pm >= u_members) continue;
		t_hist[((T_HID[k] * T_S + slot) * NM_NODES + tl_node) * T_B + tl_bm] = g_state[T_SOFF[k] + (slot * NM_NODES + tl_node) * T_E + tl_pm];
	}
#endif
	t_sync();
	int col = u_col0;
	for (int s = 0; s < u_steps; s++) {
		int nw = (col + 1 == T_S) ? 0 : col + 1;
		int k = u_k0 + s;
		bool rec = T_NREC > 0 && k >= u_first && (k - u_first) % u_every == 0;
		int smp = rec ? (k - u_first) / u_every - u_s0 : 0;
		for (int l = lid; l < lanes; l += T_WG) {
			tl_node = l / T_B;
			tl_bm = l - tl_node * T_B;
			tl_pm = wg * T_B + tl_bm;
			tl_col = col;
			tl_s = s;
			if (tl_pm >= u_members) continue;
			float next_v[NM_STATES_LEN];
			nm_step(next_v);
			bool bad = false;
			uint key = 0u;
			for (int q = 0; q < T_NS; q++) {
				if (T_HID[q] >= 0) {
					T_HIST(q, nw, tl_node) = next_v[q];
				} else {
					T_FLAT(q) = next_v[q];
				}
				if (u_check != 0 && !bad && (isnan(next_v[q]) || isinf(next_v[q]))) {
					bad = true;
					key = uint(s) * uint(T_NS * NM_NODES) + uint(q * NM_NODES + tl_node);
				}
			}
			if (bad) {
				atomicMin(g_bad[2 * tl_pm], key);
				t_flag = 1;
			}
			if (rec || T_BOLD != 0 && u_bevery > 0) {
				float o[NM_OUTPUTS_LEN];
				float b;
				nm_outputs(next_v, o, b);
				for (int r = 0; rec && r < T_NREC; r++) {
					g_out[((r * u_samp + smp) * NM_NODES + tl_node) * T_E + tl_pm] = o[T_REC[r]];
				}
#if T_BOLD
				if (u_bevery > 0) {
					float sig = t_bold((T_BOLD_OUT < 0) ? b : o[max(T_BOLD_OUT, 0)]);
					if (k >= u_bfirst && (k - u_bfirst) % u_bevery == 0) {
						g_out[u_boff + (((k - u_bfirst) / u_bevery - u_bs0) * NM_NODES + tl_node) * T_E + tl_pm] = sig;
					}
				}
#endif
			}
		}
		t_sync();
		if (t_flag != 0) {
			// Some lane became non-finite in this step: the lane named by its member's smallest key
			// (step, state, node: the CPU's order) stores the value it wrote.
			for (int l = lid; l < lanes; l += T_WG) {
				tl_node = l / T_B;
				tl_bm = l - tl_node * T_B;
				tl_pm = wg * T_B + tl_bm;
				if (tl_pm >= u_members) continue;
				uint key = g_bad[2 * tl_pm];
				uint base = uint(s) * uint(T_NS * NM_NODES);
				if (key == 0xFFFFFFFFu || key < base || key - base >= uint(T_NS * NM_NODES)) continue;
				int rest = int(key - base);
				if (rest % NM_NODES != tl_node) continue;
				int q = rest / NM_NODES;
				float v = 0.0;
				for (int qq = 0; qq < T_NS; qq++) {
					if (qq == q) v = (T_HID[qq] >= 0) ? T_HIST(qq, nw, tl_node) : T_FLAT(qq);
				}
				g_bad[2 * tl_pm + 1] = floatBitsToUint(v);
			}
			t_sync();
			if (lid == 0) t_flag = 0;
			t_sync();
		}
		col = nw;
	}
#if T_HIST_SHARED
	for (int l = lid; l < T_NS * T_S * lanes; l += T_WG) {
		int k = l / (T_S * lanes);
		int slot = (l / lanes) % T_S;
		tl_node = (l % lanes) / T_B;
		tl_bm = l % T_B;
		tl_pm = wg * T_B + tl_bm;
		if (T_HID[k] < 0 || tl_pm >= u_members) continue;
		g_state[T_SOFF[k] + (slot * NM_NODES + tl_node) * T_E + tl_pm] = t_hist[((T_HID[k] * T_S + slot) * NM_NODES + tl_node) * T_B + tl_bm];
	}
#endif
}
