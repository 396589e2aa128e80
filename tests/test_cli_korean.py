"""tutor doctor, import and export for a Korean learner (--lang ko): every line in Korean, settings
by their names (never keys), and a dry run or a refused file that leaves the disk as it was."""

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.store import Store

HANGUL = re.compile("[가-힣]")
T0 = "2026-03-01T09:00:00+00:00"


def _run(capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()                 # what came before (e.g. making the backup) is not this command's
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _filled(data_dir: Path) -> Path:
    s = Store.open(data_dir)
    for i in range(3):
        s.record_attempt(item_id=f"em.q{i}", topic="em", kind="choice", mode="practice", variant_seed=i,
                         answer={"choice": "1"}, score=1.0, correct=True)
    s.close()
    return data_dir / "progress.sqlite3"


def _damaged(data_dir: Path) -> Path:
    db = _filled(data_dir)
    data = bytearray(db.read_bytes())
    data[4096 * 2:4096 * 3] = b"\xff" * 4096      # a page of the file overwritten
    db.write_bytes(bytes(data))
    return db


def _korean_lines(text: str, *paths) -> list[str]:
    """The lines of ``text`` with the paths taken out (they may hold any word)."""
    for p in paths:
        text = text.replace(str(p), "<path>")
    return [line for line in text.splitlines() if line.strip()]


# --------------------------------------------------------------------------- 1. tutor doctor


def test_doctor_of_a_damaged_file_speaks_korean_and_english_stays(tmp_path, capsys):
    d = tmp_path / "d"
    _damaged(d)
    code, out, _ = _run(capsys, "--lang", "ko", "doctor", "--data-dir", str(d))
    lines = _korean_lines(out, d)
    assert code == 1 and len(lines) == 3
    assert all(HANGUL.search(line) for line in lines), lines
    assert not re.search(r"progress file|problem:|damaged|malformed|run `", "\n".join(lines)), lines
    assert "tutor doctor --repair" in out                  # the command itself stays as typed

    code, out, _ = _run(capsys, "--lang", "ko", "doctor", "--json", "--data-dir", str(d))
    report = json.loads(out)                               # the keys stay English (a machine format)
    assert set(report) == {"path", "ok", "problems", "repaired", "kept", "quarantined", "salvaged_from"}
    assert report["problems"] and all(HANGUL.search(p) for p in report["problems"])

    code, out, _ = _run(capsys, "--lang", "en", "doctor", "--data-dir", str(d))
    assert out.splitlines()[1:] == ["problem: the file is damaged: database disk image is malformed",
                                    "run `tutor doctor --repair` to repair (bad rows are kept in a side table, "
                                    "not deleted)"]

    code, out, _ = _run(capsys, "--lang", "ko", "doctor", "--repair", "--data-dir", str(d))
    lines = _korean_lines(out, d, *d.glob("progress.sqlite3.corrupt-*"))
    assert code == 0 and any(line.startswith("고침: ") for line in lines)
    assert all(HANGUL.search(line) for line in lines), lines
    assert not re.search(r"salvaged|table by table|repaired|rows:|meta|attempts", "\n".join(lines)), lines


def test_doctor_names_tables_and_rows_in_korean(tmp_path, capsys):
    d = tmp_path / "d"
    db = _filled(d)
    c = sqlite3.connect(db)
    c.execute("DROP TABLE item_progress")
    c.execute("UPDATE attempts SET answer = '{not json' WHERE id = 2")
    c.commit()
    c.close()
    code, out, _ = _run(capsys, "--lang", "ko", "doctor", "--data-dir", str(d))
    lines = _korean_lines(out, d)
    assert code == 1 and all(HANGUL.search(line) for line in lines), lines
    internal = re.compile(r"item_progress|attempts|review_log|exam_|is missing|is not JSON|row \d")
    assert not internal.search("\n".join(lines)), lines
    code, out, _ = _run(capsys, "--lang", "ko", "doctor", "--repair", "--data-dir", str(d))
    lines = _korean_lines(out, d)
    assert code == 0 and all(HANGUL.search(line) for line in lines), lines
    assert not internal.search("\n".join(lines)), lines
    # English as the doctor always wrote it; the side table keeps the English reason
    code, out, _ = _run(capsys, "doctor", "--json", "--data-dir", str(d))
    assert json.loads(out)["problems"] == []
    c = sqlite3.connect(db)
    assert c.execute("SELECT reason FROM quarantine").fetchall() == [("answer is not JSON",)]
    c.close()


# --------------------------------------------------------------------------- 2. tutor import: errors


def _backup(tmp_path: Path, **changes) -> Path:
    d = tmp_path / "src"
    _filled(d)
    p = tmp_path / "b.json"
    assert main(["export", "--format", "json", str(p), "--data-dir", str(d)]) == 0
    data = json.loads(p.read_text(encoding="utf-8"))
    data.update(changes)
    p.write_text(json.dumps(data), encoding="utf-8")
    return p


@pytest.mark.parametrize("content,english", [
    ("\n", "not valid JSON (line 2: Expecting value)"),
    ('{"format": "something-else"}', "not a tutor progress backup (made by 'tutor export --format json')"),
    ('{"format": "ml-tutor-progress", "version": 99}', "it was made by a newer tutor; please upgrade tutor"),
    (b"\xff\xfe\x00", "not a UTF-8 text file (expected a tutor JSON backup)"),
])
def test_import_of_a_file_that_is_no_backup_says_why_in_korean(tmp_path, capsys, content, english):
    p = tmp_path / "bad.json"
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, _, err = _run(capsys, "--lang", "en", "import", str(p), "--data-dir", str(tmp_path / "d"))
    assert code == 2 and err.strip() == f"tutor import: cannot import {p}: {english}"
    code, _, err = _run(capsys, "--lang", "ko", "import", str(p), "--data-dir", str(tmp_path / "d"))
    text = err.strip().replace(str(p), "<path>")
    assert code == 2 and text.startswith("tutor import: ") and HANGUL.search(text), text
    assert not re.search(r"cannot|not valid|not a|newer|upgrade|Expecting", text), text


def test_import_field_errors_keep_path_and_key_with_the_message_in_korean(tmp_path, capsys, monkeypatch):
    good = json.loads(_backup(tmp_path).read_text(encoding="utf-8"))
    good["attempts"][0]["correct"] = "yes"
    good["review_log"] = [{"rating": 9}]
    p = tmp_path / "fields.json"
    p.write_text(json.dumps(good), encoding="utf-8")
    code, _, err = _run(capsys, "--lang", "en", "import", str(p), "--data-dir", str(tmp_path / "d"))
    assert f'{p}: attempts[0].correct: must be true/false (or 0/1), not "yes"' in err.splitlines()
    assert f"{p}: review_log[0].rating: must be between 1 and 4, not 9" in err.splitlines()
    code, _, err = _run(capsys, "--lang", "ko", "import", str(p), "--data-dir", str(tmp_path / "d"))
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) > 3
    fields = [line for line in lines if line.startswith(f"{p}: ")]
    assert len(fields) == len(lines) - 1
    for line in fields:                                   # `path: key: message`, the message Korean
        key, message = line[len(f"{p}: "):].split(": ", 1)
        assert re.fullmatch(r"[a-z_]+(\[\d+\])?(\.[a-z_]+)*", key), line
        assert HANGUL.search(message) and not re.search(r"must|missing|not \d", message), line
    assert f'{p}: attempts[0].correct: true/false(또는 0/1)여야 합니다(받은 값: "yes")' in lines
    assert f"{p}: review_log[0].rating: 1에서 4 사이여야 합니다(받은 값: 9)" in lines
    assert HANGUL.search(lines[-1])


def test_one_bad_field_is_one_korean_line(tmp_path, capsys):
    good = json.loads(_backup(tmp_path).read_text(encoding="utf-8"))
    good["settings"]["desired_retention"] = [1]
    p = tmp_path / "one.json"
    p.write_text(json.dumps(good), encoding="utf-8")
    code, _, err = _run(capsys, "--lang", "ko", "import", str(p), "--data-dir", str(tmp_path / "d"))
    assert code == 2 and err.strip() == (f"{p}: settings.desired_retention: [0.5, 1) 범위의 수여야 합니다"
                                         "(받은 값: 목록) (아무것도 가져오지 않았습니다)")


# --------------------------------------------------------------------------- 3. tutor export: errors


def test_export_cannot_write_in_korean(tmp_path, capsys):
    missing = tmp_path / "no" / "such" / "b.json"
    code, _, err = _run(capsys, "--lang", "ko", "export", "--format", "json", str(missing),
                        "--data-dir", str(tmp_path / "d"))
    assert code == 2 and err.strip() == f"tutor export: 파일에 쓸 수 없습니다: {missing}: 그런 파일이나 폴더가 없습니다"
    code, _, err = _run(capsys, "--lang", "ko", "export", "--format", "json", str(tmp_path),
                        "--data-dir", str(tmp_path / "d"))
    assert code == 2 and err.strip() == f"tutor export: 파일에 쓸 수 없습니다: {tmp_path}: 파일이 아니라 폴더입니다. 새 파일 이름을 주세요"
    code, _, err = _run(capsys, "--lang", "en", "export", "--format", "json", str(tmp_path),
                        "--data-dir", str(tmp_path / "d"))
    assert err.strip() == f"tutor export: cannot write {tmp_path}: it is a folder, not a file; give a new file name"
    code, _, err = _run(capsys, "--lang", "ko", "export", "--format", "apkg", str(missing),
                        "--data-dir", str(tmp_path / "d"))
    assert code == 2 and err.strip().endswith(f"{missing}: 그런 파일이나 폴더가 없습니다"), err


# --------------------------------------------------------------------------- 4. settings by name


def _every_setting(store) -> None:
    values = {"lang": "ko", "theme": "textual-dark", "new_per_day": 10, "daily_goal": 20, "desired_retention": 0.9,
              "slow_ms": 60_000, "easy_ms": 5_000, "opened_topics": ["em"], "exam_date": "2027-01-10",
              "resume": {"topic": "em", "screen": "lesson", "card": 0, "item": None}, "exam_topics": ["em"],
              "exam_last_topics": ["em"], "exam_last_size": {"count": 5, "minutes": 10}, "suspended": ["em.q0"],
              "flagged": ["em.q1"], "lab.current": "kmeans", "lab.kmeans": "points: [[1, 2]]\n"}
    for k, v in values.items():
        store.set_setting(k, v)


def test_import_names_the_settings_it_added_never_their_keys(tmp_path, capsys):
    from tutor.backup_check import SETTINGS

    src = tmp_path / "src"
    _filled(src)
    with Store.open(src) as s:
        _every_setting(s)
    p = tmp_path / "b.json"
    assert main(["export", "--format", "json", str(p), "--data-dir", str(src)]) == 0
    keys = sorted(json.loads(p.read_text(encoding="utf-8"))["settings"])
    assert len(keys) >= 15
    for lang, words in (("ko", ["시험 날짜", "시험 범위", "열어 본 주제", "이어서 할 위치", "지난 시험의 문제 수와 시간",
                                "\"K-means 군집화 (로이드 알고리즘)\" 실험실 입력"]),
                        ("en", ["exam date", "exam topics", "topics opened", "where to continue",
                                "input of the lab \"K-means clustering (Lloyd's algorithm)\""])):
        code, _, err = _run(capsys, "--lang", lang, "import", "--dry-run", str(p), "--data-dir", str(tmp_path / lang))
        line = next(x for x in err.splitlines() if x.startswith(("추가한 설정: ", "settings: ")))
        assert code == 0 and all(w in line for w in words), line
        named = line.split(": ", 1)[1]
        assert not [k for k in [*keys, *SETTINGS] if re.search(rf"(^|, ){re.escape(k)}(,|$| added)", named)], line
        assert "_" not in named and "lab." not in named, line


def test_every_setting_the_app_writes_has_a_name_in_both_languages():
    from tutor import browse, labs
    from tutor.backup_check import SETTINGS
    from tutor.backup_import import setting_name

    root = Path(__file__).resolve().parent.parent / "tutor"
    keys = set(SETTINGS)
    for f in root.rglob("*.py"):
        keys |= set(re.findall(r"""(?:get|set)_setting\(\s*["']([^"']+)["']""", f.read_text(encoding="utf-8")))
    keys |= {browse._SUSPENDED, browse._FLAGGED, labs.CURRENT} | {labs.SETTING.format(n) for n in labs.names()}
    assert len(keys) >= 40
    nameless = []
    for k in sorted(keys):
        en, ko = setting_name(k, "en"), setting_name(k, "ko")
        if k in (en, ko) or re.search(r"[_.]\w", en + ko) or not HANGUL.search(ko) or HANGUL.search(en):
            nameless.append((k, en, ko))
    assert nameless == []


# --------------------------------------------------------------------------- 5. nothing written


def _state(folder: Path) -> dict:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())} if folder.exists() else {}


def test_a_dry_run_creates_nothing(tmp_path, capsys):
    p = _backup(tmp_path)
    fresh = tmp_path / "f1"
    code, _, err = _run(capsys, "--lang", "ko", "import", "--dry-run", str(p), "--data-dir", str(fresh))
    assert code == 0 and "아무것도 쓰지 않음" in err and "푼 기록: 새로 3개" in err
    assert not fresh.exists()


def test_a_dry_run_changes_nothing_and_reports_what_a_merge_would_do(tmp_path, capsys):
    p = _backup(tmp_path)
    d = tmp_path / "d"
    with Store.open(d) as s:
        s.record_attempt(item_id="em.q9", topic="em", kind="choice", mode="practice", variant_seed=1,
                         answer={"choice": "2"}, score=0.0, correct=False)
    before = _state(d)
    code, _, dry = _run(capsys, "--lang", "en", "import", "--dry-run", str(p), "--data-dir", str(d))
    assert code == 0 and _state(d) == before, sorted(_state(d))
    code, _, real = _run(capsys, "--lang", "en", "import", str(p), "--data-dir", str(d))
    assert code == 0
    assert dry.splitlines()[1:] == real.splitlines()[1:] and "attempts: 3 new" in real


def test_a_refused_import_creates_nothing(tmp_path, capsys):
    bad = tmp_path / "empty.json"
    bad.write_text("", encoding="utf-8")
    fresh = tmp_path / "f2"
    assert main(["import", str(bad), "--data-dir", str(fresh)]) == 2
    assert not fresh.exists()
    p = _backup(tmp_path, attempts=[{"item_id": "x"}])
    assert main(["import", str(p), "--data-dir", str(fresh)]) == 2
    assert not fresh.exists()
    capsys.readouterr()


# --------------------------------------------------------------------------- 6. a folder


def test_importing_a_folder_says_it_is_a_folder(tmp_path, capsys):
    code, _, err = _run(capsys, "--lang", "ko", "import", str(tmp_path), "--data-dir", str(tmp_path / "d"))
    assert code == 2 and "폴더" in err and "파일이 없습니다" not in err
    code, _, err = _run(capsys, "--lang", "en", "import", str(tmp_path), "--data-dir", str(tmp_path / "d"))
    assert code == 2 and "it is a folder, not a file" in err and "no such file" not in err
    assert not (tmp_path / "d").exists()


def test_a_dry_run_without_lang_leaves_no_wal_files(tmp_path, capsys):
    """Without --lang the saved language is read from the progress file first: read as it is
    (mode=ro had left empty -wal and -shm files beside a closed database)."""
    p = _backup(tmp_path)
    d = tmp_path / "d"
    with Store.open(d) as s:
        s.set_setting("lang", "ko")
    before = _state(d)
    code, _, err = _run(capsys, "import", "--dry-run", str(p), "--data-dir", str(d))
    assert code == 0 and "아무것도 쓰지 않음" in err   # the saved language was read
    assert _state(d) == before, sorted(_state(d))
