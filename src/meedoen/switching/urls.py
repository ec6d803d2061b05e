from django.urls import path

from meedoen.switching import views

app_name = "switching"

urlpatterns = [
    path("inwoners/<uuid:resident_id>/route/inkomen/", views.insight_view, name="step"),
    path("inwoners/<uuid:resident_id>/route/inkomen/pdf/", views.insight_pdf_view, name="pdf"),
    path("inwoners/<uuid:resident_id>/route/inkomen/bijlage/", views.attach_view, name="attach"),
    path("mijn/inkomen/", views.mine_view, name="mine"),
    path("beheer/inkomen/normen/", views.norms_view, name="norms"),
    path("beheer/inkomen/normen/nieuw/", views.norm_add_view, name="norm-add"),
    path("beheer/inkomen/normen/laden/", views.norms_load_view, name="norms-load"),
]
