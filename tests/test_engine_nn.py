"""Neural-network basics in the engine vs independent references.

References: torch autograd (MLP gradients, activation derivatives), torch.optim (SGD, momentum,
Adagrad, RMSprop, Adam), torch.softmax, torch.nn.functional.conv2d / max_pool2d / avg_pool2d,
torch.utils.data samplers (batch counts), closed forms (entropy, KL), finite differences,
brute force (linear separability of 2-input gates), and plain-Python loops for gradient descent.
The worked examples of the study notes (seed 002) are pinned with their CORRECT values.
"""

import itertools
import json
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine.core import InputError, jsonable
from engine.registry import algorithms, get_algorithm, get_generator

torch.set_default_dtype(torch.float64)

MLP = get_algorithm("mlp")
GD = get_algorithm("gradient-descent")
ACT = get_algorithm("activation")
SOFTMAX = get_algorithm("softmax")
INFO = get_algorithm("information")
PERC = get_algorithm("perceptron")
BATCH = get_algorithm("batching")
CONV = get_algorithm("conv2d")
OPT = get_algorithm("optimizer")


def _input_error(alg, inputs, key):
    with pytest.raises(InputError) as e:
        alg.run(inputs)
    assert e.value.key == key, f"expected an error naming {key!r}, got {e.value}"


@pytest.mark.parametrize("alg", list(algorithms().values()), ids=lambda a: a.name)
def test_every_algorithm_rejects_an_unknown_mistake_naming_the_known_ones(alg):
    for bad in ("no.such-mistake", ""):
        with pytest.raises(InputError) as e:
            alg.run(alg.example, mistake=bad)
        assert e.value.key == "mistake"
        assert e.value.message.startswith(f"unknown mistake {bad!r}; known: ")
        assert all(m.id in e.value.message for m in alg.mistakes)


def _differs(a, b) -> bool:
    a, b = jsonable(a), jsonable(b)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return True
        return any(_differs(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a != b


# ============================================================================ MLP

SEED_NET = {"x": [2, 3], "w_hidden": [[0.1, 0.3], [0.2, 0.4]], "b_hidden": [0.5, 0.6],
            "w_out": [[0.1, 0.2]], "b_out": [0.3]}


def test_seed_mlp_example_correct_values():
    """Seed 002 (~line 760): Σ1 = 1.6, Σ2 = 2.2 are right, but the notes' σ values are wrong."""
    out = MLP.run(SEED_NET)
    assert np.allclose(out["net_hidden"], [1.6, 2.2])
    h1, h2 = out["h"]
    assert round(h1, 3) == 0.832 and round(h2, 3) == 0.900          # notes: 0.472 and 0.659 (wrong)
    assert round(float(out["net_out"][0]), 4) == 0.5633              # notes: Σ3 = 0.432 (wrong)
    assert round(float(out["o"][0]), 4) == 0.6372                    # notes: h3 = 0.304 (wrong)
    # independent: the sigmoid by hand
    assert h1 == pytest.approx(1 / (1 + math.exp(-1.6))) and h2 == pytest.approx(1 / (1 + math.exp(-2.2)))
    # the notes' own arithmetic is inconsistent too: 0.1·0.474 + 0.2·0.659 + 0.3 = 0.4792, not 0.432,
    # and σ(0.432) = 0.606, not 0.304
    assert round(0.1 * 0.474 + 0.2 * 0.659 + 0.3, 4) == 0.4792
    assert round(1 / (1 + math.exp(-0.432)), 3) == 0.606


def _torch_mlp(inp, lr):
    x = torch.tensor(inp["x"])
    wh = torch.tensor(inp["w_hidden"], requires_grad=True)
    bh = torch.tensor(inp["b_hidden"], requires_grad=True)
    wo = torch.tensor(inp["w_out"], requires_grad=True)
    bo = torch.tensor(inp["b_out"], requires_grad=True)
    t = torch.tensor(inp["t"])
    net_h = wh @ x + bh
    net_h.retain_grad()
    h = torch.sigmoid(net_h)
    net_o = wo @ h + bo
    net_o.retain_grad()
    o = torch.sigmoid(net_o)
    loss = 0.5 * ((t - o) ** 2).sum()
    loss.backward()
    res = {"h": h.detach().numpy(), "o": o.detach().numpy(), "loss": loss.item(),
           "delta_out": net_o.grad.numpy(), "delta_hidden": net_h.grad.numpy(),
           "grad_w_hidden": wh.grad.numpy(), "grad_b_hidden": bh.grad.numpy(),
           "grad_w_out": wo.grad.numpy(), "grad_b_out": bo.grad.numpy()}
    opt = torch.optim.SGD([wh, bh, wo, bo], lr=lr)
    opt.step()
    res.update(w_hidden_new=wh.detach().numpy(), b_hidden_new=bh.detach().numpy(),
               w_out_new=wo.detach().numpy(), b_out_new=bo.detach().numpy())
    return res


def _random_net(rng, d=None, p=None, m=None):
    d = d or int(rng.integers(1, 5))
    p = p or int(rng.integers(1, 5))
    m = m or int(rng.integers(1, 4))
    return {"x": rng.normal(size=d).tolist(), "w_hidden": rng.normal(size=(p, d)).tolist(),
            "b_hidden": rng.normal(size=p).tolist(), "w_out": rng.normal(size=(m, p)).tolist(),
            "b_out": rng.normal(size=m).tolist(), "t": rng.uniform(0, 1, size=m).tolist()}


@pytest.mark.slow
def test_mlp_backprop_matches_torch_autograd_and_sgd():
    rng = np.random.default_rng(1)
    for _ in range(40):
        inp = _random_net(rng)
        lr = float(rng.uniform(0.05, 2))
        ours = MLP.run({**inp, "lr": lr})
        ref = _torch_mlp(inp, lr)
        for key, want in ref.items():
            assert np.allclose(ours[key], want, atol=1e-12), key


def test_mlp_mistakes_differ_from_the_right_answer():
    inp = {**_random_net(np.random.default_rng(3), d=2, p=3, m=2), "lr": 0.5}
    right = MLP.run(inp)
    for m in MLP.mistakes:
        wrong = MLP.run(inp, m.id)
        assert set(wrong) == set(right)
        assert any(_differs(wrong[k], right[k]) for k in right if k.endswith("_new") or k in ("h", "delta_hidden")), m.id
        assert m.explain["en"].strip() and m.explain["ko"].strip()


def test_mlp_mistake_values_are_the_misconceptions():
    inp = {**_random_net(np.random.default_rng(4), d=2, p=2, m=2), "lr": 0.3}
    right = MLP.run(inp)
    o, t = right["o"], np.array(inp["t"])
    assert np.allclose(MLP.run(inp, "mlp.missing-sigmoid-derivative")["delta_out"], o - t)
    assert np.allclose(MLP.run(inp, "mlp.delta-sign-flipped")["delta_out"], -right["delta_out"])
    flipped = MLP.run(inp, "mlp.update-sign-error")
    assert np.allclose(flipped["w_out_new"], np.array(inp["w_out"]) + 0.3 * right["grad_w_out"])



def test_mlp_generators_agree_with_torch():
    fwd, bp = get_generator("mlp.forward"), get_generator("mlp.backprop")
    for seed in range(25):
        v = fwd.variant(seed)
        want = fwd.expected(v)
        ref = _torch_mlp({**v.data, "t": [0.0]}, 0.1)
        assert want["h[0]"] == pytest.approx(ref["h"][0]) and want["h[1]"] == pytest.approx(ref["h"][1])
        assert want["o"] == pytest.approx(ref["o"][0])
        v = bp.variant(seed)
        want = bp.expected(v)
        ref = _torch_mlp(v.data, v.data["lr"])   # unrounded forward pass: within the field tolerances
        pairs = {"delta_out": ref["delta_out"][0], "delta_hidden[0]": ref["delta_hidden"][0],
                 "delta_hidden[1]": ref["delta_hidden"][1], "grad_w_out[0]": ref["grad_w_out"][0][0],
                 "grad_w_out[1]": ref["grad_w_out"][0][1], "grad_w_hidden[0][0]": ref["grad_w_hidden"][0][0],
                 "grad_w_hidden[1][0]": ref["grad_w_hidden"][1][0], "w_out_new[0]": ref["w_out_new"][0][0],
                 "w_hidden_new[0][0]": ref["w_hidden_new"][0][0]}
        for k, r in pairs.items():
            assert v.field(k).tol.ok(want[k], float(r)), (seed, k, want[k], r)


def test_mlp_backprop_grading_carries_errors_forward_and_names_mistakes():
    from tutor.grading import grade_variant

    bp = get_generator("mlp.backprop")
    v = bp.variant(7)
    right = bp.expected(v)
    g = grade_variant(bp, v, {k: repr(x) for k, x in right.items()})
    assert g.correct
    # a learner who adds the gradient in the update: every earlier part right, updates diagnosed
    wrong = bp.mistakes(v)["mlp.update-sign-error"]
    g = grade_variant(bp, v, {k: repr(x) for k, x in wrong.items()})
    assert not g.correct and g.mistake == "mlp.update-sign-error"
    # a slip in delta_out only: the later parts are graded from it (error carried forward)
    answers = dict(right)
    answers["delta_out"] = right["delta_out"] * 1.5
    chained = bp.expected(v, answers)
    h1 = v.data["h"][0]
    assert chained["grad_w_out[0]"] == pytest.approx(answers["delta_out"] * h1)
    for _ in range(4):                       # each part from the learner's own previous part
        answers.update({k: x for k, x in bp.expected(v, answers).items() if k != "delta_out"})
    g = grade_variant(bp, v, {k: repr(x) for k, x in answers.items()})
    assert g.score == pytest.approx(8 / 9) and g.carried_forward


# ============================================================================ gradient descent


def _gd_reference(w0, lr, steps, grad):
    ws = [w0]
    for _ in range(steps):
        ws.append(ws[-1] - lr * grad(ws[-1]))
    return ws


def test_seed_gradient_descent_on_w4():
    """Seed 002 (~line 1000): L(w) = w⁴, w₀ = 2, α = 0.01: w₁ = 1.68, w₂ = 1.4903, w₃ = 1.3579, w₂₀₀ = 0.2461."""
    out = GD.run({"derivative": "4*w^3", "w0": 2, "lr": 0.01, "steps": 200})
    ref = _gd_reference(2.0, 0.01, 200, lambda w: 4 * w ** 3)
    assert np.allclose(out["w"], ref, rtol=0, atol=1e-12)
    assert [round(w, 4) for w in out["w"][1:4]] == [1.68, 1.4903, 1.3579]
    assert round(out["w"][200], 4) == 0.2461 and not out["diverged"]
    assert out["grad"][0] == 32


def test_gradient_descent_matches_an_independent_loop():
    rng = np.random.default_rng(2)
    for _ in range(30):
        a, b, c = (float(x) for x in rng.integers(-3, 4, size=3))
        w0, lr, steps = float(rng.uniform(-1.5, 1.5)), float(rng.choice([0.001, 0.01, 0.05])), int(rng.integers(1, 60))
        out = GD.run({"derivative": f"{a}*w^3 + {b}*w - ({c})", "w0": w0, "lr": lr, "steps": steps})
        ref = _gd_reference(w0, lr, out["steps_run"], lambda w, a=a, b=b, c=c: a * w ** 3 + b * w - c)
        assert np.allclose(out["w"], ref, rtol=1e-12, atol=1e-12)
        if out["diverged"]:
            assert out["steps_run"] < steps and not abs(out["w"][-1]) <= 1e8
        else:
            assert out["steps_run"] == steps and all(abs(w) <= 1e8 for w in ref)


def test_gradient_descent_divergence_stops_early_and_flags():
    out = GD.run({"derivative": "4*w^3", "w0": 5, "lr": 0.1, "steps": 1000})
    assert out["diverged"] and out["steps_run"] < 10 and out["reason"]
    json.dumps(jsonable(out))                    # inf/nan never reach JSON raw
    big = GD.run({"derivative": "2*w", "w0": 1, "lr": 1e-6, "steps": 100_000})
    assert len(big["w"]) == 100_001 and big["w"][-1] == pytest.approx((1 - 2e-6) ** 100_000)


def test_gradient_descent_mistakes():
    inp = {"derivative": "4*w^3", "w0": 2, "lr": 0.01, "steps": 5}
    right = GD.run(inp)
    asc = GD.run(inp, "gd.ascent")
    assert asc["w"][1] == pytest.approx(2 + 0.32)
    fixed = GD.run(inp, "gd.fixed-gradient")
    assert fixed["w"][5] == pytest.approx(2 - 5 * 0.32)
    for m in GD.mistakes:
        assert _differs(GD.run(inp, m.id)["w"], right["w"]), m.id



def test_gd_generators_match_independent_loops():
    steps_gen, loss_gen = get_generator("gd.steps"), get_generator("gd.from-loss")
    for seed in range(30):
        v = steps_gen.variant(seed)
        terms = v.data["loss"]

        def grad(w, terms=terms):
            return sum(n * c * w ** (n - 1) for n, c in terms if n > 0)
        ref = _gd_reference(v.data["w0"], v.data["lr"], v.data["steps"], grad)
        want = steps_gen.expected(v)
        assert [want[f"w[{i}]"] for i in range(1, v.data["steps"] + 1)] == pytest.approx(ref[1:])
        v = loss_gen.variant(seed)
        w = torch.tensor(v.data["w0"], requires_grad=True)
        loss = sum(c * w ** n for n, c in v.data["loss"])
        loss.backward()
        want = loss_gen.expected(v)
        assert want["grad"] == pytest.approx(w.grad.item())
        assert want["w[1]"] == pytest.approx(v.data["w0"] - v.data["lr"] * w.grad.item())


# ============================================================================ activations

TORCH_ACT = {
    "sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": F.relu, "softplus": F.softplus, "swish": F.silu,
    "silu": F.silu, "gelu": F.gelu, "linear": lambda z: z * 1.0,
}


@pytest.mark.parametrize("name", sorted(TORCH_ACT))
def test_activation_matches_torch_and_autograd(name):
    xs = np.concatenate([np.linspace(-6, 6, 49), np.random.default_rng(5).normal(scale=3, size=40)])
    out = ACT.run({"name": name, "x": xs.tolist()})
    xt = torch.tensor(xs, requires_grad=True)
    y = TORCH_ACT[name](xt)
    (g,) = torch.autograd.grad(y.sum(), xt)
    assert np.allclose(out["value"], y.detach().numpy(), atol=1e-12)
    assert np.allclose(out["derivative"], g.numpy(), atol=1e-10)


def test_parametrised_activations_match_torch():
    xs = np.linspace(-4, 4, 41)                # contains 0: torch's left branch at the kink
    for alpha in (0.01, 0.1, 0.3):
        xt = torch.tensor(xs, requires_grad=True)
        y = F.leaky_relu(xt, alpha)
        (g,) = torch.autograd.grad(y.sum(), xt)
        out = ACT.run({"name": "leaky_relu", "x": xs.tolist(), "alpha": alpha})
        assert np.allclose(out["value"], y.detach().numpy()) and np.allclose(out["derivative"], g.numpy())
    for alpha in (1.0, 0.5, 2.0):
        xt = torch.tensor(xs, requires_grad=True)
        y = F.elu(xt, alpha)
        (g,) = torch.autograd.grad(y.sum(), xt)
        out = ACT.run({"name": "elu", "x": xs.tolist(), "alpha": alpha})
        assert np.allclose(out["value"], y.detach().numpy()) and np.allclose(out["derivative"], g.numpy())
    xt = torch.tensor(xs, requires_grad=True)
    y = F.gelu(xt, approximate="tanh")
    (g,) = torch.autograd.grad(y.sum(), xt)
    out = ACT.run({"name": "gelu", "x": xs.tolist(), "approximate": "tanh"})
    assert np.allclose(out["value"], y.detach().numpy()) and np.allclose(out["derivative"], g.numpy())
    step = ACT.run({"name": "step", "x": xs.tolist()})
    assert np.array_equal(step["value"], torch.heaviside(torch.tensor(xs), torch.tensor(0.0)).numpy())
    assert ACT.run({"name": "relu", "x": 0})["derivative"] == 0.0


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "softplus", "swish", "linear"])
def test_activation_derivative_by_finite_differences(name):
    rng = np.random.default_rng(6)
    xs = rng.uniform(-5, 5, size=60)
    xs = xs[np.abs(xs) > 1e-3]                 # away from the kinks
    h = 1e-6
    up = np.array(ACT.run({"name": name, "x": (xs + h).tolist()})["value"])
    down = np.array(ACT.run({"name": name, "x": (xs - h).tolist()})["value"])
    assert np.allclose(ACT.run({"name": name, "x": xs.tolist()})["derivative"], (up - down) / (2 * h), atol=1e-6)


def test_sigmoid_is_stable_for_large_inputs_and_scalars_stay_scalars():
    out = ACT.run({"name": "sigmoid", "x": [-1000, 1000]})
    assert np.array_equal(out["value"], [0.0, 1.0]) and np.all(np.isfinite(out["derivative"]))
    one = ACT.run({"name": "sigmoid", "x": 1.6})
    assert isinstance(one["value"], float) and round(one["value"], 3) == 0.832


def test_activation_mistakes():
    right = ACT.run({"name": "sigmoid", "x": 1.6})
    wrong = ACT.run({"name": "sigmoid", "x": 1.6}, "activation.derivative-is-value")
    assert wrong["derivative"] == pytest.approx(right["value"])           # σ instead of σ(1 − σ)
    assert ACT.run({"name": "sigmoid", "x": 1.6}, "activation.derivative-on-input")["derivative"] == pytest.approx(
        1.6 * (1 - 1.6))
    assert ACT.run({"name": "tanh", "x": 0.5}, "activation.tanh-derivative-no-square")["derivative"] == pytest.approx(
        1 - math.tanh(0.5))
    assert ACT.run({"name": "sigmoid", "x": 1.6}, "activation.exp-sign-flipped")["value"] == pytest.approx(
        1 / (1 + math.exp(1.6)))
    for m in ACT.mistakes:
        name = "tanh" if "tanh" in m.id else "sigmoid"
        assert _differs(ACT.run({"name": name, "x": [0.3, 1.6]}, m.id), ACT.run({"name": name, "x": [0.3, 1.6]}))



def test_activation_generators_match_torch():
    gen, chain = get_generator("activation.value"), get_generator("activation.vanishing")
    fns = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": F.relu, "softplus": F.softplus, "swish": F.silu,
           "leaky_relu": lambda z, a: F.leaky_relu(z, a), "elu": lambda z, a: F.elu(z, a)}
    for seed in range(40):
        v = gen.variant(seed)
        x = torch.tensor(v.data["x"], requires_grad=True)
        fn = fns[v.data["name"]]
        y = fn(x, v.data["alpha"]) if "alpha" in v.data else fn(x)
        (g,) = torch.autograd.grad(y, x)
        want = gen.expected(v)
        assert want["value"] == pytest.approx(y.item()) and want["derivative"] == pytest.approx(g.item())
        v = chain.variant(seed)
        z = torch.tensor(v.data["z"], requires_grad=True)
        (g,) = torch.autograd.grad(torch.sigmoid(z).sum(), z)
        want = chain.expected(v)
        assert want["product"] == pytest.approx(float(torch.prod(g)))


# ============================================================================ softmax


def test_softmax_matches_torch_rows_and_temperature():
    rng = np.random.default_rng(8)
    for _ in range(40):
        shape = (int(rng.integers(1, 6)),) if rng.random() < 0.5 else (int(rng.integers(1, 4)), int(rng.integers(1, 6)))
        x = rng.normal(scale=4, size=shape)
        t = float(rng.choice([1, 0.5, 2, 10]))
        out = SOFTMAX.run({"x": x.tolist(), "temperature": t})
        assert np.allclose(out["p"], torch.softmax(torch.tensor(x) / t, dim=-1).numpy(), atol=1e-12)
        assert np.allclose(np.max(out["shifted"], axis=-1), 0)


def test_seed_softmax_overflow_example():
    """Seed 001: np.exp(2000) = inf and inf/inf = nan; subtracting the max fixes it."""
    out = SOFTMAX.run({"x": [2000.0, 1999.0, 1995.0]})
    assert np.allclose(out["p"], torch.softmax(torch.tensor([2000.0, 1999.0, 1995.0]), dim=-1).numpy())
    assert np.all(np.isnan(out["naive"])) and out["overflow"]
    j = jsonable(out)
    assert j["naive"] == [None, None, None] and j["exp_naive"] == ["inf", "inf", "inf"]
    json.dumps(j)
    bad = SOFTMAX.run({"x": [2000.0, 1999.0, 1995.0]}, "softmax.no-max-shift")
    assert np.all(np.isnan(bad["p"]))


def test_softmax_mistakes():
    x = [[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]]
    right = SOFTMAX.run({"x": x, "temperature": 2})
    wrong_axis = SOFTMAX.run({"x": x, "temperature": 2}, "softmax.wrong-axis")
    assert np.allclose(wrong_axis["p"], torch.softmax(torch.tensor(x) / 2, dim=0).numpy())
    assert np.allclose(SOFTMAX.run({"x": x, "temperature": 2}, "softmax.temperature-multiplied")["p"],
                       torch.softmax(torch.tensor(x) * 2, dim=-1).numpy())
    assert np.allclose(SOFTMAX.run({"x": x, "temperature": 2}, "softmax.no-exp")["p"],
                       np.array(x) / np.array(x).sum(axis=1, keepdims=True))
    for m in SOFTMAX.mistakes:
        if m.id != "softmax.no-max-shift":     # the same numbers until e^x overflows (see the overflow test)
            assert _differs(SOFTMAX.run({"x": x, "temperature": 2}, m.id)["p"], right["p"]), m.id



def test_softmax_generators_match_torch():
    probs, ce = get_generator("softmax.probs"), get_generator("softmax.cross-entropy")
    for seed in range(30):
        v = probs.variant(seed)
        want = probs.expected(v)
        ref = torch.softmax(torch.tensor(v.data["x"]) / v.data["temperature"], dim=-1).numpy()
        assert [want[f"p[{i}]"] for i in range(len(ref))] == pytest.approx(ref.tolist())
        v = ce.variant(seed)
        want = ce.expected(v)
        loss = F.cross_entropy(torch.tensor([v.data["x"]]), torch.tensor([v.data["target"]]))
        assert want["loss"] == pytest.approx(loss.item())


# ============================================================================ information


def test_seed_cross_entropy_table():
    """Seed 002 (~line 840): −[ln 0.3 + ln 0.8 + ln 0.6 + ln 0.4] = 2.85 (correct in the notes)."""
    rows = [([0.3, 0.2, 0.5], 0), ([0.1, 0.8, 0.1], 1), ([0.6, 0.2, 0.2], 0), ([0.1, 0.5, 0.4], 2)]
    total = 0.0
    for q, c in rows:
        onehot = [1.0 if i == c else 0.0 for i in range(3)]
        total += INFO.run({"p": onehot, "q": q})["cross_entropy"]
    assert round(total, 2) == 2.85
    ref = F.nll_loss(torch.log(torch.tensor([q for q, _ in rows])), torch.tensor([c for _, c in rows]),
                     reduction="sum")
    assert total == pytest.approx(ref.item())


def test_information_closed_forms_and_torch():
    rng = np.random.default_rng(9)
    for _ in range(50):
        n = int(rng.integers(2, 7))
        p, q = rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(n))
        base = str(rng.choice(["2", "e", "10"]))
        out = INFO.run({"p": p.tolist(), "q": q.tolist(), "base": base})
        ln_b = {"2": math.log(2), "e": 1.0, "10": math.log(10)}[base]
        h = torch.distributions.Categorical(probs=torch.tensor(p)).entropy().item() / ln_b
        kl = F.kl_div(torch.log(torch.tensor(q)), torch.tensor(p), reduction="sum").item() / ln_b
        kl_qp = torch.distributions.kl_divergence(torch.distributions.Categorical(probs=torch.tensor(q)),
                                                  torch.distributions.Categorical(probs=torch.tensor(p))).item() / ln_b
        assert out["entropy"] == pytest.approx(h) and out["kl_pq"] == pytest.approx(kl)
        assert out["kl_qp"] == pytest.approx(kl_qp)
        assert out["cross_entropy"] == pytest.approx(-(p * np.log(q)).sum() / ln_b)
        assert out["kl_pq"] >= -1e-12 and out["kl_pq"] == pytest.approx(out["cross_entropy"] - out["entropy"])
    for n in range(2, 9):                                # uniform: H = log n; KL(P‖P) = 0
        u = [1 / n] * n
        out = INFO.run({"p": u, "q": u, "base": 2})
        assert out["entropy"] == pytest.approx(math.log2(n)) and out["kl_pq"] == pytest.approx(0, abs=1e-12)


def test_information_zeros_and_infinity():
    out = INFO.run({"p": [0.5, 0.5, 0.0], "q": [1.0, 0.0, 0.0], "base": 2})
    assert out["entropy"] == pytest.approx(1.0)                          # 0·log 0 = 0
    assert math.isinf(out["kl_pq"]) and math.isinf(out["cross_entropy"])
    assert out["kl_qp"] == pytest.approx(1.0)                             # log₂(1/0.5)
    j = jsonable(out)
    assert j["kl_pq"] == "inf"
    json.dumps(j)


def test_information_mistakes():
    inp = {"p": [0.7, 0.2, 0.1], "q": [0.3, 0.4, 0.3], "base": 2}
    right = INFO.run(inp)
    assert INFO.run(inp, "information.kl-swapped")["kl_pq"] == pytest.approx(right["kl_qp"])
    assert INFO.run(inp, "information.no-minus")["entropy"] == pytest.approx(-right["entropy"])
    assert INFO.run(inp, "information.log-base")["entropy"] == pytest.approx(right["entropy"] * math.log(2))
    assert INFO.run(inp, "information.kl-as-cross-entropy")["kl_pq"] == pytest.approx(right["cross_entropy"])
    for m in INFO.mistakes:
        wrong = INFO.run(inp, m.id)
        assert any(_differs(wrong[k], right[k]) for k in ("entropy", "cross_entropy", "kl_pq")), m.id



def test_information_generators_match_closed_forms():
    ent, kl, batch = (get_generator(n) for n in ("information.entropy", "information.kl", "information.cross-entropy"))
    for seed in range(30):
        v = ent.variant(seed)
        p = np.array(v.data["p"])
        assert ent.expected(v)["entropy"] == pytest.approx(-(p * np.log2(p)).sum())
        v = kl.variant(seed)
        p, q = np.array(v.data["p"]), np.array(v.data["q"])
        log = np.log2 if v.data["base"] == "2" else np.log
        want = kl.expected(v)
        assert want["kl_pq"] == pytest.approx((p * log(p / q)).sum())
        assert want["cross_entropy"] == pytest.approx(-(p * log(q)).sum())
        v = batch.variant(seed)
        loss = F.nll_loss(torch.log(torch.tensor(v.data["probs"])), torch.tensor(v.data["target"]), reduction="sum")
        assert batch.expected(v)["total"] == pytest.approx(loss.item())


# ============================================================================ perceptron


def _brute_force_separable(targets):
    grid = np.arange(-2, 2.01, 0.25)
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    for w1, w2, b in itertools.product(grid, grid, grid):
        if np.array_equal((x @ [w1, w2] + b > 0).astype(int), targets):
            return True
    return False


def test_separability_verdict_matches_brute_force_for_all_16_functions():
    from engine.algorithms.perceptron import separable

    for targets in itertools.product([0, 1], repeat=4):
        assert separable(targets)[0] == _brute_force_separable(np.array(targets)), targets


@pytest.mark.parametrize("gate", ["and", "or", "nand", "nor"])
def test_perceptron_learns_the_separable_gates(gate):
    out = PERC.run({"gate": gate, "epochs": 50, "lr": 0.1})
    assert out["converged"] and out["realises_gate"] and out["separable"] and out["computes"] == gate
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    assert np.array_equal((x @ out["w"] + out["b"] > 1e-12).astype(int), [r["target"] for r in out["table"]])


def test_perceptron_cannot_learn_xor():
    out = PERC.run({"gate": "xor", "epochs": 100})
    assert not out["separable"] and not out["converged"] and not out["realises_gate"]
    assert "XOR" in out["reason"] and "XOR" in out["reason_ko"]


def test_seed_perceptron_rule_x1_minus_x2():
    """Seed 002: x₁ − x₂ − 0.5 > 0 → good product: w = (1, −1), b = −0.5 fires only for (1, 0)."""
    out = PERC.run({"w": [1, -1], "b": -0.5})
    assert [r["output"] for r in out["table"]] == [0, 0, 1, 0] and out["computes"] is None


def test_perceptron_training_trace_follows_the_rule():
    out = PERC.run({"gate": "and", "epochs": 10, "lr": 0.1})
    w, b = np.zeros(2), 0.0
    for row in out["trace"]:
        x = np.array(row["x"], dtype=float)
        y = int(w @ x + b > 1e-12)
        assert row["output"] == y
        w, b = w + 0.1 * (row["target"] - y) * x, b + 0.1 * (row["target"] - y)
        assert np.allclose(row["w"], w) and row["b"] == pytest.approx(b)


def test_perceptron_mistakes():
    right = PERC.run({"gate": "and", "epochs": 20})
    for m in PERC.mistakes:
        wrong = PERC.run({"gate": "and", "epochs": 20}, m.id)
        assert _differs(wrong["table"], right["table"]) or _differs(wrong["trace"], right["trace"]), m.id
    edge = {"w": [1, 1], "b": -1}                 # net = 0 on (0,1) and (1,0)
    assert [r["output"] for r in PERC.run(edge, "perceptron.threshold-inclusive")["table"]] == [0, 1, 1, 1]
    assert [r["output"] for r in PERC.run(edge)["table"]] == [0, 0, 0, 1]



def test_perceptron_generators_follow_the_rule():
    gate, upd = get_generator("perceptron.gate"), get_generator("perceptron.update")
    for seed in range(30):
        v = gate.variant(seed)
        out = PERC.run({"w": v.data["w"], "b": v.data["b"]})
        want = gate.expected(v)
        assert [want[f"y[{r}]"] for r in ("00", "01", "10", "11")] == [r["output"] for r in out["table"]]
        v = upd.variant(seed)
        d = v.data
        y = int(np.dot(d["w"], d["x"]) + d["b"] > 0)
        want = upd.expected(v)
        assert want["y"] == y and y != d["t"]
        assert want["w_new[0]"] == pytest.approx(d["w"][0] + d["lr"] * (d["t"] - y) * d["x"][0])
        assert want["b_new"] == pytest.approx(d["b"] + d["lr"] * (d["t"] - y))


# ============================================================================ batching


def _torch_batches(n, bs, drop_last):
    from torch.utils.data import BatchSampler, SequentialSampler

    batches = list(BatchSampler(SequentialSampler(range(n)), bs, drop_last))
    return len(batches), (len(batches[-1]) if batches else 0)


def test_seed_batching_examples():
    """Seed 002: 1000 samples, batch 64 → 16 batches (≈1000); 500 samples, batch 10 → 50 iterations/epoch."""
    out = BATCH.run({"n": 1000, "batch_size": 64, "epochs": 300})
    assert (out["batches_per_epoch"], out["last_batch"], out["iterations"]) == (16, 40, 4800)
    assert BATCH.run({"n": 500, "batch_size": 10, "epochs": 1})["iterations"] == 50


def test_batching_matches_torch_batch_sampler():
    rng = np.random.default_rng(10)
    for _ in range(60):
        n, bs = int(rng.integers(1, 3000)), int(rng.integers(1, 300))
        drop_last = bool(rng.random() < 0.5)
        epochs = int(rng.integers(1, 50))
        out = BATCH.run({"n": n, "batch_size": bs, "epochs": epochs, "drop_last": drop_last})
        count, last = _torch_batches(n, bs, drop_last)
        assert (out["batches_per_epoch"], out["last_batch"]) == (count, last), (n, bs, drop_last)
        assert out["iterations"] == count * epochs


def test_batching_mistakes():
    inp = {"n": 1000, "batch_size": 64, "epochs": 300}
    right = BATCH.run(inp)
    assert BATCH.run(inp, "batching.floor-vs-ceil")["batches_per_epoch"] == 15
    assert BATCH.run({**inp, "drop_last": True}, "batching.floor-vs-ceil")["batches_per_epoch"] == 16
    # the formula shown follows the rounding used
    assert right["formula"] == "⌈1000 / 64⌉ = 16"
    assert BATCH.run(inp, "batching.floor-vs-ceil")["formula"] == "⌊1000 / 64⌋ = 15"
    assert BATCH.run({**inp, "drop_last": True}, "batching.floor-vs-ceil")["formula"] == "⌈1000 / 64⌉ = 16"
    assert BATCH.run(inp, "batching.forgot-epochs")["iterations"] == 16
    assert BATCH.run(inp, "batching.samples-as-iterations")["iterations"] == 300_000
    for m in BATCH.mistakes:
        assert _differs(BATCH.run(inp, m.id), right), m.id



def test_batching_generators_match_torch():
    it, last = get_generator("batching.iterations"), get_generator("batching.last-batch")
    for seed in range(30):
        v = it.variant(seed)
        count, _ = _torch_batches(v.data["n"], v.data["batch_size"], v.data["drop_last"])
        assert it.expected(v) == {"batches_per_epoch": count, "iterations": count * v.data["epochs"]}
        v = last.variant(seed)
        count, size = _torch_batches(v.data["n"], v.data["batch_size"], False)
        dropped, _ = _torch_batches(v.data["n"], v.data["batch_size"], True)
        assert last.expected(v) == {"batches_per_epoch": count, "last_batch": size, "batches_drop_last": dropped}


# ============================================================================ convolution


def test_seed_cnn_output_size():
    """Seed 002 (~line 1430): a (6, 6, 1) image and a 3×3 filter give a (4, 4, 1) feature map."""
    out = CONV.run(CONV.example)
    assert out["output_shape"] == [4, 4]
    x = torch.tensor(CONV.example["input"], dtype=torch.float64)[None, None]
    k = torch.tensor(CONV.example["kernel"], dtype=torch.float64)[None, None]
    ref = F.conv2d(x, k)
    assert np.allclose(out["output"], ref[0, 0].numpy())
    assert np.allclose(out["pooled"], F.max_pool2d(ref, 2, 2)[0, 0].numpy())
    assert "(6 + 2·0 − 3)/1⌋ + 1 = 4" in out["formula"]


def test_conv2d_matches_torch():
    rng = np.random.default_rng(11)
    for _ in range(50):
        c, f = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        h, w = int(rng.integers(3, 9)), int(rng.integers(3, 9))
        kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        stride = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        padding = (int(rng.integers(0, 3)), int(rng.integers(0, 3)))
        x, k, b = rng.normal(size=(c, h, w)), rng.normal(size=(f, c, kh, kw)), rng.normal(size=f)
        kind = str(rng.choice(["max", "avg"]))
        out = CONV.run({"input": x.tolist(), "kernel": k.tolist(), "bias": b.tolist(), "stride": list(stride),
                        "padding": list(padding), "pool": {"type": kind, "size": 2, "stride": 1}})
        ref = F.conv2d(torch.tensor(x)[None], torch.tensor(k), torch.tensor(b), stride=stride, padding=padding)[0]
        assert out["output_shape"] == list(ref.shape)
        assert np.allclose(out["output"], ref.numpy(), atol=1e-12)
        if min(ref.shape[1:]) >= 2:
            pool = F.max_pool2d if kind == "max" else F.avg_pool2d
            assert np.allclose(out["pooled"], pool(ref[None], 2, 1)[0].numpy(), atol=1e-12)
        for axis in (0, 1):                                     # the formula, written out independently
            n, kk, s, p = (h, w)[axis], (kh, kw)[axis], stride[axis], padding[axis]
            assert ref.shape[1 + axis] == math.floor((n + 2 * p - kk) / s) + 1


def test_conv_mistakes():
    x = np.arange(25, dtype=float).reshape(5, 5) % 7
    k = [[1, 2], [0, -1]]
    inp = {"input": x.tolist(), "kernel": k, "padding": 2, "stride": 1, "bias": [0.5]}
    right = CONV.run(inp)
    flipped = CONV.run(inp, "conv.flipped-kernel")
    ref = F.conv2d(torch.tensor(x)[None, None], torch.flip(torch.tensor(k, dtype=torch.float64), (0, 1))[None, None],
                   torch.tensor([0.5]), stride=1, padding=2)
    assert np.allclose(flipped["output"], ref[0, 0].numpy())    # the textbook convolution
    assert right["output_shape"] == [8, 8]                      # (5 + 4 − 2)/1 + 1
    assert CONV.run(inp, "conv.forgot-plus-one")["output_shape"] == [7, 7]
    assert CONV.run(inp, "conv.no-padding-in-size")["output_shape"] == [4, 4]
    assert CONV.run(inp, "conv.padding-once")["output_shape"] == [6, 6]
    assert np.allclose(CONV.run(inp, "conv.no-bias")["output"], np.array(right["output"]) - 0.5)
    for m in CONV.mistakes:
        assert _differs(CONV.run(inp, m.id)["output"], right["output"]), m.id



def test_conv_generators_match_torch():
    size, vals = get_generator("conv.output-size"), get_generator("conv.output-values")
    for seed in range(30):
        v = size.variant(seed)
        d = v.data
        layer = torch.nn.Conv2d(d["c"], d["filters"], d["k"], stride=d["stride"], padding=d["padding"])
        shape = layer(torch.zeros(1, d["c"], d["h"], d["w"])).shape
        want = size.expected(v)
        assert (want["out_h"], want["out_w"]) == (shape[2], shape[3])
        assert want["params"] == sum(p.numel() for p in layer.parameters())
        v = vals.variant(seed)
        ref = F.conv2d(torch.tensor(v.data["input"], dtype=torch.float64)[None, None],
                       torch.tensor(v.data["kernel"], dtype=torch.float64)[None, None],
                       torch.tensor([float(v.data["bias"])]))[0, 0]
        want = vals.expected(v)
        assert [[want[f"out[{i}][{j}]"] for j in range(2)] for i in range(2)] == ref.tolist()
        assert want["pooled"] == F.max_pool2d(ref[None, None], 2).item()


# ============================================================================ optimizers

TORCH_OPT = {
    "sgd": lambda p, lr: torch.optim.SGD([p], lr=lr),
    "momentum": lambda p, lr: torch.optim.SGD([p], lr=lr, momentum=0.9),
    "adagrad": lambda p, lr: torch.optim.Adagrad([p], lr=lr),
    "rmsprop": lambda p, lr: torch.optim.RMSprop([p], lr=lr),
    "adam": lambda p, lr: torch.optim.Adam([p], lr=lr),
}


@pytest.mark.parametrize("kind", sorted(TORCH_OPT))
def test_optimizers_match_torch_optim(kind):
    rng = np.random.default_rng(12)
    for _ in range(8):
        w0, lr, steps = float(rng.uniform(-2, 2)), float(rng.choice([0.001, 0.01, 0.05])), int(rng.integers(1, 30))
        out = OPT.run({"optimizer": kind, "derivative": "4*w^3 - 2*w + 1", "w0": w0, "lr": lr, "steps": steps})
        p = torch.tensor(w0, requires_grad=True)
        opt = TORCH_OPT[kind](p, lr)
        ws = [w0]
        for _ in range(steps):
            opt.zero_grad()
            (p ** 4 - p ** 2 + p).backward()
            opt.step()
            ws.append(p.item())
        assert np.allclose(out["w"], ws, rtol=1e-10, atol=1e-12), kind
        state = opt.state[p]
        if kind == "momentum":
            assert out["velocity"][-1] == pytest.approx(state["momentum_buffer"].item())
        elif kind == "adam":
            assert out["m"][-1] == pytest.approx(state["exp_avg"].item())
            assert out["v"][-1] == pytest.approx(state["exp_avg_sq"].item())
        elif kind == "rmsprop":
            assert out["s"][-1] == pytest.approx(state["square_avg"].item())
        elif kind == "adagrad":
            assert out["accum"][-1] == pytest.approx(state["sum"].item())


def test_optimizers_with_given_gradients_and_hyperparameters_match_torch():
    rng = np.random.default_rng(13)
    grads = rng.normal(size=12).tolist()
    cases = [
        ("momentum", {"momentum": 0.5}, lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.5)),
        ("rmsprop", {"rho": 0.9, "eps": 1e-6}, lambda p: torch.optim.RMSprop([p], lr=0.1, alpha=0.9, eps=1e-6)),
        ("adam", {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6},
         lambda p: torch.optim.Adam([p], lr=0.1, betas=(0.8, 0.99), eps=1e-6)),
        ("adagrad", {"eps": 1e-3}, lambda p: torch.optim.Adagrad([p], lr=0.1, eps=1e-3)),
    ]
    for kind, hyper, make in cases:
        out = OPT.run({"optimizer": kind, "grads": grads, "w0": 1.0, "lr": 0.1, **hyper})
        p = torch.tensor(1.0, requires_grad=True)
        opt = make(p)
        for g in grads:
            p.grad = torch.tensor(g)
            opt.step()
        assert out["w_final"] == pytest.approx(p.item(), rel=1e-10), kind
    # torch's spellings of the same hyper-parameters
    a = OPT.run({"optimizer": "adam", "grads": grads, "w0": 1.0, "lr": 0.1, "betas": [0.8, 0.99], "eps": 1e-6})
    b = OPT.run({"optimizer": "adam", "grads": grads, "w0": 1.0, "lr": 0.1, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6})
    assert a["w"] == b["w"]
    a = OPT.run({"optimizer": "rmsprop", "grads": grads, "w0": 1.0, "lr": 0.1, "alpha": 0.9})
    assert a["w"] == OPT.run({"optimizer": "rmsprop", "grads": grads, "w0": 1.0, "lr": 0.1, "rho": 0.9})["w"]


def test_adam_bias_correction_and_mistakes():
    inp = {"optimizer": "adam", "grads": [0.5, -0.2], "w0": 1.0, "lr": 0.1}
    out = OPT.run(inp)
    assert out["m_hat"][0] == pytest.approx(0.5) and out["v_hat"][0] == pytest.approx(0.25)
    assert out["w"][1] == pytest.approx(1.0 - 0.1, abs=1e-7)         # the first Adam step has size ≈ lr
    raw = OPT.run(inp, "optimizer.adam-no-bias-correction")
    assert raw["w"][1] == pytest.approx(1.0 - 0.1 * 0.05 / math.sqrt(0.00025), rel=1e-6)
    for m in OPT.mistakes:
        kind = {"optimizer.momentum-no-velocity": "momentum", "optimizer.no-sqrt": "rmsprop"}.get(m.id, "adam")
        i = {**inp, "optimizer": kind}
        assert _differs(OPT.run(i, m.id)["w"], OPT.run(i)["w"]), m.id



def test_optimizer_generators_match_torch():
    adam, mom, rms = (get_generator(n) for n in ("optimizer.adam-step", "optimizer.momentum-step",
                                                  "optimizer.rmsprop-step"))
    for seed in range(25):
        v = adam.variant(seed)
        p = torch.tensor(v.data["w0"], requires_grad=True)
        opt = torch.optim.Adam([p], lr=v.data["lr"])
        want = adam.expected(v)
        for t, g in enumerate(v.data["grads"], start=1):
            p.grad = torch.tensor(g)
            opt.step()
            st = opt.state[p]
            assert want[f"m[{t}]"] == pytest.approx(st["exp_avg"].item())
            assert want[f"v[{t}]"] == pytest.approx(st["exp_avg_sq"].item())
            assert want[f"w[{t}]"] == pytest.approx(p.item())
        v = mom.variant(seed)
        p = torch.tensor(v.data["w0"], requires_grad=True)
        opt = torch.optim.SGD([p], lr=v.data["lr"], momentum=v.data["momentum"])
        want = mom.expected(v)
        for t in range(1, v.data["steps"] + 1):
            opt.zero_grad()
            (v.data["a"] * p ** 2).backward()
            opt.step()
            assert want[f"v[{t}]"] == pytest.approx(opt.state[p]["momentum_buffer"].item())
            assert want[f"w[{t}]"] == pytest.approx(p.item())
        v = rms.variant(seed)
        p = torch.tensor(v.data["w0"], requires_grad=True)
        opt = torch.optim.RMSprop([p], lr=v.data["lr"], alpha=v.data["rho"], eps=v.data["eps"])
        want = rms.expected(v)
        for t, g in enumerate(v.data["grads"], start=1):
            p.grad = torch.tensor(g)
            opt.step()
            assert want[f"s[{t}]"] == pytest.approx(opt.state[p]["square_avg"].item())
            assert want[f"w[{t}]"] == pytest.approx(p.item())


# ============================================================================ all of them


NN_GENERATORS = ["activation.value", "activation.vanishing", "batching.iterations", "batching.last-batch",
                 "conv.output-size", "conv.output-values", "gd.from-loss", "gd.steps", "information.cross-entropy",
                 "information.entropy", "information.kl", "mlp.backprop", "mlp.forward", "optimizer.adam-step",
                 "optimizer.momentum-step", "optimizer.rmsprop-step", "perceptron.gate", "perceptron.update",
                 "softmax.cross-entropy", "softmax.probs"]


@pytest.mark.parametrize("name", NN_GENERATORS)
def test_generator_values_are_plain_floats_and_data_is_json(name):
    gen = get_generator(name)
    for seed in range(20):
        v = gen.variant(seed)
        json.dumps(v.data)
        assert all(type(x) is float for x in gen.expected(v).values())
        for vals in gen.mistakes(v).values():
            assert all(type(x) is float for x in vals.values())


@pytest.mark.parametrize("name", ["mlp", "gradient-descent", "activation", "softmax", "information", "perceptron",
                                  "batching", "conv2d", "optimizer"])
def test_examples_run_and_are_json_clean(name):
    alg = get_algorithm(name)
    out = alg.run(alg.example)
    json.dumps(jsonable(out))
    assert all(k in out for k in alg.summary)
    numeric = [m for m in alg.mistakes]
    assert len(numeric) >= 2
    for m in alg.mistakes:
        wrong = alg.run(alg.example, m.id)
        assert set(wrong) == set(out), m.id
        json.dumps(jsonable(wrong))
        assert m.explain["en"].strip() and m.explain["ko"].strip()


# Every algorithm names the offending key of a bad input: (algorithm, inputs, key), one table.
BAD_INPUTS = [
    (MLP, {"x": [1, 2], "w_hidden": [[1, 2, 3]], "w_out": [[1]]}, "w_hidden"),
    (MLP, {"w_hidden": [[1, 2]], "w_out": [[1]]}, "x"),
    (MLP, {"x": [1, 2], "w_hidden": [[1, 2]], "w_out": [[1, 2]]}, "w_out"),
    (MLP, {"x": [1, 2], "w_hidden": [[1, 2]], "w_out": [[1]], "t": [1, 0]}, "t"),
    (MLP, {"x": [1, 2], "w_hidden": [[1, 2]], "w_out": [[1]], "lr": 0.1}, "lr"),
    (MLP, {"x": [1, float("nan")], "w_hidden": [[1, 2]], "w_out": [[1]]}, "x"),
    (MLP, {"x": [1, 2], "w_hidden": [[1, 2]], "b_hidden": [1, 2], "w_out": [[1]]}, "b_hidden"),
    (MLP, {"x": "12", "w_hidden": [[1, 2]], "w_out": [[1]]}, "x"),
    (GD, {"derivative": "__import__('os')", "w0": 1, "lr": 0.1}, "derivative"),
    (GD, {"derivative": "4*x^3", "w0": 1, "lr": 0.1}, "derivative"),
    (GD, {"derivative": 5, "w0": "a", "lr": 0.1}, "w0"),
    (GD, {"derivative": "w", "w0": 1, "lr": 0}, "lr"),
    (GD, {"derivative": "w", "w0": 1, "lr": 0.1, "steps": 100_001}, "steps"),
    (GD, {"w0": 1, "lr": 0.1}, "derivative"),
    (ACT, {"name": "sigmod", "x": 1}, "name"),
    (ACT, {"x": 1}, "name"),
    (ACT, {"name": "relu"}, "x"),
    (ACT, {"name": "relu", "x": "one"}, "x"),
    (ACT, {"name": "sigmoid", "x": 1, "alpha": 0.1}, "alpha"),
    (ACT, {"name": "gelu", "x": 1, "approximate": "erf"}, "approximate"),
    (ACT, {"name": "relu", "x": [1, float("inf")]}, "x"),
    (SOFTMAX, {"x": [[[1.0]]]}, "x"),
    (SOFTMAX, {"x": []}, "x"),
    (SOFTMAX, {"x": [1, 2], "temperature": 0}, "temperature"),
    (SOFTMAX, {"x": [1, "a"]}, "x"),
    (INFO, {"p": [0.5, 0.6]}, "p"),
    (INFO, {"p": [1.2, -0.2]}, "p"),
    (INFO, {"p": [0.5, 0.5], "q": [0.2, 0.3, 0.5]}, "q"),
    (INFO, {"p": [0.5, 0.5], "q": [0.5, 0.4]}, "q"),
    (INFO, {"p": [0.5, 0.5], "base": 3}, "base"),
    (INFO, {"p": "0.5"}, "p"),
    (PERC, {"gate": "xand"}, "gate"),
    (PERC, {}, "gate"),
    (PERC, {"w": [1, 2, 3], "b": 0}, "w"),
    (PERC, {"b": 1}, "w"),
    (PERC, {"gate": "and", "lr": -1}, "lr"),
    (PERC, {"w": [1, 1], "epochs": 5}, "gate"),
    (BATCH, {"n": 10, "batch_size": 0}, "batch_size"),
    (BATCH, {"batch_size": 4}, "n"),
    (BATCH, {"n": 10.5, "batch_size": 2}, "n"),
    (BATCH, {"n": 10, "batch_size": 2, "drop_last": "yes"}, "drop_last"),
    (BATCH, {"n": 10, "batch_size": 2, "epochs": 0}, "epochs"),
    (CONV, {"input": [[1, 2], [3, 4]], "kernel": [[1, 1, 1], [1, 1, 1], [1, 1, 1]]}, "kernel"),
    (CONV, {"input": [[[1, 2], [3, 4]], [[1, 2], [3, 4]]], "kernel": [[[[1]]]]}, "kernel"),
    (CONV, {"input": [[1, 2], [3, 4]], "kernel": [[1]], "bias": [1, 2]}, "bias"),
    (CONV, {"input": [[1, 2], [3, 4]], "kernel": [[1]], "stride": 0}, "stride"),
    (CONV, {"input": [[1, 2], [3, 4]], "kernel": [[1]], "padding": -1}, "padding"),
    (CONV, {"input": [[1, 2], [3, 4]], "kernel": [[1]], "pool": {"type": "min"}}, "pool.type"),
    (CONV, {"input": [1, 2, 3], "kernel": [[1]]}, "input"),
    (CONV, {"input": [[1, 2], [3]], "kernel": [[1]]}, "input"),
    (OPT, {"optimizer": "adamw", "grads": [1], "w0": 0, "lr": 0.1}, "optimizer"),
    (OPT, {"optimizer": "adam", "grads": [1], "derivative": "w", "w0": 0, "lr": 0.1}, "derivative"),
    (OPT, {"optimizer": "adam", "w0": 0, "lr": 0.1}, "derivative"),
    (OPT, {"optimizer": "adam", "grads": [1], "w0": 0, "lr": 0.1, "beta1": 1.0}, "beta1"),
    (OPT, {"optimizer": "adam", "grads": [1], "w0": 0, "lr": 0.1, "betas": 0.9}, "betas"),
    (OPT, {"optimizer": "adam", "grads": [], "w0": 0, "lr": 0.1}, "grads"),
    (OPT, {"optimizer": "sgd", "grads": [1, 2], "w0": 0, "lr": 0.1, "steps": 3}, "steps"),
    (OPT, {"optimizer": "sgd", "derivative": "exec('1')", "w0": 0, "lr": 0.1}, "derivative"),
]


@pytest.mark.parametrize("alg,bad,key", BAD_INPUTS, ids=lambda v: v.name if hasattr(v, "name") else None)
def test_bad_input_names_the_key(alg, bad, key):
    _input_error(alg, bad, key)
