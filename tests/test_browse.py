"""The browser's core (tutor.browse): listing with state, filters, suspend/flag, search, topic by name."""

from datetime import timedelta

from tutor.browse import filter_items, find_topic, list_items, search, set_flagged, set_suspended, suspended_ids
from tutor.clock import now
from tutor.content import load_catalog
from tutor.learner import note_opened, review_queue
from tutor.schedule import Scheduler
from tutor.session import Study
from tutor.store import Store


def test_every_question_is_listed_with_its_state_and_last_result(tmp_path):
    catalog = load_catalog()
    store = Store.open(tmp_path)
    rows = list_items(catalog, store)
    assert len(rows) == sum(len(t.questions) for t in catalog.topics.values())
    assert {r.state for r in rows} == {"new"} and all(r.last_correct is None for r in rows)
    study = Study(catalog, store, seed=1)
    q = next(q for q in catalog.items() if getattr(q, "kind", "") == "choice")
    ask = study.ask(q.id)
    study.submit({ask.fields[0].name: "1"})
    row = next(r for r in list_items(catalog, store) if r.item_id == q.id)
    assert row.state == "learning"
    assert row.last_correct is not None and row.due is not None
    assert row.topic == q.topic and row.title["en"] and row.title["ko"]


def test_no_row_shows_a_placeholder_the_values_are_filled_as_the_question_shows_them(tmp_path):
    """A prompt with engine values ({{bp.h[1]:.4f}}) is listed with the values, as the question
    itself shows it — never the placeholder."""
    import re

    from tutor.content import placeholders

    catalog = load_catalog()
    rows = {r.item_id: r for r in list_items(catalog, Store.open(tmp_path))}
    with_values = [q for q in catalog.items() if getattr(q, "kind", None) and q.compute
                   and any(k == "ph" for k, *_ in placeholders((q.prompt or {}).get("en") or ""))]
    assert with_values, "the shipped content has prompts with engine values"
    for row in rows.values():
        for lang in ("en", "ko"):
            assert not re.search(r"\{\{\s*[A-Za-z_]", row.title[lang] + row.text[lang]), (row.item_id, row.title[lang])
    for q in with_values:
        study = Study(catalog, None, seed=1)
        shown = study.ask(q.id).prompt["en"]
        first = rows[q.id].title["en"].rstrip("…")
        nums = re.findall(r"\d+(?:\.\d+)?", first)
        assert nums and all(n in shown for n in nums), (q.id, first)


def test_filters_by_topic_state_and_text_in_both_languages(tmp_path):
    catalog = load_catalog()
    store = Store.open(tmp_path)
    rows = list_items(catalog, store)
    lstm = filter_items(rows, topic="lstm")
    assert lstm and all(r.topic == "lstm" for r in lstm)
    assert filter_items(rows, state="mastered") == []
    assert len(filter_items(rows, state="new")) == len(rows)
    assert filter_items(rows, text="LSTM") and all(
        "lstm" in (" ".join(r.text.values()) + " ".join(r.title.values()) + " ".join(r.topic_title.values())).lower()
        for r in filter_items(rows, text="lstm"))
    ko = filter_items(rows, text="어텐션")
    assert ko and len(ko) < len(rows)
    assert filter_items(rows, text="zzqxnotthere") == []


def test_a_suspended_item_never_appears_in_the_review_queue(tmp_path):
    catalog = load_catalog()
    store = Store.open(tmp_path)
    note_opened(store, "em", screen="lesson", card=0)
    sched = Scheduler(store)
    queue = review_queue(catalog, store, sched)
    assert queue
    victim = queue[0]
    set_suspended(store, victim)
    assert victim in suspended_ids(store)
    assert victim not in review_queue(catalog, store, sched)
    row = next(r for r in list_items(catalog, store) if r.item_id == victim)
    assert row.suspended and filter_items([row], suspended=True) == [row]
    # a due card, suspended, is not served either
    sched.review(victim, "em", 1)
    later = now() + timedelta(days=2)
    assert victim not in review_queue(catalog, store, sched, now=later)
    set_suspended(store, victim, False)
    assert victim in review_queue(catalog, store, sched, now=later)


def test_flags_are_kept_and_cleared(tmp_path):
    catalog = load_catalog()
    store = Store.open(tmp_path)
    item = catalog.topics["em"].questions[0].id
    set_flagged(store, item)
    set_flagged(store, item)
    assert [r.item_id for r in filter_items(list_items(catalog, store), flagged=True)] == [item]
    set_flagged(store, item, False)
    assert filter_items(list_items(catalog, store), flagged=True) == []


def test_search_finds_topics_cards_and_questions_in_korean_and_english():
    catalog = load_catalog()
    hits = search(catalog, "lstm")
    assert hits[0].what == "topic" and hits[0].topic == "lstm"
    assert {"card", "question"} <= {h.what for h in hits}
    ko = search(catalog, "어텐션")
    assert any(h.what == "topic" and h.topic == "attention" for h in ko)
    assert any(h.what == "card" for h in search(catalog, "softmax"))
    assert search(catalog, "zzqxnotthere") == []


def test_search_finds_a_word_in_the_singular_and_the_plural():
    """"responsibility" missed the EM card "E-step: responsibilities …" ("responsibilities" found it)."""
    catalog = load_catalog()
    for query in ("responsibility", "responsibilities"):
        hits = search(catalog, query)
        assert any(h.what == "card" and h.topic == "em" for h in hits), query
    assert {h.target for h in search(catalog, "gate")} == {h.target for h in search(catalog, "gates")}


def test_a_topic_is_found_by_id_or_title_in_either_language():
    catalog = load_catalog()
    assert find_topic(catalog, "em") == "em"
    lstm = catalog.topics["lstm"]
    assert find_topic(catalog, lstm.title["en"].upper()) == "lstm"
    assert find_topic(catalog, lstm.title["ko"]) == "lstm"
    assert find_topic(catalog, "nothing like this") is None


def test_a_topic_is_found_as_koreans_type_it_spaces_and_hyphens_aside():
    catalog = load_catalog()
    mle = catalog.topics["mle"].title["ko"]            # 가능도와 최대우도추정(MLE)
    assert "최대우도" in mle
    assert find_topic(catalog, "최대 우도") == "mle"
    assert find_topic(catalog, "k means") == "kmeans"
    assert find_topic(catalog, "Time series") == "time-series"


def test_an_item_due_now_says_so_in_the_learners_language(tmp_path):
    catalog = load_catalog()
    store = Store.open(tmp_path)
    study = Study(catalog, store, seed=1)
    q = next(q for q in catalog.items() if getattr(q, "kind", "") == "choice")
    ask = study.ask(q.id)
    right = ask.shown_position(int(q.data["answer"]))
    t0 = now()
    study.submit({ask.fields[0].name: str((right + 1) % len(ask.options) + 1)}, now=t0)   # wrong: due soon
    row = next(r for r in list_items(catalog, store) if r.item_id == q.id)
    later = t0 + timedelta(days=2)
    assert row.due_label("ko", now=later) == "지금" and row.due_label("en", now=later) == "now"
    assert row.due_label("ko", now=t0 - timedelta(days=1))[:4].isdigit()   # a date before then


def test_a_partly_right_last_answer_is_listed_as_partly_right(tmp_path):
    """The last result said "✗ 오답" for an answer graded 67 %: it is "◐ 67%", as the question's mark."""
    from tutor.grading import Grade
    from tutor.learner import record_answer
    from tutor.schedule import Scheduler

    catalog = load_catalog()
    store = Store.open(tmp_path)
    items = [q.id for q in catalog.topics["em"].questions[:3]]
    for item, score in zip(items, (2 / 3, 0.0, 1.0)):
        record_answer(store, Scheduler(store), item_id=item, topic="em", kind="multi", mode="practice",
                      variant_seed=None, answers={"multi": "1"}, grade=Grade(score=score))
    rows = {r.item_id: r for r in list_items(catalog, store)}
    assert [rows[i].result_label("ko") for i in items] == ["◐ 67%", "✗ 오답", "✓ 정답"]
    store.close()
