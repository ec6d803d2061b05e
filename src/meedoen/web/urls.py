from django.urls import path

from meedoen.web import views

app_name = "web"

urlpatterns = [
    path("", views.root_view, name="root"),
    path("start/", views.home_view, name="home"),
    path("health", views.health_view, name="health"),
]
