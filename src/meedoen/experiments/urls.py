from meedoen.experiments.views import urlpatterns as urlpatterns

app_name = "experiments"
