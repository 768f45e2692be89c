from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from clinic import views

# One sign-in page for everyone, with its throttling and second factor: the admin's own
# form sends people to ours, and signed-in people who are not admins are refused.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("csp-report", views.csp_report, name="csp_report"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("clinic/", include("clinic_settings.urls")),
    path("", include("jobs.urls")),
    # Before intake's: /my/intakes/<pk>/clearance/ would otherwise read as a questionnaire step.
    path("", include("clearances.urls")),
    path("", include("agreement.urls")),
    path("", include("intake.urls")),
]
