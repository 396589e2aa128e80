"""Batch normalisation in the engine vs torch (``nn.BatchNorm1d`` in training mode, autograd,
``F.layer_norm`` for the per-sample mistake), its mistakes, its input errors, and its generator.

torch is imported inside the tests (a fixture), never at collection.
"""

import math

import numpy as np
import pytest

from engine.algorithms.batchnorm import MISTAKES, batchnorm
from engine.core import InputError
from engine.registry import get_algorithm, get_generator
from tutor.grading import grade_variant

BN = get_algorithm("batchnorm")
GEN = get_generator("batchnorm.forward")


@pytest.fixture(scope="module")
def torch():
    torch = pytest.importorskip("torch")
    return torch


def _torch_step(torch, inputs):
    """One training-mode step of nn.BatchNorm1d on ``inputs``; returns the layer, x and y."""
    x = torch.tensor(inputs["x"], dtype=torch.float64, requires_grad=True)
    d = x.shape[1]
    bn = torch.nn.BatchNorm1d(d, eps=inputs.get("eps", 1e-5), momentum=inputs.get("momentum", 0.1),
                              dtype=torch.float64)
    bn.train()
    with torch.no_grad():
        bn.weight.copy_(torch.as_tensor(inputs.get("gamma", 1.0), dtype=torch.float64).expand(d))
        bn.bias.copy_(torch.as_tensor(inputs.get("beta", 0.0), dtype=torch.float64).expand(d))
        bn.running_mean.copy_(torch.as_tensor(inputs.get("running_mean", 0.0), dtype=torch.float64).expand(d))
        bn.running_var.copy_(torch.as_tensor(inputs.get("running_var", 1.0), dtype=torch.float64).expand(d))
    y = bn(x)
    if "dy" in inputs:
        y.backward(torch.tensor(inputs["dy"], dtype=torch.float64))
    return bn, x, y


def _cases():
    rng = np.random.default_rng(21)
    cases = [dict(BN.example)]
    for n, d in [(2, 1), (3, 4), (8, 3), (16, 5)]:
        cases.append({
            "x": (rng.normal(size=(n, d)) * rng.uniform(0.1, 10) + rng.uniform(-5, 5)).tolist(),
            "gamma": rng.uniform(-2, 2, size=d).tolist(), "beta": rng.uniform(-2, 2, size=d).tolist(),
            "eps": float(rng.choice([1e-5, 1e-3, 0.1])), "momentum": float(rng.choice([0.1, 0.01, 0.5, 1.0])),
            "running_mean": rng.normal(size=d).tolist(), "running_var": rng.uniform(0.5, 2, size=d).tolist(),
            "dy": rng.normal(size=(n, d)).tolist(),
        })
    # a constant feature (σ²_B = 0): ε alone keeps the division finite
    cases.append({"x": [[3, 1], [3, 2], [3, 4]], "dy": [[1, 1], [2, 0], [0, 1]]})
    return cases


@pytest.mark.parametrize("inputs", _cases(), ids=lambda c: "x{}x{}".format(*np.shape(c["x"])))
def test_forward_running_stats_and_backward_agree_with_torch(torch, inputs):
    out = BN.run(inputs)
    bn, x, y = _torch_step(torch, inputs)
    assert np.allclose(out["y"], y.detach().numpy(), atol=1e-10)
    assert np.allclose(out["running_mean"], bn.running_mean.numpy(), atol=1e-12)
    assert np.allclose(out["running_var"], bn.running_var.numpy(), atol=1e-12)
    assert np.allclose(out["dx"], x.grad.numpy(), atol=1e-9)
    assert np.allclose(out["dgamma"], bn.weight.grad.numpy(), atol=1e-10)
    assert np.allclose(out["dbeta"], bn.bias.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("n", [1, 4])
def test_eval_mode_agrees_with_torch_and_leaves_the_running_statistics(torch, n):
    rng = np.random.default_rng(n)
    inputs = {"x": rng.normal(3, 2, size=(n, 3)).tolist(), "gamma": [2, -1, 0.5], "beta": [0, 1, -2],
              "running_mean": [1, 2, 3], "running_var": [0.5, 1, 4], "dy": rng.normal(size=(n, 3)).tolist()}
    out = BN.run({**inputs, "mode": "eval"})
    x = torch.tensor(inputs["x"], dtype=torch.float64, requires_grad=True)
    bn = torch.nn.BatchNorm1d(3, dtype=torch.float64)
    with torch.no_grad():
        for p, k in ((bn.weight, "gamma"), (bn.bias, "beta"), (bn.running_mean, "running_mean"),
                     (bn.running_var, "running_var")):
            p.copy_(torch.tensor(inputs[k], dtype=torch.float64))
    bn.eval()
    y = bn(x)
    y.backward(torch.tensor(inputs["dy"], dtype=torch.float64))
    assert np.allclose(out["y"], y.detach().numpy()) and np.allclose(out["dx"], x.grad.numpy())
    assert np.allclose(out["dgamma"], bn.weight.grad.numpy()) and np.allclose(out["dbeta"], bn.bias.grad.numpy())
    assert np.allclose(out["running_var"], inputs["running_var"]) and np.allclose(bn.running_var.numpy(), [0.5, 1, 4])
    # forgetting model.eval() normalises with the batch's own statistics (as train mode does)
    if n > 1:
        forgot = BN.run({**inputs, "mode": "eval"}, mistake="batchnorm.eval-batch-stats")
        assert np.allclose(forgot["y"], BN.run(inputs)["y"])


def test_trace_names_the_math_and_matches_its_definitions():
    out = BN.run(BN.example)
    x = np.asarray(BN.example["x"], dtype=float)
    assert np.allclose(out["mu"], x.mean(axis=0))
    assert np.allclose(out["var"], x.var(axis=0))                       # biased
    assert np.allclose(out["var_unbiased"], x.var(axis=0, ddof=1))      # what the running estimate takes in
    assert np.allclose(out["x_hat"].mean(axis=0), 0, atol=1e-12)
    assert np.allclose(out["x_hat"].var(axis=0), out["var"] / (out["var"] + 1e-5))
    assert "dx" not in BN.run({"x": BN.example["x"]})                   # no dy: no backward pass


def test_per_sample_mistake_is_layer_normalisation(torch):
    x = np.asarray(BN.example["x"], dtype=float)
    out = BN.run({"x": x.tolist()}, mistake="batchnorm.per-sample")
    ln = torch.nn.functional.layer_norm(torch.tensor(x), (x.shape[1],), eps=1e-5)
    assert np.allclose(out["x_hat"], ln.numpy())
    assert np.allclose(out["running_var"], 1.0) and np.allclose(out["running_mean"], 0.0)


def _differs(a, b):
    return np.shape(a) != np.shape(b) or not np.allclose(a, b, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("mistake", [m.id for m in MISTAKES])
def test_every_mistake_differs_from_the_right_answer(mistake):
    inputs = dict(BN.example)
    if mistake == "batchnorm.eval-batch-stats":
        inputs.update(mode="eval", running_mean=[3, 4], running_var=[2, 3])
    right = BN.run(inputs)
    wrong = BN.run(inputs, mistake=mistake)
    keys = ("mu", "var", "x_hat", "y", "running_var", "dx", "dgamma")
    assert any(_differs(wrong[k], right[k]) for k in keys), mistake


def test_mistakes_change_the_step_they_name():
    right = BN.run(BN.example)
    assert not _differs(BN.run(BN.example, mistake="batchnorm.no-affine")["x_hat"], right["x_hat"])
    rb = BN.run(BN.example, mistake="batchnorm.running-biased")
    assert not _differs(rb["y"], right["y"]) and _differs(rb["running_var"], right["running_var"])
    bc = BN.run(BN.example, mistake="batchnorm.backward-constant-stats")
    assert not _differs(bc["dgamma"], right["dgamma"]) and _differs(bc["dx"], right["dx"])
    # forgetting ε matters only when a feature barely varies
    tiny = {"x": [[0.0], [0.001], [0.002], [0.003]]}
    assert abs(BN.run(tiny, mistake="batchnorm.no-eps")["x_hat"][0, 0] - BN.run(tiny)["x_hat"][0, 0]) > 0.05


@pytest.mark.parametrize("inputs, key", [
    ({}, "x"),
    ({"x": [1, 2, 3]}, "x"),                              # 1-D: which axis is the batch?
    ({"x": [[1, 2]]}, "x"),                               # one sample in train mode
    ({"x": [[1, 2], [3, 4]], "mode": "test"}, "mode"),
    ({"x": [[1, "a"], [2, 3]]}, "x"),
    ({"x": [[1e300], [-1e300]]}, "x"),                    # the variance overflows
    ({"x": np.zeros((101, 100)).tolist()}, "inputs"),     # too many values: the engine's cap on every call
    ({"x": [[1, 2], [3, 4]], "gamma": [1, 2, 3]}, "gamma"),
    ({"x": [[1, 2], [3, 4]], "beta": [[1, 2]]}, "beta"),
    ({"x": [[1, 2], [3, 4]], "eps": 0}, "eps"),
    ({"x": [[1, 2], [3, 4]], "momentum": 1.5}, "momentum"),
    ({"x": [[1, 2], [3, 4]], "running_var": [1, -1]}, "running_var"),
    ({"x": [[1, 2], [3, 4]], "dy": [[1, 2]]}, "dy"),
    ("not a mapping", "inputs"),
])
def test_bad_input_is_an_input_error_naming_the_key(inputs, key):
    with pytest.raises(InputError) as e:
        BN.run(inputs)
    assert e.value.key == key


@pytest.mark.parametrize("inputs, mistake", [
    ({"x": [[1, 2], [3, 4]]}, "batchnorm.backward-constant-stats"),        # no backward pass without dy
    ({"x": [[1, 2], [3, 4]]}, "batchnorm.eval-batch-stats"),               # train mode uses batch statistics
    ({"x": [[1, 2], [3, 4]], "mode": "eval"}, "batchnorm.running-biased"),  # eval updates nothing
    ({"x": [[1, 2], [3, 4]], "mode": "eval"}, "batchnorm.per-sample"),
])
def test_a_mistake_that_does_not_apply_is_an_input_error(inputs, mistake):
    with pytest.raises(InputError) as e:
        BN.run(inputs, mistake=mistake)
    assert e.value.key == "mistake"


# ----------------------------------------------------------------------------- the generator


def test_generator_answers_are_the_algorithms_and_torchs(torch):
    for seed in range(10):
        v = GEN.variant(seed)
        d, right = v.data, GEN.expected(v)
        i, j = d["i"], d["j"]
        x = np.asarray(d["x"], dtype=float)
        out = batchnorm(x, np.asarray(d["gamma"]), np.asarray(d["beta"]), d["eps"], d["momentum"],
                        running_var=np.full(x.shape[1], d["running_var"]))
        assert right["mu"] == pytest.approx(out["mu"][j]) and right["var"] == pytest.approx(out["var"][j])
        assert right["x_hat"] == pytest.approx(out["x_hat"][i, j]) and right["y"] == pytest.approx(out["y"][i, j])
        assert right["running_var"] == pytest.approx(out["running_var"][j])
        bn, _, y = _torch_step(torch, {k: d[k] for k in ("x", "gamma", "beta", "eps", "momentum", "running_var")})
        assert right["y"] == pytest.approx(float(y.detach()[i, j]))
        assert right["running_var"] == pytest.approx(float(bn.running_var[j]))


def test_generator_inputs_are_pleasant_by_hand():
    for seed in range(30):
        d = GEN.variant(seed).data
        x = np.asarray(d["x"])
        assert x.shape == (4, 2) and np.all(x == np.round(x))
        assert np.all(x.sum(axis=0) % 4 == 0)                          # whole-number means
        assert all(g * 2 == round(g * 2) for g in d["gamma"] + d["beta"])


def test_generator_carries_the_learners_variance_forward():
    v = GEN.variant(3)
    right = GEN.expected(v)
    answers = {k: repr(x) for k, x in right.items()}
    own_var = right["var"] + 1.0                                         # a slip in σ²_B ...
    answers["var"] = repr(own_var)
    ecf = GEN.expected(v, {k: float(a) for k, a in answers.items()})
    assert ecf["x_hat"] != pytest.approx(right["x_hat"])
    answers["x_hat"] = repr(ecf["x_hat"])
    answers["y"] = repr(ecf["y"])
    answers["running_var"] = repr(ecf["running_var"])
    g = grade_variant(GEN, v, answers)
    # ... costs that field only: x̂, y and the running variance are graded from the learner's own σ²_B
    assert not g.fields["var"].ok
    assert all(g.fields[k].ok for k in ("mu", "x_hat", "y", "running_var"))


def test_generator_names_the_per_sample_mistake():
    v = GEN.variant(5)
    right = GEN.expected(v)
    wrong = GEN.mistakes(v)["batchnorm.per-sample"]
    g = grade_variant(GEN, v, {k: repr(wrong.get(k, right[k])) for k in right})
    assert g.mistake == "batchnorm.per-sample"
    assert not g.fields["mu"].ok and math.isfinite(wrong["x_hat"])
