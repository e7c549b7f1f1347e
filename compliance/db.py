"""Opening the database: URL resolution, SQLite WAL + write locking, Alembic upgrades, session scopes."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from compliance.errors import DatabaseError

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATIONS = Path(__file__).with_name("migrations")


def resolve_url(db: str | None) -> str:
    """--db, then $PROVENANCE_DB, then ./provenance.db (the `db` setting); a bare path means a SQLite file."""
    from compliance.settings import value as setting

    value = db or str(setting("db"))
    if "://" not in value:
        value = f"sqlite:///{value}"
    return value


def _check_sqlite_path(url: URL) -> None:
    path = url.database
    if not path or path == ":memory:":
        return
    folder = Path(path).expanduser().resolve().parent
    if not folder.is_dir():
        raise DatabaseError(
            f"cannot create the database {path}: folder {folder} does not exist.",
            "create the folder first or pass --db with a path in an existing folder.",
        )


def _install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL so readers never block the writer; BEGIN IMMEDIATE + busy_timeout so a second writer waits, not fails."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(db: str | None = None, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for --db/PROVENANCE_DB; raises DatabaseError with a hint on a bad URL or missing folder.

    `busy_timeout_ms` is how long a SQLite writer waits for another's lock before the write fails.
    """
    raw = resolve_url(db)
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseError(f"'{raw}' is not a database URL.", "pass --db sqlite:///PATH or postgresql+psycopg://...") from exc
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    try:
        if url.get_backend_name() == "sqlite":
            _check_sqlite_path(url)
            engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})
            _install_sqlite_pragmas(engine, busy_timeout_ms)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise DatabaseError(f"cannot use database '{raw}': {exc}", "check the --db URL and its driver.") from exc
    return engine


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    from alembic import command

    try:
        command.upgrade(_alembic_config(engine), "head")
    except DBAPIError as exc:  # server down, wrong credentials, a file that is not a database...
        reason = " ".join(str(exc.orig).split())
        raise DatabaseError(
            f"cannot open or migrate the database {engine.url.render_as_string(hide_password=True)}: {reason}.",
            "check that the server is running and the URL, user and permissions are right (for SQLite: that "
            "the file is a provenance database).",
        ) from exc


def open_db(db: str | None = None) -> Engine:
    """Engine with the schema at head: what every command uses."""
    engine = make_engine(db)
    upgrade(engine)
    return engine


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def insert_ignore(session: Session, model: Any, rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> None:
    """INSERT ... ON CONFLICT (keys) DO NOTHING, on SQLite and PostgreSQL alike.

    One compiled statement run for every row (executemany): a VALUES list per call compiles anew for each row
    count, which cost a crawl more than the inserts themselves (benchmarks/crawl.py). Rows share their keys.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(model).on_conflict_do_nothing(index_elements=list(keys))
    elif dialect == "sqlite":
        stmt = sqlite.insert(model).on_conflict_do_nothing(index_elements=list(keys))
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise DatabaseError(f"database backend '{dialect}' is not supported.", "use SQLite or PostgreSQL.")
    session.flush()  # what the session holds goes first, as session.execute's autoflush did
    session.connection().execute(stmt, list(rows))
