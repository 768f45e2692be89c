"""Query counts of the benchmark's pages stay flat as the generated clinic grows."""

import pytest
from django.db import transaction

from intake.generate import Params, plan_clinic, write_clinic
from intake.steps import STEPS

pytestmark = pytest.mark.django_db


def page_queries(clients: int) -> dict:
    from bench.pages import bench_pages, choose_cast

    # Most intakes planned and every plan approved, so the pages show the same kinds of
    # things at both sizes (a count may differ with what a page shows, not with the size).
    params = Params(
        clients=clients,
        intakes_per_client=2,
        therapists=1,
        seed=3,
        plan_share=0.8,
        approved_share=1.0,
    )
    write_clinic(plan_clinic(params))
    counts = {}
    for page in bench_pages(choose_cast(clients=2)):
        if page.name == "plan PDF":
            continue  # WeasyPrint takes seconds a render; the benchmark counts its queries
        status, count = page.measure_queries()
        assert status == page.status, page.name
        counts[page.name] = count
    return counts


def test_query_counts_of_the_main_pages_do_not_grow_with_the_clinic(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with transaction.atomic():
        small = page_queries(5)
        transaction.set_rollback(True)
    large = page_queries(20)
    assert small.keys() == large.keys() and len(small) > 15
    # Every step of the questionnaire is a client's page, and measured as one.
    assert {f"intake step GET ({step.name})" for step in STEPS} <= small.keys()
    assert small == large
