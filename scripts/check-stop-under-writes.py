#!/usr/bin/env python3
"""SIGTERM while reports are being written (issue 18): the server stops accepting, finishes what it
took, exits 0 with its one line; after a restart every report it acknowledged (201) is stored, and
no request got a 5xx.
    scripts/check-stop-under-writes.py BIN [writers] [seconds before the signal]
"""
import json, os, signal, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request, socket

binary = os.path.realpath(sys.argv[1])
writers = int(sys.argv[2]) if len(sys.argv) > 2 else 8
before = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
work = tempfile.mkdtemp(prefix="theodoi-stop-")
env = dict(os.environ, DATABASE_URL=f"sqlite:{work}/db.sqlite", REMINDER_INTERVAL="15", SOFFICE="")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
base = f"http://127.0.0.1:{port}"


def start():
    log = open(f"{work}/server.log", "a")
    process = subprocess.Popen([binary, "serve", "--port", str(port)], cwd=work, env=env, stdout=log, stderr=log)
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return process
        except Exception:
            time.sleep(0.1)
    sys.exit("the server did not start:\n" + open(f"{work}/server.log").read()[-2000:])


def run(*args) -> str:
    return subprocess.run([binary, *args], cwd=work, env=env, check=True, capture_output=True, text=True).stdout


server = start()
run("user", "add", "--email", "officer@check.local", "--name", "Cán bộ", "--role", "officer", "--agency", "Sở Giáo dục và Đào tạo")
token = run("user", "token", "--email", "officer@check.local", "--label", "stop").strip().splitlines()[-1]
headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

acknowledged, lock, stop = [], threading.Lock(), threading.Event()
statuses: dict = {}


def writer(index: int) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        body = json.dumps({"stage": "in-progress", "percent": n % 100, "result": f"Báo cáo {index}-{n}", "submit": True}).encode()
        request = urllib.request.Request(
            base + "/api/v1/plans/343-qd-tu/assignments/A.17.1/reports", data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, payload = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        except Exception:
            status, payload = 0, b""  # refused or cut: not acknowledged
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            if status == 201:
                acknowledged.append(json.loads(payload)["id"])
        if status == 0:
            if server.poll() is not None:
                return
            time.sleep(0.01)


threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
for thread in threads:
    thread.start()
time.sleep(before)
signalled = time.time()
server.send_signal(signal.SIGTERM)
code = server.wait(timeout=60)
stopped = time.time() - signalled
stop.set()
for thread in threads:
    thread.join()
log = open(f"{work}/server.log").read()
problems = []
if code != 0:
    problems.append(f"exit status {code}")
if log.count("theodoi đã dừng") != 1:
    problems.append("not exactly one stop line in the log")
if "Assertion" in log or "Fatal error" in log:
    problems.append("an assertion or fatal error in the log")
server = start()
missing = []
for report in acknowledged:
    request = urllib.request.Request(f"{base}/api/v1/reports/{report}", headers=headers)
    try:
        urllib.request.urlopen(request, timeout=10).read()
    except urllib.error.HTTPError:
        missing.append(report)
server.send_signal(signal.SIGTERM)
server.wait(timeout=60)
server_errors = sum(count for status, count in statuses.items() if status >= 500)
print(f"{writers} writers, SIGTERM after {before:.0f} s; stopped in {stopped:.2f} s with status {code}")
print(f"answers: {dict(sorted(statuses.items()))} (0 = refused once the server stopped listening)")
print(f"acknowledged {len(acknowledged)}, stored after restart {len(acknowledged) - len(missing)}, 5xx {server_errors}")
if missing:
    problems.append(f"{len(missing)} acknowledged reports missing: {missing[:10]}")
if server_errors:
    problems.append(f"{server_errors} answers 5xx")
if not acknowledged:
    problems.append("no report was acknowledged")
subprocess.run(["rm", "-rf", work])
if problems:
    sys.exit("; ".join(problems) + "\n" + log[-3000:])
