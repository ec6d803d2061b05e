"""Views of the budget: budget."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
