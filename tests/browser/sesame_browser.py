# sesame_browser.py — the families' pages in a real browser: a fresh
# store, sesame-server on loopback, a mail server and headless Chromium.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The pages the families use are only proven by a browser that follows
# their links, keeps their cookies and submits their forms as a parent's
# phone would. This module starts everything such a test needs on
# 127.0.0.1 and nothing else: a store made by sesamectl from the AAF
# samples, sesame-server over HTTPS with a certificate made here, the
# store's mail settings pointed at Debian's aiosmtpd, and Chromium driven
# by chromedriver. Every wait is bounded, and whatever was started is
# stopped again, also when a test fails or the run is interrupted.
#
# It also holds a small TAP runner, so that meson reads each test's
# result, and the rule for a missing browser: skipped (exit 77) on a
# developer's machine, a failure where SESAME_BROWSER_REQUIRED=1 (the CI).

import atexit
import email
import email.policy
import html
import mailbox
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse

SKIP = 77
PYTHON = "/usr/bin/python3"
CHROMIUM_CANDIDATES = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"]
CHROMEDRIVER = "/usr/bin/chromedriver"

ESTABLISHMENT_NAME = "Collège du Mont-Blanc"
SAMPLE_UAI = "0741234A"
FROM_ADDRESS = "ent@college-mont-blanc.example.org"

# What a wait gives a page or a process at most, in seconds.
WAIT = 20


class HarnessError(Exception):
    """Something the harness needs is missing or did not start."""


def browser_missing():
    """Returns what is missing to drive a browser, or None."""
    missing = []
    if not any(os.access(p, os.X_OK) for p in CHROMIUM_CANDIDATES):
        missing.append("chromium")
    if not os.access(CHROMEDRIVER, os.X_OK):
        missing.append("chromium-driver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("python3-selenium")
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        missing.append("python3-aiosmtpd")
    return missing or None


def require_browser():
    """Exits 77 (skip) without a browser, unless the CI requires one."""
    missing = browser_missing()
    if missing is None:
        return
    names = " ".join(missing)
    if os.environ.get("SESAME_BROWSER_REQUIRED") == "1":
        print("Bail out! the browser tests need %s: install them with "
              "build-aux/install-deps.sh" % names)
        sys.exit(1)
    print("1..0 # SKIP the browser tests need %s (apt-get install %s); "
          "they are skipped on this machine" % (names, names))
    sys.exit(SKIP)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, what, timeout=WAIT, interval=0.1):
    """Calls predicate until it returns something true, at most timeout s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise HarnessError("gave up after %d s waiting for %s" % (timeout, what))
        time.sleep(interval)


def tool(name):
    path = os.environ.get(name)
    if not path or not os.access(path, os.X_OK):
        raise HarnessError("%s is not set to a program: run the tests with "
                           "meson test -C _build --suite browser" % name)
    return path


class Process:
    """A child in a session of its own, stopped with its children."""

    def __init__(self, name, argv, log_path, env=None):
        self.name = name
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.popen = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, env=env,
                                      start_new_session=True)

    def output(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def running(self):
        return self.popen.poll() is None

    def stop(self):
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
        self.log.close()


_live_harnesses = []


def _stop_all(*_):
    for h in list(_live_harnesses):
        h.stop()


def _on_signal(signum, _frame):
    _stop_all()
    sys.exit(128 + signum)


atexit.register(_stop_all)
signal.signal(signal.SIGTERM, _on_signal)
signal.signal(signal.SIGINT, _on_signal)


class Harness:
    """A store, sesame-server, a mail server and a browser on loopback."""

    def __init__(self, samples=("sample", "college"), browser=True, window=(1280, 800)):
        self.sesamectl = tool("SESAMECTL")
        self.server_program = tool("SESAME_SERVER")
        self.samples = samples
        self.with_browser = browser
        self.window = window
        self.dir = None
        self.processes = []
        self.driver = None
        self.base = None
        self.env = dict(os.environ)
        # sesamectl and the server in English: the pages follow the store's
        # document language (French), not the locale.
        self.env["LC_ALL"] = "C.UTF-8"
        self.env.pop("LANGUAGE", None)

    # ---- start and stop -------------------------------------------------

    def start(self):
        _live_harnesses.append(self)
        try:
            self.dir = tempfile.mkdtemp(prefix="sesame-browser-")
            os.chmod(self.dir, 0o755)
            self.env["XDG_DATA_HOME"] = os.path.join(self.dir, "data")
            self.env["XDG_CONFIG_HOME"] = os.path.join(self.dir, "config")
            self.env["XDG_CACHE_HOME"] = os.path.join(self.dir, "cache")
            self.env["HOME"] = self.dir
            self.store = os.path.join(self.dir, "store", "sesame.db")
            os.makedirs(os.path.dirname(self.store), mode=0o700)
            self.make_certificate()
            self.start_smtp()
            self.make_store()
            self.start_server()
            if self.with_browser:
                self.start_browser()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        if self.driver is not None:
            try:
                self.driver.quit()
            except Exception:
                pass
            self.driver = None
        for p in reversed(self.processes):
            p.stop()
        self.processes = []
        if self.dir is not None and os.environ.get("SESAME_BROWSER_KEEP") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
        if self in _live_harnesses:
            _live_harnesses.remove(self)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def make_certificate(self):
        """A certificate authority of its own for 127.0.0.1, so that a real
        client (Apache's mod_auth_cas) can check the server against it."""
        self.cert = os.path.join(self.dir, "server.pem")
        self.key = os.path.join(self.dir, "server.key")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec",
             "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", self.key, "-out", self.cert, "-days", "3650",
             "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
             "-addext", "basicConstraints=critical,CA:TRUE"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=WAIT)
        os.chmod(self.key, 0o600)

    def start_smtp(self):
        self.maildir = os.path.join(self.dir, "mail")
        self.smtp_port = free_port()
        p = Process("aiosmtpd",
                    [PYTHON, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.smtp_port,
                     "-c", "aiosmtpd.handlers.Mailbox", self.maildir],
                    os.path.join(self.dir, "smtp.log"))
        self.processes.append(p)

        def listening():
            if not p.running():
                raise HarnessError("the mail server stopped: " + p.output())
            try:
                socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1).close()
                return True
            except OSError:
                return False
        wait_for(listening, "the mail server on port %d" % self.smtp_port)

    def ctl(self, *args, stdin=None, check=True):
        """Runs sesamectl on the store; returns its standard output."""
        run = subprocess.run([self.sesamectl, "--store", self.store] + list(args),
                             input=stdin, capture_output=True, text=True, env=self.env,
                             timeout=120)
        if check and run.returncode != 0:
            raise HarnessError("sesamectl %s exited with %d: %s%s" %
                               (" ".join(args), run.returncode, run.stdout, run.stderr))
        return run.stdout

    def make_store(self):
        paths = []
        for s in self.samples:
            if s == "sample":
                samples = os.environ.get("SESAME_SAMPLES_DIR", "")
                if not os.path.isdir(samples):
                    raise HarnessError("the AAF samples are not in “%s”: link ../shared/samples/aaf "
                                       "beside the clone or set -Dsamples_dir" % samples)
                paths.append(samples)
            else:
                paths.append(os.path.join(os.environ["G_TEST_SRCDIR"], "data", "aaf", s))
        self.ctl("import", "--accept-departures", *paths)
        self.ctl("settings", "set", "ent-name", ESTABLISHMENT_NAME)
        self.ctl("smtp", "set", "--host", "127.0.0.1", "--port", str(self.smtp_port),
                 "--security", "none", "--from", FROM_ADDRESS,
                 "--from-name", ESTABLISHMENT_NAME, "--rate", "0")

    def start_server(self, extra=()):
        p = Process("sesame-server",
                    [self.server_program, "--store", self.store, "--listen", "127.0.0.1:0",
                     "--tls-certificate", self.cert, "--tls-key", self.key] + list(extra),
                    os.path.join(self.dir, "server.log"), env=self.env)
        self.processes.append(p)
        self.server = p

        def address():
            if not p.running():
                raise HarnessError("sesame-server stopped: " + p.output())
            m = re.search(r"(https://127\.0\.0\.1:\d+)/", p.output())
            return m.group(1) if m else None
        self.base = wait_for(address, "sesame-server to listen")
        # The links the pages and the mail carry come from this setting,
        # never from the request.
        self.ctl("settings", "set", "ent-url", self.base)

    def start_browser(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = next(p for p in CHROMIUM_CANDIDATES if os.access(p, os.X_OK))
        for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                    "--disable-gpu", "--no-first-run", "--disable-extensions",
                    "--disable-background-networking", "--disable-sync",
                    "--password-store=basic", "--lang=fr-FR",
                    "--window-size=%d,%d" % self.window,
                    "--user-data-dir=" + os.path.join(self.dir, "chromium")]:
            options.add_argument(arg)
        # The server's certificate is this run's own.
        options.accept_insecure_certs = True
        # The console (Content-Security-Policy reports among others), for
        # the messages of a failing test.
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(CHROMEDRIVER, log_path=os.path.join(self.dir, "chromedriver.log"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(WAIT)
        self.driver.set_script_timeout(WAIT)
        self.set_viewport(*self.window)

    def set_viewport(self, width, height):
        """The page's own size (a phone's or a desktop's), whatever the
        window's frame takes."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1,
            "mobile": width < 600})

    # ---- the store ------------------------------------------------------

    def person(self, login):
        import json
        return json.loads(self.ctl("account", "show", login, "--json"))

    def search(self, *args):
        import json
        return json.loads(self.ctl("search", "--json", *args))

    def sql(self, statement, params=()):
        """A change to the store behind the server, for what only time
        would do (a token 61 days old)."""
        with sqlite3.connect(self.store, timeout=10) as db:
            cur = db.execute(statement, params)
            return cur.rowcount

    # ---- mail -----------------------------------------------------------

    def messages(self):
        box = mailbox.Maildir(self.maildir, factory=None, create=False)
        out = []
        for key in sorted(box.keys()):
            with box.get_file(key) as f:
                out.append(email.message_from_binary_file(f, policy=email.policy.default))
        return out

    def wait_messages(self, count, timeout=60):
        def enough():
            if not os.path.isdir(os.path.join(self.maildir, "new")):
                return None
            m = self.messages()
            return m if len(m) >= count else None
        return wait_for(enough, "%d messages at the mail server" % count, timeout=timeout)

    def message_to(self, address, count=1, timeout=60):
        """The latest of at least count messages to address."""
        def found():
            if not os.path.isdir(os.path.join(self.maildir, "new")):
                return None
            m = [x for x in self.messages() if address.lower() in str(x["To"]).lower()]
            return m if len(m) >= count else None
        return wait_for(found, "a message to %s" % address, timeout=timeout)[-1]

    @staticmethod
    def body_text(message):
        part = message.get_body(preferencelist=("plain", "html"))
        return part.get_content()

    def link_in(self, message, path):
        """The link to path (e.g. /activer) in the message, read from its
        text and its HTML alike; they must agree."""
        links = set()
        for part in message.walk():
            if part.get_content_maintype() != "text":
                continue
            text = part.get_content()
            if part.get_content_subtype() == "html":
                text = html.unescape(text)
            for m in re.finditer(r"https://[^\s\"'<>]+", text):
                url = m.group(0).rstrip(".,;)")
                if urllib.parse.urlsplit(url).path.endswith(path):
                    links.add(url)
        if len(links) != 1:
            raise AssertionError("expected one link to %s in the message, found %r" % (path, links))
        link = links.pop()
        if not link.startswith(self.base + "/"):
            raise AssertionError("the link %s is not on the configured ENT address %s" % (link, self.base))
        return link


# ---- a TAP runner ---------------------------------------------------------

def run_tests(tests, setup=None):
    """Runs setup, then (name, function) pairs in order; prints TAP; exits."""
    print("1..%d" % len(tests), flush=True)
    if setup is not None:
        try:
            setup()
        except Exception:
            for line in traceback.format_exc().splitlines():
                print("# " + line)
            print("Bail out! the servers or the browser did not start")
            _stop_all()
            sys.exit(1)
    failed = 0
    for number, (name, function) in enumerate(tests, 1):
        started = time.monotonic()
        try:
            function()
        except Exception:
            failed += 1
            print("not ok %d - %s" % (number, name))
            for line in traceback.format_exc().splitlines():
                # chromedriver's own stack: addresses without names.
                if not re.match(r"#\d+ 0x[0-9a-f]+ <unknown>$", line):
                    print("# " + line)
        else:
            print("ok %d - %s # %.1f s" % (number, name, time.monotonic() - started))
        sys.stdout.flush()
    _stop_all()
    sys.exit(1 if failed else 0)
