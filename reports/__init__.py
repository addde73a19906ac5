"""County and national situation reports: a report model from the database, HTML from Jinja
templates, PDF/UA from WeasyPrint as a separate step.

    from reports import county_report, national_report, render_html, html_to_pdf
    report = county_report(db, "2020-09", "13")
    html = render_html(report)
    html_to_pdf(html, "halland.pdf")
"""

from __future__ import annotations

from reports.build import county_report, national_report
from reports.html import render_html
from reports.render import html_to_pdf

__all__ = ["county_report", "html_to_pdf", "national_report", "render_html"]
