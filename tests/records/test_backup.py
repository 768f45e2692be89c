"""Backup and restore, on whichever database the suite runs against (SQLite or PostgreSQL).

These tests use transactional_db: a backup sees only committed data, and
pg_dump and pg_restore run in other processes.
"""

import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from intake import backups
from intake.models import Client


def back_up(output_dir: Path) -> Path:
    call_command("backup", output_dir=output_dir)
    (path,) = output_dir.iterdir()
    return path


def backup_of_the_other_kind(directory: Path) -> Path:
    """A backup file made for the database engine the suite is not running on."""
    if connection.vendor == "sqlite":
        path = directory / "clinic-20260101-020000.dump"
        path.write_bytes(b"PGDMP\x01\x0f\x00" + b"\x00" * 64)
    else:
        path = directory / "clinic-20260101-020000.sqlite3"
        other = sqlite3.connect(path)
        other.execute("create table intake_client (id integer primary key)")
        other.commit()
        other.close()
    return path


def test_restore_brings_back_the_records_as_they_were(transactional_db, tmp_path):
    client = Client.objects.create(legal_name="Before Backup")
    path = back_up(tmp_path)

    client.legal_name = "After Backup"
    client.save(update_fields=["legal_name"])
    Client.objects.create(legal_name="Added After Backup")

    call_command("restore", str(path), no_input=True)

    assert list(Client.objects.values_list("legal_name", flat=True)) == ["Before Backup"]


def test_backup_is_named_by_time_readable_only_by_its_owner_and_printed(
    transactional_db, tmp_path, capsys
):
    Client.objects.create(legal_name="Private Person")

    call_command("backup", output_dir=tmp_path)

    (path,) = tmp_path.iterdir()
    suffix = ".sqlite3" if connection.vendor == "sqlite" else ".dump"
    assert path.name.startswith("clinic-") and path.name.endswith(suffix)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    output = capsys.readouterr().out
    assert output.strip() == str(path)
    assert "Private Person" not in output


def test_restore_asks_first_and_changes_nothing_without_yes(
    transactional_db, tmp_path, monkeypatch
):
    client = Client.objects.create(legal_name="Before Backup")
    path = back_up(tmp_path)
    client.legal_name = "After Backup"
    client.save(update_fields=["legal_name"])
    prompts = []

    def answer_no(prompt: str) -> str:
        prompts.append(prompt)
        return "no"

    monkeypatch.setattr("builtins.input", answer_no)

    call_command("restore", str(path))

    assert prompts == [
        f"This replaces every record in {connection.settings_dict['NAME']} with the backup. "
        "Type yes to continue: "
    ]
    assert list(Client.objects.values_list("legal_name", flat=True)) == ["After Backup"]


def test_restore_goes_ahead_after_yes(transactional_db, tmp_path, monkeypatch):
    Client.objects.create(legal_name="Before Backup")
    path = back_up(tmp_path)
    Client.objects.create(legal_name="Added After Backup")
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")

    call_command("restore", str(path))

    assert list(Client.objects.values_list("legal_name", flat=True)) == ["Before Backup"]


def test_a_failed_backup_leaves_no_file_behind(tmp_path, monkeypatch):
    def fail(*args):
        raise backups.BackupError("pg_dump failed: pg_dump: error: out of disk space")

    monkeypatch.setattr(backups, "backup_sqlite", fail)
    monkeypatch.setattr(backups, "backup_postgresql", fail)

    with pytest.raises(CommandError, match="out of disk space"):
        call_command("backup", output_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


# The refusals below run without database access: a refused file never reaches the database.


def test_restore_refuses_a_backup_for_the_other_engine(tmp_path, monkeypatch):
    path = backup_of_the_other_kind(tmp_path)
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked before refusing"))

    with pytest.raises(CommandError, match="backup, but the app is configured for"):
        call_command("restore", str(path))


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("not a database")

    with pytest.raises(CommandError, match="is not a clinic backup"):
        call_command("restore", str(path), no_input=True)


def test_restore_refuses_a_missing_file(tmp_path):
    path = tmp_path / "clinic-20260101-020000.sqlite3"

    with pytest.raises(CommandError, match="No backup file at"):
        call_command("restore", str(path), no_input=True)


# pg_dump's failures are checked on both engines: they need the pg_dump
# program and a database settings dict, not a PostgreSQL test database.

UNREACHABLE_POSTGRESQL = {
    "NAME": "clinic",
    "HOST": "127.0.0.1",
    "PORT": 1,
    "USER": "postgres",
    "PASSWORD": "correct-horse-secret",
}


def test_missing_pg_dump_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(backups.BackupError, match="pg_dump was not found"):
        backups.backup_postgresql(UNREACHABLE_POSTGRESQL, tmp_path / "clinic.dump")


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_failing_pg_dump_is_one_line_without_the_password(tmp_path):
    with pytest.raises(backups.BackupError) as raised:
        backups.backup_postgresql(UNREACHABLE_POSTGRESQL, tmp_path / "clinic.dump")

    message = str(raised.value)
    assert message.startswith("pg_dump failed: ")
    assert "\n" not in message
    assert "correct-horse-secret" not in message


def test_server_error_text_is_left_out_of_messages():
    stderr = (
        'pg_restore: error: COPY failed for table "intake_client": ERROR:  value too long '
        'for type character varying(32): "+44 7700 900123 ext 42"\n'
        "CONTEXT:  COPY intake_client, line 1\n"
    )

    assert (
        backups._first_error(stderr) == 'pg_restore: error: COPY failed for table "intake_client"'
    )


# What an operator gets wrong: a file for a directory, a wrong file, a dropped database.


def test_backup_into_a_file_is_a_one_line_error(tmp_path):
    not_a_directory = tmp_path / "backups"
    not_a_directory.write_text("a file, not a directory")

    with pytest.raises(CommandError, match="is not a directory") as raised:
        call_command("backup", output_dir=not_a_directory)
    assert "\n" not in str(raised.value)
    assert not_a_directory.read_text() == "a file, not a directory"


def test_backup_into_a_file_exits_non_zero_without_a_traceback(tmp_path):
    not_a_directory = tmp_path / "backups"
    not_a_directory.write_text("a file, not a directory")

    result = subprocess.run(
        [sys.executable, "manage.py", "backup", "--output-dir", str(not_a_directory)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "is not a directory" in result.stderr


def not_a_backup(directory: Path) -> Path:
    path = directory / "notes.sqlite3"
    path.write_text("not a database")
    return path


@pytest.mark.parametrize(
    "make_path",
    [
        lambda directory: directory / "clinic-20260101-020000.sqlite3",
        lambda directory: directory,
        not_a_backup,
        backup_of_the_other_kind,
    ],
    ids=["missing", "a directory", "not a backup", "other engine"],
)
def test_restore_checks_the_file_before_asking(tmp_path, monkeypatch, make_path):
    path = make_path(tmp_path)
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked before checking"))

    with pytest.raises(CommandError):
        call_command("restore", str(path))


def _maintenance(sql: str, params=None) -> list:
    with connection._nodb_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="creating a dropped database is PostgreSQL's case"
)
def test_restore_into_a_dropped_database_creates_it(transactional_db, tmp_path, monkeypatch):
    from django.db import connections

    Client.objects.create(legal_name="Before Backup")
    path = back_up(tmp_path)
    original = connection.settings_dict["NAME"]
    dropped = f"{original}_dropped"
    quoted = connection.ops.quote_name(dropped)
    _maintenance(f"DROP DATABASE IF EXISTS {quoted}")
    answers = []
    monkeypatch.setattr("builtins.input", lambda prompt: answers.append(prompt) or "yes")
    connections.close_all()
    connection.settings_dict["NAME"] = dropped
    try:
        call_command("restore", str(path))
        assert list(Client.objects.values_list("legal_name", flat=True)) == ["Before Backup"]
    finally:
        connections.close_all()
        connection.settings_dict["NAME"] = original
        _maintenance(f"DROP DATABASE IF EXISTS {quoted}")
    assert "does not exist yet" in answers[0]
