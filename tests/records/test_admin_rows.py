"""The records' lists write their rows from a plan of their columns (intake.admin_rows):
each row must be exactly what the admin's own `items_for_result` writes."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from clinic_settings.models import ClinicSettings
from intake.admin import RecordsAccessMixin
from intake.admin_rows import rows
from intake.models import Client, Resuggestion

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def demo_clinic(db, settings):
    """The demo clinic: rows in every list, with empty cells, links, dates and flags."""
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    intake = Client.objects.get(user__email="sam@example.com").last_submitted_intake()
    admin_user = User.objects.get(email="admin@example.com")
    Resuggestion.objects.create(intake=intake, ruleset="old", result={}, created_by=admin_user)
    return admin_user


def record_lists() -> list[str]:
    return [
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, RecordsAccessMixin)
    ]


QUERIES = [
    {},
    {"o": "-2.1"},  # sorted on another column, a preserved filter for every row's link
    {"q": "a"},
]


@pytest.mark.parametrize("query", QUERIES, ids=["plain", "sorted", "searched"])
def test_every_record_list_writes_its_rows_as_the_admin_does(client, demo_clinic, query):
    client.force_login(demo_clinic)
    shown = 0
    for name in record_lists():
        response = client.get(reverse(name), query)
        assert response.status_code == 200, name
        changelist = response.context["cl"]
        theirs = [
            "".join(items_for_result(changelist, row, None)) for row in changelist.result_list
        ]
        ours = [row[0] for row in rows(changelist)]
        assert ours == theirs, name
        shown += len(ours)
    assert shown > 40  # the comparison saw rows of many kinds


def test_a_record_list_page_is_the_admins_page(client, demo_clinic):
    """Rendered with the admin's own list template, the same list gives the same page."""
    client.force_login(demo_clinic)
    for name in record_lists():
        response = client.get(reverse(name), {"o": "-1"})
        assert response.templates[0].name == "admin/record_change_list.html"
        ours = CSRF.sub("", response.content.decode())
        response.template_name = "admin/change_list.html"
        with timezone.override(ClinicSettings.load().zone()):  # as the request had it
            theirs = CSRF.sub("", response.rendered_content)
        assert ours == theirs, name


class EveryKindOfColumn(admin.ModelAdmin):
    """Columns of each kind the admin reads, beyond those the records' lists have today."""

    list_display = [
        "display_name",  # a property of the model
        "age",  # a method of the model
        "id",  # a field the model made itself
        "created_at",  # a date field
        "user__email",  # a field across a relation
        "has_account",  # the admin's method, shown as a yes/no icon
        "nickname",  # the admin's method with its own empty cell
        "phone",  # an empty text field
        "joined",  # the admin's method giving a date (kept on one line)
    ]
    list_display_links = ["age", "created_at"]  # two links, neither in the first column

    @admin.display(boolean=True)
    def has_account(self, client):
        return client.user_id is not None

    def nickname(self, client):
        return client.preferred_name

    nickname.empty_value_display = "(none)"

    def joined(self, client):
        return client.created_at.date()


def test_every_kind_of_column_is_written_as_the_admin_writes_it(rf, demo_clinic):
    Client.objects.filter(user__email="sam@example.com").update(preferred_name="", phone="")
    request = rf.get("/admin/intake/client/", {"o": "1"})
    request.user = demo_clinic
    changelist = EveryKindOfColumn(Client, admin.site).get_changelist_instance(request)
    theirs = ["".join(items_for_result(changelist, row, None)) for row in changelist.result_list]
    assert len(theirs) > 3 and "icon-yes.svg" in "".join(theirs) and "(none)" in "".join(theirs)
    assert 'class="field-joined nowrap"' in theirs[0]
    assert [row[0] for row in rows(changelist)] == theirs
