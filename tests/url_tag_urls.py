"""URL patterns for tests/test_url_tag.py: another URL for a name the app also has."""

from django.http import HttpResponse
from django.urls import include, path

intake_patterns = ([path("elsewhere/<int:pk>/", HttpResponse, name="intake_review")], "intake")
urlpatterns = [path("", include(intake_patterns))]
