"""The agreement page: do therapists accept what the rules suggest? Counts only, no client."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.roles import Role, role_required
from agreement.charts import agreement_chart
from agreement.figures import CSV_COLUMNS, GROUP_LABELS, TOP_K, compute, csv_rows
from agreement.forms import AgreementFilterForm


def _figures(request):
    form = AgreementFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    return form, compute(**{key: value for key, value in filters.items() if value})


@role_required(Role.THERAPIST)
@require_GET
def agreement(request):
    form, figures = _figures(request)
    return render(
        request,
        "agreement/agreement.html",
        {
            "form": form,
            "figures": figures,
            "top_k": [(k, *figures.top_k[k], figures.top_k_share(k)) for k in TOP_K],
            "groups": [(GROUP_LABELS[g], tally) for g, tally in figures.groups.items()],
            "chart": agreement_chart(figures.muscles),
            "query": request.GET.urlencode(),
        },
    )


@role_required(Role.THERAPIST)
@require_GET
def agreement_csv(request):
    _form, figures = _figures(request)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(figures))
    response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agreement.csv"'
    return response
