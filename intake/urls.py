from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("my/intakes/", views.client_home, name="client_home"),
    path("my/intakes/new/", views.intake_start, name="intake_start"),
    path("my/intakes/<int:pk>/", views.intake_resume, name="intake_resume"),
    path("my/intakes/<int:pk>/answers/", views.intake_detail, name="intake_detail"),
    path("my/intakes/<int:pk>/<slug:step>/", views.intake_step, name="intake_step"),
    path("clients/invite/", views.invite_client, name="invite_client"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("review/", views.review_queue, name="review_queue"),
]
