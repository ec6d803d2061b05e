from django.urls import path

from meedoen.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/code/", views.verify_view, name="verify"),
    path("inloggen/app-koppelen/", views.enrol_view, name="enrol"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("rol-kiezen/", views.choose_membership_view, name="choose-membership"),
    path("beheer/gebruikers/", views.users_view, name="users"),
    path(
        "beheer/gebruikers/<uuid:membership_id>/uitzetten/",
        views.deactivate_membership_view,
        name="deactivate",
    ),
    path(
        "beheer/gebruikers/<uuid:membership_id>/app-opnieuw-koppelen/",
        views.reset_second_factor_view,
        name="reset-second-factor",
    ),
    path("meldingen/gelezen/", views.notifications_read_view, name="notifications-read"),
    path("api-sleutels/", views.tokens_view, name="tokens"),
    path("api-sleutels/<uuid:token_id>/intrekken/", views.revoke_token_view, name="revoke-token"),
]
