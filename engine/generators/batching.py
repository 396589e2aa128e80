"""Batching exercises: iterations over a training run, and the size of the last batch.

Error carried forward: the number of iterations is graded from the learner's own batches per epoch.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from engine.algorithms.batching import MISTAKES, batching
from engine.core import ChainGenerator, Degenerate, Field, Mistake, Step, Tolerance, Variant
from engine.generators._common import by_id
from engine.korean import josa
from engine.registry import generator

INT_TOL = Tolerance(atol=0.5)
SIZES = [16, 32, 50, 64, 100, 128, 256]


def _draw_n(rng: np.random.Generator) -> int:
    return int(rng.choice([1, 2, 5, 10, 50]) * 100 + rng.integers(0, 100) * int(rng.choice([0, 1, 10])))


@generator
class BatchingIterations(ChainGenerator):
    name = "batching.iterations"
    title = {"en": "Batches, epochs and iterations", "ko": "배치, 에포크, 반복 횟수"}
    mistakes_catalog = MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = _draw_n(rng)
        bs = int(rng.choice(SIZES))
        epochs = int(rng.choice([5, 10, 20, 30, 50, 100]))
        drop_last = bool(rng.random() < 0.3)
        if n < 2 * bs:
            raise Degenerate("fewer than two batches")
        d = {"n": n, "batch_size": bs, "epochs": epochs, "drop_last": drop_last}
        keep_en = ("the short last batch is dropped (drop_last=True)" if drop_last
                   else "a short last batch is kept (drop_last=False)")
        keep_ko = ("모자란 마지막 배치는 버립니다(drop_last=True)" if drop_last
                   else "모자란 마지막 배치도 사용합니다(drop_last=False)")
        return Variant(
            generator=self.name, seed=0, params=dict(params), data=d,
            prompt={"en": f"A training set of {n} samples is split into batches of {bs}; {keep_en}. Training runs "
                          f"for {epochs} epochs with one parameter update per batch. How many batches are there per "
                          "epoch, and how many iterations (updates) in total?",
                    "ko": f"학습 데이터 {n}개를 배치 크기 {josa(bs, '로')} 나눕니다. {keep_ko}. {epochs} 에포크(epoch) 동안 "
                          "배치마다 파라미터를 한 번 갱신합니다. 에포크당 배치 수와 전체 반복(iteration) 횟수는?"},
            fields=[Field("batches_per_epoch", {"en": "batches per epoch", "ko": "에포크당 배치 수"},
                          part="batches", tol=INT_TOL),
                    Field("iterations", {"en": "iterations in total", "ko": "전체 반복 횟수"}, part="iterations",
                          tol=INT_TOL)],
            hints=[
                {"en": f"{n} / {bs} = {n / bs:g}: how many full batches, and what happens to the rest?",
                 "ko": f"{n} / {bs} = {n / bs:g}: 꽉 찬 배치는 몇 개이고, 나머지는 어떻게 되나요?"},
                {"en": "Keep the rest → round up (⌈n/B⌉); drop it → round down (⌊n/B⌋). An iteration is one batch.",
                 "ko": "나머지를 쓰면 올림(⌈n/B⌉), 버리면 내림(⌊n/B⌋). 반복 한 번은 배치 하나입니다."},
            ],
        )

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        d = v.data
        r = batching(d["n"], d["batch_size"], d["epochs"], d["drop_last"], mistake=mistake)
        out = {"batches_per_epoch": float(r["batches_per_epoch"]), "iterations": float(r["iterations"])}
        own = answers.get("batches_per_epoch") if answers else None
        if own is not None and mistake != "batching.samples-as-iterations":
            out["iterations"] = own * (1 if mistake == "batching.forgot-epochs" else d["epochs"])
        return out

    def mistake_ids(self, v: Variant) -> list[str]:
        ids = ["batching.forgot-epochs", "batching.samples-as-iterations"]
        if v.data["n"] % v.data["batch_size"]:     # with no remainder, floor and ceiling agree
            ids.insert(0, "batching.floor-vs-ceil")
        return ids

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        r = batching(d["n"], d["batch_size"], d["epochs"], d["drop_last"])
        full, rest = divmod(d["n"], d["batch_size"])
        if rest == 0:
            s1 = f"{d['n']} / {d['batch_size']} = {full} exactly: {full} batches"
            s1k = f"{d['n']} / {d['batch_size']} = {josa(full, '로')} 나누어떨어짐: 배치 {full}개"
        elif d["drop_last"]:
            s1 = f"{d['n']} = {full}·{d['batch_size']} + {rest}; the {rest} left over are dropped: ⌊{d['n']}/{d['batch_size']}⌋ = {full}"
            s1k = f"{d['n']} = {full}·{d['batch_size']} + {rest}; 남는 {rest}개는 버림: ⌊{d['n']}/{d['batch_size']}⌋ = {full}"
        else:
            s1 = f"{d['n']} = {full}·{d['batch_size']} + {rest}; the last batch has {rest}: ⌈{d['n']}/{d['batch_size']}⌉ = {full + 1}"
            s1k = f"{d['n']} = {full}·{d['batch_size']} + {rest}; 마지막 배치는 {rest}개: ⌈{d['n']}/{d['batch_size']}⌉ = {full + 1}"
        s2 = f"{r['batches_per_epoch']} × {d['epochs']} = {r['iterations']}"
        return [Step({"en": s1, "ko": s1k}, ("batches_per_epoch",)),
                Step({"en": f"Iterations: {s2}", "ko": f"반복 횟수: {s2}"}, ("iterations",))]


COMPLEMENT = Mistake("batching.last-batch-complement", {
    "en": "You gave how many samples the last batch is short of. The last batch holds the remainder: "
          "n − B·⌊n/B⌋ (n mod B).",
    "ko": "마지막 배치에 모자란 개수를 답했습니다. 마지막 배치에는 나머지가 들어갑니다: n − B·⌊n/B⌋ (n mod B).",
})


@generator
class LastBatch(ChainGenerator):
    name = "batching.last-batch"
    title = {"en": "The last batch", "ko": "마지막 배치"}
    mistakes_catalog = (*by_id(MISTAKES, "batching.floor-vs-ceil"), COMPLEMENT)

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = _draw_n(rng)
        bs = int(rng.choice(SIZES))
        rest = n % bs
        if rest == 0 or 2 * rest == bs or n < 2 * bs:
            raise Degenerate("no short batch, or an ambiguous one")
        return Variant(
            generator=self.name, seed=0, params=dict(params), data={"n": n, "batch_size": bs},
            prompt={"en": f"A DataLoader serves {n} samples in batches of {bs}. With drop_last=False: how many batches "
                          "per epoch, and how many samples are in the last one? With drop_last=True: how many batches?",
                    "ko": f"DataLoader가 {n}개의 샘플을 배치 크기 {josa(bs, '로')} 제공합니다. drop_last=False일 때 에포크당 배치 "
                          "수와 마지막 배치의 샘플 수는? drop_last=True일 때 배치 수는?"},
            fields=[Field("batches_per_epoch", {"en": "batches (drop_last=False)", "ko": "배치 수 (drop_last=False)"},
                          tol=INT_TOL),
                    Field("last_batch", {"en": "size of the last batch", "ko": "마지막 배치 크기"}, tol=INT_TOL),
                    Field("batches_drop_last", {"en": "batches (drop_last=True)", "ko": "배치 수 (drop_last=True)"},
                          tol=INT_TOL)],
            hints=[
                {"en": f"Write {n} = {bs}·q + r with 0 ≤ r < {bs}.", "ko": f"0 ≤ r < {bs}인 {n} = {bs}·q + r 꼴로 쓰세요."},
                {"en": "Kept, the r leftover samples make one more (short) batch; dropped, they are skipped.",
                 "ko": "나머지 r개를 쓰면 작은 배치가 하나 더 생기고, 버리면 건너뜁니다."},
            ],
        )

    def _chain(self, v: Variant, answers, mistake=None) -> dict:
        n, bs = v.data["n"], v.data["batch_size"]
        keep = batching(n, bs, 1, False, mistake=mistake if mistake == "batching.floor-vs-ceil" else None)
        drop = batching(n, bs, 1, True, mistake=mistake if mistake == "batching.floor-vs-ceil" else None)
        last = float(keep["last_batch"] if mistake != "batching.floor-vs-ceil" else n % bs)
        if mistake == COMPLEMENT.id:
            last = float(bs - n % bs)
        return {"batches_per_epoch": float(keep["batches_per_epoch"]), "last_batch": last,
                "batches_drop_last": float(drop["batches_per_epoch"])}

    def solution(self, v: Variant) -> list[Step]:
        n, bs = v.data["n"], v.data["batch_size"]
        q, r = divmod(n, bs)
        s1 = f"{n} = {bs}·{q} + {r}"
        return [
            Step({"en": f"{s1}: {q} full batches and one of {r} → {q + 1} batches",
                  "ko": f"{s1}: 꽉 찬 배치 {q}개와 {r}개짜리 하나 → 배치 {q + 1}개"}, ("batches_per_epoch", "last_batch")),
            Step({"en": f"drop_last=True skips the {r}: {q} batches",
                  "ko": f"drop_last=True 면 {r}개를 버림: 배치 {q}개"}, ("batches_drop_last",)),
        ]
