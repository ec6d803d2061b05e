"""Views of the budget: commitments."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
