"""README's two commands are the ones CI runs; keep them true."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_block(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"## {re.escape(title)}\s+```sh\n(.+?)\n```", text, re.S)
    assert m, f"README has a '## {title}' section with one sh block"
    return m.group(1).strip()


def test_ci_runs_the_readme_test_command():
    cmd = _readme_block("Install and test")
    tail = cmd.split("&&", 2)[2].strip()  # after creating and activating the venv
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tail in ci, f"{tail!r} must appear verbatim in .ci/run"


def test_readme_run_command_installs_and_starts_tutor():
    cmd = _readme_block("Install and run")
    assert "pip install ." in cmd and cmd.endswith("tutor")
