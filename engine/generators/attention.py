"""Attention exercises: scaled scores and softmax weights; the context vector Σ α_i v_i.

Error carried forward: the weights of a query are graded from the learner's own scores of that
query, and the context vector from the learner's own weights.
"""

from __future__ import annotations

import math
from typing import Mapping

import numpy as np

from engine.algorithms.attention import MISTAKES, attention, softmax
from engine.core import Degenerate, Field, Generator, Int, Mistake, OneOf, Step, Table, Tolerance, Variant, fmt, paren
from engine.generators._common import T, by_id, given, reject_coincident
from engine.korean import josa
from engine.registry import generator

SCORE_TOL = Tolerance(atol=0.01)
WEIGHT_TOL = Tolerance(atol=0.01)
CTX_TOL = Tolerance(atol=0.02)


def _vec(x) -> str:
    return "[" + ", ".join(fmt(float(a)) for a in np.atleast_1d(x)) + "]"


# ============================================================================ weights


@generator
class AttentionWeights(Generator):
    name = "attention.weights"
    title = {"en": "Scaled dot-product attention: scores and weights",
             "ko": "스케일된 내적 어텐션: 점수와 가중치"}
    defaults = {"queries": 1, "ask": None}      # ask: both | scores | weights (None: both for 1 query)
    limits = {"queries": Int(1, 2), "ask": OneOf("both", "scores", "weights")}
    mistakes_catalog = by_id(MISTAKES, "attention.no-scale", "attention.divide-by-dk", "attention.dk-is-seq-len",
                              "attention.softmax-columns")
    n_keys = 3
    d_k = 2

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n_q = int(params["queries"])
        if n_q not in (1, 2):
            raise ValueError("queries must be 1 or 2")
        ask = params.get("ask") or ("both" if n_q == 1 else "weights")
        if ask not in ("both", "scores", "weights"):
            raise ValueError("ask must be both, scores or weights")
        if rng.random() < 0.6:
            q = rng.integers(-2, 3, size=(n_q, self.d_k)).astype(float)
            k = rng.integers(-2, 3, size=(self.n_keys, self.d_k)).astype(float)
        else:
            q = np.round(rng.uniform(-2, 2, size=(n_q, self.d_k)), 1)
            k = np.round(rng.uniform(-2, 2, size=(self.n_keys, self.d_k)), 1)
        data = {"q": q.tolist(), "k": k.tolist(), "ask": ask}
        fields = []
        for r in range(n_q):
            who = {"en": f" (query {r + 1})" if n_q > 1 else "", "ko": f" (쿼리 {r + 1})" if n_q > 1 else ""}
            if ask in ("both", "scores"):
                fields += [Field(f"score[{r},{j}]", {"en": f"scaled score, key {j + 1}{who['en']}",
                                                      "ko": f"스케일된 점수, 키 {j + 1}{who['ko']}"},
                                 part="scores", tol=SCORE_TOL) for j in range(self.n_keys)]
            if ask in ("both", "weights"):
                fields += [Field(f"weight[{r},{j}]", {"en": f"weight α, key {j + 1}{who['en']}",
                                                       "ko": f"가중치 α, 키 {j + 1}{who['ko']}"},
                                 part="weights", tol=WEIGHT_TOL) for j in range(self.n_keys)]
        qs = "; ".join(f"q{r + 1} = {_vec(q[r])}" for r in range(n_q)) if n_q > 1 else f"q = {_vec(q[0])}"
        ks = "; ".join(f"k{j + 1} = {_vec(k[j])}" for j in range(self.n_keys))
        what_en = {"both": "the scaled scores q·k_j/√d_k and the softmax weights",
                   "scores": "the scaled scores q·k_j/√d_k", "weights": "the softmax attention weights"}[ask]
        what_ko = {"both": "스케일된 점수 q·k_j/√d_k와 softmax 가중치",
                   "scores": "스케일된 점수 q·k_j/√d_k", "weights": "softmax 어텐션 가중치"}[ask]
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=data,
            prompt={
                "en": f"Scaled dot-product attention with {'queries' if n_q > 1 else 'query'} {qs} and keys {ks}. "
                      f"Give {what_en} over the {self.n_keys} keys{' for each query' if n_q > 1 else ''}.",
                "ko": f"쿼리 {qs}, 키 {josa(ks, '로')} 스케일된 내적 어텐션을 계산합니다. "
                      f"{'각 쿼리에 대해 ' if n_q > 1 else ''}키 {self.n_keys}개에 대한 {what_ko}를 구하세요.",
            },
            fields=fields,
            hints=[
                {"en": f"d_k is the length of a key vector: here {self.d_k}, so divide each dot product by √{self.d_k}.",
                 "ko": f"d_k는 키 벡터 하나의 길이입니다: 여기서는 {self.d_k}이므로 내적을 √{josa(self.d_k, '로')} 나눕니다."},
                {"en": "α_j = e^{s_j} / Σ_l e^{s_l}, over the keys of one query; the weights of a query sum to 1.",
                 "ko": "α_j = e^{s_j} / Σ_l e^{s_l}을 한 쿼리의 키들에 대해 계산합니다. 한 쿼리의 가중치 합은 1입니다."},
            ],
        )
        v.tables = [Table(title={"en": "Queries and keys", "ko": "쿼리와 키"},
                          rows=[f"q{r + 1}" for r in range(n_q)] + [f"k{j + 1}" for j in range(self.n_keys)],
                          cols=[T(f"dim {c + 1}", f"차원 {c + 1}") for c in range(self.d_k)],
                          cells=[list(row) for row in q.tolist()] + [list(row) for row in k.tolist()])]
        right = attention(q, k, np.eye(self.n_keys), "scaled")
        for r in range(n_q):
            top = np.sort(right["weights"][r])[::-1]
            if top[0] - top[1] < 0.05:
                raise Degenerate("no clear maximum")
            if np.ptp(right["raw_scores"][r]) < 0.5:
                raise Degenerate("scores nearly equal")
        reject_coincident(v, self.expected(v), self.mistakes(v), margin=2.0, same_fields_only=True)
        return v

    def _qk(self, v):
        return np.array(v.data["q"]), np.array(v.data["k"])

    def _values(self, v, answers, mistake=None):
        q, k = self._qk(v)
        n_q = q.shape[0]
        out = attention(q, k, np.eye(self.n_keys), "scaled", mistake=mistake)
        scores, weights = out["scores"], out["weights"].copy()
        ask = v.data["ask"]
        if ask == "both" and mistake != "attention.softmax-columns":
            for r in range(n_q):                       # weights from the learner's own scores
                mine = given(answers, *(f"score[{r},{j}]" for j in range(self.n_keys)))
                if mine is not None:
                    weights[r] = softmax(np.array(mine))
        vals = {}
        for r in range(n_q):
            for j in range(self.n_keys):
                if ask in ("both", "scores"):
                    vals[f"score[{r},{j}]"] = float(scores[r, j])
                if ask in ("both", "weights"):
                    vals[f"weight[{r},{j}]"] = float(weights[r, j])
        return vals

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        return self._values(v, answers)

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        n_q = len(v.data["q"])
        out = {}
        for m in self.mistakes_catalog:
            if m.id == "attention.softmax-columns":
                if n_q < 2 or v.data["ask"] == "scores":
                    continue                            # needs two queries, and weights to show
                vals = {k: x for k, x in self._values(v, None, m.id).items() if k.startswith("weight")}
            else:
                vals = self._values(v, None, m.id)
            out[m.id] = vals
        return out

    def solution(self, v: Variant) -> list[Step]:
        q, k = self._qk(v)
        out = attention(q, k, np.eye(self.n_keys), "scaled")
        steps = []
        ask = v.data["ask"]
        for r in range(q.shape[0]):
            who = f"q{r + 1}" if q.shape[0] > 1 else "q"
            dots = ", ".join(f"{who}·k{j + 1} = {fmt(out['raw_scores'][r, j])}" for j in range(self.n_keys))
            scaled = ", ".join(fmt(out["scores"][r, j]) for j in range(self.n_keys))
            score_fields = tuple(f"score[{r},{j}]" for j in range(self.n_keys)) if ask != "weights" else ()
            steps.append(Step({"en": f"{dots}; divided by √{self.d_k} = {fmt(math.sqrt(self.d_k))}: {scaled}",
                               "ko": f"{dots}; √{self.d_k} = {josa(fmt(math.sqrt(self.d_k)), '로')} 나누면: {scaled}"},
                              score_fields))
            if ask != "scores":
                e = np.exp(out["scores"][r])
                exps = " + ".join(fmt(x) for x in e)
                ws = ", ".join(fmt(x, 4) for x in out["weights"][r])
                txt = f"softmax: Σⱼ e^(sⱼ) = {exps} = {fmt(e.sum())}; αⱼ = e^(sⱼ) / Σₗ e^(sₗ) = {ws}"
                steps.append(Step({"en": txt, "ko": txt},
                                  tuple(f"weight[{r},{j}]" for j in range(self.n_keys))))
        return steps


# ============================================================================ context

UNIFORM = Mistake("attention.uniform-average", {
    "en": "You averaged the values with equal weights. The context vector weights each value by its "
          "attention weight: c = Σ_i α_i v_i.",
    "ko": "값 벡터들을 똑같은 비중으로 평균 냈습니다. 문맥 벡터(context vector)는 각 값에 어텐션 가중치를 곱해 "
          "더한 것입니다: c = Σ_i α_i v_i.",
})
HARD_MAX = Mistake("attention.hard-max", {
    "en": "You took only the value with the largest weight (hard attention). Soft attention mixes ALL values: "
          "c = Σ_i α_i v_i.",
    "ko": "가중치가 가장 큰 값 하나만 골랐습니다(하드 어텐션). 소프트 어텐션은 모든 값을 섞습니다: c = Σ_i α_i v_i.",
})
NO_SOFTMAX = Mistake("attention.no-softmax", {
    "en": "You used the raw scores as weights. The scores must go through a softmax first, so that the weights "
          "are positive and sum to 1: α_i = e^{e_i} / Σ_j e^{e_j}.",
    "ko": "점수를 그대로 가중치로 썼습니다. 점수는 먼저 softmax를 거쳐야 가중치가 양수이고 합이 1이 됩니다: "
          "α_i = e^{e_i} / Σ_j e^{e_j}.",
})


@generator
class AttentionContext(Generator):
    name = "attention.context"
    title = {"en": "Attention context vector", "ko": "어텐션 문맥 벡터"}
    defaults = {"given": "weights"}             # weights | scores
    limits = {"given": OneOf("weights", "scores")}
    mistakes_catalog = (UNIFORM, HARD_MAX, NO_SOFTMAX)
    n_keys = 3
    d_v = 2

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        given = params["given"]
        if given not in ("weights", "scores"):
            raise ValueError("given must be weights or scores")
        values = rng.integers(-3, 4, size=(self.n_keys, self.d_v)).astype(float)
        data: dict = {"values": values.tolist(), "given": given}
        if given == "weights":
            w = np.round(rng.dirichlet(np.ones(self.n_keys)), 2)
            w[-1] = round(1.0 - float(w[:-1].sum()), 2)
            if np.any(w < 0.05):
                raise Degenerate("a weight too small")
            data["weights"] = w.tolist()
        else:
            data["scores"] = np.round(rng.uniform(-2, 2, self.n_keys), 1).tolist()
        fields = []
        if given == "scores":
            fields += [Field(f"weight[{j}]", {"en": f"α_{j + 1}", "ko": f"α_{j + 1}"}, part="weights", tol=WEIGHT_TOL)
                       for j in range(self.n_keys)]
        fields += [Field(f"context[{c}]", {"en": f"context vector, component {c + 1}", "ko": f"문맥 벡터, {c + 1}번째 성분"},
                         part="context", tol=CTX_TOL) for c in range(self.d_v)]
        vs = "; ".join(f"h{j + 1} = {_vec(values[j])}" for j in range(self.n_keys))
        if given == "weights":
            ws = ", ".join(fmt(x) for x in data["weights"])
            en = (f"The attention weights over the encoder states are α = ({ws}) and the states (values) are {vs}. "
                  "Compute the context vector a = Σ_i α_i h_i.")
            ko = (f"인코더 은닉 상태들에 대한 어텐션 가중치가 α = ({ws})이고 상태(값)는 {vs}입니다. "
                  "문맥 벡터 a = Σ_i α_i h_i를 구하세요.")
        else:
            ss = ", ".join(fmt(x) for x in data["scores"])
            en = (f"The attention scores of the decoder state against 3 encoder states are e = ({ss}), and the states "
                  f"(values) are {vs}. Compute the attention weights α = softmax(e), then the context vector "
                  "a = Σ_i α_i h_i.")
            ko = (f"디코더 상태와 인코더 상태 3개의 어텐션 점수가 e = ({ss})이고 상태(값)는 {vs}입니다. "
                  "어텐션 가중치 α = softmax(e)를 구하고 문맥 벡터 a = Σ_i α_i h_i를 구하세요.")
        v = Variant(
            generator=self.name, seed=0, params=dict(params), data=data, prompt={"en": en, "ko": ko}, fields=fields,
            hints=[
                {"en": "softmax: α_i = e^{e_i} / Σ_j e^{e_j}.", "ko": "softmax: α_i = e^{e_i} / Σ_j e^{e_j}."},
                {"en": "Multiply each value vector by its weight and add them component by component.",
                 "ko": "각 값 벡터에 가중치를 곱한 뒤 성분별로 더하세요."},
            ] if given == "scores" else [
                {"en": "Multiply each value vector by its weight and add them component by component.",
                 "ko": "각 값 벡터에 가중치를 곱한 뒤 성분별로 더하세요."},
                {"en": "Component 1 of a = α_1·h1[1] + α_2·h2[1] + α_3·h3[1].",
                 "ko": "a의 1번째 성분 = α_1·h1[1] + α_2·h2[1] + α_3·h3[1]."},
            ],
        )
        weights = self._weights(v)
        top = np.sort(weights)[::-1]
        if top[0] - top[1] < 0.05:
            raise Degenerate("no clear maximum")
        reject_coincident(v, self.expected(v), self.mistakes(v), margin=2.0, same_fields_only=True)
        return v

    def _weights(self, v: Variant) -> np.ndarray:
        if v.data["given"] == "weights":
            return np.array(v.data["weights"])
        return softmax(np.array(v.data["scores"]))

    def _pack(self, v, w, ctx_w) -> dict[str, float]:
        values = np.array(v.data["values"])
        out = {}
        if v.data["given"] == "scores":
            out.update({f"weight[{j}]": float(w[j]) for j in range(self.n_keys)})
        ctx = np.asarray(ctx_w) @ values                 # Σ_i α_i h_i, (d_v,)
        out.update({f"context[{c}]": float(ctx[c]) for c in range(self.d_v)})
        return out

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        w = self._weights(v)
        mine = given(answers, *(f"weight[{j}]" for j in range(self.n_keys))) if v.data["given"] == "scores" else None
        return self._pack(v, w, np.array(mine) if mine else w)

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        w = self._weights(v)
        mine = given(answers, *(f"weight[{j}]" for j in range(self.n_keys))) if v.data["given"] == "scores" else None
        used = np.array(mine) if mine else w
        uniform = np.full(self.n_keys, 1.0 / self.n_keys)
        hard = np.eye(self.n_keys)[int(np.argmax(used))]
        out = {UNIFORM.id: self._pack(v, w, uniform), HARD_MAX.id: self._pack(v, w, hard)}
        for mid in (UNIFORM.id, HARD_MAX.id):           # these slips are in the sum, not in the softmax
            out[mid] = {k: x for k, x in out[mid].items() if k.startswith("context")}
        if v.data["given"] == "scores":
            raw = np.array(v.data["scores"])
            out[NO_SOFTMAX.id] = self._pack(v, raw, raw)
        return out

    def solution(self, v: Variant) -> list[Step]:
        values = np.array(v.data["values"])
        w = self._weights(v)
        steps = []
        if v.data["given"] == "scores":
            e = np.exp(np.array(v.data["scores"]))
            txt = (f"Σⱼ e^(eⱼ) = {' + '.join(fmt(x) for x in e)} = {fmt(e.sum())}; "
                   f"αᵢ = e^(eᵢ) / Σⱼ e^(eⱼ) = {', '.join(fmt(x) for x in w)}")
            steps.append(Step({"en": txt, "ko": txt}, tuple(f"weight[{j}]" for j in range(self.n_keys))))
        ctx = w @ values
        for c in range(self.d_v):
            terms = " + ".join(f"{fmt(w[j])}·{paren(values[j, c])}" for j in range(self.n_keys))
            steps.append(Step({"en": f"component {c + 1}: {terms} = {fmt(ctx[c])}",
                               "ko": f"{c + 1}번째 성분: {terms} = {fmt(ctx[c])}"}, (f"context[{c}]",)))
        return steps
