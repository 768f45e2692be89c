"""Approved plans' PDFs, rendered once per version and kept in private storage.

The file is named by the plan's id and version (`plans/<id>-v<version>.pdf`) and
recorded with its SHA-256 in `StoredPlanPdf`; a file that is missing or whose digest
differs is rendered again. The storage is `STORAGES["plan_pdfs"]` when the settings name
one, else a private folder under `PRIVATE_FILES_DIR` (no URL; backed up with it).
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import IntegrityError, transaction

from clearances.storage import PrivateFileStorage
from intake.models import StoredPlanPdf, TreatmentPlan


def plan_pdf_storage() -> Storage:
    if "plan_pdfs" in settings.STORAGES:
        return storages["plan_pdfs"]
    return PrivateFileStorage(location=settings.PRIVATE_FILES_DIR / "plan_pdfs")


def stored_pdf(plan: TreatmentPlan, render: Callable[[], bytes]) -> bytes:
    """The plan's PDF: the stored one if it is there and intact, else `render()`, stored."""
    storage = plan_pdf_storage()
    record = StoredPlanPdf.objects.filter(plan=plan).first()
    if record is not None:
        try:
            with storage.open(record.path, "rb") as file:
                content = file.read()
        except (FileNotFoundError, OSError):
            content = None
        if content is not None and hashlib.sha256(content).hexdigest() == record.sha256:
            return content
    content = render()
    name = f"plans/{plan.pk}-v{plan.version}.pdf"
    if storage.exists(name):
        storage.delete(name)
    name = storage.save(name, ContentFile(content))
    digest = hashlib.sha256(content).hexdigest()
    try:
        with transaction.atomic():
            StoredPlanPdf.objects.update_or_create(
                plan=plan, defaults={"path": name, "sha256": digest}
            )
    except IntegrityError:
        pass  # stored by a simultaneous request: either copy is the same version
    return content


def delete_stored_pdfs(plans) -> None:
    """Delete the stored PDFs of these plans (erasure)."""
    storage = plan_pdf_storage()
    for record in StoredPlanPdf.objects.filter(plan__in=plans):
        storage.delete(record.path)
        record.delete()
