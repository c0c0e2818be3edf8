#!/usr/bin/env bash
# A real mail path: theodoi's reminder pass hands its e-mails to msmtp (Debian's package), which
# delivers over SMTP to a local sink (aiosmtpd from PyPI, in a throwaway virtualenv) writing a
# Maildir; the messages are read back and their Vietnamese subjects and bodies checked (RFC 2047,
# UTF-8), and a second pass must send nothing. Then a pass is killed (SIGKILL) while it delivers
# through a slow sendmail, and run again: every e-mail is sent once or still leased (delayed, not
# lost), none twice. Usage: scripts/check-mail.sh [path to the theodoi binary]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-$(swift build --show-bin-path)/theodoi}
port=${THEODOI_SMTP_PORT:-2525}
if ss -ltn | awk '{print $4}' | grep -q ":$port\$"; then echo "port $port is taken; set THEODOI_SMTP_PORT" >&2; exit 1; fi
command -v msmtp > /dev/null || { apt-get update -qq > /dev/null && apt-get install -y -qq msmtp > /dev/null; }
work=$(mktemp -d /tmp/theodoi-mail.XXXXXX)
sink=
trap '[[ -n "$sink" ]] && kill "$sink" 2> /dev/null; [[ -n "${KEEP:-}" ]] || rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q aiosmtpd
"$work/venv/bin/python" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$work/maildir" > "$work/sink.log" 2>&1 &
sink=$!
for _ in $(seq 1 50); do ss -ltn | awk '{print $4}' | grep -q ":$port\$" && break; sleep 0.2; done
cat > "$work/msmtprc" <<RC
defaults
auth off
tls off
logfile $work/msmtp.log
account sink
host 127.0.0.1
port $port
from theodoi@tinhuy.gialai.gov.vn
account default : sink
RC
chmod 600 "$work/msmtprc"
export DATABASE_URL="sqlite:$work/db.sqlite" SENDMAIL="$(command -v msmtp) -C $work/msmtprc -t" \
  MAIL_FROM=theodoi@tinhuy.gialai.gov.vn PUBLIC_URL=https://theodoi.gialai.gov.vn
"$bin" catalog import Sources/TheodoiCatalog/Resources/343-QD-TU.txt > /dev/null
"$bin" user add --email canbo@sgddt.gialai.gov.vn --name "Trần Văn Minh" --role officer --agency "Sở Giáo dục và Đào tạo" > /dev/null
first=$("$bin" send-reminders --date 29/09/2025)
second=$("$bin" send-reminders --date 29/09/2025)
echo "$first"
grep -q "Đã gửi 0 nhắc việc" <<< "$second" || { echo "the second pass sent again: $second" >&2; exit 1; }
"$work/venv/bin/python" - "$work/maildir" "$first" <<'PY'
import pathlib, re, sys
from email import policy
from email.parser import BytesParser
# The files as delivered (mailbox.Maildir would re-serialise them with the old header policy).
files = [f for d in ("new", "cur") for f in (pathlib.Path(sys.argv[1]) / d).glob("*")]
messages = [BytesParser(policy=policy.default).parse(open(f, "rb")) for f in files]
sent = int(re.search(r"đã gửi (\d+)", sys.argv[2]).group(1))
if len(messages) != sent or sent == 0:
    sys.exit(f"the sink received {len(messages)} messages, the pass says it sent {sent}")
subjects = [str(m["subject"]) for m in messages]
if len(set(subjects)) != len(subjects):
    sys.exit("a reminder arrived twice")
want = "Nhiệm vụ A.17.4 còn 1 ngày đến hạn (30/09/2025)"
match = [m for m in messages if str(m["subject"]) == want]
if not match:
    sys.exit(f"no message with the subject “{want}”; got {subjects[:5]}")
message = match[0]
body = message.get_content()
for expected in ["Sở Giáo dục và Đào tạo", "Hạn hoàn thành: 30/09/2025",
                 "https://theodoi.gialai.gov.vn/plans/343-qd-tu/assignments/A.17.4"]:
    if expected not in body:
        sys.exit(f"the body lacks “{expected}”:\n{body}")
if message["to"] != "canbo@sgddt.gialai.gov.vn" or "theodoi@tinhuy.gialai.gov.vn" not in str(message["from"]):
    sys.exit(f"wrong addresses: {message['from']} → {message['to']}")
if message.get_content_charset() != "utf-8":
    sys.exit(f"charset {message.get_content_charset()}")
print(f"{len(messages)} reminder e-mails arrived through msmtp and SMTP, each once, Vietnamese intact: “{want}”")
PY

# A pass killed midway: a sendmail that takes 0.3 s per message, SIGKILL after 2.5 s, then a normal pass.
export DATABASE_URL="sqlite:$work/killed.sqlite"
"$bin" catalog import Sources/TheodoiCatalog/Resources/343-QD-TU.txt > /dev/null
n=0
for agency in "Sở Giáo dục và Đào tạo" "Sở Khoa học và Công nghệ" "Sở Tư pháp" "Sở Văn hóa, Thể thao và Du lịch" "Sở Nội vụ" \
  "Công an tỉnh" "Sở Y tế" "Sở Tài chính"; do
  n=$((n + 1))
  "$bin" user add --email "canbo$n@donvi.gialai.gov.vn" --name "Cán bộ $n" --role officer --agency "$agency" > /dev/null
done
cat > "$work/slow-sendmail" <<SH
#!/bin/sh
sleep 0.3
exec $(command -v msmtp) -C $work/msmtprc -t
SH
chmod +x "$work/slow-sendmail"
before=$(find "$work/maildir/new" "$work/maildir/cur" -type f | wc -l)
SENDMAIL="$work/slow-sendmail" "$bin" send-reminders --date 29/09/2025 > /dev/null 2>&1 &
pass=$!
sleep 2.5
kill -9 "$pass" 2> /dev/null || true
wait "$pass" 2> /dev/null || true
"$bin" send-reminders --date 29/09/2025 > /dev/null
python3 - "$work/killed.sqlite" "$work/maildir" "$before" <<'PY'
import pathlib, sqlite3, sys
from email import policy
from email.parser import BytesParser
db = sqlite3.connect(sys.argv[1])
states = dict(db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
notifications = db.execute("SELECT COUNT(*) FROM notifications").fetchone()[0]
total = sum(states.values())
if total != notifications or total == 0:
    sys.exit(f"{total} e-mails queued for {notifications} notifications")
# The killed pass may hold one batch (5 messages) until its lease lapses; nothing else may be left.
if states.get("pending", 0) or states.get("failed", 0) or states.get("sending", 0) > 5:
    sys.exit(f"after the rerun the outbox holds {states}")
files = sorted(f for d in ("new", "cur") for f in (pathlib.Path(sys.argv[2]) / d).glob("*"))
arrived = [BytesParser(policy=policy.default).parse(open(f, "rb")) for f in files]
arrived = [m for m in arrived if "@donvi.gialai.gov.vn" in str(m["to"])]
pairs = [(str(m["to"]), str(m["subject"])) for m in arrived]
if len(set(pairs)) != len(pairs):
    sys.exit("an e-mail arrived twice after the kill")
sent, leased = states.get("sent", 0), states.get("sending", 0)
if not (sent <= len(arrived) <= sent + leased):
    sys.exit(f"{len(arrived)} arrived, but the outbox says {sent} sent and {leased} in flight")
print(f"killed midway: after the rerun {sent} of {total} e-mails sent, {leased} still leased by the killed pass (sent after its lease lapses), none twice")
PY
