"""BERT input pieces: the masked-language-model (MLM) corruption and WordPiece tokenisation.

MLM (Devlin et al. 2019, create_pretraining_data.py): of the ordinary tokens ([CLS], [SEP], [PAD]
are never chosen) select round(rate · count) positions, at least 1, uniformly without
replacement; then for each selected position draw u ~ U(0, 1):

    u < 0.8        → replace by [MASK]                (80 %)
    0.8 ≤ u < 0.9  → replace by a random vocab token  (10 %; it may happen to be the same token)
    u ≥ 0.9        → keep the token unchanged         (10 %)

The model must predict the original token at every selected position, including the kept ones.
Deterministic for a seed: numpy's default_rng(seed).

WordPiece (BERT-uncased): the basic tokenizer lowercases, strips accents, splits on whitespace
and makes every punctuation character its own token; then each word is split greedily,
longest match first, into vocabulary pieces; pieces after the first carry the prefix "##".
If some remainder of a word matches no piece, the whole word becomes [UNK].
"""

from __future__ import annotations

import unicodedata
from typing import Any, Mapping

import numpy as np

from engine.algorithms._common import check_mistake
from engine.core import Algorithm, InputError, Int, Mistake, as_float, as_int
from engine.registry import algorithm

SPECIAL = ("[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]")
NEVER_SELECT = {"[CLS]", "[SEP]", "[PAD]"}


# =========================================================================== MLM masking


def mlm_mask(tokens: list[str], rate: float, seed: int, vocab: list[str], *,
             mask_all: bool = False, select_specials: bool = False) -> dict:
    rng = np.random.default_rng(seed)
    candidates = [i for i, t in enumerate(tokens) if select_specials or t not in NEVER_SELECT]
    n_select = min(len(candidates), max(1, int(round(rate * len(candidates))))) if candidates else 0
    positions = sorted(int(i) for i in rng.choice(candidates, size=n_select, replace=False)) if n_select else []
    output = list(tokens)
    masked, random_, kept = [], [], []
    for i in positions:
        u = rng.random()
        if mask_all or u < 0.8:
            output[i] = "[MASK]"
            masked.append(i)
        elif u < 0.9:
            output[i] = str(vocab[int(rng.integers(len(vocab)))])
            random_.append(i)
        else:
            kept.append(i)
    labels = [tokens[i] if i in set(positions) else None for i in range(len(tokens))]
    return {"tokens": tokens, "candidates": len(candidates), "n_selected": n_select, "positions": positions,
            "masked": masked, "random": random_, "kept": kept, "output": output,
            "labels": labels,             # the prediction target at each selected position (None elsewhere)
            "expected": {"selected": rate * len(candidates), "masked": 0.8 * n_select,
                         "random": 0.1 * n_select, "kept": 0.1 * n_select}}


MLM_MISTAKES = (
    Mistake("bert.mask-all", {
        "en": "You replaced every selected token by [MASK]. BERT masks only 80 % of them; 10 % become a random "
              "token and 10 % stay unchanged, so that the model cannot rely on seeing [MASK] (which never appears "
              "at fine-tuning time).",
        "ko": "선택된 토큰을 모두 [MASK]로 바꿨습니다. BERT는 그중 80%만 [MASK]로 바꾸고, 10%는 무작위 토큰, "
              "10%는 그대로 둡니다. 파인튜닝 때는 [MASK]가 나오지 않으므로 모델이 [MASK]에만 의존하지 않게 하려는 것입니다.",
    }),
    Mistake("bert.select-specials", {
        "en": "You counted [CLS] and [SEP] among the tokens that can be selected. Special tokens are never masked; "
              "15 % is taken of the ordinary tokens only.",
        "ko": "[CLS]와 [SEP]도 선택 대상에 넣었습니다. 특수 토큰은 마스킹하지 않으며, 15%는 일반 토큰 중에서만 "
              "고릅니다.",
    }),
)

MLM_KW = {"bert.mask-all": {"mask_all": True}, "bert.select-specials": {"select_specials": True}}


def string_list(inputs: Mapping[str, Any], key: str) -> list[str]:
    raw = inputs.get(key)
    if not isinstance(raw, (list, tuple)) or not raw:
        raise InputError(key, "expected a non-empty list of strings")
    for i, t in enumerate(raw):
        if not isinstance(t, str) or not t:
            raise InputError(key, f"item {i} must be a non-empty string")
    return list(raw)


def run_mlm(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, MLM_MISTAKES)
    if inputs.get("tokens") is not None:
        tokens = string_list(inputs, "tokens")
    else:
        n = as_int(inputs, "n", lo=1, hi=100_000)
        tokens = [f"tok{i}" for i in range(n)]
    rate = as_float(inputs, "rate", default=0.15, lo=0.0, hi=1.0, open_lo=True)
    seed = as_int(inputs, "seed", default=0, lo=0)
    if inputs.get("vocab") is not None:
        vocab = string_list(inputs, "vocab")
    else:
        vocab = sorted({t for t in tokens if t not in SPECIAL})
        if not vocab:
            raise InputError("tokens", "no ordinary tokens to mask")
    if not any(t not in NEVER_SELECT for t in tokens) and mistake is None:
        raise InputError("tokens", "only special tokens: nothing can be selected")
    return mlm_mask(tokens, rate, seed, vocab, **MLM_KW.get(mistake, {}))


MLM = algorithm(Algorithm(
    name="mlm-masking",
    title={"en": "BERT masked-language-model masking (15 %, 80/10/10)",
           "ko": "BERT 마스크 언어 모델 마스킹 (15%, 80/10/10)"},
    run=run_mlm,
    limits={"n": Int(1, 10_000), "seed": Int(0, 2**32 - 1)},
    inputs={
        "tokens": "the token sequence (list of strings); [CLS]/[SEP]/[PAD] are never selected",
        "n": "instead of tokens: a length n (tokens tok0 … tok{n−1})",
        "rate": "share of the ordinary tokens to select (default 0.15)",
        "seed": "random seed (default 0); the same seed gives the same result",
        "vocab": "optional: tokens to draw the random replacements from (default: the distinct input tokens)",
    },
    inputs_ko={
        "tokens": "토큰 시퀀스(문자열 리스트); [CLS]/[SEP]/[PAD]는 선택되지 않음",
        "n": "tokens 대신: 길이 n(토큰 tok0 … tok{n−1})",
        "rate": "일반 토큰 중 선택할 비율(기본 0.15)",
        "seed": "난수 시드(기본 0); 시드가 같으면 결과도 같음",
        "vocab": "선택: 무작위 교체 토큰을 뽑을 토큰들(기본: 입력에 나온 서로 다른 토큰들)",
    },
    example={"tokens": ["[CLS]", "my", "dog", "is", "cute", "and", "he", "likes", "playing", "with", "a", "red",
                        "ball", "in", "the", "park", "every", "morning", "[SEP]", "he", "runs", "fast", "[SEP]"],
             "rate": 0.15, "seed": 0},
    mistakes=MLM_MISTAKES,
    summary=("positions", "masked", "random", "kept", "output"),
))


# =========================================================================== WordPiece


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def basic_tokenize(text: str, lower: bool = True) -> list[str]:
    """BERT BasicTokenizer (uncased): clean, lowercase, strip accents, split whitespace and punctuation.
    Special tokens such as [CLS] are kept whole."""
    words: list[str] = []
    for raw in text.split():
        if raw in SPECIAL:
            words.append(raw)
            continue
        chunk = "".join(ch for ch in raw if unicodedata.category(ch) not in ("Cc", "Cf") and ch != "\ufffd")
        if lower:
            chunk = chunk.lower()
            chunk = "".join(ch for ch in unicodedata.normalize("NFD", chunk) if unicodedata.category(ch) != "Mn")
        current = ""
        for ch in chunk:
            if _is_punctuation(ch):
                if current:
                    words.append(current)
                words.extend([ch])
                current = ""
            else:
                current += ch
        if current:
            words.append(current)
    return words


def wordpiece_word(word: str, vocab: set[str], *, longest: bool = True, prefix: str = "##",
                   max_chars: int = 100) -> tuple[list[str], list[dict]]:
    """Greedy longest-match-first split of one word; returns (pieces, trace of the matches)."""
    if word in SPECIAL:
        return [word], []
    if len(word) > max_chars:
        return ["[UNK]"], []
    pieces, trace = [], []
    start = 0
    while start < len(word):
        ends = range(len(word), start, -1) if longest else range(start + 1, len(word) + 1)
        match = None
        tried = []
        for end in ends:
            piece = word[start:end]
            if start > 0:
                piece = prefix + piece
            tried.append(piece)
            if piece in vocab:
                match = piece
                break
        trace.append({"start": start, "tried": tried, "match": match})
        if match is None:
            return ["[UNK]"], trace
        pieces.append(match)
        start += len(match) - (len(prefix) if start > 0 else 0)
    return pieces, trace


def wordpiece(text: str, vocab: list[str], *, longest: bool = True, lower: bool = True,
              prefix: str = "##") -> dict:
    vocab_set = set(vocab)
    words = basic_tokenize(text, lower=lower)
    tokens, per_word, traces = [], [], []
    for w in words:
        pieces, trace = wordpiece_word(w, vocab_set, longest=longest, prefix=prefix)
        tokens.extend(pieces)
        per_word.append(pieces)
        traces.append({"word": w, "pieces": pieces, "steps": trace})
    index = {t: i for i, t in enumerate(vocab)}
    ids = [index.get(t, index.get("[UNK]", -1)) for t in tokens]
    return {"words": words, "tokens": tokens, "pieces": per_word, "ids": ids, "n_tokens": len(tokens),
            "n_unk": tokens.count("[UNK]"), "trace": traces}


WORDPIECE_MISTAKES = (
    Mistake("bert.wordpiece-shortest-first", {
        "en": "You took the shortest matching piece first. WordPiece is greedy longest-match-first: from the current "
              "position take the longest vocabulary piece, then continue with '##' pieces.",
        "ko": "가장 짧게 맞는 조각부터 잘랐습니다. WordPiece는 가장 긴 것부터 맞추는 탐욕적(greedy longest-match-first) "
              "방식입니다: 현재 위치에서 어휘에 있는 가장 긴 조각을 고르고, 나머지는 '##' 조각으로 이어 갑니다.",
    }),
    Mistake("bert.wordpiece-no-prefix", {
        "en": "You matched the continuation of a word against whole-word entries, without the '##' prefix. Inside "
              "a word only '##' pieces may follow the first piece.",
        "ko": "단어 중간 부분을 '##' 없이 단어 시작용 항목과 맞췄습니다. 단어 안에서 첫 조각 다음에는 '##' 조각만 "
              "올 수 있습니다.",
    }),
)

WORDPIECE_MISTAKES += (
    Mistake("bert.wordpiece-no-lowercase", {
        "en": "You looked the words up without lowercasing them. The uncased BERT tokenizer lowercases (and strips "
              "accents) before WordPiece, so 'Here' is looked up as 'here'.",
        "ko": "소문자로 바꾸지 않고 어휘에서 찾았습니다. uncased BERT 토크나이저는 WordPiece 전에 소문자로 바꾸고 "
              "악센트를 없애므로 'Here'는 'here'로 찾습니다.",
    }),
)

WORDPIECE_KW = {"bert.wordpiece-shortest-first": {"longest": False}, "bert.wordpiece-no-prefix": {"prefix": ""},
                "bert.wordpiece-no-lowercase": {"lower": False}}


def run_wordpiece(inputs: Mapping[str, Any], mistake: str | None = None) -> dict:
    check_mistake(mistake, WORDPIECE_MISTAKES)
    text = inputs.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("text", "expected a non-empty string")
    if len(text) > 100_000:
        raise InputError("text", "too long (at most 100000 characters)")
    vocab = string_list(inputs, "vocab")
    return wordpiece(text, vocab, **WORDPIECE_KW.get(mistake, {}))


# Seed 000/004: tokenizer.tokenize('Here is the sentence I want embeddings for.') with bert-base-uncased
# gives ['here', 'is', 'the', 'sentence', 'i', 'want', 'em', '##bed', '##ding', '##s', 'for', '.'].
# This small vocabulary reproduces it (the real one has 30,522 entries and no 'embedding').
EXAMPLE_VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "a", "e", "i", "m", "s",
                 "em", "for", "here", "is", "the", "sentence", "want", "bed", "##s", "##e", "##d", "##b",
                 "##bed", "##ding", "##di", "##ng", "##ed"]
EXAMPLE_TEXT = "Here is the sentence I want embeddings for."

WORDPIECE = algorithm(Algorithm(
    name="wordpiece",
    title={"en": "WordPiece tokenisation (BERT, uncased)", "ko": "WordPiece 토큰화 (BERT, uncased)"},
    run=run_wordpiece,
    inputs={
        "text": "the text to tokenise",
        "vocab": "the vocabulary: a list of pieces; continuation pieces start with '##'; include '[UNK]'",
    },
    inputs_ko={
        "text": "토큰화할 텍스트",
        "vocab": "어휘: 조각의 리스트; 이어지는 조각은 '##'로 시작; '[UNK]'를 포함할 것",
    },
    example={"text": EXAMPLE_TEXT, "vocab": EXAMPLE_VOCAB},
    mistakes=WORDPIECE_MISTAKES,
    summary=("tokens", "n_tokens"),
))
