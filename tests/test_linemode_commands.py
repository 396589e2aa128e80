"""Line mode: a format error re-asks only the unreadable field; :hint, :solution, :skip, :quit."""

import io
import json
from types import SimpleNamespace as NS

import pytest

from engine.registry import get_generator
from tutor.config import UsageError
from tutor.linemode import run_practice


def _args(tmp_path, **kw):
    base = dict(topic="em", lang="en", seed=5, count=1, json=True, data_dir=str(tmp_path / "d"), content=None)
    base.update(kw)
    return NS(**base)


def _run(args, lines):
    out = io.StringIO()
    code = run_practice(args, stdin=io.StringIO("".join(x + "\n" for x in lines)), stdout=out)
    return code, out.getvalue()


def _events(text):
    return [json.loads(line) for line in text.splitlines()]


def _first_question(tmp_path):
    _, text = _run(_args(tmp_path, data_dir=str(tmp_path / "probe")), [])
    q = _events(text)[0]
    gen = get_generator("em.coins")
    right = gen.expected(gen.variant(q["variant_seed"], q["params"]))
    return q, [f"{right[f['name']]:.4f}" for f in q["fields"]]


def test_a_format_error_asks_again_only_for_the_unreadable_field(tmp_path):
    q, good = _first_question(tmp_path)
    assert len(good) > 1
    # the second field is unreadable: only it is asked again, the others are kept
    lines = [good[0], "zz not a number", *good[2:], good[1]]
    code, text = _run(_args(tmp_path), lines)
    ev = _events(text)
    assert code == 0
    assert [e["event"] for e in ev] == ["question", "result", "again", "result", "summary"]
    assert ev[2]["fields"] == [q["fields"][1]["name"]]
    assert ev[3]["score"] == 1.0 and ev[4]["right"] == 1


def test_hint_solution_skip_quit_in_plain_text(tmp_path):
    code, text = _run(_args(tmp_path, json=False, count=2), [":hint", ":solution", ":skip", ":quit"])
    assert code == 0
    assert "💡" in text                      # the hint
    assert "Skipped" in text                 # :skip went on to question 2
    assert "[2/2]" in text
    assert "Done: answered 0 of 2" in text            # :quit ended with the summary, nothing answered
    # the solution was shown (its lines, after the hint)
    assert text.index("💡") < text.index("Skipped")


def test_an_unknown_command_lists_the_commands_in_korean(tmp_path):
    _, text = _run(_args(tmp_path, json=False, lang="ko"), [":frobnicate", ":quit"])
    assert "알 수 없는 명령" in text and ":hint" in text and ":solution" in text


def test_skip_records_nothing(tmp_path):
    from tutor.store import Store

    _run(_args(tmp_path, count=1), [":skip"])
    store = Store.open(tmp_path / "d")
    assert store.attempts() == []
    store.close()


def test_practice_accepts_a_title_in_either_language_and_rejects_an_unknown_one(tmp_path):
    from tutor.content import load_catalog

    cat = load_catalog()
    for name in (cat.topics["lstm"].title["ko"], cat.topics["lstm"].title["en"].lower()):
        _, text = _run(_args(tmp_path, topic=name, count=1), [])
        assert _events(text)[0]["id"].startswith("lstm.")
    with pytest.raises(UsageError):
        _run(_args(tmp_path, topic="no such topic"), [])


def test_help_documents_the_commands(capsys):
    from tutor.cli import main

    for cmd in ("practice", "review"):
        with pytest.raises(SystemExit):
            main([cmd, "--help"])
        out = capsys.readouterr().out
        assert all(c in out for c in (":hint", ":solution", ":skip", ":quit"))


def test_solve_says_an_input_problem_in_korean(capsys):
    """`tutor solve … --lang ko` said the engine's "theta_a: must be < 1" in English."""
    from tutor.cli import main

    code = main(["solve", "em-coins", "--lang", "ko", "--input", '{"rounds": ["HT"], "theta_a": 1.3, "theta_b": 0.5}'])
    err = capsys.readouterr().err
    assert code == 2 and "theta_a: 1보다 작아야 합니다" in err, err


def test_solve_says_when_a_result_is_undefined(capsys):
    """A hard assignment that gives coin A no round divides 0 by 0: the trace showed "nan" unexplained."""
    from tutor.cli import main

    code = main(["solve", "em-coins", "--lang", "ko", "--mistake", "em.hard-assignment",
                 "--input", '{"rounds": ["HT"], "theta_a": 0.3, "theta_b": 0.5}'])
    out = capsys.readouterr()
    assert code == 0 and "nan" in out.out and "정의되지 않은 값(nan)" in out.err
    main(["solve", "em-coins", "--lang", "ko", "--input", '{"rounds": ["HT", "HH"], "theta_a": 0.3, "theta_b": 0.5}'])
    assert "nan" not in capsys.readouterr().err
