"""Anki export: the .apkg is imported by Anki's own backend (the `anki` package) into a fresh
collection; the TSV is read back. Notes per deck, no raw placeholders, balanced MathJax, stable GUIDs."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from tutor.anki import build_notes, export_apkg, extract_math, md_html, note_guid, variant_seed
from tutor.cli import main
from tutor.content import load_catalog

anki_collection = pytest.importorskip("anki.collection")
Collection = anki_collection.Collection
ImportAnkiPackageRequest = anki_collection.ImportAnkiPackageRequest

CLOZE_RE = re.compile(r"\{\{c\d+::[^{}]*?\}\}")
MATH_DELIM_RE = re.compile(r"\\[()\[\]]")


def _import(col, path: Path):
    return col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path))).log


def _mathjax_balanced(s: str) -> bool:
    """Every \\( is closed by \\) and every \\[ by \\], never nested or crossed."""
    want = None
    for m in MATH_DELIM_RE.finditer(s):
        d = m.group(0)
        if want is None and d in ("\\(", "\\["):
            want = "\\)" if d == "\\(" else "\\]"
        elif d == want:
            want = None
        else:
            return False
    return want is None


def _deck_counts(col) -> dict[str, int]:
    out = {}
    for d in col.decks.all_names_and_ids():
        out[d.name] = col.db.scalar("SELECT COUNT(DISTINCT nid) FROM cards WHERE did = ?", d.id) or 0
    return out


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def imported(catalog, tmp_path_factory):
    """The whole curriculum in English, exported and imported into a new collection."""
    tmp = tmp_path_factory.mktemp("anki")
    export = export_apkg(catalog, tmp / "tutor.apkg", lang="en")
    col = Collection(str(tmp / "collection.anki2"))
    log = _import(col, tmp / "tutor.apkg")
    yield export, col, log, tmp
    col.close()


def test_every_item_is_a_note_in_its_topics_deck(catalog, imported):
    export, col, log, _ = imported
    assert export.failed == []
    total = sum(len(t.cards) + len(t.questions) for t in catalog.topics.values())
    assert len(log.new) == total == col.note_count()
    counts = _deck_counts(col)
    for topic in catalog.topics.values():
        name = f"ML Tutor::{topic.title['en']}"
        assert counts.get(name) == len(topic.cards) + len(topic.questions), name
    assert counts.get("ML Tutor") == 0  # the parent holds only the subdecks


def test_no_raw_placeholders_and_balanced_mathjax_in_any_field(imported):
    _, col, _, _ = imported
    kinds = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        model = note.note_type()["name"]
        for value in note.fields:
            text = CLOZE_RE.sub("", value) if model == "ML Tutor (cloze)" else value
            assert "{{" not in text, (note.fields[-1], value[:200])  # "}}" is fine: LaTeX \frac{a}{b}
            assert _mathjax_balanced(value), (note.fields[-1], value[:300])
            assert "$$" not in value
        kind = next(t.split("::")[1] for t in note.tags if t.startswith("kind::"))
        kinds.setdefault(kind, note)
    assert set(kinds) == {"lesson", "choice", "multi", "order", "text", "cloze", "numeric", "matrix", "exercise"}
    cloze = kinds["cloze"]
    assert cloze.note_type()["name"] == "ML Tutor (cloze)" and CLOZE_RE.search(cloze["Text"])
    assert len(cloze.cards()) == len(set(re.findall(r"\{\{c(\d+)::", cloze["Text"])))
    assert "fresh-variants-in-tutor" in kinds["exercise"].tags
    assert "Worked solution" in kinds["exercise"]["Back"]
    choice = kinds["choice"]
    assert "<ol>" in choice["Front"] and "Answer" in choice["Back"] and "Answer" not in choice["Front"]
    assert "<table>" in kinds["matrix"]["Back"]


def test_markdown_tables_and_math_become_html_and_mathjax(imported):
    _, col, _, _ = imported
    backs = [col.get_note(n)["Back"] for n in col.find_notes('"note:ML Tutor (basic)"')]
    assert any("<table>" in b for b in backs)
    assert any("<strong>" in b for b in backs)
    assert any("\\(" in b for b in backs) and any("\\[" in b for b in backs)
    assert not any("**" in b for b in backs)


def test_reimporting_a_new_export_adds_no_notes(catalog, imported):
    export, col, _, tmp = imported
    before = col.note_count()
    export_apkg(catalog, tmp / "again.apkg", lang="en")
    log = _import(col, tmp / "again.apkg")
    assert len(log.new) == 0
    assert len(log.updated) + len(log.duplicate) == before
    assert col.note_count() == before


def test_guids_and_variants_are_stable(catalog):
    a = build_notes(catalog, "en", ["em", "kmeans"])
    b = build_notes(catalog, "en", ["em", "kmeans"])
    assert [n.guid for n in a.notes] == [n.guid for n in b.notes]
    assert [(n.front, n.back) for n in a.notes] == [(n.front, n.back) for n in b.notes]  # same variant
    assert note_guid("em.q.cloze", "en") != note_guid("em.q.cloze", "ko")
    assert variant_seed("em.q.one-iteration") == variant_seed("em.q.one-iteration") > 0


def test_both_languages_through_the_cli(tmp_path, capsys):
    out = tmp_path / "both.apkg"
    assert main(["export", "--format", "apkg", str(out), "--lang", "both", "--topics", "em,attention"]) == 0
    assert "notes in 2 decks" in capsys.readouterr().err
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        _import(col, out)
        cat = load_catalog()
        counts = _deck_counts(col)
        for tid in ("em", "attention"):
            t = cat.topics[tid]
            name = f"ML Tutor::{t.title['ko']} · {t.title['en']}"
            assert counts[name] == len(t.cards) + len(t.questions)
        note = col.get_note(col.find_notes("")[0])
        ko, en = note.fields[0].split('<hr class="lang">')
        assert re.search("[가-힣]", ko) and not re.search("[가-힣]", en)
    finally:
        col.close()


def test_tsv_export_is_html_without_placeholders(tmp_path, catalog):
    p = tmp_path / "cards.txt"
    assert main(["export", "--format", "anki", str(p), "--lang", "en"]) == 0
    text = p.read_text(encoding="utf-8")
    assert text.split("\n")[:3] == ["#separator:tab", "#html:true", "#tags column:3"]
    assert "{{" not in text
    body = "\n".join(line for line in text.split("\n") if not line.startswith("#"))
    rows = list(csv.reader(body.splitlines(keepends=True), delimiter="\t"))
    assert len(rows) == sum(len(t.cards) + len(t.questions) for t in catalog.topics.values())
    assert all(len(r) == 3 for r in rows)
    assert any("<p>" in r[1] for r in rows) and not any("**" in r[1] for r in rows)


@pytest.mark.parametrize("args, message", [
    (["{tmp}/x.apkg", "--topics", "em,nope"], "unknown topic 'nope'"),
    (["/nonexistent/dir/out.apkg"], "cannot write /nonexistent/dir/out.apkg"),
    (["{tmp}/x.txt", "--topics", "nope"], "unknown topic 'nope'"),
])
def test_errors_are_one_line_exit_2(tmp_path, capsys, args, message):
    fmt = "anki" if args[0].endswith(".txt") else "apkg"
    assert main(["export", "--format", fmt, *(a.replace("{tmp}", str(tmp_path)) for a in args)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_a_folder_as_path_is_an_error(tmp_path, capsys):
    assert main(["export", "--format", "apkg", str(tmp_path)]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # no temp file left behind


def test_an_item_whose_placeholder_fails_is_reported_not_exported(tmp_path, capsys):
    src = Path(__file__).parent / "fixtures" / "content_good"
    content = tmp_path / "content"
    shutil.copytree(src, content)
    f = content / "coins.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("{{mle.heads[0]:d}}", "{{mle.no_such_key:d}}"),
                 encoding="utf-8")
    cat = load_catalog([content])
    export = build_notes(cat, "en")
    assert [i for i, _ in export.failed] == ["coins.count"]
    assert "no_such_key" in export.failed[0][1]
    assert "coins.count" not in {n.item_id for n in export.notes}
    out = tmp_path / "x.apkg"
    assert main(["--content", str(content), "export", "--format", "apkg", str(out)]) == 0
    assert "skipped coins.count" in capsys.readouterr().err


def test_math_is_cut_out_before_markdown():
    assert md_html("a $x_1 * y_2 *z*$ b") == "<p>a \\(x_1 * y_2 *z*\\) b</p>"
    assert md_html("$$\\frac{a}{b}$$") == "<p>\\[\\frac{a}{b}\\]</p>"
    assert md_html("costs \\$5 and `$x$` stays") == "<p>costs $5 and <code>$x$</code> stays</p>"
    assert md_html("$5 and $6") == "<p>$5 and $6</p>"  # Pandoc's rule: prices are not math
    assert md_html("\\(a<b\\)") == "<p>\\(a&lt;b\\)</p>"
    assert "<table>" in md_html("| a | b |\n|---|---|\n| $|x|$ | 2 |")
    assert extract_math("```\n$x$\n```\n")[1] == []
