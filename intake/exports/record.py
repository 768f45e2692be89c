"""A client's whole record as JSON, and many clients' records as CSV tables in a ZIP.

Both read the same prefetched objects, so the number of queries does not grow
with the number of intakes or plans, and the ZIP reads its clients in batches.
"""

import csv
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from contextlib import ExitStack
from datetime import date, datetime
from typing import BinaryIO

from django.db.models import Prefetch, QuerySet

from clearances.records import clearance_record, letter_bytes, letter_path_in_export, letter_record
from intake.exports.batches import in_batches
from intake.labels import label_for
from intake.models import (
    Addendum,
    Client,
    Finding,
    Intake,
    Invitation,
    Resuggestion,
    TreatmentPlan,
)
from intake.rules import codes

# A fixed time for every file in the ZIP, so the same records give the same bytes.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
# Cells a spreadsheet would run as a formula when the CSV is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Clients read and prefetched at a time by the ZIP export.
BATCH_SIZE = 50


def with_records(clients: QuerySet) -> QuerySet:
    """The clients with everything their record shows, in a fixed number of queries."""
    return clients.select_related("user", "assigned_therapist").prefetch_related(
        Prefetch("intakes", queryset=Intake.objects.order_by("started_at", "pk")),
        "intakes__pain_locations",
        "intakes__clearance_letters",
        "intakes__clearances",
        Prefetch("intakes__addenda", queryset=Addendum.objects.order_by("created_at", "pk")),
        Prefetch(
            "intakes__resuggestions",
            queryset=Resuggestion.objects.select_related("created_by").order_by("created_at", "pk"),
        ),
        Prefetch(
            "intakes__plans",
            queryset=TreatmentPlan.objects.select_related("created_by", "approved_by").order_by(
                "version", "pk"
            ),
        ),
        "intakes__plans__muscles",
        Prefetch(
            "intakes__plans__muscles__findings",
            queryset=Finding.objects.select_related("recorded_by").order_by("recorded_at", "pk"),
        ),
        Prefetch(
            "invitations",
            queryset=Invitation.objects.select_related("created_by").order_by("created_at", "pk"),
        ),
    )


def client_record(client: Client) -> dict:
    """Everything the clinic holds about one client, ready for ``json.dumps``.

    Coded answers come as ``{"code": ..., "label": ...}``; dates and times in
    ISO 8601; lists in the order things happened (plans by version). Token
    digests of invitations are left out: they are secrets, not records.
    """
    (prefetched,) = with_records(Client.objects.filter(pk=client.pk))
    return _client_record(prefetched)


def client_record_json(client: Client) -> bytes:
    return _to_json(client_record(client))


def clients_csv_zip(clients: Iterable[Client]) -> bytes:
    """The ZIP of ``write_clients_csv_zip`` as bytes, for a few clients."""
    buffer = io.BytesIO()
    write_clients_csv_zip(clients, buffer)
    return buffer.getvalue()


def write_clients_csv_zip(clients: Iterable[Client], out: BinaryIO, progress=None) -> None:
    """Write a ZIP with one CSV per table, joined by their ids, and each client's JSON record.

    Lists are joined with ";" and codes stay codes. Text that a spreadsheet
    would run as a formula is prefixed with an apostrophe; the JSON files
    keep the exact text.

    The clients are read BATCH_SIZE at a time and every file is spooled to disk before
    it goes into the ZIP, so memory does not grow with the number of clients.
    ``progress(count)`` is called after each batch.
    """
    if isinstance(clients, QuerySet):
        selected = Client.objects.filter(pk__in=clients.values("pk"))
    else:
        selected = Client.objects.filter(pk__in=[client.pk for client in clients])
    with ExitStack() as stack:
        tables = {name: stack.enter_context(_text_spool()) for name in TABLE_COLUMNS}
        writers = {name: csv.writer(file, lineterminator="\r\n") for name, file in tables.items()}
        for name, writer in writers.items():
            writer.writerow(TABLE_COLUMNS[name])
        records = _Spool(stack.enter_context(tempfile.TemporaryFile()))
        letters = _Spool(stack.enter_context(tempfile.TemporaryFile()))
        clients = with_records(selected.order_by("pk")).iterator(chunk_size=BATCH_SIZE)
        for client in in_batches(clients, BATCH_SIZE, progress):
            for name, rows in _table_rows(client).items():
                writers[name].writerows(_row(obj, TABLE_COLUMNS[name]) for obj in rows)
            records.add(f"client-{client.pk}.json", _to_json(_client_record(client)))
            # The clearance letters themselves, where each client's JSON says ("file").
            for intake in client.intakes.all():
                for letter in intake.clearance_letters.all():
                    content = letter_bytes(letter)
                    if content is not None:
                        letters.add(letter_path_in_export(letter), content)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, file in tables.items():
                file.flush()
                _copy(archive, name, file.buffer)
            records.copy_to(archive)
            letters.copy_to(archive)


def _table_rows(client: Client) -> dict[str, list]:
    intakes = list(client.intakes.all())
    plans = [plan for intake in intakes for plan in intake.plans.all()]
    muscles = [muscle for plan in plans for muscle in plan.muscles.all()]
    return {
        "clients.csv": [client],
        "intakes.csv": intakes,
        "pain_locations.csv": [
            location for intake in intakes for location in intake.pain_locations.all()
        ],
        "plans.csv": plans,
        "plan_muscles.csv": muscles,
        "findings.csv": [finding for muscle in muscles for finding in muscle.findings.all()],
    }


def _text_spool():
    return tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115


class _Spool:
    """Files to add to a ZIP later, in order, kept on disk meanwhile."""

    def __init__(self, file: BinaryIO):
        self.file = file
        self.entries: list[tuple[str, int]] = []

    def add(self, name: str, content: bytes) -> None:
        self.file.write(content)
        self.entries.append((name, len(content)))

    def copy_to(self, archive: zipfile.ZipFile) -> None:
        self.file.seek(0)
        for name, size in self.entries:
            _write(archive, name, self.file.read(size))


# The JSON record


def _client_record(client: Client) -> dict:
    return {
        "client": {
            "id": client.pk,
            "legal_name": client.legal_name,
            "preferred_name": client.preferred_name,
            "date_of_birth": _iso(client.date_of_birth),
            "email": client.email,
            "phone": client.phone,
            "address": client.address,
            "emergency_contact_name": client.emergency_contact_name,
            "emergency_contact_phone": client.emergency_contact_phone,
            "account": _account(client.user),
            "assigned_therapist": _person(client.assigned_therapist),
            "archived": client.archived,
            "created_at": _iso(client.created_at),
            "updated_at": _iso(client.updated_at),
        },
        "intakes": [_intake(intake) for intake in client.intakes.all()],
        "invitations": [_invitation(invitation) for invitation in client.invitations.all()],
    }


def _intake(intake: Intake) -> dict:
    return {
        "id": intake.pk,
        "status": _coded(intake.status, intake.get_status_display()),
        "started_at": _iso(intake.started_at),
        "updated_at": _iso(intake.updated_at),
        "submitted_at": _iso(intake.submitted_at),
        "reminder_sent_at": _iso(intake.reminder_sent_at),
        "steps_done": list(intake.steps_done),
        "answers": {
            "main_complaint": intake.main_complaint,
            "pain_started_on": _iso(intake.pain_started_on),
            "current_pain": intake.current_pain,
            "peg_pain": intake.peg_pain,
            "peg_enjoyment": intake.peg_enjoyment,
            "peg_activity": intake.peg_activity,
            "symptoms": [_coded(code, label_for("symptom", code)) for code in intake.symptoms],
            "red_flags": [
                {**_coded(code, label_for("red_flag", code)), "urgency": _urgency(intake, code)}
                for code in intake.red_flags
            ],
            "precautions": [
                _coded(code, label_for("precaution", code)) for code in intake.precautions
            ],
            "conditions": intake.conditions,
            "medications": intake.medications,
            "allergies": intake.allergies,
            "surgeries": intake.surgeries,
            "goals": intake.goals,
            "treatment_areas": [
                _coded(code, label_for("treatment_area", code)) for code in intake.treatment_areas
            ],
        },
        "pain_locations": [
            {
                "id": location.pk,
                "region": _coded(location.region, label_for("region", location.region)),
                "side": _coded(location.side, label_for("side", location.side)),
                "intensity": location.intensity,
            }
            for location in intake.pain_locations.all()
        ],
        "consent": {
            "agreed": intake.consent_agreed,
            "name": intake.consent_name,
            "at": _iso(intake.consent_at),
        },
        "suggestion": _canonical(intake.suggestion),
        "ruleset": intake.ruleset,
        "red_flag_urgency": intake.red_flag_urgency,
        "resuggestions": [
            {
                "id": resuggestion.pk,
                "ruleset": resuggestion.ruleset,
                "result": _canonical(resuggestion.result),
                "created_by": _person(resuggestion.created_by),
                "created_at": _iso(resuggestion.created_at),
            }
            for resuggestion in intake.resuggestions.all()
        ],
        "plans": [_plan(plan) for plan in intake.plans.all()],
        "clearance_letters": [letter_record(letter) for letter in intake.clearance_letters.all()],
        "clearances": [clearance_record(clearance) for clearance in intake.clearances.all()],
        "addenda": [
            {
                "id": addendum.pk,
                "text": addendum.text,
                "author": addendum.author_name,
                "created_at": _iso(addendum.created_at),
            }
            for addendum in intake.addenda.all()
        ],
    }


def _plan(plan: TreatmentPlan) -> dict:
    return {
        "id": plan.pk,
        "version": plan.version,
        "status": _coded(plan.status, plan.get_status_display()),
        "techniques": plan.techniques,
        "pressure": plan.pressure,
        "home_care": plan.home_care,
        "revision": plan.revision,
        "created_by": _person(plan.created_by),
        "created_at": _iso(plan.created_at),
        "updated_at": _iso(plan.updated_at),
        "approved_by": _person(plan.approved_by, plan.approved_by_name),
        "approved_at": _iso(plan.approved_at),
        "muscles": [
            {
                "id": muscle.pk,
                "muscle": _coded(muscle.muscle, muscle.name),
                "sides": list(muscle.sides),
                "position": muscle.position,
                "included": muscle.included,
                "origin": _coded(muscle.origin, muscle.get_origin_display()),
                "suggested_rank": muscle.suggested_rank,
                "findings": [
                    {
                        "id": finding.pk,
                        "trigger_point": _coded(
                            finding.trigger_point, finding.get_trigger_point_display()
                        ),
                        "referral_reproduced": finding.referral_reproduced,
                        "treated": finding.treated,
                        "recorded_by": _person(finding.recorded_by, finding.recorded_by_name),
                        "recorded_at": _iso(finding.recorded_at),
                    }
                    for finding in muscle.findings.all()
                ],
            }
            for muscle in plan.muscles.all()
        ],
    }


def _invitation(invitation: Invitation) -> dict:
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "created_by": _person(invitation.created_by),
        "created_at": _iso(invitation.created_at),
        "expires_at": _iso(invitation.expires_at),
        "used_at": _iso(invitation.used_at),
    }


def _coded(code: str, label: str) -> dict:
    return {"code": code, "label": label}


def _urgency(intake, code: str) -> str:
    """The urgency the rules gave this flag at submission (a combination may have raised it)."""
    for flag in (intake.suggestion or {}).get("red_flags", []):
        if flag["code"] == code:
            return flag["urgency"]
    row = codes.RED_FLAGS.get(code)
    return row.urgency if row is not None else ""


def _person(user, kept_name: str = "") -> dict | None:
    if user is None:  # the account is gone; the name copied when it acted stays
        return {"id": None, "name": kept_name, "email": ""} if kept_name else None
    return {"id": user.pk, "name": user.full_name or user.email, "email": user.email}


def _account(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "email": user.email, "is_active": user.is_active}


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _canonical(value):
    """Stored JSON with its keys sorted: databases return JSON keys in their own order."""
    if isinstance(value, dict):
        return {key: _canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def _to_json(record: dict) -> bytes:
    return (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode()


# The CSV tables

CLIENT_COLUMNS = [
    "id",
    "legal_name",
    "preferred_name",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "emergency_contact_name",
    "emergency_contact_phone",
    "user_id",
    "assigned_therapist_id",
    "archived",
    "created_at",
    "updated_at",
]
INTAKE_COLUMNS = [
    "id",
    "client_id",
    "status",
    "started_at",
    "updated_at",
    "submitted_at",
    "reminder_sent_at",
    "steps_done",
    "main_complaint",
    "pain_started_on",
    "current_pain",
    "peg_pain",
    "peg_enjoyment",
    "peg_activity",
    "symptoms",
    "red_flags",
    "precautions",
    "conditions",
    "medications",
    "allergies",
    "surgeries",
    "goals",
    "treatment_areas",
    "consent_agreed",
    "consent_name",
    "consent_at",
    "ruleset",
    "red_flag_urgency",
]
PAIN_LOCATION_COLUMNS = ["id", "intake_id", "region", "side", "intensity"]
PLAN_COLUMNS = [
    "id",
    "intake_id",
    "version",
    "status",
    "techniques",
    "pressure",
    "home_care",
    "revision",
    "created_by_id",
    "created_at",
    "updated_at",
    "approved_by_id",
    "approved_at",
]
PLAN_MUSCLE_COLUMNS = [
    "id",
    "plan_id",
    "muscle",
    "sides",
    "position",
    "included",
    "origin",
    "suggested_rank",
]
FINDING_COLUMNS = [
    "id",
    "plan_muscle_id",
    "trigger_point",
    "referral_reproduced",
    "treated",
    "recorded_by_id",
    "recorded_at",
]


TABLE_COLUMNS = {
    "clients.csv": CLIENT_COLUMNS,
    "intakes.csv": INTAKE_COLUMNS,
    "pain_locations.csv": PAIN_LOCATION_COLUMNS,
    "plans.csv": PLAN_COLUMNS,
    "plan_muscles.csv": PLAN_MUSCLE_COLUMNS,
    "findings.csv": FINDING_COLUMNS,
}


def _row(obj, columns: list[str]) -> list[str]:
    # Foreign key columns (``client_id``) are attributes of the models too.
    return [_cell(getattr(obj, column)) for column in columns]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _write(archive: zipfile.ZipFile, name: str, content: bytes) -> None:
    archive.writestr(_entry(name), content)


def _copy(archive: zipfile.ZipFile, name: str, file: BinaryIO) -> None:
    """A file into the ZIP a piece at a time, with the same bytes as ``_write``."""
    info = _entry(name)
    info.file_size = file.seek(0, io.SEEK_END)  # as writestr knows it: zip64 if it needs it
    file.seek(0)
    with archive.open(info, "w") as entry:
        shutil.copyfileobj(file, entry)
