#!/usr/bin/env bash
# Drops the connection in the middle of a file upload to a real server, then checks that nothing of
# it was stored (no attachment, no orphan bytes); a complete upload of the same file then lands
# byte for byte. Usage: scripts/interrupted-upload.sh [path to the theodoi binary]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-$(swift build --show-bin-path)/theodoi}
source scripts/server-lib.sh
port=8096
server_start "$bin" "$port"
"$bin" user add --email canbo@sgddt.gialai.gov.vn --name "Cán bộ thử" --role officer --agency "Sở Giáo dục và Đào tạo" > /dev/null
token=$("$bin" user token --email canbo@sgddt.gialai.gov.vn --label upload-test)
base="http://127.0.0.1:$port/api/v1"
draft=$(curl -sf -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
  -d '{"stage": "in-progress", "percent": 30, "result": "Đang thực hiện"}' "$base/plans/343-qd-tu/assignments/A.17.1/reports")
id=$(grep -o '"id":[0-9]*' <<< "$draft" | head -1 | cut -d: -f2)
python3 - "$work/file.pdf" <<'PY'
import os, sys
with open(sys.argv[1], "wb") as f:
    f.write(b"%PDF-1.7\n" + os.urandom(3 * 1024 * 1024))
PY
python3 - "$port" "$id" "$token" "$work/file.pdf" <<'PY'
import socket, sys
port, report, token, path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
data = open(path, "rb").read()
boundary = b"----cutTheWire"
body = (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"qd.pdf\"\r\n\r\n" + data
        + b"\r\n--" + boundary + b"--\r\n")
head = (f"POST /api/v1/reports/{report}/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary.decode()}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
s = socket.create_connection(("127.0.0.1", port))
s.sendall(head + body[: len(body) // 3])  # a third of the file, then the connection drops
s.close()
PY
sleep 1
after=$(curl -sf -H "Authorization: Bearer $token" "$base/reports/$id")
if ! grep -q '"attachments":\[\]' <<< "$after"; then echo "an interrupted upload left an attachment: $after" >&2; exit 1; fi
rows=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM attachments').fetchone()[0])" "$work/db.sqlite")
[[ "$rows" == 0 ]] || { echo "an interrupted upload left $rows attachment row(s)" >&2; exit 1; }
curl -sf -o /dev/null -H "Authorization: Bearer $token" -F "file=@$work/file.pdf;filename=qd.pdf" "$base/reports/$id/attachments"
attachment=$(curl -sf -H "Authorization: Bearer $token" "$base/reports/$id" | grep -o '"id":[0-9]*,"name":"qd.pdf"' | cut -d: -f2 | cut -d, -f1)
curl -sf -H "Authorization: Bearer $token" -o "$work/back.pdf" "$base/attachments/$attachment"
cmp -s "$work/file.pdf" "$work/back.pdf" || { echo "the complete upload did not come back byte for byte" >&2; exit 1; }
echo "interrupted upload: nothing stored; complete upload: $(wc -c < "$work/back.pdf") bytes back, identical"
