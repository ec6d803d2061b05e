from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.policies import Capability, may
from meedoen.templating import url

# The main navigation: (capability needed, url name, label). Shown only to roles that have the capability.
NAVIGATION = [
    (None, "web:home", _("Start")),
    (Capability.VIEW_CASELOAD, "residents:caseload", _("Caseload")),
    (Capability.VIEW_CASELOAD, "routes:reviews", _("Besprekingen")),
    (Capability.RUN_PLACEMENTS, "catalogue:portal", _("Mijn plekken en voorstellen")),
    (Capability.BROWSE_CATALOGUE, "catalogue:catalogue", _("Aanbod")),
    (Capability.MANAGE_PROVIDERS, "catalogue:providers", _("Aanbieders")),
    (Capability.RUN_ALLOCATION, "matching:allocations", _("Toewijzing")),
    (Capability.MANAGE_USERS, "accounts:users", _("Gebruikers")),
    (Capability.VIEW_BUDGET, "budgets:budget-start", _("Budget")),
    (Capability.MANAGE_BUDGET, "budgets:commitment-years", _("Verplichtingen")),
    (Capability.VIEW_PROCESSING_LOG, "audit:log", _("Verwerkingenlog")),
    (Capability.MANAGE_GLOSSARY, "language:manage", _("Woordenlijst")),
    (Capability.MANAGE_GLOSSARY, "letters:templates", _("Briefsjablonen")),
    (Capability.USE_API_TOKENS, "accounts:tokens", _("API-sleutels")),
    (Capability.RUN_PLACEMENTS, "budgets:invoices", _("Facturen")),
    (Capability.REVIEW_INVOICES, "budgets:invoice-review", _("Declaraties")),
    (Capability.CONFIGURE_PROGRAMME, "switching:norms", _("Normen bijstand")),
    (Capability.CONFIGURE_PROGRAMME, "portal:settings", _("Instellingen Mijn Meedoen")),
    (Capability.DESIGN_EXPERIMENTS, "experiments:list", _("Experimenten")),
    (Capability.RECRUIT_PARTICIPANTS, "experiments:list", _("Experimenten")),
    (Capability.VIEW_INDICATORS, "programmes:dashboard", _("Dashboard")),
    (Capability.VIEW_INDICATORS, "programmes:programme", _("Programma")),
    (Capability.VIEW_SUCCESSES, "programmes:successes", _("Successen")),
]


def membership(request: HttpRequest) -> dict[str, object]:
    current = getattr(request, "membership", None)
    nav = []
    if current is not None:
        path = request.path
        for capability, url_name, label in NAVIGATION:
            if capability is None or may(current.role, capability):
                link = url(url_name)
                nav.append(
                    {
                        "url": link,
                        "label": label,
                        "current": path == link or (link != "/start/" and path.startswith(link)),
                    }
                )
        # Only the most specific match is current: /aanbieder/facturen/ is Facturen, not also /aanbieder/.
        matches = [item for item in nav if item["current"]]
        for item in matches:
            item["current"] = item is max(matches, key=lambda m: len(str(m["url"])))
    return {
        "membership": current,
        "several_memberships": getattr(request, "membership_count", 0) > 1,
        "navigation": nav,
        "demo_mode": settings.MEEDOEN_DEMO_MODE,
    }
