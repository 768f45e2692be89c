"""`{% record_result_list cl %}`: the admin's `{% result_list cl %}`, with the rows written
by `intake.admin_rows` (one piece of HTML a row) rather than cell by cell."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields
from django.contrib.admin.templatetags.base import InclusionAdminNode

from intake.admin_rows import rows

register = template.Library()


def record_result_list(cl) -> dict:
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows(cl),
    }


@register.tag(name="record_result_list")
def record_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=record_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
