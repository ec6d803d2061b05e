from django.urls import path

from meedoen.routes import views

app_name = "routes"

urlpatterns = [
    path("inwoners/<uuid:resident_id>/route/", views.route_view, name="route"),
    path("inwoners/<uuid:resident_id>/route/kort/", views.route_summary_view, name="summary"),
    path("route/besprekingen/", views.reviews_view, name="reviews"),
    path("route/regels/", views.rules_view, name="rules"),
    path("aanbieder/verzoeken/", views.provider_requests_view, name="provider-requests"),
    path("aanbieder/verzoeken/<uuid:request_id>/", views.provider_answer_view, name="provider-answer"),
    path("route/verzoeken/<uuid:request_id>/", views.answer_request_view, name="answer-request"),
]
