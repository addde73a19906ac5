"""Report model -> Word (.docx) with python-docx: the same content as the PDF.

Swedish public administration edits and registers deliverables as Word documents. The Word
file is written from the very HTML the PDF is laid out from (``render_html(report)``), so the
two can never say different things: the templates are the one place where a report's content
is defined. The HTML is our own and small in vocabulary; this module maps it to Word:

- h1 (the cover) -> the Title style; h2, h3, h4 -> Heading 1, 2, 3 (navigation pane, TOC);
- <table> -> a real Word table (header row repeated on every page) with its caption above
  in the Caption style;
- inline <svg> charts and the county map -> PNG pictures (cairosvg) whose alt text
  (``wp:docPr/@descr``) is the chart's <title> and <desc>;
- <ul>/<ol> -> List Bullet / List Number, <dl> -> term in bold then its value, <q> -> ”…”;
- the HTML table of contents becomes a Word TOC field (Word fills in the page numbers).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO

from reports.model import CountyReport, NationalReport

HEADING_LEVELS = {"h2": 1, "h3": 2, "h4": 3}
VOID = {"meta", "br", "img", "link", "hr", "input", "rect"}
CHART_DPI = 150
PAGE_WIDTH_CM = 16.0


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def elements(self, tag: str | None = None) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and (tag is None or c.tag == tag)]

    def find(self, tag: str) -> Node | None:
        for child in self.elements():
            if child.tag == tag:
                return child
            found = child.find(tag)
            if found is not None:
                return found
        return None

    def text(self) -> str:
        """The text as read: <q> in Swedish quotation marks, whitespace collapsed."""
        return " ".join(self._raw().split())

    def _raw(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "q":
                parts.append(f"”{child._raw()}”")
            elif child.tag not in ("style", "script", "title", "desc"):
                parts.append(child._raw())
        return "".join(parts)


class _TreeBuilder(HTMLParser):
    """Our own HTML (and the inline SVG in it) as a tree; attribute names keep their case
    for SVG (viewBox)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self._raw_attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# ---------------------------------------------------------------- SVG -> PNG

_SVG_ATTRS = {"viewbox": "viewBox", "text-anchor": "text-anchor",
              "preserveaspectratio": "preserveAspectRatio",
              "patternunits": "patternUnits", "patterntransform": "patternTransform",
              "aria-labelledby": "aria-labelledby"}


def svg_source(node: Node) -> str:
    """The SVG element as standalone XML (HTMLParser lower-cased the attribute names)."""
    from xml.sax.saxutils import escape, quoteattr

    def write(n: Node) -> str:
        attrs = "".join(f" {_SVG_ATTRS.get(k, k)}={quoteattr(v)}" for k, v in n.attrs.items())
        if n.tag == "svg" and "xmlns" not in n.attrs:
            attrs += ' xmlns="http://www.w3.org/2000/svg"'
        inner = "".join(escape(c) if isinstance(c, str) else write(c) for c in n.children)
        tag = {"lineargradient": "linearGradient", "clippath": "clipPath"}.get(n.tag, n.tag)
        return f"<{tag}{attrs}>{inner}</{tag}>"

    return write(node)


def svg_to_png(svg: str, scale: float = CHART_DPI / 96) -> bytes:
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale,
                            background_color="white")


def alt_text(node: Node) -> tuple[str, str]:
    """(title, description) of a chart: its <title> and <desc>."""
    title = node.find("title")
    desc = node.find("desc")
    return (" ".join(_all_text(title).split()) if title else "",
            " ".join(_all_text(desc).split()) if desc else "")


def _all_text(node: Node) -> str:
    return "".join(c if isinstance(c, str) else _all_text(c) for c in node.children)


# ---------------------------------------------------------------- Word


class _Writer:
    def __init__(self, title: str, author: str, subject: str) -> None:
        from docx import Document
        from docx.shared import Cm, Pt

        self.doc = Document()
        self.Cm, self.Pt = Cm, Pt
        properties = self.doc.core_properties
        properties.title, properties.author, properties.subject = title, author, subject
        properties.language = "sv-SE"
        properties.keywords = "lägesbild, covid-19, social problematik, kommuner"
        section = self.doc.sections[0]
        section.left_margin = section.right_margin = Cm(2.5)
        styles = self.doc.styles
        styles["Normal"].font.name = "Calibri"
        styles["Normal"].font.size = Pt(10.5)
        self._language("sv-SE")
        self.pictures = 0
        self._styles: dict[str, object] = {}

    def style(self, name: str | None):
        """A style object by name, looked up once (python-docx searches by name each time)."""
        if name is None:
            return None
        if name not in self._styles:
            self._styles[name] = self.doc.styles[name]
        return self._styles[name]

    def add(self, text: str = "", style: str | None = None):
        return self.doc.add_paragraph(text, style=self.style(style))

    def _language(self, tag: str) -> None:
        """Swedish as the document's proofing language (rPrDefault/w:lang)."""
        from docx.oxml.ns import qn

        rpr_default = self.doc.styles.element.find(qn("w:docDefaults"))
        rpr = rpr_default.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = rpr.makeelement(qn("w:lang"), {})
            rpr.append(lang)
        lang.set(qn("w:val"), tag)
        lang.set(qn("w:eastAsia"), tag)
        lang.set(qn("w:bidi"), "ar-SA")

    # -- blocks

    def block(self, node: Node) -> None:
        tag = node.tag
        if tag in ("style", "script", "title", "meta", "head"):
            return
        if tag == "nav":
            self.toc()
        elif tag == "header" and "cover" in node.classes:
            self.cover(node)
        elif tag in HEADING_LEVELS:
            self.add(node.text(), f"Heading {HEADING_LEVELS[tag]}")
        elif tag == "h1":
            self.add(node.text(), style="Title")
        elif tag == "p":
            self.paragraph(node)
        elif tag in ("ul", "ol"):
            self.items(node, "List Number" if tag == "ol" else "List Bullet")
        elif tag == "dl":
            self.definitions(node)
        elif tag == "table":
            self.table(node)
        elif tag == "svg":
            self.picture(node)
        else:  # section, main, article, div, body, html: their children
            for child in node.children:
                if isinstance(child, Node):
                    self.block(child)
                elif child.strip():
                    self.add(" ".join(child.split()))

    def paragraph(self, node: Node, style: str | None = None) -> None:
        classes = node.classes
        if "who-head" in classes or "theme-name" in classes:
            paragraph = self.add()
            paragraph.add_run(node.text()).bold = True
            return
        paragraph = self.add(style=style)
        self.runs(paragraph, node)
        if "small" in classes or "note" in classes:
            for run in paragraph.runs:
                run.font.size = self.Pt(9)

    def runs(self, paragraph, node: Node, bold: bool = False, italic: bool = False) -> None:
        for child in node.children:
            if isinstance(child, str):
                text = re.sub(r"\s+", " ", child)
                if text:
                    run = paragraph.add_run(text)
                    if bold:
                        run.bold = True
                    if italic:
                        run.italic = True
            elif child.tag == "svg":
                continue
            elif child.tag == "q":
                paragraph.add_run("”")
                self.runs(paragraph, child, bold, italic)
                paragraph.add_run("”")
            elif child.tag == "br":
                paragraph.add_run().add_break()
            else:
                self.runs(paragraph, child, bold or child.tag in ("strong", "b", "th"),
                          italic or child.tag in ("em", "i"))
        if paragraph.runs:
            first, last = paragraph.runs[0], paragraph.runs[-1]
            first.text = first.text.lstrip()
            last.text = last.text.rstrip()

    def items(self, node: Node, style: str) -> None:
        for item in node.elements("li"):
            nested = [c for c in item.elements() if c.tag in ("ul", "ol")]
            paragraph = self.add(style=style)
            self.runs(paragraph, Node("li", children=[c for c in item.children
                                                       if c not in nested]))
            for inner in nested:
                self.items(inner, style + " 2")

    def definitions(self, node: Node) -> None:
        term = None
        for child in node.elements():
            if child.tag == "dt":
                term = child.text()
            elif child.tag == "dd":
                blocks = [c for c in child.elements() if c.tag in ("p", "ul", "ol")]
                paragraph = self.add()
                if term:
                    paragraph.add_run(f"{term}: ").bold = True
                if blocks:
                    for block in blocks:
                        self.block(block)
                else:
                    self.runs(paragraph, child)

    def cover(self, node: Node) -> None:
        for child in node.elements():
            if child.tag == "h1":
                self.add(child.text(), style="Title")
            elif child.tag == "p":
                paragraph = self.add(child.text(), style="Subtitle")
                if "cover-org" in child.classes:
                    paragraph.style = self.style("Normal")
                    paragraph.runs[0].bold = True
            elif child.tag == "dl":
                self.definitions(child)
            else:
                self.block(child)
        self.doc.add_page_break()

    def toc(self) -> None:
        """A Word table-of-contents field over Heading 1–2; Word updates it on opening."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self.add("Innehåll", style="TOC Heading" if "TOC Heading" in
                               [s.name for s in self.doc.styles] else "Heading 1")
        paragraph = self.add()
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, 'TOC \\o "1-2" \\h \\z \\u'),
                           ("separate", None), (None, None), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
                if kind == "begin":
                    element.set(qn("w:dirty"), "true")
                run._r.append(element)
            elif text:
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
            else:
                placeholder = OxmlElement("w:t")
                placeholder.text = ("Högerklicka och välj ”Uppdatera fält” för att visa "
                                    "innehållsförteckningen.")
                run._r.append(placeholder)
        self._update_fields_on_open()
        self.doc.add_page_break()

    def _update_fields_on_open(self) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        settings = self.doc.settings.element
        if settings.find(qn("w:updateFields")) is None:
            element = OxmlElement("w:updateFields")
            element.set(qn("w:val"), "true")
            settings.append(element)

    def table(self, node: Node) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        caption = node.find("caption")
        if caption is not None:
            self.add(caption.text(), style="Caption")
        rows: list[tuple[str, list[Node]]] = []
        for part in node.elements():
            if part.tag in ("thead", "tbody", "tfoot"):
                rows += [(part.tag, tr.elements()) for tr in part.elements("tr")]
            elif part.tag == "tr":
                rows.append(("tbody", part.elements()))
        rows = [(kind, [c for c in cells if c.tag in ("th", "td")]) for kind, cells in rows]
        rows = [(kind, cells) for kind, cells in rows if cells]
        if not rows:
            return
        columns = max(len(cells) for _, cells in rows)
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = self.style("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for r, (kind, cells) in enumerate(rows):
            row = table.rows[r]
            if kind == "thead":
                self._repeat_header(row)
            row_cells = row.cells
            for c, cell_node in enumerate(cells):
                cell = row_cells[c]
                paragraph = cell.paragraphs[0]
                self.runs(paragraph, cell_node, bold=cell_node.tag == "th" or kind != "tbody")
                if "num" in cell_node.classes:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in paragraph.runs:
                    run.font.size = self.Pt(9)
        self.add()

    @staticmethod
    def _repeat_header(row) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        tr_pr = row._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        tr_pr.append(header)

    def picture(self, node: Node) -> None:
        title, desc = alt_text(node)
        width = float(node.attrs.get("width") or 640)
        png = svg_to_png(svg_source(node))
        self.doc.add_picture(io.BytesIO(png), width=self.Cm(min(PAGE_WIDTH_CM,
                                                                width / 96 * 2.54)))
        self.pictures += 1
        doc_pr = self.doc.paragraphs[-1].runs[-1]._r.xpath(".//wp:docPr")[0]
        doc_pr.set("name", f"Diagram {self.pictures}")
        doc_pr.set("title", title)
        doc_pr.set("descr", f"{title}. {desc}".strip(". ") if desc else title)

    def save(self, target: str | Path | BinaryIO | None) -> bytes | None:
        if target is None:
            buffer = io.BytesIO()
            self.doc.save(buffer)
            return buffer.getvalue()
        self.doc.save(target)
        return None


def html_to_docx(html: str, target: str | Path | BinaryIO | None = None) -> bytes | None:
    """Our report HTML as a Word document; write to ``target`` or return the bytes."""
    root = parse(html)
    title = root.find("title")
    meta = {n.attrs.get("name"): n.attrs.get("content", "") for n in _all(root, "meta")}
    writer = _Writer(title.text() if title else "Lägesbild", meta.get("author", ""),
                     meta.get("description", ""))
    body = root.find("body") or root
    writer.block(body)
    return writer.save(target)


def render_docx(report: CountyReport | NationalReport,
                target: str | Path | BinaryIO | None = None) -> bytes | None:
    """The report as .docx: the same content as its HTML and PDF."""
    from reports.html import render_html

    return html_to_docx(render_html(report), target)


def _all(node: Node, tag: str) -> list[Node]:
    found = []
    for child in node.elements():
        if child.tag == tag:
            found.append(child)
        found += _all(child, tag)
    return found
