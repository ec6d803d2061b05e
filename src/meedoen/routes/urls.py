from django.urls import path

from meedoen.routes import views

app_name = "routes"

urlpatterns = [
    path("inwoners/<uuid:resident_id>/route/", views.route_view, name="route"),
    path("inwoners/<uuid:resident_id>/route/kort/", views.route_summary_view, name="summary"),
    path("inwoners/<uuid:resident_id>/route/openen/", views.open_route_view, name="open"),
    path("inwoners/<uuid:resident_id>/route/stap/", views.step_view, name="step"),
    path("inwoners/<uuid:resident_id>/route/correctie/", views.correct_step_view, name="correct"),
    path("inwoners/<uuid:resident_id>/route/einde/", views.end_route_view, name="end"),
    path("inwoners/<uuid:resident_id>/route/terugval/", views.fall_back_view, name="fall-back"),
    path("inwoners/<uuid:resident_id>/route/bespreking/", views.review_view, name="review"),
    path("inwoners/<uuid:resident_id>/route/verzoek/", views.request_view, name="request"),
    path("inwoners/<uuid:resident_id>/routes/<uuid:route_id>/", views.earlier_route_view, name="earlier"),
    path("route/besprekingen/", views.reviews_view, name="reviews"),
    path("route/regels/", views.rules_view, name="rules"),
    path("aanbieder/verzoeken/", views.provider_requests_view, name="provider-requests"),
    path("aanbieder/verzoeken/<uuid:request_id>/", views.provider_answer_view, name="provider-answer"),
    path("route/verzoeken/<uuid:request_id>/", views.answer_request_view, name="answer-request"),
]
