"""Small filters for showing the rules' codes and results to people."""

import html
from dataclasses import dataclass
from datetime import date, datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from intake.labels import label_for
from intake.rules import flag_label
from intake.rules import safety_net as safety_net_advice
from intake.rules.codes import PRECAUTIONS, URGENCIES
from intake.rules.knowledge import MUSCLES

register = template.Library()

URGENCY_BADGE = {
    "emergency": "text-bg-danger",
    "urgent": "text-bg-danger",
    "refer": "text-bg-warning",
}
# The therapist's headings for the suggestion's groups (rules contract, version 2).
GROUP_TITLES = {
    "explains": "Explains the client's pain",
    "approach": "Brought in by the combined approach",
    "hip_mover": "Through the quadratus lumborum (hip movers)",
}


def region_label(code: str) -> str:
    return label_for("region", code)


@register.filter
def sides_label(sides) -> str:
    return " and ".join(label_for("side", side).lower() for side in sides) or "-"


@register.filter
def precaution_label(code: str) -> str:
    return label_for("precaution", code)


@register.filter
def red_flag_label(code: str) -> str:
    """Reported flags from the code table, derived ones (``under_16``) from the knowledge."""
    label = flag_label(code)
    return label if label != code else label_for("red_flag", code)


def precaution_or_flag_label(code: str) -> str:
    """A caution's code: a precaution, or the aneurysm red flag."""
    if code in PRECAUTIONS:
        return label_for("precaution", code)
    return red_flag_label(code)


def internal_only(muscle: str) -> bool:
    row = MUSCLES.get(muscle)
    return bool(row and row.internal_only)


@register.filter
def urgency_label(urgency: str) -> str:
    level = URGENCIES.get(urgency)
    return level.label if level is not None else label_for("red_flag", urgency)


def _list_items(texts: list[str]) -> str:
    """``<li>`` elements of the texts, escaped (the standard library's escape, as Django's
    own does, without its checks for lazy text: these are plain strings from the JSON)."""
    return mark_safe("".join(f"<li>{html.escape(text)}</li>" for text in texts))


@dataclass(frozen=True)
class ShownMuscle:
    """A suggested muscle as the review page shows it: its codes already in words and its
    reasons and sources as list items, so twenty muscles cost the page no inner loops."""

    rank: int | str
    name: str
    sides: str
    internal_only: bool
    cautions: list[tuple[bool, str, str]]  # forbids, what it is about, message
    explains: str  # the regions it explains, in words; "" when the approach brought it in
    reasons: str
    sources: str

    def html(self) -> str:
        """The muscle's list item, written here rather than by the template: the review page
        shows twenty-odd, and the template's nodes for each were a sixth of the page."""
        e = html.escape
        cautions = "".join(
            f'\n          <div class="small mt-1 '
            f'{"text-danger-emphasis" if forbids else "text-warning-emphasis"}"><strong>'
            f"{'Do not work as usual' if forbids else 'Caution'} ({e(about)}):</strong> "
            f"{e(message)}</div>\n        "
            for forbids, about, message in self.cautions
        )
        internal = (
            ' <span class="badge text-bg-secondary">Refer: internal work</span>'
            if self.internal_only
            else ""
        )
        explains = (
            f"Explains: {e(self.explains)}"
            if self.explains
            else "Brought in by the combined approach"
        )
        return mark_safe(
            '\n      <li class="border rounded p-2 mb-2">\n'
            '        <div><span class="badge text-bg-light border" title="Rank">'
            f"{e(str(self.rank))}</span> <strong>{e(self.name)}</strong> "
            f'<span class="text-body-secondary small">{e(self.sides)}</span>{internal}</div>\n'
            f"        {cautions}\n"
            f'        <div class="small">{explains}</div>\n'
            '        <details class="small mt-1">\n'
            "          <summary>Reasons and sources</summary>\n"
            f'          <ul class="mb-1">{self.reasons}</ul>\n'
            '          <div class="text-body-secondary">Sources:</div>\n'
            f'          <ul class="mb-0 text-body-secondary">{self.sources}</ul>\n'
            "        </details>\n"
            "      </li>\n    "
        )

    @classmethod
    def of(cls, item: dict) -> "ShownMuscle":
        return cls(
            rank=item.get("rank", ""),
            name=item.get("name", ""),
            sides=sides_label(item.get("sides", [])),
            internal_only=internal_only(item.get("muscle")),
            cautions=[
                (bool(c.get("forbids")), precaution_or_flag_label(c.get("code")), c.get("message"))
                for c in item.get("cautions", [])
            ],
            explains=", ".join(region_label(code) for code in item.get("explains", [])),
            reasons=_list_items(item.get("reasons", [])),
            sources=_list_items(item.get("sources", [])),
        )


@register.filter
def suggestion_groups(result: dict) -> list[tuple[str, list[ShownMuscle]]]:
    """The ranked muscles in their groups, each group in rank order.

    Snapshots from before groups were recorded are grouped by what they explain.
    """
    groups: dict[str, list[ShownMuscle]] = {}
    for item in result.get("suggestions", []):
        group = item.get("group") or ("explains" if item.get("explains") else "approach")
        groups.setdefault(group, []).append(ShownMuscle.of(item))
    order = [*GROUP_TITLES, *sorted(set(groups) - set(GROUP_TITLES))]
    return [
        (GROUP_TITLES.get(group, label_for("red_flag", group)), groups[group])
        for group in order
        if group in groups
    ]


@register.filter
def urgency_badge(urgency: str) -> str:
    return URGENCY_BADGE.get(urgency, "text-bg-secondary")


@register.simple_tag
def safety_net():
    """The advice every client gets on which new symptoms mean emergency care."""
    from clinic_settings.models import ClinicSettings

    return safety_net_advice(ClinicSettings.load().emergency_number_or_default)


# Django's date formats the pages use, as str.format patterns (English month names, as the
# C locale's strftime gives them); times only for datetimes.
DATE_FORMATS = {"j M Y": "{d} {v:%b %Y}", "j F Y": "{d} {v:%B %Y}"}
DATETIME_FORMATS = {"j M Y, H:i": "{d} {v:%b %Y, %H:%M}", "j F Y, H:i": "{d} {v:%B %Y, %H:%M}"}


@register.filter(expects_localtime=True)
def local_date(value, format_string: str) -> str:
    """Django's ``date`` filter, in the clinic's time zone as that is, for the formats above
    straight through strftime: the queue shows 25 times a page, and Django's formatter
    spent some 120 function calls on each. Any other format goes to Django's filter."""
    if isinstance(value, datetime):
        pattern = DATETIME_FORMATS.get(format_string) or DATE_FORMATS.get(format_string)
    elif isinstance(value, date):
        pattern = DATE_FORMATS.get(format_string)
    else:
        pattern = None
    if pattern is None:
        return date_filter(value, format_string)
    return pattern.format(d=value.day, v=value)


URGENCY_BADGE_TEXT = {"emergency": "Emergency: go now", "urgent": "Urgent: doctor today"}


@dataclass(frozen=True)
class _QueuePage:
    """What every row of one queue page shares: worked out once a page, not once a row."""

    today: date
    zone: object
    review_url: str  # with ID_MARK for the intake's id

    ID_MARK = "987654321012345"

    @classmethod
    def of(cls, context) -> "_QueuePage":
        page = context.render_context.get(cls)
        if page is None:
            url = reverse("intake:intake_review", args=[int(cls.ID_MARK)])
            page = cls(timezone.localdate(), timezone.get_current_timezone(), url)
            context.render_context[cls] = page
        return page


@register.simple_tag(takes_context=True)
def queue_row(context, intake, places) -> str:
    """One intake of the review queue, as its link, with its places (`Places`): written
    here rather than by the template, as a page shows 20 and the template's nodes for each
    were a third of the page."""
    e = html.escape
    page = _QueuePage.of(context)
    age = intake.client.age(on=page.today)
    urgency = intake.red_flag_urgency
    age_text = f'<span class="text-body-secondary">, {age}</span>' if age is not None else ""
    urgency_text = (
        f'<span class="badge {urgency_badge(urgency)}">'
        f"{URGENCY_BADGE_TEXT.get(urgency, 'Red flag: refer')}</span>"
        if urgency
        else ""
    )
    awaiting = (
        '<span class="badge text-bg-warning">Awaiting clearance</span>'
        if urgency and not getattr(intake, "cleared", False)
        else ""
    )
    precautions = "".join(
        f'<span class="badge text-bg-info">{e(precaution_label(code))}</span>'
        for code in intake.precautions
    )
    sent = local_date(timezone.localtime(intake.submitted_at, page.zone), "j M Y, H:i")
    regions = " · ".join(e(label) for label in places.strongest) or "No places marked"
    url = page.review_url.replace(_QueuePage.ID_MARK, str(intake.pk))
    return mark_safe(
        f'\n      <a class="list-group-item list-group-item-action" href="{e(url)}">\n'
        '        <div class="d-flex flex-wrap justify-content-between gap-2">\n'
        "          <div>\n"
        f'            <span class="fw-semibold">{e(intake.client.legal_name)}</span>{age_text}\n'
        f"            {urgency_text}\n"
        f"            {awaiting}\n"
        f"            {precautions}\n"
        "          </div>\n"
        f'          <small class="text-body-secondary">Sent {e(sent)}</small>\n'
        "        </div>\n"
        f'        <div class="small text-body-secondary">{regions}</div>\n'
        "      </a>\n    "
    )


# How templates/intake/_step_fields.html lays out each kind of widget (BoundField.widget_type);
# any other kind goes through crispy-forms.
FIELD_LAYOUTS = {
    "text": "input",
    "email": "input",
    "date": "input",
    "number": "input",
    "textarea": "input",
    "checkbox": "checkbox",
    "radioselect": "choices",
    "checkboxselectmultiple": "choices",
}


@register.filter
def field_layout(field) -> str:
    if field.is_hidden:
        return "hidden"
    return FIELD_LAYOUTS.get(field.widget_type, "crispy")


@register.filter
def option_attrs(attrs: dict) -> str:
    """A radio button's or checkbox's attributes, as crispy-forms' Bootstrap 5 pack writes
    them (bootstrap5/layout/attrs.html): True as the bare name, False left out."""
    return mark_safe(
        "".join(
            f" {html.escape(name)}"
            if value is True
            else f' {html.escape(name)}="{html.escape(str(value))}"'
            for name, value in attrs.items()
            if value is not False
        )
    )
