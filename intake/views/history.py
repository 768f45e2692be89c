from django.http import Http404


def client_history(request, pk: int):
    raise Http404  # being written
