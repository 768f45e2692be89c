from django.urls import path

from clearances import views

app_name = "clearances"

urlpatterns = [
    path("my/intakes/<int:pk>/clearance/", views.client_clearance, name="client_clearance"),
    path("my/clearance-letters/<int:pk>/", views.client_letter, name="client_letter"),
    path("review/intakes/<int:pk>/clearance/", views.intake_clearance, name="intake_clearance"),
    path("review/clearance-letters/<int:pk>/", views.staff_letter, name="staff_letter"),
]
