from django.urls import path

from clinic_settings import views

app_name = "clinic_settings"
urlpatterns = [
    path("logo", views.logo, name="logo"),
    path("brand.css", views.brand_css, name="brand_css"),
]
