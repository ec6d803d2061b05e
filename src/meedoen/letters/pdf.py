"""A letter as an accessible PDF: tagged (PDF/UA-1, with the document's language and title), made with
WeasyPrint from an HTML template with the municipality's name at the top."""

import datetime as dt

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format

from meedoen.letters import rules
from meedoen.pdf import tagged_pdf


def letter_pdf(
    *,
    municipality: str,
    subject: str,
    body: str,
    recipient: list[str],
    sender: str,
    on: dt.date,
) -> bytes:
    # A letter to a resident is in Dutch, whichever language the caseworker reads Meedoen in.
    with translation.override("nl"):
        html = _html(municipality, subject, body, recipient, sender, on)
    return tagged_pdf(html)


def _html(municipality: str, subject: str, body: str, recipient: list[str], sender: str, on: dt.date) -> str:
    return render_to_string(
        "letters/letter_pdf.html",
        {
            "municipality": municipality,
            "subject": subject,
            "paragraphs": rules.paragraphs(body),
            "recipient": [line for line in recipient if line],
            "sender": sender,
            "date": date_format(on, "j F Y"),
        },
    )
