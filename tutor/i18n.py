"""User-interface strings in Korean and English (content text lives in content/)."""

from __future__ import annotations

import string

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"en": "ML Tutor", "ko": "ML 튜터"},
    "home.subtitle": {"en": "Topics", "ko": "주제"},
    "home.col.n": {"en": "#", "ko": "#"},
    "home.col.topic": {"en": "Topic", "ko": "주제"},
    "home.col.cards": {"en": "Cards", "ko": "카드"},
    "home.col.progress": {"en": "Progress", "ko": "진도"},
    "home.col.requires": {"en": "Requires", "ko": "선수 주제"},
    "home.col.due": {"en": "Due", "ko": "복습"},
    "home.skipped": {"en": "Some content could not be loaded ({n} problems; run `tutor check-content`):",
                     "ko": "일부 콘텐츠를 불러오지 못했습니다(문제 {n}건; `tutor check-content`로 확인):"},
    "home.empty": {"en": "No topics found.", "ko": "주제가 없습니다."},
    "home.requires": {"en": "Requires: {topics}", "ko": "선수 주제: {topics}"},
    "home.continue": {"en": "Continue: {topic}", "ko": "이어하기: {topic}"},
    "home.today": {"en": "Today: {done_today}/{goal} answered · {due_now} due{later} · {new_today} new",
                   "ko": "오늘 풀이: {done_today}/{goal}회 · 복습 {due_now}개{later} · 새 문제 {new_today}개"},
    "home.later": {"en": " (+{n} later today)", "ko": "(오늘 중 {n}개 더)"},
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
    "lesson.end": {"en": "End of the lesson: press p to practise.", "ko": "수업 끝: p 키를 눌러 연습하세요."},
    "lesson.note": {"en": "Common mistake", "ko": "흔한 실수"},
    "q.counter": {"en": "Question {i} of {n}", "ko": "문제 {i}/{n}"},
    "q.answer_here": {"en": "your answer", "ko": "답 입력"},
    # ctrl+s, not Enter: in a part-filled exercise Enter goes to the next empty cell
    "q.unsent": {"en": "Your answer is not submitted: ctrl+s submits it, Esc again leaves without it.",
                 "ko": "입력한 답을 아직 제출하지 않았습니다: ctrl+s로 제출하고, 그냥 나가려면 Esc를 한 번 더 누르세요."},
    "q.unsent_next": {"en": "Your answer is not submitted: ctrl+s submits it, ctrl+n again skips without it.",
                      "ko": "입력한 답을 아직 제출하지 않았습니다: ctrl+s로 제출하고, 그냥 넘어가려면 ctrl+n을 한 번 더 누르세요."},
    "q.same_answer": {"en": "Already graded: the same answer again is not a second try. Next question: ctrl+n",
                      "ko": "이미 채점한 답입니다(같은 답은 시도로 다시 세지 않습니다). 다음 문제: ctrl+n"},
    "q.format": {"en": "Format problem (no attempt used)", "ko": "형식 오류(시도 횟수에 포함되지 않음)"},
    "q.hint": {"en": "Hint {i}", "ko": "힌트 {i}"},
    "q.no_more_hints": {"en": "No more hints.", "ko": "힌트가 더 없습니다."},
    "q.no_hints": {"en": "This question has no hints.", "ko": "이 문제에는 힌트가 없습니다."},
    "q.solution": {"en": "Worked solution", "ko": "풀이"},
    "q.first_wrong": {"en": "◀ first step that differs from your answer", "ko": "◀ 답이 처음 달라진 단계"},
    "q.done_title": {"en": "Session done (Esc to go back)", "ko": "학습 완료 (Esc로 돌아가기)"},
    "q.options": {"en": "Options", "ko": "보기"},
    "q.type_choice": {"en": "type the option number", "ko": "보기 번호 입력"},
    "q.type_multi": {"en": "type all right option numbers, e.g. 1 3", "ko": "맞는 보기 번호를 모두 입력(예: 1 3)"},
    "q.type_order": {"en": "type the option numbers in the right order, e.g. 2 1 3", "ko": "보기 번호를 올바른 순서로 입력(예: 2 1 3)"},
    "q.right": {"en": "right", "ko": "정답"},
    "q.wrong": {"en": "wrong", "ko": "오답"},
    "q.partly": {"en": "partly right", "ko": "부분 정답"},
    "q.expected": {"en": "expected", "ko": "정답값"},
    "q.mistake": {"en": "Diagnosis", "ko": "진단"},
    "notice.store": {"en": "Notice", "ko": "알림"},
}


class _JosaFormatter(string.Formatter):
    """``{date:은}``: the value with the particle its last sound takes (``2026-12-21은``, ``2026-12-22는``);
    ``{value:"은}`` quotes the value first (``"내일"은``)."""

    def format_field(self, value, format_spec: str) -> str:
        if not format_spec:
            return super().format_field(value, format_spec)
        from tutor.korean import PAIRS, josa

        if format_spec in PAIRS:
            return josa(str(value), format_spec)
        if format_spec[:1] == '"' and format_spec[1:] in PAIRS:
            return josa(f'"{value}"', format_spec[1:])
        return super().format_field(value, format_spec)


_FORMAT = _JosaFormatter()


def tr(key: str, lang: str, **kw) -> str:
    entry = STRINGS.get(key) or all_strings()[key]
    s = entry.get(lang) or entry["en"]
    if not kw:
        return s
    try:   # str.format is C: a string without particles needs no more (the home screen's first frame)
        return s.format(**kw)
    except ValueError:   # "{date:은}": a particle, which str.format does not know
        return _FORMAT.format(s, **kw)

STRINGS.update({
    "key.review": {"en": "Review", "ko": "복습"},
    "key.exam": {"en": "Exam", "ko": "시험"},
    "key.labs": {"en": "Labs", "ko": "실험실"},
    "key.stats": {"en": "Stats", "ko": "통계"},
    "key.settings": {"en": "Settings", "ko": "설정"},
    "key.help": {"en": "Help", "ko": "도움말"},
    "key.close_menu": {"en": "Close menu", "ko": "메뉴 닫기"},
    "key.undo": {"en": "Undo", "ko": "평가 취소"},   # beside 1–4 in the review footer: 80 columns
    "key.again": {"en": "Again", "ko": "다시"},
    "key.hard": {"en": "Hard", "ko": "어려움"},
    "key.good": {"en": "Good", "ko": "좋음"},
    "key.easy": {"en": "Easy", "ko": "쉬움"},
    "key.finish": {"en": "Finish", "ko": "끝내기"},
    "key.prev_q": {"en": "Prev", "ko": "이전"},
    "key.save": {"en": "Save", "ko": "저장"},
    "key.step_back": {"en": "Step back", "ko": "이전 단계"},
    "key.step_fwd": {"en": "Step", "ko": "다음 단계"},
    "key.next_lab": {"en": "Next lab", "ko": "다음 실험"},
    "key.prev_lab": {"en": "Previous lab", "ko": "이전 실험"},
    "key.preset": {"en": "Preset", "ko": "예시"},
    "key.start": {"en": "Start", "ko": "시작"},
    "review.title": {"en": "Review", "ko": "복습"},
    "review.counter": {"en": "Reviewed {done} · {left} left in the queue", "ko": "이번에 복습한 항목 {done}개 · 남은 항목 {left}개"},
    "q.cell_empty": {"en": "empty", "ko": "빈 칸"},
    "q.cell_unreadable": {"en": "cannot be read", "ko": "읽을 수 없음"},
    "review.left_split": {"en": " ({due} due · {new} new)", "ko": "(복습 {due} · 새 문제 {new})"},
    "review.empty": {"en": "Nothing is due. Come back later, practise a topic, or press m on the home screen to redo your recent mistakes.",
                     "ko": "지금 복습할 항목이 없습니다. 나중에 오거나, 주제를 연습하거나, 홈 화면에서 m을 눌러 최근 실수를 다시 풀어 보세요."},
    "review.rated": {"en": "Rated {rating} ({how}); next review {due}. Keys 1–4 change the rating, u undoes it, ctrl+n next.",
                     "ko": "평가: {rating} ({how}); 다음 복습 {due}. 1–4 키로 평가 변경, u 키로 취소, ctrl+n 키로 다음."},
    "review.auto": {"en": "automatic", "ko": "자동"},
    "review.manual": {"en": "by you", "ko": "직접"},
    "palette.key": {"en": "key {press} on the home screen", "ko": "홈 화면에서 {press} 키"},
    "review.why.wrong": {"en": "wrong", "ko": "오답"},
    "review.why.partly": {"en": "partly right", "ko": "부분 정답"},
    "review.why.solution": {"en": "right after the worked solution", "ko": "풀이를 본 뒤 정답"},
    "review.why.hint": {"en": "right with a hint", "ko": "힌트를 보고 정답"},
    "review.why.retry": {"en": "right on a second try", "ko": "두 번째 시도에 정답"},
    "review.why.slow": {"en": "right, slowly", "ko": "정답, 오래 걸림"},
    "review.why.fast": {"en": "right and fast", "ko": "빠르게 정답"},
    "review.why.right": {"en": "right", "ko": "정답"},
    "review.undone": {"en": "Answer and rating undone: the item comes again, as a second try.",
                      "ko": "답과 평가를 취소했습니다: 두 번째 시도로 다시 나옵니다."},
    "review.change": {"en": "change the rating", "ko": "평가 바꾸기"},
    "key.all": {"en": "All", "ko": "전체"},
    "key.none": {"en": "None", "ko": "해제"},
    "key.mistakes": {"en": "My mistakes", "ko": "내 실수 복습"},
    "review.end_skipped": {"en": "End of the queue: {done} reviewed, {n} skipped. The skipped ones stay due: r brings them back.",
                           "ko": "대기열 끝: {done}개 복습, {n}개 건너뜀. 건너뛴 항목은 그대로 남아 있어 r로 다시 볼 수 있습니다."},
    "review.end_done": {"en": "End of the queue: {done} reviewed. Nothing else is due now.",
                        "ko": "대기열 끝: {done}개 복습했습니다. 지금 복습할 항목이 더 없습니다."},
    "review.end_done_m": {"en": "End of your mistakes: {done} redone. One still wrong comes back with m on the home screen.",
                          "ko": "실수 목록 끝: {done}개 다시 풂. 아직 틀린 문제는 홈 화면에서 m으로 다시 볼 수 있습니다."},
    "review.end_skipped_m": {"en": "End of your mistakes: {done} redone, {n} skipped. m on the home screen brings the skipped ones back.",
                             "ko": "실수 목록 끝: {done}개 다시 풂, {n}개 건너뜀. 건너뛴 항목은 홈 화면에서 m으로 다시 볼 수 있습니다."},
    "review.mistakes_empty": {"en": "No mistakes to review from the last {days} days.",
                              "ko": "최근 {days}일 동안 복습할 실수가 없습니다."},
    "rating.1": {"en": "Again", "ko": "다시"},
    "rating.2": {"en": "Hard", "ko": "어려움"},
    "rating.3": {"en": "Good", "ko": "좋음"},
    "rating.4": {"en": "Easy", "ko": "쉬움"},
    "exam.title": {"en": "Exam", "ko": "시험"},
    "exam.setup": {"en": "Choose topics (space toggles, F2 all, F3 none), the number of questions and the minutes, then press Start.",
                   "ko": "주제(스페이스로 선택/해제, F2 전체, F3 모두 해제), 문제 수, 제한 시간(분)을 정하고 시작을 누르세요."},
    "exam.count": {"en": "Questions", "ko": "문제 수"},
    "exam.minutes": {"en": "Minutes", "ko": "시간(분)"},
    "exam.resumed": {"en": "An exam in progress was resumed.", "ko": "진행 중이던 시험을 이어서 합니다."},
    "exam.counter": {"en": "Question {i} of {n} · answered {a} · {time} left",
                     "ko": "문제 {i}/{n} · 답한 문제 {a} · 남은 시간 {time}"},
    "exam.saved": {"en": "Saved. No feedback until the end.", "ko": "저장했습니다. 채점 결과는 시험이 끝난 뒤에 봅니다."},
    "exam.report": {"en": "Exam report", "ko": "시험 결과"},
    "exam.score": {"en": "Score {score:.0%} · {correct} of {total} right · {answered} answered",
                   "ko": "점수 {score:.0%} · {total}문제 중 {correct}개 정답 · {answered}개 응답"},
    "exam.per_topic": {"en": "Per topic", "ko": "주제별"},
    "exam.mistakes": {"en": "Your mistakes, with worked solutions", "ko": "틀린 문제와 풀이"},
    "exam.all_right": {"en": "Every question right: nothing to go over.", "ko": "모든 문제를 맞혔습니다. 다시 볼 문제가 없습니다."},
    "exam.unanswered": {"en": "(not answered)", "ko": "(응답 없음)"},
    "exam.your_answer": {"en": "Your answer", "ko": "내 답"},
    "exam.history": {"en": "Exam history", "ko": "시험 기록"},
    "exam.need_topic": {"en": "Choose at least one topic.", "ko": "주제를 하나 이상 고르세요."},
    "exam.bad_number": {"en": "Questions and minutes must be positive numbers.", "ko": "문제 수와 시간은 양수여야 합니다."},
    "exam.time_up": {"en": "Time is up.", "ko": "시간이 끝났습니다."},
    "exam.ended_by_time": {"en": "Time ran out: the exam ended by itself and what you had typed was graded.",
                           "ko": "시간이 다 되어 시험이 끝났고, 입력해 둔 답으로 채점했습니다."},
    "labs.title": {"en": "Labs", "ko": "실험실"},
    "labs.help": {"en": "Edit the inputs (YAML): it re-runs as you type. F2/F3 step, F5/F8 next/previous lab, F9 preset (now: {preset}).",
                  "ko": "입력(YAML)을 고치면 바로 다시 계산합니다. F2/F3 단계 이동, F5/F8 다음/이전 실험, F9 예시 바꾸기 (지금: {preset})."},
    "labs.step": {"en": "Step {i} of {n}: {name}", "ko": "단계 {i}/{n}: {name}"},
    "labs.error": {"en": "Input problem", "ko": "입력 오류"},
    "labs.result": {"en": "Result", "ko": "결과"},
    "labs.kept": {"en": "the picture shows the last good input", "ko": "그림은 마지막으로 올바른 입력입니다"},
    "stats.title": {"en": "Statistics", "ko": "통계"},
    "settings.title": {"en": "Settings", "ko": "설정"},
    "settings.lang": {"en": "Language", "ko": "언어"},
    "settings.theme": {"en": "Theme", "ko": "테마"},
    # theme names as the learner reads them (theme_label); the others are proper names (Nord, Dracula …)
    "theme.textual-dark": {"en": "Default (dark)", "ko": "기본 (어두움)"},
    "theme.textual-light": {"en": "Default (light)", "ko": "기본 (밝음)"},
    "theme.tutor-high-contrast": {"en": "High contrast", "ko": "고대비"},
    "theme.tutor-mono": {"en": "Monochrome", "ko": "흑백"},
    "theme.ansi-dark": {"en": "Terminal colours (dark)", "ko": "터미널 색 (어두움)"},
    "theme.ansi-light": {"en": "Terminal colours (light)", "ko": "터미널 색 (밝음)"},
    "theme.dark": {"en": "dark", "ko": "어두움"},
    "theme.light": {"en": "light", "ko": "밝음"},
    "settings.new_per_day": {"en": "New questions per day", "ko": "하루 새 문제 수"},
    "settings.daily_goal": {"en": "Daily goal (answers)", "ko": "하루 목표 (풀이 횟수)"},
    "settings.retention": {"en": "Desired retention (0.5–0.99)", "ko": "목표 기억률(0.5–0.99)"},
    "settings.saved": {"en": "Settings saved.", "ko": "설정을 저장했습니다."},
    "settings.bad": {"en": "{field}: type a number from {lo} to {hi}.", "ko": "{field}: {lo}–{hi} 사이의 숫자를 넣으세요."},
    "help.title": {"en": "Help", "ko": "도움말"},
})

STRINGS.update({
    "q.torch_agrees": {"en": "torch ({what}) agrees on {n} values (max |Δ| = {d}).",
                       "ko": "torch({what})로 다시 계산해도 {n}개 값이 같습니다(최대 |Δ| = {d})."},
    "q.torch_differs": {"en": "torch ({what}) differs by up to {d}.",
                        "ko": "torch({what}) 계산과 최대 {d} 만큼 다릅니다."},
})

STRINGS.update({   # the exam plan (tutor/plan.py, tutor/screens/plan.py)
    "key.plan": {"en": "Plan", "ko": "계획"},
    "key.mock": {"en": "Mock exam", "ko": "모의고사"},
    "plan.title": {"en": "Exam plan", "ko": "시험 계획"},
    "plan.home": {"en": "Exam in {n} days: readiness {r}", "ko": "시험까지 {n}일: 준비도 {r}"},
    "plan.home_today": {"en": "Exam today: readiness {r}", "ko": "오늘 시험: 준비도 {r}"},
    "plan.summary": {"en": "Exam on {date}, in {n} days. Readiness now {r}; following the plan {p} "
                           "(target: recall ≥ {t} on exam day).",
                     "ko": "시험일 {date}, {n}일 남음. 현재 준비도 {r}, 계획대로 하면 {p} "
                           "(목표: 시험 날 기억률 {t} 이상)."},
    "plan.summary_today": {"en": "The exam is today ({date}). Readiness {r}.",
                           "ko": "오늘이 시험일입니다({date}). 준비도 {r}."},
    "plan.unplanned": {"en": "At {per_day} new questions a day, {n} are still new on the exam day "
                             "(raise \"New questions per day\" in Settings).",
                       "ko": "하루 새 문제 {per_day}개씩이면 시험 날까지 {n}개 문제를 한 번도 못 봅니다"
                             "(설정에서 \"하루 새 문제 수\"를 늘리세요)."},
    "plan.col.topic": {"en": "Topic", "ko": "주제"},
    "plan.col.items": {"en": "Questions", "ko": "문제"},
    "plan.col.seen": {"en": "Seen", "ko": "푼 문제"},
    "plan.col.recall": {"en": "Recall", "ko": "기억률"},
    "plan.col.planned": {"en": "With plan", "ko": "계획대로"},
    "plan.col.date": {"en": "Day", "ko": "날짜"},
    "plan.col.new": {"en": "New", "ko": "새 문제"},
    "plan.col.review": {"en": "Review", "ko": "복습"},
    "plan.col.total": {"en": "Total", "ko": "합계"},
    "plan.days_title": {"en": "Day by day: new questions, and the reviews FSRS will ask for (if you answer them well)",
                        "ko": "날짜별: 새 문제, 그리고 FSRS가 낼 복습 문제(잘 맞힌다고 가정)"},
    "plan.exam_today": {"en": "No days left to plan: the exam is today.", "ko": "계획할 날이 없습니다: 오늘이 시험일입니다."},
    "plan.mock": {"en": "Mock exam: {n} questions, weighted towards your weakest topics ({topics}); {m} minutes.",
                  "ko": "모의고사: {n}문제, 약한 주제 위주({topics}), {m}분."},
    "plan.mock_key": {"en": "Press ctrl+o to start the mock exam.", "ko": "ctrl+o 키를 누르면 모의고사를 시작합니다."},
    "plan.date_label": {"en": "Exam date", "ko": "시험일"},
    "plan.date_help": {"en": "type the date, then Enter", "ko": "날짜를 입력하고 Enter"},
    "plan.no_exam": {"en": "Type the exam date (YYYY-MM-DD) and press Enter. Space includes or leaves out a topic.",
                     "ko": "시험일(YYYY-MM-DD)을 입력하고 Enter를 누르세요. 스페이스로 주제를 넣거나 뺍니다."},
    "plan.topics_help": {"en": "Exam topics (space: in / out)", "ko": "시험 주제 (스페이스: 넣기/빼기)"},
    "plan.topics_cols": {"en": "exam-day recall: as is → planned", "ko": "시험 날 기억률: 그대로 → 계획대로"},
    "plan.saved": {"en": "Exam date saved: the plan is updated.", "ko": "시험일을 저장했습니다: 계획을 다시 계산했습니다."},
    "plan.need_topic": {"en": "Choose at least one topic.", "ko": "주제를 하나 이상 고르세요."},
    "plan.need_date": {"en": "Set the exam date first.", "ko": "먼저 시험일을 정하세요."},
    "plan.in_progress": {"en": "An exam is in progress: resume it with e on the home screen.",
                         "ko": "진행 중인 시험이 있습니다: 홈 화면에서 e 키로 이어서 하세요."},
    "plan.err.not_date": {"en": "\"{value}\" is not a date: use YYYY-MM-DD, e.g. 2026-12-21.",
                          "ko": "{value:\"은} 날짜가 아닙니다: YYYY-MM-DD 형식(예: 2026-12-21)으로 입력하세요."},
    "plan.err.past": {"en": "{date} is in the past (today is {today}).", "ko": "{date:은} 지난 날짜입니다(오늘은 {today})."},
    "plan.err.far": {"en": "{date} is more than two years away.", "ko": "{date:은} 2년보다 더 뒤입니다."},
    "plan.err.no_topics": {"en": "No exam topics given.", "ko": "시험 주제가 없습니다."},
    "plan.err.unknown": {"en": "Unknown topics: {topics}.", "ko": "알 수 없는 주제: {topics}."},
    "plan.err.empty": {"en": "No questions in: {topics}.", "ko": "문제가 없는 주제: {topics}."},
})

STRINGS.update({   # exams: drafts, navigation, leaving and finishing (issue 15)
    "key.next_q": {"en": "Next", "ko": "다음"},
    "key.overview": {"en": "List", "ko": "목록"},   # the exam footer with ctrl+↑ fits 80 columns
    "key.flag": {"en": "Flag", "ko": "표시"},
    "key.leave": {"en": "Leave", "ko": "나가기"},
    "key.stay": {"en": "Stay", "ko": "계속하기"},
    "key.jump": {"en": "Go to", "ko": "이동"},
    "key.yes": {"en": "Yes", "ko": "예"},
    "key.no": {"en": "No", "ko": "아니오"},
    "exam.counter2": {"en": "Question {i} of {n}{flag} · answered {a} · {time} left",
                      "ko": "문제 {i}/{n}{flag} · 답한 문제 {a} · 남은 시간 {time}"},
    "exam.flag_mark": {"en": " ⚑ flagged", "ko": " ⚑ 표시함"},
    "exam.flagged": {"en": "Question {i} flagged for later.", "ko": "문제 {i}에 '나중에 보기' 표시를 했습니다."},
    "exam.unflagged": {"en": "Flag removed from question {i}.", "ko": "문제 {i}의 표시를 지웠습니다."},
    "exam.kept": {"en": "Kept as typed; it is graded when the exam ends.",
                  "ko": "입력한 그대로 저장했습니다. 채점은 시험이 끝날 때 합니다."},
    "exam.kept_problem": {"en": "Kept as typed, but it cannot be read yet: {problem}",
                          "ko": "입력한 그대로 저장했지만 아직 읽을 수 없는 답입니다: {problem}"},
    "exam.last": {"en": "This is the last question: F6 for the overview, F8 to finish.",
                  "ko": "마지막 문제입니다: F6 문제 목록, F8 끝내기."},
    "exam.first": {"en": "This is the first question.", "ko": "첫 문제입니다."},
    "exam.leave_q": {"en": "Leave the exam? It keeps running (the clock does not stop); resume it with e on the home screen.",
                     "ko": "시험에서 나갈까요? 시험은 계속 진행되고 시간도 흐릅니다. 홈 화면에서 e 키를 눌러 이어서 하세요."},
    "exam.left": {"en": "The exam keeps running: {time} left. Press e to resume.",
                  "ko": "시험은 계속 진행 중입니다: 남은 시간 {time}. e 키를 눌러 이어서 하세요."},
    "exam.finish_q": {"en": "Finish the exam now? {details}", "ko": "지금 시험을 끝낼까요? {details}"},
    "exam.finish_unanswered": {"en": "{n} not answered", "ko": "답하지 않은 문제 {n}개"},
    "exam.finish_flagged": {"en": "{n} flagged for later", "ko": "표시한 문제 {n}개"},
    "exam.finish_unreadable": {"en": "{n} cannot be read", "ko": "읽을 수 없는 답 {n}개"},
    "exam.finish_partial": {"en": "{n} partly answered", "ko": "일부만 답한 문제 {n}개"},
    "exam.overview": {"en": "Questions: answered {a} · partly {p} · not answered {u} · flagged {f}. Type a number to pick a question, Enter to go; Esc closes.",
                      "ko": "문제 목록: 답함 {a} · 일부만 {p} · 안 함 {u} · 표시 {f}. 번호로 고르고 Enter로 이동, Esc로 닫기."},
    "exam.st.answered": {"en": "answered", "ko": "답함"},
    "exam.st.unanswered": {"en": "not answered", "ko": "안 함"},
    "exam.st.unreadable": {"en": "cannot be read", "ko": "읽을 수 없음"},
    "exam.st.partial": {"en": "partly answered ({k}/{n} filled)", "ko": "일부만 답함 ({k}/{n}칸)"},
    "exam.st.flagged": {"en": "⚑ for later", "ko": "⚑ 나중에"},
    "exam.unreadable": {"en": "unreadable: {typed} — {problem}", "ko": "읽을 수 없는 답: {typed} — {problem}"},
    "exam.scheduled": {"en": "The {n} questions you missed are in today's review queue.",
                       "ko": "틀리거나 답하지 못한 {n}문제는 오늘 복습 목록에 들어갔습니다."},
    "exam.col.topic": {"en": "Topic", "ko": "주제"},
    "exam.col.answered": {"en": "Answered", "ko": "응답"},
    "exam.col.right": {"en": "Right", "ko": "정답"},
    "exam.col.score": {"en": "Score", "ko": "점수"},
    "exam.col.started": {"en": "Started", "ko": "시작"},
    "exam.home": {"en": "Exam in progress: {time} left · e to resume",
                  "ko": "시험 진행 중: 남은 시간 {time} · e 키로 이어하기"},
    "exam.home_over": {"en": "Exam time is up · e for the report", "ko": "시험 시간이 끝났습니다 · e 키로 결과 보기"},
    "exam.graded_cli": {"en": "tutor: the exam's time ran out; it is graded (score {score:.0%}). Its report: open tutor, press e",
                        "ko": "tutor: 시간이 끝난 시험을 채점했습니다(점수 {score:.0%}). 결과 보기: tutor를 열고 e"},
    "exam.home_graded": {"en": "The exam's time ran out: it is graded · e for the report",
                         "ko": "시간이 끝난 시험을 채점했습니다 · e 키로 결과 보기"},
    "exam.in_progress": {"en": "tutor exam: an exam is already in progress ({time} left); open tutor and press e to resume it",
                         "ko": "tutor exam: 진행 중인 시험이 있습니다(남은 시간 {time}). tutor를 열고 e 키를 눌러 이어서 하세요"},
    "exam.closed_old": {"en": "tutor exam: the time of the previous exam was up; it was graded (score {score:.0%})",
                        "ko": "tutor exam: 이전 시험의 시간이 끝나 채점했습니다(점수 {score:.0%})"},
})

STRINGS.update({   # help generated from the real bindings (issue 15)
    "help.outside": {"en": "(outside a text field)", "ko": "(입력 칸 밖에서)"},
    "help.exam_setup": {"en": "Exam: setup", "ko": "시험: 설정"},
    "help.exam_overview": {"en": "Exam: overview (F6); type a question's number to pick it, Enter to go",
                           "ko": "시험: 문제 목록(F6); 문제 번호로 고르고 Enter로 갑니다"},
    "help.exam_confirm": {"en": "Exam: questions (leave? finish?)", "ko": "시험: 확인 창(나가기, 끝내기)"},
    "help.reading": {"en": "Reading pages (stats, report, formulas, help)", "ko": "읽기 화면(통계, 결과, 공식 정리, 도움말)"},
    "help.everywhere": {"en": "Everywhere", "ko": "어디서나"},
    "help.home": {"en": "Home (topics)", "ko": "홈(주제 목록)"},
    "help.lesson": {"en": "Lesson cards", "ko": "레슨 카드"},
    "help.palette": {"en": "Command palette", "ko": "명령 팔레트"},
    "help.col.key": {"en": "Key", "ko": "키"},
    "help.col.what": {"en": "What it does", "ko": "기능"},
})

STRINGS.update({   # fitting FSRS to the learner's review log (tutor optimize, Settings)
    "optimize.button": {"en": "Fit FSRS to my reviews", "ko": "내 복습 기록으로 FSRS 맞추기"},
    "optimize.key": {"en": "Fit FSRS", "ko": "FSRS 맞추기"},
    "optimize.running": {"en": "Fitting FSRS to your reviews: {stage} {pct}", "ko": "복습 기록으로 FSRS 맞추는 중: {stage} {pct}"},
    "optimize.stage.measure": {"en": "measuring", "ko": "측정"},
    "optimize.stage.fit": {"en": "fitting", "ko": "학습"},
    "optimize.stage.retention": {"en": "optimal retention", "ko": "최적 기억률"},
    "optimize.stage.done": {"en": "done", "ko": "완료"},
    "optimize.reviews": {"en": "Reviews in the log: {n} (usable for fitting: {usable})",
                         "ko": "복습 기록: {n}건 (맞추기에 쓰이는 것: {usable}건)"},
    "optimize.log_loss": {"en": "log loss", "ko": "로그 손실"},
    "optimize.default": {"en": "FSRS defaults", "ko": "FSRS 기본값"},
    "optimize.current": {"en": "in use until now", "ko": "지금까지 쓰던 값"},
    "optimize.fitted": {"en": "fitted to you", "ko": "내게 맞춘 값"},
    "optimize.used": {"en": "The fitted parameters predict your reviews better: they are used from now on.",
                      "ko": "맞춘 매개변수가 복습 결과를 더 잘 예측하므로 이제부터 사용합니다."},
    "optimize.kept": {"en": "The fitted parameters are not better: the ones in use are kept.",
                      "ko": "맞춘 매개변수가 더 낫지 않아 쓰던 값을 그대로 둡니다."},
    "optimize.retention": {"en": "Suggested desired retention: {best} (yours: {yours}; change it above).",
                           "ko": "추천 목표 기억률: {best} (현재 {yours}; 위에서 바꿀 수 있습니다)."},
    "optimize.no_retention_few": {"en": "No suggested retention: it needs {need} reviews with a known duration, "
                                        "the log has {n}.",
                                  "ko": "추천 기억률 없음: 걸린 시간이 기록된 복습이 {need}건 필요한데 {n}건입니다."},
    "optimize.no_retention": {"en": "No suggested retention: the library could not compute it from this log.",
                              "ko": "추천 기억률 없음: 이 기록으로는 계산할 수 없습니다."},
    "optimize.missing": {"en": "Fitting FSRS needs PyTorch: install it with  pip install \"ml-tutor[torch]\"",
                         "ko": "FSRS 맞추기에는 PyTorch가 필요합니다. 설치 명령:  pip install \"ml-tutor[torch]\""},
    "optimize.too_little": {"en": "Too little review history yet: {usable} usable reviews, {need} needed "
                                  "(a review counts when it comes a day or more after the item's previous one).",
                            "ko": "복습 기록이 아직 부족합니다: 쓸 수 있는 복습 {usable}건, 필요한 수 {need}건 "
                                  "(같은 항목의 이전 복습보다 하루 이상 뒤의 복습만 셉니다)."},
    "optimize.failed": {"en": "Fitting FSRS failed: {why}", "ko": "FSRS 맞추기 실패: {why}"},
})

STRINGS.update({   # tutor serve
    "serve.serving": {"en": "ML Tutor in your browser: open {url}  (Ctrl+C to stop)",
                      "ko": "브라우저에서 ML 튜터 사용: 주소 {url}  (끝내려면 Ctrl+C)"},
    "serve.exposed": {"en": "warning: serving on {host}, not only this computer: anyone who can reach this address "
                            "can use the tutor and its progress (there is no password). Use --host 127.0.0.1 to keep "
                            "it to this computer.",
                      "ko": "경고: 주소 {host}에서 제공합니다. 이 컴퓨터만이 아니라 이 주소에 접속할 수 있는 누구나 튜터와 "
                            "학습 기록을 쓸 수 있습니다(비밀번호 없음). 이 컴퓨터로 제한하려면 옵션 --host 127.0.0.1을 쓰세요."},
})

STRINGS.update({   # issue 17: small screens, browser, palette, line mode
    "home.topic_id": {"en": "id: {id}  (tutor practice {id})", "ko": "ID: {id}  (tutor practice {id})"},
    "key.browse": {"en": "Browse", "ko": "목록"},
    "home.find": {"en": "ctrl+p find", "ko": "ctrl+p 찾기"},
    "key.suspend": {"en": "Suspend", "ko": "보류"},
    "key.flag": {"en": "Flag", "ko": "표시"},
    "key.search": {"en": "Search", "ko": "검색"},
    "key.scroll_q": {"en": "Question ↕", "ko": "문제 ↕"},
    "browse.title": {"en": "All questions", "ko": "전체 문제"},
    "browse.search": {"en": "search title or text (Korean or English)", "ko": "제목·내용 검색(한국어/영어)"},
    "browse.all_topics": {"en": "all topics", "ko": "모든 주제"},
    "browse.all_states": {"en": "any state", "ko": "모든 상태"},
    "browse.flagged": {"en": "flagged", "ko": "표시함"},
    "browse.suspended": {"en": "suspended", "ko": "보류함"},
    "browse.suspended_now": {"en": "Suspended: it will not come up in review.", "ko": "보류: 복습에 나오지 않습니다."},
    "browse.unsuspended": {"en": "Back in review.", "ko": "다시 복습에 나옵니다."},
    "browse.status": {"en": "{n} of {total} questions · Enter practise · ctrl+s suspend · ctrl+f flag",
                      "ko": "문제 {total}개 중 {n}개 · Enter 연습 · ctrl+s 보류 · ctrl+f 표시"},
    "browse.col.question": {"en": "Question", "ko": "문제"},
    "browse.col.topic": {"en": "Topic", "ko": "주제"},
    "browse.col.kind": {"en": "Kind", "ko": "유형"},
    "browse.col.state": {"en": "State", "ko": "상태"},
    "browse.col.last": {"en": "Last", "ko": "최근"},
    "browse.col.due": {"en": "Due", "ko": "복습일"},
    "browse.col.marks": {"en": "", "ko": ""},
    "q.pick_choice": {"en": "Choose one: ↑/↓ and Enter, a number key, or click",
                      "ko": "하나 고르기: ↑/↓ 후 Enter, 숫자 키, 또는 클릭"},
    "q.pick_multi": {"en": "Choose all that apply: Space or a number toggles, Enter submits",
                     "ko": "모두 고르기: 스페이스나 숫자로 선택/해제, Enter로 제출"},
    "find.topic": {"en": "Topic", "ko": "주제"},
    "find.card": {"en": "Card", "ko": "카드"},
    "find.question": {"en": "Question", "ko": "문제"},
})

STRINGS.update({   # issue 22: formula sheet, glossary
    "sheet.title": {"en": "Formula sheet: {title}", "ko": "공식 정리: {title}"},
    "sheet.empty": {"en": "(this topic's cards hold no formulas)", "ko": "(이 주제의 카드에는 공식이 없습니다)"},
    "glossary.title": {"en": "Glossary (Korean–English)", "ko": "용어집(한국어–영어)"},
    "glossary.search": {"en": "Search in Korean or English…", "ko": "한국어나 영어로 찾기…"},
    "glossary.col.ko": {"en": "Korean", "ko": "한국어"},
    "glossary.col.en": {"en": "English", "ko": "영어"},
    "glossary.col.avoid": {"en": "Avoid", "ko": "쓰지 않는 말"},
    "glossary.count": {"en": "{n} of {total} terms", "ko": "용어 {total}개 중 {n}개"},
    "key.glossary": {"en": "Glossary", "ko": "용어집"},
    "cmd.glossary": {"en": "Glossary", "ko": "용어집"},
    "cmd.glossary.help": {"en": "Korean–English terms, searchable in both languages",
                          "ko": "한국어–영어 용어, 두 언어로 찾기"},
})

STRINGS.update({   # issue 22: Textual's own palette texts in the UI language
    "palette.search": {"en": "Search for commands…", "ko": "명령 찾기…"},
    "palette.sys.theme": {"en": "Theme", "ko": "테마"},
    "palette.sys.theme.help": {"en": "Change the current theme", "ko": "화면 테마 바꾸기"},
    "palette.sys.quit": {"en": "Quit", "ko": "종료"},
    "palette.sys.quit.help": {"en": "Quit the application", "ko": "프로그램 끝내기"},
    "header.palette_tip": {"en": "Open the command palette", "ko": "명령 팔레트 열기"},   # the title line's icon
    "cli.solve.nan": {"en": "note: some values are undefined (nan), e.g. a mean over nothing — a coin or a cluster "
                             "that got no data. Check the inputs.",
                      "ko": "참고: 정의되지 않은 값(nan)이 있습니다. 예를 들어 데이터가 하나도 배정되지 않은 동전이나 "
                            "군집의 평균입니다. 입력을 확인하세요."},
    "cli.interrupted": {"en": "tutor: interrupted", "ko": "tutor: 중단했습니다"},
    "quit.how_title": {"en": "Do you want to quit?", "ko": "끝내시겠어요?"},   # ctrl+c, which does not quit
    "quit.how": {"en": "Press {keys} to quit the app.", "ko": "{keys} 키를 누르면 끝납니다."},
    "palette.sys.keys": {"en": "Keys", "ko": "키 도움말"},
    "palette.sys.keys.help": {"en": "Show or hide the keys of the focused widget", "ko": "지금 쓸 수 있는 키 보이기/숨기기"},
    "palette.sys.maximize": {"en": "Maximize", "ko": "최대화"},
    "palette.sys.maximize.help": {"en": "Maximize the focused widget", "ko": "선택한 영역을 화면 가득 보기"},
    "palette.sys.minimize": {"en": "Minimize", "ko": "원래 크기로"},
    "palette.sys.minimize.help": {"en": "Restore the widget to its normal size", "ko": "최대화한 영역을 원래 크기로"},
    "palette.sys.screenshot": {"en": "Screenshot", "ko": "스크린샷"},
    "palette.sys.screenshot.help": {"en": "Save an SVG screenshot of the screen", "ko": "지금 화면을 SVG 파일로 저장"},
})

STRINGS.update({   # issue 22: the formula sheet in the app (lesson key f, command palette)
    "key.sheet": {"en": "Formulas", "ko": "공식 정리"},
    "sheet.all_title": {"en": "Formula sheet: all topics", "ko": "공식 정리: 모든 주제"},
    "sheet.help": {"en": "Every formula of the topic's cards on one page",
                   "ko": "이 주제 카드의 공식을 한 화면에"},
    "sheet.all_help": {"en": "Every formula of every topic, in course order",
                       "ko": "모든 주제의 공식을 강의 순서대로"},
})


# tutor doctor, import and export: their messages in both languages are in tutor/store_texts.py,
# read when one is first asked for (:func:`has_text`, :func:`tr`) — not by the app's first screen
_MORE = ["tutor.store_texts", "tutor.cli_texts"]


def all_strings() -> dict[str, dict[str, str]]:
    """Every text, those read on first use included (tests check them all)."""
    while _MORE:
        from importlib import import_module

        STRINGS.update(import_module(_MORE.pop()).TEXTS)
    return STRINGS


def has_text(key: str) -> bool:
    return key in STRINGS or key in all_strings()


STRINGS.update({   # labs and tutor solve --plot: a picture that cannot be drawn, a YAML syntax error, notes
    "plots.too_large": {"en": "the picture cannot be drawn: its values are too large to plot (|value| > {limit})",
                        "ko": "그림을 그릴 수 없습니다: 값이 너무 커서 화면에 나타낼 수 없습니다(|값| > {limit})"},
    "plots.failed": {"en": "the picture cannot be drawn from these values",
                     "ko": "그림을 그릴 수 없습니다: 이 값으로는 그림을 만들 수 없습니다"},
    "labs.yaml_line": {"en": "line {line}: not valid YAML (check the colons, brackets, quotes and indentation)",
                       "ko": "{line}번째 줄: YAML 형식이 맞지 않습니다(콜론, 괄호, 따옴표, 들여쓰기를 확인하세요)"},
    "labs.yaml": {"en": "not valid YAML (check the colons, brackets, quotes and indentation)",
                  "ko": "YAML 형식이 맞지 않습니다(콜론, 괄호, 따옴표, 들여쓰기를 확인하세요)"},
    "cli.solve.nan.any": {"en": "note: some values are undefined (nan), e.g. 0/0 or inf − inf. Check the inputs.",
                          "ko": "참고: 정의되지 않은 값(nan)이 있습니다(예: 0/0, inf − inf). 입력을 확인하세요."},
    "cli.solve.nan.softmax": {"en": "note: exp(z) directly overflows for these logits (e^z = inf, inf/inf = nan): "
                                    "that is why the maximum is subtracted first.",
                              "ko": "참고: 이 로짓에서는 exp(z)를 그대로 계산하면 오버플로됩니다(e^z = inf, inf/inf = nan). "
                                    "그래서 최댓값을 먼저 뺍니다."},
})

def theme_label(name: str, lang: str) -> str:
    """A colour theme's name as shown (never its internal id): our own words for the default,
    terminal, high-contrast and monochrome themes; the others by their proper names, with "dark"
    or "light" in the learner's language ("Solarized (어두움)")."""
    if "theme." + name in STRINGS:
        return tr("theme." + name, lang)
    base, _, tone = name.rpartition("-")
    if base and tone in ("dark", "light"):
        return f"{base.replace('-', ' ').title()} ({tr('theme.' + tone, lang)})"
    return name.replace("-", " ").title()
