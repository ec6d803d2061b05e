"""Accessible PDFs: HTML made into a tagged PDF (PDF/UA-1) by WeasyPrint. A shared module below the apps: it
imports no app. The HTML gives the document's language (``<html lang>``) and title (``<title>``); PDF/UA-1
makes WeasyPrint tag the structure (headings, paragraphs, tables) for screen readers."""


def tagged_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
