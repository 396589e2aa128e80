import pytest


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    monkeypatch.setenv("TUTOR_DATA_DIR", str(d))
    return d
