from django.urls import path

from agreement import views

app_name = "agreement"

urlpatterns = [
    path("review/agreement/", views.agreement, name="agreement"),
    path("review/agreement/agreement.csv", views.agreement_csv, name="agreement_csv"),
]
