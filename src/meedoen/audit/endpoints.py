"""Readable names for the screens and API endpoints the processing log records (``entry.endpoint`` holds the
URL name, such as ``residents:detail``), so the privacy officer reads "Dossier van inwoner", not a code.

Only text: this module imports no other app. An endpoint without a name of its own gets the name of its part
of Meedoen, with the code after it; anything else (a management command, the demo) shows the code itself.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    # The resident file
    "residents:caseload": _("Caseload"),
    "residents:register": _("Inwoner inschrijven"),
    "residents:transfer": _("Caseload overdragen"),
    "residents:detail": _("Dossier van inwoner"),
    "residents:edit-personal": _("Dossier: persoonsgegevens"),
    "residents:add-legal-basis": _("Dossier: grondslag toevoegen"),
    "residents:end-legal-basis": _("Dossier: grondslag beëindigen"),
    "residents:consent": _("Dossier: toestemming"),
    "residents:withdraw-consent": _("Dossier: toestemming intrekken"),
    "residents:ladder": _("Dossier: participatieladder"),
    "residents:profile": _("Dossier: profiel"),
    "residents:plan": _("Dossier: ontwikkelplan"),
    "residents:plan-action": _("Dossier: afspraak in het plan"),
    "residents:plan-action-done": _("Dossier: afspraak gedaan"),
    "residents:plan-action-reopen": _("Dossier: afspraak weer open"),
    "residents:note": _("Dossier: notitie"),
    "residents:attachment": _("Dossier: bijlage"),
    # The route
    "routes:route": _("Route"),
    "routes:open": _("Route: beginnen"),
    "routes:step": _("Route: stap vastleggen"),
    "routes:correct": _("Route: stap corrigeren"),
    "routes:end": _("Route: beëindigen"),
    "routes:fall-back": _("Route: terug na betaald werk"),
    "routes:review": _("Route: bespreking vastleggen"),
    "routes:request": _("Route: verzoek aan een collega"),
    "routes:earlier": _("Eerdere route"),
    "routes:rules": _("Regels van de route"),
    "routes:summary": _("Route (kort)"),
    "routes:reviews": _("Besprekingen"),
    "routes:answer-request": _("Verzoek om heroriëntatie"),
    "routes:provider-requests": _("Aanbieder: verzoeken"),
    "routes:provider-answer": _("Aanbieder: verzoek beantwoorden"),
    # Offer and proposals
    "catalogue:catalogue": _("Aanbod"),
    "catalogue:placement": _("Plek in het aanbod"),
    "catalogue:resident-placements": _("Dossier: voorstellen en plaatsingen"),
    "catalogue:propose": _("Voorstel doen"),
    "catalogue:accepted": _("Voorstel geaccepteerd: andere voorstellen intrekken"),
    "catalogue:portal-attendance": _("Aanbieder: aanwezigheid per week"),
    "catalogue:forward": _("Voorstel doorsturen"),
    "catalogue:withdraw": _("Voorstel intrekken"),
    "catalogue:end-seat": _("Plaatsing beëindigen"),
    "catalogue:portal": _("Aanbieder: overzicht"),
    "catalogue:portal-proposal": _("Aanbieder: voorstel"),
    "catalogue:portal-proposal-accept": _("Aanbieder: voorstel accepteren"),
    "catalogue:portal-proposal-decline": _("Aanbieder: voorstel afwijzen"),
    "catalogue:portal-seat": _("Aanbieder: plaatsing"),
    "catalogue:portal-seat-attendance": _("Aanbieder: aanwezigheid"),
    "catalogue:portal-seat-report": _("Aanbieder: verslag"),
    "catalogue:portal-seat-end": _("Aanbieder: plaatsing beëindigen"),
    "matching:recommendations": _("Best passende plekken"),
    "matching:explanation": _("Uitleg van een match"),
    "matching:allocations": _("Toewijzingen"),
    "matching:allocation": _("Toewijzing"),
    # The budget: commitments
    "budgets:commitment-years": _("Budget: verplichtingen per jaar"),
    "budgets:commitments": _("Budget: verplichtingen van een jaar"),
    "budgets:commitments-running": _("Budget: lopende plaatsingen verplichten"),
    "budgets:commitments-waiting": _("Budget: voorstellen die wachten op budget"),
    "budgets:commitment": _("Budget: verplichting"),
    "budgets:commitment-extend": _("Budget: einddatum van een verplichting"),
    "budgets:commitment-reattribute": _("Budget: andere geldbron"),
    "budgets:commitment-approve": _("Budget: toestemming om over het budget te gaan"),
    # The budget: budget page, set-up and reports
    "budgets:budget-start": _("Budget: startpagina"),
    "budgets:budget-open-year": _("Budget: begrotingsjaar openen"),
    "budgets:budget": _("Budget: budget van een jaar"),
    "budgets:budget-source-add": _("Budget: geldbron toevoegen"),
    "budgets:budget-project-add": _("Budget: project toevoegen"),
    "budgets:budget-allocate": _("Budget: geld toewijzen aan een project"),
    "budgets:budget-rule-add": _("Budget: verdeelregel toevoegen"),
    "budgets:budget-mutation": _("Budget: mutatie"),
    "budgets:budget-report": _("Budget: rapport"),
    # The shell and the log itself
    "web:home": _("Startpagina"),
    "audit:log": _("Verwerkingenlog"),
    "audit:export": _("Verwerkingenlog: export"),
    # The API
    "api:resident-list": _("API: inwoners"),
    "api:resident-detail": _("API: inwoner"),
    "api:resident-consents": _("API: toestemmingen"),
    "api:resident-consent-withdraw": _("API: toestemming intrekken"),
    "api:resident-ladder-scores": _("API: participatieladder"),
    "api:resident-legal-bases": _("API: grondslagen"),
    "api:resident-plan": _("API: ontwikkelplan"),
    "api:resident-plan-actions": _("API: afspraken in het plan"),
    "api:resident-profile": _("API: profiel"),
    "api:resident-timeline": _("API: tijdlijn"),
    "api:resident-proposals": _("API: voorstellen van inwoner"),
    "api:resident-recommendations": _("API: best passende plekken"),
    "api:resident-route": _("API: route"),
    "api:route-reviews-due": _("API: besprekingen"),
    "api:proposal-list": _("API: voorstellen"),
    "api:proposal-detail": _("API: voorstel"),
    "api:caseload-transfers": _("API: caseload overdragen"),
    "api:processing-log-entry-list": _("API: verwerkingenlog"),
    "api:budget-commitments": _("API: verplichtingen"),
    # The budget: invoices
    "budgets:invoices": _("Aanbieder: facturen"),
    "budgets:invoice-new": _("Aanbieder: nieuwe factuur"),
    "budgets:invoice-import": _("Aanbieder: factuur inlezen"),
    "budgets:invoice-example": _("Aanbieder: voorbeeldbestand factuur"),
    "budgets:invoice": _("Aanbieder: factuur"),
    "budgets:invoice-review": _("Budget: declaraties controleren"),
    "budgets:invoice-review-group": _("Budget: declaraties van een aanbieder"),
    "budgets:invoice-approve-clean": _("Budget: declaraties goedkeuren"),
    "budgets:invoice-line": _("Budget: factuurregel"),
    "budgets:invoice-line-approve": _("Budget: factuurregel goedkeuren"),
    "budgets:invoice-line-reject": _("Budget: factuurregel afkeuren"),
    "api:budget-invoices": _("API: facturen"),
    "api:budget-invoice": _("API: factuur"),
    "api:budget-balances": _("API: budget per geldbron"),
    "budgets:invoice-line-correct": _("Budget: factuurregel corrigeren"),
    "api:budget-review-lines": _("API: factuurregels controleren"),
    "api:budget-review-line-approve": _("API: factuurregel goedkeuren"),
    "api:budget-review-line-reject": _("API: factuurregel afkeuren"),
    # The resident portal (Mijn Meedoen) and the caseworker's page for what residents ask there
    "digid:acs": _("Inloggen met DigiD"),
    "portal:home": _("Mijn Meedoen: mijn plan"),
    "portal:route": _("Mijn Meedoen: mijn route"),
    "portal:places": _("Mijn Meedoen: plekken voor mij"),
    "portal:mark-interest": _("Mijn Meedoen: plek interessant"),
    "portal:unmark-interest": _("Mijn Meedoen: plek niet meer interessant"),
    "portal:conversation": _("Mijn Meedoen: gesprek over een plek"),
    "portal:wishes": _("Mijn Meedoen: wat ik wil"),
    "portal:sharing": _("Mijn Meedoen: delen"),
    "portal:share": _("Mijn Meedoen: toestemming geven"),
    "portal:stop-sharing": _("Mijn Meedoen: toestemming intrekken"),
    "portal:looked": _("Mijn Meedoen: wie keek er"),
    "portal:data": _("Mijn Meedoen: mijn gegevens"),
    "portal:request-export": _("Mijn Meedoen: kopie van mijn gegevens"),
    "portal:download-pdf": _("Mijn Meedoen: kopie downloaden"),
    "portal:download-json": _("Mijn Meedoen: kopie downloaden"),
    "portal:correction": _("Mijn Meedoen: verzoek om correctie"),
    "portal:staff-requests": _("Vragen van de inwoner"),
    "portal:staff-answer-conversation": _("Vragen van de inwoner: gesprek beantwoorden"),
    "portal:staff-answer-correction": _("Vragen van de inwoner: correctie beantwoorden"),
}

AREAS: dict[str, Promise] = {
    "residents": _("Dossier"),
    "routes": _("Route"),
    "catalogue": _("Aanbod"),
    "matching": _("Matching"),
    "accounts": _("Gebruikers"),
    "budgets": _("Budget"),
    "api": _("API"),
    "portal": _("Mijn Meedoen"),
}


def endpoint_label(endpoint: str) -> str:
    """'Dossier van inwoner' for ``residents:detail``; 'Route (routes:new-thing)' for a name not listed."""
    if endpoint in LABELS:
        return str(LABELS[endpoint])
    area = endpoint.split(":", 1)[0]
    if ":" in endpoint and area in AREAS:
        return f"{AREAS[area]} ({endpoint})"
    return endpoint
