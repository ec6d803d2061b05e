"""What a resident sees and does in Mijn Meedoen, and what reaches the caseworker. Own data only: another
resident, another municipality and staff roles are refused."""

import datetime as dt
import io
import json
import uuid

import pytest
from django.utils import timezone
from pypdf import PdfReader

from meedoen.audit.models import ProcessingLogEntry, ProcessingLogSubject, Purpose
from meedoen.municipalities.models import InterestTag
from meedoen.portal.models import CorrectionRequest, DataExport, PlaceInterest, PortalSettings
from meedoen.residents.models import Consent, ExperimentArm, Plan, PlanAction, Resident, TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory
from meedoen.routes.models import Route, Step

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita_file(rita, alice, wendy):
    resident = Resident.objects.get(user=rita.user)
    resident.caseworker_work = alice.user
    resident.caseworker_care = wendy.user
    resident.save()
    alice.user.email = "alice@apeldoorn.example"
    alice.user.save()
    return resident


def _logged_views(resident):
    return ProcessingLogEntry.objects.filter(
        subjects__resident_id=resident.pk, purpose=Purpose.OWN_FILE
    ).values_list("endpoint", flat=True)


def test_my_plan_shows_goals_actions_overdue_review_and_caseworkers(rita, rita_file, login_as):
    today = timezone.localdate()
    plan = Plan.objects.create(resident=rita_file, goals="Ik wil weer met mensen werken.", review_on=today)
    PlanAction.objects.create(
        plan=plan, description="Bellen met de moestuin", owner="inwoner", due_on=today - dt.timedelta(days=3)
    )
    PlanAction.objects.create(
        plan=plan, description="Fiets laten maken", owner="begeleider", due_on=today + dt.timedelta(days=9)
    )
    page = login_as(rita).get("/mijn/").content.decode()
    assert "Ik wil weer met mensen werken." in page
    assert "1 afspraak is over tijd." in page
    assert "Bellen met de moestuin" in page and "Fiets laten maken" in page
    assert "Klantmanager of consulent" in page  # who does it
    assert "alice@apeldoorn.example" in page  # how to reach the caseworker
    assert "portal:home" in _logged_views(rita_file)


def test_in_an_experiment_without_required_agreements_my_own_are_not_called_overdue(
    rita, rita_file, login_as
):
    """The experiment's arm (here 'Eigen regie' of regelluwe bijstand) makes the resident's own agreements
    voluntary: the portal does not call them late, as the caseworker's worklist does not chase them."""
    today = timezone.localdate()
    plan = Plan.objects.create(resident=rita_file, goals="Zelf kiezen wat ik doe.")
    PlanAction.objects.create(
        plan=plan, description="Bellen met de moestuin", owner="inwoner", due_on=today - dt.timedelta(days=3)
    )
    PlanAction.objects.create(
        plan=plan, description="Fiets laten maken", owner="begeleider", due_on=today - dt.timedelta(days=2)
    )
    arm = ExperimentArm.objects.create(
        resident=rita_file, participant_id=uuid.uuid4(), experiment_title="Regelluwe bijstand",
        arm_name="Eigen regie", voluntary_agreements=True, starts_on=today - dt.timedelta(days=30),
    )  # fmt: skip
    page = login_as(rita).get("/mijn/").content.decode()
    own = page.split("Bellen met de moestuin", 1)[1].split("</li>", 1)[0]
    assert "vrijwillig: u doet mee aan een experiment zonder verplichte afspraken" in own
    assert "over tijd" not in own
    assert "1 afspraak is over tijd." in page  # the provider's agreement is still late
    # The resident stopped: the normal rules apply again.
    arm.ends_on = today
    arm.save()
    page = login_as(rita).get("/mijn/").content.decode()
    assert "2 afspraken zijn over tijd." in page and "vrijwillig: u doet mee" not in page


def test_my_route_explains_a_step_back_as_normal(rita, rita_file, alice, login_as):
    route = Route.objects.create(
        municipality=rita_file.municipality,
        resident=rita_file,
        opened_on=dt.date(2026, 1, 5),
        created_by=alice.user,
    )
    now = timezone.now()
    Step.objects.create(
        route=route,
        phase="activerend_werk",
        starts_on=dt.date(2026, 1, 5),
        reason="start",
        decided_by=alice.user,
        recorded_at=now,
    )
    Step.objects.create(
        route=route,
        phase="verkennen",
        starts_on=dt.date(2026, 3, 1),
        reason="te_zwaar",
        is_back=True,
        reason_text="intern: ziek gemeld",
        decided_by=alice.user,
        recorded_at=now,
    )
    page = login_as(rita).get("/mijn/route/").content.decode()
    assert "een stap terug" in page
    assert "Een stap terug is gewoon" in page
    assert "intern: ziek gemeld" not in page  # the caseworker's own explanation stays on the staff side


def test_places_that_fit_show_reasons_and_a_conversation_reaches_the_worklist(
    rita, rita_file, moestuin, alice, login_as
):
    client = login_as(rita)
    page = client.get("/mijn/plekken/").content.decode()
    assert "Moestuin De Maten" in page and "Past:" in page
    response = client.post(f"/mijn/plekken/{moestuin.pk}/interessant/")
    assert response.status_code == 302
    assert PlaceInterest.objects.filter(resident=rita_file, placement=moestuin).exists()
    response = client.post(f"/mijn/plekken/{moestuin.pk}/gesprek/", {"question": ""})  # optional left empty
    assert response.status_code == 302
    worklist = login_as(alice).get("/start/").content.decode()
    assert "Vragen van inwoners" in worklist and "wil praten over Moestuin De Maten" in worklist
    assert PlaceInterest.objects.get(resident=rita_file).conversation_asked_at is not None
    staff = login_as(alice)
    assert (
        staff.post(
            f"/verzoeken-van-inwoners/{rita_file.pk}/gesprek/{moestuin.pk}/", {"answer": ""}
        ).status_code
        == 400
    )
    staff.post(
        f"/verzoeken-van-inwoners/{rita_file.pk}/gesprek/{moestuin.pk}/", {"answer": "Ik bel u dinsdag."}
    )
    assert "Ik bel u dinsdag." in client.get("/mijn/plekken/").content.decode()
    assert "Vragen van inwoners" not in login_as(alice).get("/start/").content.decode()


def test_my_wishes_are_saved_and_shown_to_the_caseworker_as_my_own_words(
    rita, rita_file, alice, groene_schakel, login_as
):
    client = login_as(rita)
    groen = InterestTag.objects.filter(municipality=rita_file.municipality).first()
    page = client.get("/mijn/wat-ik-wil/").content.decode()
    assert "Wat vindt u leuk om te doen?" in page
    response = client.post(
        "/mijn/wat-ik-wil/",
        {"interests": [str(groen.pk)], "hours_per_week": "12", "preferred_days": ["ma", "wo"],
         "interests_text": "Ik werk graag buiten.", "availability_text": "", "version": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    rita_file.profile.refresh_from_db()
    assert rita_file.profile.hours_per_week == 12
    assert rita_file.profile.preferred_days == ["ma", "wo"]
    staff_page = login_as(alice).get(f"/verzoeken-van-inwoners/{rita_file.pk}/").content.decode()
    assert "In de eigen woorden van de inwoner" in staff_page and "Ik werk graag buiten." in staff_page
    bad = client.post("/mijn/wat-ik-wil/", {"hours_per_week": "60", "version": "2"})
    assert "Vul een aantal uren van 0 tot en met 40 in." in bad.content.decode()


def test_consent_per_part_is_given_and_withdrawn_by_the_resident(rita, rita_file, login_as):
    client = login_as(rita)
    page = client.get("/mijn/delen/").content.decode()
    assert "U deelt dit deel nu niet." in page
    client.post("/mijn/delen/aan/", {"shared_domain": "participatiewet"})
    consent = Consent.objects.get(resident=rita_file, shared_domain="participatiewet")
    assert consent.recorded_by == rita.user and consent.withdrawn_on is None
    assert "U deelt dit deel sinds" in client.get("/mijn/delen/").content.decode()
    client.post(f"/mijn/delen/{consent.pk}/uit/")
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()


def test_who_looked_shows_organisation_role_and_purpose_without_names_unless_chosen(
    rita, rita_file, alice, login_as
):
    login_as(alice).get(f"/inwoners/{rita_file.pk}/")
    client = login_as(rita)
    page = client.get("/mijn/wie-keek/").content.decode()
    assert "Gemeente Apeldoorn, Klantmanager (werk)" in page
    assert "Begeleiding van de inwoner in het programma" in page
    assert "Dossier van inwoner" in page
    assert "Alice" not in page
    PortalSettings.objects.create(municipality=rita_file.municipality, show_staff_names=True)
    assert "(Alice" in client.get("/mijn/wie-keek/").content.decode()


def test_a_copy_of_my_data_is_made_in_the_background_and_its_download_is_logged(
    rita, rita_file, alice, login_as, django_capture_on_commit_callbacks
):
    TimelineEvent.objects.create(
        resident=rita_file,
        kind="notitie",
        occurred_at=timezone.now(),
        author=alice.user,
        text="Werkaantekening: geheim",
    )
    client = login_as(rita)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/mijn/gegevens/kopie/").status_code == 302
    export = DataExport.objects.get(resident=rita_file)
    assert export.status == DataExport.Status.DONE and export.progress == 100
    page = client.get("/mijn/gegevens/").content.decode()
    assert "Download PDF" in page
    data = client.get("/mijn/gegevens/kopie/json/")
    document = json.loads(data.content)
    assert document["persoonsgegevens"]["bsn"] == rita_file.bsn
    assert "Werkaantekening: geheim" not in data.content.decode()
    pdf = client.get("/mijn/gegevens/kopie/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and bytes(pdf.content[:4]) == b"%PDF"
    root = PdfReader(io.BytesIO(bytes(pdf.content))).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "nl"  # tagged for a screen reader, in Dutch
    downloads = ProcessingLogEntry.objects.filter(endpoint__startswith="portal:download-", action="export")
    assert downloads.count() == 2  # each download is logged as an export of the resident's data


def test_a_correction_request_reaches_the_caseworker_and_the_answer_comes_back(
    rita, rita_file, alice, login_as
):
    client = login_as(rita)
    bad = client.post("/mijn/gegevens/correctie/", {"part": "", "text": ""})
    assert bad.status_code == 400 and "Kies welk deel niet klopt." in bad.content.decode()
    client.post(
        "/mijn/gegevens/correctie/", {"part": "persoonsgegevens", "text": "Mijn adres is Kerkstraat 3."}
    )
    request = CorrectionRequest.objects.get(resident=rita_file)
    assert "vraagt om correctie" in login_as(alice).get("/start/").content.decode()
    login_as(alice).post(
        f"/verzoeken-van-inwoners/correctie/{request.pk}/",
        {"corrected": "ja", "answer": "Aangepast, dank u."},
    )
    page = client.get("/mijn/gegevens/").content.decode()
    assert "Aangepast, dank u." in page and "Aangepast" in page


def test_a_resident_sees_only_their_own_data(rita, rita_file, apeldoorn, epe, moestuin, login_as):
    other = ResidentFactory(municipality=apeldoorn, given_names="Olga", work=True)
    DataExport.objects.create(
        municipality=apeldoorn,
        resident=other,
        requested_by=rita.user,
        requested_at=timezone.now(),
        status="klaar",
    )
    their_interest = PlaceInterest.objects.create(
        municipality=apeldoorn, resident=other, placement=moestuin, marked_at=timezone.now()
    )
    client = login_as(rita)
    assert client.get("/mijn/gegevens/kopie/json/").status_code == 404  # only Olga has a copy
    assert client.post(f"/mijn/plekken/{moestuin.pk}/niet-interessant/").status_code == 404
    assert PlaceInterest.objects.filter(pk=their_interest.pk).exists()
    their_consent = Consent.objects.create(
        resident=other, shared_domain="wmo", given_on=dt.date(2026, 1, 1), recorded_by=rita.user
    )
    assert client.post(f"/mijn/delen/{their_consent.pk}/uit/").status_code == 404
    for path in ("/mijn/", "/mijn/route/", "/mijn/wie-keek/", "/mijn/gegevens/", "/mijn/wat-ik-wil/"):
        assert "Olga" not in client.get(path).content.decode()


def test_places_of_another_municipality_are_not_found(rita, rita_file, epe, login_as):
    from meedoen.catalogue.tests.factories import ContractFactory, PlacementFactory, ProviderFactory

    provider = ProviderFactory(name="Epe Werkt")
    ContractFactory(provider=provider, municipality=epe)
    place_in_epe = PlacementFactory(provider=provider, title="Kwekerij Epe")
    client = login_as(rita)
    assert client.post(f"/mijn/plekken/{place_in_epe.pk}/interessant/").status_code == 404
    assert client.get(f"/mijn/plekken/{place_in_epe.pk}/gesprek/").status_code == 404


def test_staff_cannot_open_the_portal_and_residents_cannot_answer(rita, rita_file, alice, charlie, login_as):
    assert login_as(alice).get("/mijn/").status_code == 403
    request = CorrectionRequest.objects.create(
        municipality=rita_file.municipality,
        resident=rita_file,
        part="plan",
        text="x",
        asked_at=timezone.now(),
    )
    assert (
        login_as(rita)
        .post(f"/verzoeken-van-inwoners/correctie/{request.pk}/", {"corrected": "ja", "answer": "y"})
        .status_code
        == 403
    )
    # a caseworker of another municipality gets 404
    assert login_as(charlie).get(f"/verzoeken-van-inwoners/{rita_file.pk}/").status_code == 404
    assert (
        login_as(charlie)
        .post(f"/verzoeken-van-inwoners/correctie/{request.pk}/", {"corrected": "ja", "answer": "y"})
        .status_code
        == 404
    )
    request.refresh_from_db()
    assert request.status == CorrectionRequest.Status.OPEN


def test_every_portal_page_is_in_the_processing_log(rita, rita_file, login_as):
    client = login_as(rita)
    for path in (
        "/mijn/",
        "/mijn/route/",
        "/mijn/plekken/",
        "/mijn/wat-ik-wil/",
        "/mijn/delen/",
        "/mijn/wie-keek/",
        "/mijn/gegevens/",
    ):
        before = ProcessingLogSubject.objects.filter(resident_id=rita_file.pk).count()
        assert client.get(path).status_code == 200, path
        assert ProcessingLogSubject.objects.filter(resident_id=rita_file.pk).count() > before, path


def test_the_copy_shows_its_progress_while_it_is_made(rita, rita_file, login_as):
    DataExport.objects.create(
        municipality=rita_file.municipality,
        resident=rita_file,
        requested_by=rita.user,
        requested_at=timezone.now(),
        status=DataExport.Status.RUNNING,
        progress=40,
    )
    client = login_as(rita)
    page = client.get("/mijn/gegevens/").content.decode()
    assert "Wordt gemaakt: 40%" in page and 'hx-trigger="every 2s"' in page
    assert "Maak een kopie van mijn gegevens" not in page  # one copy at a time
    part = client.get("/mijn/gegevens/", HTTP_HX_REQUEST="true").content.decode()
    assert part.lstrip().startswith('<div id="kopieen"') and "Wordt gemaakt: 40%" in part


def test_the_resident_file_loads_the_residents_own_words(rita, rita_file, alice, login_as):
    from meedoen.portal.models import OwnWords

    OwnWords.objects.create(resident=rita_file, interests_text="Ik kook graag.", updated_at=timezone.now())
    staff = login_as(alice)
    file_page = staff.get(f"/inwoners/{rita_file.pk}/").content.decode()
    assert f"/verzoeken-van-inwoners/{rita_file.pk}/" in file_page
    part = staff.get(f"/verzoeken-van-inwoners/{rita_file.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "Ik kook graag." in part and "Door de inwoner zelf geschreven" in part
    assert "<html" not in part
