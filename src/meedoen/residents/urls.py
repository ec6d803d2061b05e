from django.urls import path

from meedoen.residents import views

app_name = "residents"

urlpatterns = [
    path("", views.caseload_view, name="caseload"),
    path("nieuw/", views.register_view, name="register"),
    path("overdragen/", views.transfer_view, name="transfer"),
    path("<uuid:resident_id>/", views.resident_view, name="detail"),
    path("<uuid:resident_id>/gegevens/", views.edit_personal_view, name="edit-personal"),
    path("<uuid:resident_id>/grondslag/", views.add_legal_basis_view, name="add-legal-basis"),
    path(
        "<uuid:resident_id>/grondslag/<uuid:basis_id>/beeindigen/",
        views.end_legal_basis_view,
        name="end-legal-basis",
    ),
    path("<uuid:resident_id>/toestemming/", views.consent_view, name="consent"),
    path(
        "<uuid:resident_id>/toestemming/<uuid:consent_id>/intrekken/",
        views.withdraw_consent_view,
        name="withdraw-consent",
    ),
    path("<uuid:resident_id>/ladder/", views.ladder_view, name="ladder"),
    path("<uuid:resident_id>/profiel/", views.profile_view, name="profile"),
    path("<uuid:resident_id>/plan/", views.plan_view, name="plan"),
    path("<uuid:resident_id>/plan/afspraak/", views.plan_action_view, name="plan-action"),
    path(
        "<uuid:resident_id>/plan/afspraak/<uuid:action_id>/gedaan/",
        views.plan_action_done_view,
        name="plan-action-done",
    ),
    path(
        "<uuid:resident_id>/plan/afspraak/<uuid:action_id>/weer-open/",
        views.plan_action_reopen_view,
        name="plan-action-reopen",
    ),
    path("<uuid:resident_id>/notitie/", views.note_view, name="note"),
    path("<uuid:resident_id>/bijlage/<uuid:event_id>/", views.attachment_view, name="attachment"),
]
