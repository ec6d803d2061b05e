from django.urls import path

from meedoen.matching import views

app_name = "matching"

urlpatterns = [
    path("inwoners/<uuid:resident_id>/passende-plekken/", views.recommendations_view, name="recommendations"),
    path("matching/uitleg/", views.explanation_view, name="explanation"),
    path("toewijzing/", views.allocations_view, name="allocations"),
    path("toewijzing/<uuid:run_id>/", views.allocation_view, name="allocation"),
    path("toewijzing/<uuid:run_id>/annuleren/", views.cancel_allocation_view, name="cancel-allocation"),
]
