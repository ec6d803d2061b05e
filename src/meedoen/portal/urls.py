from django.urls import path

from meedoen.portal import views

app_name = "portal"

# The portal owns /mijn/… (except /mijn/inkomen/, which the income insight app serves, and /mijn/successen/,
# which the programme serves: the portal and the programme do not import each other).
urlpatterns = [
    path("mijn/inloggen/", views.login_view, name="login"),
    path("mijn/inloggen/terug/", views.digid_back_view, name="digid-back"),
    path("mijn/", views.home_view, name="home"),
    path("mijn/route/", views.route_view, name="route"),
    path("mijn/plekken/", views.places_view, name="places"),
    path("mijn/plekken/<uuid:placement_id>/interessant/", views.mark_interest_view, name="mark-interest"),
    path("mijn/plekken/<uuid:placement_id>/gesprek/", views.conversation_view, name="conversation"),
    path(
        "mijn/plekken/<uuid:placement_id>/niet-interessant/",
        views.unmark_interest_view,
        name="unmark-interest",
    ),
    path("mijn/wat-ik-wil/", views.wishes_view, name="wishes"),
    path("mijn/delen/", views.sharing_view, name="sharing"),
    path("mijn/delen/aan/", views.share_view, name="share"),
    path("mijn/delen/<uuid:consent_id>/uit/", views.stop_sharing_view, name="stop-sharing"),
    path("mijn/wie-keek/", views.looked_view, name="looked"),
    path("mijn/gegevens/", views.data_view, name="data"),
    path("mijn/gegevens/kopie/", views.request_export_view, name="request-export"),
    path("mijn/gegevens/kopie/pdf/", views.download_export_view, {"kind": "pdf"}, name="download-pdf"),
    path("mijn/gegevens/kopie/json/", views.download_export_view, {"kind": "json"}, name="download-json"),
    path("mijn/gegevens/correctie/", views.correction_view, name="correction"),
    path("beheer/mijn-meedoen/", views.settings_view, name="settings"),
    path("verzoeken-van-inwoners/<uuid:resident_id>/", views.staff_requests_view, name="staff-requests"),
    path(
        "verzoeken-van-inwoners/<uuid:resident_id>/gesprek/<uuid:placement_id>/",
        views.staff_answer_conversation_view,
        name="staff-answer-conversation",
    ),
    path(
        "verzoeken-van-inwoners/correctie/<uuid:request_id>/",
        views.staff_answer_correction_view,
        name="staff-answer-correction",
    ),
]
