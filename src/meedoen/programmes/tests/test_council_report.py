"""The quarterly council report: a programme manager starts it, a background job builds it with progress,
it is stored and downloaded again as the same file; it holds every indicator per month of the quarter, the
owners' project texts and the budget, with small cells hidden as on the dashboard. A project's owner writes
its text; other roles get 403, another municipality 404."""

import datetime as dt
import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from meedoen.accounts.actor import Actor
from meedoen.budgets.tests.factories import BudgetYearFactory, FundingSourceFactory, ProjectFactory
from meedoen.errors import RuleError
from meedoen.municipalities.models import District
from meedoen.programmes import actions, rollup, selectors
from meedoen.programmes.council_report import do_build_council_report
from meedoen.programmes.models import (
    CouncilReport,
    Indicator,
    Programme,
    ProjectProfile,
    ProjectText,
    Success,
)
from meedoen.programmes.tests.helpers import route
from meedoen.residents.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
QUARTER = selectors.last_quarter(timezone.localdate())
SIMULTANEOUS = 12
TEXT = (
    "Twaalf inwoners deden mee. Drie van hen werken nu bij de kringloop. Volgend kwartaal starten we in Zuid."
)


@pytest.fixture
def world(apeldoorn, pim, alice, carla):
    """Twelve residents in the programme all quarter; three of them stepped into leerwerken in its first
    month (a group under five). A project owned by alice, and a budget year with one source."""
    maten = District.objects.get(municipality=apeldoorn, name="De Maten")
    for index in range(12):
        resident = ResidentFactory(
            municipality=apeldoorn, work=True, district=maten, caseworker_work=alice.user
        )
        steps = [("leerwerken", QUARTER.first + dt.timedelta(days=3))] if index < 3 else []
        route(resident, alice.user, dt.date(2025, 1, 6), steps)
    Programme.objects.create(
        municipality=apeldoorn,
        name="Meedoen Apeldoorn",
        goal="Iedereen doet mee",
        starts_on=dt.date(2025, 1, 1),
        updated_by=pim.user,
    )
    from meedoen.programmes.actions import do_ensure_indicators

    do_ensure_indicators(apeldoorn)
    for month in QUARTER.months:
        rollup.build_month(apeldoorn.pk, month, today=timezone.localdate())
    project = ProjectFactory(municipality=apeldoorn, name="Re-integratie 45+")
    ProjectProfile.objects.create(
        project=project,
        programme=Programme.objects.get(municipality=apeldoorn),
        owner="Alice",
        owner_user=alice.user,
        goal="45-plussers aan het werk",
        starts_on=dt.date(2025, 1, 1),
    )
    year = BudgetYearFactory(municipality=apeldoorn, year=QUARTER.first.year, created_by=carla.user)
    FundingSourceFactory(budget_year=year, name="Re-integratiemiddelen")
    return {"project": project}


def _write_text(client, project, text=TEXT):
    url = reverse("programmes:project-text", args=[project.pk]) + f"?kwartaal={QUARTER.label}"
    return client.post(url, {"text": text})


def _post_start(client, quarter=QUARTER.label):
    return client.post(reverse("programmes:council-report-start"), {"quarter": quarter})


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """Start a report as the page does; the job runs when the request's transaction commits (the test
    settings run tasks at once)."""

    def run(client, quarter=QUARTER.label):
        with django_capture_on_commit_callbacks(execute=True):
            return _post_start(client, quarter)

    return run


def _download(client, report, fmt):
    url = reverse("programmes:council-report-download", args=[report.pk]) + f"?formaat={fmt}"
    return client.get(url)


def _pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_job_builds_a_report_with_every_indicator_the_project_text_the_budget_and_small_cells_hidden(
    world, apeldoorn, pim, alice, login_as, start
):
    assert _write_text(login_as(alice), world["project"]).status_code == 302  # the owner writes it
    client = login_as(pim)
    response = start(client)
    report = CouncilReport.objects.get(municipality=apeldoorn)
    assert response.status_code == 302 and response["Location"] == reverse(
        "programmes:council-report", args=[report.pk]
    )
    assert (report.status, report.progress, report.quarter) == ("klaar", 100, QUARTER.label)

    pdf = _download(client, report, "pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    with translation.override("nl"):
        names = [selectors.indicator_name(i) for i in Indicator.objects.filter(municipality=apeldoorn)]
    assert len(names) == 12
    for name in names:
        assert name in text, name
    assert TEXT in text
    assert "Re-integratie 45+" in text and "Re-integratiemiddelen" in text  # project and budget
    assert "<5" in text  # the three who stepped into leerwerken
    assert f"In {QUARTER.label} is geen succes gedeeld." in text

    csv = _download(client, report, "csv").content.decode("utf-8-sig")
    assert f"Alle indicatoren in {QUARTER.label}" in csv
    per_phase = csv.split(": per fase")[1].split("\r\n\r\n")[0]
    assert "leerwerken (werkleerbedrijf);<5" in per_phase
    assert "kennismaken;<5" in per_phase  # 9, hidden too: 12 minus it would give the small group
    assert "Re-integratiemiddelen;" in csv

    book = load_workbook(io.BytesIO(_download(client, report, "xlsx").content))
    assert len(book.sheetnames) == len(report.tables) > 12
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
    assert f"Alle indicatoren in {QUARTER.label}" in cells and "<5" in cells


def test_the_pdf_is_tagged_for_screen_readers_and_in_dutch(world, pim, login_as, start):
    client = login_as(pim)
    start(client)
    report = CouncilReport.objects.get()
    root = PdfReader(io.BytesIO(_download(client, report, "pdf").content)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nl"


def test_a_second_download_gives_the_same_stored_file(world, pim, carla, login_as, start):
    start(login_as(pim))
    report = CouncilReport.objects.get()
    for fmt in ("pdf", "csv", "xlsx"):
        first = _download(login_as(pim), report, fmt).content
        again = _download(login_as(carla), report, fmt).content  # the controller reads reports too
        assert first == again, fmt
    assert _download(login_as(pim), report, "pdf").content == bytes(CouncilReport.objects.get().pdf)
    page = login_as(pim).get(reverse("programmes:council-reports")).content.decode()
    assert QUARTER.label in page and "Klaar" in page  # listed among the earlier reports


def test_progress_goes_from_queued_to_done_and_the_page_stops_asking(world, pim, login_as):
    client = login_as(pim)
    _post_start(client)  # not built yet: the job is queued when the transaction commits, not in this test
    report = CouncilReport.objects.get()
    assert (report.status, report.progress) == ("wachtrij", 0)
    url = reverse("programmes:council-report", args=[report.pk])
    waiting = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in waiting and 'value="0"' in waiting and "<h1" not in waiting
    do_build_council_report(report.pk)  # what the worker does
    report.refresh_from_db()
    assert (report.status, report.progress) == ("klaar", 100)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and 'value="100"' in done and "Download de PDF" in done


def test_a_quarter_that_has_not_begun_or_is_not_a_quarter_is_refused_at_the_field(
    world, pim, login_as, start
):
    client = login_as(pim)
    later = selectors.quarter_of(QUARTER.last + dt.timedelta(days=200)).label
    response = start(client, later)
    assert response.status_code == 400
    assert "Dit kwartaal is nog niet begonnen" in response.content.decode()
    response = start(client, "2026-05")
    assert "Kies een kwartaal, zoals 2026-Q2." in response.content.decode()
    assert not CouncilReport.objects.exists()


def test_roles_without_the_capability_get_403_and_another_municipality_404(
    world, pim, alice, carla, charlie, paula, login_as, start
):
    start(login_as(pim))
    report = CouncilReport.objects.get()
    caseworker = login_as(alice)
    assert caseworker.get(reverse("programmes:council-reports")).status_code == 403
    assert start(caseworker).status_code == 403
    assert _download(caseworker, report, "pdf").status_code == 403
    assert start(login_as(carla)).status_code == 403  # the controller reads, does not make
    assert CouncilReport.objects.count() == 1
    epe = login_as(charlie)
    assert epe.get(reverse("programmes:council-report", args=[report.pk])).status_code in (403, 404)
    assert _write_text(login_as(paula), world["project"]).status_code == 403


def test_the_owner_writes_the_project_text_and_a_caseworker_who_is_not_the_owner_gets_403(
    world, apeldoorn, alice, wendy, pim, login_as
):
    owner = login_as(alice)
    url = reverse("programmes:project-text", args=[world["project"].pk]) + f"?kwartaal={QUARTER.label}"
    page = owner.get(url).content.decode()
    assert reverse("language:check") in page  # the live language check
    assert _write_text(owner, world["project"], "  ").status_code == 200
    assert not ProjectText.objects.exists()
    assert _write_text(owner, world["project"]).status_code == 302
    listed = owner.get(reverse("programmes:project-texts") + f"?kwartaal={QUARTER.label}")
    assert TEXT in listed.content.decode()
    assert login_as(wendy).get(url).status_code == 403
    assert _write_text(login_as(wendy), world["project"], "Overschreven").status_code == 403
    assert _write_text(login_as(pim), world["project"], "Door de programmamanager.").status_code == 302
    assert ProjectText.objects.get().text == "Door de programmamanager."
    assert (
        "Re-integratie 45+" not in login_as(wendy).get(reverse("programmes:project-texts")).content.decode()
    )


def test_the_command_line_builds_and_stores_the_report_and_writes_the_pdf(world, pim, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "raad.pdf"
    stdout = io.StringIO()
    call_command(
        "council_report", municipality="apeldoorn", quarter=QUARTER.label, out=str(out), stdout=stdout
    )
    report = CouncilReport.objects.get()
    assert (report.status, report.requested_by) == ("klaar", pim.user)
    assert out.read_bytes() == bytes(report.pdf) and "Re-integratie 45+" in _pdf_text(out.read_bytes())
    assert "<5" in (tmp_path / "raad.csv").read_text(encoding="utf-8")


def test_the_programme_manager_chooses_the_projects_owner_in_meedoen_and_only_a_colleague_is_offered(
    apeldoorn, pim, alice, charlie, login_as
):
    Programme.objects.create(
        municipality=apeldoorn,
        name="Meedoen",
        goal="Doel",
        starts_on=dt.date(2026, 1, 1),
        updated_by=pim.user,
    )
    project = ProjectFactory(municipality=apeldoorn)
    url = reverse("programmes:project-describe", args=[project.pk])
    client = login_as(pim)
    form = client.get(url).content.decode()
    assert "Alice" in form and "Charlie" not in form  # Epe's caseworker is not offered
    fields = {"owner": "Alice", "goal": "Werk", "starts_on": "2026-01-01"}
    response = client.post(url, {**fields, "owner_user": str(charlie.user.pk)})
    assert response.status_code == 200 and not ProjectProfile.objects.exists()
    assert client.post(url, {**fields, "owner_user": str(alice.user.pk)}).status_code == 302
    assert ProjectProfile.objects.get(project=project).owner_user == alice.user


def _success(resident, caseworker, day, status, text):
    now = timezone.now()
    return Success.objects.create(
        municipality=resident.municipality, resident=resident, kind=Success.Kind.CERTIFICATE, happened_on=day,
        source=Success.Source.BY_HAND, source_key=f"hand:{text}", certificate="Heftruck", status=status,
        text=text, consent_recorded_by=caseworker, consent_recorded_at=now, proposed_by=caseworker,
        published_at=now if status == "gepubliceerd" else None,
    )  # fmt: skip


def test_the_report_counts_the_quarters_shared_successes_with_their_approved_texts(
    world, apeldoorn, alice, pim, login_as, start
):
    resident = ResidentFactory(municipality=apeldoorn, work=True, caseworker_work=alice.user)
    inside = QUARTER.first + dt.timedelta(days=20)
    _success(resident, alice.user, inside, "gepubliceerd", "Ik haalde mijn heftruckcertificaat.")
    _success(resident, alice.user, QUARTER.last, "gepubliceerd", "Ik werk nu in het magazijn.")
    _success(resident, alice.user, inside, "akkoord_inwoner", "Nog niet gedeeld.")
    _success(resident, alice.user, inside, "teruggenomen", "Niet meer gedeeld.")
    _success(resident, alice.user, QUARTER.first - dt.timedelta(days=1), "gepubliceerd", "Vorig kwartaal.")
    client = login_as(pim)
    start(client)
    report = CouncilReport.objects.get()
    text = _pdf_text(_download(client, report, "pdf").content)
    assert f"In {QUARTER.label} zijn 2 successen gedeeld" in text
    assert "Ik haalde mijn heftruckcertificaat." in text and "Ik werk nu in het magazijn." in text
    for left_out in ("Nog niet gedeeld.", "Niet meer gedeeld.", "Vorig kwartaal."):
        assert left_out not in text
    csv = _download(client, report, "csv").content.decode("utf-8-sig")
    table = csv.split(f"Successen in {QUARTER.label}")[1].split("\r\n\r\n")[0]
    assert table.count("Certificaat;") == 2 and "Ik werk nu in het magazijn." in table


# ------------------------------------------------------------------------------- a report that gets stuck


def _unfinished(pim, *, minutes_ago: int, status="bezig", quarter=QUARTER.label) -> CouncilReport:
    """A report whose job started ``minutes_ago`` and never finished (its worker died)."""
    report = CouncilReport.objects.create(
        municipality=pim.municipality, quarter=quarter, status=status, progress=40,
        requested_by=pim.user, membership=pim,
    )  # fmt: skip
    asked = timezone.now() - dt.timedelta(minutes=minutes_ago)
    CouncilReport.objects.filter(pk=report.pk).update(created_at=asked)
    report.refresh_from_db()
    return report


def test_a_stuck_report_shows_as_failed_and_a_new_one_is_made(world, pim, login_as, start):
    stuck = _unfinished(pim, minutes_ago=20)
    client = login_as(pim)
    url = reverse("programmes:council-report", args=[stuck.pk])
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Het maken is vastgelopen. Probeer het opnieuw." in page
    assert "hx-trigger" not in page  # the page stops asking
    listed = client.get(reverse("programmes:council-reports")).content.decode()
    assert "Mislukt" in listed and "Wordt gemaakt" not in listed

    response = start(client)
    assert response.status_code == 302
    stuck.refresh_from_db()
    assert stuck.status == "mislukt" and stuck.finished_at is not None
    new = CouncilReport.objects.exclude(pk=stuck.pk).get()
    assert (new.quarter, new.status) == (QUARTER.label, "klaar")
    assert "Download de PDF" in client.get(response["Location"]).content.decode()


def test_a_stuck_queued_report_is_marked_failed_too(world, pim, login_as):
    stuck = _unfinished(pim, minutes_ago=16, status="wachtrij")
    assert _post_start(login_as(pim)).status_code == 302
    stuck.refresh_from_db()
    assert stuck.status == "mislukt"
    assert CouncilReport.objects.count() == 2


def test_a_report_being_made_blocks_a_second_of_its_quarter_but_not_another_quarter(world, pim, login_as):
    running = _unfinished(pim, minutes_ago=2)
    client = login_as(pim)
    page = client.get(reverse("programmes:council-report", args=[running.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "vastgelopen" not in page
    refused = _post_start(client)
    assert refused.status_code == 400
    assert (
        "De rapportage van dit kwartaal wordt al gemaakt. Wacht tot die klaar is." in refused.content.decode()
    )
    running.refresh_from_db()
    assert running.status == "bezig"
    assert CouncilReport.objects.count() == 1
    earlier = selectors.quarter_of(QUARTER.first - dt.timedelta(days=1)).label
    assert _post_start(client, earlier).status_code == 302
    assert CouncilReport.objects.count() == 2


def test_the_old_job_of_a_stuck_report_leaves_it_failed(world, pim):
    failed = _unfinished(pim, minutes_ago=30, status="mislukt")
    report = do_build_council_report(failed.pk)
    assert (report.status, report.progress, bytes(report.pdf)) == ("mislukt", 40, b"")


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; this race runs in the PostgreSQL pass")


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_start_one_report_of_a_quarter(postgres_only, apeldoorn, pim):
    start_together = threading.Barrier(SIMULTANEOUS)

    def ask(_: int) -> str:
        try:
            start_together.wait()
            actions.do_request_council_report(QUARTER, actor=Actor(pim.user, pim, "test"), queue=False)
            return "started"
        except RuleError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=SIMULTANEOUS) as pool:
        outcomes = list(pool.map(ask, range(SIMULTANEOUS)))

    assert outcomes.count("started") == 1
    assert CouncilReport.objects.filter(quarter=QUARTER.label).count() == 1
