from django.http import Http404


def plan_pdf(request, pk: int):
    raise Http404  # being written
