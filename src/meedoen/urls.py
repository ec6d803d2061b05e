from django.conf import settings
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
    path("", include("meedoen.portal.urls")),
]

# DigiD for residents (docs/portal.md): the library's SAML views (two adjusted in portal/digid_urls.py), or
# its mock identity provider.
if settings.MEEDOEN_DIGID_MOCK:
    urlpatterns += [
        path("digid/", include("digid_eherkenning.mock.digid_urls")),
        path("digid/idp/", include("digid_eherkenning.mock.idp.digid_urls")),
    ]
else:
    urlpatterns += [path("digid/", include("meedoen.portal.digid_urls"))]

handler400 = "meedoen.web.views.bad_request"
handler403 = "meedoen.web.views.permission_denied"
handler404 = "meedoen.web.views.page_not_found"
handler500 = "meedoen.web.views.server_error"
