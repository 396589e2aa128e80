"""The CLI: solve, errors as one line with exit code 2, version/help."""

import json
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.cli import main

DB = ["HTTTHHTHTH", "HHHHTHHHHH", "HTHHHHHTHH", "HTHTTTHHTT", "THHHTHHHTH"]


def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_solve_em_coins_json_reproduces_do_batzoglou(capsys):
    inp = json.dumps({"rounds": DB, "theta_a": 0.6, "theta_b": 0.5, "iterations": 10})
    code, out, _ = run(["solve", "em-coins", "--input", inp, "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert round(data["theta_a"], 2) == 0.80 and round(data["theta_b"], 2) == 0.52
    assert len(data["iterations"]) == 10
    first = data["iterations"][0]
    assert round(first["theta_a"], 2) == 0.71 and round(first["theta_b"], 2) == 0.58
    assert [round(x, 2) for x in first["resp_a"]] == [0.45, 0.80, 0.73, 0.35, 0.65]


def test_solve_reads_a_file_and_prints_a_table(tmp_path, capsys):
    f = tmp_path / "in.json"
    f.write_text(json.dumps({"rounds": DB, "theta_a": 0.6, "theta_b": 0.5, "iterations": 2}))
    code, out, _ = run(["solve", "em-coins", "--input", f"@{f}"], capsys)
    assert code == 0 and "θ_A" in out and "γ_A" in out and "theta_a" not in out


def test_solve_list_and_help(capsys):
    code, out, _ = run(["solve", "--list"], capsys)
    assert code == 0 and "em-coins" in out
    code, out, _ = run(["solve", "em-coins", "--help"], capsys)
    assert code == 0 and "theta_a" in out and "example" in out


@pytest.mark.parametrize("args", [
    ["solve", "em-coins", "--input", '{"rounds": ["HXT"], "theta_a": 0.5, "theta_b": 0.4}'],
    ["solve", "em-coins", "--input", '{"rounds": [], "theta_a": 0.5, "theta_b": 0.4}'],
    ["solve", "em-coins", "--input", '{"rounds": ["HT"], "theta_a": 1.5, "theta_b": 0.4}'],
    ["solve", "em-coins", "--input", "{not json"],
    ["solve", "em-coins", "--input", "[1, 2]"],
    ["solve", "em-coins", "--input", "@/nonexistent/file.json"],
    ["solve", "em-coins"],
    ["solve", "no-such-algorithm", "--input", "{}"],
    ["solve", "em-coins", "--input", "{}", "--mistake", "nope"],
    ["solve"],
    ["no-such-command"],
    ["--lang", "fr"],
    ["practice"],
    ["practice", "no-such-topic", "--plain"],
    ["export"],
    ["import", "/nonexistent"],
    ["check-content", "/nonexistent/dir"],
])
def test_bad_arguments_give_one_line_and_exit_2(args, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path))
    code, out, err = run(args, capsys)
    assert code == 2, (args, out, err)
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


@pytest.mark.slow
def test_version_and_help_in_a_subprocess():
    v = subprocess.run([sys.executable, "-m", "tutor", "--version"], capture_output=True, text=True, timeout=60)
    assert v.returncode == 0 and v.stdout.startswith("tutor ")
    h = subprocess.run([sys.executable, "-m", "tutor", "--help"], capture_output=True, text=True, timeout=60)
    assert h.returncode == 0 and "--data-dir" in h.stdout and "solve" in h.stdout


@pytest.mark.slow
def test_bad_input_in_a_subprocess_has_no_traceback():
    p = subprocess.run([sys.executable, "-m", "tutor", "solve", "em-coins", "--input", '{"rounds": ["HQ"]}'],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2
    assert p.stderr.strip() == "tutor solve em-coins: rounds[0]: unknown character 'Q' (use H and T)"


def test_opening_the_app_parses_without_the_commands_parser(monkeypatch):
    import tutor.cli as cli

    args = cli.parse_args(["--lang", "ko", "--data-dir", "/x", "--content", "a", "--content", "b"])
    assert (args.command, args.lang, args.data_dir, args.content) == (None, "ko", "/x", ["a", "b"])
    built = []
    real = cli.build_parser
    monkeypatch.setattr(cli, "build_parser", lambda *a: built.append(1) or real(*a))
    cli.parse_args(["--lang", "en"])
    assert built == []
    # a command, help and every error go through the full parser (its messages name the commands)
    assert cli.parse_args(["solve", "--list"]).command == "solve" and built == [1]
    with pytest.raises(cli.UsageError, match="invalid choice: 'slove'"):
        cli.parse_args(["slove"])
    with pytest.raises(cli.UsageError, match="--lang: invalid choice"):
        cli.parse_args(["--lang", "fr"])


def test_printable_escapes_what_would_drive_the_terminal():
    from tutor.textsafe import printable

    assert printable("a\x1b[2Jb\nc\u202ed\x00") == "a\\x1b[2Jb\\x0ac\\u202ed\\x00"
    assert printable("주제 ①, naïve — x²") == "주제 ①, naïve — x²"


@pytest.mark.slow
def test_check_content_prints_hostile_file_names_escaped(tmp_path):
    (tmp_path / "ctrl\x01name\u202e.yaml").write_text("topic: x\n\x1b[2J", encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "tutor", "check-content", str(tmp_path)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 1
    assert "ctrl\\x01name\\u202e.yaml" in p.stdout + p.stderr
    assert "\x01" not in p.stdout + p.stderr and "\u202e" not in p.stdout + p.stderr


def test_the_engine_runs_numpy_with_one_blas_thread_unless_the_user_says_otherwise(monkeypatch, capsys):
    """BLAS threads never pay for the engine's tiny arrays; starting them doubled numpy's import CPU."""
    import os

    from tutor.cli import main

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    assert main(["solve", "--list"]) == 0
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    assert main(["solve", "--list"]) == 0
    assert os.environ["OPENBLAS_NUM_THREADS"] == "4"


# --------------------------------------------------------------------------- errors in the learner's language

HANGUL = re.compile("[가-힣]")

# (args, today's English text: the whole line, or its start when the rest is a list of topics or json's own words)
CLI_ERRORS = [
    (["plan"], "tutor plan: no exam date yet: use tutor plan --exam YYYY-MM-DD"),
    (["plan", "--exam", "2026-12-01"], "tutor plan: exam date 2026-12-01 is in the past (today is 2026-12-07)"),
    (["exam", "--topics", "em", "--count", "0"], "tutor exam: --count must be at least 1, not 0"),
    (["exam", "--topics", "em", "--minutes", "0"], "tutor exam: --minutes must be more than 0 and at most 1440, not 0"),
    (["exam", "--topics", "no-such-topic"], "tutor exam: unknown topic 'no-such-topic' (topics: ml-basics, "),
    (["sheet", "no-such-topic"], "tutor sheet: no topic 'no-such-topic' (topics: "),
    (["sheet"], "tutor sheet: give a TOPIC or --all"),
    (["solve", "em-coins", "--input", "{"], "tutor solve: --input is not valid JSON: "),
    (["solve", "em-coins", "--input", "[1]"], "tutor solve: --input must be a JSON object of named inputs"),
    (["solve", "no-such-algorithm"], "tutor solve: unknown algorithm 'no-such-algorithm' (see tutor solve --list)"),
    (["practice", "no-such-topic"], "tutor practice: no topic matches 'no-such-topic'; give a topic id or a word of "
                                    "its title: "),
    (["practice", "em", "--count", "-1"], "tutor practice: --count must be ≥ 0"),
    (["export", "--format", "csv", "--topics", "no-such-topic"], "tutor export: unknown topic 'no-such-topic' (topics: "),
]


@pytest.mark.parametrize("args,english", CLI_ERRORS, ids=lambda a: " ".join(a) if isinstance(a, list) else None)
def test_cli_errors_speak_the_learners_language(args, english, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TUTOR_NOW", "2026-12-07T09:00:00+09:00")
    data = [] if args[0] == "solve" else ["--data-dir", str(tmp_path)]
    command = english.split(":")[0]                     # "tutor plan": the prefix names the command in both languages
    code, out, err = run([*args, *data, "--lang", "ko"], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(command + ": ") and HANGUL.search(err), err
    assert not err.startswith(english.rstrip())         # not the English text
    code, out, err = run([*args, *data, "--lang", "en"], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    if english.endswith((" ", "(topics: ", "ml-basics, ")):
        assert err.startswith(english) and not HANGUL.search(err), err
    else:
        assert err == english + "\n"


def test_cli_errors_use_the_language_saved_in_the_app(tmp_path, capsys, monkeypatch):
    from tutor.store import Store

    for var in ("TUTOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(var, "en_US.UTF-8")
    s = Store.open(tmp_path / "d")
    s.set_setting("lang", "ko")
    s.close()
    for args in (["plan"], ["exam", "--topics", "em", "--count", "0"]):   # exam checks before the app opens
        code, _, err = run([*args, "--data-dir", str(tmp_path / "d")], capsys)
        assert code == 2 and err.startswith(f"tutor {args[0]}: ") and HANGUL.search(err), err
    code, _, err = run(["plan", "--data-dir", str(tmp_path / "d"), "--lang", "en"], capsys)   # --lang still wins
    assert code == 2 and err == "tutor plan: no exam date yet: use tutor plan --exam YYYY-MM-DD\n"


def test_export_notices_in_the_learners_language(tmp_path, capsys):
    target = tmp_path / "em.csv"
    for lang, wrote in (("ko", f"저장함: {target}\n"), ("en", f"wrote {target}\n")):
        code, _, err = run(["export", "--format", "csv", str(target), "--topics", "em", "--lang", lang,
                            "--data-dir", str(tmp_path / "d")], capsys)
        assert code == 0 and err.endswith(wrote), err


def _fields(text: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_cli_text_has_korean_and_english_with_the_same_placeholders():
    from tutor.i18n import all_strings

    STRINGS = all_strings()
    keys = [k for k in STRINGS if k.startswith("cli.")]
    assert len(keys) >= 40
    for key in keys:
        en, ko = STRINGS[key].get("en", ""), STRINGS[key].get("ko", "")
        assert en.strip() and ko.strip(), key
        assert HANGUL.search(ko) and not HANGUL.search(en), key
        assert _fields(en) == _fields(ko), key
        # a particle right after a value filled at run time goes through the josa helper ({name:이})
        assert not re.search(r"\}(은|는|이|가|을|를|과|와|으로|로)", ko), key
        if en.startswith("tutor "):                      # the command's name stays as it is
            assert ko.startswith(en.split(":")[0] + ":"), key


def test_import_report_lines_in_korean_and_the_same_english():
    from tutor.backup_import import TABLES, ImportReport

    report = ImportReport("merge", added={t: 2 for t in TABLES}, duplicates={TABLES[0]: 3},
                          settings_added=["goal"], conflicts=["setting goal: kept 20, backup 30"], cards_rebuilt=4)
    # the English lines as the import has always written them
    assert report.lines("en") == report.lines() == (
        [f"{TABLES[0]}: 2 new, 3 already here"] + [f"{t}: 2 new" for t in TABLES[1:]]
        + ["settings: goal added", "review cards rebuilt from the merged review log: 4",
           "conflict: setting goal: kept 20, backup 30"])
    ko = report.lines("ko")
    assert len(ko) == len(report.lines()) and all(HANGUL.search(line) for line in ko)
    assert not any(t in line for line in ko for t in TABLES if "_" in t)   # no table names in Korean
    assert ImportReport("restore").lines("ko") == []


def test_optimize_says_why_it_cannot_run_in_the_learners_language(tmp_path, capsys):
    # an empty review log: too little history (or, without torch, the optimizer extra is missing)
    code, _, err = run(["--lang", "ko", "optimize", "--data-dir", str(tmp_path)], capsys)
    assert code == 2 and err.startswith("tutor optimize: ") and HANGUL.search(err) and err.count("\n") == 1
    code, _, err = run(["--lang", "en", "optimize", "--data-dir", str(tmp_path)], capsys)
    assert code == 2 and err.startswith("tutor optimize: ") and not HANGUL.search(err)


def test_line_mode_quit_at_once_says_nothing_was_answered(tmp_path, monkeypatch, capsys):
    """":quit" at the first question printed "끝: 7문제 중 첫 시도에 0문제 정답" — as if seven were tried."""
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(":quit\n"))
    assert main(["--lang", "ko", "--data-dir", str(tmp_path), "practice", "em", "--plain", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    last = [ln for ln in out.splitlines() if ln.startswith("끝:")][-1]
    assert "0문제에 답했고" in last and "첫 시도에 0문제 정답" in last, last


_ARGS = ["--lang", "ko", "en", "fr", "--data-dir", "/x", "--content", "a", "--lang=ko", "--data-dir=/y", "--content=b",
         "--la", "-h", "--version", "solve", "--", "-x", "", "--content=", "--lang="]


@given(st.lists(st.sampled_from(_ARGS), max_size=6))
@settings(max_examples=400, deadline=None)
def test_opening_the_app_without_argparse_reads_what_argparse_reads(argv):
    """The fast path (no argparse: its import and parser are ~1 % of the first screen) reads exactly
    what argparse reads, or leaves the arguments to it."""
    import tutor.cli as cli

    fast = cli._open_app_args(argv)
    if fast is None:
        return
    full = cli._app_parser().parse_args(argv)
    assert {k: getattr(full, k) for k in ("command", "lang", "data_dir", "content")} == vars(fast), argv


@pytest.mark.slow
def test_opening_the_app_does_not_import_argparse():
    """Nor the parser's module, its help in two languages (tutor.cli_args)."""
    code = ("import sys, tutor.cli as c; a = c.parse_args(['--lang', 'ko', '--data-dir', '/x']); "
            "assert a.lang == 'ko' and a.data_dir == '/x'; "
            "print('argparse' in sys.modules, 'tutor.cli_args' in sys.modules)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stdout.strip() == "False False", p.stderr


# --------------------------------------------------------------------------- argparse's help and errors in Korean

ARGPARSE_ERRORS = [
    ["bogus"],                                       # no such command
    ["stats", "--bogus"],                            # no such option
    ["practice"],                                    # a required argument missing
    ["exam", "--topics", "em", "--count", "x"],      # not a number
    ["exam", "--topics", "em", "--minutes", "abc"],  # not a number either
    ["stats", "--lang", "fr"],                       # not one of the choices
]


@pytest.mark.parametrize("args", ARGPARSE_ERRORS, ids=" ".join)
def test_argparse_errors_speak_the_learners_language(args, tmp_path, capsys):
    """`tutor --lang ko stats --bogus` said "unrecognized arguments … (see tutor --help)" in English."""
    data = ["--data-dir", str(tmp_path)]
    code, out, err = run(["--lang", "ko", *args, *data], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert HANGUL.search(err.split(":", 1)[1]) and err.rstrip().endswith("--help 참고)"), err
    code, out, err = run(["--lang", "en", *args, *data], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and not HANGUL.search(err), err


def test_help_and_errors_follow_the_language_chosen_in_the_app(tmp_path, capsys):
    """Without --lang, help and argparse's errors take the language the learner chose in the app (as
    every command's own messages do)."""
    from tutor.store import Store

    with Store.open(tmp_path) as store:
        store.set_setting("lang", "ko")
    with pytest.raises(SystemExit):
        main(["stats", "--help", "--data-dir", str(tmp_path)])
    assert HANGUL.search(capsys.readouterr().out)
    code, _, err = run(["stats", "--bogus", "--data-dir", str(tmp_path)], capsys)
    assert code == 2 and HANGUL.search(err), err
    code, _, err = run(["stats", "--bogus", "--data-dir", str(tmp_path), "--lang", "en"], capsys)
    assert code == 2 and not HANGUL.search(err), err


def test_every_help_text_exists_in_korean():
    """Every command's description and every option's help, in Korean when Korean is chosen (and in
    English otherwise): `tutor --lang ko --help` was all English."""
    import argparse

    from tutor.cli import build_parser

    def helps(parser):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    yield choice.dest, choice.help
                for name, sub in action.choices.items():
                    yield from ((f"{name} {d}", h) for d, h in helps(sub))
            elif action.help is not argparse.SUPPRESS:   # every option says what it is (--lang had no word)
                yield action.dest, action.help or ""

    ko, en = dict(helps(build_parser("ko"))), dict(helps(build_parser("en")))
    assert ko.keys() == en.keys() and len(ko) > 80
    assert [k for k, h in ko.items() if not HANGUL.search(h)] == []
    assert [k for k, h in en.items() if HANGUL.search(h)] == []
    build_parser("en")   # argparse's own words back in English for the tests after this one


def test_argparse_names_a_numbers_kind_in_korean(capsys):
    """"int 형식이 아닌 값" and "float …" named Python's types; "인자 명령:" read oddly."""
    code, _, err = run(["--lang", "ko", "exam", "--topics", "em", "--count", "1.5"], capsys)
    assert code == 2 and "--count: 정수가 아닌 값: '1.5'" in err and "int" not in err, err
    code, _, err = run(["--lang", "ko", "exam", "--topics", "em", "--minutes", "abc"], capsys)
    assert code == 2 and "--minutes: 숫자가 아닌 값: 'abc'" in err and "float" not in err, err
    code, _, err = run(["--lang", "ko", "frobnicate"], capsys)
    assert code == 2 and err.startswith("tutor: 명령: ") and "인자" not in err, err


def test_solve_says_why_its_json_cannot_be_read_in_korean(capsys):
    """The reason came in json's English ("Expecting property name enclosed in double quotes")."""
    code, _, err = run(["solve", "em-coins", "--input", "{rounds: bad", "--lang", "ko"], capsys)
    assert code == 2 and "1번째 줄 2번째 글자" in err and "Expecting" not in err and HANGUL.search(err), err
    code, _, err = run(["solve", "em-coins", "--input", "{rounds: bad", "--lang", "en"], capsys)
    assert code == 2 and "line 1, column 2: Expecting property name" in err, err


def test_review_mistakes_days_must_be_at_least_one(tmp_path, capsys):
    """`--days -1` was taken silently and `--days 0` showed nothing."""
    for days in ("0", "-1"):
        code, out, err = run(["review", "--plain", "--mistakes", "--days", days, "--data-dir", str(tmp_path),
                              "--lang", "ko"], capsys)
        assert code == 2 and out == "" and "--days" in err and HANGUL.search(err), err


def test_practice_and_review_help_in_korean_is_all_korean(capsys):
    """The line-mode commands' lines were half English (":quit end the session …")."""
    for cmd in ("practice", "review"):
        with pytest.raises(SystemExit):
            main(["--lang", "ko", cmd, "--help"])
        epilog = capsys.readouterr().out.split("\n\n")[-1]
        assert ":quit" in epilog and not re.search(r"\b(the|and|session|field)\b", epilog), epilog
    build_parser_en()


def build_parser_en():
    from tutor.cli import build_parser

    build_parser("en")   # argparse's own words back in English for the tests after this one


def test_solve_help_in_korean_describes_every_input_in_korean(capsys):
    """`tutor --lang ko solve em-coins --help` listed the inputs and mistakes in English."""
    from engine.registry import algorithms

    for name, alg in algorithms().items():
        assert alg.inputs_ko is not None and list(alg.inputs_ko) == list(alg.inputs), name
        for lang in ("ko", "en"):
            code, out, _ = run(["solve", name, "--help", "--lang", lang], capsys)
            lines = [line for line in out.splitlines() if line.startswith("  ")]
            for key in [*alg.inputs, *(m.id for m in alg.mistakes)]:
                line = next(line for line in lines if line[2:].startswith(key + " "))
                assert bool(HANGUL.search(line[2 + len(key):])) == (lang == "ko"), (name, lang, line)


def test_solve_says_why_its_input_file_cannot_be_read_in_korean(tmp_path, capsys):
    """"파일을 읽을 수 없습니다: /nonexist: No such file or directory": the system's reason in English."""
    for target, ko in ((tmp_path / "nonexist.json", "그런 파일이나 폴더가 없습니다"), (tmp_path, "폴더입니다")):
        code, _, err = run(["solve", "em-coins", "--input", f"@{target}", "--lang", "ko"], capsys)
        assert code == 2 and ko in err and not re.search(r"No such|Is a directory", err), err


def test_solve_names_a_misspelt_input(capsys):
    """`"iteration": 2` was ignored without a word, and the default 10 iterations ran."""
    inp = json.dumps({"rounds": ["HT"], "theta_a": 0.6, "theta_b": 0.5, "iteration": 2})
    code, out, err = run(["solve", "em-coins", "--input", inp, "--lang", "ko"], capsys)
    assert code == 2 and out == "" and "iteration" in err and "iterations" in err and HANGUL.search(err), err
