"""The progress page of an export or an erasure, the export's download, and starting again a
job whose worker stopped: for the admin who asked (and superusers) only."""

from django.contrib import admin
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.reauth import require_recent_sign_in
from accounts.roles import Role, role_required
from intake.audit import record_listed, record_refused
from intake.models import AccessEvent, Client, Intake
from jobs.models import Job, job_storage
from jobs.tasks import restart_job


def _job_for_user(request, pk: int) -> Job:
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        raise Http404
    if not job.may_be_seen_by(request.user):
        record_refused(request.user, "job", pk)
        raise Http404
    return job


@role_required(Role.ADMIN)
@require_GET
def job_progress(request, pk: int):
    job = _job_for_user(request, pk)
    return render(
        request,
        "jobs/job_progress.html",
        {**admin.site.each_context(request), "title": job.get_kind_display(), "job": job},
    )


@role_required(Role.ADMIN)
@require_GET
def job_download(request, pk: int):
    job = _job_for_user(request, pk)
    if not job.file_available:
        raise Http404
    require_recent_sign_in(request)
    try:
        file = job_storage().open(job.file_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    model = Client if job.kind == Job.Kind.EXPORT_RECORDS else Intake
    record_listed(request.user, model, job.object_ids, AccessEvent.Action.EXPORT)
    if job.downloaded_at is None:
        job.downloaded_at = timezone.now()
        job.save(update_fields=["downloaded_at"])
    return FileResponse(
        file, as_attachment=True, filename=job.download_name, content_type="application/zip"
    )


@role_required(Role.ADMIN)
@require_POST
def job_restart(request, pk: int):
    job = _job_for_user(request, pk)
    if job.is_stalled:
        # It erases clients or writes their records to a file, as the action that asked did.
        require_recent_sign_in(request)
        restart_job(job)
    return redirect(job)
