from django.urls import path

from meedoen.language import views

app_name = "language"

urlpatterns = [
    path("woordenlijst/", views.glossary_view, name="glossary"),
    path("woordenlijst/beheer/", views.manage_view, name="manage"),
    path("woordenlijst/beheer/nieuw/", views.term_new_view, name="term-new"),
    path("woordenlijst/beheer/<uuid:term_id>/", views.term_view, name="term"),
    path("taalcheck/", views.check_view, name="check"),
]
