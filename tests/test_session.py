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
