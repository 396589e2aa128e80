"""Torch as an independent oracle: "torch agrees" lines for worked solutions.

Imported lazily (only when a learner asks for a solution of a backprop, LSTM, GRU or attention
exercise, in a worker thread); this module itself imports torch only inside functions.
Each oracle recomputes the exercise's fields with torch (autograd, ``nn.LSTMCell``,
``nn.GRUCell``, ``F.scaled_dot_product_attention``) from the variant's data.
"""

from __future__ import annotations

import re
from typing import Any, Callable

ORACLES: dict[str, tuple[str, Callable[[dict], dict[str, Any]]]] = {}


def _oracle(gen_name: str, what: str):
    def deco(fn):
        ORACLES[gen_name] = (what, fn)
        return fn
    return deco


def torch_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def _t(x):
    import torch

    return torch.tensor(x, dtype=torch.float64)


@_oracle("mlp.forward", "torch forward pass")
@_oracle("mlp.backprop", "torch.autograd")
def _mlp(d: dict) -> dict:
    import torch

    x, wh, bh, wo, bo = (_t(d[k]) for k in ("x", "w_hidden", "b_hidden", "w_out", "b_out"))
    for p in (wh, bh, wo, bo):
        p.requires_grad_(True)
    net_h = wh @ x + bh
    h = torch.sigmoid(net_h)
    net_o = wo @ h + bo
    o = torch.sigmoid(net_o)
    out = {"net_hidden": net_h, "h": h, "net_out": net_o, "o": o}
    if "t" in d:
        net_h.retain_grad()
        net_o.retain_grad()
        loss = 0.5 * ((_t(d["t"]) - o) ** 2).sum()
        loss.backward()
        lr = float(d["lr"])
        out.update(loss=loss, delta_out=net_o.grad, delta_hidden=net_h.grad, grad_w_out=wo.grad,
                   grad_b_out=bo.grad, grad_w_hidden=wh.grad, grad_b_hidden=bh.grad,
                   w_out_new=wo - lr * wo.grad, w_hidden_new=wh - lr * wh.grad,
                   b_out_new=bo - lr * bo.grad, b_hidden_new=bh - lr * bh.grad)
    return out


@_oracle("lstm.gate-table", "torch tensor ops")
def _lstm_table(d: dict) -> dict:
    import torch

    f, i, o, ct, cp = (_t(d[k]) for k in ("f", "i", "o", "c_tilde", "c_prev"))
    c = f * cp + i * ct
    return {"f_c": f * cp, "i_c": i * ct, "c": c, "h": o * torch.tanh(c)}


@_oracle("lstm.from-weights", "torch.nn.LSTMCell")
def _lstm_weights(d: dict) -> dict:
    import torch

    x = _t(d["x"]).reshape(1, -1)
    w_ih = _t(d["w_ih"]).reshape(4, -1)
    w_hh = _t(d["w_hh"]).reshape(4, 1)
    b = _t(d["b"]).reshape(4)
    h0 = _t([[float(d["h_prev"])]])
    c0 = _t([[float(d["c_prev"])]])
    cell = torch.nn.LSTMCell(w_ih.shape[1], 1).double()
    with torch.no_grad():
        cell.weight_ih.copy_(w_ih)
        cell.weight_hh.copy_(w_hh)
        cell.bias_ih.copy_(b)
        cell.bias_hh.zero_()
        h, c = cell(x, (h0, c0))
        pre = x @ w_ih.T + h0 @ w_hh.T + b
        i_, f_, g_, o_ = pre[0]
    return {"i": torch.sigmoid(i_), "f": torch.sigmoid(f_), "g": torch.tanh(g_), "o": torch.sigmoid(o_),
            "c": c, "h": h}


@_oracle("gru.step", "torch.nn.GRUCell")
def _gru(d: dict) -> dict:
    import torch

    x = _t(d["x"]).reshape(1, -1)
    w_ih, w_hh = _t(d["w_ih"]).reshape(3, -1), _t(d["w_hh"]).reshape(3, 1)
    b_ih, b_hh = _t(d["b_ih"]).reshape(3), _t(d["b_hh"]).reshape(3)
    h0 = _t([[float(d["h_prev"])]])
    cell = torch.nn.GRUCell(w_ih.shape[1], 1).double()
    with torch.no_grad():
        cell.weight_ih.copy_(w_ih)
        cell.weight_hh.copy_(w_hh)
        cell.bias_ih.copy_(b_ih)
        cell.bias_hh.copy_(b_hh)
        h = cell(x, h0)
        gi, gh = x @ w_ih.T + b_ih, h0 @ w_hh.T + b_hh
        r = torch.sigmoid(gi[0, 0] + gh[0, 0])
        z = torch.sigmoid(gi[0, 1] + gh[0, 1])
        n = torch.tanh(gi[0, 2] + r * gh[0, 2])
    return {"r": r, "z": z, "n": n, "h": h}


@_oracle("attention.weights", "torch.nn.functional.scaled_dot_product_attention")
def _attention_weights(d: dict) -> dict:
    import torch
    import torch.nn.functional as F

    q, k = _t(d["q"]), _t(d["k"])
    if q.ndim == 1:
        q = q[None]
    n = k.shape[0]
    # with V = I the attention output *is* the weight matrix
    weights = F.scaled_dot_product_attention(q[None], k[None], torch.eye(n, dtype=q.dtype)[None])[0]
    scores = q @ k.T / k.shape[1] ** 0.5
    out = {}
    for a in range(q.shape[0]):
        for b in range(n):
            out[f"score[{a},{b}]"] = scores[a, b]
            out[f"weight[{a},{b}]"] = weights[a, b]
    return out


@_oracle("attention.context", "torch matmul")
def _attention_context(d: dict) -> dict:
    import torch

    values = _t(d["values"])
    if d.get("given") == "scores":
        w = torch.softmax(_t(d["scores"]), dim=-1)
    else:
        w = _t(d["weights"])
    return {"context": w @ values}


def _lookup(values: dict[str, Any], field: str) -> float | None:
    if field in values:
        v = values[field]
        return float(v.detach() if hasattr(v, "detach") else v)
    m = re.fullmatch(r"([A-Za-z_]+)((?:\[\d+\])*)", field)
    if not m or m.group(1) not in values:
        return None
    x = values[m.group(1)]
    x = x.detach().squeeze() if hasattr(x, "detach") else x
    for idx in re.findall(r"\[(\d+)\]", m.group(2)):
        try:
            x = x[int(idx)]
        except (IndexError, TypeError):
            return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def check(gen, variant) -> dict | None:
    """Compare the engine's answers for ``variant`` with torch's.

    Returns {"what", "fields" (compared), "max_abs_diff", "agrees"} or None when no oracle
    exists for the generator or torch is not installed. "agrees" means every field is within
    the exercise's grading tolerance (a generator may round intermediate values once, as a
    learner does by hand, so torch's unrounded values can differ in the last digits).
    """
    if variant.generator not in ORACLES or not torch_available():
        return None
    what, fn = ORACLES[variant.generator]
    ref = fn(variant.data)
    want = gen.expected(variant)
    diffs, agrees = [], True
    for name, value in want.items():
        r = _lookup(ref, name)
        if r is not None:
            diffs.append(abs(r - value))
            agrees &= variant.field(name).tol.ok(r, value)
    if not diffs:
        return None
    return {"what": what, "fields": len(diffs), "max_abs_diff": max(diffs), "agrees": agrees}
