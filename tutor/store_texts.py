"""The texts of ``tutor doctor``, ``tutor import`` and ``tutor export`` in both languages.

The doctor and the backup check do not know the learner's language: they build each message as a
:class:`~tutor.store_errors.Notice` (English and Korean, :func:`notice`), and the command shows it
with :func:`~tutor.store_errors.in_lang`. The templates are here, not in :mod:`tutor.i18n` itself
(which reads :data:`TEXTS` into its ``STRINGS`` when one is first asked for, so
:func:`tutor.i18n.tr` knows them too, and the app's first screen does not load them): the
backup check alone has some fifty messages. The English texts are what the commands always said.
"""

from __future__ import annotations

import errno

from tutor.store_errors import Notice, in_lang


def _t(en: str, ko: str) -> dict[str, str]:
    return {"en": en, "ko": ko}


_MUST = "(받은 값: {v})"

TEXTS: dict[str, dict[str, str]] = {
    # tutor doctor: the report's lines
    "cli.doctor.file": _t("progress file: {path}", "진도 파일: {path}"),
    "cli.doctor.problem": _t("problem: {what}", "문제: {what}"),
    "cli.doctor.no_problems": _t("no problems found", "문제가 없습니다"),
    "cli.doctor.repaired": _t("repaired: {what}", "고침: {what}"),
    "cli.doctor.run_repair": _t("run `tutor doctor --repair` to repair (bad rows are kept in a side table, not deleted)",
                                "`tutor doctor --repair`를 실행하면 고칩니다(잘못된 행은 지우지 않고 별도 표에 보관합니다)"),
    "cli.doctor.rows": _t("rows: {tables}", "표별 행 수: {tables}"),
    "cli.doctor.count": _t("{table} {n}", "{table} {n}개"),
    "cli.doctor.cannot": _t("tutor doctor: {path}: {error}", "tutor doctor: 검사할 수 없습니다: {path}: {error}"),
    # tutor doctor: what was found and what was done
    "cli.doctor.damaged": _t("the file is damaged: {detail}", "파일이 손상되었습니다: {detail}"),
    "cli.doctor.sqlite_said": _t("{detail}", "SQLite 검사 결과 {detail}"),
    "cli.doctor.version": _t("schema version {version}, expected {expected} (opening the tutor migrates it)",
                             "파일 형식 버전 {version} (이 튜터의 버전은 {expected}; 튜터를 열면 새 형식으로 바꿉니다)"),
    "cli.doctor.missing": _t("table {table} is missing", "표가 없습니다: {table}"),
    "cli.doctor.recreated": _t("table {table} recreated and rebuilt", "표를 다시 만들고 기록에서 채웠습니다: {table}"),
    "cli.doctor.recreated_empty": _t("table {table} recreated (empty)", "표를 빈 표로 다시 만들었습니다: {table}"),
    "cli.doctor.lacks": _t("table {table} lacks the columns {columns}", "표에 빠진 열이 있습니다: {table} ({columns})"),
    "cli.doctor.dangling": _t("{table} row {row} points at a missing {parent} row",
                              "{table}의 {row}번 행이 가리키는 행이 없습니다({parent})"),
    "cli.doctor.moved": _t("{table} row {row} moved to the quarantine table",
                           "{table}의 {row}번 행을 격리 표(quarantine)로 옮겼습니다"),
    "cli.doctor.bad_row": _t("{table} row {row}: {reason}", "{table}의 {row}번 행: {reason}"),
    "cli.doctor.not_json": _t("{column} is not JSON", "{column} 값이 JSON 형식이 아닙니다"),
    "cli.doctor.not_number": _t("{column} is not a number", "{column} 값이 숫자가 아닙니다"),
    "cli.doctor.quarantined": _t("{n} bad rows moved to the quarantine table (kept there as JSON)",
                                 "잘못된 행 {n}개를 격리 표(quarantine)로 옮겼습니다(JSON으로 보관)"),
    "cli.doctor.progress_differs": _t("item_progress differs from the attempts in {n} rows",
                                      "문제별 진도 요약이 푼 기록과 다른 행: {n}개"),
    "cli.doctor.progress_rebuilt": _t("item_progress rebuilt from the attempts", "문제별 진도 요약을 푼 기록에서 다시 만들었습니다"),
    "cli.doctor.cards_differ": _t("{n} FSRS cards differ from the review log", "복습 기록과 다른 복습 카드: {n}개"),
    "cli.doctor.cards_rebuilt": _t("{n} FSRS cards rebuilt from the review log", "복습 기록에서 다시 만든 복습 카드: {n}개"),
    "cli.doctor.salvaged": _t("salvaged with {how} into a fresh file ({n} rows kept); the damaged file is at {aside}",
                              "읽을 수 있는 행 {n}개를 새 파일로 옮겼습니다({how}). 손상된 파일은 다음 위치에 보관했습니다: {aside}"),
    "cli.doctor.how.recover": _t("sqlite3 .recover", "sqlite3 .recover 명령으로"),
    "cli.doctor.how.tables": _t("table by table", "표 단위로 읽어서"),
    "cli.doctor.how.pages": _t("table by table, then page by page", "표 단위로, 이어서 페이지 단위로 읽어서"),
    "cli.doctor.t.meta": _t("meta", "파일 정보"),
    "cli.doctor.t.settings": _t("settings", "설정"),
    "cli.doctor.t.item_progress": _t("item_progress", "문제별 진도 요약"),
    "cli.doctor.t.quarantine": _t("quarantine", "격리 표"),
    "cli.doctor.col.answer": _t("answer", "답"),
    "cli.doctor.col.card": _t("card", "카드 상태"),
    "cli.doctor.col.before": _t("before", "복습 전 상태"),
    "cli.doctor.col.after": _t("after", "복습 후 상태"),
    "cli.doctor.col.topics": _t("topics", "주제 목록"),
    "cli.doctor.col.items": _t("items", "문제 목록"),
    "cli.doctor.col.report": _t("report", "결과"),
    "cli.doctor.col.value": _t("value", "값"),
    "cli.doctor.col.score": _t("score", "점수"),
    "cli.doctor.col.rating": _t("rating", "평가"),
    # tutor import: the file as a whole
    "cli.backup.no_file": _t("cannot import {path}: no such file", "가져올 수 없습니다: {path}: 파일이 없습니다"),
    "cli.backup.folder": _t("cannot import {path}: it is a folder, not a file",
                            "가져올 수 없습니다: {path}: 파일이 아니라 폴더입니다"),
    "cli.backup.not_utf8": _t("cannot import {path}: not a UTF-8 text file (expected a tutor JSON backup)",
                              "가져올 수 없습니다: {path}: UTF-8 텍스트 파일이 아닙니다(tutor의 JSON 백업 파일이어야 합니다)"),
    "cli.backup.cannot_read": _t("cannot import {path}: {error}", "가져올 수 없습니다: {path}: {error}"),
    "cli.backup.not_json": _t("cannot import {path}: not valid JSON (line {line}: {error})",
                              "가져올 수 없습니다: {path}: 올바른 JSON이 아닙니다({line}번째 줄: {error})"),
    "cli.backup.nested": _t("cannot import {path}: not a tutor backup (nested too deeply)",
                            "가져올 수 없습니다: {path}: tutor 백업 파일이 아닙니다(중첩이 너무 깊음)"),
    "cli.backup.not_backup": _t("cannot import {path}: not a tutor progress backup (made by 'tutor export --format json')",
                                "가져올 수 없습니다: {path}: tutor 진도 백업 파일이 아닙니다"
                                "(백업은 'tutor export --format json' 명령으로 만듭니다)"),
    "cli.backup.newer": _t("cannot import {path}: it was made by a newer tutor; please upgrade tutor",
                           "가져올 수 없습니다: {path}: 더 새로운 tutor가 만든 파일입니다. tutor를 업데이트하세요"),
    "cli.backup.invalid": _t("cannot import {path}: nothing was imported: {problem}{more}",
                             "가져올 수 없습니다: {path}: 아무것도 가져오지 않았습니다: {problem}{more}"),
    "cli.backup.more": _t(" (and {n} more)", " (외 {n}개)"),
    # tutor import: one field of the file (after `path: key: `)
    "cli.backup.int": _t("must be a whole number, not {v}", "정수여야 합니다" + _MUST),
    "cli.backup.int64": _t("out of SQLite's 64-bit integer range", "SQLite의 64비트 정수 범위를 벗어납니다"),
    "cli.backup.at_least": _t("must be ≥ {lo}, not {v}", "{lo} 이상이어야 합니다" + _MUST),
    "cli.backup.between": _t("must be between {lo} and {hi}, not {v}", "{lo}에서 {hi} 사이여야 합니다" + _MUST),
    "cli.backup.flag": _t("must be true/false (or 0/1), not {v}", "true/false(또는 0/1)여야 합니다" + _MUST),
    "cli.backup.number": _t("must be a number in {interval}, not {v}", "{interval} 범위의 수여야 합니다" + _MUST),
    "cli.backup.within": _t("must be in {interval}, not {v}", "{interval} 범위여야 합니다" + _MUST),
    "cli.backup.text": _t("must be text, not {v}", "텍스트여야 합니다" + _MUST),
    "cli.backup.empty": _t("must not be empty", "비어 있으면 안 됩니다"),
    "cli.backup.too_long": _t("too long ({n} characters)", "너무 깁니다({n}자)"),
    "cli.backup.nul": _t("contains a NUL character", "NUL 문자가 들어 있습니다"),
    "cli.backup.date_text": _t("must be an ISO-8601 date-time text, not {v}", "ISO-8601 날짜·시각 텍스트여야 합니다" + _MUST),
    "cli.backup.zone": _t("must have a time zone: {v}", "시간대가 있어야 합니다: {v}"),
    "cli.backup.year": _t("year out of range: {v}", "연도가 범위를 벗어납니다: {v}"),
    "cli.backup.not_date": _t("not a date-time: {v}", "날짜·시각이 아닙니다: {v}"),
    "cli.backup.one_of": _t("must be one of {values}, not {v}", "다음 중 하나여야 합니다: {values}" + _MUST),
    "cli.backup.list": _t("must be a list, not {v}", "목록이어야 합니다" + _MUST),
    "cli.backup.a_list": _t("must be a list", "목록이어야 합니다"),
    "cli.backup.entries": _t("must have {n} entries, not {got}", "항목이 {n}개여야 합니다(받은 개수: {got})"),
    "cli.backup.fsrs_card": _t("must be an fsrs card object, not {v}", "fsrs 카드 객체여야 합니다" + _MUST),
    "cli.backup.fsrs_unknown": _t("not an fsrs card (unknown {field})", "fsrs 카드가 아닙니다(알 수 없는 필드: {field})"),
    "cli.backup.fsrs_missing": _t("not an fsrs card (missing {field})", "fsrs 카드가 아닙니다(빠진 필드: {field})"),
    "cli.backup.fsrs_text": _t("must be an fsrs card as JSON text, not {v}", "fsrs 카드의 JSON 텍스트여야 합니다" + _MUST),
    "cli.backup.bad_json": _t("not valid JSON", "올바른 JSON이 아닙니다"),
    "cli.backup.exam_item": _t("must be an object with an item_id, not {v}", "item_id 필드가 있는 객체여야 합니다" + _MUST),
    "cli.backup.object": _t("must be an object, not {v}", "객체여야 합니다" + _MUST),
    "cli.backup.objects": _t("must be a list of objects, not {v}", "객체의 목록이어야 합니다" + _MUST),
    "cli.backup.unknown_named": _t("unknown field {field}", "알 수 없는 필드입니다: {field}"),
    "cli.backup.unknown_field": _t("unknown field", "알 수 없는 필드입니다"),
    "cli.backup.unknown_section": _t("unknown section", "알 수 없는 항목입니다"),
    "cli.backup.unknown_setting": _t("unknown setting (this tutor does not use it)",
                                     "알 수 없는 설정입니다(이 튜터는 쓰지 않습니다)"),
    "cli.backup.missing": _t("missing", "빠져 있습니다"),
    "cli.backup.no_topic": _t("has no topic", "topic 필드가 없습니다"),
    "cli.backup.day_text": _t("must be a date text YYYY-MM-DD, not {v}", "YYYY-MM-DD 형식의 날짜 텍스트여야 합니다" + _MUST),
    "cli.backup.day": _t("must be a date YYYY-MM-DD, not {v}", "YYYY-MM-DD 형식의 날짜여야 합니다" + _MUST),
    "cli.backup.exam_size": _t("must be an object with count and minutes, not {v}",
                               "count 필드와 minutes 필드가 있는 객체여야 합니다" + _MUST),
    "cli.backup.lab_text": _t("must be text of at most {n} characters, not {v}", "{n}자 이하의 텍스트여야 합니다" + _MUST),
    "cli.backup.version": _t("must be a whole number ≥ 1, not {v}", "1 이상의 정수여야 합니다" + _MUST),
    "cli.backup.twice": _t("{value} appears twice", "두 번 나옵니다: {value}"),
    "cli.backup.no_exam": _t("no exam {id} in the backup", "백업에 {id}번 시험이 없습니다"),
    "cli.backup.no_index": _t("exam {id} has {n} items, no index {idx}",
                              "{id}번 시험에는 문제가 {n}개뿐이어서 순번 {idx}에 해당하는 문제가 없습니다"),
    "cli.backup.index_twice": _t("exam {id} index {idx} appears twice", "{id}번 시험의 순번 {idx} 항목이 두 번 나옵니다"),
    "cli.backup.card_of": _t("{card} is also the card of {item}", "{card}번 카드는 다른 문제의 카드이기도 합니다: {item}"),
    "cli.backup.card_differs": _t("differs from the row's card_id", "행의 card_id 값과 다릅니다"),
    "cli.backup.has_card": _t("{item} has card {card}, not {got}", "문제 {item}의 카드 번호는 {card}입니다({got} 아님)"),
    "cli.backup.show_list": _t("a list", "목록"),
    "cli.backup.show_object": _t("an object", "객체"),
    # tutor export and the backup file it writes
    "cli.backup.cannot_write": _t("cannot write {path}: {error}", "파일에 쓸 수 없습니다: {path}: {error}"),
    "cli.backup.dangling": _t("cannot write {path}: it is a symbolic link to nothing; give a file name",
                              "파일에 쓸 수 없습니다: {path}: 가리키는 대상이 없는 심볼릭 링크입니다. 파일 이름을 주세요"),
    "cli.backup.not_a_file": _t("cannot write {path}: it is {what}, not a file; give a new file name",
                                "파일에 쓸 수 없습니다: {path}: 파일이 아니라 {what}입니다. 새 파일 이름을 주세요"),
    "cli.backup.what.folder": _t("a folder", "폴더"),
    "cli.backup.what.fifo": _t("a FIFO (named pipe)", "FIFO(이름 있는 파이프)"),
    "cli.backup.what.device": _t("a device or socket", "장치나 소켓"),
    # the operating system's reasons (the English is the system's own text)
    "cli.os.ENOENT": _t("No such file or directory", "그런 파일이나 폴더가 없습니다"),
    "cli.os.EACCES": _t("Permission denied", "권한이 없습니다"),
    "cli.os.EROFS": _t("Read-only file system", "읽기 전용 파일 시스템입니다"),
    "cli.os.ENOSPC": _t("No space left on device", "디스크 공간이 없습니다"),
    "cli.os.EISDIR": _t("Is a directory", "폴더입니다"),
    "cli.os.ENOTDIR": _t("Not a directory", "경로 중간에 폴더가 아닌 것이 있습니다"),
    "cli.os.ENAMETOOLONG": _t("File name too long", "파일 이름이 너무 깁니다"),
    "cli.os.EDQUOT": _t("Disk quota exceeded", "디스크 할당량을 넘었습니다"),
    # the settings a backup holds, by the names a learner knows (never the keys)
    "cli.setting.lang": _t("language", "언어"),
    "cli.setting.theme": _t("colour theme", "색 테마"),
    "cli.setting.new_per_day": _t("new questions per day", "하루 새 문제 수"),
    "cli.setting.daily_goal": _t("daily goal", "하루 목표"),
    "cli.setting.desired_retention": _t("desired retention", "목표 기억률"),
    "cli.setting.slow_ms": _t("time of a slow answer", "느린 답의 기준 시간"),
    "cli.setting.easy_ms": _t("time of an easy answer", "쉬운 답의 기준 시간"),
    "cli.setting.fsrs_parameters": _t("review schedule parameters (FSRS)", "복습 일정 매개변수(FSRS)"),
    "cli.setting.opened_topics": _t("topics opened", "열어 본 주제"),
    "cli.setting.resume": _t("where to continue", "이어서 할 위치"),
    "cli.setting.exam_date": _t("exam date", "시험 날짜"),
    "cli.setting.exam_topics": _t("exam topics", "시험 범위"),
    "cli.setting.exam_last_topics": _t("topics of the last exam", "지난 시험의 주제"),
    "cli.setting.exam_last_size": _t("questions and minutes of the last exam", "지난 시험의 문제 수와 시간"),
    "cli.setting.exam_unseen_report": _t("the exam graded when its time ran out, its report not yet shown",
                                         "시간이 끝나 채점한 시험(결과를 아직 보지 않음)"),
    "cli.setting.suspended": _t("suspended questions", "보류한 문제"),
    "cli.setting.flagged": _t("flagged questions", "표시한 문제"),
    "cli.setting.retry_after_undo": _t("questions whose answer was undone (the next answer is a second try)",
                                       "답을 취소한 문제(다음 답은 두 번째 시도)"),
    "cli.setting.lab.current": _t("the lab open last", "마지막으로 연 실험실"),
    "cli.setting.lab": _t('input of the lab "{title}"', '"{title}" 실험실 입력'),
}

# json's own messages (JSONDecodeError.msg) in Korean; any other stays as json wrote it
JSON_KO = {
    "Expecting value": "값이 있어야 합니다",
    "Extra data": "JSON 뒤에 다른 내용이 있습니다",
    "Expecting property name enclosed in double quotes": "큰따옴표로 감싼 키가 있어야 합니다",
    "Expecting ',' delimiter": "쉼표(,)가 있어야 합니다",
    "Expecting ':' delimiter": "콜론(:)이 있어야 합니다",
    "Unterminated string starting at": "문자열이 닫히지 않았습니다",
    "Invalid control character at": "문자열 안에 제어 문자가 있습니다",
    "Invalid \\escape": "잘못된 \\ 이스케이프입니다",
}

# sqlite's own words for a damaged file, in Korean
SQLITE_KO = {
    "database disk image is malformed": "데이터베이스 파일의 구조가 깨졌습니다",
    "file is not a database": "데이터베이스 파일이 아닙니다",
}


def notice(key: str, **kw) -> Notice:
    """The text ``key`` in English and Korean; a value that is itself a Notice goes in its own
    language, any other value as it is (format specs such as ``{n:g}`` apply)."""
    from tutor.i18n import tr

    def text(lang: str) -> str:
        return tr(key, lang, **{k: in_lang(v, lang) if isinstance(v, Notice) else v for k, v in kw.items()})

    return Notice(text("en"), text("ko"))


def both(en: str, ko: str | None = None) -> Notice:
    """A value the same in both languages (a name, a path), or given in each."""
    return Notice(en, en if ko is None else ko)


def table_name(table: str) -> Notice:
    """A table of the progress file: its name in English (the doctor always named it so), the
    learner's word for it in Korean."""
    from tutor.i18n import has_text, tr

    for key in (f"cli.import.t.{table}", f"cli.doctor.t.{table}"):
        if has_text(key):
            return Notice(table, tr(key, "ko"))
    return both(table)


def column_name(column: str) -> Notice:
    key = f"cli.doctor.col.{column}"
    return Notice(column, TEXTS[key]["ko"]) if key in TEXTS else both(column)


def os_reason(e: OSError) -> Notice:
    """An operating-system error's reason: the system's text in English, ours in Korean."""
    en = e.strerror or str(e)
    code = {errno.EPERM: "EACCES"}.get(e.errno) or errno.errorcode.get(e.errno or 0, "")
    key = f"cli.os.{code}"
    return Notice(en, TEXTS[key]["ko"]) if key in TEXTS else both(en)


def json_reason(msg: str) -> Notice:
    return Notice(msg, JSON_KO.get(msg, msg))


def sqlite_reason(detail: str) -> Notice:
    """What ``integrity_check`` (or the error opening the file) said, with our Korean where we
    know the words; else SQLite's own words after a Korean lead-in."""
    if detail in SQLITE_KO:
        return Notice(detail, SQLITE_KO[detail])
    return notice("cli.doctor.sqlite_said", detail=detail)


__all__ = ["TEXTS", "notice", "both", "table_name", "column_name", "os_reason", "json_reason", "sqlite_reason"]
