from django.urls import path

from meedoen.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("aanbod/", views.catalogue_view, name="catalogue"),
    path("aanbod/plek/<uuid:placement_id>/", views.placement_view, name="placement"),
    path("aanbieders/", views.providers_view, name="providers"),
    path("aanbieders/nieuw/", views.provider_new_view, name="provider-new"),
    path("aanbieders/<uuid:provider_id>/", views.provider_view, name="provider"),
    path("aanbieders/<uuid:provider_id>/medewerker/", views.provider_user_view, name="provider-user"),
    path("aanbieder/", views.portal_view, name="portal"),
    path("aanbieder/plek/nieuw/", views.placement_new_view, name="placement-new"),
    path("aanbieder/plek/<uuid:placement_id>/", views.placement_edit_view, name="placement-edit"),
    path("aanbieder/voorstel/<uuid:proposal_id>/", views.portal_proposal_view, name="portal-proposal"),
    path(
        "aanbieder/voorstel/<uuid:proposal_id>/accepteren/",
        views.portal_proposal_accept_view,
        name="portal-proposal-accept",
    ),
    path(
        "aanbieder/voorstel/<uuid:proposal_id>/afwijzen/",
        views.portal_proposal_decline_view,
        name="portal-proposal-decline",
    ),
    path("aanbieder/plaatsing/<uuid:seat_id>/", views.portal_seat_view, name="portal-seat"),
    path(
        "aanbieder/plaatsing/<uuid:seat_id>/aanwezigheid/",
        views.portal_seat_attendance_view,
        name="portal-seat-attendance",
    ),
    path(
        "aanbieder/plaatsing/<uuid:seat_id>/verslag/",
        views.portal_seat_report_view,
        name="portal-seat-report",
    ),
    path("aanbieder/plaatsing/<uuid:seat_id>/einde/", views.portal_seat_end_view, name="portal-seat-end"),
    path("aanbieder/aanwezigheid/", views.portal_attendance_view, name="portal-attendance"),
    path(
        "inwoners/<uuid:resident_id>/plaatsingen/", views.resident_placements_view, name="resident-placements"
    ),
    path("inwoners/<uuid:resident_id>/voorstel/<uuid:placement_id>/", views.propose_view, name="propose"),
    path(
        "inwoners/<uuid:resident_id>/voorstellen/<uuid:proposal_id>/doorsturen/",
        views.forward_view,
        name="forward",
    ),
    path(
        "inwoners/<uuid:resident_id>/voorstellen/<uuid:proposal_id>/geaccepteerd/",
        views.accepted_view,
        name="accepted",
    ),
    path(
        "inwoners/<uuid:resident_id>/voorstellen/<uuid:proposal_id>/intrekken/",
        views.withdraw_view,
        name="withdraw",
    ),
    path(
        "inwoners/<uuid:resident_id>/plaatsingen/<uuid:seat_id>/beeindigen/",
        views.end_seat_view,
        name="end-seat",
    ),
]
