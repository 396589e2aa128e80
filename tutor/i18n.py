"""User-interface strings in Korean and English (content text lives in content/)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"en": "ML Tutor", "ko": "ML 튜터"},
    "home.subtitle": {"en": "Topics", "ko": "주제"},
    "home.col.topic": {"en": "Topic", "ko": "주제"},
    "home.col.cards": {"en": "Cards", "ko": "카드"},
    "home.col.progress": {"en": "Progress", "ko": "진도"},
    "home.col.requires": {"en": "Requires", "ko": "선수 주제"},
    "home.col.due": {"en": "Due", "ko": "복습"},
    "home.skipped": {"en": "Some content could not be loaded ({n} problems; run `tutor check-content`):",
                     "ko": "일부 콘텐츠를 불러오지 못했습니다(문제 {n}건; `tutor check-content` 로 확인):"},
    "home.empty": {"en": "No topics found.", "ko": "주제가 없습니다."},
    "home.continue": {"en": "Last studied: {topic}", "ko": "마지막 학습: {topic}"},
    "key.quit": {"en": "Quit", "ko": "종료"},
    "key.open": {"en": "Open", "ko": "열기"},
    "key.lang": {"en": "한국어", "ko": "English"},
    "key.back": {"en": "Back", "ko": "뒤로"},
    "key.next": {"en": "Next", "ko": "다음"},
    "key.prev": {"en": "Previous", "ko": "이전"},
    "key.practice": {"en": "Practice", "ko": "연습"},
    "key.submit": {"en": "Submit", "ko": "제출"},
    "key.hint": {"en": "Hint", "ko": "힌트"},
    "key.solution": {"en": "Solution", "ko": "풀이"},
    "key.new": {"en": "New variant", "ko": "새 문제"},
    "key.continue": {"en": "Continue", "ko": "이어하기"},
    "lesson.card": {"en": "Card {i} of {n}", "ko": "카드 {i}/{n}"},
    "lesson.end": {"en": "End of the lesson: press p to practise.", "ko": "수업 끝: p 를 눌러 연습하세요."},
    "lesson.note": {"en": "Common mistake", "ko": "흔한 실수"},
    "q.counter": {"en": "Question {i} of {n}", "ko": "문제 {i}/{n}"},
    "q.answer_here": {"en": "your answer", "ko": "답 입력"},
    "q.format": {"en": "Format problem (no attempt used)", "ko": "형식 오류(시도 횟수에 포함되지 않음)"},
    "q.hint": {"en": "Hint {i}", "ko": "힌트 {i}"},
    "q.no_more_hints": {"en": "No more hints.", "ko": "힌트가 더 없습니다."},
    "q.solution": {"en": "Worked solution", "ko": "풀이"},
    "q.first_wrong": {"en": "◀ first step that differs from your answer", "ko": "◀ 답이 처음 달라진 단계"},
    "q.done": {"en": "Done: {right} of {n} right. Esc to go back.", "ko": "완료: {n}문제 중 {right}개 정답. Esc 로 돌아가기."},
    "q.options": {"en": "Options", "ko": "보기"},
    "q.type_choice": {"en": "type the option number", "ko": "보기 번호 입력"},
    "q.type_multi": {"en": "type all right option numbers, e.g. 1 3", "ko": "맞는 보기 번호를 모두 입력(예: 1 3)"},
    "q.type_order": {"en": "type the option numbers in the right order, e.g. 2 1 3", "ko": "보기 번호를 올바른 순서로 입력(예: 2 1 3)"},
    "q.right": {"en": "right", "ko": "정답"},
    "q.wrong": {"en": "wrong", "ko": "오답"},
    "q.expected": {"en": "expected", "ko": "정답값"},
    "q.mistake": {"en": "Diagnosis", "ko": "진단"},
    "notice.store": {"en": "Notice", "ko": "알림"},
}


def tr(key: str, lang: str, **kw) -> str:
    s = STRINGS[key].get(lang) or STRINGS[key]["en"]
    return s.format(**kw) if kw else s
