"""Back up and restore the whole database, on SQLite or PostgreSQL.

SQLite copies go through SQLite's online backup API, so a copy taken while the
app is running is still consistent. PostgreSQL goes through `pg_dump` and
`pg_restore` in their custom format. The `backup` and `restore` management
commands are thin wrappers around `backup()` and `restore()`.

The private files (clients' clearance letters, settings.PRIVATE_FILES_DIR) go
into a tar archive beside the database's file, named after it
(`clinic-<time>-private-files.tar.gz`), and come back with it on restore. When
the letters are in an S3 bucket instead, the bucket's own versioning and
replication back them up (README, "Medical clearance").
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
SUFFIXES = {SQLITE: ".sqlite3", POSTGRESQL: ".dump"}
# The first bytes of each kind of backup file.
SIGNATURES = {SQLITE: b"SQLite format 3\x00", POSTGRESQL: b"PGDMP"}
ENGINE_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead. The message is one line, safe to show."""


def database_name(using: str = "default") -> str:
    return str(connections[using].settings_dict["NAME"])


def backup(output_dir: Path, using: str = "default") -> Path:
    """Write a backup of the database into output_dir and return its path."""
    connection = connections[using]
    engine = _engine(connection)
    _make_directory(output_dir)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = output_dir / f"clinic-{stamp}{SUFFIXES[engine]}"
    _create_private_file(path)
    try:
        if engine == SQLITE:
            backup_sqlite(connection, path)
        else:
            backup_postgresql(connection.settings_dict, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    try:
        backup_private_files(path)
    except BaseException:
        path.unlink(missing_ok=True)
        private_files_archive(path).unlink(missing_ok=True)
        raise
    return path


PRIVATE_FILES_SUFFIX = "-private-files.tar.gz"


def private_files_archive(database_backup: Path) -> Path:
    """The archive of private files that goes with a database backup."""
    stem = database_backup.name.removesuffix(database_backup.suffix)
    return database_backup.with_name(stem + PRIVATE_FILES_SUFFIX)


def backup_private_files(database_backup: Path) -> Path | None:
    """Archive settings.PRIVATE_FILES_DIR beside the database backup (None if it is empty)."""
    source = Path(settings.PRIVATE_FILES_DIR)
    if not source.is_dir() or not any(source.iterdir()):
        return None
    archive = private_files_archive(database_backup)
    _create_private_file(archive)
    with tarfile.open(archive, "w:gz") as tar:
        for child in sorted(source.iterdir()):
            tar.add(child, arcname=child.name)
    return archive


def restore_private_files(database_backup: Path) -> bool:
    """Put back the private files archived with this backup; False if there were none.

    The current folder is replaced only once the archive has been unpacked in full.
    """
    archive = private_files_archive(database_backup)
    if not archive.is_file():
        return False
    target = Path(settings.PRIVATE_FILES_DIR)
    target.parent.mkdir(parents=True, exist_ok=True)
    unpacked = target.with_name(f".{target.name}-restoring")
    shutil.rmtree(unpacked, ignore_errors=True)
    unpacked.mkdir(mode=0o700)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(unpacked, filter="data")
    previous = target.with_name(f".{target.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    unpacked.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    return True


def check_restorable(path: Path, using: str = "default") -> None:
    """Raise BackupError unless path is a backup this database can be restored from."""
    engine = _engine(connections[using])
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    kind = _kind_of_file(path)
    if kind is None:
        raise BackupError(
            f"{path} is not a clinic backup (neither an SQLite database nor a pg_dump "
            "custom-format file)."
        )
    if kind != engine:
        raise BackupError(
            f"{path} is a {ENGINE_NAMES[kind]} backup, but the app is configured for "
            f"{ENGINE_NAMES[engine]}; restore it into a {ENGINE_NAMES[kind]} database."
        )


def database_exists(using: str = "default") -> bool:
    """Whether the configured database is there to restore into (SQLite makes its file)."""
    connection = connections[using]
    if _engine(connection) == SQLITE:
        return True
    try:
        rows = _maintenance(
            connection, "SELECT 1 FROM pg_database WHERE datname = %s", [database_name(using)]
        )
    except DatabaseError as error:
        raise BackupError(f"Cannot reach PostgreSQL: {_first_line(error)}") from None
    return bool(rows)


def restore(path: Path, using: str = "default") -> None:
    """Replace every record in the database with the backup at path.

    On PostgreSQL a database that was dropped is created first, empty, then filled.
    """
    check_restorable(path, using)
    # Nothing of ours may hold the database open or keep stale state across the swap.
    connections.close_all()
    connection = connections[using]
    if _engine(connection) == SQLITE:
        restore_sqlite(path, connection)
    else:
        if not database_exists(using):
            create_postgresql_database(connection)
        restore_postgresql(path, connection.settings_dict)
    restore_private_files(path)


def create_postgresql_database(connection: BaseDatabaseWrapper) -> None:
    name = connection.settings_dict["NAME"]
    try:
        _maintenance(connection, f"CREATE DATABASE {connection.ops.quote_name(name)}")
    except DatabaseError as error:
        raise BackupError(
            f"The database {name} does not exist and could not be created "
            f"({_first_line(error)}); create it with `createdb {name}`, then restore again."
        ) from None


def backup_sqlite(connection: BaseDatabaseWrapper, path: Path) -> None:
    # Copying from Django's own connection works for a database file and for the
    # in-memory database the tests use, which no other connection can reach.
    if not connection.is_in_memory_db() and not Path(connection.settings_dict["NAME"]).exists():
        raise BackupError(
            f"No SQLite database at {connection.settings_dict['NAME']}; "
            "run `python manage.py migrate` first."
        )
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def restore_sqlite(path: Path, connection: BaseDatabaseWrapper) -> None:
    connection.ensure_connection()
    # Read-only, so restoring can never change the backup itself.
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def backup_postgresql(database: dict[str, Any], path: Path) -> None:
    _run_postgresql_tool(
        "pg_dump", ["--format=custom", f"--file={path}", database["NAME"]], database
    )


def restore_postgresql(path: Path, database: dict[str, Any]) -> None:
    _run_postgresql_tool(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(path),
        ],
        database,
    )


def _run_postgresql_tool(program: str, arguments: list[str], database: dict[str, Any]) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} was not found; install the PostgreSQL client tools "
            "(the same major version as the server, or newer)."
        )
    connection_arguments = []
    if database.get("HOST"):
        connection_arguments.append(f"--host={database['HOST']}")
    if database.get("PORT"):
        connection_arguments.append(f"--port={database['PORT']}")
    if database.get("USER"):
        connection_arguments.append(f"--username={database['USER']}")
    # The password goes in the environment: a command line is visible to every user.
    environment = dict(os.environ)
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    if sslmode := database.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = sslmode
    result = subprocess.run(
        [executable, "--no-password", *connection_arguments, *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {_first_error(result.stderr)}")


def _first_error(stderr: str) -> str:
    for line in stderr.splitlines():
        if "error:" in line:
            # PostgreSQL's own ERROR text can quote values from the rows, which may be
            # client data; connection problems (FATAL) and the failing step stay visible.
            return line.split("ERROR:")[0].rstrip(": ").strip()
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def _maintenance(connection: BaseDatabaseWrapper, sql: str, params=None) -> list:
    """Run sql on PostgreSQL's maintenance database, as Django does to create test databases."""
    with connection._nodb_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _make_directory(output_dir: Path) -> None:
    if output_dir.exists() and not output_dir.is_dir():
        raise BackupError(f"{output_dir} is not a directory; give --output-dir a directory.")
    try:
        output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Cannot create the directory {output_dir}: {error.strerror}.") from None


def _engine(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in SUFFIXES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _kind_of_file(path: Path) -> str | None:
    with path.open("rb") as file:
        start = file.read(16)
    for kind, signature in SIGNATURES.items():
        if start.startswith(signature):
            return kind
    return None


def _create_private_file(path: Path) -> None:
    # Created empty with mode 0600 before anything is written, so health data is
    # never readable by others, not even for a moment.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{path} already exists; try again in a second.") from None
    os.close(descriptor)
