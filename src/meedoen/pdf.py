"""An accessible PDF from HTML: WeasyPrint with PDF/UA-1, so the structure (headings, paragraphs, tables,
images with their text) is tagged for screen readers and the document carries its language (``<html
lang>``) and title (``<title>``). Every PDF Meedoen makes uses it: letters, the council report, budget
reports, the switch insight, the experiment analysis and the resident's copy of their data. Imports no
app."""


def tagged_pdf(html: str) -> bytes:
    """The HTML (a whole document, with ``lang`` and ``<title>``) as a tagged PDF (PDF/UA-1)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
