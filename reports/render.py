"""HTML -> tagged PDF (PDF/UA-1) with WeasyPrint, as a step of its own.

Kept apart from building the HTML so the same HTML file can be published as is (HTML first,
PDF beside it) and so the benchmark can time WeasyPrint alone on exactly the same input.
"""

from __future__ import annotations

import gc
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from reports.html import TEMPLATES

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "custom_metadata": True}

#: Generation-0 threshold while WeasyPrint works. Layout allocates millions of short-lived
#: objects and few reference cycles; collecting every 700 allocations (Python's default)
#: cost about 15 % of the national report's time on the benchmark machine.
LAYOUT_GC_THRESHOLD = 100_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often for the duration of a layout, then restore the setting."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(LAYOUT_GC_THRESHOLD, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def html_to_pdf(html: str, target: str | Path | BinaryIO | None = None) -> bytes | None:
    """Render ``html`` to PDF/UA-1; write to ``target`` or return the bytes.

    Fonts are embedded (subset) by WeasyPrint; ``lang`` and ``<title>`` in the HTML become
    /Lang and the document title, and document order is the reading order.
    """
    from weasyprint import HTML

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    with fewer_collections():
        document = HTML(string=html, base_url=str(TEMPLATES)).render(**PDF_OPTIONS)
        return document.write_pdf(target, **PDF_OPTIONS)


def page_count(pdf: bytes | str | Path) -> int:
    """Pages of a PDF (for the CLI summary and the benchmark)."""
    import pikepdf

    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    with pikepdf.open(source) as document:
        return len(document.pages)
