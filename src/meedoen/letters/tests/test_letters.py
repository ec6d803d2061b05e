"""Letters: the functioneel beheerder keeps the templates; a caseworker makes a letter from the file, as a
tagged PDF on the timeline, and records its sending. Other municipality 404, outside the caseload 404,
wrong role 403."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meedoen.audit.models import LogAction, ProcessingLogSubject
from meedoen.language import seed as glossary_seed
from meedoen.language.checker import Entry, Glossary, check
from meedoen.letters.actions import do_seed_letter_templates
from meedoen.letters.models import Letter, LetterTemplate
from meedoen.letters.seed import TEMPLATES
from meedoen.letters.tests.factories import LetterTemplateFactory
from meedoen.residents.models import TimelineEvent
from meedoen.residents.tests.factories import ResidentFactory

FILLED = (
    "Beste Ruben Jansen,\n\nKom op dinsdag 15 december om 10 uur naar het stadhuis.\n\n"
    "Met vriendelijke groet,\nAlice"
)


@pytest.fixture
def invitation(apeldoorn):
    do_seed_letter_templates(apeldoorn)
    return LetterTemplate.objects.get(municipality=apeldoorn, name="Uitnodiging voor een gesprek")


def _pdf_text(event: TimelineEvent) -> tuple[str, PdfReader]:
    with event.attachment.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def _make(client, resident, template, body=FILLED, **extra):
    return client.post(
        reverse("letters:letter-new", args=[resident.pk]),
        {"template": template.pk, "subject": "Uitnodiging voor een gesprek", "body": body, **extra},
    )


# ------------------------------------------------------------------------------------------- templates


def test_the_seeded_templates_use_no_avoided_words_and_are_b1():
    glossary = Glossary(
        Entry(row.avoid, (row.prefer,), row.why, tuple(glossary_seed.EXCEPTIONS.get(row.avoid, ())))
        for row in glossary_seed.read_seed()
    )
    for _kind, name, subject, body in TEMPLATES:
        report = check(f"{subject}\n\n{body}", glossary)
        assert report.hits == [], f"{name}: {[hit.text for hit in report.hits]}"
        assert report.readability.b1, f"{name}: {report.readability.features}"


def test_the_beheerder_adds_a_template_with_the_live_check(login_as, ada):
    client = login_as(ada)
    page = client.get(reverse("letters:template-new")).content.decode()
    assert reverse("language:check") in page  # the text is checked while typing
    assert "{naam}" in page  # the fields are listed
    response = client.post(
        reverse("letters:template-new"),
        {"kind": "uitnodiging", "name": "Kort gesprek", "subject": "Even praten", "body": "Beste {naam},"},
    )
    assert response.status_code == 302
    template = LetterTemplate.objects.get(name="Kort gesprek")
    assert (template.municipality, template.version, template.updated_by) == (ada.municipality, 1, ada.user)


def test_an_unknown_field_is_a_field_error_and_nothing_is_saved(login_as, ada):
    response = login_as(ada).post(
        reverse("letters:template-new"),
        {"kind": "uitnodiging", "name": "Fout", "subject": "Hallo", "body": "Beste {voornaam},"},
    )
    assert response.status_code == 200
    assert "Dit veld kent Meedoen niet: {voornaam}" in response.content.decode()
    assert not LetterTemplate.objects.filter(name="Fout").exists()


def test_a_change_makes_a_new_version_and_a_stale_one_is_refused(login_as, ada, apeldoorn):
    template = LetterTemplateFactory(municipality=apeldoorn)
    client = login_as(ada)
    url = reverse("letters:template", args=[template.pk])
    data = {
        "kind": "uitnodiging",
        "name": template.name,
        "subject": "Nieuw",
        "body": "Beste {naam},",
        "version": 1,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "subject": "Nog eens"}).status_code == 200  # version 1 again: stale
    template.refresh_from_db()
    assert (template.version, template.subject) == (2, "Nieuw")


def test_only_the_beheerder_keeps_templates_and_only_their_own(login_as, alice, apeldoorn, epe):
    from meedoen.accounts.policies import Role
    from meedoen.accounts.tests.factories import MembershipFactory

    template = LetterTemplateFactory(municipality=apeldoorn)
    assert login_as(alice).get(reverse("letters:templates")).status_code == 403
    epe_admin = MembershipFactory(municipality=epe, role=Role.ADMIN)
    assert login_as(epe_admin).get(reverse("letters:template", args=[template.pk])).status_code == 404
    assert template.name not in login_as(epe_admin).get(reverse("letters:templates")).content.decode()


# --------------------------------------------------------------------------------------------- letters


def test_a_draft_is_filled_from_the_file_and_checked_while_typing(login_as, alice, ruben, invitation):
    page = login_as(alice).get(reverse("letters:letter-new", args=[ruben.pk]), {"sjabloon": invitation.pk})
    text = page.content.decode()
    assert "Beste Ruben Jansen," in text
    assert "[dag en datum]" in text  # what the file does not know, the caseworker fills in
    assert "Alice" in text and "gemeente Apeldoorn" in text
    assert reverse("language:check") in text
    assert ProcessingLogSubject.objects.filter(resident_id=ruben.pk, entry__action=LogAction.VIEW).exists()


def test_a_letter_with_places_still_open_is_refused_at_the_field(login_as, alice, ruben, invitation):
    response = _make(login_as(alice), ruben, invitation, body="Beste Ruben,\n\nKom op [dag en datum].")
    assert response.status_code == 200
    assert "Vul eerst in wat nog tussen haken staat: [dag en datum]." in response.content.decode()
    assert not Letter.objects.exists()
    assert not TimelineEvent.objects.filter(resident=ruben).exists()


def test_a_letter_becomes_a_tagged_pdf_on_the_timeline(login_as, alice, ruben, invitation):
    response = _make(login_as(alice), ruben, invitation)
    letter = Letter.objects.get()
    assert response.url == reverse("letters:letter", args=[ruben.pk, letter.pk])
    assert (letter.resident, letter.template, letter.made_by, letter.sent_on) == (
        ruben,
        invitation,
        alice.user,
        None,
    )
    event = letter.event
    assert event.resident == ruben and event.text == "Brief gemaakt: Uitnodiging voor een gesprek"
    text, reader = _pdf_text(event)
    assert "Gemeente Apeldoorn" in text
    assert "Kom op dinsdag 15 december om 10 uur naar het stadhuis." in text
    assert "Ruben Jansen" in text and "Stationsstraat 1" in text
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root  # tagged for screen readers
    assert root["/Lang"] == "nl" and reader.metadata.title == "Uitnodiging voor een gesprek"
    assert ProcessingLogSubject.objects.filter(resident_id=ruben.pk, entry__action=LogAction.CREATE).exists()
    # The file shows the line with the PDF to download, through the file's own access check.
    page = login_as(alice).get(reverse("residents:detail", args=[ruben.pk])).content.decode()
    assert "Brief gemaakt: Uitnodiging voor een gesprek" in page
    download = login_as(alice).get(reverse("residents:attachment", args=[ruben.pk, event.pk]))
    assert download["Content-Type"] == "application/pdf"


def test_sending_is_recorded_once(login_as, alice, ruben, invitation):
    client = login_as(alice)
    _make(client, ruben, invitation)
    letter = Letter.objects.get()
    url = reverse("letters:letter-sent", args=[ruben.pk, letter.pk])
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = client.post(url, {"sent_on": future, "channel": "post"})
    assert "Deze datum ligt in de toekomst" in refused.content.decode()
    assert (
        client.post(url, {"sent_on": timezone.localdate().isoformat(), "channel": "post"}).status_code == 302
    )
    letter.refresh_from_db()
    assert (letter.sent_on, letter.channel, letter.sent_recorded_by) == (
        timezone.localdate(),
        "post",
        alice.user,
    )
    assert (
        TimelineEvent.objects.filter(resident=ruben, text__startswith="Brief verstuurd (per post").count()
        == 1
    )
    again = client.post(url, {"sent_on": timezone.localdate().isoformat(), "channel": "e-mail"}, follow=True)
    assert "Het versturen van deze brief is al vastgelegd." in again.content.decode()
    letter.refresh_from_db()
    assert letter.channel == "post"
    listing = client.get(reverse("letters:resident-letters", args=[ruben.pk])).content.decode()
    assert "verstuurd op" in listing and "per post" in listing


def test_another_municipality_gets_404_and_nothing_is_made(login_as, alice, charlie, ruben, invitation):
    _make(login_as(alice), ruben, invitation)
    letter = Letter.objects.get()
    client = login_as(charlie)
    before = ProcessingLogSubject.objects.filter(resident_id=ruben.pk).count()
    for url in (
        reverse("letters:resident-letters", args=[ruben.pk]),
        reverse("letters:letter-new", args=[ruben.pk]) + f"?sjabloon={invitation.pk}",
        reverse("letters:letter", args=[ruben.pk, letter.pk]),
    ):
        assert client.get(url).status_code == 404
    assert _make(client, ruben, invitation).status_code == 404
    sent = client.post(reverse("letters:letter-sent", args=[ruben.pk, letter.pk]), {"sent_on": "2026-01-01"})
    assert sent.status_code == 404
    assert Letter.objects.count() == 1 and Letter.objects.get().sent_on is None
    assert ProcessingLogSubject.objects.filter(resident_id=ruben.pk).count() == before


def test_a_resident_outside_the_caseload_is_404_and_a_role_without_files_403(
    login_as, alice, wendy, pim, ada, apeldoorn, invitation
):
    wmo_only = ResidentFactory(municipality=apeldoorn, caseworker_care=wendy.user, care=True)
    client = login_as(alice)  # a klantmanager: not her caseload, no Participatiewet basis
    assert client.get(reverse("letters:resident-letters", args=[wmo_only.pk])).status_code == 404
    assert _make(client, wmo_only, invitation).status_code == 404
    for outsider in (pim, ada):
        assert (
            login_as(outsider).get(reverse("letters:resident-letters", args=[wmo_only.pk])).status_code == 403
        )
        assert _make(login_as(outsider), wmo_only, invitation).status_code == 403
    assert not Letter.objects.exists()
    # Wendy, whose caseload it is, makes it.
    assert _make(login_as(wendy), wmo_only, invitation).status_code == 302


def test_a_letter_for_the_own_domain_only_stays_out_of_the_other_domain(
    login_as, alice, wendy, apeldoorn, invitation
):
    both = ResidentFactory(
        municipality=apeldoorn, caseworker_work=alice.user, caseworker_care=wendy.user, both=True
    )
    _make(login_as(alice), both, invitation, domain_only="on")
    letter = Letter.objects.get()
    assert letter.domain == "participatiewet"
    other = login_as(wendy)
    assert other.get(reverse("letters:letter", args=[both.pk, letter.pk])).status_code == 404
    listing = other.get(reverse("letters:resident-letters", args=[both.pk])).content.decode()
    assert reverse("letters:letter", args=[both.pk, letter.pk]) not in listing
    assert "Nog geen brieven." in listing


def test_a_caseworker_who_reads_meedoen_in_english_still_writes_a_dutch_letter(
    login_as, alice, ruben, invitation
):
    client = login_as(alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("letters:letter-new", args=[ruben.pk]), {"sjabloon": invitation.pk})
    assert "Make the letter (PDF)" in page.content.decode()  # the screen is English
    assert "klantmanager, gemeente Apeldoorn" in page.content.decode()  # the letter is not
    _make(client, ruben, invitation)
    text, _reader = _pdf_text(Letter.objects.get().event)
    assert "Gemeente Apeldoorn" in text and "Datum:" in text
