"""Batch normalisation (Ioffe & Szegedy 2015) as ``torch.nn.BatchNorm1d`` computes it.

Forward, for a mini-batch x of n samples × d features, per feature (over the batch, axis 0):
    μ_B   = (1/n) Σ_i x_i                              (d,)   batch mean
    σ²_B  = (1/n) Σ_i (x_i − μ_B)²                     (d,)   batch variance, BIASED (divide by n)
    x̂     = (x − μ_B) / √(σ²_B + ε)                    (n, d)
    y     = γ x̂ + β                                    (n, d)  γ, β learned, one per feature
Running statistics (used at inference, ``model.eval()``), with momentum m (torch's default 0.1):
    running_mean ← (1 − m)·running_mean + m·μ_B
    running_var  ← (1 − m)·running_var  + m·σ²_B·n/(n − 1)   (the UNBIASED variance, as torch keeps it)
Backward, for an upstream gradient dy = ∂L/∂y (n, d):
    ∂L/∂β = Σ_i dy_i        ∂L/∂γ = Σ_i dy_i x̂_i       dx̂ = γ dy
    ∂L/∂x = (dx̂ − mean_i(dx̂) − x̂ · mean_i(dx̂ x̂)) / √(σ²_B + ε)
(μ_B and σ²_B depend on every x_i, hence the two mean terms.)
Eval mode (``model.eval()``): μ, σ² are the running statistics, left unchanged; ∂L/∂x = γ dy / √(running_var + ε).
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Mistake, as_array, as_choice, as_float
from engine.registry import algorithm

# ----------------------------------------------------------------------------- the steps
# Each step takes the mistake that changes it; the generator chains the same steps.


def batch_stats(x: np.ndarray, mistake: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """μ_B and σ²_B of x (n, d) per feature, over the batch (axis 0)."""
    axis = 1 if mistake == "batchnorm.per-sample" else 0   # per-sample: over the features of each row
    count = x.shape[axis]
    mu = x.mean(axis=axis)                                   # (d,)   per-sample: (n,)
    dev = x - np.expand_dims(mu, axis)                       # (n, d)
    ddof = 1 if mistake == "batchnorm.unbiased-var" else 0
    var = (dev ** 2).sum(axis=axis) / (count - ddof)         # (d,)   per-sample: (n,)
    return mu, var


def normalise(x: Any, mu: Any, var: Any, eps: float, mistake: str | None = None) -> tuple[Any, Any]:
    """x̂ = (x − μ_B) / √(σ²_B + ε); returns (x̂, the denominator). Broadcasts: x (n, d), μ, σ² (d,)."""
    if mistake == "batchnorm.no-eps":
        denom = np.sqrt(var)
    elif mistake == "batchnorm.no-sqrt":
        denom = var + eps
    else:
        denom = np.sqrt(var + eps)
    return (x - mu) / denom, denom


def scale_shift(x_hat: Any, gamma: Any, beta: Any, mistake: str | None = None) -> Any:
    """y = γ x̂ + β."""
    if mistake == "batchnorm.no-affine":
        return x_hat
    return gamma * x_hat + beta


def running_update(running: Any, batch: Any, momentum: float) -> Any:
    """running ← (1 − m)·running + m·batch   (torch's momentum m; an exponential moving average)."""
    return (1.0 - momentum) * running + momentum * batch


def running_var_target(var: Any, n: int, mistake: str | None = None) -> Any:
    """The variance the running estimate takes in: σ²_B·n/(n − 1), the unbiased one."""
    if mistake == "batchnorm.running-biased":
        return var                                           # the biased σ²_B, as used to normalise
    return var * n / (n - 1)


def backward(dy: np.ndarray, x_hat: np.ndarray, denom: np.ndarray, gamma: np.ndarray, axis: int = 0,
             mistake: str | None = None) -> dict:
    """∂L/∂x, ∂L/∂γ, ∂L/∂β from dy (n, d), with the x̂ and denominator of the forward pass."""
    dbeta = dy.sum(axis=0)                                   # (d,)
    dgamma = (dy * x_hat).sum(axis=0)                        # (d,)
    dx_hat = dy * gamma                                      # (n, d)
    if mistake == "batchnorm.backward-constant-stats":
        dx = dx_hat / _expand(denom, axis)                   # (n, d)  μ_B, σ²_B treated as constants
    else:
        mean_dxh = dx_hat.mean(axis=axis, keepdims=True)                       # (1, d)
        mean_dxh_xh = (dx_hat * x_hat).mean(axis=axis, keepdims=True)          # (1, d)
        dx = (dx_hat - mean_dxh - x_hat * mean_dxh_xh) / _expand(denom, axis)  # (n, d)
    return {"dbeta": dbeta, "dgamma": dgamma, "dx_hat": dx_hat, "dx": dx}


def _expand(stat: np.ndarray, axis: int) -> np.ndarray:
    return np.expand_dims(stat, axis)                        # (1, d), or (n, 1) per sample


def batchnorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5, momentum: float = 0.1,
              running_mean: np.ndarray | None = None, running_var: np.ndarray | None = None,
              dy: np.ndarray | None = None, training: bool = True, *, mistake: str | None = None) -> dict:
    """One step of batch normalisation on x (n, d); γ, β, running stats (d,); dy (n, d).

    ``training``: normalise with the batch statistics and update the running ones (``model.train()``);
    otherwise normalise with the running statistics and leave them alone (``model.eval()``)."""
    n, d = x.shape
    running_mean = np.zeros(d) if running_mean is None else running_mean
    running_var = np.ones(d) if running_var is None else running_var
    batch = training or mistake == "batchnorm.eval-batch-stats"   # forgot model.eval(): batch statistics
    if batch:
        mu, var = batch_stats(x, mistake)                    # (d,), (d,)   per-sample: (n,), (n,)
    else:
        mu, var = running_mean, running_var                  # (d,), (d,)
    axis = 1 if mistake == "batchnorm.per-sample" else 0
    x_hat, denom = normalise(x, _expand(mu, axis), _expand(var, axis), eps, mistake)   # (n, d)
    y = scale_shift(x_hat, gamma, beta, mistake)             # (n, d)
    out = {"mode": "train" if training else "eval", "n": n, "d": d, "eps": eps, "momentum": momentum,
           "mu": mu, "var": var, "std": np.sqrt(var + eps), "x_hat": x_hat, "y": y}
    if training and axis == 0:
        var_unbiased = running_var_target(var, n, mistake)  # (d,)
        out["var_unbiased"] = var_unbiased
        out["running_mean"] = running_update(running_mean, mu, momentum)          # (d,)
        out["running_var"] = running_update(running_var, var_unbiased, momentum)  # (d,)
    else:   # eval leaves them alone; per-sample statistics (layer normalisation's) have no per-feature average
        out["running_mean"], out["running_var"] = running_mean, running_var
    if dy is not None:
        g = np.ones_like(gamma) if mistake == "batchnorm.no-affine" else gamma   # no γ: dx̂ = dy
        # in eval mode μ and σ² are constants: ∂L/∂x = γ dy / √(running_var + ε)
        bw = mistake if batch else "batchnorm.backward-constant-stats"
        out.update(backward(dy, x_hat, denom.reshape(-1), g, axis, bw))
    return out


# ----------------------------------------------------------------------------- mistakes

MISTAKES = (
    Mistake("batchnorm.per-sample", {
        "en": "You normalised each sample over its features (the rows). Batch normalisation normalises each "
              "FEATURE over the samples of the batch (the columns): μ_B and σ²_B are taken down a column. "
              "Over the features of one sample is what layer normalisation does.",
        "ko": "샘플 하나의 특성들에 걸쳐(행 방향으로) 정규화했습니다. 배치 정규화는 각 '특성(feature)'을 배치 안의 "
              "샘플들에 걸쳐(열 방향으로) 정규화합니다: μ_B와 σ²_B는 열 하나를 따라 구합니다. 샘플 하나의 "
              "특성들에 걸쳐 정규화하는 것은 층 정규화(layer normalization)입니다.",
    }),
    Mistake("batchnorm.unbiased-var", {
        "en": "You divided by n − 1 for σ²_B. To normalise, batch normalisation uses the biased batch variance, "
              "(1/n) Σ (x_i − μ_B)²; only the running estimate takes the unbiased one.",
        "ko": "σ²_B를 n − 1로 나눴습니다. 정규화에는 편향 분산(biased variance) (1/n) Σ (x_i − μ_B)²을 씁니다. "
              "n − 1로 나눈 불편 분산(unbiased variance)은 이동 분산(running variance)을 갱신할 때만 씁니다.",
    }),
    Mistake("batchnorm.no-eps", {
        "en": "You left ε out: x̂ = (x − μ_B) / √(σ²_B + ε). The ε keeps the division safe when a feature has "
              "(almost) no variance in the batch.",
        "ko": "ε을 빠뜨렸습니다: x̂ = (x − μ_B) / √(σ²_B + ε). ε은 배치 안에서 분산이 (거의) 0인 특성이 있어도 "
              "0으로 나누지 않게 해 줍니다.",
    }),
    Mistake("batchnorm.no-sqrt", {
        "en": "You divided by the variance. x̂ divides by the standard deviation √(σ²_B + ε), so that x̂ has "
              "variance 1.",
        "ko": "분산으로 나눴습니다. x̂는 표준편차 √(σ²_B + ε)으로 나누어야 분산이 1이 됩니다.",
    }),
    Mistake("batchnorm.no-affine", {
        "en": "You stopped at x̂. The layer's output is y = γ x̂ + β: the learned scale γ and shift β let the "
              "network undo the normalisation where that helps.",
        "ko": "x̂에서 멈췄습니다. 층의 출력은 y = γ x̂ + β입니다. 학습되는 크기 γ와 이동 β가 있어야 필요할 때 "
              "정규화를 되돌릴 수 있습니다.",
    }),
    Mistake("batchnorm.running-biased", {
        "en": "You updated the running variance with the biased σ²_B. torch's running estimate takes the "
              "unbiased variance σ²_B·n/(n − 1): running_var ← (1 − m)·running_var + m·σ²_B·n/(n − 1).",
        "ko": "이동 분산(running variance)을 편향 분산 σ²_B로 갱신했습니다. torch는 이동 평균에 불편 분산 "
              "σ²_B·n/(n − 1)을 넣습니다: running_var ← (1 − m)·running_var + m·σ²_B·n/(n − 1).",
    }),
    Mistake("batchnorm.eval-batch-stats", {
        "en": "At inference you normalised with the statistics of the incoming batch. In eval mode "
              "(model.eval()) batch normalisation uses the running mean and variance gathered in training, so "
              "that an input's output does not depend on the rest of the batch.",
        "ko": "추론 때 들어온 배치의 통계로 정규화했습니다. 평가 모드(model.eval())의 배치 정규화는 학습 중에 모아 둔 "
              "이동 평균과 이동 분산(running mean/var)을 씁니다. 그래야 한 입력의 출력이 배치의 나머지에 따라 "
              "달라지지 않습니다.",
    }),
    Mistake("batchnorm.backward-constant-stats", {
        "en": "You treated μ_B and σ²_B as constants in the backward pass (∂L/∂x = γ dy / √(σ²_B + ε)). They "
              "are computed from the same batch, so every x_i also moves them: "
              "∂L/∂x = (dx̂ − mean(dx̂) − x̂·mean(dx̂ x̂)) / √(σ²_B + ε).",
        "ko": "역전파에서 μ_B와 σ²_B를 상수로 취급했습니다(∂L/∂x = γ dy / √(σ²_B + ε)). 두 값은 같은 배치로 "
              "계산하므로 x_i가 움직이면 함께 움직입니다: ∂L/∂x = (dx̂ − mean(dx̂) − x̂·mean(dx̂ x̂)) / √(σ²_B + ε).",
    }),
)
TRAIN_ONLY = {"batchnorm.per-sample", "batchnorm.unbiased-var", "batchnorm.running-biased",
              "batchnorm.backward-constant-stats"}


# ----------------------------------------------------------------------------- inputs


def _per_feature(inputs: Mapping[str, Any], key: str, d: int, default: float) -> np.ndarray:
    if inputs.get(key) is None:
        return np.full(d, default)
    arr = as_array(inputs, key, ndim=(0, 1))
    if arr.ndim == 0:
        return np.full(d, float(arr))
    if arr.shape != (d,):
        raise InputError(key, f"expected {d} values (one per feature), got {arr.shape[0]}")
    return arr


def parse(inputs: Mapping[str, Any]) -> dict:
    if not isinstance(inputs, Mapping):
        raise InputError("inputs", "expected an object")
    x = as_array(inputs, "x", ndim=2)
    n, d = x.shape
    training = as_choice(inputs, "mode", ("train", "eval"), default="train") == "train"
    if training and n < 2:
        raise InputError("x", "need at least 2 samples (rows) in train mode: the batch variance of one sample is 0")
    with np.errstate(over="ignore", invalid="ignore"):
        fits = bool(np.all(np.isfinite((x - x.mean(axis=0)) ** 2)) and np.all(np.isfinite((x - x.mean(axis=1,
                    keepdims=True)) ** 2)))
    if not fits:
        raise InputError("x", "values too large: the batch variance overflows (rescale the data)")
    args = {
        "x": x,
        "gamma": _per_feature(inputs, "gamma", d, 1.0),
        "beta": _per_feature(inputs, "beta", d, 0.0),
        "eps": as_float(inputs, "eps", default=1e-5, lo=0.0, open_lo=True, hi=1.0),
        "momentum": as_float(inputs, "momentum", default=0.1, lo=0.0, hi=1.0),
        "running_mean": _per_feature(inputs, "running_mean", d, 0.0),
        "running_var": _per_feature(inputs, "running_var", d, 1.0),
        "training": training,
    }
    if np.any(args["running_var"] < 0):
        raise InputError("running_var", "a variance must be ≥ 0")
    if inputs.get("dy") is not None:
        dy = as_array(inputs, "dy", ndim=2)
        if dy.shape != x.shape:
            raise InputError("dy", f"expected the shape of x, {n}×{d} (∂L/∂y for every entry), "
                                   f"got {'×'.join(map(str, dy.shape))}")
        args["dy"] = dy
    return args


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    args = parse(inputs)
    if mistake == "batchnorm.backward-constant-stats" and "dy" not in args:
        raise InputError("mistake", "batchnorm.backward-constant-stats only applies with dy (the backward pass)")
    if args["training"] and mistake == "batchnorm.eval-batch-stats":
        raise InputError("mistake", "batchnorm.eval-batch-stats only applies with mode = eval")
    if not args["training"] and mistake in TRAIN_ONLY:
        raise InputError("mistake", f"{mistake} only applies with mode = train (eval uses the running statistics)")
    return batchnorm(**args, mistake=mistake)


ALGORITHM = algorithm(Algorithm(
    name="batchnorm",
    title={"en": "Batch normalisation", "ko": "배치 정규화"},
    run=run,
    inputs={
        "x": "the mini-batch: n samples (rows; n ≥ 2 in train mode) × d features (columns)",
        "mode": "optional: train (default: batch statistics, running ones updated) or eval (running statistics)",
        "gamma": "optional: scale γ, one per feature or one number (default 1)",
        "beta": "optional: shift β, one per feature or one number (default 0)",
        "eps": "optional: ε added to the variance (default 1e-5, as torch)",
        "momentum": "optional: momentum m of the running statistics (default 0.1, as torch)",
        "running_mean": "optional: running mean before this step (default 0)",
        "running_var": "optional: running variance before this step (default 1)",
        "dy": "optional: upstream gradient ∂L/∂y, the shape of x; adds the backward pass",
    },
    inputs_ko={
        "x": "미니배치: 샘플 n개(행; train 모드에서는 n ≥ 2) × 특성 d개(열)",
        "mode": "선택: train(기본: 배치 통계로 정규화하고 이동 평균·분산을 갱신) 또는 eval(이동 평균·분산 사용)",
        "gamma": "선택: 크기 γ, 특성마다 하나 또는 수 하나(기본 1)",
        "beta": "선택: 이동 β, 특성마다 하나 또는 수 하나(기본 0)",
        "eps": "선택: 분산에 더하는 ε(기본 1e-5, torch와 같음)",
        "momentum": "선택: 이동 평균·분산의 모멘텀 m(기본 0.1, torch와 같음)",
        "running_mean": "선택: 이 단계 전의 이동 평균(기본 0)",
        "running_var": "선택: 이 단계 전의 이동 분산(기본 1)",
        "dy": "선택: 위에서 내려온 기울기 ∂L/∂y, x와 같은 모양; 주면 역전파도 계산",
    },
    example={"x": [[1, 2], [3, 6], [5, 4], [7, 8]], "gamma": [2, 0.5], "beta": [1, -1],
             "dy": [[1, 0], [0, 1], [-1, 0], [0, 2]]},
    mistakes=MISTAKES,
    summary=("mu", "var", "x_hat", "y", "running_mean", "running_var"),
    ranges={"x": "n×d, n ≥ 2 (train)", "mode": "train | eval", "gamma": "γ: d | ℝ", "beta": "β: d | ℝ",
            "eps": "ε > 0", "momentum": "m ∈ [0, 1]", "running_mean": "d", "running_var": "d, ≥ 0",
            "dy": "∂L/∂y: n×d"},
    # a feature that is constant over the batch: σ²_B = 0, so x̂ is 0 and only ε keeps the division finite
    edge={"x": [[1, 5], [2, 5], [3, 5], [4, 5]], "gamma": [1, 3], "beta": [0, 1]},
))
