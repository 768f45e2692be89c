from allauth.account import views as allauth_views
from django.urls import path

from accounts import views

# The sign-in pages are allauth's (included after these in clinic/urls.py); the short names
# below are kept for them because the rest of the project says "login", "logout", "signup".
urlpatterns = [
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("signup/", allauth_views.signup, name="signup"),
    path("", views.account, name="account"),
    path("session/", views.session_status, name="session_status"),
]
