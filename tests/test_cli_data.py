"""stats, export (anki/csv/json), import and check-content --data-dir, end to end through the CLI."""

import csv
import json

from tutor.cli import main
from tutor.store import Store


def _seed_progress(data_dir):
    s = Store.open(data_dir)
    s.record_attempt(item_id="em.q.latent", topic="em", kind="choice", mode="practice", variant_seed=1,
                     answer={"choice": "2"}, score=1.0, correct=True)
    s.record_attempt(item_id="gone.q.removed", topic="gone", kind="choice", mode="practice", variant_seed=2,
                     answer={"choice": "1"}, score=0.0, correct=False)
    s.close()


def test_stats_prints_tables(tmp_path, capsys):
    _seed_progress(tmp_path / "d")
    assert main(["stats", "--data-dir", str(tmp_path / "d"), "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    assert "EM 알고리즘" in out and "em" not in out.split()   # topics by title, never by id


def test_stats_json_has_the_learner_figures(tmp_path, capsys):
    _seed_progress(tmp_path / "d")
    assert main(["stats", "--json", "--data-dir", str(tmp_path / "d")]) == 0
    d = json.loads(capsys.readouterr().out)
    assert {"due_today", "new_today", "streak", "topics"} <= set(d)
    em = d["topics"]["em"]
    assert em["title"]["en"].startswith("The EM algorithm")
    assert (em["seen"], em["learned"], em["mastered"], em["due"]) == (1, 1, 0, 0) and em["total"] > 1
    assert d["streak"] == 1 and "gone" not in d["topics"]


def test_export_anki_and_csv_read_back(tmp_path, capsys):
    anki = tmp_path / "cards.txt"
    assert main(["export", "--format", "anki", str(anki), "--lang", "en"]) == 0
    lines = anki.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#separator:tab")
    rows = list(csv.reader([x for x in lines if not x.startswith("#")], delimiter="\t"))
    assert any("MLE with complete data" in r[0] for r in rows)
    assert all(len(r) == 3 for r in rows)
    c = tmp_path / "cards.csv"
    assert main(["export", "--format", "csv", str(c), "--lang", "ko"]) == 0
    with open(c, encoding="utf-8-sig") as f:
        data = list(csv.reader(f))
    assert any("완전한 데이터" in cell for row in data for cell in row)


def test_export_json_and_import_into_an_empty_dir(tmp_path, capsys):
    src = tmp_path / "src"
    _seed_progress(src)
    backup = tmp_path / "backup.json"
    assert main(["export", "--format", "json", str(backup), "--data-dir", str(src)]) == 0
    json.loads(backup.read_text(encoding="utf-8"))
    dst = tmp_path / "dst"
    assert main(["import", str(backup), "--data-dir", str(dst)]) == 0
    s = Store.open(dst)
    assert {r["item_id"] for r in s.attempts()} == {"em.q.latent", "gone.q.removed"}
    s.close()
    # importing the same backup again merges: nothing is added twice
    assert main(["import", str(backup), "--data-dir", str(dst)]) == 0
    with Store.open(dst) as s:
        assert len(s.attempts()) == 2


def test_check_content_reports_progress_kept_for_removed_ids(tmp_path, capsys):
    _seed_progress(tmp_path / "d")
    code = main(["check-content", "--data-dir", str(tmp_path / "d")])
    out = capsys.readouterr().out
    kept = [line for line in out.splitlines() if line.startswith("progress kept")]
    assert kept == ["progress kept for an id the content no longer has: gone.q.removed"]
    s = Store.open(tmp_path / "d")
    assert any(r["item_id"] == "gone.q.removed" for r in s.attempts()), "never deleted"
    s.close()
    assert code in (0, 1)


def test_commands_use_the_language_saved_in_the_app(tmp_path, capsys, monkeypatch):
    for var in ("TUTOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(var, "en_US.UTF-8")
    _seed_progress(tmp_path / "d")
    s = Store.open(tmp_path / "d")
    s.set_setting("lang", "ko")
    s.close()
    assert main(["stats", "--data-dir", str(tmp_path / "d")]) == 0
    assert "학습 통계" in capsys.readouterr().out
    assert main(["stats", "--data-dir", str(tmp_path / "d"), "--lang", "en"]) == 0   # --lang still wins
    assert "Study statistics" in capsys.readouterr().out
