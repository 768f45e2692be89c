from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("my/intakes/", views.client_home, name="client_home"),
    path("review/", views.review_queue, name="review_queue"),
]
