"""Clearances and their letters in the client's records: the JSON and ZIP export, the FHIR
export (a DocumentReference per letter) and erasure (the files go with the rows)."""

import base64

from django.db import transaction

from clearances.models import Clearance, ClearanceLetter

ERASED = "[erased]"


def letter_bytes(letter: ClearanceLetter) -> bytes | None:
    """The letter's file, or None if it is missing from storage."""
    try:
        with letter.file.storage.open(letter.file.name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


def letter_path_in_export(letter: ClearanceLetter) -> str:
    return f"clearance-letters/{letter.download_name}"


def letter_record(letter: ClearanceLetter) -> dict:
    return {
        "id": letter.pk,
        "content_type": letter.content_type,
        "size": letter.size,
        "sha256": letter.sha256,
        # Where the file itself is in the export's ZIP.
        "file": letter_path_in_export(letter),
        "uploaded_by": letter.uploaded_by_name,
        "uploaded_at": letter.uploaded_at.isoformat(),
    }


def clearance_record(clearance: Clearance) -> dict:
    return {
        "id": clearance.pk,
        "kind": {"code": clearance.kind, "label": clearance.get_kind_display()},
        "doctor_name": clearance.doctor_name,
        "practice": clearance.practice,
        "cleared_on": clearance.cleared_on.isoformat() if clearance.cleared_on else None,
        "restrictions": clearance.restrictions,
        "reason": clearance.reason,
        "letter_id": clearance.letter_id,
        "recorded_by": clearance.recorded_by_name,
        "recorded_at": clearance.recorded_at.isoformat(),
    }


def document_reference(letter: ClearanceLetter, subject: dict) -> dict:
    """A FHIR R4 DocumentReference holding the letter itself (base64)."""
    attachment = {
        "contentType": letter.content_type,
        "size": letter.size,
        "hash": base64.b64encode(bytes.fromhex(letter.sha256)).decode(),
        "title": letter.download_name,
        "creation": letter.uploaded_at.isoformat(),
    }
    content = letter_bytes(letter)
    if content is not None:
        attachment["data"] = base64.b64encode(content).decode()
    return {
        "resourceType": "DocumentReference",
        "id": f"clearance-letter-{letter.pk}",
        "status": "current",
        "type": {"text": "Medical clearance letter"},
        "subject": subject,
        "date": letter.uploaded_at.isoformat(),
        "description": "The doctor's clearance for treatment after a referral",
        "content": [{"attachment": attachment}],
    }


def erase_for_client(client, *, anonymise: bool) -> None:
    """Delete the client's letters (rows now, files once the erasure has committed); when
    anonymising, also blank what the clearances say in words."""
    letters = list(ClearanceLetter.objects.filter(intake__client=client))
    files = [(letter.file.storage, letter.file.name) for letter in letters if letter.file.name]
    ClearanceLetter.objects.filter(pk__in=[letter.pk for letter in letters]).delete()
    if anonymise:
        clearances = Clearance.objects.filter(intake__client=client)
        clearances.filter(kind=Clearance.Kind.DOCTOR).update(
            doctor_name=ERASED, practice="", restrictions=""
        )
        clearances.filter(kind=Clearance.Kind.IN_PERSON).update(reason=ERASED)

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
