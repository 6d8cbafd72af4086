"""Starts the real `tdkt serve` on a free port over a fresh database and talks
HTTP to it. The driver comes from TDKT_TEST_DB ("sqlite" or "postgres"; the
latter needs TDKT_TEST_PG, set by scripts/with-pg.sh). Used by every
tests/http/test_*.py; standard library only."""

import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

BIN = os.environ.get("TDKT_BIN", os.path.join(os.path.dirname(__file__), "../../build/tdkt"))
DRIVER = os.environ.get("TDKT_TEST_DB", "sqlite")


def _pg_admin(sql):
    admin = os.environ.get("TDKT_TEST_PG")
    if not admin:
        raise RuntimeError("TDKT_TEST_DB=postgres needs TDKT_TEST_PG (run through scripts/with-pg.sh)")
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", admin, "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


class Server:
    """One tdkt process with its own database."""

    def __init__(self, demo=True, extra_args=(), env=None, db=None, init_args=()):
        """db: serve the database of another Server (running or not) instead of
        a fresh one — e.g. the same records on another pinned day; that
        database stays the other Server's to remove."""
        self.tmp = tempfile.mkdtemp(prefix="tdkt-http-")
        self.pg_name = None
        if db:
            self.db = db
        elif DRIVER == "postgres":
            self.pg_name = "tdkt_h_" + uuid.uuid4().hex[:12]
            _pg_admin(f"CREATE DATABASE {self.pg_name}")
            admin = os.environ["TDKT_TEST_PG"]
            self.db = admin.rsplit("/", 1)[0] + "/" + self.pg_name
        else:
            self.db = os.path.join(self.tmp, "tdkt.db")
        # env reaches init too: TDKT_TODAY=yyyy-mm-dd pins the demo's year and "today"
        env = dict(os.environ, TDKT_STRICT_TEMPLATES="1", **(env or {}))
        self.env = env
        if not db:
            init = ["init", "--db", self.db] + (["--demo"] if demo else []) + list(init_args)
            subprocess.run([BIN] + init, check=True, stdout=subprocess.DEVNULL, env=env)
        self.log_path = os.path.join(self.tmp, "server.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--listen", "127.0.0.1:0", "--db", self.db] + list(extra_args),
            stdout=subprocess.PIPE, stderr=self.log, env=env, text=True)
        line = self.proc.stdout.readline()
        m = re.search(r"http://([0-9.]+):(\d+)/", line)
        if not m:
            self.stop()
            raise RuntimeError("server did not start: " + line + self.read_log())
        self.host, self.port = m.group(1), int(m.group(2))
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def read_log(self):
        self.log.flush()
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_log(self, needle, timeout=5.0):
        """The log lines holding needle; the access log is written just after
        the response is sent, so poll a little."""
        deadline = time.time() + timeout
        while True:
            lines = [l for l in self.read_log().splitlines() if needle in l]
            if lines or time.time() > deadline:
                return lines
            time.sleep(0.05)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        # a sanitizer build reports into the log (and the exit code): a report
        # fails the test class even when every response looked right
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        reports = [m for m in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                               "runtime error:") if m in log]
        if self.pg_name:
            _pg_admin(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")
        shutil.rmtree(self.tmp, ignore_errors=True)
        if reports:
            start = min(log.index(m) for m in reports)
            raise AssertionError("the server's sanitizer reported:\n" + log[start:start + 4000])

    def cli(self, *args, check=True, input=None):
        """Runs `tdkt ARGS --db THIS_DB`; input= is fed to standard input (passwords)."""
        return subprocess.run([BIN] + list(args) + ["--db", self.db], capture_output=True,
                              text=True, check=check, input=input, env=self.env)

    def sql(self, query):
        """Runs SQL straight on this server's database (to age a session, tamper
        with the audit log…). Values are written into the text with lit().
        Returns the rows, every value as text ("" for NULL)."""
        if self.pg_name:
            out = subprocess.run(["psql", "-q", "-X", "-At", "-F", "\x1f", "-v", "ON_ERROR_STOP=1",
                                  self.db, "-c", query], capture_output=True, text=True,
                                 check=True).stdout
            return [tuple(line.split("\x1f")) for line in out.splitlines() if line]
        con = sqlite3.connect(self.db, timeout=30)
        try:
            rows = con.execute(query).fetchall()
            con.commit()
        finally:
            con.close()
        return [tuple("" if v is None else str(v) for v in row) for row in rows]


def lit(value):
    """An SQL literal for Server.sql: NULL, a number or a quoted string."""
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


class Response:
    def __init__(self, resp):
        self.status = resp.status
        self.headers = {k.lower(): v for k, v in resp.getheaders()}
        self.all_headers = resp.getheaders()
        self.body = resp.read()

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


DEMO_PASSWORD = "tdkt-demo-2026"


class Client:
    """A browser-like client: keeps cookies and the CSRF token. Signed in as
    `login` (a demo account, "admin" by default; None = anonymous). A server
    remembers one session per login, so tests do not pay for an Argon2id
    hash per client."""

    def __init__(self, server, login="admin", password=DEMO_PASSWORD):
        self.server = server
        self.cookies = {}
        self.conn = None
        self.session_csrf = None
        if login:
            cache = server.__dict__.setdefault("sessions", {})
            if login not in cache:
                self.sign_in(login, password)
                cache[login] = (dict(self.cookies), self.session_csrf)
            cookies, csrf = cache[login]
            self.cookies = dict(cookies)
            self.session_csrf = csrf

    def sign_in(self, login, password=DEMO_PASSWORD, expect=303):
        """Posts the login form; on success remembers the session's CSRF token."""
        r = self.post_form("/login", {"login": login, "password": password, "next": "/"})
        if r.status != expect:
            raise AssertionError(f"login {login}: {r.status} {r.body[:300]!r}")
        if r.status == 303:
            self.session_csrf = None
            self.session_csrf = self.account()["csrf"]
        return r

    def cookie_header(self):
        """The Cookie header this client sends (for raw-socket tests)."""
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def account(self):
        r = self.get("/api/account")
        if r.status != 200:
            raise AssertionError(f"GET /api/account: {r.status} {r.body[:300]!r}")
        return r.json()

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=30)
        return self.conn

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=h)
                resp = Response(conn.getresponse())
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
        for name, value in resp.all_headers:
            if name.lower() == "set-cookie":
                k, v = value.split(";", 1)[0].split("=", 1)
                if "Max-Age=0" in value:
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = v
        if resp.headers.get("connection", "").lower() == "close":
            self.close()
        return resp

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def csrf(self):
        if self.session_csrf:
            return self.session_csrf
        names = ("tdkt_csrf", "__Host-tdkt_csrf")  # the second over TLS (--secure-cookies)
        if not any(n in self.cookies for n in names):
            self.get("/login")
        return next(self.cookies[n] for n in names if n in self.cookies)

    def post_form(self, path, fields, csrf=True, headers=None):
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if csrf:
            pairs.append(("_csrf", self.csrf()))
        body = urllib.parse.urlencode(pairs).encode()
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.request("POST", path, body=body, headers=h)

    def post_json(self, path, obj, csrf=True, raw=None):
        h = {"Content-Type": "application/json", "Accept": "application/json"}
        if csrf:
            h["X-CSRF-Token"] = self.csrf()
        body = raw if raw is not None else json.dumps(obj).encode()
        return self.request("POST", path, body=body, headers=h)

    def post_multipart(self, path, fields=(), files=(), csrf=True, boundary="tdktBoundary7MA4YWxk"):
        parts = []
        for name, value in list(fields) + ([("_csrf", self.csrf())] if csrf else []):
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                         .encode() + value.encode() + b"\r\n")
        for name, filename, data, ctype in files:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
                         + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body=body,
                            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def api(self, path):
        r = self.get("/api" + path)
        if r.status != 200:
            raise AssertionError(f"GET /api{path}: {r.status} {r.body[:300]!r}")
        return r.json()

    def counts(self):
        """What the database holds, for 'nothing was written' checks."""
        units = self.api("/units?status=all&per_page=10")["total"]
        persons = self.api("/persons?status=all&per_page=10")["total"]
        return units, persons


def raw_request(server, data, read_timeout=10):
    """Sends bytes as they are and returns what comes back (for malformed HTTP)."""
    s = socket.create_connection((server.host, server.port), timeout=read_timeout)
    try:
        s.sendall(data)
        chunks = []
        while True:
            try:
                c = s.recv(65536)
            except socket.timeout:
                break
            if not c:
                break
            chunks.append(c)
            if b"\r\n\r\n" in b"".join(chunks) and len(b"".join(chunks)) > 0:
                # one response is enough; give the body a moment
                s.settimeout(0.5)
        return b"".join(chunks)
    finally:
        s.close()


class ServerTest(unittest.TestCase):
    """A test class with one server (demo data) for all its tests."""

    demo = True
    env = None  # e.g. {"TDKT_TODAY": "2026-06-20"} to pin the calendar

    @classmethod
    def setUpClass(cls):
        cls.server = Server(demo=cls.demo, env=cls.env)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def setUp(self):
        self.c = Client(self.server)

    def tearDown(self):
        self.c.close()

    def assertError(self, resp, status, *words):
        """A clear error: the status, a Vietnamese message naming what is wrong."""
        self.assertEqual(resp.status, status, resp.body[:500])
        text = resp.text
        for w in words:
            self.assertIn(w, text)
