"""Every write through the portal is in the processing log: who, what (the action and the screen), why, and
about which resident; the resident's own writes with purpose *inzage door de inwoner zelf*, the
caseworker's answers with *begeleiding*."""

import pytest

from meedoen.audit.models import ProcessingLogEntry, Purpose
from meedoen.municipalities.models import InterestTag
from meedoen.portal.models import CorrectionRequest
from meedoen.residents.models import Consent, Resident

pytestmark = pytest.mark.django_db


def _written(resident, endpoint: str, action: str, purpose: str) -> int:
    return ProcessingLogEntry.objects.filter(
        subjects__resident_id=resident.pk, endpoint=endpoint, action=action, purpose=purpose
    ).count()


def test_every_portal_post_writes_its_processing_log_row(
    rita, alice, moestuin, login_as, django_capture_on_commit_callbacks
):
    resident = Resident.objects.get(user=rita.user)
    resident.caseworker_work = alice.user
    resident.save()
    client = login_as(rita)
    tag = InterestTag.objects.filter(municipality=resident.municipality).first()

    def consent_id() -> str:
        return str(Consent.objects.get(resident=resident, withdrawn_on__isnull=True).pk)

    own = Purpose.OWN_FILE
    steps = [
        (lambda: f"/mijn/plekken/{moestuin.pk}/interessant/", {}, "portal:mark-interest", "create"),
        (lambda: f"/mijn/plekken/{moestuin.pk}/gesprek/", {"question": "Mag ik meelopen?"},
         "portal:conversation", "update"),
        (lambda: "/mijn/wat-ik-wil/", {"interests": [str(tag.pk)] if tag else [], "hours_per_week": "10",
         "interests_text": "Buiten.", "availability_text": "", "version": "1"}, "portal:wishes", "update"),
        (lambda: "/mijn/delen/aan/", {"shared_domain": "participatiewet"}, "portal:share", "create"),
        (lambda: f"/mijn/delen/{consent_id()}/uit/", {}, "portal:stop-sharing", "update"),
        (lambda: "/mijn/gegevens/correctie/", {"part": "plan", "text": "Klopt niet."}, "portal:correction",
         "create"),
        (lambda: "/mijn/gegevens/kopie/", {}, "portal:request-export", "export"),
    ]  # fmt: skip
    for url, data, endpoint, action in steps:
        before = _written(resident, endpoint, action, own)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url(), data).status_code == 302, endpoint
        assert _written(resident, endpoint, action, own) > before, endpoint

    staff = login_as(alice)
    request = CorrectionRequest.objects.get(resident=resident)
    answers = [
        (f"/verzoeken-van-inwoners/{resident.pk}/gesprek/{moestuin.pk}/", {"answer": "Dinsdag."},
         "portal:staff-answer-conversation"),
        (f"/verzoeken-van-inwoners/correctie/{request.pk}/", {"corrected": "nee", "answer": "Klopt zo."},
         "portal:staff-answer-correction"),
    ]  # fmt: skip
    for url, data, endpoint in answers:
        assert staff.post(url, data).status_code == 302, endpoint
        assert _written(resident, endpoint, "update", Purpose.GUIDANCE) == 1, endpoint

    before = _written(resident, "portal:unmark-interest", "delete", own)
    client.post(f"/mijn/plekken/{moestuin.pk}/niet-interessant/")
    assert _written(resident, "portal:unmark-interest", "delete", own) == before + 1
