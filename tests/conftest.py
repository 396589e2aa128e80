import pytest


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
