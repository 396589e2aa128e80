"""Plain line mode: the study core without the TUI, scripted through stdin/stdout."""

import json
import subprocess
import sys

import pytest

from engine.registry import get_generator


def _run(args, stdin: str, data_dir):
    return subprocess.run([sys.executable, "-m", "tutor", "practice", "em", "--plain", *args,
                           "--data-dir", str(data_dir)], input=stdin, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_json_events_format_error_then_right_then_eof(tmp_path):
    # first run only to learn the variant of the first question for this seed
    probe = _run(["--seed", "5", "--json", "--count", "1"], "", tmp_path / "probe")
    q = json.loads(probe.stdout.splitlines()[0])
    assert q["event"] == "question" and q["id"] == "em.q.one-iteration" and q["kind"] == "exercise"
    gen = get_generator("em.coins")
    v = gen.variant(q["variant_seed"], q["params"])
    assert v.data == q["data"]
    right = gen.expected(v)
    names = [f["name"] for f in q["fields"]]
    good = [f"{right[n]:.4f}" for n in names]
    bad = ["not a number"] + good[1:]
    # only the unreadable first field is asked again
    p = _run(["--seed", "5", "--json", "--count", "1"], "\n".join(bad + good[:1]) + "\n", tmp_path / "d")
    assert p.returncode == 0, p.stderr
    events = [json.loads(line) for line in p.stdout.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds == ["question", "result", "again", "result", "summary"]
    assert events[1]["format_error"] is True and events[1]["score"] == 0
    assert events[2]["fields"] == names[:1], "a format error asks again for the unreadable field only"
    assert events[3]["format_error"] is False and events[3]["score"] == 1.0
    assert all(events[3]["fields"].values()) and events[3]["mistake"] is None
    summary = events[4]
    assert {k: summary[k] for k in ("event", "right", "questions", "answered")} == \
        {"event": "summary", "right": 1, "questions": 1, "answered": 1}
    # the learner model's session summary: one item answered, new today, right first try
    assert (summary["right_first_try"], summary["new"], summary["mistakes"]) == (1, 1, {})
    assert summary["next_due"] is not None


@pytest.mark.slow
def test_diagnosed_mistake_in_json(tmp_path):
    probe = _run(["--seed", "9", "--json", "--count", "1"], "", tmp_path / "probe")
    q = json.loads(probe.stdout.splitlines()[0])
    gen = get_generator("em.coins")
    v = gen.variant(q["variant_seed"], q["params"])
    hard = gen.mistakes(v)["em.hard-assignment"]
    answers = [f"{hard[f['name']]:.4f}" for f in q["fields"]]
    p = _run(["--seed", "9", "--json", "--count", "1"], "\n".join(answers) + "\n", tmp_path / "d")
    result = [json.loads(x) for x in p.stdout.splitlines()][1]
    assert result["mistake"] == "em.hard-assignment"
    assert result["score"] < 1
    assert "hard" in result["feedback"].lower()


@pytest.mark.slow
def test_plain_text_korean_session_ends_cleanly_on_eof(tmp_path):
    p = _run(["--seed", "1", "--lang", "ko"], "", tmp_path / "d")   # EOF at once: clean summary
    assert p.returncode == 0 and "끝:" in p.stdout and "Traceback" not in p.stderr
    assert "P(A | 라운드 1)>" in p.stdout and "라운드" in p.stdout


@pytest.mark.slow
def test_progress_from_line_mode_is_stored(tmp_path):
    probe = _run(["--seed", "3", "--json", "--count", "1"], "", tmp_path / "probe")
    q = json.loads(probe.stdout.splitlines()[0])
    gen = get_generator("em.coins")
    right = gen.expected(gen.variant(q["variant_seed"], q["params"]))
    _run(["--seed", "3", "--json", "--count", "1"], "\n".join(f"{right[f['name']]:.4f}" for f in q["fields"]) + "\n",
         tmp_path / "d")
    from tutor.store import Store

    s = Store.open(tmp_path / "d")
    rows = s.attempts("em.q.one-iteration")
    s.close()
    assert len(rows) == 1 and rows[0]["correct"] and rows[0]["variant_seed"] == q["variant_seed"]


def test_line_mode_tables_line_up_in_korean_and_show_the_topic_not_an_id(tmp_path):
    """The rounds table of the EM exercise: boxes measured in display cells (Hangul is two), so
    every line of it is as wide as the others; the heading names the topic by its title."""
    import io
    from types import SimpleNamespace

    from tutor.linemode import run_practice
    from tutor.tables import cells

    args = SimpleNamespace(topic="em", content=None, data_dir=str(tmp_path / "d"), lang="ko", seed=1, count=1,
                           json=False)
    out = io.StringIO()
    assert run_practice(args, stdin=io.StringIO(""), stdout=out) == 0
    text = out.getvalue()
    box = [line for line in text.splitlines() if line[:1] in ("┏", "┃", "┡", "│", "└")]
    assert len(box) >= 6 and "라운드" in "".join(box)
    assert len({cells(line) for line in box}) == 1, box
    assert "em.q." not in text and "[1/1] EM" in text


def test_ctrl_c_ends_line_mode_with_the_summary_and_keeps_every_answer(tmp_path):
    """ctrl+c in line mode printed "tutor: interrupted" (English) and no summary; it ends the session
    as ctrl+d does: the summary in the learner's language, every graded answer kept."""
    import io
    from types import SimpleNamespace

    from tutor.linemode import run_practice
    from tutor.store import Store

    class Keys(io.StringIO):   # one answer, then ctrl+c at the next prompt
        def __init__(self):
            super().__init__("1\n")

        def readline(self, *a):
            line = super().readline(*a)
            if not line:
                raise KeyboardInterrupt
            return line

    args = SimpleNamespace(topic="ml-basics", content=None, data_dir=str(tmp_path / "d"), lang="ko", seed=1,
                           count=3, json=False)
    out = io.StringIO()
    assert run_practice(args, stdin=Keys(), stdout=out) == 0
    assert "끝: " in out.getvalue(), out.getvalue()[-300:]
    with Store.open(tmp_path / "d") as s:
        assert len(s.attempts()) == 1


@pytest.mark.slow
def test_a_partly_right_answer_is_marked_partly_right_in_plain_text(tmp_path):
    """The line began "✗ 부분 정답: 50%": the TUI marks that answer "◐"."""
    probe = _run(["--seed", "5", "--json", "--count", "1"], "", tmp_path / "probe")
    q = json.loads(probe.stdout.splitlines()[0])
    gen = get_generator("em.coins")
    right = gen.expected(gen.variant(q["variant_seed"], q["params"]))
    names = [f["name"] for f in q["fields"]]
    answers = [f"{right[n]:.4f}" for n in names[:1]] + ["0.01"] * (len(names) - 1)   # the first cell right
    p = _run(["--seed", "5", "--count", "1", "--lang", "ko"], "\n".join(answers) + "\n", tmp_path / "d")
    line = next(x for x in p.stdout.splitlines() if "부분 정답" in x)
    assert line.split("부분 정답")[0].endswith("◐ "), line
