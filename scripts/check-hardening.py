#!/usr/bin/env python3
"""Issue 14's reproductions against a live server: each must get a 4xx, and the server must stay up.

Run by scripts/check-hardening.sh, which starts the server and creates the accounts:
    check-hardening.py PORT WORKDIR BINARY PID
"""
import concurrent.futures
import http.client
import io
import re
import subprocess
import sys
import time
import zipfile

PORT, WORK, BINARY, PID = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
failures = []


def request(method, path, body=b"", headers=None, timeout=60):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    result = (response.status, dict((k.lower(), v) for k, v in response.getheaders()), data.decode("utf-8", "replace"),
              response.msg.get_all("Set-Cookie") or [])
    connection.close()
    return result


def check(name, condition, detail=""):
    if condition:
        print(f"  ok   {name}")
    else:
        print(f"  FAIL {name} {detail}")
        failures.append(name)


def alive():
    status, _, _, _ = request("GET", "/healthz", timeout=10)
    return status == 200


def expect_4xx(name, status, body=""):
    check(f"{name} → {status}", 400 <= status < 500, body[:200])
    check(f"{name}: the server still answers", alive())


def rss_mb():
    with open(f"/proc/{PID}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return -1


def cookie_value(cookies, name):
    for cookie in cookies:
        if cookie.startswith(name + "="):
            return cookie.split(";", 1)[0].split("=", 1)[1]
    return None


def form(fields):
    from urllib.parse import urlencode
    return urlencode(fields).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def sign_in(email, password, address="203.0.113.10"):
    status, _, _, cookies = request("GET", "/sign-in", headers={"X-Forwarded-For": address})
    csrf = cookie_value(cookies, "theodoi_csrf")
    return request("POST", "/sign-in", form([("_csrf", csrf), ("email", email), ("password", password)]),
                   {**FORM, "Cookie": f"theodoi_csrf={csrf}", "X-Forwarded-For": address})


def session(email, role):
    """Signs in, changes the first password, and returns (cookie header, CSRF token of pages)."""
    password = open(f"{WORK}/{role}.password").read().strip()
    status, headers, _, cookies = sign_in(email, password)
    assert status == 302, (email, status)
    cookie = "theodoi_session=" + cookie_value(cookies, "theodoi_session")
    _, _, page, _ = request("GET", "/account/password", headers={"Cookie": cookie})
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    new = "Matkhau-moi-2026-" + str(len(role)) + "z"
    status, _, _, _ = request("POST", "/account/password",
                              form([("_csrf", csrf), ("current", password), ("new", new), ("confirmation", new)]),
                              {**FORM, "Cookie": cookie})
    assert status == 200, status
    return cookie, csrf, new


print("== issue 14 reproductions against the live server")
leader_token = open(f"{WORK}/leader.token").read().strip()
monitor_cookie, monitor_csrf, monitor_password = session("monitor@check.local", "monitor")
officer_cookie, officer_csrf, _ = session("officer@check.local", "officer")
# A new password ends the tokens made before it (14): the officer's token is made after.
officer_token = subprocess.run([BINARY, "user", "token", "--email", "officer@check.local", "--label", "check"],
                               capture_output=True, text=True, check=True).stdout.strip()

# 1. A part header name with a byte ≥ 0x80, anonymous and through the API.
broken = b'--x\r\nContent-Disposition: form-data; name="a"\r\n\xc3\xa9: 1\r\n\r\nv\r\n--x--\r\n'
multipart_x = {"Content-Type": "multipart/form-data; boundary=x"}
status, _, body, _ = request("POST", "/sign-in", broken, multipart_x)
expect_4xx("1. non-ASCII part header name to /sign-in", status, body)
status, _, body, _ = request("POST", "/api/v1/reports/1/attachments", broken,
                             {**multipart_x, "Authorization": f"Bearer {officer_token}"})
expect_4xx("1. the same to /api/v1/reports/1/attachments", status, body)
status, _, body, _ = request("POST", "/plans/343-qd-tu/assignments/A.17.1/report",
                             b'--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n' + officer_csrf.encode() + b"\r\n" + broken,
                             {**multipart_x, "Cookie": officer_cookie})
expect_4xx("1. the same, signed in with the right token, to the report form", status, body)

# 2. Page numbers that overflow the offset.
for path in ["/plans/343-qd-tu?page=9223372036854775807", "/api/v1/plans/343-qd-tu/assignments?page=9223372036854775807",
             "/api/v1/plans/343-qd-tu/assignments?page=92233720368547759&perPage=1000",
             "/plans/343-qd-tu/lists/overdue?page=9223372036854775807", "/notifications?page=9223372036854775807",
             "/audit?page=9223372036854775807", "/audit?page=92233720368547759"]:
    status, _, body, _ = request("GET", path, headers={"Cookie": monitor_cookie, "Authorization": f"Bearer {leader_token}"}
                                 if path.startswith("/api/") else {"Cookie": monitor_cookie})
    expect_4xx(f"2. {path}", status, body)


# 3. Crafted workbooks: invalid UTF-8 in an element name and a processing instruction; corrupted offsets.
def workbook(workbook_xml):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", '<Relationships><Relationship Id="r" Type="x/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        archive.writestr("xl/workbook.xml", workbook_xml)
    return buffer.getvalue()


crafted = {
    "element": workbook(b'<?xml version="1.0"?><workbook><sheets><\xff\xfe name="A"/></sheets></workbook>'),
    "instruction": workbook(b'<?xml version="1.0"?><?\xc3\x28 x?><workbook/>'),
}
good = workbook(b'<?xml version="1.0"?><workbook><sheets/></workbook>')
corrupt = bytearray(good)
end = corrupt.rfind(b"PK\x05\x06")
corrupt[end + 16:end + 20] = b"\xf0\xff\xff\x7f"
crafted["offsets"] = bytes(corrupt)
corrupt = bytearray(good)
local = corrupt.find(b"PK\x03\x04", 10)
corrupt[local + 18:local + 22] = b"\xff\xff\xff\x7f"
crafted["sizes"] = bytes(corrupt)
for name, data in crafted.items():
    path = f"{WORK}/crafted-{name}.xlsx"
    open(path, "wb").write(data)
    run = subprocess.run([BINARY, "catalog", "parse", path, "--json"], capture_output=True, text=True, timeout=60)
    check(f"3. theodoi catalog parse crafted-{name}.xlsx exits 1 with a reason", run.returncode == 1 and run.stderr.strip() != "",
          f"exit {run.returncode}: {run.stderr[-300:]}")
    boundary = "----crafted"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n{monitor_csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="ke-hoach.xlsx"\r\n\r\n').encode() + data + \
        f"\r\n--{boundary}--\r\n".encode()
    status, _, text, _ = request("POST", "/catalogues/import", body,
                                 {"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": monitor_cookie})
    expect_4xx(f"3. web import of crafted-{name}.xlsx", status, text)

# 4. Anonymous 100 MB uploads to /sign-in: refused before they are read.
rss_before = rss_mb()


def big_upload(_):
    import socket
    size = 100 * 1024 * 1024
    head = (f"POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {size}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", PORT), timeout=30) as connection:
        connection.sendall(head)
        chunk = b"--x\r\n" + b"A" * (1024 * 1024 - 5)
        sent = 0
        try:
            while sent < size:
                connection.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass
        try:
            reply = connection.recv(200).decode("latin-1")
        except OSError:
            reply = ""
    return reply.split("\r\n", 1)[0], sent


started = time.time()
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    uploads = list(pool.map(big_upload, range(8)))
health_started = time.time()
check("4. 8 anonymous 100 MB uploads: the server still answers", alive())
health_ms = (time.time() - health_started) * 1000
rss_after = rss_mb()
statuses = [reply for reply, _ in uploads]
check("4. each upload answered 4xx (or cut off)", all(s == "" or re.search(r" 4\d\d ", s) for s in statuses), str(statuses))
check(f"4. memory {rss_before} → {rss_after} MB (under 200 MB), /healthz in {health_ms:.0f} ms",
      rss_after < 200 and health_ms < 1000)
print(f"       uploads took {time.time() - started:.1f} s; bytes the clients got to send: {[sent >> 20 for _, sent in uploads]} MB")

# 5. Open redirect.
status, _, page, _ = request("GET", "/sign-in?next=/%09/evil.example/phish")
check("5. the sign-in page drops next=/%09/evil.example", "evil.example" not in page)
status, headers, _, cookies = request("GET", "/sign-in")
csrf = cookie_value(cookies, "theodoi_csrf")
status, headers, _, _ = request("POST", "/sign-in",
                                form([("_csrf", csrf), ("email", "monitor@check.local"), ("password", monitor_password),
                                      ("next", "/\t/evil.example/phish")]),
                                {**FORM, "Cookie": f"theodoi_csrf={csrf}"})
check("5. signing in with next=/\\t/evil.example goes home", status == 302 and headers.get("location") == "/", str(headers.get("location")))

# 6. Five wrong passwords from elsewhere do not lock the owner out where they sign in.
for _ in range(5):
    sign_in("monitor@check.local", "sai-mat-khau", address="198.51.100.66")
status, _, _, _ = sign_in("monitor@check.local", monitor_password)
check("6. after 5 failures elsewhere, the owner signs in from a known address", status == 302, str(status))
status, headers, body, _ = sign_in("monitor@check.local", "sai-mat-khau", address="198.51.100.66")
check("6. the guesser waits (429 with Retry-After)", status == 429 and "retry-after" in headers, str(status))
for index in range(20):
    sign_in(f"thu{index}@check.local", "sai", address="198.51.100.77")
status, _, _, _ = sign_in("monitor@check.local", monitor_password)
check("6. 20 failures from another address lock nobody else out", status == 302, str(status))

# 7. Parallel wrong passwords are all counted.
with concurrent.futures.ThreadPoolExecutor(15) as pool:
    statuses = list(pool.map(lambda _: sign_in("leader@check.local", "sai-mat-khau", address="198.51.100.99")[0], range(15)))
checked = statuses.count(401)
check(f"7. 15 parallel wrong passwords: {checked} checked, {statuses.count(429)} told to wait", checked <= 3, str(statuses))

# 8. The pre-sign-in cookie token is no token for a session.
status, _, body, _ = request("POST", "/admin/users", form([("_csrf", "X"), ("email", "moi@check.local"), ("name", "Mới"), ("role", "leader")]),
                             {**FORM, "Cookie": f"{monitor_cookie}; theodoi_csrf=X"})
expect_4xx("8. session + theodoi_csrf=X cookie + _csrf=X", status, body)

# 9. The audit log does not show another agency's draft text.
status, _, body, _ = request("POST", "/api/v1/plans/343-qd-tu/assignments/A.17.1/reports",
                             b'{"stage": "in-progress", "percent": 10, "result": "Noi dung nhap bi mat 4711"}',
                             {"Content-Type": "application/json", "Authorization": f"Bearer {officer_token}"})
check("9. an officer saves a draft", status == 201, body[:200])
_, _, audit, _ = request("GET", "/audit?action=report.create", headers={"Cookie": monitor_cookie})
check("9. /audit does not show the draft's text", "Noi dung nhap bi mat 4711" not in audit and "Lập báo cáo" in audit)

# 10. Behind the proxy, the last X-Forwarded-For entry is the client.
sign_in("nobody@check.local", "sai", address="6.6.6.6, 192.0.2.123")
_, _, audit, _ = request("GET", "/audit?action=session.sign-in-failed", headers={"Cookie": monitor_cookie})
check("10. the audit log records the proxy's entry, not the client's", "192.0.2.123" in audit and "6.6.6.6" not in audit)

# 11. Spreadsheet formulas in CSV exports and the open data.
csv_path = f"{WORK}/formula.csv"
open(csv_path, "w", encoding="utf-8").write(
    "TT,Nội dung thực hiện,Đơn vị chủ trì,Đơn vị phối hợp,Thời gian hoàn thành,Sản phẩm\n"
    '1,"=HYPERLINK(""http://evil.example"",""Bấm"")",Sở Giáo dục và Đào tạo,,Tháng 10/2026,"@SUM(1+1)"\n')
run = subprocess.run([BINARY, "catalog", "import", csv_path, "--number", "99-KH/TEST"], capture_output=True, text=True, timeout=120)
check("11. a catalogue with formulas imports", run.returncode == 0, run.stderr[-300:])
_, _, exported, _ = request("GET", "/plans/99-kh-test/export.csv", headers={"Cookie": monitor_cookie})
check("11. export.csv writes =HYPERLINK and @SUM as text", "'=HYPERLINK" in exported and "'@SUM" in exported
      and ',=HYPERLINK' not in exported.replace('"', ''), exported[:300])
request("POST", "/plans/99-kh-test/publish", form([("_csrf", monitor_csrf), ("published", "1"), ("confirm", "yes")]), {**FORM, "Cookie": monitor_cookie})
_, _, open_data, _ = request("GET", "/plans/99-kh-test/open-data.csv")
check("11. open-data.csv too", "'=HYPERLINK" in open_data, open_data[:200])

# 12. Removing ids the report does not have does not lift the 20-file limit.
pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def report_form(fields, files):
    boundary = "----report"
    body = b""
    for name, value in fields:
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name in files:
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n").encode() + pdf + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return request("POST", "/plans/343-qd-tu/assignments/A.17.6/report", body,
                   {"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": officer_cookie})


base = [("_csrf", officer_csrf), ("report", ""), ("version", ""), ("stage", "in-progress"), ("percent", "20"),
        ("result", "Đang làm"), ("do", "save")]
status, headers, body, _ = report_form(base, [f"tep-{i}.pdf" for i in range(20)])
check("12. a draft with 20 files", status == 302, f"{status} {body[:200]}")
_, _, page, _ = request("GET", "/plans/343-qd-tu/assignments/A.17.6/report", headers={"Cookie": officer_cookie})
report_id = re.search(r'name="report" value="(\d+)"', page).group(1)
version = re.search(r'name="version" value="(\d+)"', page).group(1)
attachment = re.search(r'name="remove" value="(\d+)"', page).group(1)
again = [(k, report_id if k == "report" else version if k == "version" else v) for k, v in base]
status, _, body, _ = report_form(again + [("remove", "999999"), ("remove", "999998")], ["a.pdf", "b.pdf"])
expect_4xx("12. remove=999999&remove=999998 with 2 new files", status, body)

# 13. A download keeps its sandbox.
status, headers, _, _ = request("GET", f"/attachments/{attachment}", headers={"Cookie": officer_cookie})
check("13. an attachment is served with a sandboxing CSP", status == 200 and "sandbox" in headers.get("content-security-policy", ""),
      str(headers.get("content-security-policy")))

# 14. API tokens end with a new password, and stay ended after disable + enable.
subprocess.run([BINARY, "user", "reset-password", "--email", "officer@check.local"], capture_output=True, check=True)
status, _, _, _ = request("GET", "/api/v1/plans", headers={"Authorization": f"Bearer {officer_token}"})
expect_4xx("14. the token after a password reset", status)
subprocess.run([BINARY, "user", "disable", "--email", "leader@check.local"], capture_output=True, check=True)
subprocess.run([BINARY, "user", "disable", "--email", "leader@check.local", "--enable"], capture_output=True, check=True)
status, _, _, _ = request("GET", "/api/v1/plans", headers={"Authorization": f"Bearer {leader_token}"})
expect_4xx("14. the token after disable and enable", status)

# 15 is schemathesis (scripts/check-api.sh).
check("the server process is still the one started", subprocess.run(["kill", "-0", str(PID)]).returncode == 0)
if failures:
    print(f"{len(failures)} check(s) failed: {failures}")
    sys.exit(1)
