#!/usr/bin/env bash
# Writes the catalogue fixtures of Tests/TheodoiExportTests/Fixtures from the seed, as an office
# receives the decision: three Word files (make_docx.py, python-docx) and each printed to PDF by
# LibreOffice (a text layer the PDF reader rebuilds the table from). The scanned copies the OCR test
# reads are drawn from those PDFs when the test runs (make_scan.py), not kept.
#   scripts/catalogue-fixtures/make-all.sh [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-Tests/TheodoiExportTests/Fixtures}
work=$(mktemp -d /tmp/theodoi-fixtures.XXXXXX)
trap 'rm -rf "$work"' EXIT
swift build --product theodoi >/dev/null
.build/debug/theodoi catalog parse Sources/TheodoiCatalog/Resources/343-QD-TU.txt --json > "$work/343.json"
python3 scripts/catalogue-fixtures/make_docx.py "$work/343.json" Sources/TheodoiCatalog/Resources/343-QD-TU.txt "$out"
python3 scripts/catalogue-fixtures/make_centred.py Tests/TheodoiCatalogTests/Fixtures/ke-hoach-120.csv "$out/ke-hoach-120-centred.docx"
for name in 343-QD-TU 343-QD-TU-numbered 343-QD-TU-decision ke-hoach-120-centred; do
  soffice -env:UserInstallation="file://$work/profile" --headless --convert-to pdf --outdir "$out" "$out/$name.docx" >/dev/null
done
ls -l "$out"/343-QD-TU*
