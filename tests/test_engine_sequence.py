"""Sequence models: LSTM, GRU, RNN/BPTT, attention, multi-head attention, positional encoding.

Every algorithm is checked against an independent reference: torch.nn.LSTMCell, torch.nn.GRUCell,
torch autograd through an RNN built from torch ops, F.scaled_dot_product_attention,
torch.nn.MultiheadAttention, and the closed form of the sinusoidal encoding. The worked examples
of the notes are pinned with the CORRECT values (the notes' slips are listed in the comments).
"""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine.core import InputError, fmt, jsonable
from engine.registry import algorithms

ALGS = algorithms()
LSTM, GRU, RNN = ALGS["lstm-cell"], ALGS["gru-cell"], ALGS["rnn-bptt"]
ATT, MHA, PE = ALGS["attention"], ALGS["multihead-attention"], ALGS["positional-encoding"]
CASES = 40


def _t(a):
    return torch.tensor(np.asarray(a), dtype=torch.float64)


# ============================================================================ LSTM


def test_lstm_matches_torch_lstmcell():
    rng = np.random.default_rng(0)
    for case in range(CASES):
        d, hidden = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        cell = torch.nn.LSTMCell(d, hidden, dtype=torch.float64)
        w_ih, w_hh = rng.normal(size=(4 * hidden, d)), rng.normal(size=(4 * hidden, hidden))
        b_ih, b_hh = rng.normal(size=4 * hidden), rng.normal(size=4 * hidden)
        x, h_prev, c_prev = rng.normal(size=d), rng.normal(size=hidden), rng.normal(size=hidden) * 2
        with torch.no_grad():
            cell.weight_ih.copy_(_t(w_ih))
            cell.weight_hh.copy_(_t(w_hh))
            cell.bias_ih.copy_(_t(b_ih))
            cell.bias_hh.copy_(_t(b_hh))
            h_ref, c_ref = cell(_t(x)[None], (_t(h_prev)[None], _t(c_prev)[None]))
        out = LSTM.run({"x": x.tolist(), "h_prev": h_prev.tolist(), "c_prev": c_prev.tolist(),
                        "w_ih": w_ih.tolist(), "w_hh": w_hh.tolist(), "b_ih": b_ih.tolist(), "b_hh": b_hh.tolist()})
        np.testing.assert_allclose(out["h"], h_ref[0].numpy(), rtol=1e-10, atol=1e-12, err_msg=f"case {case}")
        np.testing.assert_allclose(out["c"], c_ref[0].numpy(), rtol=1e-10, atol=1e-12, err_msg=f"case {case}")
        # the gate values, from torch's own ops on the pre-activations (rows i, f, g, o)
        pre = _t(w_ih) @ _t(x) + _t(b_ih) + _t(w_hh) @ _t(h_prev) + _t(b_hh)
        gi, gf, gg, go = pre.chunk(4)
        np.testing.assert_allclose(out["i"], torch.sigmoid(gi).numpy(), rtol=1e-12)
        np.testing.assert_allclose(out["f"], torch.sigmoid(gf).numpy(), rtol=1e-12)
        np.testing.assert_allclose(out["c_tilde"], torch.tanh(gg).numpy(), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(out["o"], torch.sigmoid(go).numpy(), rtol=1e-12)


def test_lstm_defaults_are_zero_state_like_torch():
    rng = np.random.default_rng(1)
    cell = torch.nn.LSTMCell(3, 2, dtype=torch.float64)
    with torch.no_grad():
        h_ref, c_ref = cell(_t(rng.normal(size=3))[None] * 0 + 1.0)
    out = LSTM.run({"x": [1.0, 1.0, 1.0], "w_ih": cell.weight_ih.detach().numpy().tolist(),
                    "w_hh": cell.weight_hh.detach().numpy().tolist(),
                    "b_ih": cell.bias_ih.detach().numpy().tolist(), "b_hh": cell.bias_hh.detach().numpy().tolist()})
    np.testing.assert_allclose(out["h"], h_ref[0].numpy(), rtol=1e-10)
    np.testing.assert_allclose(out["c"], c_ref[0].numpy(), rtol=1e-10)


def test_lstm_peephole_matches_hand_written_torch_formula():
    rng = np.random.default_rng(2)
    for _ in range(CASES):
        d, hidden = 2, 3
        w_ih, w_hh = rng.normal(size=(4 * hidden, d)), rng.normal(size=(4 * hidden, hidden))
        x, h_prev, c_prev = rng.normal(size=d), rng.normal(size=hidden), rng.normal(size=hidden)
        p_i, p_f, p_o = rng.normal(size=hidden), rng.normal(size=hidden), rng.normal(size=(hidden, hidden))
        # Gers & Schmidhuber: i and f peek at c_{t-1}, o at the new c_t
        pre = _t(w_ih) @ _t(x) + _t(w_hh) @ _t(h_prev)
        gi, gf, gg, go = pre.chunk(4)
        i_t = torch.sigmoid(gi + _t(p_i) * _t(c_prev))
        f_t = torch.sigmoid(gf + _t(p_f) * _t(c_prev))
        c_t = f_t * _t(c_prev) + i_t * torch.tanh(gg)
        o_t = torch.sigmoid(go + _t(p_o) @ c_t)
        h_t = o_t * torch.tanh(c_t)
        out = LSTM.run({"x": x.tolist(), "h_prev": h_prev.tolist(), "c_prev": c_prev.tolist(),
                        "w_ih": w_ih.tolist(), "w_hh": w_hh.tolist(),
                        "peephole": {"i": p_i.tolist(), "f": p_f.tolist(), "o": p_o.tolist()}})
        np.testing.assert_allclose(out["h"], h_t.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(out["c"], c_t.numpy(), rtol=1e-10, atol=1e-12)


def test_lstm_gate_form_matches_closed_form():
    rng = np.random.default_rng(3)
    for _ in range(CASES):
        n = int(rng.integers(1, 6))
        f, i, o = rng.uniform(0, 1, n), rng.uniform(0, 1, n), rng.uniform(0, 1, n)
        c_tilde, c_prev = rng.uniform(-1, 1, n), rng.normal(size=n) * 2
        out = LSTM.run({"f": f.tolist(), "i": i.tolist(), "o": o.tolist(), "c_tilde": c_tilde.tolist(),
                        "c_prev": c_prev.tolist()})
        c = f * c_prev + i * c_tilde
        np.testing.assert_allclose(out["c"], c, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(out["h"], o * np.tanh(c), rtol=1e-12, atol=1e-15)
        assert out["warnings"] == []


def test_lstm_seed_gate_table_pinned_with_correct_values():
    """The LSTM table of notes 002 ('LSTM training process', ~lines 2090-2180).

    Slips in the notes: c̃ of unit 3 is printed as 6 (its own product i⊗c̃ = 0.48 needs 0.6);
    unit 8 has c̃ = 2.1, impossible for a tanh (the arithmetic 0.9 × 2.1 = 1.89 is right);
    h of unit 1 is printed 0 (0.5 × tanh(−0.01) = −0.005); h of unit 2 is printed 0.08
    (0.4 × tanh(0.02) = 0.008). Every other number of the table is right.
    """
    from engine.algorithms.lstm import SEED_TABLE  # the notes' table (the example reads c̃ = 2.1 as 0.21)

    out = jsonable(LSTM.run(dict(SEED_TABLE)))
    f_c = [0, 0.02, 0.45, 0.07, 0.9, -0.06, -0.11, 1.8, 0.24, 0.07]
    i_c = [-0.01, 0, 0.48, 0.04, 0.72, 0.07, 0.4, 1.89, 0.12, 0.36]
    c = [-0.01, 0.02, 0.93, 0.11, 1.62, 0.01, 0.29, 3.69, 0.36, 0.43]
    tanh_c = [-0.01, 0.02, 0.73, 0.11, 0.92, 0.01, 0.28, 1.00, 0.35, 0.41]
    np.testing.assert_allclose(out["f_c"], f_c, atol=1e-12)
    np.testing.assert_allclose(out["i_c"], i_c, atol=1e-12)
    np.testing.assert_allclose(out["c"], c, atol=1e-12)
    np.testing.assert_allclose(out["tanh_c"], tanh_c, atol=0.005)
    h_right = [-0.0050, 0.0080, 0.0731, 0.0986, 0.1849, 0.0030, 0.2257, 0.6991, 0.0345, 0.3648]
    np.testing.assert_allclose(out["h"], h_right, atol=6e-5)
    # the notes multiply o by tanh(c) rounded to 2 decimals; done that way, every h matches the
    # notes except units 1 and 2 (indices 0 and 1)
    h_notes = [0, 0.08, 0.073, 0.099, 0.184, 0.003, 0.224, 0.7, 0.035, 0.369]
    h_rounded_tanh = np.array(SEED_TABLE["o"]) * np.round(np.tanh(c), 2)
    wrong = [j for j in range(10) if abs(h_rounded_tanh[j] - h_notes[j]) > 1e-9]
    assert wrong == [0, 1]
    assert len(out["warnings"]) == 1 and "c_tilde[7]" in out["warnings"][0]
    # the notes verbatim (c̃ = 6) is flagged too, and its i⊗c̃ is 4.8, not 0.48
    verbatim = LSTM.run({**SEED_TABLE, "c_tilde": [-0.1, 0.3, 6, 0.2, 0.9, 0.1, 0.4, 2.1, 0.6, 0.9]})
    assert verbatim["i_c"][2] == pytest.approx(4.8)
    assert any("c_tilde[2]" in w for w in verbatim["warnings"])
    # every out-of-range unit is named (c̃ = 6 and c̃ = 2.1), one line per key
    assert verbatim["warnings"] == [verbatim["warnings"][0]] and "c_tilde[2] = 6, c_tilde[7] = 2.1 are" in verbatim["warnings"][0]
    two = LSTM.run({**SEED_TABLE, "f": [1.2] + SEED_TABLE["f"][1:], "o": [-0.1, 1.5] + SEED_TABLE["o"][2:]})
    assert [w.split(" ")[0] for w in two["warnings"]] == ["f[0]", "o[0]", "c_tilde[7]"]
    assert "o[1] = 1.5" in two["warnings"][1]


def test_lstm_scalar_gates_broadcast():
    out = LSTM.run({"f": 1, "i": 0.5, "o": 1, "c_tilde": [0.2, -0.4], "c_prev": [1.0, 2.0]})
    np.testing.assert_allclose(out["c"], [1.1, 1.8])
    np.testing.assert_allclose(out["h"], np.tanh([1.1, 1.8]))


WEIGHTS_CASE = {
    "x": [1.0, -0.5], "h_prev": [0.3], "c_prev": [0.8],
    "w_ih": [[0.5, 0.1], [-0.7, 0.3], [0.9, -0.2], [0.4, 0.6]],
    "w_hh": [[0.2], [0.5], [-0.3], [0.1]], "b_ih": [0.1, 0.6, 0.0, -0.2], "b_hh": [0, 0, 0, 0],
}


@pytest.mark.parametrize("mistake", [m.id for m in LSTM.mistakes])
def test_lstm_mistakes_differ_from_right(mistake):
    right = LSTM.run(WEIGHTS_CASE)
    wrong = LSTM.run(WEIGHTS_CASE, mistake=mistake)
    assert set(wrong) == set(right)
    assert not np.allclose(wrong["h"], right["h"], atol=1e-3)
    if mistake not in ("lstm.if-swapped", "lstm.sigmoid-candidate"):
        gates = {"f": [0.3, 0.9], "i": [0.8, 0.2], "o": [0.6, 0.7], "c_tilde": [0.5, -0.9], "c_prev": [1.5, -0.4]}
        assert not np.allclose(LSTM.run(gates, mistake=mistake)["h"], LSTM.run(gates)["h"], atol=1e-3)


def test_lstm_named_mistakes_compute_the_misconception():
    g = {"f": [0.3], "i": [0.8], "o": [0.6], "c_tilde": [0.5], "c_prev": [1.5]}
    c = 0.3 * 1.5 + 0.8 * 0.5
    assert LSTM.run(g, mistake="lstm.no-tanh")["h"][0] == pytest.approx(0.6 * c)
    assert LSTM.run(g, mistake="lstm.forget-on-candidate")["c"][0] == pytest.approx(0.3 * 0.5 + 0.8 * 1.5)
    assert LSTM.run(g, mistake="lstm.no-forget")["c"][0] == pytest.approx(1.5 + 0.8 * 0.5)
    assert LSTM.run(g, mistake="lstm.old-cell-output")["h"][0] == pytest.approx(0.6 * math.tanh(1.5))
    # the f/i swap reads the torch rows in the wrong order: same as swapping the first two row blocks
    swapped = dict(WEIGHTS_CASE, w_ih=[WEIGHTS_CASE["w_ih"][k] for k in (1, 0, 2, 3)],
                   w_hh=[WEIGHTS_CASE["w_hh"][k] for k in (1, 0, 2, 3)],
                   b_ih=[WEIGHTS_CASE["b_ih"][k] for k in (1, 0, 2, 3)])
    np.testing.assert_allclose(LSTM.run(WEIGHTS_CASE, mistake="lstm.if-swapped")["h"], LSTM.run(swapped)["h"])


@pytest.mark.parametrize("inputs, key", [
    ({"f": [1] * 9, "i": [0.5] * 10, "o": [1] * 10, "c_tilde": [0.1] * 10, "c_prev": [0.2] * 10}, "f"),
    ({"f": [0.5], "i": [0.5], "o": [1], "c_tilde": [0.1]}, "c_prev"),
    ({"f": "x", "i": [0.5], "o": [1], "c_tilde": [0.1], "c_prev": [0]}, "f"),
    ({"f": [float("nan")], "i": [0.5], "o": [1], "c_tilde": [0.1], "c_prev": [0]}, "f"),
    ({"f": [], "i": [0.5], "o": [1], "c_tilde": [0.1], "c_prev": [0]}, "f"),
    ({**WEIGHTS_CASE, "w_hh": [[0.2], [0.5], [-0.3]]}, "w_hh"),
    ({**WEIGHTS_CASE, "w_ih": [[0.5], [-0.7], [0.9], [0.4]]}, "w_ih"),
    ({**WEIGHTS_CASE, "h_prev": [0.3, 0.1]}, "h_prev"),
    ({**WEIGHTS_CASE, "b_ih": [0.1, 0.2]}, "b_ih"),
    ({**WEIGHTS_CASE, "x": None}, "x"),
    ({**WEIGHTS_CASE, "peephole": {"q": [1]}}, "peephole"),
    ({**WEIGHTS_CASE, "peephole": {"o": [1, 2]}}, "peephole.o"),
])
def test_lstm_bad_input_names_the_key(inputs, key):
    with pytest.raises(InputError) as e:
        LSTM.run(inputs)
    assert e.value.key == key


def test_lstm_weights_only_mistake_on_gate_form_is_refused():
    with pytest.raises(InputError) as e:
        LSTM.run(LSTM.example, mistake="lstm.if-swapped")
    assert e.value.key == "mistake"


# ============================================================================ GRU


def _gru_inputs(rng, d, hidden):
    return {"x": rng.normal(size=d).tolist(), "h_prev": rng.normal(size=hidden).tolist(),
            "w_ih": rng.normal(size=(3 * hidden, d)).tolist(), "w_hh": rng.normal(size=(3 * hidden, hidden)).tolist(),
            "b_ih": rng.normal(size=3 * hidden).tolist(), "b_hh": rng.normal(size=3 * hidden).tolist()}


def _torch_gru(inp):
    hidden = len(inp["h_prev"])
    cell = torch.nn.GRUCell(len(inp["x"]), hidden, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(_t(inp["w_ih"]))
        cell.weight_hh.copy_(_t(inp["w_hh"]))
        cell.bias_ih.copy_(_t(inp["b_ih"]))
        cell.bias_hh.copy_(_t(inp["b_hh"]))
        return cell(_t(inp["x"])[None], _t(inp["h_prev"])[None])[0].numpy()


def test_gru_matches_torch_grucell():
    rng = np.random.default_rng(10)
    for case in range(CASES):
        inp = _gru_inputs(rng, int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        out = GRU.run(inp)
        np.testing.assert_allclose(out["h"], _torch_gru(inp), rtol=1e-10, atol=1e-12, err_msg=f"case {case}")
        # r and z from torch's sigmoid on the summed pre-activations (rows r, z, n)
        pre = _t(inp["w_ih"]) @ _t(inp["x"]) + _t(inp["b_ih"]) + _t(inp["w_hh"]) @ _t(inp["h_prev"]) + _t(inp["b_hh"])
        r_ref, z_ref, _ = pre.chunk(3)
        np.testing.assert_allclose(out["r"], torch.sigmoid(r_ref).numpy(), rtol=1e-12)
        np.testing.assert_allclose(out["z"], torch.sigmoid(z_ref).numpy(), rtol=1e-12)
        # h = (1 − z) n + z h_prev, torch's convention
        np.testing.assert_allclose(out["h"], (1 - out["z"]) * out["n"] + out["z"] * np.array(inp["h_prev"]),
                                   rtol=1e-12, atol=1e-14)


def test_gru_example_matches_torch():
    np.testing.assert_allclose(GRU.run(GRU.example)["h"], _torch_gru(GRU.example), rtol=1e-10)


@pytest.mark.parametrize("mistake", [m.id for m in GRU.mistakes])
def test_gru_mistakes_differ_and_compute_the_misconception(mistake):
    inp = GRU.example
    right, wrong = GRU.run(inp), GRU.run(inp, mistake=mistake)
    assert set(wrong) == set(right)
    assert not np.allclose(wrong["h"], right["h"], atol=1e-3)
    if mistake == "gru.z-swapped":      # Cho et al.'s mixing, written in torch ops
        np.testing.assert_allclose(wrong["h"], right["z"] * right["n"] + (1 - right["z"]) * np.array(inp["h_prev"]))
    if mistake == "gru.reset-before-matmul":
        w_hh, b_hh = np.array(inp["w_hh"]), np.array(inp["b_hh"])
        i_n = (np.array(inp["w_ih"]) @ np.array(inp["x"]) + np.array(inp["b_ih"]))[4:]
        n = np.tanh(i_n + w_hh[4:] @ (right["r"] * np.array(inp["h_prev"])) + b_hh[4:])
        np.testing.assert_allclose(wrong["n"], n)


@pytest.mark.parametrize("patch, key", [
    ({"w_hh": [[0.1, 0.2]] * 5}, "w_hh"),
    ({"w_ih": [[0.1]] * 6}, "w_ih"),
    ({"h_prev": [0.1]}, "h_prev"),
    ({"b_hh": [0.0] * 4}, "b_hh"),
    ({"x": [[1, 2], [3]]}, "x"),
    ({"x": [1, float("inf")]}, "x"),
])
def test_gru_bad_input_names_the_key(patch, key):
    with pytest.raises(InputError) as e:
        GRU.run({**GRU.example, **patch})
    assert e.value.key == key


# ============================================================================ RNN / BPTT


def _rnn_inputs(rng, steps, d, hidden, m, scale=0.8):
    return {"xs": rng.normal(size=(steps, d)).tolist(), "h0": rng.normal(size=hidden).tolist(),
            "w_xh": (rng.normal(size=(hidden, d)) * scale).tolist(),
            "w_hh": (rng.normal(size=(hidden, hidden)) * scale).tolist(),
            "w_hy": rng.normal(size=(m, hidden)).tolist(), "b_h": rng.normal(size=hidden).tolist(),
            "b_y": rng.normal(size=m).tolist(), "targets": rng.normal(size=(steps, m)).tolist()}


def _torch_rnn(inp):
    """The same RNN written in torch ops; gradients by autograd."""
    p = {k: _t(inp[k]).requires_grad_() for k in ("w_xh", "w_hh", "w_hy", "b_h", "b_y", "h0")}
    h = p["h0"]
    hs, loss = [], 0.0
    for x_t, y_t in zip(_t(inp["xs"]), _t(inp["targets"])):
        h = torch.tanh(p["w_xh"] @ x_t + p["w_hh"] @ h + p["b_h"])
        hs.append(h)
        loss = loss + 0.5 * ((p["w_hy"] @ h + p["b_y"] - y_t) ** 2).sum()
    loss.backward()
    return loss.item(), {k: v.grad.numpy() for k, v in p.items()}, torch.stack(hs).detach().numpy()


def test_rnn_bptt_matches_torch_autograd():
    rng = np.random.default_rng(20)
    for case in range(CASES):
        steps, d, hidden, m = (int(x) for x in rng.integers(1, 5, size=4))
        inp = _rnn_inputs(rng, steps, d, hidden, m)
        out = RNN.run(inp)
        loss, grads, hs = _torch_rnn(inp)
        assert out["loss"] == pytest.approx(loss, rel=1e-10)
        np.testing.assert_allclose(out["h"], hs, rtol=1e-10, atol=1e-12)
        for ours, ref in (("grad_w_xh", "w_xh"), ("grad_w_hh", "w_hh"), ("grad_w_hy", "w_hy"),
                          ("grad_b_h", "b_h"), ("grad_b_y", "b_y"), ("grad_h0", "h0")):
            np.testing.assert_allclose(out[ours], grads[ref], rtol=1e-9, atol=1e-11, err_msg=f"case {case}: {ours}")


def test_rnn_jacobians_match_torch_autograd_jacobian():
    rng = np.random.default_rng(21)
    for _ in range(CASES // 2):
        steps, d, hidden = int(rng.integers(1, 6)), 2, int(rng.integers(1, 4))
        inp = _rnn_inputs(rng, steps, d, hidden, 1)
        out = RNN.run(inp)
        xs, w_xh, w_hh, b_h = (_t(inp[k]) for k in ("xs", "w_xh", "w_hh", "b_h"))

        def unroll(h0, xs=xs, w_xh=w_xh, w_hh=w_hh, b_h=b_h):
            h = h0
            for x_t in xs:
                h = torch.tanh(w_xh @ x_t + w_hh @ h + b_h)
            return h

        full = torch.autograd.functional.jacobian(unroll, _t(inp["h0"])).numpy()     # ∂h_T/∂h_0
        np.testing.assert_allclose(out["jacobian_product"], full, rtol=1e-9, atol=1e-12)
        assert out["jacobian_product_norm"] == pytest.approx(np.linalg.norm(full, 2), rel=1e-9)
        # each step: ∂h_t/∂h_{t−1} from autograd, spectral norm from torch.linalg
        h_prev = _t(inp["h0"])
        norms = []
        for x_t in xs:
            jac = torch.autograd.functional.jacobian(
                lambda h, x_t=x_t, w_xh=w_xh, w_hh=w_hh, b_h=b_h: torch.tanh(w_xh @ x_t + w_hh @ h + b_h), h_prev)
            norms.append(torch.linalg.matrix_norm(jac, ord=2).item())
            h_prev = torch.tanh(w_xh @ x_t + w_hh @ h_prev + b_h)
        np.testing.assert_allclose(out["jacobian_norms"], norms, rtol=1e-9)
        assert out["jacobian_norm_product"] == pytest.approx(math.prod(norms), rel=1e-9)
        assert out["jacobian_product_norm"] <= out["jacobian_norm_product"] * (1 + 1e-9)


def test_rnn_vanishing_product_shrinks_with_length():
    """Scalar RNN with |w_hh| < 1: ∂h_T/∂h_0 = Π w_hh (1 − h_t²) decays geometrically."""
    out = RNN.run({"xs": [0.5] * 30, "h0": 0.0, "w_xh": 1.0, "w_hh": 0.9, "w_hy": 1.0, "targets": [0.0] * 30})
    h = np.array(out["h"])[:, 0]
    np.testing.assert_allclose(out["jacobian_norms"], 0.9 * (1 - h ** 2), rtol=1e-12)
    assert out["jacobian_norm_product"] < 1e-4


@pytest.mark.parametrize("mistake", [m.id for m in RNN.mistakes])
def test_rnn_mistakes_differ(mistake):
    inp = RNN.example
    right, wrong = RNN.run(inp), RNN.run(inp, mistake=mistake)
    assert set(wrong) == set(right)
    assert not np.allclose(wrong["grad_w_hh"], right["grad_w_hh"], atol=1e-4)


def test_rnn_named_mistakes():
    inp = RNN.example
    right = RNN.run(inp)
    np.testing.assert_allclose(RNN.run(inp, mistake="rnn.sign-error")["grad_w_xh"], -np.array(right["grad_w_xh"]))
    # truncated: each step's own loss only; output weight gradient unchanged
    tr = RNN.run(inp, mistake="rnn.truncated")
    np.testing.assert_allclose(tr["grad_w_hy"], right["grad_w_hy"])
    w_hy = np.array(inp["w_hy"])
    err = np.array(right["y_hat"]) - np.array(inp["targets"])
    np.testing.assert_allclose(tr["dh"], err @ w_hy)


@pytest.mark.parametrize("patch, key", [
    ({"w_hh": [[0.9, -0.2]]}, "w_hh"),
    ({"w_xh": [[0.5, -0.4, 1.0], [0.3, 0.8, 1.0]]}, "w_xh"),
    ({"w_hy": [[1.0, -1.0, 2.0]]}, "w_hy"),
    ({"targets": [[0.0], [1.0]]}, "targets"),
    ({"targets": [[0.0, 1.0]] * 3}, "targets"),
    ({"h0": [0.0]}, "h0"),
    ({"xs": []}, "xs"),
    ({"xs": "abc"}, "xs"),
    ({"b_h": [float("nan"), 0]}, "b_h"),
])
def test_rnn_bad_input_names_the_key(patch, key):
    with pytest.raises(InputError) as e:
        RNN.run({**RNN.example, **patch})
    assert e.value.key == key


# ============================================================================ attention


def test_scaled_attention_matches_torch_sdpa():
    rng = np.random.default_rng(30)
    for case in range(CASES):
        n_q, n_k, d, d_v = (int(x) for x in rng.integers(1, 6, size=4))
        q, k, v = rng.normal(size=(n_q, d)), rng.normal(size=(n_k, d)), rng.normal(size=(n_k, d_v))
        out = ATT.run({"q": q.tolist(), "k": k.tolist(), "v": v.tolist(), "score": "scaled"})
        ref = F.scaled_dot_product_attention(_t(q)[None], _t(k)[None], _t(v)[None])[0].numpy()
        np.testing.assert_allclose(out["output"], ref, rtol=1e-10, atol=1e-12, err_msg=f"case {case}")
        np.testing.assert_allclose(np.sum(out["weights"], axis=1), 1.0, rtol=1e-12)
        # causal: torch's is_causal aligns the mask top-left (tril of ones(L, S))
        out_c = ATT.run({"q": q.tolist(), "k": k.tolist(), "v": v.tolist(), "mask": "causal"})
        ref_c = F.scaled_dot_product_attention(_t(q)[None], _t(k)[None], _t(v)[None], is_causal=True)[0].numpy()
        np.testing.assert_allclose(out_c["output"], ref_c, rtol=1e-10, atol=1e-12, err_msg=f"case {case} causal")
        # an explicit boolean mask (True = attend), rows never empty
        keep = rng.random((n_q, n_k)) < 0.6
        keep[:, 0] = True
        out_m = ATT.run({"q": q.tolist(), "k": k.tolist(), "v": v.tolist(), "mask": keep.astype(int).tolist()})
        ref_m = F.scaled_dot_product_attention(_t(q)[None], _t(k)[None], _t(v)[None],
                                               attn_mask=torch.tensor(keep)[None])[0].numpy()
        np.testing.assert_allclose(out_m["output"], ref_m, rtol=1e-10, atol=1e-12)


def test_dot_general_additive_scores_match_torch_formulas():
    rng = np.random.default_rng(31)
    for _ in range(CASES):
        n_q, n_k, d_q, d_k, d_a = (int(x) for x in rng.integers(1, 5, size=5))
        q, k, v = rng.normal(size=(n_q, d_q)), rng.normal(size=(n_k, d_k)), rng.normal(size=(n_k, 2))
        w_a, w_q, w_k, v_a = (rng.normal(size=s) for s in ((d_q, d_k), (d_a, d_q), (d_a, d_k), (d_a,)))
        gen = ATT.run({"q": q.tolist(), "k": k.tolist(), "v": v.tolist(), "score": "general", "w_a": w_a.tolist()})
        ref = torch.einsum("id,de,je->ij", _t(q), _t(w_a), _t(k))
        np.testing.assert_allclose(gen["scores"], ref.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(gen["output"], (torch.softmax(ref, dim=1) @ _t(v)).numpy(), rtol=1e-10, atol=1e-12)
        add = ATT.run({"q": q.tolist(), "k": k.tolist(), "v": v.tolist(), "score": "additive",
                       "w_q": w_q.tolist(), "w_k": w_k.tolist(), "v_a": v_a.tolist()})
        ref_add = torch.stack([torch.stack([_t(v_a) @ torch.tanh(_t(w_q) @ _t(qi) + _t(w_k) @ _t(kj)) for kj in k])
                               for qi in q])
        np.testing.assert_allclose(add["scores"], ref_add.numpy(), rtol=1e-10, atol=1e-12)
        if d_q == d_k:
            dot = ATT.run({"q": q.tolist(), "k": k.tolist(), "v": v.tolist(), "score": "dot"})
            np.testing.assert_allclose(dot["weights"], torch.softmax(_t(q) @ _t(k).T, dim=1).numpy(), rtol=1e-10)


def test_seed_004_q4x2_example_divides_by_sqrt2():
    """Notes 004 say d_k = 4 for the 4×2 Q and K. d_k is the key dimension (columns of K) = 2:
    the scores are divided by √2 (torch agrees); √4 = 2 would be the sequence length."""
    out = ATT.run(ATT.example)
    assert out["d_k"] == 2 and out["scale"] == pytest.approx(1 / math.sqrt(2))
    q, k, v = (_t(ATT.example[key]) for key in ("q", "k", "v"))
    np.testing.assert_allclose(out["output"], F.scaled_dot_product_attention(q, k, v).numpy(), rtol=1e-10)
    wrong = ATT.run(ATT.example, mistake="attention.dk-is-seq-len")
    assert wrong["scale"] == pytest.approx(0.5)
    assert not np.allclose(wrong["weights"], out["weights"], atol=1e-3)
    # torch with an explicit scale of 1/√4 reproduces the notes' reading
    np.testing.assert_allclose(wrong["output"], F.scaled_dot_product_attention(q, k, v, scale=0.5).numpy(), rtol=1e-10)


def test_single_query_as_flat_vector():
    out = ATT.run({"q": [1, 0], "k": [[1, 0], [0, 1], [1, 1]], "v": [1, 2, 3], "score": "dot"})
    w = np.exp([1, 0, 1]) / np.exp([1, 0, 1]).sum()
    np.testing.assert_allclose(out["weights"], w)
    assert out["output"] == pytest.approx(float(w @ [1, 2, 3]))


@pytest.mark.parametrize("mistake", [m.id for m in ATT.mistakes])
def test_attention_mistakes_differ(mistake):
    inp = {**ATT.example, "k": [[1, 1], [0, 1], [2, 0]], "v": [[1, 0], [0, 1], [1, 1]]}   # 3 keys, d_k = 2
    if mistake == "attention.mask-zero":
        inp["mask"] = "causal"
    right, wrong = ATT.run(inp), ATT.run(inp, mistake=mistake)
    assert set(wrong) == set(right)
    assert not np.allclose(wrong["weights"], right["weights"], atol=1e-3)


def test_attention_named_mistakes():
    q, k, v = [[2.0, 0.0]], [[1, 0], [0, 1], [1, 1]], [[1, 0], [0, 1], [1, 1]]
    raw = np.array([2.0, 0.0, 2.0])
    base = {"q": q, "k": k, "v": v}
    np.testing.assert_allclose(ATT.run(base, mistake="attention.no-scale")["weights"][0], np.exp(raw) / np.exp(raw).sum())
    np.testing.assert_allclose(ATT.run(base, mistake="attention.divide-by-dk")["scores"][0], raw / 2)
    two = {"q": [[1.0, 0.0], [0.0, 1.0]], "k": k, "v": v}
    cols = ATT.run(two, mistake="attention.softmax-columns")["weights"]
    np.testing.assert_allclose(np.sum(cols, axis=0), 1.0)
    masked = ATT.run({**two, "mask": "causal"}, mistake="attention.mask-zero")
    assert masked["scores"][0][1] == 0.0 and masked["weights"][0][1] > 0


@pytest.mark.parametrize("patch, key", [
    ({"k": [[1, 1, 1], [0, 1, 1], [1, 0, 0], [0, 0, 1]]}, "q"),
    ({"v": [[1, 0], [0, 1]]}, "v"),
    ({"score": "cosine"}, "score"),
    ({"score": "general"}, "w_a"),
    ({"score": "general", "w_a": [[1, 0]]}, "w_a"),
    ({"score": "additive", "w_q": [[1, 0]], "w_k": [[1, 0]]}, "v_a"),
    ({"mask": "future"}, "mask"),
    ({"mask": [[1, 0, 0, 0]]}, "mask"),
    ({"mask": [[0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]}, "mask"),
    ({"q": []}, "q"),
    ({"k": None}, "k"),
])
def test_attention_bad_input_names_the_key(patch, key):
    with pytest.raises(InputError) as e:
        ATT.run({**ATT.example, **patch})
    assert e.value.key == key


# ============================================================================ multi-head


def _torch_mha(inp, causal=False):
    d_model = len(inp["x"][0])
    mha = torch.nn.MultiheadAttention(d_model, inp["num_heads"], batch_first=True, dtype=torch.float64)
    with torch.no_grad():   # torch computes x @ W.T: our W's go in transposed
        mha.in_proj_weight.copy_(torch.cat([_t(inp["w_q"]).T, _t(inp["w_k"]).T, _t(inp["w_v"]).T]))
        mha.in_proj_bias.copy_(torch.cat([_t(inp["b_q"]), _t(inp["b_k"]), _t(inp["b_v"])]))
        mha.out_proj.weight.copy_(_t(inp["w_o"]).T)
        mha.out_proj.bias.copy_(_t(inp["b_o"]))
        x = _t(inp["x"])[None]
        kv = _t(inp["x_kv"])[None] if inp.get("x_kv") is not None else x
        mask = None
        if causal:   # torch's float/bool attn_mask: True = NOT allowed
            mask = ~torch.tril(torch.ones(x.shape[1], kv.shape[1], dtype=torch.bool))
        out, w = mha(x, kv, kv, attn_mask=mask, need_weights=True, average_attn_weights=False)
    return out[0].numpy(), w[0].numpy()


def test_multihead_matches_torch_multiheadattention():
    rng = np.random.default_rng(40)
    for case in range(CASES // 2):
        num_heads = int(rng.integers(1, 4))
        d_model = num_heads * int(rng.integers(1, 4))
        n = int(rng.integers(1, 6))
        inp = {"x": rng.normal(size=(n, d_model)).tolist(), "num_heads": num_heads}
        for key in ("w_q", "w_k", "w_v", "w_o"):
            inp[key] = rng.normal(size=(d_model, d_model)).tolist()
        for key in ("b_q", "b_k", "b_v", "b_o"):
            inp[key] = rng.normal(size=d_model).tolist()
        if case % 3 == 2:
            inp["x_kv"] = rng.normal(size=(int(rng.integers(1, 6)), d_model)).tolist()
        causal = case % 2 == 1
        out = MHA.run({**inp, "mask": "causal" if causal else "none"})
        ref_out, ref_w = _torch_mha(inp, causal)
        np.testing.assert_allclose(out["output"], ref_out, rtol=1e-9, atol=1e-11, err_msg=f"case {case}")
        np.testing.assert_allclose(out["weights"], ref_w, rtol=1e-9, atol=1e-11, err_msg=f"case {case}")
        assert np.asarray(out["heads"]).shape == (num_heads, n, d_model // num_heads)


def test_multihead_example_matches_torch():
    ex = {**MHA.example, **{k: [0.0] * 4 for k in ("b_q", "b_k", "b_v", "b_o")}}
    ref_out, ref_w = _torch_mha(ex, causal=True)
    out = MHA.run(MHA.example)
    np.testing.assert_allclose(out["output"], ref_out, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(out["weights"], ref_w, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("mistake", [m.id for m in MHA.mistakes])
def test_multihead_mistakes_differ(mistake):
    right, wrong = MHA.run({**MHA.example, "mask": "none"}), MHA.run({**MHA.example, "mask": "none"}, mistake=mistake)
    assert set(wrong) == set(right)
    assert not np.allclose(wrong["output"], right["output"], atol=1e-3)


def test_multihead_no_split_is_single_head_attention():
    ex = {**MHA.example, "mask": "none"}
    wrong = MHA.run(ex, mistake="multihead.no-split")
    one = MHA.run({**ex, "num_heads": 1})
    np.testing.assert_allclose(wrong["output"], one["output"])


@pytest.mark.parametrize("patch, key", [
    ({"num_heads": 3}, "num_heads"),
    ({"num_heads": 0}, "num_heads"),
    ({"num_heads": 1.5}, "num_heads"),
    ({"w_q": [[1, 0], [0, 1]]}, "w_q"),
    ({"b_o": [0, 0]}, "b_o"),
    ({"x": [1, 2, 3, 4]}, "x"),
    ({"x_kv": [[1, 2]]}, "x_kv"),
    ({"mask": "sideways"}, "mask"),
])
def test_multihead_bad_input_names_the_key(patch, key):
    with pytest.raises(InputError) as e:
        MHA.run({**MHA.example, **patch})
    assert e.value.key == key


# ============================================================================ positional encoding


def test_positional_encoding_closed_form():
    out = PE.run({"positions": 0, "d_model": 8})
    np.testing.assert_allclose(out["pe"], [0, 1, 0, 1, 0, 1, 0, 1], atol=1e-15)
    out = PE.run({"positions": [1, 2, 50], "d_model": 6})
    for r, pos in enumerate([1, 2, 50]):
        for j in range(6):
            angle = pos / 10000 ** (2 * (j // 2) / 6)
            want = math.sin(angle) if j % 2 == 0 else math.cos(angle)
            assert out["pe"][r][j] == pytest.approx(want, abs=1e-12)
    assert PE.run({"positions": 1, "d_model": 4})["pe"][:2].tolist() == pytest.approx([math.sin(1), math.cos(1)])
    assert PE.run({"positions": 3, "d_model": 4})["pe"][2] == pytest.approx(math.sin(3 / 100))
    # odd d_model: the last dimension is the sine of the last pair
    assert PE.run({"positions": 5, "d_model": 5})["pe"][4] == pytest.approx(math.sin(5 / 10000 ** (4 / 5)))


def test_positional_encoding_against_torch():
    pos = torch.arange(0, 40, dtype=torch.float64)[:, None]
    d_model = 16
    div = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float64) * (-math.log(10000.0) / d_model))
    ref = torch.zeros(40, d_model, dtype=torch.float64)
    ref[:, 0::2] = torch.sin(pos * div)
    ref[:, 1::2] = torch.cos(pos * div)   # the PyTorch tutorial's PositionalEncoding
    out = PE.run({"positions": list(range(40)), "d_model": d_model})
    np.testing.assert_allclose(out["pe"], ref.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("mistake", [m.id for m in PE.mistakes])
def test_positional_mistakes_differ(mistake):
    inp = {"positions": [3, 7], "d_model": 8}
    assert not np.allclose(PE.run(inp, mistake=mistake)["pe"], PE.run(inp)["pe"], atol=1e-3)


def test_positional_named_mistakes():
    swapped = PE.run({"positions": 0, "d_model": 4}, mistake="pe.sin-cos-swapped")["pe"]
    np.testing.assert_allclose(swapped, [1, 0, 1, 0])
    wrong = PE.run({"positions": 3, "d_model": 4}, mistake="pe.dim-index-exponent")["pe"]
    assert wrong[2] == pytest.approx(math.sin(3 / 10000 ** (4 / 4)))
    deg = PE.run({"positions": 30, "d_model": 2}, mistake="pe.degrees")["pe"]
    assert deg[0] == pytest.approx(0.5)


@pytest.mark.parametrize("inputs, key", [
    ({"positions": -1, "d_model": 4}, "positions"),
    ({"positions": [1, 2.5], "d_model": 4}, "positions"),
    ({"positions": [], "d_model": 4}, "positions"),
    ({"positions": "3", "d_model": 4}, "positions"),
    ({"positions": 3, "d_model": 0}, "d_model"),
    ({"positions": 3}, "d_model"),
    ({"positions": 3, "d_model": 4, "base": 1}, "base"),
])
def test_positional_bad_input_names_the_key(inputs, key):
    with pytest.raises(InputError) as e:
        PE.run(inputs)
    assert e.value.key == key


def test_unknown_mistake_is_an_input_error():
    for alg in (LSTM, GRU, RNN, ATT, MHA, PE):
        with pytest.raises(InputError) as e:
            alg.run(alg.example, mistake="nope")
        assert e.value.key == "mistake"


def test_outputs_are_jsonable():
    import json
    for alg in (LSTM, GRU, RNN, ATT, MHA, PE):
        json.dumps(jsonable(alg.run(alg.example)))
        json.dumps(jsonable(alg.example))




# ============================================================================ generators
# Imported directly (each module registers itself), so these tests do not depend on other areas.

from engine.generators.attention import AttentionContext, AttentionWeights  # noqa: E402
from engine.generators.gru import GRUStep  # noqa: E402
from engine.generators.lstm import LSTMFromWeights, LSTMGateTable  # noqa: E402
from engine.generators.rnn import RNNBPTT, RNNVanishing  # noqa: E402
from engine.generators.transformer import MultiheadShapes, Positional  # noqa: E402

GEN_SEEDS = range(25)


def test_gate_table_expected_matches_torch_formula():
    gen = LSTMGateTable()
    for params in ({}, {"units": 3}):
        for seed in GEN_SEEDS:
            v = gen.variant(seed, params)
            d = v.data
            f, i, o, c_tilde, c_prev = (_t(d[k]) for k in ("f", "i", "o", "c_tilde", "c_prev"))
            c = f * c_prev + i * c_tilde
            h = o * torch.tanh(c)
            want = gen.expected(v)
            units = len(d["f"])
            assert len(v.fields) <= 9
            for u in range(units):
                assert want[f"c[{u}]"] == pytest.approx(c[u].item(), abs=1e-12)
                assert want[f"h[{u}]"] == pytest.approx(h[u].item(), abs=1e-12)
                if d["products"]:
                    assert want[f"f_c[{u}]"] == pytest.approx((f * c_prev)[u].item(), abs=1e-12)
            # every given value is rounded to 2 decimals and shown in the prompt and the table
            for key in ("f", "i", "o", "c_tilde", "c_prev"):
                assert all(round(x, 2) == x for x in d[key])
            assert v.tables and v.tables[0].rows[:5] == ["f", "i", "o", "c̃", "c_prev"]
            assert fmt(d["c_prev"][0]) in v.prompt["en"] and fmt(d["c_prev"][0]) in v.prompt["ko"]


def test_gate_table_error_carried_forward_and_diagnosis():
    gen = LSTMGateTable()
    v = gen.variant(3)
    d = v.data
    right = gen.expected(v)
    # a slip in f⊗c_prev: c is graded from the learner's own products, h from the learner's own c
    answers = {**right, "f_c[0]": right["f_c[0]"] + 0.3}
    want = gen.expected(v, answers)
    assert want["c[0]"] == pytest.approx(answers["f_c[0]"] + answers["i_c[0]"])
    answers["c[0]"] = want["c[0]"]
    assert gen.expected(v, answers)["h[0]"] == pytest.approx(d["o"][0] * math.tanh(answers["c[0]"]))
    # no tanh: h = o·c is diagnosed by name through the tutor's grading
    from tutor.grading import grade_variant
    typed = {k: repr(x) for k, x in right.items()}
    for u in range(len(d["f"])):
        typed[f"h[{u}]"] = repr(d["o"][u] * right[f"c[{u}]"])
    g = grade_variant(gen, v, typed)
    assert not g.correct and g.mistake == "lstm.no-tanh"
    assert grade_variant(gen, v, {k: repr(x) for k, x in right.items()}).correct


def test_lstm_from_weights_matches_torch_lstmcell():
    gen = LSTMFromWeights()
    for seed in GEN_SEEDS:
        v = gen.variant(seed)
        d = v.data
        cell = torch.nn.LSTMCell(2, 1, dtype=torch.float64)
        with torch.no_grad():
            cell.weight_ih.copy_(_t(d["w_ih"]))
            cell.weight_hh.copy_(_t(d["w_hh"])[:, None])
            cell.bias_ih.copy_(_t(d["b"]))
            cell.bias_hh.zero_()
            h, c = cell(_t(d["x"])[None], (_t([d["h_prev"]])[None], _t([d["c_prev"]])[None]))
        want = gen.expected(v)
        assert want["h"] == pytest.approx(h.item(), abs=1e-12)
        assert want["c"] == pytest.approx(c.item(), abs=1e-12)
        # and the gates agree with the engine's algorithm in weights form
        alg = LSTM.run({"x": d["x"], "h_prev": [d["h_prev"]], "c_prev": [d["c_prev"]], "w_ih": d["w_ih"],
                        "w_hh": [[w] for w in d["w_hh"]], "b_ih": d["b"]})
        for key, gate in (("i", "i"), ("f", "f"), ("g", "c_tilde"), ("o", "o")):
            assert want[key] == pytest.approx(float(alg[gate][0]), abs=1e-12)


def test_lstm_from_weights_if_swapped_is_diagnosed():
    from tutor.grading import grade_variant
    gen = LSTMFromWeights()
    v = gen.variant(5)
    right = gen.expected(v)
    wrong = gen.mistakes(v)["lstm.if-swapped"]
    g = grade_variant(gen, v, {k: repr(wrong.get(k, right[k])) for k in right})
    assert g.mistake == "lstm.if-swapped"


def test_gru_step_matches_torch_grucell():
    gen = GRUStep()
    for seed in GEN_SEEDS:
        v = gen.variant(seed)
        d = v.data
        inp = {"x": d["x"], "h_prev": [d["h_prev"]], "w_ih": d["w_ih"], "w_hh": [[w] for w in d["w_hh"]],
               "b_ih": d["b_ih"], "b_hh": d["b_hh"]}
        assert gen.expected(v)["h"] == pytest.approx(float(_torch_gru(inp)[0]), abs=1e-12)
        alg = GRU.run(inp)
        for key in ("r", "z", "n"):
            assert gen.expected(v)[key] == pytest.approx(float(alg[key][0]), abs=1e-12)
        # each named mistake agrees with the algorithm's mistake variant
        for mid, vals in gen.mistakes(v).items():
            assert vals["h"] == pytest.approx(float(GRU.run(inp, mistake=mid)["h"][0]), abs=1e-12)


def test_gru_step_error_carried_forward():
    gen = GRUStep()
    v = gen.variant(7)
    right = gen.expected(v)
    mine = {**right, "r": right["r"] + 0.2}
    want = gen.expected(v, mine)
    gi, gh = gen._parts(v)
    assert want["n"] == pytest.approx(math.tanh(gi[2] + mine["r"] * gh[2]))
    mine.update(z=right["z"] - 0.1, n=want["n"])
    assert gen.expected(v, mine)["h"] == pytest.approx((1 - mine["z"]) * mine["n"] + mine["z"] * v.data["h_prev"])


def test_rnn_bptt_generator_matches_torch_autograd():
    gen = RNNBPTT()
    for seed in GEN_SEEDS:
        v = gen.variant(seed)
        d = v.data
        inp = {"xs": [[x] for x in d["xs"]], "h0": [d["h0"]], "w_xh": [[d["w_xh"]]], "w_hh": [[d["w_hh"]]],
               "w_hy": [[d["w_hy"]]], "b_h": [0.0], "b_y": [0.0], "targets": [[y] for y in d["targets"]]}
        loss, grads, hs = _torch_rnn(inp)
        want = gen.expected(v)
        assert [want["h[0]"], want["h[1]"]] == pytest.approx(hs[:, 0].tolist(), abs=1e-12)
        assert want["loss"] == pytest.approx(loss, abs=1e-12)
        for key in ("w_hy", "w_hh", "w_xh"):
            assert want[f"grad_{key}"] == pytest.approx(float(grads[key][0, 0]), abs=1e-12)
        for mid, vals in gen.mistakes(v).items():    # the same slips as the algorithm's variants
            alg = RNN.run(inp, mistake=mid)
            for key in ("w_hy", "w_hh", "w_xh"):
                assert vals[f"grad_{key}"] == pytest.approx(float(alg[f"grad_{key}"][0][0]), abs=1e-12)


def test_rnn_bptt_gradients_from_learners_own_states():
    gen = RNNBPTT()
    v = gen.variant(2)
    d = v.data
    right = gen.expected(v)
    h_mine = [right["h[0]"] + 0.05, right["h[1]"] - 0.04]
    want = gen.expected(v, {**right, "h[0]": h_mine[0], "h[1]": h_mine[1]})
    # autograd with the learner's h treated as the states: L = ½Σ(w_hy h_t − y_t)², the BPTT formulas on fixed h
    w_hy = _t(d["w_hy"]).requires_grad_()
    loss = sum(0.5 * (w_hy * h_mine[t] - d["targets"][t]) ** 2 for t in range(2))
    loss.backward()
    assert want["grad_w_hy"] == pytest.approx(w_hy.grad.item())
    assert want["loss"] == pytest.approx(loss.item())
    assert want["h[0]"] == right["h[0]"]          # earlier parts are never carried forward from themselves


def test_rnn_vanishing_matches_algorithm_and_autograd():
    gen = RNNVanishing()
    for seed in GEN_SEEDS:
        v = gen.variant(seed)
        d = v.data
        steps = len(d["xs"])
        out = RNN.run({"xs": d["xs"], "h0": d["h0"], "w_xh": d["w_xh"], "w_hh": d["w_hh"], "w_hy": 1.0,
                       "targets": [0.0] * steps})
        want = gen.expected(v)
        for t in range(steps):
            assert want[f"h[{t}]"] == pytest.approx(out["h"][t][0], abs=1e-12)
            assert want[f"jac[{t}]"] == pytest.approx(out["jacobians"][t][0][0], abs=1e-12)

        def unroll(h0, xs=d["xs"], w_xh=d["w_xh"], w_hh=d["w_hh"]):
            h = h0
            for x in xs:
                h = torch.tanh(w_xh * x + w_hh * h)
            return h

        ref = torch.autograd.functional.jacobian(unroll, _t(d["h0"])).item()
        assert want["prod"] == pytest.approx(ref, abs=1e-12)


def test_rnn_vanishing_product_from_learners_factors():
    gen = RNNVanishing()
    v = gen.variant(4)
    right = gen.expected(v)
    mine = {**right, "jac[0]": right["jac[0]"] + 0.1}
    assert gen.expected(v, mine)["prod"] == pytest.approx(math.prod(mine[f"jac[{t}]"] for t in range(3)))


def test_attention_weights_match_torch_sdpa():
    gen = AttentionWeights()
    for params in ({}, {"queries": 2}, {"ask": "scores"}):
        for seed in GEN_SEEDS:
            v = gen.variant(seed, params)
            q, k = _t(v.data["q"]), _t(v.data["k"])
            # with V = I the output rows of SDPA are exactly the attention weights
            w_ref = F.scaled_dot_product_attention(q[None], k[None], torch.eye(3, dtype=torch.float64)[None])[0]
            s_ref = q @ k.T / math.sqrt(k.shape[1])
            want = gen.expected(v)
            for r in range(q.shape[0]):
                top = sorted(w_ref[r].tolist(), reverse=True)
                assert top[0] - top[1] >= 0.05                 # a clear maximum
                for j in range(3):
                    if f"weight[{r},{j}]" in want:
                        assert want[f"weight[{r},{j}]"] == pytest.approx(w_ref[r, j].item(), abs=1e-12)
                    if f"score[{r},{j}]" in want:
                        assert want[f"score[{r},{j}]"] == pytest.approx(s_ref[r, j].item(), abs=1e-12)
            assert len(v.fields) <= 9


def test_attention_weights_mistakes_match_algorithm_and_are_diagnosed():
    from tutor.grading import grade_variant
    gen = AttentionWeights()
    v = gen.variant(11, {"queries": 2})
    right = gen.expected(v)
    for mid, vals in gen.mistakes(v).items():
        alg = ATT.run({"q": v.data["q"], "k": v.data["k"], "v": np.eye(3).tolist()}, mistake=mid)
        for r in range(2):
            for j in range(3):
                assert vals[f"weight[{r},{j}]"] == pytest.approx(alg["weights"][r][j], abs=1e-12)
        g = grade_variant(gen, v, {k: repr(vals.get(k, right[k])) for k in right})
        assert g.mistake == mid


def test_attention_weights_ecf_from_learners_scores():
    gen = AttentionWeights()
    v = gen.variant(1)
    right = gen.expected(v)
    mine = {**right, "score[0,0]": right["score[0,0]"] + 0.5}
    want = gen.expected(v, mine)
    s = np.array([mine[f"score[0,{j}]"] for j in range(3)])
    np.testing.assert_allclose([want[f"weight[0,{j}]"] for j in range(3)], np.exp(s) / np.exp(s).sum())


def test_attention_context_matches_torch():
    gen = AttentionContext()
    for params in ({}, {"given": "scores"}):
        for seed in GEN_SEEDS:
            v = gen.variant(seed, params)
            d = v.data
            w = _t(d["weights"]) if "weights" in d else torch.softmax(_t(d["scores"]), dim=0)
            if "weights" in d:
                assert sum(d["weights"]) == pytest.approx(1.0)
            ctx = w @ _t(d["values"])
            want = gen.expected(v)
            assert [want["context[0]"], want["context[1]"]] == pytest.approx(ctx.tolist(), abs=1e-12)


def test_attention_context_ecf_from_learners_weights():
    gen = AttentionContext()
    v = gen.variant(0, {"given": "scores"})
    right = gen.expected(v)
    mine = {**right, "weight[0]": 0.5, "weight[1]": 0.3, "weight[2]": 0.2}
    want = gen.expected(v, mine)
    ctx = np.array([0.5, 0.3, 0.2]) @ np.array(v.data["values"])
    assert [want["context[0]"], want["context[1]"]] == pytest.approx(ctx.tolist())


def test_positional_generator_matches_closed_form_and_algorithm():
    gen = Positional()
    for seed in GEN_SEEDS:
        v = gen.variant(seed)
        d = v.data
        pe = PE.run({"positions": d["pos"], "d_model": d["d_model"]})["pe"]
        want = gen.expected(v)
        assert want["angle"] == pytest.approx(d["pos"] / 10000 ** (2 * d["pair"] / d["d_model"]))
        assert want["pe_sin"] == pytest.approx(pe[2 * d["pair"]], abs=1e-12)
        assert want["pe_cos"] == pytest.approx(pe[2 * d["pair"] + 1], abs=1e-12)
        for mid, vals in gen.mistakes(v).items():
            wrong = PE.run({"positions": d["pos"], "d_model": d["d_model"]}, mistake=mid)["pe"]
            assert vals["pe_sin"] == pytest.approx(wrong[2 * d["pair"]], abs=1e-12)
            assert vals["pe_cos"] == pytest.approx(wrong[2 * d["pair"] + 1], abs=1e-12)


def test_multihead_shapes_match_torch_module():
    gen = MultiheadShapes()
    for seed in range(8):
        v = gen.variant(seed)
        d = v.data
        want = gen.expected(v)
        mha = torch.nn.MultiheadAttention(d["d_model"], d["num_heads"], bias=False)
        assert want["params"] == sum(p.numel() for p in mha.parameters())
        assert want["d_head"] == mha.head_dim
        x = torch.zeros(1, d["n"], d["d_model"])
        mha.batch_first = True
        _, w = mha(x, x, x, need_weights=True, average_attn_weights=False)
        assert want["n_scores"] == w.numel()
        assert want["scale"] == pytest.approx(math.sqrt(mha.head_dim))
