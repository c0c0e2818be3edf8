#!/usr/bin/env python3
"""A Word file of a catalogue as many offices lay a table out: portrait page, every cell's text
centred vertically (so a row's number sits on its middle line, not its first), columns in the CSV's
own order. Written from a CSV fixture; `make-all.sh` prints it to PDF with LibreOffice.

    make_centred.py INPUT.csv OUTPUT.docx
"""
import csv
import sys

import docx
from docx.enum.table import WD_ALIGN_VERTICAL


def main():
    source, output = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    document = docx.Document()
    heading = [row for row in rows if len(row) == 1]
    table_rows = [row for row in rows if len(row) > 1]
    document.add_paragraph("PHỤ LỤC")
    for row in heading:
        document.add_paragraph(row[0])
    table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
    table.style = "Table Grid"
    for index, row in enumerate(table_rows):
        for column, value in enumerate(row):
            cell = table.cell(index, column)
            cell.text = value.replace("\n", " ")
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    document.save(output)


if __name__ == "__main__":
    main()
