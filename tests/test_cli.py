"""The CLI: solve, errors as one line with exit code 2, version/help."""

import json
import subprocess
import sys

import pytest

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
    monkeypatch.setattr(cli, "build_parser", lambda: built.append(1) or real())
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
