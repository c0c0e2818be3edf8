#!/usr/bin/env bash
# Proves the spreadsheets theodoi writes open in an office suite: exports the bundled plan as XLSX,
# converts it with LibreOffice (installed from Debian when missing) to PDF and to CSV, and checks the
# Vietnamese text came through. Usage: scripts/check-office-files.sh [path to the theodoi binary]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-$(swift build --show-bin-path)/theodoi}
if ! command -v soffice > /dev/null || ! command -v pdftotext > /dev/null; then
  apt-get update -qq > /dev/null && apt-get install -y -qq libreoffice-calc-nogui poppler-utils > /dev/null
fi
work=$(mktemp -d /tmp/theodoi-office.XXXXXX)
trap 'rm -rf "$work"' EXIT
export DATABASE_URL="sqlite:$work/db.sqlite"
"$bin" catalog import Sources/TheodoiCatalog/Resources/343-QD-TU.txt > /dev/null
"$bin" export --plan 343-qd-tu --as-of 15/10/2025 --output "$work/plan.xlsx"
"$bin" export --plan 343-qd-tu --as-of 15/10/2025 --format csv --output "$work/plan.csv"
HOME="$work" timeout 180 soffice --headless --convert-to pdf --outdir "$work" "$work/plan.xlsx" > /dev/null 2>&1
HOME="$work" timeout 180 soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir "$work/back" \
  "$work/plan.xlsx" > /dev/null 2>&1
[[ -s "$work/plan.pdf" ]] || { echo "LibreOffice could not open the XLSX (no PDF)" >&2; exit 1; }
text=$(pdftotext "$work/plan.pdf" -)
for expected in "Nội dung nhiệm vụ" "Sở Giáo dục và Đào tạo" "Xây dựng kho dữ liệu số, bài giảng điện tử" "Chưa hoàn thành, quá hạn"; do
  grep -qF "$expected" <<< "$text" || { echo "the PDF LibreOffice made lacks “$expected”" >&2; exit 1; }
done
# LibreOffice reads back the same cells we wrote as CSV (dates as dd/MM/yyyy, text unchanged).
python3 - "$work/plan.csv" "$work/back/plan.csv" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f: ours = list(csv.reader(f))
with open(sys.argv[2], encoding="utf-8", newline="") as f: theirs = list(csv.reader(f))
if ours != theirs:
    for a, b in zip(ours, theirs):
        if a != b: sys.exit(f"LibreOffice read different cells:\n  ours:   {a}\n  theirs: {b}")
    sys.exit(f"LibreOffice read {len(theirs)} rows, we wrote {len(ours)}")
PY
echo "XLSX opens in LibreOffice: $(pdfinfo "$work/plan.pdf" | awk '/^Pages:/ {print $2}') PDF page(s), Vietnamese intact, cells as written"
