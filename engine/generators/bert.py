"""BERT exercises: the expected 15 % / 80-10-10 MLM counts; WordPiece with a small vocabulary."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from engine.algorithms.bert import MLM_MISTAKES, WORDPIECE_MISTAKES, wordpiece
from engine.core import Field, Generator, Int, Step, Tolerance, Variant, fmt
from engine.generators._common import T, given, reject_coincident
from engine.korean import josa
from engine.registry import generator

COUNT_TOL = Tolerance(atol=0.01)


@generator
class MLMSplit(Generator):
    name = "bert.mlm-split"
    title = T("BERT MLM: how many tokens are selected, masked, replaced, kept",
              "BERT MLM: 선택·마스킹·교체·유지되는 토큰 수")
    defaults = {}
    mistakes_catalog = MLM_MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        ordinary = int(rng.choice([20, 40, 60, 80, 100, 120, 160, 200, 300, 500]))
        length = ordinary + 3
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"length": length, "special": 3, "rate": 0.15},
            prompt=T(
                f"A sentence pair is encoded as {length} tokens: [CLS] A … [SEP] B … [SEP]. BERT's MLM selects 15 % of "
                "the tokens that may be predicted, then replaces 80 % of the selected by [MASK], 10 % by a random "
                "token and leaves 10 % unchanged. In expectation, how many tokens are selected, and how many of "
                "them are masked, replaced by a random token, and kept?",
                f"문장 쌍이 [CLS] A … [SEP] B … [SEP] 형태의 토큰 {length}개로 인코딩되었습니다. BERT의 MLM은 예측 대상이 될 "
                "수 있는 토큰의 15%를 고르고, 고른 것 중 80%는 [MASK], 10%는 무작위 토큰으로 바꾸고 10%는 그대로 "
                "둡니다. 기댓값으로 몇 개가 선택되고, 그중 몇 개가 마스킹, 무작위 교체, 유지되나요?"),
            fields=[Field("selected", T("selected", "선택"), part="select", tol=COUNT_TOL),
                    Field("masked", T("→ [MASK]", "→ [MASK]"), part="split", tol=COUNT_TOL),
                    Field("random", T("→ random token", "→ 무작위 토큰"), part="split", tol=COUNT_TOL),
                    Field("kept", T("→ unchanged", "→ 그대로"), part="split", tol=COUNT_TOL)],
            hints=[T("[CLS] and [SEP] are never selected.", "[CLS]와 [SEP]는 선택되지 않습니다."),
                   T("Selected = 0.15 × ordinary tokens; then 0.8, 0.1, 0.1 of the selected.",
                     "선택 = 0.15 × 일반 토큰 수; 그다음 선택된 것의 0.8, 0.1, 0.1.")],
        )
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    @staticmethod
    def _split(selected: float) -> dict[str, float]:
        return {"selected": selected, "masked": 0.8 * selected, "random": 0.1 * selected, "kept": 0.1 * selected}

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        d = v.data
        out = self._split(d["rate"] * (d["length"] - d["special"]))
        mine = given(answers, "selected")
        if mine is not None:                  # error carried forward: split the learner's count
            out.update({k: x for k, x in self._split(mine[0]).items() if k != "selected"})
        return out

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        d = v.data
        mine = given(answers, "selected")
        n_sel = mine[0] if mine is not None else d["rate"] * (d["length"] - d["special"])
        return {"bert.select-specials": self._split(d["rate"] * d["length"]),
                "bert.mask-all": {"masked": n_sel, "random": 0.0, "kept": 0.0}}

    def solution(self, v: Variant) -> list[Step]:
        d = v.data
        e = self.expected(v)
        ordinary = d["length"] - d["special"]
        return [
            Step(T(f"{d['length']} − 3 special tokens = {ordinary} candidates; 0.15 × {ordinary} = {fmt(e['selected'])}",
                   f"{d['length']} − 특수 토큰 3개 = 후보 {ordinary}개; 0.15 × {ordinary} = {fmt(e['selected'])}"),
                 ("selected",)),
            Step(T(f"[MASK]: 0.8 × {fmt(e['selected'])} = {fmt(e['masked'])}; random: 0.1 × {fmt(e['selected'])} = "
                   f"{fmt(e['random'])}; unchanged: {fmt(e['kept'])}",
                   f"[MASK]: 0.8 × {fmt(e['selected'])} = {fmt(e['masked'])}; 무작위: 0.1 × {fmt(e['selected'])} = "
                   f"{fmt(e['random'])}; 그대로: {fmt(e['kept'])}"), ("masked", "random", "kept")),
        ]


# real words and their pieces (stem first); a word may also sit in the vocabulary whole ("teacher")
WORDS = {
    "playing": ("play", "##ing"), "replayed": ("re", "##play", "##ed"), "players": ("player", "##s"),
    "helpful": ("help", "##ful"), "unhelpful": ("un", "##help", "##ful"), "helpers": ("helper", "##s"),
    "teachers": ("teacher", "##s"), "teaching": ("teach", "##ing"),
    "reading": ("read", "##ing"), "unreadable": ("un", "##read", "##able"), "readers": ("reader", "##s"),
    "talked": ("talk", "##ed"), "talking": ("talk", "##ing"),
    "walked": ("walk", "##ed"), "walkers": ("walker", "##s"),
    "painting": ("paint", "##ing"), "repainted": ("re", "##paint", "##ed"), "painters": ("painter", "##s"),
    "rebuilding": ("re", "##build", "##ing"), "builders": ("builder", "##s"),
    "singing": ("sing", "##ing"), "singers": ("singer", "##s"),
    "jumped": ("jump", "##ed"), "cooking": ("cook", "##ing"), "cooked": ("cook", "##ed"),
    "workable": ("work", "##able"), "unworkable": ("un", "##work", "##able"), "workers": ("worker", "##s"),
}
UNSPLITTABLE = ("dancing", "swimming", "writing", "laughed", "drivers")


def _stem(word: str) -> str:
    pieces = WORDS[word]
    return pieces[1][2:] if pieces[0] in ("re", "un") else pieces[0][:4]


@generator
class WordPieceCount(Generator):
    name = "bert.wordpiece"
    title = T("WordPiece tokenisation with a small vocabulary", "작은 어휘로 WordPiece 토큰화")
    defaults = {"words": 3}
    limits = {"words": Int(2, 6)}
    mistakes_catalog = WORDPIECE_MISTAKES

    def make(self, rng: np.random.Generator, params: Mapping) -> Variant:
        n = int(params["words"])
        pool = list(WORDS)
        words: list[str] = []
        for i in rng.permutation(len(pool)):
            if all(_stem(pool[i]) != _stem(w) for w in words):
                words.append(pool[i])
            if len(words) == n:
                break
        vocab = {"[UNK]", "."}
        for w in words:
            pieces = WORDS[w]
            vocab |= set(pieces)
            root = pieces[1][2:] if pieces[0] in ("re", "un") else pieces[0]
            vocab.add(root[:2])                              # a short piece: the trap for shortest-first
            if pieces[0] in ("re", "un"):
                vocab.add(root)                              # the stem as a word start, too
        if rng.random() < 0.5:                               # sometimes a word that cannot be split
            words.insert(int(rng.integers(0, n + 1)), str(rng.choice(UNSPLITTABLE)))
        words[0] = words[0].capitalize()
        text = " ".join(words) + "."
        vocab_list = sorted(vocab, key=lambda t: (t.startswith("["), t.startswith("##"), t))
        v = Variant(
            generator=self.name, seed=0, params=dict(params),
            data={"text": text, "vocab": vocab_list},
            prompt=T(
                f"Tokenise “{text}” the way uncased BERT does (lowercase; split off punctuation; WordPiece greedy "
                f"longest-match-first, '##' for pieces inside a word, [UNK] for a word that cannot be split) with the "
                f"vocabulary {{{', '.join(vocab_list)}}}. How many tokens come out, how many of them start with "
                "'##', and how many are [UNK]?",
                f"{josa(f'“{text}”', '를')} uncased BERT 방식(소문자화, 구두점 분리, WordPiece 가장 긴 일치 우선, 단어 안쪽 조각은 '##', "
                f"나눌 수 없는 단어는 [UNK])으로 어휘 {{{', '.join(vocab_list)}}}를 써서 토큰화하세요. 토큰은 모두 몇 개이고, "
                "그중 '##'로 시작하는 것과 [UNK]는 각각 몇 개인가요?"),
            fields=[Field("n_tokens", T("tokens", "토큰 수"), tol=Tolerance(atol=0.1)),
                    Field("n_continuation", T("'##' tokens", "'##' 토큰 수"), tol=Tolerance(atol=0.1)),
                    Field("n_unk", T("[UNK] tokens", "[UNK] 수"), tol=Tolerance(atol=0.1))],
            hints=[T("Lowercase first, and the final '.' is a token of its own.",
                     "먼저 소문자로 바꾸고, 마지막 '.'은 별도의 토큰입니다."),
                   T("At each position take the longest vocabulary piece that matches; after the first piece of a "
                     "word only '##' pieces may follow.",
                     "각 위치에서 어휘에 있는 가장 긴 조각을 고르세요. 단어의 첫 조각 다음에는 '##' 조각만 올 수 있습니다."),
                   T("If some rest of a word matches nothing, the whole word becomes one [UNK].",
                     "단어의 남은 부분이 어떤 조각과도 맞지 않으면 단어 전체가 [UNK] 하나가 됩니다.")],
        )
        reject_coincident(v, self.expected(v), self.mistakes(v))
        return v

    @staticmethod
    def _vals(r: dict) -> dict[str, float]:
        toks = r["tokens"]
        return {"n_tokens": float(len(toks)), "n_continuation": float(sum(t.startswith("##") for t in toks)),
                "n_unk": float(toks.count("[UNK]"))}

    def expected(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, float]:
        return self._vals(wordpiece(v.data["text"], v.data["vocab"]))

    def mistakes(self, v: Variant, answers: Mapping[str, float] | None = None) -> dict[str, dict[str, float]]:
        d = v.data
        return {"bert.wordpiece-shortest-first": self._vals(wordpiece(d["text"], d["vocab"], longest=False)),
                "bert.wordpiece-no-prefix": self._vals(wordpiece(d["text"], d["vocab"], prefix="")),
                "bert.wordpiece-no-lowercase": self._vals(wordpiece(d["text"], d["vocab"], lower=False))}

    def solution(self, v: Variant) -> list[Step]:
        r = wordpiece(v.data["text"], v.data["vocab"])
        e = self._vals(r)
        steps = [Step(T(f"Basic tokens: {r['words']}", f"기본 토큰: {r['words']}"))]
        for t in r["trace"]:
            if t["steps"]:
                tried = "; ".join(f"at {s['start']}: {s['match'] or 'no match'}" for s in t["steps"])
                tried_ko = "; ".join(f"위치 {s['start']}: {s['match'] or '일치 없음'}" for s in t["steps"])
                steps.append(Step(T(f"{t['word']} → {tried} → {t['pieces']}",
                                    f"{t['word']} → {tried_ko} → {t['pieces']}")))
        steps.append(Step(T(f"Tokens: {r['tokens']} → {fmt(e['n_tokens'])} tokens, {fmt(e['n_continuation'])} with "
                            f"'##', {fmt(e['n_unk'])} [UNK]",
                            f"토큰: {r['tokens']} → {fmt(e['n_tokens'])}개, '##' {fmt(e['n_continuation'])}개, "
                            f"[UNK] {fmt(e['n_unk'])}개"), ("n_tokens", "n_continuation", "n_unk")))
        return steps
