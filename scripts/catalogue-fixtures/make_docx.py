#!/usr/bin/env python3
"""Writes the 343-QĐ/TU appendix as the Word files an office receives, for the import tests.

Usage: make_docx.py CATALOGUE.json SEED.txt OUTPUT_DIR

CATALOGUE.json is `theodoi catalog parse SEED.txt --json`; SEED.txt gives the lines above the table.
Two documents, each holding the same catalogue as the text:

- 343-QD-TU.docx: one table; the header row repeats on every page (tblHeader); part and group rows
  written across the table (gridSpan); a lead agency shared by consecutive sub-tasks in one cell
  that spans their rows (vMerge); outputs of several sentences as several paragraphs; TT typed by hand.
- 343-QD-TU-decision.docx: the whole decision: its heading block as a two-column table without
  borders (issuing body and number, motto and place and date), the decision's text ("Điều 1. Ban
  hành kèm theo Quyết định này …"), then the appendix as in 343-QD-TU.docx.
- 343-QD-TU-numbered.docx: one table per part, the part's heading a paragraph between them; TT from
  Word's automatic numbering (numPr: "1", "2" … and "17.1" at the second level, restarting in each
  part); empty spacer rows; line breaks inside cells.

Needs python-docx (`pip install python-docx`).
"""

import json
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HEADERS = ["TT", "Nội dung thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành",
           "Mục tiêu, Sản phẩm đầu ra"]
WIDTHS = [Cm(1.2), Cm(7.5), Cm(3.8), Cm(3.8), Cm(2.6), Cm(6.5)]


def preamble(seed: Path) -> list:
    lines = []
    for line in seed.read_text(encoding="utf-8").splitlines():
        if line.startswith("TT\t"):
            break
        if line.strip():
            lines.append(line.strip())
    return lines


def landscape(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)


def heading(document, lines) -> None:
    for line in lines:
        bold = line.startswith("**") and line.endswith("**")
        paragraph = document.add_paragraph()
        paragraph.alignment = 1
        run = paragraph.add_run(line.strip("*"))
        run.bold = bold


def repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    properties.append(header)


def new_table(document):
    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for index, text in enumerate(HEADERS):
        cell = table.rows[0].cells[index]
        cell.width = WIDTHS[index]
        cell.paragraphs[0].add_run(text).bold = True
    repeat_header(table.rows[0])
    return table


def across(table, text: str) -> None:
    """A part or group heading written across the whole table (one cell, gridSpan 6)."""
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[5])
    merged.paragraphs[0].add_run(text).bold = True


def sentences(cell, text: str) -> None:
    """Text of several sentences as one paragraph each ("A. B" reads back as "A. B")."""
    pieces = text.split(". ")
    cell.paragraphs[0].add_run(pieces[0] + ("." if len(pieces) > 1 else ""))
    for index, piece in enumerate(pieces[1:], start=1):
        last = index == len(pieces) - 1
        cell.add_paragraph(piece + ("" if last else "."))


def part_heading(part: dict) -> str:
    count = f" ({part['declaredCount']} NHIỆM VỤ)" if part.get("declaredCount") else ""
    return f"{part['code']}. {part['title']}{count}"


def group_heading(part: dict, code: str) -> str:
    group = next(g for g in part["groups"] if g["code"] == code)
    return f"{group['code']} {group['title']}"


def plain(catalogue: dict, lines: list, output: Path, before=None) -> None:
    document = Document()
    landscape(document)
    if before:
        before(document)
    heading(document, lines)
    table = new_table(document)
    parts = {part["code"]: part for part in catalogue["parts"]}
    current = (None, None)
    previous_lead = None
    for assignment in catalogue["assignments"]:
        part = parts[assignment["part"]]
        if assignment["part"] != current[0]:
            across(table, part_heading(part))
            current = (assignment["part"], None)
        if assignment.get("group") and assignment["group"] != current[1]:
            across(table, group_heading(part, assignment["group"]))
            current = (current[0], assignment["group"])
        row = table.add_row()
        cells = row.cells
        cells[0].paragraphs[0].add_run(assignment["number"])
        cells[1].paragraphs[0].add_run(assignment["title"])
        # Consecutive sub-tasks with the same lead: one cell down their rows.
        key = (assignment.get("parent"), assignment["leadText"])
        if key[0] and previous_lead and previous_lead[1] == key:
            previous_lead[0].merge(cells[2])
        else:
            cells[2].paragraphs[0].add_run(assignment["leadText"])
            previous_lead = (cells[2], key)
        cells[3].paragraphs[0].add_run(assignment["coordinatorsText"])
        cells[4].paragraphs[0].add_run(assignment["deadlineText"])
        sentences(cells[5], assignment["output"])
    document.save(output)


NUMBERING = """<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="{id}">
<w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/><w:lvlJc w:val="center"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/><w:lvlJc w:val="center"/></w:lvl>
</w:abstractNum>"""


def add_list(document, abstract_id: int, num_id: int) -> None:
    """A two-level list ("1", "17.1") of its own, so each part starts again at 1."""
    numbering = document.part.numbering_part.element
    from lxml import etree

    abstract = etree.fromstring(NUMBERING.format(id=abstract_id))
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(num_id))
    reference = OxmlElement("w:abstractNumId")
    reference.set(qn("w:val"), str(abstract_id))
    num.append(reference)
    numbering.append(num)


def numbered(paragraph, num_id: int, level: int) -> None:
    properties = paragraph._p.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    number = OxmlElement("w:numId")
    number.set(qn("w:val"), str(num_id))
    numbering.append(ilvl)
    numbering.append(number)
    properties.append(numbering)


def with_breaks(cell, text: str) -> None:
    """Text with a line break (Shift+Enter) after each "; "."""
    pieces = text.split("; ")
    run = cell.paragraphs[0].add_run(pieces[0])
    for piece in pieces[1:]:
        run.add_text(";")
        run.add_break()
        run.add_text(piece)


def numbered_document(catalogue: dict, lines: list, output: Path) -> None:
    document = Document()
    landscape(document)
    heading(document, lines)
    parts = {part["code"]: part for part in catalogue["parts"]}
    table = None
    current = (None, None)
    list_id = 0
    for assignment in catalogue["assignments"]:
        part = parts[assignment["part"]]
        if assignment["part"] != current[0]:
            # A new part: its heading between the tables, then a table with its own list.
            document.add_paragraph().add_run(part_heading(part)).bold = True
            table = new_table(document)
            list_id += 1
            add_list(document, 900 + list_id, 900 + list_id)
            current = (assignment["part"], None)
        if assignment.get("group") and assignment["group"] != current[1]:
            across(table, group_heading(part, assignment["group"]))
            table.add_row()  # an empty spacer row
            current = (current[0], assignment["group"])
        row = table.add_row()
        cells = row.cells
        numbered(cells[0].paragraphs[0], 900 + list_id, 1 if assignment.get("parent") else 0)
        cells[1].paragraphs[0].add_run(assignment["title"])
        with_breaks(cells[2], assignment["leadText"])
        with_breaks(cells[3], assignment["coordinatorsText"])
        cells[4].paragraphs[0].add_run(assignment["deadlineText"])
        cells[5].paragraphs[0].add_run(assignment["output"])
    document.save(output)


def decision(catalogue: dict, lines: list, output: Path) -> None:
    """The decision with its appendix: heading block, body, then the catalogue (written to `output`)."""
    plain(catalogue, lines, output, before=decision_heading)


def decision_heading(document) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run("TỈNH ỦY GIA LAI").bold = True
    left.add_paragraph("*")
    left.add_paragraph("Số 343-QĐ/TU")
    right.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM").bold = True
    right.add_paragraph("")
    right.add_paragraph("Gia Lai, ngày 03 tháng 9 năm 2025").runs[0].italic = True
    for text in [
        "QUYẾT ĐỊNH",
        "ban hành Danh mục 95 nhiệm vụ thực hiện mô hình điểm thúc đẩy triển khai Nghị quyết số 57-NQ/TW",
        "BAN THƯỜNG VỤ TỈNH ỦY",
        "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
        "QUYẾT ĐỊNH:",
        "Điều 1. Ban hành kèm theo Quyết định này Danh mục 95 nhiệm vụ.",
        "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
    ]:
        document.add_paragraph(text)
    document.add_page_break()


def main() -> None:
    catalogue = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    lines = preamble(Path(sys.argv[2]))
    out = Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    plain(catalogue, lines, out / "343-QD-TU.docx")
    numbered_document(catalogue, lines, out / "343-QD-TU-numbered.docx")
    decision(catalogue, lines, out / "343-QD-TU-decision.docx")


if __name__ == "__main__":
    main()
