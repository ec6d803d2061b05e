from django.urls import path

from meedoen.audit import views

app_name = "audit"

urlpatterns = [path("", views.log_view, name="log")]
