"""The command line's arguments for argparse: every command and option, its help in the learner's
language, and argparse's own words in Korean. Split out of :mod:`tutor.cli`: opening the app
reads its few options without argparse (:func:`tutor.cli._open_app_args`), so this module (its
strings and its parser) is not loaded before the first screen."""

from __future__ import annotations

from types import SimpleNamespace

from tutor import __version__
from tutor.config import UsageError, default_lang, saved_lang

_PARSER_CLASS = None

# argparse's own words (usage, option groups, its errors) in Korean, by its message: what is not
# here (another Python's new wording) stays as argparse says it
ARGPARSE_KO = {
    "usage: ": "사용법: ",
    "positional arguments": "위치 인자",
    "options": "옵션",
    "show this help message and exit": "이 도움말을 보이고 끝냅니다",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "알 수 없는 인자: %s",
    "the following arguments are required: %s": "다음 인자가 필요합니다: %s",
    "one of the arguments %s is required": "다음 인자 중 하나가 필요합니다: %s",
    "expected one argument": "값이 하나 필요합니다",
    "expected at most one argument": "값은 하나까지입니다",
    "expected at least one argument": "값이 하나 이상 필요합니다",
    "expected %s argument": "값이 %s개 필요합니다",
    "expected %s arguments": "값이 %s개 필요합니다",
    "ignored explicit argument %r": "이 옵션에는 값이 없습니다: %r",
    "not allowed with argument %s": "%s 인자와 함께 쓸 수 없습니다",
    "ambiguous option: %(option)s could match %(matches)s": "모호한 옵션 %(option)s: 후보 %(matches)s",
    "unexpected option string: %s": "예상하지 못한 옵션: %s",
    "invalid %(type)s value: %(value)r": "%(type)s가 아닌 값: %(value)r",   # 정수, 숫자 (see build_parser)
    "invalid choice: %(value)r (choose from %(choices)s)": "잘못된 선택: %(value)r (가능한 값: %(choices)s)",
}


def _argparse_speaks(lang: str) -> None:
    """argparse's own messages in ``lang`` (it looks up its module's ``_`` and ``ngettext`` each time
    it builds a parser or reports an error): set before a parser is built, for this process."""
    import argparse
    import gettext

    if lang == "ko":
        argparse._ = lambda msg: ARGPARSE_KO.get(msg, msg)
        argparse.ngettext = lambda one, many, n: ARGPARSE_KO.get(one if n == 1 else many, one if n == 1 else many)
    else:
        argparse._, argparse.ngettext = gettext.gettext, gettext.ngettext


def _parser_class():
    """argparse's parser that reports an error in one line, exit 2 (argparse prints usage and the
    message otherwise). argparse is imported here: opening the app does not need it (see
    :func:`_open_app_args`)."""
    global _PARSER_CLASS
    if _PARSER_CLASS is None:
        import argparse

        class _Parser(argparse.ArgumentParser):
            lang = "en"

            def error(self, message: str):
                see = f"({self.prog} --help 참고)" if self.lang == "ko" else f"(see {self.prog} --help)"
                raise UsageError(f"{self.prog}: {message} {see}")

        _PARSER_CLASS = _Parser
    return _PARSER_CLASS


def _new_parser(lang: str, **kwargs):
    p = _parser_class()(**kwargs)
    p.lang = lang
    return p


def argv_lang(argv: list[str]) -> str:
    """The language of help and of argparse's errors, before the arguments are parsed: ``--lang`` (of
    tutor or of its command: the last one, as :func:`main` takes it), else the one chosen in the app
    (not for ``solve``, which needs no data dir), else the locale. A Korean learner's ``tutor
    --help`` and its errors were all English."""
    found, command, k = {}, None, 0
    while k < len(argv):
        opt, eq, value = argv[k].partition("=")
        if opt in ("--lang", "--data-dir", "--content"):
            if not eq:
                k += 1
                value = argv[k] if k < len(argv) else ""
            if opt != "--lang" or value in ("ko", "en"):   # `--lang ko … --lang fr`: Korean
                found[opt] = value
        elif command is None and not opt.startswith("-"):
            command = opt
        k += 1
    if "--lang" in found:
        return found["--lang"]
    if command != "solve":
        return saved_lang(SimpleNamespace(data_dir=found.get("--data-dir"))) or default_lang()
    return default_lang()


def app_parser(lang: str = "en"):
    """The options of ``tutor`` itself (opening the app); :func:`build_parser` adds the commands."""
    _argparse_speaks(lang)

    def L(en: str, ko: str) -> str:
        return ko if lang == "ko" else en

    p = _new_parser(lang, prog="tutor", description=L(
        "A terminal tutor for machine learning and deep learning (lessons, live engine exercises, spaced "
        "review). Run without a command to open the app.",
        "머신러닝과 딥러닝을 공부하는 터미널 튜터(레슨, 엔진이 새로 만드는 연습 문제, 간격 복습). "
        "명령 없이 실행하면 앱이 열립니다."))
    p.add_argument("--version", action="version", version=f"tutor {__version__}",
                   help=L("show the version and exit", "버전을 보이고 끝냅니다"))
    p.add_argument("--lang", choices=("ko", "en"), help=L(
        "language (default: the one chosen in the app, else the locale's)",
        "언어 (기본: 앱에서 고른 언어, 없으면 시스템 로캘)"))
    p.add_argument("--data-dir", metavar="PATH", help=L(
        "where progress is kept (env TUTOR_DATA_DIR; default: the platform's user data dir)",
        "학습 기록을 두는 폴더 (환경 변수 TUTOR_DATA_DIR; 기본: 플랫폼의 사용자 데이터 폴더)"))
    p.add_argument("--content", metavar="DIR", action="append", help=L(
        "load content from DIR instead of the shipped lessons (repeatable)",
        "기본 레슨 대신 DIR의 콘텐츠를 읽습니다 (여러 번 쓸 수 있음)"))
    p.set_defaults(command=None)
    return p


LINE_COMMANDS = {
    "en": """commands at any answer prompt:
  :hint       the next hint
  :solution   the worked solution (a right answer after it counts as solved with help)
  :skip       the next question, nothing recorded
  :quit       end the session with its summary
A format error asks again only for the field that could not be read.
""",
    "ko": """답 입력 중 언제든 쓸 수 있는 명령:
  :hint       다음 힌트
  :solution   풀이 보기 (본 뒤의 정답은 도움받아 푼 것으로 셉니다)
  :skip       기록 없이 다음 문제로
  :quit       요약을 보고 끝내기
형식 오류가 나면 읽을 수 없던 칸만 다시 묻습니다.
""",
}


def build_parser(lang: str = "en"):
    import argparse

    def L(en: str, ko: str) -> str:
        return ko if lang == "ko" else en

    p = app_parser(lang)
    sub = p.add_subparsers(dest="command", metavar=L("COMMAND", "명령"), parser_class=_parser_class())

    def command(name: str, help: str, **kwargs):
        c = sub.add_parser(name, help=help, **kwargs)
        c.lang = lang
        return c

    def typed(read, name: str):
        """``read`` under the name argparse says when a value is not one ("정수가 아닌 값: 'x'")."""
        def value(text: str):
            return read(text)
        value.__name__ = name
        return value

    whole, number = typed(int, L("int", "정수")), typed(float, L("float", "숫자"))
    # the options every command takes, said once (the commands' help listed them with no word)
    sub_lang = L("language (as tutor --lang)", "언어 (tutor --lang과 같음)")
    sub_data = L("where progress is kept (as tutor --data-dir)", "학습 기록을 두는 폴더 (tutor --data-dir과 같음)")
    plain = L("line mode (the only mode of this command)", "줄 모드 (이 명령의 유일한 모드)")
    seed = L("seed for reproducible variants", "같은 변형 문제를 다시 만드는 시드")
    as_json = L("machine-readable JSON output", "기계가 읽는 JSON 출력")

    s = command("solve", L("run an engine algorithm as a calculator", "엔진 알고리즘을 계산기로 실행"), add_help=False,
                description=L("Run an engine algorithm and print its step trace.",
                              "엔진 알고리즘을 실행하고 단계별 계산 과정을 출력합니다."))
    s.add_argument("name", nargs="?", help=L("algorithm name (see --list)", "알고리즘 이름 (--list 참고)"))
    s.add_argument("--input", "-i", metavar="JSON|@FILE", help=L(
        "inputs as JSON, or @path to a JSON file", "입력값: JSON, 또는 @경로로 JSON 파일"))
    s.add_argument("--json", action="store_true", help=as_json)
    s.add_argument("--mistake", metavar="ID", help=L(
        "compute what a learner with this mistake would get", "이 실수를 한 학습자가 얻을 값을 계산"))
    s.add_argument("--list", action="store_true", help=L("list the algorithms", "알고리즘 목록"))
    s.add_argument("--plot", action="store_true", help=L(
        "draw the lab's picture after the trace", "계산 과정 뒤에 실험실의 그림을 그림"))
    s.add_argument("--lang", dest="sub_lang", choices=("ko", "en"), help=sub_lang)
    s.add_argument("-h", "--help", action="store_true", help=L(
        "show help (for NAME: its input keys)", "도움말 (NAME과 함께: 그 입력 키)"))

    c = command("check-content", L("validate content and recompute every number",
                                   "콘텐츠를 검사하고 모든 숫자를 다시 계산"))
    c.add_argument("dirs", nargs="*", metavar="DIR", help=L(
        "content directories (default: the shipped content)", "콘텐츠 폴더 (기본: 함께 설치된 콘텐츠)"))
    c.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH", help=L(
        "also report progress stored for ids the content no longer has",
        "콘텐츠에 더는 없는 문항의 학습 기록도 알림"))
    c.add_argument("--no-verify", action="store_true", help=L(
        "skip the numeric verification", "숫자 검증을 건너뜀"))

    pr = command("practice", L("practise a topic in plain line mode (stdin/stdout)",
                               "한 주제를 줄 모드로 연습 (표준 입출력)"),
                 epilog=LINE_COMMANDS[lang], formatter_class=argparse.RawDescriptionHelpFormatter)
    pr.add_argument("topic", metavar=L("topic", "주제"), help=L("topic id (shown on the home screen) or title, Korean or English",
                                    "주제 ID(홈 화면에 표시) 또는 제목, 한국어나 영어"))
    pr.add_argument("--plain", action="store_true", help=plain)
    pr.add_argument("--seed", type=whole, help=seed)
    pr.add_argument("--count", type=whole, default=0, help=L(
        "number of questions (default, or 0: all)", "문제 수 (기본 또는 0: 전부)"))
    pr.add_argument("--json", action="store_true", help=L("JSON lines out", "JSON 줄 출력"))
    pr.add_argument("--lang", dest="sub_lang", choices=("ko", "en"), help=sub_lang)
    pr.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH", help=sub_data)

    rv = command("review", L("review what is due, in plain line mode (stdin/stdout)",
                             "복습할 때가 된 문항을 줄 모드로 복습 (표준 입출력)"),
                 epilog=LINE_COMMANDS[lang], formatter_class=argparse.RawDescriptionHelpFormatter)
    rv.add_argument("--plain", action="store_true", help=plain)
    rv.add_argument("--json", action="store_true", help=L(
        "JSON lines out (the events of practice --json)", "JSON 줄 출력 (practice --json과 같은 이벤트)"))
    rv.add_argument("--count", type=whole, default=0, help=L(
        "at most this many items (default, or 0: the whole queue)", "최대 문항 수 (기본 또는 0: 대기열 전체)"))
    rv.add_argument("--mistakes", action="store_true", help=L(
        "the items you missed recently instead of the queue", "대기열 대신 최근에 틀린 문항"))
    rv.add_argument("--days", type=whole, default=7, help=L(
        "with --mistakes: how many days back, at least 1 (default 7)", "--mistakes와 함께: 며칠 전까지, 1 이상 (기본 7)"))
    rv.add_argument("--seed", type=whole, help=seed)
    rv.add_argument("--lang", dest="sub_lang", choices=("ko", "en"), help=sub_lang)
    rv.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH", help=sub_data)

    st = command("stats", L("print study statistics", "학습 통계 출력"))
    st.add_argument("--json", action="store_true", help=L(
        "machine-readable figures (due_today, new_today, streak, topics)",
        "기계가 읽는 수치 (due_today, new_today, streak, topics)"))
    st.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH", help=sub_data)
    st.add_argument("--lang", dest="sub_lang", choices=("ko", "en"), help=sub_lang)

    ex = command("export", L("export cards (apkg/anki/csv) or progress (json)",
                             "카드(apkg/anki/csv) 또는 학습 기록(json) 내보내기"))
    ex.add_argument("--format", required=True, choices=("apkg", "anki", "csv", "json"), help=L(
        "apkg: an Anki package (one deck per topic); anki: Anki TSV; csv; json: progress backup",
        "apkg: Anki 패키지(주제마다 덱 하나); anki: Anki TSV; csv; json: 학습 기록 백업"))
    ex.add_argument("path", nargs="?", metavar=L("path", "경로"), help=L(
        "output file (default: stdout; for apkg ml-tutor.apkg, '-' for stdout)",
        "출력 파일 (기본: 표준 출력; apkg는 ml-tutor.apkg, '-'는 표준 출력)"))
    ex.add_argument("--topics", metavar="ID,ID", help=L(
        "only these topics (apkg/anki/csv; default: all)", "이 주제만 (apkg/anki/csv; 기본: 전부)"))
    ex.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH", help=sub_data)
    ex.add_argument("--lang", dest="sub_lang", choices=("ko", "en", "both"), help=L(
        "card language; both: Korean then English on each side", "카드 언어; both: 각 면에 한국어 다음 영어"))

    im = command("import", L("restore or merge a JSON progress backup (every field checked first)",
                             "JSON 학습 기록 백업을 복원하거나 합치기 (모든 필드를 먼저 검사)"))
    im.add_argument("path", metavar=L("path", "경로"), help=L("the backup (tutor export --format json)",
                                                              "백업 파일 (tutor export --format json)"))
    im.add_argument("--dry-run", action="store_true", help=L(
        "show what would change; write nothing", "무엇이 바뀔지 보여 주기만 하고 쓰지 않음"))
    im.add_argument("--prefer-backup", action="store_true", help=L(
        "on a conflicting setting or review, take the backup's value (default: keep this one)",
        "설정이나 복습 기록이 충돌하면 백업의 값을 씀 (기본: 지금 값을 유지)"))
    im.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH", help=sub_data)

    pl = command("plan", L("exam-day readiness: predicted recall per topic, a day-by-day plan, a mock exam",
                           "시험일 준비도: 주제별 예상 기억률, 날짜별 계획, 모의시험"))
    pl.add_argument("--exam", metavar="YYYY-MM-DD", help=L(
        "the exam date (saved; default: the saved one)", "시험 날짜 (저장됨; 기본: 저장된 날짜)"))
    pl.add_argument("--topics", metavar="ID,ID", help=L(
        "the exam's topics (saved; default with --exam: all)", "시험 주제 (저장됨; --exam과 함께 기본: 전부)"))
    pl.add_argument("--json", action="store_true", help=L(
        "machine-readable: exam_date, topics, days, readiness", "기계가 읽는 출력: exam_date, topics, days, readiness"))
    pl.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH", help=sub_data)
    pl.add_argument("--lang", dest="sub_lang", choices=("ko", "en"), help=sub_lang)

    xm = command("exam", L("open the app on a new timed exam", "새 시간제 시험으로 앱 열기"))
    xm.add_argument("--topics", required=True, metavar="ID,ID", help=L(
        "topic ids, comma-separated (e.g. em,kmeans)", "주제 ID, 쉼표로 구분 (예: em,kmeans)"))
    xm.add_argument("--count", type=whole, default=10, help=L(
        "number of questions (default 10)", "문제 수 (기본 10)"))
    xm.add_argument("--minutes", type=number, default=20.0, help=L(
        "time allowed, in minutes (default 20)", "제한 시간(분) (기본 20)"))
    xm.add_argument("--seed", type=whole, help=L(
        "seed for the choice of questions and their variants", "문제 선택과 변형 문제의 시드"))
    xm.add_argument("--lang", dest="sub_lang", choices=("ko", "en"), help=sub_lang)
    xm.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH", help=sub_data)

    op = command("optimize", L("fit the FSRS parameters to your own review log (needs the torch extra)",
                               "FSRS 매개변수를 내 복습 기록에 맞춤 (torch 추가 설치 필요)"))
    op.add_argument("--json", action="store_true", help=L("the figures as JSON", "수치를 JSON으로"))
    op.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH", help=sub_data)

    sv = command("serve", L("serve the tutor in a web browser (textual-serve)",
                            "웹 브라우저에서 튜터 열기 (textual-serve)"))
    sv.add_argument("--host", default="127.0.0.1", help=L(
        "address to listen on (default 127.0.0.1: this computer only)", "받을 주소 (기본 127.0.0.1: 이 컴퓨터만)"))
    sv.add_argument("--port", type=whole, default=8000, help=L("port (default 8000)", "포트 (기본 8000)"))
    sv.add_argument("--lang", dest="sub_lang", choices=("ko", "en"), help=sub_lang)
    sv.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH", help=sub_data)

    sh = command("sheet", L("print a topic's formula sheet (every formula of its cards) as Markdown",
                            "주제의 공식 정리(카드의 모든 공식)를 Markdown으로 출력"))
    sh.add_argument("topic", metavar=L("TOPIC", "주제"), nargs="?", help=L("topic id, e.g. lstm", "주제 ID, 예: lstm"))
    sh.add_argument("--all", action="store_true", help=L(
        "every topic's sheet, in course order", "모든 주제의 공식 정리, 과정 순서대로"))
    sh.add_argument("--lang", dest="sub_lang", choices=("ko", "en"), help=sub_lang)
    sh.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH", help=sub_data)

    dr = command("doctor", L("check the progress database; --repair fixes what can be fixed",
                             "학습 기록 데이터베이스 검사; --repair는 고칠 수 있는 것을 고침"))
    dr.add_argument("--repair", action="store_true", help=L(
        "salvage, rebuild and quarantine (see docs/RELIABILITY.md)",
        "살리고, 다시 만들고, 격리 (docs/RELIABILITY.md 참고)"))
    dr.add_argument("--json", action="store_true", help=L("the report as JSON", "보고서를 JSON으로"))
    dr.add_argument("--data-dir", dest="sub_data_dir", metavar="PATH", help=sub_data)
    return p
