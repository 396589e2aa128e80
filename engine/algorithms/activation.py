"""Activation functions and their derivatives, elementwise.

    sigmoid     σ(x) = 1 / (1 + e^−x)                    σ′(x) = σ(x)(1 − σ(x))
    tanh        tanh(x)                                  1 − tanh²(x)
    relu        max(0, x)                                1 if x > 0 else 0
    leaky_relu  x if x > 0 else α·x   (α = 0.01)         1 if x > 0 else α
    elu         x if x > 0 else α(e^x − 1)   (α = 1)     1 if x > 0 else α·e^x
    gelu        x·Φ(x), Φ the standard normal CDF (exact, with erf) — or with
                approximate="tanh": ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
    softplus    ln(1 + e^x)                              σ(x)
    swish/silu  x·σ(x)                                   σ(x)(1 + x(1 − σ(x)))
    step        1 if x > 0 else 0  (the perceptron's threshold) derivative 0 (undefined at 0)
    linear      x                                        1

At the kink x = 0 the left branch is used, as PyTorch's autograd does: relu′(0) = 0,
leaky_relu′(0) = α, elu′(0) = α. The α of leaky_relu defaults to PyTorch's 0.01; the study
notes draw it with α = 0.1 (max(0.1x, x)); pass ``alpha`` to choose.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

import numpy as np

from engine.algorithms._common import check_mistake, sigmoid
from engine.core import Algorithm, InputError, Mistake, as_array, as_choice, as_float
from engine.registry import algorithm

NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "softplus", "swish", "silu", "step", "linear")


_erf = np.vectorize(math.erf, otypes=[float])
SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _phi(x):  # standard normal CDF Φ(x) and density φ(x)
    return 0.5 * (1.0 + _erf(x / math.sqrt(2.0))), np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def value_and_derivative(name: str, x: np.ndarray, alpha: float | None = None,
                         approximate: str = "none") -> tuple[np.ndarray, np.ndarray]:
    """f(x) and f′(x) for the named activation (x: any shape)."""
    x = np.asarray(x, dtype=float)
    if name == "sigmoid":
        s = sigmoid(x)
        return s, s * (1.0 - s)
    if name == "tanh":
        t = np.tanh(x)
        return t, 1.0 - t * t
    if name == "relu":
        return np.maximum(x, 0.0), (x > 0).astype(float)
    if name == "leaky_relu":
        a = 0.01 if alpha is None else alpha
        return np.where(x > 0, x, a * x), np.where(x > 0, 1.0, a)
    if name == "elu":
        a = 1.0 if alpha is None else alpha
        em1 = np.expm1(np.minimum(x, 0.0))       # e^x − 1 on the negative side only
        return np.where(x > 0, x, a * em1), np.where(x > 0, 1.0, a * (em1 + 1.0))
    if name == "gelu":
        if approximate == "tanh":
            u = SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)
            t = np.tanh(u)
            du = SQRT_2_OVER_PI * (1.0 + 3 * 0.044715 * x * x)
            return 0.5 * x * (1.0 + t), 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du
        cdf, pdf = _phi(x)
        return x * cdf, cdf + x * pdf
    if name == "softplus":
        return np.logaddexp(0.0, x), sigmoid(x)
    if name in ("swish", "silu"):
        s = sigmoid(x)
        return x * s, s * (1.0 + x * (1.0 - s))
    if name == "step":
        return (x > 0).astype(float), np.zeros_like(x)
    if name == "linear":
        return x.copy(), np.ones_like(x)
    raise InputError("name", f"must be one of {', '.join(NAMES)}")


FORMULAS = {
    "sigmoid": ("σ(x) = 1/(1 + e^−x)", "σ′(x) = σ(x)(1 − σ(x))"),
    "tanh": ("tanh(x) = (e^x − e^−x)/(e^x + e^−x)", "1 − tanh²(x)"),
    "relu": ("max(0, x)", "1 if x > 0 else 0"),
    "leaky_relu": ("x if x > 0 else α·x", "1 if x > 0 else α"),
    "elu": ("x if x > 0 else α(e^x − 1)", "1 if x > 0 else α·e^x"),
    "gelu": ("x·Φ(x)", "Φ(x) + x·φ(x)"),
    "softplus": ("ln(1 + e^x)", "σ(x)"),
    "swish": ("x·σ(x)", "σ(x)(1 + x(1 − σ(x)))"),
    "silu": ("x·σ(x)", "σ(x)(1 + x(1 − σ(x)))"),
    "step": ("1 if x > 0 else 0", "0 (undefined at x = 0)"),
    "linear": ("x", "1"),
}

# ----------------------------------------------------------------------------- mistakes


def _derivative_is_value(name, x, alpha, approximate):
    """f′ reported as f itself (σ(x) for the sigmoid instead of σ(x)(1 − σ(x)))."""
    value, _ = value_and_derivative(name, x, alpha, approximate)
    return value, value.copy()


def _derivative_on_input(name, x, alpha, approximate):
    """The output-form derivative evaluated at the input: x(1 − x) for σ, 1 − x² for tanh."""
    value, deriv = value_and_derivative(name, x, alpha, approximate)
    if name == "sigmoid":
        deriv = x * (1.0 - x)
    elif name == "tanh":
        deriv = 1.0 - x * x
    return value, deriv


def _tanh_no_square(name, x, alpha, approximate):
    value, deriv = value_and_derivative(name, x, alpha, approximate)
    if name == "tanh":
        deriv = 1.0 - value
    return value, deriv


def _exp_sign_flipped(name, x, alpha, approximate):
    """σ written as 1/(1 + e^x): the learner computes σ(−x) = 1 − σ(x)."""
    if name == "sigmoid":
        s = sigmoid(-x)
        return s, s * (1.0 - s)
    if name in ("swish", "silu"):
        s = sigmoid(-x)
        return x * s, s * (1.0 + x * (1.0 - s))
    return value_and_derivative(name, x, alpha, approximate)


MISTAKE_FNS: dict[str, Callable] = {
    "activation.derivative-is-value": _derivative_is_value,
    "activation.derivative-on-input": _derivative_on_input,
    "activation.tanh-derivative-no-square": _tanh_no_square,
    "activation.exp-sign-flipped": _exp_sign_flipped,
}

MISTAKES = (
    Mistake("activation.derivative-is-value", {
        "en": "You gave the function's value as its derivative. For the sigmoid the derivative is not "
              "σ(x) but σ(x)(1 − σ(x)); for tanh it is 1 − tanh²(x).",
        "ko": "함수값을 그대로 미분값으로 썼습니다. 시그모이드(sigmoid)의 미분은 σ(x)가 아니라 "
              "σ(x)(1 − σ(x))이고, tanh의 미분은 1 − tanh²(x)입니다.",
    }),
    Mistake("activation.derivative-on-input", {
        "en": "You put the input x into the output form of the derivative: x(1 − x) for the sigmoid, "
              "1 − x² for tanh. The formula σ′ = σ(1 − σ) needs the output σ(x), not x.",
        "ko": "미분 공식에 출력값 대신 입력 x를 넣었습니다: 시그모이드는 x(1 − x), tanh는 1 − x². "
              "σ′ = σ(1 − σ) 공식에는 x가 아니라 출력값 σ(x)를 넣어야 합니다.",
    }),
    Mistake("activation.tanh-derivative-no-square", {
        "en": "For tanh you used 1 − tanh(x). The derivative is 1 − tanh²(x): the tanh is squared.",
        "ko": "tanh의 미분을 1 − tanh(x)로 계산했습니다. 올바른 미분은 1 − tanh²(x)로, tanh 값을 제곱해야 합니다.",
    }),
    Mistake("activation.exp-sign-flipped", {
        "en": "You dropped the minus sign in the exponent: 1/(1 + e^x) is σ(−x) = 1 − σ(x), not σ(x).",
        "ko": "지수의 마이너스 부호를 빠뜨렸습니다: 1/(1 + e^x)는 σ(x)가 아니라 σ(−x) = 1 − σ(x)입니다.",
    }),
)


# ----------------------------------------------------------------------------- run


def parse(inputs: Mapping[str, Any]) -> dict:
    name = inputs.get("name")
    if isinstance(name, str):
        name = name.strip().lower().replace("-", "_")
    name = as_choice({"name": name}, "name", NAMES)
    x = as_array(inputs, "x")
    alpha = None
    if inputs.get("alpha") is not None:
        if name not in ("leaky_relu", "elu"):
            raise InputError("alpha", "only leaky_relu and elu take alpha")
        alpha = as_float(inputs, "alpha", lo=0.0)
    approximate = as_choice(inputs, "approximate", ("none", "tanh"), default="none")
    return {"name": name, "x": x, "alpha": alpha, "approximate": approximate}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    a = parse(inputs)
    fn = MISTAKE_FNS[mistake] if mistake else value_and_derivative
    value, deriv = fn(a["name"], a["x"], a["alpha"], a["approximate"])
    scalar = a["x"].ndim == 0
    f_text, d_text = FORMULAS[a["name"]]
    if a["name"] == "gelu" and a["approximate"] == "tanh":
        f_text = "½x(1 + tanh(√(2/π)(x + 0.044715x³)))  (tanh approximation)"
        d_text = "derivative of the tanh approximation"
    elif a["name"] == "gelu":
        f_text += "  (exact, Φ(x) = ½(1 + erf(x/√2)))"
    out = {
        "name": a["name"], "x": a["x"],
        "value": float(value) if scalar else value,
        "derivative": float(deriv) if scalar else deriv,
        "formula": f_text, "derivative_formula": d_text,
    }
    if a["name"] in ("leaky_relu", "elu"):
        out["alpha"] = a["alpha"] if a["alpha"] is not None else (0.01 if a["name"] == "leaky_relu" else 1.0)
    return out


ALGORITHM = algorithm(Algorithm(
    name="activation",
    title={"en": "Activation functions and derivatives", "ko": "활성화 함수와 미분"},
    run=run,
    inputs={
        "name": "sigmoid, tanh, relu, leaky_relu, elu, gelu, softplus, swish (= silu), step or linear",
        "x": "a number or a (nested) list of numbers",
        "alpha": "optional: negative-side slope of leaky_relu (default 0.01) or α of elu (default 1)",
        "approximate": "gelu only: \"none\" (exact, with erf; default) or \"tanh\"",
    },
    inputs_ko={
        "name": "sigmoid, tanh, relu, leaky_relu, elu, gelu, softplus, swish (= silu), step 또는 linear",
        "x": "수 하나 또는 수의 (중첩) 리스트",
        "alpha": "선택: leaky_relu의 음수 쪽 기울기(기본 0.01) 또는 elu의 α(기본 1)",
        "approximate": "gelu 전용: \"none\"(erf를 쓰는 정확한 식; 기본) 또는 \"tanh\"",
    },
    # the study notes' MLP example: net inputs Σ₁ = 1.6, Σ₂ = 2.2 of the hidden nodes
    example={"name": "sigmoid", "x": [1.6, 2.2, 0.5633]},
    mistakes=MISTAKES,
    summary=("value", "derivative"),
))
