"""Convolution exercises: the output size (and parameter count) of a conv layer, and the values
of a small cross-correlation followed by max pooling.

Error carried forward: the pooled maximum is graded from the learner's own feature map.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from engine.algorithms.conv import MISTAKES, conv2d, out_size
from engine.core import ChainGenerator, Degenerate, Field, Mistake, Step, Table, Tolerance, Variant, fmt, paren
from engine.generators._common import by_id
from engine.registry import generator

INT_TOL = Tolerance(atol=0.5)
VAL_TOL = Tolerance(atol=0.01)


PARAMS_NO_BIAS = Mistake("conv.params-no-bias", {
    "en": "You counted only the kernel weights. Each filter also has one bias: F·(C·K·K + 1).",
    "ko": "커널 가중치만 셌습니다. 필터마다 편향이 하나씩 있으므로 F·(C·K·K + 1)입니다.",
})
PARAMS_NO_CHANNELS = Mistake("conv.params-no-in-channels", {
    "en": "You forgot the input channels: each filter spans all C input channels, so it has C·K·K weights.",
    "ko": "입력 채널을 빠뜨렸습니다: 필터 하나는 C개의 입력 채널 전체를 덮으므로 가중치가 C·K·K 개입니다.",
})
SIZE_MISTAKES = ("conv.forgot-plus-one", "conv.no-padding-in-size", "conv.padding-once")


@generator
class ConvOutputSize(ChainGenerator):
    name = "conv.output-size"
    title = {"en": "Conv layer: output size and parameters", "ko": "합성곱층: 출력 크기와 파라미터 수"}
    mistakes_catalog = by_id(MISTAKES, *SIZE_MISTAKES) + (PARAMS_NO_BIAS, PARAMS_NO_CHANNELS)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        h = int(rng.choice([5, 6, 7, 8, 10, 12, 14, 16, 28, 32, 64, 224]))
        w = h if rng.random() < 0.7 else int(rng.choice([6, 8, 10, 12, 16, 20, 32]))
        k = int(rng.choice([1, 2, 3, 3, 5, 7]))
        s = int(rng.choice([1, 1, 2, 2, 3]))
        p = int(rng.choice([0, 1, 1, 2, 3]))
        c = int(rng.choice([1, 3, 3, 16, 32, 64]))
        f = int(rng.choice([4, 6, 8, 16, 32, 64]))
        if h + 2 * p < k or w + 2 * p < k or p >= k:
            raise Degenerate("kernel larger than the padded input, or padding ≥ kernel")
        exact = (h + 2 * p - k) % s == 0 and (w + 2 * p - k) % s == 0
        if not exact and rng.random() < 0.7:
            raise Degenerate("prefer sizes that divide")
        d = {"h": h, "w": w, "c": c, "k": k, "stride": s, "padding": p, "filters": f}
        return Variant(
            generator=self.name, seed=0, params=dict(params), data=d,
            prompt={"en": f"A conv layer gets a {c}×{h}×{w} input (channels × height × width) and has {f} filters of "
                          f"size {k}×{k}, stride {s}, padding {p}. Give the output height and width (round down if "
                          "the division is not exact, as PyTorch does) and the number of trainable parameters "
                          "(weights and biases).",
                    "ko": f"합성곱층의 입력은 {c}×{h}×{w}(채널 × 높이 × 너비)이고, {k}×{k} 크기의 필터 {f}개, "
                          f"스트라이드 {s}, 패딩 {p}입니다. 출력의 높이와 너비(나누어떨어지지 않으면 PyTorch처럼 내림)와 "
                          "학습되는 파라미터 수(가중치와 편향)를 구하세요."},
            fields=[Field("out_h", {"en": "output height", "ko": "출력 높이"}, tol=INT_TOL),
                    Field("out_w", {"en": "output width", "ko": "출력 너비"}, tol=INT_TOL),
                    Field("params", {"en": "parameters", "ko": "파라미터 수"}, part="params", tol=INT_TOL)],
            hints=[
                {"en": "Output size per side: ⌊(N + 2P − K)/S⌋ + 1.", "ko": "한 변의 출력 크기: ⌊(N + 2P − K)/S⌋ + 1."},
                {"en": "The padding goes on both sides (2P); the +1 counts the kernel's first position.",
                 "ko": "패딩은 양쪽에 붙고(2P), +1은 커널의 첫 위치를 셉니다."},
                {"en": "Each filter has C·K·K weights (it covers all input channels) and one bias.",
                 "ko": "필터 하나는 C·K·K 개의 가중치(모든 입력 채널을 덮음)와 편향 하나를 가집니다."},
            ],
        )

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        d = v.data
        size_m = mistake if mistake in SIZE_MISTAKES else None
        params = d["filters"] * (d["c"] * d["k"] ** 2 + 1)
        if mistake == PARAMS_NO_BIAS.id:
            params = d["filters"] * d["c"] * d["k"] ** 2
        elif mistake == PARAMS_NO_CHANNELS.id:
            params = d["filters"] * (d["k"] ** 2 + 1)
        return {"out_h": float(out_size(d["h"], d["k"], d["stride"], d["padding"], mistake=size_m)),
                "out_w": float(out_size(d["w"], d["k"], d["stride"], d["padding"], mistake=size_m)),
                "params": float(params)}

    def mistake_ids(self, v: Variant) -> list[str]:
        ids = ["conv.forgot-plus-one", PARAMS_NO_BIAS.id]
        if v.data["padding"] > 0:
            ids += ["conv.no-padding-in-size", "conv.padding-once"]
        if v.data["c"] > 1:
            ids.append(PARAMS_NO_CHANNELS.id)
        return ids

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        r = self.expected(v)
        k, s, p = d["k"], d["stride"], d["padding"]
        steps = []
        for key, n, en, ko in (("out_h", d["h"], "Height", "높이"), ("out_w", d["w"], "Width", "너비")):
            text = f"⌊({n} + 2·{paren(p)} − {k})/{s}⌋ + 1 = ⌊{n + 2 * p - k}/{s}⌋ + 1 = {int(r[key])}"
            steps.append(Step({"en": f"{en}: {text}", "ko": f"{ko}: {text}"}, (key,)))
        text = f"{d['filters']}·({d['c']}·{paren(k)}·{paren(k)} + 1) = {int(r['params'])}"
        steps.append(Step({"en": f"Parameters: {text}", "ko": f"파라미터: {text}"}, ("params",)))
        return steps


VALUE_MISTAKES = ("conv.flipped-kernel", "conv.transposed-kernel", "conv.no-bias")


@generator
class ConvOutputValues(ChainGenerator):
    name = "conv.output-values"
    title = {"en": "Conv output values and max pooling", "ko": "합성곱 출력값과 최대 풀링"}
    mistakes_catalog = by_id(MISTAKES, *VALUE_MISTAKES)
    FIELDS = ("out[0][0]", "out[0][1]", "out[1][0]", "out[1][1]", "pooled")

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        x = rng.integers(-2, 4, size=(3, 3))
        kernel = rng.integers(-1, 3, size=(2, 2))
        bias = int(rng.integers(-2, 3))
        if np.all(kernel == 0) or len(np.unique(kernel)) < 2:
            raise Degenerate("flat kernel")
        d = {"input": x.tolist(), "kernel": kernel.tolist(), "bias": bias}
        out = self._out(d)
        if len(np.unique(out)) < 3:
            raise Degenerate("too many equal outputs")
        xs = " / ".join(" ".join(f"{a:g}" for a in row) for row in x.tolist())
        ks = " / ".join(" ".join(f"{a:g}" for a in row) for row in kernel.tolist())
        labels = {"out[0][0]": "top left", "out[0][1]": "top right", "out[1][0]": "bottom left",
                  "out[1][1]": "bottom right", "pooled": "2×2 max pool"}
        labels_ko = {"out[0][0]": "왼쪽 위", "out[0][1]": "오른쪽 위", "out[1][0]": "왼쪽 아래",
                     "out[1][1]": "오른쪽 아래", "pooled": "2×2 최대 풀링"}
        return Variant(
            generator=self.name, seed=0, params=dict(params), data=d,
            prompt={"en": f"Apply a conv layer to the 3×3 input (rows) {xs} with the 2×2 kernel {ks}, bias {bias}, "
                          "stride 1, no padding, as deep learning libraries do (cross-correlation: the kernel is not "
                          "flipped). Give the 2×2 feature map, then its 2×2 max pooling.",
                    "ko": f"3×3 입력(행 단위) {xs}에 2×2 커널 {ks}, 편향 {bias}, 스트라이드 1, 패딩 없음으로 "
                          "합성곱층을 적용하세요(딥러닝 라이브러리처럼 교차상관: 커널을 뒤집지 않음). 2×2 특징 맵과 "
                          "그 2×2 최대 풀링 값을 구하세요."},
            fields=[Field(k, {"en": labels[k], "ko": labels_ko[k]}, part="pool" if k == "pooled" else "conv",
                          tol=VAL_TOL) for k in self.FIELDS],
            tables=[Table(title={"en": "Input", "ko": "입력"}, rows=["1", "2", "3"], cols=["1", "2", "3"],
                          cells=x.tolist()),
                    Table(title={"en": "Kernel", "ko": "커널"}, rows=["1", "2"], cols=["1", "2"],
                          cells=kernel.tolist()),
                    Table(title={"en": "Feature map", "ko": "특징 맵"}, rows=["1", "2"], cols=["1", "2"],
                          cells=[["out[0][0]", "out[0][1]"], ["out[1][0]", "out[1][1]"]])],
            hints=[
                {"en": "Lay the kernel on the top-left 2×2 patch, multiply element by element, add up, add the bias.",
                 "ko": "커널을 왼쪽 위 2×2 패치에 겹쳐 원소끼리 곱해 더하고 편향을 더하세요."},
                {"en": "Slide one step right for the top-right value, one step down for the bottom row.",
                 "ko": "오른쪽으로 한 칸 옮기면 오른쪽 위 값, 아래로 한 칸 옮기면 아래 행입니다."},
                {"en": "Max pooling over the whole 2×2 map keeps its largest value.",
                 "ko": "2×2 특징 맵 전체의 최대 풀링은 가장 큰 값입니다."},
            ],
        )

    def _out(self, d: Mapping, mistake: str | None = None) -> np.ndarray:
        x = np.array(d["input"], dtype=float)[None]
        kernel = np.array(d["kernel"], dtype=float)[None, None]
        return conv2d(x, kernel, np.array([float(d["bias"])]), (1, 1), (0, 0), mistake=mistake)["output"][0]

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        out = self._out(v.data, mistake)
        vals = {f"out[{i}][{j}]": float(out[i, j]) for i in range(2) for j in range(2)}
        ans = answers or {}
        own = [ans.get(k) for k in self.FIELDS[:4]]
        vals["pooled"] = float(max(own) if all(a is not None for a in own) else out.max())
        return vals

    def mistake_ids(self, v: Variant) -> list[str]:
        k = np.array(v.data["kernel"])
        ids = []
        if not np.array_equal(k, k[::-1, ::-1]):
            ids.append("conv.flipped-kernel")
        if not np.array_equal(k, k.T):
            ids.append("conv.transposed-kernel")
        if v.data["bias"] != 0:
            ids.append("conv.no-bias")
        return ids

    def solution(self, v: Variant) -> list[Step]:
        x = np.array(v.data["input"])
        k = np.array(v.data["kernel"])
        b = v.data["bias"]
        r = self.expected(v)
        steps = []
        for i in range(2):
            for j in range(2):
                patch = x[i:i + 2, j:j + 2]
                terms = " + ".join(f"{paren(int(a))}·{paren(int(c))}" for a, c in zip(patch.ravel(), k.ravel()))
                text = f"out[{i + 1},{j + 1}] = {terms} + ({b}) = {fmt(r[f'out[{i}][{j}]'])}"
                steps.append(Step({"en": text, "ko": text}, (f"out[{i}][{j}]",)))
        text = f"max pool = max({', '.join(fmt(r[k_]) for k_ in self.FIELDS[:4])}) = {fmt(r['pooled'])}"
        steps.append(Step({"en": text, "ko": text}, ("pooled",)))
        return steps
