"""The privacy officer's processing log screen, named ``audit:…`` after what it shows (web/log_views.py)."""

from django.urls import path

from meedoen.web import log_views

app_name = "audit"

urlpatterns = [
    path("", log_views.log_view, name="log"),
    path("export.csv", log_views.export_view, name="export"),
]
