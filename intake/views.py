from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.roles import Role, role_required


@role_required(Role.CLIENT)
@require_GET
def client_home(request):
    return render(request, "intake/client_home.html")


@role_required(Role.THERAPIST)
@require_GET
def review_queue(request):
    return render(request, "intake/review_queue.html")
