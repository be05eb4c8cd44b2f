"""psycopg's errors as the sqlite3 errors callers already catch, so no caller changes.

Callers and repositories catch `sqlite3.Error` (and its subclasses) from the store; a
PostgreSQL error is raised as the nearest sqlite3 class, with the psycopg error as its cause.
Constraint failures start with SQLite's own words (`FOREIGN KEY constraint failed: ...`).
"""

import sqlite3

import psycopg

_CONSTRAINTS = {
    "23502": "NOT NULL constraint failed",
    "23503": "FOREIGN KEY constraint failed",
    "23505": "UNIQUE constraint failed",
    "23514": "CHECK constraint failed",
}
# Another transaction got there first: run the whole batch again on a fresh snapshot.
_RETRYABLE = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected


def as_sqlite(error: psycopg.Error) -> sqlite3.Error:
    """The sqlite3 error a caller written for SQLite expects in place of `error`."""
    text = str(error).strip()
    if isinstance(error, psycopg.IntegrityError):
        prefix = _CONSTRAINTS.get(error.sqlstate or "")
        return sqlite3.IntegrityError(f"{prefix}: {text}" if prefix else text)
    if isinstance(error, psycopg.DataError):
        return sqlite3.DataError(text)
    if isinstance(error, psycopg.OperationalError | psycopg.ProgrammingError
                  | psycopg.InternalError):  # as SQLite: misuse, syntax, a read-only write
        return sqlite3.OperationalError(text)
    return sqlite3.DatabaseError(text)


def retryable(error: BaseException) -> bool:
    """Whether `error` (raised through `as_sqlite`) was a lost race, worth running again."""
    cause = error.__cause__
    return isinstance(cause, psycopg.Error) and cause.sqlstate in _RETRYABLE
