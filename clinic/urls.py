from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from clinic import views

# One sign-in page for everyone: the admin's own form sends people to ours.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("csp-report", views.csp_report, name="csp_report"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("intake.urls")),
]
