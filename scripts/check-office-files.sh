#!/usr/bin/env bash
# Proves the files theodoi writes open in an office suite: exports the bundled plan as XLSX and its
# periodic report as DOCX with its XLSX appendix, converts them with LibreOffice (installed from
# Debian when missing) to PDF and to CSV, and checks the Vietnamese text came through. The report's
# first page is rendered to PNG (kept in $THEODOI_OFFICE_SHOTS when set) for a person to look at.
# Usage: scripts/check-office-files.sh [path to the theodoi binary]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-$(swift build --show-bin-path)/theodoi}
if ! command -v soffice > /dev/null || ! command -v pdftotext > /dev/null \
  || ! dpkg-query -W -f='${Status}' libreoffice-writer-nogui 2> /dev/null | grep -q "ok installed" \
     && ! dpkg-query -W -f='${Status}' libreoffice-writer 2> /dev/null | grep -q "ok installed"; then
  apt-get update -qq > /dev/null
  apt-get install -y -qq libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils fonts-liberation > /dev/null
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

# The periodic report: DOCX and its XLSX appendix open, the text is Vietnamese as written, the body
# is portrait A4 and the appendix landscape.
"$bin" report --plan 343-qd-tu --period quarter-2025-4 --as-of 14/12/2025 --number 215 --output "$work/report.docx" > /dev/null
"$bin" report --plan 343-qd-tu --period quarter-2025-4 --as-of 14/12/2025 --format xlsx --output "$work/appendix.xlsx" > /dev/null
HOME="$work" timeout 180 soffice --headless --convert-to pdf --outdir "$work" "$work/report.docx" "$work/appendix.xlsx" > /dev/null 2>&1
[[ -s "$work/report.pdf" ]] || { echo "LibreOffice could not open the report DOCX (no PDF)" >&2; exit 1; }
[[ -s "$work/appendix.pdf" ]] || { echo "LibreOffice could not open the appendix XLSX (no PDF)" >&2; exit 1; }
text=$(pdftotext "$work/report.pdf" -)
for expected in "ĐẢNG CỘNG SẢN VIỆT NAM" "TỈNH ỦY GIA LAI" "Số 215-BC/TU" "BÁO CÁO" "quý IV/2025 (tính đến ngày 14/12/2025)" \
  "Tổng số 94 nhiệm vụ; đã hoàn thành 0 (đúng hạn 0, quá hạn 0)" "III. TỒN TẠI, HẠN CHẾ" "T/M BAN THƯỜNG VỤ" "Nơi nhận:" \
  "PHỤ LỤC" "Đề xuất, kiến nghị" "Xây dựng kho dữ liệu số, bài giảng điện tử"; do
  grep -qF "$expected" <<< "$(tr '\n' ' ' <<< "$text" | tr -s ' ')" || { echo "the report PDF lacks “$expected”" >&2; exit 1; }
done
pages=$(pdfinfo "$work/report.pdf" | awk '/^Pages:/ {print $2}')
# Page sizes in points, rounded: A4 is 595 × 842.
first=$(pdfinfo -f 1 -l 1 "$work/report.pdf" | awk '/^Page +1 size:/ {printf "%.0fx%.0f", $4, $6}')
last=$(pdfinfo -f "$pages" -l "$pages" "$work/report.pdf" | awk '/^Page +[0-9]+ size:/ {printf "%.0fx%.0f", $4, $6}')
[[ "$first" == "595x842" ]] || { echo "the report's first page is not portrait A4 ($first)" >&2; exit 1; }
[[ "$last" == "842x595" ]] || { echo "the appendix is not landscape A4 ($last)" >&2; exit 1; }
# The XLSX appendix prints with the report's title above the table and the header row on every page.
appendix_pages=$(pdfinfo "$work/appendix.pdf" | awk '/^Pages:/ {print $2}')
grep -qF "PHỤ LỤC" <<< "$(pdftotext -f 1 -l 1 "$work/appendix.pdf" -)" || { echo "the appendix PDF lacks its title" >&2; exit 1; }
for ((page = 1; page <= appendix_pages; page++)); do
  grep -qF "Nội dung nhiệm vụ" <<< "$(pdftotext -f "$page" -l "$page" "$work/appendix.pdf" -)" \
    || { echo "the appendix PDF's page $page lacks the header row" >&2; exit 1; }
done
# theodoi's own PDF path (the web page's PDF and `report --format pdf`) through LibreOffice.
HOME="$work" "$bin" report --plan 343-qd-tu --period quarter-2025-4 --as-of 14/12/2025 --format pdf --output "$work/own.pdf" > /dev/null
grep -qF "ĐẢNG CỘNG SẢN VIỆT NAM" <<< "$(pdftotext "$work/own.pdf" -)" || { echo "theodoi's PDF lacks its heading" >&2; exit 1; }
if [[ -n "${THEODOI_OFFICE_SHOTS:-}" ]]; then
  mkdir -p "$THEODOI_OFFICE_SHOTS"
  pdftoppm -png -r 70 -f 1 -l 1 "$work/report.pdf" "$THEODOI_OFFICE_SHOTS/report-page"
  pdftoppm -png -r 70 -f "$pages" -l "$pages" "$work/report.pdf" "$THEODOI_OFFICE_SHOTS/report-appendix"
  cp "$work/report.docx" "$work/report.pdf" "$THEODOI_OFFICE_SHOTS/"
fi
echo "Report DOCX opens in LibreOffice: $pages PDF page(s), portrait A4 body and landscape appendix, Vietnamese intact"
echo "XLSX appendix prints on $appendix_pages page(s), its title on the first and the header row on every one"
