"""Gradient descent on a one-parameter loss, given its derivative L′(w) as an expression.

    w_{k+1} = w_k − lr · L′(w_k)          k = 0, 1, …, steps − 1

The derivative is parsed with the engine's safe expression parser (never ``eval``), e.g.
``4*w^3`` for L(w) = w⁴. The run stops early and sets ``diverged`` when w leaves the range
|w| ≤ 1e8 or L′(w) cannot be evaluated (overflow, outside the domain).
"""

from __future__ import annotations

from typing import Any, Mapping

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Int, Mistake, as_float, as_int
from engine.expr import Expr, ExprError, parse
from engine.registry import algorithm

BLOWUP = 1e8
MAX_STEPS = 100_000


def parse_derivative(inputs: Mapping[str, Any], key: str = "derivative") -> Expr:
    raw = inputs.get(key)
    if raw is None:
        raise InputError(key, "missing (an expression in w, e.g. 4*w^3)")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = repr(float(raw))
    if not isinstance(raw, str):
        raise InputError(key, "expected an expression in w, e.g. 4*w^3")
    try:
        return parse(raw, ("w",))
    except ExprError as e:
        raise InputError(key, e.args[0]) from None


def descend(grad_fn, w0: float, lr: float, steps: int, *, sign: float = -1.0, fixed_grad: bool = False,
            use_lr: bool = True) -> dict:
    ws = [w0]
    grads: list[float] = []
    diverged, reason = False, ""
    g0 = None
    w = w0
    for _ in range(steps):
        try:
            g = grad_fn(w) if not (fixed_grad and g0 is not None) else g0
        except ExprError as e:
            diverged, reason = True, f"L′(w) cannot be evaluated at w = {w:g}: {e.message}"
            break
        g0 = g if g0 is None else g0
        w = w + sign * (lr if use_lr else 1.0) * g        # w_{k+1} = w_k − lr·L′(w_k)
        grads.append(g)
        ws.append(w)
        if not abs(w) <= BLOWUP:                          # also catches inf / nan
            diverged, reason = True, f"|w| exceeded {BLOWUP:g} after {len(grads)} steps"
            break
    return {"w": ws, "grad": grads, "w_final": ws[-1], "steps_run": len(grads),
            "diverged": diverged, "reason": reason}


MISTAKES = (
    Mistake("gd.ascent", {
        "en": "You added lr·L′(w): that walks uphill. Gradient descent subtracts it: w ← w − lr·L′(w).",
        "ko": "lr·L′(w)를 더했습니다: 그러면 오르막으로 갑니다. 경사하강법은 빼야 합니다: w ← w − lr·L′(w).",
    }),
    Mistake("gd.fixed-gradient", {
        "en": "You kept using the gradient at the starting point. The slope changes as w moves: "
              "evaluate L′ at the current w_k in every step.",
        "ko": "시작점에서 구한 기울기를 계속 썼습니다. w가 움직이면 기울기도 바뀌므로 매 단계 현재 w_k에서 "
              "L′을 다시 계산해야 합니다.",
    }),
    Mistake("gd.no-learning-rate", {
        "en": "You subtracted the whole gradient, without multiplying by the learning rate: w ← w − lr·L′(w).",
        "ko": "학습률(learning rate)을 곱하지 않고 기울기 전체를 뺐습니다: w ← w − lr·L′(w)입니다.",
    }),
)

MISTAKE_KW = {
    "gd.ascent": {"sign": 1.0},
    "gd.fixed-gradient": {"fixed_grad": True},
    "gd.no-learning-rate": {"use_lr": False},
}


def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    dexpr = parse_derivative(inputs)
    w0 = as_float(inputs, "w0")
    lr = as_float(inputs, "lr", lo=0.0, open_lo=True)
    steps = as_int(inputs, "steps", default=10, lo=1, hi=MAX_STEPS)
    kw = MISTAKE_KW[mistake] if mistake else {}
    out = descend(lambda w: dexpr(w=w), w0, lr, steps, **kw)
    return {"derivative": dexpr.text, "w0": w0, "lr": lr, "steps": steps, **out}


ALGORITHM = algorithm(Algorithm(
    name="gradient-descent",
    title={"en": "Gradient descent in one variable", "ko": "1변수 경사하강법"},
    run=run,
    limits={"steps": Int(1, MAX_STEPS)},
    inputs={
        "derivative": "L′(w) as an expression in w, e.g. 4*w^3 for L(w) = w^4",
        "w0": "starting value of w",
        "lr": "learning rate (> 0)",
        "steps": f"number of steps (1 … {MAX_STEPS}, default 10)",
    },
    inputs_ko={
        "derivative": "w에 대한 식으로 쓴 L′(w), 예: L(w) = w^4이면 4*w^3",
        "w0": "w의 시작값",
        "lr": "학습률(> 0)",
        "steps": f"단계 수(1 … {MAX_STEPS}, 기본 10)",
    },
    # the study notes: L(w) = w⁴, w₀ = 2, α = 0.01: w₁ = 1.68, w₂ = 1.4903, w₃ = 1.3579, w₂₀₀ = 0.2461
    example={"derivative": "4*w^3", "w0": 2, "lr": 0.01, "steps": 200},
    mistakes=MISTAKES,
    summary=("w_final", "steps_run", "diverged"),
))
