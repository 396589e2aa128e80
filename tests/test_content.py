"""Content loader and checker: one bad fixture per error message, a good set, hostile files."""

from __future__ import annotations

import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest

from tutor import content as C
from tutor.content import (
    Card,
    Problem,
    Question,
    check_catalog,
    load_catalog,
    parse_path,
    render,
    run_compute,
    summary,
)

FIX = Path(__file__).parent / "fixtures"
BAD = FIX / "content_bad"
GOOD = FIX / "content_good"

HEADER = 'topic: {t}\norder: {o}\ntitle: {{ko: "주제 {t}", en: "Topic {t}"}}\n'

# file -> (key, part of the message, number of problems). The line is the one marked "# <-" in the
# file (None when there is no marker: the parser knows no line for that problem).
BAD_CASES = {
    # files that cannot be read or parsed
    "empty.yaml": ("file", "empty file", 1),
    "only-comments.yaml": ("file", "empty file (only comments)", 1),
    "not-utf8.yaml": ("file", "not UTF-8: byte 0xe9", 1),
    "tabs.yaml": ("yaml", "tab character in the indentation", 1),
    "yaml-syntax.yaml": ("yaml", "", 1),   # the parser's own words: not pinned, only path:line: key
    "duplicate-key.yaml": ("title", "duplicate key 'title' (first at line 3)", 1),
    "python-tag.yaml": ("yaml", "!!python/object/apply:os.system is refused", 1),
    "custom-tag.yaml": ("yaml", "the tag !include is not allowed", 1),
    "alias-bomb.yaml": ("yaml", "alias bomb", 1),
    "recursive-alias.yaml": ("yaml", "alias *loop refers to its own enclosing &loop", 1),
    "undefined-alias.yaml": ("yaml", "alias *nowhere has no anchor", 1),
    "too-deep.yaml": ("yaml", "nested more than 60 levels", 1),
    "two-documents.yaml": ("yaml", "a second YAML document", 1),
    "complex-key.yaml": ("yaml", "used as a key", 1),
    "not-a-mapping.yaml": ("file", "expected a mapping with topic:, cards:, questions:, got a list", 1),
    # the topic header (the file is skipped)
    "missing-topic.yaml": ("topic", "missing: every content file starts with topic:", 1),
    "bad-topic-id.yaml": ("topic", "'EM Algorithm' is not a topic id", 1),
    "missing-title.yaml": ("title", "missing: topic 'missing-title' needs title", 1),
    "order-not-int.yaml": ("order", "expected a whole number, got text", 1),
    "unknown-top-key.yaml": ("card", "unknown key; did you mean 'cards'?", 1),
    "requires-not-list.yaml": ("requires", "expected a list of topic ids, got a mapping", 1),
    "cards-not-list.yaml": ("cards", "expected a list, got a mapping", 1),
    "summary-one-language.yaml": ("summary", "needs both languages", 1),
    # prerequisites (the topic loads, the edge is dropped)
    "requires-unknown.yaml": ("requires.no-such-topic", "unknown topic 'no-such-topic'", 1),
    "requires-self.yaml": ("requires", "prerequisite cycle: requires-self → requires-self", 1),
    # cards (the card is skipped)
    "missing-language.yaml": ("missing-language.c.title.en", "missing language 'en'", 1),
    "empty-language.yaml": ("empty-language.c.body.en", "missing language 'en'", 1),
    "unknown-language.yaml": ("unknown-language.c.note.ja", "unknown language", 1),
    "text-not-string.yaml": ("text-not-string.c.title.en", "got true/false (YAML reads yes/no", 1),
    "unknown-card-key.yaml": ("unknown-card-key.c.hint", "unknown key; card keys are", 1),
    "missing-id.yaml": ("cards[0].id", "missing: every card and question needs a stable id", 1),
    "id-wrong-prefix.yaml": ("kmeans.intro", "id must start with the topic: id-wrong-prefix.", 1),
    "duplicate-id.yaml": ("duplicate-id.c", "duplicate id (first at", 2),
    "unknown-engine.yaml": ("unknown-engine.c.compute.mle.engine", "unknown engine algorithm 'em-coin'; did you mean "
                                                                   "'em-coins'?", 1),
    "unknown-mistake.yaml": ("unknown-mistake.c.compute.run.mistake", "em-coins has no mistake 'em.forgot-everything'", 1),
    "compute-bad-inputs.yaml": ("compute-bad-inputs.c.compute.mle", "rejected the inputs: rounds[0]: unknown character", 1),
    "placeholder-unknown-run.yaml": ("placeholder-unknown-run.c.body.ko", "no compute named 'mle'", 2),
    "placeholder-malformed.yaml": ("placeholder-malformed.c.body.ko", "unknown format '.2x'", 1),
    "placeholder-unresolved.yaml": ("placeholder-unresolved.c.body.ko", "no key 'theta_c' in mle", 1),
    "placeholder-index.yaml": ("placeholder-index.c.body.en", "mle.heads[7] is out of range (mle.heads has 2 items)", 1),
    "show-unknown-output.yaml": ("show-unknown-output.c.show[0].keys", "has no output 'theta_z'", 1),
    "show-unknown-run.yaml": ("show-unknown-run.c.show[0].run", "'em' is not a compute of this card", 1),
    "blank-outside-cloze.yaml": ("blank-outside-cloze.c.body.ko", "blank {{1}} outside a cloze prompt", 2),
    # questions (the question is skipped)
    "unknown-kind.yaml": ("unknown-kind.q.kind", "unknown question kind 'essay'", 1),
    "missing-answer.yaml": ("missing-answer.q.answer", "missing: a choice question needs answer:", 1),
    "missing-explain.yaml": ("missing-explain.q.explain", "missing: give the text in both languages", 1),
    "unknown-question-key.yaml": ("unknown-question-key.q.explian", "unknown key; did you mean 'explain'?", 2),
    "hint-one-language.yaml": ("hint-one-language.q.hints[1]", "needs both languages", 1),
    "choice-out-of-range.yaml": ("choice-out-of-range.q.answer", "answer 3 is out of range: there are 3 choices", 1),
    "choice-too-few.yaml": ("choice-too-few.q.choices", "needs at least 2 entries, got 1", 1),
    "choice-duplicate.yaml": ("choice-duplicate.q.choices[1].ko", "the same text as choice 0", 1),
    "choice-answer-text.yaml": ("choice-answer-text.q.answer", "expected a choice number", 1),
    "multi-not-unique.yaml": ("multi-not-unique.q.answer", "answers are not unique: 0 appears more than once", 1),
    "multi-out-of-range.yaml": ("multi-out-of-range.q.answer[1]", "answer 5 is out of range", 1),
    "order-duplicate.yaml": ("order-duplicate.q.items[1].ko", "the same text as item 0", 1),
    "text-number-answer.yaml": ("text-number-answer.q.answers[1]", "got a number (quote numbers", 1),
    "cloze-count.yaml": ("cloze-count.q.prompt.en", "2 blank marker(s) {{n}} but 3 blanks", 2),
    "cloze-no-markers.yaml": ("cloze-no-markers.q.prompt.en", "no blank markers", 1),
    "tolerance-negative.yaml": ("tolerance-negative.q.tolerance.atol", "must be ≥ 0, got -0.1", 1),
    "tolerance-unknown.yaml": ("tolerance-unknown.q.tolerance.rel", "unknown tolerance 'rel'", 1),
    "tolerance-mixed.yaml": ("tolerance-mixed.q.tolerance", "give one of sig or decimals alone", 1),
    "numeric-unknown-run.yaml": ("numeric-unknown-run.q.answer.run", "'mle' is not a compute of this question", 1),
    "numeric-run-and-value.yaml": ("numeric-run-and-value.q.answer", "either run: and key: (computed) or value:", 1),
    "numeric-not-scalar.yaml": ("numeric-not-scalar.q.answer.key", "a list of 2 values, not one finite number", 1),
    "numeric-bad-key.yaml": ("numeric-bad-key.q.answer.key", "no key 'theta_q'", 1),
    "matrix-labels.yaml": ("matrix-labels.q.cols", "3 labels but the answer has 2 cols", 1),
    "unknown-generator.yaml": ("unknown-generator.q.generator", "unknown generator 'em.coin'; did you mean 'em.coins'?", 1),
    "generator-unknown-param.yaml": ("generator-unknown-param.q.params.round", "em.coins has no parameter 'round'", 1),
    "generator-bad-params.yaml": ("generator-bad-params.q.params.flips", "expected a whole number", 1),
}


def marked_line(path: Path) -> int | None:
    lines = path.read_bytes().split(b"\n")
    marks = [i + 1 for i, ln in enumerate(lines) if b"# <-" in ln]
    assert len(marks) <= 1, f"{path.name}: one # <- marker at most"
    return marks[0] if marks else None


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_bad_fixture_has_a_case():
    files = {p.name for p in BAD.iterdir()}
    assert files == set(BAD_CASES), f"untested: {sorted(files - set(BAD_CASES))}, missing: {sorted(set(BAD_CASES) - files)}"


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_fixture_reports_path_line_key(name):
    key, fragment, count = BAD_CASES[name]
    path = BAD / name
    line = marked_line(path)
    cat = load_catalog([path], verify_numbers=True)
    strs = [str(p) for p in cat.problems]
    prefix = f"{path}:{line}: {key}: " if line is not None else f"{path}: {key}: "
    assert any(s.startswith(prefix) and fragment in s for s in strs), "\n".join(strs)
    assert len(cat.problems) == count, "\n".join(strs)
    n_lines = path.read_bytes().count(b"\n") + 1
    for p in cat.problems:
        assert p.path == str(path)
        assert p.line is None or 1 <= p.line <= n_lines, "never invent a line number"


def test_problem_str_with_and_without_line():
    assert str(Problem("a.yaml", 3, "topic", "bad")) == "a.yaml:3: topic: bad"
    assert str(Problem("a.yaml", None, "file", "empty file")) == "a.yaml: file: empty file"


def test_deep_problems_need_verify_numbers():
    path = BAD / "placeholder-unresolved.yaml"
    cat = load_catalog([path])                      # structure only: the card loads
    assert not cat.problems and "placeholder-unresolved.c" in cat.items_by_topic()["placeholder-unresolved"]
    deep = check_catalog(cat)
    assert [p.key for p in deep] == ["placeholder-unresolved.c.body.ko"]
    assert check_catalog(cat, verify_numbers=False) == []
    assert cat.item("placeholder-unresolved.c")     # check_catalog does not change the catalog
    verified = load_catalog([path], verify_numbers=True)
    assert verified.verified and verified.items_by_topic()["placeholder-unresolved"] == []
    assert [str(p) for p in check_catalog(verified)] == [str(p) for p in deep]


# --------------------------------------------------------------------------- the good set


def test_good_fixture_loads_with_zero_problems():
    cat = load_catalog([GOOD], verify_numbers=True)
    assert cat.problems == [] and cat.skipped == [] and cat.skipped_items == []
    assert check_catalog(cat) == []
    assert list(cat.topics) == ["coins", "em-steps"]              # curriculum order
    em = cat.topics["em-steps"]
    assert em.requires == ["coins"] and em.path == str(GOOD / "em-steps") and len(em.files) == 3
    assert [c.id for c in em.cards] == ["em-steps.e-step"]
    assert [q.id for q in em.questions] == ["em-steps.q.one-iteration", "em-steps.q.resp"]
    kinds = {q.kind for t in cat.topics.values() for q in t.questions}
    assert kinds == set(C.KINDS)
    assert cat.literal_answers == ["coins.q.half"]
    assert cat.topics["coins"].source == ["000_ecd86bba088b979b.txt"]


def test_catalog_types_and_lookup():
    cat = load_catalog([GOOD])
    card = cat.item("coins.count")
    assert isinstance(card, Card) and card.topic == "coins" and card.path == str(GOOD / "coins.yaml")
    assert card.line == 12 and card.title == {"ko": "세기만 하면 되는 MLE", "en": "MLE is counting"}
    assert card.show == [{"run": "mle", "keys": ["heads_a", "tails_a", "theta_a"],
                          "title": {"ko": "엔진이 센 값", "en": "Counted by the engine"}}]
    q = cat.item("coins.q.why")
    assert isinstance(q, Question) and q.kind == "choice" and q.data["answer"] == 0 and len(q.data["choices"]) == 3
    assert type(q.data) is dict and type(q.data["choices"][0]) is dict   # plain data, no loader types
    ex = cat.item("em-steps.q.one-iteration")
    assert ex.prompt is None and ex.explain is None and ex.data == {"generator": "em.coins",
                                                                    "params": {"rounds": 3, "flips": 6}}
    assert cat.items_by_topic()["coins"][0] == "coins.count"
    with pytest.raises(KeyError):
        cat.item("coins.nope")


def test_summary_counts():
    rows = summary(load_catalog([GOOD]))
    coins, em = rows
    assert coins["topic"] == "coins" and coins["cards"] == 1 and coins["questions"] == 7
    assert coins["by_kind"] == {"choice": 1, "cloze": 1, "multi": 1, "numeric": 2, "order": 1, "text": 1}
    assert coins["literal_answers"] == 1 and coins["exercises"] == 0
    assert em["exercises"] == 1 and em["by_kind"] == {"exercise": 1, "matrix": 1}


def test_numbers_come_from_the_engine():
    cat = load_catalog([GOOD])
    q = cat.item("coins.q.theta-a")
    assert C.expected_answer(q) == pytest.approx(24 / 30)          # Do & Batzoglou: coin A 24 H, 6 T
    assert C.tolerance_of(q).atol == 0.005
    m = cat.item("em-steps.q.resp")
    resp = C.expected_answer(m)
    # round 1 (5H 5T) from θ_A = 0.6, θ_B = 0.5: 0.6^5·0.4^5 / (0.6^5·0.4^5 + 0.5^10)
    la, lb = 0.6 ** 5 * 0.4 ** 5, 0.5 ** 10
    assert resp[0] == pytest.approx(la / (la + lb))
    card = cat.item("coins.count")
    body = render(card.body["ko"], run_compute(card.compute))
    assert "동전 A의 앞면은 24번, 뒷면은 6번이므로" in body and "= 0.80$$" in body
    assert "첫 라운드의 앞면 수는 5개입니다." in body and "{{" not in body


# --------------------------------------------------------------------------- robustness


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    shutil.copytree(GOOD, tmp_path / "content")
    for name in ("python-tag.yaml", "not-utf8.yaml", "tabs.yaml", "alias-bomb.yaml", "choice-out-of-range.yaml",
                 "missing-title.yaml"):
        shutil.copy(BAD / name, tmp_path / "content" / name)
    cat = load_catalog([tmp_path / "content"], verify_numbers=True)
    good = load_catalog([GOOD])
    for tid, ids in good.items_by_topic().items():
        assert cat.items_by_topic()[tid] == ids
    shown = {Path(p.path).name for p in cat.problems}
    assert shown == {"python-tag.yaml", "not-utf8.yaml", "tabs.yaml", "alias-bomb.yaml",
                     "choice-out-of-range.yaml", "missing-title.yaml"}
    assert {Path(s).name for s in cat.skipped} == {"python-tag.yaml", "not-utf8.yaml", "tabs.yaml",
                                                   "alias-bomb.yaml", "missing-title.yaml"}
    assert "choice-out-of-range" in cat.topics and cat.skipped_items == ["choice-out-of-range.q"]


def test_a_bad_item_is_skipped_and_the_rest_of_the_file_loads(tmp_path):
    f = write(tmp_path / "t.yaml", HEADER.format(t="t", o=1) + """questions:
  - id: t.good
    kind: text
    prompt: {ko: "질문", en: "Question"}
    answers: [yes please]
    explain: {ko: "설명", en: "Because"}
  - id: t.bad
    kind: choice
    prompt: {ko: "질문", en: "Question"}
    choices: [{ko: 가, en: a}, {ko: 나, en: b}]
    answer: 2
    explain: {ko: "설명", en: "Because"}
""")
    cat = load_catalog([f])
    assert cat.items_by_topic() == {"t": ["t.good"]}
    assert [str(p) for p in cat.problems] == [
        f"{f}:14: t.bad.answer: answer 2 is out of range: there are 2 choices, numbered 0–1"]
    assert cat.skipped_items == ["t.bad"] and cat.skipped == []


def test_all_problems_of_a_file_are_collected(tmp_path):
    f = write(tmp_path / "t.yaml", HEADER.format(t="t", o=1) + """cards:
  - id: t.a
    title: {ko: "가"}
    body: {ko: "본문", en: "Body"}
  - id: t.b
    title: {ko: "나", en: "B"}
    body: "only one language"
questions:
  - id: t.q
    kind: essay
""")
    cat = load_catalog([f])
    assert [(p.line, p.key) for p in cat.problems] == [(6, "t.a.title.en"), (10, "t.b.body"), (13, "t.q.kind")]


def test_huge_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.yaml"
    chunk = (HEADER.format(t="big", o=1) + "cards:\n" + "  - {id: big.x, title: {ko: 가, en: a}}\n" * 5000).encode()
    with open(big, "wb") as f:
        while f.tell() < 50 * 2**20:
            f.write(chunk)
    assert big.stat().st_size >= 50 * 2**20
    shutil.copy(GOOD / "coins.yaml", tmp_path / "coins.yaml")
    tracemalloc.start()
    try:
        cat = load_catalog([tmp_path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.1f} MB"
    assert [str(p) for p in cat.problems] == [
        f"{big}: file: {big.stat().st_size / 1e6:.1f} MB is over the 2 MB limit for one content file; "
        "split the topic into a folder"]
    assert list(cat.topics) == ["coins"] and cat.skipped == [str(big)]


def test_many_values_under_the_size_limit_are_refused(tmp_path):
    f = write(tmp_path / "wide.yaml", HEADER.format(t="wide", o=1) + "summary:\n"
              + "".join(f"  k{i}: [1, 2, 3, 4]\n" for i in range(6000)))
    assert f.stat().st_size < C.MAX_FILE_BYTES
    cat = load_catalog([f])
    assert len(cat.problems) == 1 and "more than 20,000 values" in cat.problems[0].message
    assert cat.problems[0].line is not None


def test_alias_bomb_is_cheap(tmp_path):
    lines = [HEADER.format(t="bomb", o=1) + "summary:", '  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 40):                                      # 7^40 values if expanded
        lines.append(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 7) + "]")
    f = write(tmp_path / "bomb.yaml", "\n".join(lines) + "\n")
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        cat = load_catalog([f])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - t0 < 5
    assert peak < 5 * 2**20
    assert len(cat.problems) == 1 and "alias bomb" in cat.problems[0].message
    assert cat.problems[0].line == 9      # l4 is the first level over the limit: 7^5 > 20,000 in all


@pytest.mark.parametrize("depth", [C.MAX_DEPTH + 1, 200_000])
def test_deep_nesting_does_not_crash(tmp_path, depth):
    # Behaviour, not wording: whichever of our cap and the parser's own limit stops the document,
    # the file gives one `yaml` problem on its line, is skipped, memory stays bounded, and the
    # other files still load.
    f = write(tmp_path / "deep.yaml", HEADER.format(t="deep", o=1) + "summary: " + "[" * depth + "]" * depth + "\n")
    shutil.copy(GOOD / "coins.yaml", tmp_path / "coins.yaml")
    tracemalloc.start()
    try:
        cat = load_catalog([tmp_path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"peak {peak / 2**20:.1f} MB"
    assert [(p.path, p.line, p.key) for p in cat.problems] == [(str(f), 4, "yaml")]
    assert cat.problems[0].message
    assert cat.skipped == [str(f)] and list(cat.topics) == ["coins"]


@pytest.mark.parametrize("tagged", [
    "!!python/object/apply:os.system [\"echo pwned\"]",
    "!!python/name:os.system",
    "!!python/object:collections.OrderedDict {}",
    "!!python/tuple [1, 2]",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
])
def test_tags_are_refused(tmp_path, tagged):
    f = write(tmp_path / "t.yaml", HEADER.format(t="t", o=1) + f"summary: {tagged}\n")
    cat = load_catalog([f])
    assert [(p.line, p.key) for p in cat.problems] == [(4, "yaml")]
    assert "tag" in cat.problems[0].message and cat.skipped == [str(f)]


def test_yaml_merge_keys_and_anchors_work(tmp_path):
    f = write(tmp_path / "t.yaml", HEADER.format(t="t", o=1) + """cards:
  - id: t.a
    title: &title {ko: "가", en: "A"}
    body: {ko: "{{r.theta_a:.2f}}", en: "{{r.theta_a:.2f}}"}
    compute:
      r: &run
        engine: em-coins
        inputs: {rounds: [HHT, TTH], labels: [A, B]}
  - id: t.b
    title: *title
    body: {ko: "{{r.theta_b:.2f}}", en: "{{r.theta_b:.2f}}"}
    compute:
      r:
        <<: *run
        inputs: {rounds: [HHT, HTT], labels: [A, B]}
""")
    cat = load_catalog([f], verify_numbers=True)
    assert cat.problems == []
    b = cat.item("t.b")
    assert b.title == {"ko": "가", "en": "A"} and b.compute["r"]["engine"] == "em-coins"
    assert render(b.body["en"], run_compute(b.compute)) == "0.33"


def test_prerequisite_cycle_reported_once_with_its_path(tmp_path):
    for t, o, req in [("a", 1, "[b]"), ("b", 2, "[c]"), ("c", 3, "[a]"), ("d", 4, "[a, c]")]:
        write(tmp_path / f"{t}.yaml", HEADER.format(t=t, o=o) + f"requires: {req}\n")
    cat = load_catalog([tmp_path])
    cycles = [p for p in cat.problems if "cycle" in p.message]
    assert len(cycles) == 1 and len(cat.problems) == 1
    p = cycles[0]
    assert str(p).startswith(f"{tmp_path / 'a.yaml'}:4: requires: prerequisite cycle: a → b → c → a")
    assert list(cat.topics) == ["a", "b", "c", "d"]
    assert C._find_cycle(cat.topics) is None
    assert cat.topics["d"].requires == ["a", "c"]


def test_duplicates_across_files_are_reported_at_both_places(tmp_path):
    card = '  - id: {id}\n    title: {{ko: "가", en: "A"}}\n    body: {{ko: "본문", en: "Body"}}\n'
    one = write(tmp_path / "one.yaml", HEADER.format(t="one", o=1) + "cards:\n" + card.format(id="one.x"))
    two = write(tmp_path / "two.yaml", HEADER.format(t="one", o=2) + "cards:\n" + card.format(id="one.y"))
    three = write(tmp_path / "three.yaml", HEADER.format(t="three", o=3) + "cards:\n" + card.format(id="one.x"))
    cat = load_catalog([tmp_path])
    strs = sorted(str(p) for p in cat.problems)
    assert f"{one}:1: topic: duplicate topic 'one' (also at {two}:1)" in strs
    assert f"{two}:1: topic: duplicate topic 'one' (first at {one}:1); this one is skipped" in strs
    # three.yaml's card id does not start with its topic
    assert f"{three}:5: one.x: id must start with the topic: three." in strs
    assert str(two) in cat.skipped and cat.items_by_topic()["one"] == ["one.x"]


def test_duplicate_item_ids_across_files(tmp_path):
    card = '  - id: {id}\n    title: {{ko: "가", en: "A"}}\n    body: {{ko: "본문", en: "Body"}}\n'
    folder = tmp_path / "t"
    a = write(folder / "a.yaml", HEADER.format(t="t", o=1) + "cards:\n" + card.format(id="t.x"))
    b = write(folder / "b.yaml", "topic: t\ncards:\n" + card.format(id="t.x") + card.format(id="t.y"))
    cat = load_catalog([tmp_path])
    assert sorted(str(p) for p in cat.problems) == sorted([
        f"{a}:5: t.x: duplicate id (also at {b}:3)",
        f"{b}:3: t.x: duplicate id (first at {a}:5); this one is skipped"])
    assert cat.items_by_topic() == {"t": ["t.x", "t.y"]}


def test_topic_folder_rules(tmp_path):
    folder = tmp_path / "em"
    write(folder / "a.yaml", HEADER.format(t="em", o=1))
    b = write(folder / "b.yaml", 'topic: em\norder: 5\n')
    c = write(folder / "c.yaml", 'topic: other\n')
    write(folder / "README.md", "ignored")
    cat = load_catalog([tmp_path])
    strs = [str(p) for p in cat.problems]
    assert f"{b}:2: order: given twice in topic 'em' (also at {folder / 'a.yaml'}:2)" in strs
    assert any(s.startswith(f"{c}:1: topic: 'other' differs from its folder 'em'") for s in strs)
    assert list(cat.topics) == ["em"] and str(c) in cat.skipped


def test_folder_without_a_header(tmp_path):
    f = write(tmp_path / "em" / "cards.yaml", "topic: em\ncards: []\n")
    cat = load_catalog([tmp_path])
    assert [str(p) for p in cat.problems] == [f"{f}:1: order: missing: topic 'em' needs order and title"]


def test_missing_directory_is_a_problem(tmp_path):
    cat = load_catalog([tmp_path / "nope"])
    assert [str(p) for p in cat.problems] == [f"{tmp_path / 'nope'}: dir: no such content directory"]


# --------------------------------------------------------------------------- placeholders


RUNS = {
    "mle": {"theta_a": 0.8, "theta_b": 0.45, "heads_a": 24.0, "neg": -0.0001, "n": 7,
            "iterations": [{"resp_a": [0.449, 0.805]}, {"resp_a": [0.3, 0.7]}], "name": "coin A"},
}


@pytest.mark.parametrize("text, want", [
    ("동전 A의 θ는 {{mle.theta_a:.2f}} 입니다.", "동전 A의 θ는 0.80 입니다."),
    ("확률 {{mle.theta_b:.1%}}로", "확률 45.0%로"),
    ("앞면 {{mle.heads_a:d}}번", "앞면 24번"),
    ("{{mle.heads_a}}", "24"),
    ("{{mle.theta_b}}", "0.45"),
    ("{{mle.n}}회", "7회"),
    ("{{ mle.theta_a : .3g }}", "0.8"),
    ("첫 책임값 {{mle.iterations[0].resp_a[1]:.2f}}, 마지막 {{mle.iterations[-1].resp_a[-1]:.1f}}.",
     "첫 책임값 0.81, 마지막 0.7."),
    ("{{mle.iterations[1].resp_a:.1f}}", "[0.3, 0.7]"),
    ("{{mle.neg:.2f}}", "0.00"),
    ("{{mle.name}}", "coin A"),
    ("빈칸 {{1}} 과 {{2}}", "빈칸 {{1}} 과 {{2}}"),                    # cloze blanks stay
    ("$\\theta_A = {{mle.theta_a:.2f}}$ 이므로", "$\\theta_A = 0.80$ 이므로"),
    ("{{mle.theta_c}} 는 없음", "{{mle.theta_c}} 는 없음"),          # unresolved: left as written
    ("{{nope.x}}", "{{nope.x}}"),
    ("no placeholders", "no placeholders"),
])
def test_render(text, want):
    assert render(text, RUNS) == want


@pytest.mark.parametrize("text, fragment", [
    ("{{mle.theta_c}}", "no key 'theta_c' in mle"),
    ("{{nope.x}}", "no compute named 'nope'"),
    ("{{mle.iterations[5].resp_a}}", "mle.iterations[5] is out of range (mle.iterations has 2 items)"),
    ("{{mle.iterations}}", "is a mapping"),
    ("{{mle.theta_a.x}}", "not a mapping"),
    ("{{mle.name:.2f}}", "needs a number"),
    ("{{mle}}", "is a mapping"),
    ("{{mle theta}}", "malformed"),
])
def test_render_strict_names_the_problem(text, fragment):
    with pytest.raises(C.PlaceholderError) as e:
        render(text, RUNS, strict=True)
    assert fragment in str(e.value)


def test_placeholders_are_classified():
    got = C.placeholders("{{1}} {{ run.a[0].b:.2f }} {{bad key}} {{r.x:.2q}}")
    assert got[0] == ("blank", "1", "")
    assert got[1] == ("ph", "run.a[0].b", ".2f")
    assert got[2][0] == "bad" and got[3][0] == "bad"


@pytest.mark.parametrize("path, want", [
    ("mle.theta_a", ["mle", "theta_a"]),
    ("em.iterations[0].resp_a[1]", ["em", "iterations", 0, "resp_a", 1]),
    ("x[-1]", ["x", -1]),
    ("iterations[0]", ["iterations", 0]),
])
def test_parse_path(path, want):
    assert parse_path(path) == want


@pytest.mark.parametrize("path", ["", ".a", "a..b", "a[b]", "a[0", "a b", "a.0", "__import__('os')"])
def test_parse_path_rejects(path):
    with pytest.raises(ValueError):
        parse_path(path)


def test_resolve_path_walks_numpy_outputs():
    import numpy as np

    out = {"w": np.array([[1.0, 2.0], [3.0, 4.0]]), "its": [{"r": np.array([0.25, 0.75])}]}
    assert C.resolve_path(out, "w[1][0]") == 3.0
    assert C.resolve_path(out, "its[0].r[-1]") == 0.75
    assert C.format_value(out["w"], ".1f") == "[[1.0, 2.0], [3.0, 4.0]]"
    with pytest.raises(IndexError):
        C.resolve_path(out, "w[2]")


# --------------------------------------------------------------------------- engine runs and caches


def test_run_compute_is_cached_and_names_bad_input():
    spec = {"m": {"engine": "em-coins", "inputs": {"rounds": ["HHT", "HTT"], "labels": ["A", "B"]}}}
    r1 = run_compute(spec)
    r2 = run_compute({"m": {"inputs": {"labels": ["A", "B"], "rounds": ["HHT", "HTT"]}, "engine": "em-coins"}})
    assert r1["m"] is r2["m"]                                   # same content → same cached run
    assert r1["m"]["theta_a"] == pytest.approx(2 / 3)
    with pytest.raises(C.ComputeError) as e:
        run_compute({"bad": {"engine": "em-coins", "inputs": {"rounds": ["HQ"], "labels": ["A"]}}})
    assert e.value.name == "bad" and "rounds[0]" in e.value.message
    with pytest.raises(C.ComputeError, match="unknown engine algorithm"):
        run_compute({"x": {"engine": "nope", "inputs": {}}})
    assert run_compute(None) == {} and run_compute({}) == {}


def test_parse_cache_is_keyed_by_path_mtime_and_size(tmp_path):
    f = write(tmp_path / "t.yaml", HEADER.format(t="t", o=1))
    C.clear_cache()
    load_catalog([tmp_path])
    assert C.cache_info()["misses"] == 1 and C.cache_info()["hits"] == 0
    cat = load_catalog([tmp_path])
    assert C.cache_info()["misses"] == 1 and C.cache_info()["hits"] == 1
    assert cat.topics["t"].order == 1
    st = f.stat()
    f.write_text(HEADER.format(t="t", o=2), encoding="utf-8")      # same size, new content
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert load_catalog([tmp_path]).topics["t"].order == 2
    assert C.cache_info()["misses"] == 2


def test_cached_parse_is_not_mutated_by_loading(tmp_path):
    shutil.copytree(GOOD, tmp_path / "c")
    a = load_catalog([tmp_path / "c"], verify_numbers=True)
    a.item("coins.q.why").data["answer"] = 2                     # callers may change their copy …
    a.topics["coins"].questions.clear()
    b = load_catalog([tmp_path / "c"], verify_numbers=True)      # … the next load is unaffected
    assert b.item("coins.q.why").data["answer"] == 0 and len(b.topics["coins"].questions) == 7


def test_load_and_verify_thirty_topics_quickly(tmp_path):
    """Not a benchmark: a loose bound so that an accidental quadratic shows up."""
    text = (GOOD / "coins.yaml").read_text(encoding="utf-8")
    for i in range(30):
        text_i = text.replace("topic: coins\n", f"topic: coins{i}\n").replace("id: coins.", f"id: coins{i}.")
        write(tmp_path / f"t{i}.yaml", text_i.replace("order: 10", f"order: {i}"))
    C.clear_cache()
    t0 = time.perf_counter()
    cat = load_catalog([tmp_path], verify_numbers=True)
    first = time.perf_counter() - t0
    assert not cat.problems and len(cat.topics) == 30
    t0 = time.perf_counter()
    load_catalog([tmp_path], verify_numbers=True)
    again = time.perf_counter() - t0
    assert first < 10 and again < 5


# --------------------------------------------------------------------------- the shipped content


def test_default_content_dir_is_the_shipped_content():
    d = C.default_content_dir()
    assert d.is_dir() and any(d.glob("*.yaml"))
    cat = load_catalog()
    assert cat.topics, "the shipped content has at least one topic"
    assert all(t.title["ko"] and t.title["en"] for t in cat.topics.values())


def test_the_examples_in_the_format_doc_load_cleanly(tmp_path):
    import re

    doc = (Path(__file__).parent.parent / "docs" / "CONTENT_FORMAT.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    cards = [b for b in blocks if b.startswith("cards:")]
    questions = [b for b in blocks if b.startswith("- id:") and "em.q.something" not in b]
    assert len(cards) == 1 and len(questions) == 8
    text = HEADER.format(t="em", o=1) + cards[0] + "questions:\n"
    text += "".join("".join("  " + ln + "\n" for ln in b.splitlines()) for b in questions)
    cat = load_catalog([write(tmp_path / "em.yaml", text)], verify_numbers=True)
    assert [str(p) for p in cat.problems] == []
    assert {q.kind for q in cat.topics["em"].questions} == set(C.KINDS)


def test_no_lesson_names_the_source_notes_by_our_internal_numbers():
    """A student knows the notes by their titles ("AI Odyssey" lecture slides), never as "시드 002"
    or "seed note 000" — the names this project gave the files."""
    import re

    pattern = re.compile(r"시드|\b[Ss]eed (?:note|0\d\d)")
    hits = []
    from tutor.model import default_content_dir

    for path in sorted(default_content_dir().rglob("*.yaml")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                hits.append(f"{path.name}:{n}: {line.strip()[:80]}")
    assert not hits, hits
