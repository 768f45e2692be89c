"""An admin watches a job's page: it follows the job to its end without reloading itself."""

import pytest
from django.utils import timezone

from accounts.models import User
from intake.demo import seed_demo_people
from jobs.models import Job
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_the_page_follows_a_running_job_to_its_end_in_place(page):
    seed_demo_people()
    admin = User.objects.get(email="admin@example.com")
    job = Job.objects.create(
        kind=Job.Kind.ANONYMISE,
        status=Job.Status.RUNNING,
        requested_by=admin,
        object_ids=[1, 2],
        total=2,
        done=1,
        progress_at=timezone.now(),
    )
    sign_in(page, "admin@example.com", "/")
    page.goto(job.get_absolute_url())
    page.get_by_text("Running: 1 of 2 done.").wait_for()
    page.evaluate("window.sameDocument = true")

    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, done=2)
    page.get_by_text("Done: 2 of 2.").wait_for(timeout=10_000)
    assert page.evaluate("window.sameDocument === true")  # updated in place, not reloaded
    status = page.locator("#job-status")
    assert status.get_attribute("aria-live") == "polite"
    assert status.get_attribute("data-following") == "false"
