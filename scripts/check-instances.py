#!/usr/bin/env python3
"""Several instances behind nginx (issue 18): deploy/nginx-theodoi.conf with TLS in front of two
theodoi instances on one PostgreSQL. Checks that a write on one instance is read on the other at
the next request, that a session and its CSRF token made on one work on the other, that
`send-reminders` on both at once sends each reminder once; then a load test through nginx (wrk
readers and report writers) with a rolling restart of both instances: no 5xx, every acknowledged
report stored.
    scripts/check-instances.py BIN POSTGRES_URL [seconds, default 60] [connections, default 64]
"""
import http.client, json, os, re, shutil, signal, socket, ssl, subprocess, sys, tempfile, threading, time

binary = os.path.realpath(sys.argv[1])
postgres = sys.argv[2]
seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 60
connections = int(sys.argv[4]) if len(sys.argv) > 4 else 64
root = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
work = tempfile.mkdtemp(prefix="theodoi-instances-")
schema = f"instances_{os.getpid()}"
database = postgres + ("&" if "?" in postgres else "?") + f"schema={schema}"
problems: list = []
processes: dict = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ports = {"a": free_port(), "b": free_port()}
https_port, http_port = free_port(), free_port()
environment = dict(
    os.environ, DATABASE_URL=database, TRUST_PROXY="true", SECURE_COOKIES="true", REMINDER_INTERVAL="0", SOFFICE="",
    SENDMAIL="", PUBLIC_URL=f"https://127.0.0.1:{https_port}")
insecure = ssl.create_default_context()
insecure.check_hostname = False
insecure.verify_mode = ssl.CERT_NONE


def request(target: str, method: str, path: str, body: bytes = b"", headers: dict = None, timeout: float = 30):
    """(status, headers, body) from an instance ("a", "b") or nginx ("nginx")."""
    if target == "nginx":
        connection = http.client.HTTPSConnection("127.0.0.1", https_port, timeout=timeout, context=insecure)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", ports[target], timeout=timeout)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.getheaders(), answer.read()
    finally:
        connection.close()


def start(name: str) -> None:
    log = open(f"{work}/{name}.log", "a")
    processes[name] = subprocess.Popen(
        [binary, "serve", "--port", str(ports[name])], cwd=work, env=environment, stdout=log, stderr=log)


def wait_ready(name: str) -> None:
    for _ in range(600):
        try:
            if request(name, "GET", "/readyz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit(f"instance {name} did not become ready:\n" + open(f"{work}/{name}.log").read()[-2000:])


def cli(*args) -> str:
    return subprocess.run([binary, *args], cwd=work, env=environment, check=True, capture_output=True, text=True).stdout


def cleanup() -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    shutil.rmtree(work, ignore_errors=True)


try:
    # Two instances started together on one empty PostgreSQL schema: migrated once, the seed loaded once.
    start("a")
    start("b")
    wait_ready("a")
    wait_ready("b")

    # nginx with the site file as shipped: only the ports, the name and the certificate differ.
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-keyout", f"{work}/key.pem", "-out", f"{work}/cert.pem"], check=True, capture_output=True)
    site = open(os.path.join(root, "deploy/nginx-theodoi.conf")).read()
    site = site.replace("127.0.0.1:8081", f"127.0.0.1:{ports['a']}").replace("127.0.0.1:8082", f"127.0.0.1:{ports['b']}")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};").replace("listen [::]:80;", "")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;").replace("listen [::]:443 ssl http2;", "")
    site = site.replace("/etc/ssl/theodoi/fullchain.pem", f"{work}/cert.pem").replace("/etc/ssl/theodoi/privkey.pem", f"{work}/key.pem")
    os.makedirs(f"{work}/nginx-temp", exist_ok=True)
    configuration = (
        f"daemon off; worker_processes 1; pid {work}/nginx.pid; error_log {work}/nginx-error.log;\n"
        "events { worker_connections 1024; }\n"
        f"http {{ access_log {work}/nginx-access.log; client_body_temp_path {work}/nginx-temp; "
        f"proxy_temp_path {work}/nginx-temp; \n{site}\n}}\n")
    open(f"{work}/nginx.conf", "w").write(configuration)
    def drain(name) -> None:
        """Marks instance `name` down in nginx (None: every instance up) and reloads nginx."""
        text = configuration if name is None else configuration.replace(
            f"server 127.0.0.1:{ports[name]} ", f"server 127.0.0.1:{ports[name]} down ")
        open(f"{work}/nginx.conf", "w").write(text)
        subprocess.run(["nginx", "-c", f"{work}/nginx.conf", "-p", work, "-s", "reload"], check=True, capture_output=True)
        time.sleep(2)  # the old workers finish what they were sending to it

    processes["nginx"] = subprocess.Popen(["nginx", "-c", f"{work}/nginx.conf", "-p", work], stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            if request("nginx", "GET", "/healthz", timeout=2)[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        sys.exit("nginx did not start: " + open(f"{work}/nginx-error.log").read()[-2000:])

    plans = json.loads(request("nginx", "GET", "/api/v1/plans", headers={})[2])
    print(f"-- two instances on one PostgreSQL behind nginx (TLS); plans seen anonymously: {plans['total']}")
    cli("user", "add", "--email", "officer@check.local", "--name", "Cán bộ", "--role", "officer", "--agency",
        "Sở Giáo dục và Đào tạo")
    tokens = [cli("user", "token", "--email", "officer@check.local", "--label", f"t{i}").strip().splitlines()[-1]
              for i in range(8)]
    auth = {"Authorization": f"Bearer {tokens[0]}", "Content-Type": "application/json"}
    report_path = "/api/v1/plans/343-qd-tu/assignments/A.17.1/reports"

    # 1. A write on one instance is read on the other at the next request (its cached page too).
    before = request("b", "GET", "/api/v1/plans/343-qd-tu/assignments/A.17.1/history", headers=auth)[2]
    status, _, body = request("a", "POST", report_path, json.dumps(
        {"stage": "in-progress", "percent": 40, "result": "Ghi ở máy A", "submit": True}).encode(), auth)
    report = json.loads(body)["id"] if status == 201 else None
    if report is None:
        problems.append(f"the write on A answered {status}: {body[:200]!r}")
    else:
        seen = request("b", "GET", f"/api/v1/reports/{report}", headers=auth)[0]
        after = request("b", "GET", "/api/v1/plans/343-qd-tu/assignments/A.17.1/history", headers=auth)[2]
        if seen != 200 or after == before or "Ghi ở máy A".encode() not in after:
            problems.append(f"B did not see A's write at once (report {seen}, history changed: {after != before})")
        else:
            print(f"-- a report written on A (id {report}) is read on B at the next request, B's history with it")

    # 2. A session made on A works on B, and so does its CSRF token.
    password = cli("user", "add", "--email", "leader@check.local", "--name", "Lãnh đạo", "--role", "leader").strip().splitlines()[-1]
    status, headers, page = request("a", "GET", "/sign-in")
    cookies = {k: v for k, v in (re.match(r"([^=]+)=([^;]*)", value).groups() for name, value in headers if name.lower() == "set-cookie")}
    csrf = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
    from urllib.parse import quote
    form = f"_csrf={quote(csrf)}&email=leader%40check.local&password={quote(password)}".encode()
    status, headers, _ = request("a", "POST", "/sign-in", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"theodoi_csrf={cookies.get('theodoi_csrf', '')}"})
    session = next((re.match(r"theodoi_session=([^;]*)", value).group(1) for name, value in headers
                    if name.lower() == "set-cookie" and value.startswith("theodoi_session=") and "Secure" in value), None)
    if status not in (302, 303) or not session:
        problems.append(f"sign-in on A answered {status} without a Secure session cookie")
    else:
        status, _, page = request("b", "GET", "/account/password", headers={"Cookie": f"theodoi_session={session}"})
        token = re.search(rb'name="_csrf" value="([^"]+)"', page)
        if status != 200 or not token:
            problems.append(f"A's session on B: {status}")
        else:
            new = "Mật-khẩu-mới-2026!"
            from urllib.parse import quote
            form = f"_csrf={quote(token.group(1).decode())}&current={quote(password)}&new={quote(new)}&confirmation={quote(new)}".encode()
            status, headers, answer = request("b", "POST", "/account/password", form, {
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"theodoi_session={session}"})
            landed = request("a", "GET", "/plans", headers={"Cookie": f"theodoi_session={session}"})[0]
            changed = status in (302, 303) or (status == 200 and "Đã đổi mật khẩu".encode() in answer)
            if not changed or landed != 200:
                shown = re.findall(rb'class="(?:alert|field-error)[^"]*"[^>]*>([^<]*)', answer)
                problems.append(f"the password change on B with A's session answered {status} {shown}; /plans on A then {landed}")
            else:
                print("-- a session made on A works on B; a form sent to B with its CSRF token is taken; A sees the change")

    # 3. send-reminders on both at once: each reminder once.
    runs = [subprocess.Popen([binary, "send-reminders", "--date", "29/09/2025"], cwd=work, env=environment,
                             stdout=subprocess.PIPE, text=True) for _ in range(2)]
    sent = [int(re.search(r"Đã gửi (\d+) nhắc việc", run.communicate()[0]).group(1)) for run in runs]
    third = int(re.search(r"Đã gửi (\d+) nhắc việc", cli("send-reminders", "--date", "29/09/2025")).group(1))
    if sum(sent) == 0 or third != 0:
        problems.append(f"send-reminders twice at once sent {sent}, a third run {third}")
    else:
        print(f"-- send-reminders on both at once: {sent[0]} + {sent[1]} = {sum(sent)} reminders, each once; a third run sends {third}")

    # 4. Load through nginx: wrk readers, report writers, and a rolling restart (A, then B).
    script = f"{work}/read.lua"
    paths = ["/api/v1/plans/343-qd-tu/dashboard", "/api/v1/plans/343-qd-tu/lists/overdue",
             "/api/v1/plans/343-qd-tu/assignments?limit=100", "/api/v1/plans/343-qd-tu/assignments/A.17.1/history"]
    open(script, "w").write(
        "local tokens = {" + ",".join(f'"{t}"' for t in tokens[4:]) + "}\n"
        "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n"
        "local n = 0\n"
        "request = function()\n  n = n + 1\n"
        "  return wrk.format('GET', paths[(n % #paths) + 1], {['Authorization'] = 'Bearer ' .. tokens[(n % #tokens) + 1]})\nend\n"
        "local errors = 0\nresponse = function(status) if status >= 500 then errors = errors + 1 end end\n")
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()
    statuses: dict = {}

    def writer(index: int) -> None:
        headers = {"Authorization": f"Bearer {tokens[index]}", "Content-Type": "application/json"}
        n = 0
        while not stop.is_set():
            n += 1
            body = json.dumps({"stage": "in-progress", "percent": n % 100, "result": f"Tải {index}-{n}", "submit": True}).encode()
            try:
                status, _, payload = request("nginx", "POST", report_path, body, headers)
            except OSError:
                status, payload = 0, b""
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 201:
                    acknowledged.append(json.loads(payload)["id"])

    # A read that takes over 10 s counts as lost (wrk's default, 2 s, counted slow reads of a loaded
    # 2-core machine as errors).
    wrk = subprocess.Popen(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", script,
                            f"https://127.0.0.1:{https_port}/"], stdout=subprocess.PIPE, text=True)
    writers = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in writers:
        thread.start()
    restarts = []
    for name in ("a", "b"):
        time.sleep(seconds / 3)
        began = time.time()
        # The rolling restart as the README gives it: the instance marked down in nginx (a reload:
        # new connections go to the other one, requests in flight finish), then stopped, started,
        # ready, and put back. Stopping it unannounced would reset the connections waiting in its
        # listen queue, and nginx cannot send a form it has already passed on to the other instance.
        drain(name)
        processes[name].send_signal(signal.SIGTERM)
        code = processes[name].wait(timeout=60)
        start(name)
        wait_ready(name)
        drain(None)
        restarts.append((name, time.time() - began, code))
    output = wrk.communicate()[0]
    stop.set()
    for thread in writers:
        thread.join()
    requests = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    latency = re.findall(r"\s+(50|99)%\s+(\S+)", output)
    missing = [r for r in acknowledged if request("a", "GET", f"/api/v1/reports/{r}", headers=auth)[0] != 200]
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    print(f"-- load through nginx for {seconds} s, {connections} connections of readers and 4 writers, "
          f"rolling restart: " + ", ".join(f"{n} in {t:.1f} s (exit {c})" for n, t, c in restarts))
    print(f"   readers: {requests.group(1) if requests else '?'} requests, {rate.group(1) if rate else '?'} req/s, "
          f"latency " + ", ".join(f"p{p} {v}" for p, v in latency) +
          f", non-2xx {non2xx.group(1) if non2xx else 0}, socket errors: {socket_errors.group(1) if socket_errors else 'none'}")
    print(f"   writers: answers {dict(sorted(statuses.items()))}; acknowledged {len(acknowledged)}, "
          f"stored {len(acknowledged) - len(missing)}")
    if non2xx:
        problems.append(f"{non2xx.group(1)} reads answered other than 2xx")
    # nginx's reload closes the readers' idle kept-alive connections (the old worker leaves): wrk
    # counts a request sent on one as a read or write error where a browser sends it again. Up to
    # one per connection per reload is that; a refused connection or a timeout never is.
    errors = dict(re.findall(r"(\w+) (\d+)", socket_errors.group(1))) if socket_errors else {}
    closed = int(errors.get("read", 0)) + int(errors.get("write", 0))
    if int(errors.get("connect", 0)) or int(errors.get("timeout", 0)) or closed > 4 * connections:
        problems.append(f"reads lost (no answer within 10 s, or the connection broke): {socket_errors.group(1)}")
    if server_errors or statuses.get(0):
        problems.append(f"writers got 5xx or no answer: {statuses}")
    if missing:
        problems.append(f"{len(missing)} acknowledged reports missing: {missing[:10]}")
    if any(code != 0 for _, _, code in restarts):
        problems.append(f"an instance did not exit 0 on SIGTERM: {restarts}")
    if not acknowledged:
        problems.append("no report was acknowledged during the load")
finally:
    cleanup()
if problems:
    sys.exit("\n".join(problems))
print("-- instances: every check passed")
