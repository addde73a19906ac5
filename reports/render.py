"""HTML -> tagged PDF (PDF/UA-1) with WeasyPrint, as a step of its own.

Kept apart from building the HTML so the same HTML file can be published as is (HTML first,
PDF beside it) and so the benchmark can time WeasyPrint alone on exactly the same input.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import BinaryIO

from reports.html import TEMPLATES

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "custom_metadata": True}


def html_to_pdf(html: str, target: str | Path | BinaryIO | None = None) -> bytes | None:
    """Render ``html`` to PDF/UA-1; write to ``target`` or return the bytes.

    Fonts are embedded (subset) by WeasyPrint; ``lang`` and ``<title>`` in the HTML become
    /Lang and the document title, and document order is the reading order.
    """
    from weasyprint import HTML

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    document = HTML(string=html, base_url=str(TEMPLATES)).render(**PDF_OPTIONS)
    return document.write_pdf(target, **PDF_OPTIONS)


def page_count(pdf: bytes | str | Path) -> int:
    """Pages of a PDF (for the CLI summary and the benchmark)."""
    import pikepdf

    source = pdf if not isinstance(pdf, bytes) else __import__("io").BytesIO(pdf)
    with pikepdf.open(source) as document:
        return len(document.pages)
