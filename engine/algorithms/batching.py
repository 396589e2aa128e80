"""Batches, epochs and iterations (as ``torch.utils.data.DataLoader`` counts them).

    batches_per_epoch = ⌈n / batch_size⌉        (drop_last = False: the short last batch is kept)
                      = ⌊n / batch_size⌋        (drop_last = True:  the short last batch is dropped)
    iterations        = batches_per_epoch × epochs   (one parameter update per batch)

The notes: 1000 samples with batch size 64 → 16 batches (15 of 64 and a last one of 40);
500 samples with batch size 10 → 50 batches, so 1 epoch = 50 iterations.
"""

from __future__ import annotations

from typing import Any, Mapping

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Int, Mistake, as_int
from engine.registry import algorithm


def batching(n: int, batch_size: int, epochs: int, drop_last: bool = False, *, mistake: str | None = None) -> dict:
    full, rest = divmod(n, batch_size)
    use_ceil = not drop_last
    if mistake == "batching.floor-vs-ceil":
        use_ceil = not use_ceil
    batches = full + (1 if use_ceil and rest else 0)
    if drop_last or not rest:
        last = batch_size if full else 0
    else:
        last = rest
    if mistake == "batching.floor-vs-ceil":
        last = rest if (use_ceil and rest) else (batch_size if full else 0)
    iterations = batches * epochs
    if mistake == "batching.forgot-epochs":
        iterations = batches
    elif mistake == "batching.samples-as-iterations":
        iterations = n * epochs
    return {
        "n": n, "batch_size": batch_size, "epochs": epochs, "drop_last": drop_last,
        "full_batches": full, "remainder": rest, "batches_per_epoch": batches,
        "last_batch": last, "dropped": rest if drop_last else 0,
        "iterations": iterations, "samples_per_epoch": n - (rest if drop_last else 0),
        # the rounding actually used (the floor-vs-ceil mistake rounds the other way)
        "formula": f"⌈{n} / {batch_size}⌉ = {batches}" if use_ceil else f"⌊{n} / {batch_size}⌋ = {batches}",
    }


MISTAKES = (
    Mistake("batching.floor-vs-ceil", {
        "en": "You rounded the wrong way. Keeping the short last batch (drop_last = False) gives ⌈n / B⌉ "
              "batches; dropping it (drop_last = True) gives ⌊n / B⌋.",
        "ko": "올림과 내림을 반대로 했습니다. 마지막의 작은 배치를 남기면(drop_last = False) ⌈n / B⌉개, "
              "버리면(drop_last = True) ⌊n / B⌋개의 배치가 됩니다.",
    }),
    Mistake("batching.forgot-epochs", {
        "en": "You gave the batches of one epoch. Over all epochs: iterations = batches per epoch × epochs.",
        "ko": "한 에포크(epoch)의 배치 수만 구했습니다. 전체 반복 횟수는 에포크당 배치 수 × 에포크 수입니다.",
    }),
    Mistake("batching.samples-as-iterations", {
        "en": "You counted one iteration per sample. An iteration is one parameter update on one batch: "
              "iterations = batches per epoch × epochs.",
        "ko": "샘플 하나마다 반복(iteration)을 한 번씩 셌습니다. 반복 한 번은 배치 하나로 파라미터를 한 번 "
              "갱신하는 것입니다: 반복 횟수 = 에포크당 배치 수 × 에포크 수.",
    }),
)



def run(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MISTAKES)
    n = as_int(inputs, "n", lo=1)
    batch_size = as_int(inputs, "batch_size", lo=1)
    epochs = as_int(inputs, "epochs", default=1, lo=1)
    drop_last = inputs.get("drop_last", False)
    if not isinstance(drop_last, bool):
        raise InputError("drop_last", "expected true or false")
    return batching(n, batch_size, epochs, drop_last, mistake=mistake)


ALGORITHM = algorithm(Algorithm(
    name="batching",
    title={"en": "Batches, epochs and iterations", "ko": "배치, 에포크, 반복"},
    run=run,
    limits={"n": Int(1, 10**9), "batch_size": Int(1, 10**9), "epochs": Int(1, 10**6)},
    inputs={
        "n": "number of training samples",
        "batch_size": "samples per batch",
        "epochs": "passes over the whole data set (default 1)",
        "drop_last": "optional: true drops the short last batch (default false)",
    },
    inputs_ko={
        "n": "학습 샘플 수",
        "batch_size": "배치당 샘플 수",
        "epochs": "전체 데이터 세트를 도는 횟수(기본 1)",
        "drop_last": "선택: true이면 길이가 모자란 마지막 배치를 버림(기본 false)",
    },
    example={"n": 1000, "batch_size": 64, "epochs": 300},
    mistakes=MISTAKES,
    summary=("batches_per_epoch", "last_batch", "iterations"),
))
