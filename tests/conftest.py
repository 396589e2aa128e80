import sys
from pathlib import Path

import pytest

# the repository's own `benchmarks` package (not installed) for tests that share its fixtures; appended,
# so `tutor`, `engine` and `tutor_content` still come from the installed package as CI installs it
sys.path.append(str(Path(__file__).resolve().parents[1]))


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("TUTOR_DATA_DIR", str(d))
    return d


@pytest.fixture(autouse=True)
def _clock_held():
    """Each test starts with a TUTOR_NOW that stands still (an app in an earlier test may have let it run)."""
    from tutor import clock

    clock.hold()
    yield
    clock.hold()
