"""The learning memory: attempts, settings, exams, card states and the review log (stdlib sqlite3).

One file, ``<data_dir>/progress.sqlite3``, in WAL mode with a busy timeout, so the app and a CLI
command (or two app windows) can write at the same time without losing rows. Every write is its own
``BEGIN IMMEDIATE … COMMIT`` transaction, committed (``synchronous=FULL``) before the method returns:
an answer recorded before a crash or ``kill -9`` is still there afterwards.

Opening (:meth:`Store.open`):

* ``PRAGMA quick_check``; a damaged file or one that is not a database is moved aside to
  ``progress.sqlite3.corrupt-<timestamp>`` (with its ``-wal``/``-shm``), a fresh database is created
  and a user-facing line saying where the old one is goes to :attr:`Store.notices`.
  quick_check reads every page (≈2 ms per MB: 0.9 s for a 430 MB file), so the app opens with
  ``deferred_check=True``: files up to :data:`SYNC_CHECK_BYTES` are still checked at once; a larger
  one gets the cheap checks (header, schema) and :meth:`Store.check_in_background` runs the full
  check after the first screen. A problem found there is written to ``progress.sqlite3.check-failed``
  and the learner is told; the next open then checks fully before anything else.
* ``PRAGMA user_version`` migrations (:mod:`tutor.schema`): a new file gets the current schema at
  once; before each migration of an existing file, a consistent copy is written to
  ``progress.sqlite3.bak-v<N>-<timestamp>``.
* A read-only folder or file, a database locked by another program, a full disk: :class:`StoreError`
  with a one-line explanation (the CLI prints it as is; see :mod:`tutor.store_errors`).

Other modules (schedule, stats, backup) query through the public plumbing: :meth:`Store.tx` (one
write transaction), :meth:`Store.snapshot` (several consistent reads), :meth:`Store.read` and
:meth:`Store.read_one`.

Times are stored as fixed-width UTC ISO-8601 text (``2025-03-01T09:30:00.000000+00:00``), so text
order is time order and range queries use the indexes (helpers in :mod:`tutor.clock`, where
``TUTOR_NOW`` can fix "now"). Day boundaries (streaks, new items per day, reviews per day) are local
calendar days. A naive ``datetime`` passed as ``now`` is local time.

Progress for item ids that disappeared from the content is kept, never deleted
(:meth:`Store.item_ids` lets ``check-content`` report them).

No textual here: the app, the CLI and the line mode all use this module.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tutor import clock
from tutor.clock import iso, stamp, utc
from tutor.config import DB_NAME
from tutor.schema import MIGRATIONS, SCHEMA_VERSION, create_schema
from tutor.store_errors import Notice, StoreError, classify, in_lang, one_line_message, store_error
from tutor.store_exams import ExamRows
from tutor.store_rows import ProgressRows

CHECK_FAILED = DB_NAME + ".check-failed"   # written by a background check that found damage
SYNC_CHECK_BYTES = 2 * 2**20               # deferred_check still checks files up to this size at once
DEFAULT_BUSY_TIMEOUT = 10.0  # seconds; another process writing waits up to this long


class DiskFull(StoreError):
    """A write failed because the disk (or the database's size limit) is full. Nothing of that
    transaction was written; the caller may keep it and try again (:meth:`Store.defer`)."""


def _error(e: sqlite3.Error, path: Path) -> StoreError:
    err = store_error(e, path)
    return DiskFull(str(err)) if classify(e) == "full" else err


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    """Open a connection (module-level so tests can substitute e.g. a ``mode=ro`` URI)."""
    return sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)


def card_id_for(item_id: str, salt: int = 0) -> int:
    """Stable positive 63-bit card id from the item id (first 8 bytes of sha256)."""
    key = item_id if salt == 0 else f"{item_id}#{salt}"
    import hashlib  # not on the app's start path (it loads OpenSSL)

    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") & 0x7FFF_FFFF_FFFF_FFFF


# --------------------------------------------------------------------------- the store



class Store(ProgressRows, ExamRows):
    """Progress database. Thread-safe (one connection behind a lock); open with :meth:`open`."""

    notices: list[str]
    path: Path

    def __init__(self, conn: sqlite3.Connection, path: Path, notices: list[str] | None = None):
        self._conn: sqlite3.Connection | None = conn
        self.path = Path(path)
        self.notices = list(notices or [])
        self.deferred_check = False   # opened without the full quick_check: run check_in_background
        self._lock = threading.RLock()
        self._tx_depth = 0
        self.read_only = False        # opened by open_for_reading on a folder where writing fails
        self.pending: list = []       # writes that failed on a full disk, replayed first by the next tx()
        self._replaying = False

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, data_dir: Path | str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
             deferred_check: bool = False) -> Store:
        try:
            clock.now()   # a TUTOR_NOW that is not a time: one line here, not a traceback at the first write
        except clock.ClockError as e:
            raise StoreError(str(e)) from None
        data_dir = Path(data_dir).expanduser()
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise StoreError(f"cannot use {data_dir} as the data folder: it is a file") from None
        except OSError as e:
            raise StoreError(f"cannot create the data folder {data_dir}: {e.strerror or e} "
                             "(choose another place with --data-dir or TUTOR_DATA_DIR)") from None
        path = data_dir / DB_NAME
        try:
            if not data_dir.is_dir():
                raise StoreError(f"cannot use {data_dir} as the data folder: it is not a folder")
            if path.exists() and not path.is_file():
                raise StoreError(f"cannot use {path}: it is not a file")
        except OSError as e:
            raise StoreError(f"cannot use the data folder {data_dir}: {e.strerror or e} "
                             "(choose another place with --data-dir or TUTOR_DATA_DIR)") from None
        notices: list[str] = []
        full = True
        if deferred_check:
            try:
                wal = path.with_name(DB_NAME + "-wal")
                size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
                full = size <= SYNC_CHECK_BYTES or (data_dir / CHECK_FAILED).exists()
            except OSError:  # no file yet
                full = True
        conn = cls._open_checked(path, busy_timeout, notices, full=full)
        if full:
            try:
                (data_dir / CHECK_FAILED).unlink(missing_ok=True)   # checked now (and set aside if damaged)
            except OSError:
                pass
        store = cls(conn, path, notices)
        store.deferred_check = not full
        try:
            store._setup(busy_timeout)
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_for_reading(cls, data_dir: Path | str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Store:
        """Open for a reading command (stats, export): as :meth:`open`, but when writing is
        impossible there (a read-only folder or file, a full disk) the database is opened
        read-only instead, and a missing one reads as empty. Writes then raise :class:`StoreError`."""
        try:
            return cls.open(data_dir, busy_timeout=busy_timeout)
        except StoreError as first:
            folder = Path(data_dir).expanduser()
            try:
                clock.now()
                usable = folder.is_dir()
            except (clock.ClockError, OSError):
                usable = False
            if not usable or "locked by another program" in str(first):
                raise           # a bad TUTOR_NOW, no such folder, a file, a lock: the error as it is
            store = cls._open_readonly(folder / DB_NAME, busy_timeout)
            if store is None:
                raise first from None
            return store

    @classmethod
    def _open_readonly(cls, path: Path, timeout: float) -> Store | None:
        if not path.exists():      # nothing saved yet: an empty progress, in memory
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            create_schema(conn)
            store = cls(conn, path)
            store.read_only = True
            return store
        try:
            uri = path.resolve().as_uri()
        except OSError:
            return None
        # mode=ro still needs the -shm file of a WAL database; immutable=1 reads a folder where
        # even that cannot be created (nobody can be writing there)
        for query in ("mode=ro", "immutable=1"):
            conn = None
            try:
                conn = sqlite3.connect(f"{uri}?{query}", uri=True, timeout=timeout, isolation_level=None,
                                       check_same_thread=False)
                if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                    conn.close()
                    return None    # an older file needs a migration, which needs writing
                conn.execute("SELECT count(*) FROM attempts").fetchone()
            except sqlite3.Error:
                if conn is not None:
                    conn.close()
                continue
            store = cls(conn, path, [f"Reading {path} read-only: nothing can be saved there now. / "
                                     "읽기 전용으로 엽니다. 지금은 저장할 수 없습니다."])
            store.read_only = True
            return store
        return None

    @classmethod
    def _open_checked(cls, path: Path, timeout: float, notices: list[str], *, full: bool = True) -> sqlite3.Connection:
        """Connect and run ``quick_check`` (``full``; else only the header and schema are read);
        move a damaged file aside and start fresh."""
        problem = None
        conn = None
        try:
            conn = _connect(path, timeout)
            rows = conn.execute("PRAGMA quick_check").fetchall() if full else [("ok",)]
            if rows != [("ok",)]:
                problem = "damaged (" + "; ".join(str(r[0]) for r in rows[:2]) + ")"
            else:
                user_version = conn.execute("PRAGMA user_version").fetchone()[0]
                n_tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
                if user_version == 0 and n_tables > 0:
                    problem = "not a tutor progress database"
        except sqlite3.Error as e:
            kind = classify(e)
            if conn is not None:
                conn.close()
                conn = None
            if kind != "corrupt":
                raise StoreError(one_line_message(kind, path, e)) from None
            problem = "damaged" if "malformed" in str(e) else "not a database"
        if problem is None:
            return conn
        if conn is not None:
            conn.close()
        from tutor import doctor

        kept: dict[str, int] = {}
        try:
            if problem.startswith("damaged"):
                # salvage what is readable into a fresh file first (tutor.doctor), then set aside
                aside, kept, _how = doctor.salvage_and_replace(path)
            else:
                aside = doctor.set_aside(path)
        except (OSError, sqlite3.Error) as e:
            raise StoreError(f"the progress database {path} is {problem} and cannot be moved aside: "
                             f"{getattr(e, 'strerror', None) or e}") from None
        if kept.get("attempts") or kept.get("review_log"):
            tables = [(t, n) for t, n in kept.items() if n and t in ("attempts", "review_log", "cards")]
            what = ", ".join(f"{n} {t}" for t, n in tables)
            from tutor.i18n import tr  # the tables as the import report names them

            what_ko = ", ".join(f"{tr(f'cli.import.t.{t}', 'ko')} {n}개" for t, n in tables)
            notices.append(Notice(
                f"Your progress file {path} was {problem}; what could be read ({what}) was saved "
                f"into a fresh file, and the damaged one was moved to {aside}.",
                f"진도 파일이 손상되어 읽을 수 있는 기록({what_ko})을 새 파일로 옮겼습니다. 손상된 파일은 "
                f"다음 위치에 보관했습니다: {aside}"))
        else:
            notices.append(Notice(
                f"Your progress file {path} was {problem}; it was moved to {aside} and a fresh one was started.",
                f"진도 파일이 손상되어 새 파일로 다시 시작했습니다. 손상된 파일은 다음 위치에 보관했습니다: {aside}"))
        try:
            return _connect(path, timeout)
        except sqlite3.Error as e:
            raise store_error(e, path) from None

    def doctor_in_background(self, on_problem) -> threading.Thread:
        """Run ``tutor doctor``'s checks (read-only, no repair) in a thread after the first screen;
        ``on_problem(message)`` when something is found (the message names ``tutor doctor --repair``)."""
        def run() -> None:
            from tutor import doctor

            try:
                report = doctor.run(self.path.parent, repair=False)
            except (sqlite3.Error, OSError):
                return
            if report.problems:
                more = f" (+{len(report.problems) - 1})" if len(report.problems) > 1 else ""
                first = report.problems[0]    # a Notice: each language its own words
                on_problem(Notice(f"tutor doctor: {in_lang(first, 'en')}{more} — run `tutor doctor --repair`.",
                                  f"진도 파일에 문제가 있습니다({in_lang(first, 'ko')}{more}). "
                                  "`tutor doctor --repair`를 실행하세요."))

        t = threading.Thread(target=run, name="store-doctor", daemon=True)
        t.start()
        return t

    def check_in_background(self, on_problem) -> threading.Thread:
        """Run ``PRAGMA quick_check`` on a read-only connection in a thread (sqlite releases the GIL).

        On damage: write :data:`CHECK_FAILED` (the next :meth:`open` checks fully and sets the file
        aside) and call ``on_problem(message)`` from the thread."""
        def run() -> None:
            try:
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=DEFAULT_BUSY_TIMEOUT)
                try:
                    rows = conn.execute("PRAGMA quick_check").fetchall()
                finally:
                    conn.close()
                if rows == [("ok",)]:
                    return
                detail = "; ".join(str(r[0]) for r in rows[:2])
            except sqlite3.Error as e:
                if classify(e) != "corrupt":
                    return   # locked, unreadable …: not damage; the next full check decides
                detail = str(e)
            try:
                (self.path.parent / CHECK_FAILED).write_text(detail + "\n", encoding="utf-8")
            except OSError:
                pass
            on_problem(Notice(f"Your progress file {self.path} is damaged ({detail[:120]}). It will be moved aside "
                              "and a fresh one started the next time the tutor opens.",
                              f"진도 파일이 손상되었습니다({detail[:120]}). 다음에 튜터를 열 때 읽을 수 있는 "
                              "기록을 새 파일로 옮기고, 손상된 파일은 따로 보관합니다."))

        t = threading.Thread(target=run, name="store-check", daemon=True)
        t.start()
        return t

    def _setup(self, busy_timeout: float) -> None:
        conn = self.conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {max(0, int(busy_timeout * 1000))}")
            # switching to WAL needs a moment of exclusive access and SQLite does not run the busy
            # handler for it: when another tutor is opening the same file right now, wait and retry
            deadline = time.monotonic() + busy_timeout
            while True:
                try:
                    conn.execute("PRAGMA journal_mode = WAL")
                    break
                except sqlite3.OperationalError as e:
                    if "locked" not in str(e) and "busy" not in str(e) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.02)
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as e:
            raise store_error(e, self.path) from None
        self._migrate()
        self._repair_derived()
        # a write at every open: a read-only file/folder, a lock that never goes away or a full
        # disk shows up now, as one line, not later in the middle of a lesson
        try:
            with self.tx() as c:
                c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('last_open', ?)", (iso(utc()),))
        except DiskFull:
            # a full disk is a passing state: the learner can still study, answers are kept in
            # memory and written when space returns (learner.record_answer, Store.defer)
            self.notices.append(Notice("The disk is full: answers are kept in memory until there is space again.",
                                       "디스크가 가득 찼습니다. 공간이 생길 때까지 답을 메모리에 보관합니다."))

    def _repair_derived(self) -> None:
        """A derived table that is gone (item_progress, cards) is recreated and rebuilt from the
        attempts and the review log (tutor.doctor), so statistics and practice never fail on it."""
        have = {r[0] for r in self.read("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if {"item_progress", "cards"} <= have:
            return
        from tutor import doctor

        report = doctor.Report(str(self.path))
        with self._lock:
            try:
                doctor.check_connection(self.conn, report, repair=True)
            except sqlite3.Error as e:
                raise _error(e, self.path) from None
        if report.repaired:
            self.notices.append(Notice("Progress file repaired: " + "; ".join(in_lang(r, "en") for r in report.repaired),
                                       "진도 파일을 고쳤습니다(요약 표를 기록에서 다시 만들었습니다)."))

    def schema_version(self) -> int:
        return self.read_one("PRAGMA user_version")[0]

    def _migrate(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise StoreError(f"the progress database {self.path} was written by a newer tutor "
                             f"(schema v{version}, this tutor knows v{SCHEMA_VERSION}); please upgrade tutor")
        if version == 0:  # a new file: the v1 script and every migration, in one transaction, no backup
            with self.tx() as c:
                if c.execute("PRAGMA user_version").fetchone()[0] == 0:  # another process may have done it
                    create_schema(c)
            version = self.schema_version()
        backed_up = False
        while version < SCHEMA_VERSION:
            if not backed_up:   # one copy of the file as it was, however many steps follow
                self._backup_before_migration(version)
                backed_up = True
            with self.tx() as c:
                if c.execute("PRAGMA user_version").fetchone()[0] == version:
                    MIGRATIONS[version](c)
                    c.execute(f"PRAGMA user_version = {version + 1}")
            version = self.schema_version()

    def _backup_before_migration(self, version: int) -> Path:
        dest = self.path.with_name(f"{self.path.name}.bak-v{version}-{stamp()}")
        n = 1
        while dest.exists():
            n += 1
            dest = self.path.with_name(f"{self.path.name}.bak-v{version}-{stamp()}-{n}")
        try:
            target = sqlite3.connect(str(dest))
            try:
                with self._lock:
                    self._conn.backup(target)
            finally:
                target.close()
        except sqlite3.Error as e:
            raise StoreError(f"cannot back up {self.path} before upgrading it: {one_line_message(classify(e), dest, e)}") \
                from None
        return dest

    # ------------------------------------------------------------------ plumbing
    def close(self) -> None:
        """Write what is still pending (if there is space now), fold the WAL back into the file
        and truncate it (``wal_checkpoint(TRUNCATE)``), and close."""
        with self._lock:
            if self._conn is not None:
                if self.pending:
                    self.replay_pending()
                if not self.read_only:
                    for pragma in ("PRAGMA optimize", "PRAGMA wal_checkpoint(TRUNCATE)"):
                        try:
                            self._conn.execute(pragma).fetchall()
                        except sqlite3.Error:
                            pass
                self._conn.close()
                self._conn = None

    def defer(self, write) -> None:
        """Keep ``write`` (a callable that makes its own :meth:`tx`) to try again: the next
        :meth:`tx` (any write) and :meth:`close` replay the kept writes first, in order."""
        with self._lock:
            self.pending.append(write)

    def replay_pending(self) -> int:
        """Run the kept writes in order until one fails on a full disk; returns how many remain."""
        with self._lock:
            if self._replaying or self._tx_depth:
                return len(self.pending)
            self._replaying = True
            try:
                while self.pending:
                    try:
                        self.pending[0]()
                    except DiskFull:
                        break
                    self.pending.pop(0)
            finally:
                self._replaying = False
            return len(self.pending)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the progress database {self.path} is closed")
        return self._conn

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``): committed on exit, rolled back on error;
        sqlite errors become :class:`StoreError`. Yields the connection (the store's lock held).

        Nested calls (on the same thread, the lock is re-entrant) join the outer transaction: the
        learner model writes an answer's attempt, review, exam row and mistake through the store's
        and the scheduler's methods, and all of it commits or rolls back together."""
        with self._lock:
            conn = self.conn
            if self._tx_depth:    # inside another tx() of this thread: part of that one transaction
                self._tx_depth += 1
                try:
                    yield conn
                finally:
                    self._tx_depth -= 1
                return
            if self.read_only:
                raise StoreError(f"cannot save progress: {self.path} was opened read-only")
            if self.pending and not self._replaying:
                self.replay_pending()   # earlier answers first, so that they keep their order
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise _error(e, self.path) from None
            self._tx_depth = 1
            try:
                try:
                    yield conn
                finally:
                    self._tx_depth = 0
                conn.execute("COMMIT")
            except BaseException as e:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                if isinstance(e, sqlite3.Error):
                    raise _error(e, self.path) from None
                raise

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Several reads that see one consistent state (yields the connection, the lock held);
        inside :meth:`tx` the write transaction already is that state."""
        with self._lock:
            conn = self.conn
            if self._tx_depth:
                yield conn
                return
            try:
                conn.execute("BEGIN")
                try:
                    yield conn
                finally:
                    if conn.in_transaction:
                        conn.execute("COMMIT")
            except sqlite3.Error as e:
                raise store_error(e, self.path) from None

    def read(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        """All rows of one query (a sqlite error becomes :class:`StoreError`)."""
        with self._lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise store_error(e, self.path) from None

    def read_one(self, sql: str, params: tuple | list = ()) -> tuple | None:
        """The first row of one query, or None."""
        rows = self.read(sql, params)
        return rows[0] if rows else None

__all__ = ["Store", "StoreError", "DiskFull", "DB_NAME", "SCHEMA_VERSION", "card_id_for"]
