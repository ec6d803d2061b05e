from django.urls import path

from meedoen.matching import views

app_name = "matching"

urlpatterns = [
    path("inwoners/<uuid:resident_id>/passende-plekken/", views.recommendations_view, name="recommendations"),
    path("matching/uitleg/", views.explanation_view, name="explanation"),
]
