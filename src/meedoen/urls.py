from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("meedoen.web.urls")),
    path("", include("meedoen.accounts.urls")),
    path("", include("meedoen.catalogue.urls")),
    path("", include("meedoen.matching.urls")),
    path("", include("meedoen.routes.urls")),
    path("", include("meedoen.budgets.urls")),
    path("", include("meedoen.language.urls")),
    path("", include("meedoen.switching.urls")),
    path("", include("meedoen.experiments.urls")),
    path("", include("meedoen.letters.urls")),
    path("", include("meedoen.programmes.urls")),
    path("inwoners/", include("meedoen.residents.urls")),
    path("verwerkingenlog/", include("meedoen.web.log_urls")),
    path("taal/", set_language, name="set_language"),
    path("api/v1/", include("meedoen.web.api_urls")),
]

handler400 = "meedoen.web.views.bad_request"
handler403 = "meedoen.web.views.permission_denied"
handler404 = "meedoen.web.views.page_not_found"
handler500 = "meedoen.web.views.server_error"
