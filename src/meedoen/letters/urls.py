from django.urls import path

from meedoen.letters import views

app_name = "letters"

urlpatterns = [
    path("brieven/sjablonen/", views.templates_view, name="templates"),
    path("brieven/sjablonen/nieuw/", views.template_new_view, name="template-new"),
    path("brieven/sjablonen/<uuid:letter_template_id>/", views.template_view, name="template"),
    path("inwoners/<uuid:resident_id>/brieven/", views.resident_letters_view, name="resident-letters"),
    path("inwoners/<uuid:resident_id>/brieven/nieuw/", views.letter_new_view, name="letter-new"),
    path("inwoners/<uuid:resident_id>/brieven/<uuid:letter_id>/", views.letter_view, name="letter"),
    path(
        "inwoners/<uuid:resident_id>/brieven/<uuid:letter_id>/verstuurd/",
        views.letter_sent_view,
        name="letter-sent",
    ),
]
