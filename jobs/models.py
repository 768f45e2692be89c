"""An export or an erasure of many clients, run by a worker (jobs/tasks.py) while the admin
who asked watches its progress page; an export's file waits in private storage."""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

# How long an export's file waits to be downloaded, and how long after its first download.
KEPT_FOR = timedelta(days=7)
KEPT_AFTER_DOWNLOAD = timedelta(hours=1)
# A running job counts a record at least every few seconds: one silent this long lost its
# worker (a deploy, out of memory), and its progress page offers to start it again.
STALLED_AFTER = timedelta(minutes=15)


def job_storage():
    """settings.STORAGES["jobs"]: private, without a URL (looked up at each call, so the
    tests' private folders reach it)."""
    return storages["jobs"]


class JobQuerySet(models.QuerySet):
    def expired(self):
        """Jobs whose file should be gone: old, or downloaded a while ago."""
        now = timezone.now()
        return self.exclude(file_name="").filter(
            Q(finished_at__lt=now - KEPT_FOR) | Q(downloaded_at__lt=now - KEPT_AFTER_DOWNLOAD)
        )

    def stalled(self):
        """Running jobs that made no progress for STALLED_AFTER: their worker is gone."""
        return self.filter(
            status=Job.Status.RUNNING, progress_at__lte=timezone.now() - STALLED_AFTER
        )

    def delete_expired_files(self) -> int:
        count = 0
        for job in self.expired():
            job.delete_file()
            count += 1
        return count


class Job(models.Model):
    class Kind(models.TextChoices):
        EXPORT_RECORDS = "export_records", "Export of client records (CSV tables and JSON)"
        EXPORT_FHIR = "export_fhir", "Export of submitted intakes as FHIR R4"
        ANONYMISE = "anonymise", "Anonymisation of clients"
        DELETE = "delete", "Deletion of clients with everything they hold"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the worker last counted a record (or started): a job silent too long has stalled.
    progress_at = models.DateTimeField(null=True, blank=True)
    # The selected records' ids (clients, or intakes for a FHIR export of intakes).
    object_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # An erasure goes on past a client it could not erase; their ids, not their names.
    failed_ids = models.JSONField(default=list, blank=True)
    # The export's file in STORAGES["jobs"], and the name it downloads under.
    file_name = models.CharField(max_length=255, blank=True)
    download_name = models.CharField(max_length=100, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:job_progress", args=[self.pk])

    @property
    def is_export(self) -> bool:
        return self.kind in {self.Kind.EXPORT_RECORDS, self.Kind.EXPORT_FHIR}

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def in_progress(self) -> bool:
        """Still to follow: waiting for a worker or running, its worker not stopped."""
        return not self.is_finished and not self.is_stalled

    @property
    def is_stalled(self) -> bool:
        return (
            self.status == self.Status.RUNNING
            and self.progress_at is not None
            and self.progress_at <= timezone.now() - STALLED_AFTER
        )

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 100

    @property
    def file_available(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file_name)

    def may_be_seen_by(self, user) -> bool:
        return user.is_superuser or (user.pk is not None and user.pk == self.requested_by_id)

    def start(self) -> bool:
        """Mark a queued job running; False if it is not queued (enqueued twice, the other
        run has it), in one UPDATE so that two workers cannot both start it."""
        now = timezone.now()
        running = {"status": self.Status.RUNNING, "started_at": now, "progress_at": now}
        if not Job.objects.filter(pk=self.pk, status=self.Status.QUEUED).update(**running):
            return False
        for field, value in running.items():
            setattr(self, field, value)
        return True

    def advance(self, count: int = 1, failed: list[int] | None = None) -> None:
        self.done += count
        self.failed_ids += failed or []
        self.progress_at = timezone.now()
        self.save(update_fields=["done", "failed_ids", "progress_at"])

    def requeue_if_stalled(self) -> bool:
        """Put a stalled job back in the queue from scratch (the same records); False if it
        is not stalled, or someone else requeued it first."""
        fresh = {"status": self.Status.QUEUED, "done": 0, "failed_ids": []}
        fresh |= {"started_at": None, "progress_at": None, "finished_at": None}
        requeued = Job.objects.stalled().filter(pk=self.pk).update(**fresh)
        self.refresh_from_db()
        return bool(requeued)

    def finish(self, status: str, file_name: str = "") -> None:
        self.status = status
        self.file_name = file_name
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "file_name", "finished_at"])

    def delete_file(self) -> None:
        if self.file_name:
            job_storage().delete(self.file_name)
            self.file_name = ""
            self.save(update_fields=["file_name"])
