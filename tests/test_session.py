"""The study core without textual: a repeated diagnosed mistake queues a remedial card."""

from engine.registry import get_generator
from tutor.content import load_catalog
from tutor.review import REMEDIAL, ReviewSession, mistake_text
from tutor.schedule import Scheduler
from tutor.session import Study
from tutor.store import Store


def test_repeated_mistake_queues_a_remedial_card_that_review_shows(tmp_path):
    catalog = load_catalog()
    store = Store.open(tmp_path)
    study = Study(catalog, store, seed=3)
    gen = get_generator("em.coins")
    for _ in range(2):
        ask = study.ask("em.q.one-iteration")
        wrong = gen.mistakes(ask.variant)["em.hard-assignment"]
        g = study.submit({k: repr(x) for k, x in wrong.items()})
        assert g.mistake == "em.hard-assignment"
    sched = Scheduler(store)
    rid = REMEDIAL + "em.hard-assignment"
    assert rid in sched.due(limit=50)
    review = ReviewSession(catalog, store, sched, seed=1)
    seen = []
    while (ask := review.next()) is not None and len(seen) < 60:
        seen.append(ask.item_id)
        if ask.item_id == rid:
            assert mistake_text("em.hard-assignment")["en"] in ask.prompt["en"]
            review.rate(3)
            break
        review.rate(3)
    assert rid in seen
    store.close()


def test_a_format_error_is_not_recorded_and_costs_no_attempt(tmp_path):
    catalog = load_catalog()
    store = Store.open(tmp_path)
    study = Study(catalog, store, seed=1)
    ask = study.ask("em.q.complete-theta-b")
    g = study.submit({"value": "zero point four five"})
    assert g.format_error and study.attempts == 0 and store.attempts() == []
    g = study.submit({"value": "9/20"})
    assert g.correct and study.attempts == 1 and len(store.attempts()) == 1
    assert ask.kind == "numeric"
    store.close()


def test_choice_options_are_shown_in_a_seeded_order_and_graded_by_position(tmp_path):
    catalog = load_catalog()
    study = Study(catalog, None, seed=0)
    q = next(q for q in catalog.items() if getattr(q, "kind", "") == "choice" and len(q.data["choices"]) >= 4)
    right = int(q.data["answer"])
    positions = set()
    for seed in range(1, 25):
        ask = study.ask(q.id, seed=seed)
        shown = ask.params["shown"]
        assert sorted(shown) == list(range(len(q.data["choices"])))
        assert [o["en"] for o in ask.options] == [q.data["choices"][i]["en"] for i in shown]
        pos = shown.index(right)
        positions.add(pos)
        assert study.ask(q.id, seed=seed).params["shown"] == shown          # the stored seed replays it
        study.ask(q.id, seed=seed)
        assert study.submit({"choice": str(pos + 1)}).correct
        assert study.solution()[0][0].startswith(f"{pos + 1}. {q.data['choices'][right]['en']}")
        if pos != right:                                                  # the author's number is not the answer
            study.ask(q.id, seed=seed)
            assert not study.submit({"choice": str(right + 1)}).correct
    assert len(positions) >= 3, positions                                 # the right answer moves around


def test_multi_is_graded_by_shown_positions_and_shuffle_false_keeps_the_order(tmp_path):
    catalog = load_catalog()
    study = Study(catalog, None, seed=0)
    q = next(q for q in catalog.items() if getattr(q, "kind", "") == "multi")
    ask = study.ask(q.id, seed=5)
    picks = sorted(ask.params["shown"].index(i) + 1 for i in q.data["answer"])
    assert study.submit({"multi": " ".join(map(str, picks))}).score == 1.0
    q.data["shuffle"] = False
    try:
        for seed in (1, 2, 3):
            assert study.ask(q.id, seed=seed).params["shown"] == list(range(len(q.data["choices"])))
    finally:
        del q.data["shuffle"]


def test_shuffle_must_be_true_or_false(tmp_path):
    (tmp_path / "t.yaml").write_text(
        "topic: t\norder: 1\ntitle: {en: T, ko: T}\nquestions:\n"
        "  - id: t.q\n    kind: choice\n    prompt: {en: P, ko: P}\n    explain: {en: E, ko: E}\n"
        "    choices: [{en: a, ko: a}, {en: b, ko: b}]\n    answer: 0\n    shuffle: sometimes\n",
        encoding="utf-8")
    cat = load_catalog([tmp_path])
    assert [str(p) for p in cat.problems] == [f"{tmp_path / 't.yaml'}:11: t.q.shuffle: expected true or false "
                                              "(false keeps the choices in the written order), got text"]
    assert cat.skipped_items == ["t.q"]


def test_cloze_prompts_show_blanks_not_content_markers():
    from tutor.content import load_catalog
    from tutor.session import Study

    cat = load_catalog()
    for q in [q for t in cat.topics.values() for q in t.questions if q.kind == "cloze"]:
        ask = Study(cat, None).ask(q.id)
        for lang in ("ko", "en"):
            assert "{{" not in ask.prompt[lang], (q.id, lang)
            assert "(1)＿＿＿" in ask.prompt[lang], (q.id, lang)


def test_the_same_answer_again_is_not_a_second_attempt(tmp_path):
    """Enter pressed twice after an answer recorded it twice: two attempts, two of the day's
    answers. The same answer again is graded as it was and recorded once; a changed
    answer is a new try; in review the item is counted done once."""
    cat = load_catalog()
    with Store.open(tmp_path) as store:
        study = Study(cat, store, lang="ko", seed=1)
        ask = study.ask("em.q.complete-theta-b")
        first = study.submit({"value": "0.3"})
        again = study.submit({"value": "0.3"})
        assert study.repeated and again is first and study.attempts == 1
        assert len(store.attempts()) == 1
        study.submit({"value": "9/20"})                    # another answer: a second try
        assert not study.repeated and study.attempts == 2 and len(store.attempts()) == 2
        study.ask(ask.item_id)                             # asked anew: the same answer counts again
        study.submit({"value": "9/20"})
        assert not study.repeated and len(store.attempts()) == 3

        review = ReviewSession(cat, store, Scheduler(store), seed=1)
        shown = review.next()
        assert shown is not None
        answers = {f.name: "0.5" for f in shown.fields}
        before = len(store.attempts())
        review.submit(answers)
        review.submit(answers)
        assert review.done == 1 and len(store.attempts()) == before + 1
