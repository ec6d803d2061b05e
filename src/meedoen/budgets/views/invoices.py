"""Views of the budget: invoices."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
