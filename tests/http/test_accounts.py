"""Accounts and sessions end to end: signing in and its refusals, the session
cookie, throttling, CSRF, expiry, signing out, password change, the admin's
user pages, the second factor (TOTP) and the `tdkt user` commands."""

import base64
import hashlib
import hmac
import re
import struct
import threading
import time
import unittest
import urllib.parse

from harness import DEMO_PASSWORD, Client, Server, ServerTest, lit

NEW_PASSWORD = "mật khẩu mới 2026"      # Vietnamese letters are characters like any other
WRONG = "sai-mat-khau-2026"
SESSION = "tdkt_session"
REFUSED = "Tên đăng nhập hoặc mật khẩu không đúng."


def totp(secret, step):
    """RFC 6238: HMAC-SHA1, 6 digits, 30 s steps."""
    key = base64.b32decode(secret.replace(" ", ""))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 1000000)


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def alert(resp):
    """The text of the page's alert (login refusals, error pages)."""
    m = re.search(r'role="alert"[^>]*>([^<]*)<', resp.text)
    return m.group(1) if m else None


def set_cookie(resp, name):
    """The Set-Cookie header for name, or None."""
    for k, v in resp.all_headers:
        if k.lower() == "set-cookie" and v.startswith(name + "="):
            return v
    return None


def cookie_attrs(header):
    return [a.strip() for a in header.split(";")[1:]]


class AccountTest(ServerTest):
    """Helpers shared by the account tests; each test starts with no login
    failures counted (they all come from 127.0.0.1)."""

    def setUp(self):
        super().setUp()
        self.server.sql("DELETE FROM login_throttle")

    def anon(self):
        c = Client(self.server, login=None)
        self.addCleanup(c.close)
        return c

    def signed_in(self, login, password=DEMO_PASSWORD):
        """A session of its own (not the cached one of the harness)."""
        c = self.anon()
        c.sign_in(login, password)
        return c

    def login(self, client, login, password, next="/"):
        return client.post_form("/login", {"login": login, "password": password, "next": next})

    def count(self, sql):
        return int(self.server.sql(sql)[0][0])

    def session_rows(self, token):
        return self.count(f"SELECT count(*) FROM sessions WHERE token_hash = {lit(token_hash(token))}")

    def sessions_of(self, login):
        return self.count("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id "
                          f"WHERE u.login = {lit(login)}")

    def make_user(self, login, role="office", password=NEW_PASSWORD):
        r = self.c.post_form("/users", {"login": login, "display_name": "Người dùng " + login,
                                        "role": role, "password": password})
        self.assertEqual(r.status, 303, r.body[:400])
        return int(re.fullmatch(r"/users/(\d+)", r.headers["location"]).group(1))

    def users_total(self):
        return self.c.api("/users?status=all")["total"]

    def assertSignedOut(self, client):
        self.assertEqual(client.get("/api/account").status, 401)


class SignIn(AccountTest):
    def test_login_page_and_where_it_leads(self):
        c = self.anon()
        r = c.get("/login?next=%2Funits")
        self.assertEqual(r.status, 200)
        self.assertIn('name="next" value="/units"', r.text)
        r = self.login(c, "vanphong", DEMO_PASSWORD, "/units?q=so")
        self.assertEqual((r.status, r.headers["location"]), (303, "/units?q=so"))
        # only a local path is followed
        for bad in ("//evil.example", "https://x", "/\\evil.example", "http://evil.example/", "/login"):
            r = self.login(self.anon(), "hoidong", DEMO_PASSWORD, bad)
            self.assertEqual((r.status, r.headers["location"]), (303, "/"), bad)

    def test_each_login_gets_a_new_token(self):
        c = self.anon()
        planted = "A" * 43                     # a token chosen before sign-in (fixation)
        c.cookies[SESSION] = planted
        self.assertEqual(self.login(c, "hoidong", DEMO_PASSWORD).status, 303)
        first = c.cookies[SESSION]
        self.assertNotEqual(first, planted)
        c.session_csrf = c.account()["csrf"]
        c.sign_in("hoidong")                  # signing in again while signed in
        second = c.cookies[SESSION]
        self.assertNotEqual(second, first)
        self.assertEqual(c.account()["user"]["login"], "hoidong")
        stale = self.anon()
        stale.cookies[SESSION] = first
        self.assertSignedOut(stale)
        self.assertEqual(self.session_rows(first), 0)

    def test_session_cookie_flags(self):
        r = self.login(self.anon(), "hoidong", DEMO_PASSWORD)
        attrs = cookie_attrs(set_cookie(r, SESSION))
        for a in ("HttpOnly", "SameSite=Lax", "Path=/"):
            self.assertIn(a, attrs)
        self.assertNotIn("Secure", attrs)
        self.assertFalse([a for a in attrs if a.lower().startswith("domain")])

    def test_wrong_password_and_unknown_user_look_alike(self):
        c = self.anon()
        wrong = self.login(c, "vanphong", WRONG)
        unknown = self.login(c, "khongcoai", WRONG)
        for r in (wrong, unknown):
            self.assertEqual(r.status, 401)
            self.assertIsNone(set_cookie(r, SESSION))
        self.assertEqual(alert(wrong), REFUSED)
        self.assertEqual(alert(unknown), REFUSED)
        # the pages differ only by the typed name and the request id
        def page(r, name):
            return re.sub(r"\b[0-9a-f]{16}\b", "", r.text.replace(name, "X"))
        self.assertEqual(page(wrong, "vanphong"), page(unknown, "khongcoai"))

    def test_malformed_logins_write_nothing(self):
        count_all = "SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM login_throttle)"
        before = self.count(count_all)
        c = self.anon()
        for login, status, words in (("a" * 65, 400, "64"), ("ngườidùng", 422, "chữ không dấu"),
                                     ("a b", 422, "chữ không dấu"), ("", 422, "Hãy nhập")):
            r = self.login(c, login, DEMO_PASSWORD)
            self.assertEqual(r.status, status, login)
            self.assertIn("tên đăng nhập", alert(r).lower())
            self.assertIn(words, alert(r))
            self.assertIsNone(set_cookie(r, SESSION))
        for body, field in ((b"login=ad%FFmin&password=x", "login"),
                            (b"login=admin&password=%C3%28abcdefghij", "password")):
            r = c.request("POST", "/login", body=body + b"&next=%2F&_csrf=" + c.csrf().encode(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
            self.assertEqual(r.status, 400)
            self.assertIn(field, alert(r))
            self.assertIn("UTF-8", alert(r))
            self.assertIsNone(set_cookie(r, SESSION))
        self.assertEqual(self.count(count_all), before)

    def test_posts_without_the_right_csrf_are_refused(self):
        def units():
            return self.c.api("/units?status=all&per_page=10")["total"]
        anon = self.anon()
        sessions = self.count("SELECT count(*) FROM sessions")
        for extra in ({}, {"_csrf": ""}, {"_csrf": "x" * 43}):
            r = anon.post_form("/login", dict(extra, login="vanphong", password=DEMO_PASSWORD), csrf=False)
            self.assertEqual(r.status, 403, extra)
            self.assertIsNone(set_cookie(r, SESSION))
        self.assertEqual(self.count("SELECT count(*) FROM sessions"), sessions)
        office, other = self.signed_in("vanphong"), self.signed_in("hoidong")
        before = units()
        unit = {"code": "CSRF1", "name": "Đơn vị thử CSRF", "kind": "so_nganh"}
        # none, empty, made up, another session's, the pre-login cookie's
        for token in (None, "", "x" * 43, other.session_csrf, office.cookies["tdkt_csrf"]):
            fields = dict(unit, **({"_csrf": token} if token is not None else {}))
            self.assertEqual(office.post_form("/units", fields, csrf=False).status, 403, token)
            self.assertEqual(office.post_form("/logout", {"_csrf": token or ""}, csrf=False).status, 403)
        r = office.post_json("/api/units", unit, csrf=False)
        self.assertEqual(r.status, 403)
        # the right token in the address instead of the body is not accepted
        r = office.post_form("/units?_csrf=" + office.session_csrf, unit, csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(units(), before)
        self.assertEqual(office.account()["user"]["login"], "vanphong")   # still signed in
        # the same form with this session's token goes through
        self.assertEqual(office.post_form("/units", unit).status, 303)
        self.assertEqual(units(), before + 1)

    def test_anonymous_requests(self):
        c = self.anon()
        r = c.get("/units")
        self.assertEqual((r.status, r.headers["location"]), (303, "/login?next=%2Funits"))
        page = c.get(r.headers["location"])
        self.assertIn("Hãy đăng nhập để tiếp tục.", page.text)    # the flash
        self.assertIn('name="next" value="/units"', page.text)
        r = c.get("/units?q=so&status=all")
        target = urllib.parse.parse_qs(urllib.parse.urlsplit(r.headers["location"]).query)["next"]
        self.assertEqual(target, ["/units?q=so&status=all"])
        for path, headers in (("/api/units", None), ("/units", {"Accept": "application/json"})):
            r = c.get(path, headers=headers)
            self.assertEqual(r.status, 401)
            self.assertEqual(r.json()["error"]["status"], 401)
        r = c.post_form("/units", {"code": "ANON1", "name": "Không được thêm", "kind": "so_nganh"})
        self.assertEqual(r.status, 401)
        r = self.login(c, "vanphong", DEMO_PASSWORD, "/units")
        self.assertEqual(r.headers["location"], "/units")
        self.assertEqual(c.get("/units").status, 200)
        self.assertEqual(self.c.api("/units?status=all&q=ANON1")["total"], 0)

    def test_expired_sessions(self):
        now = int(time.time())
        idle = self.signed_in("hoidong")
        token = idle.cookies[SESSION]
        self.server.sql(f"UPDATE sessions SET last_seen = {now - 3 * 3600} "
                        f"WHERE token_hash = {lit(token_hash(token))}")
        r = idle.get("/units?q=so")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.headers["location"].startswith("/login?next=%2Funits"), r.headers["location"])
        flash = urllib.parse.unquote(set_cookie(r, "tdkt_flash").split(";")[0].split("=", 1)[1])
        self.assertIn("Phiên làm việc đã hết hạn", flash)
        self.assertIn("Max-Age=0", set_cookie(r, SESSION))
        self.assertEqual(self.session_rows(token), 0)
        self.assertIn("Phiên làm việc đã hết hạn", idle.get(r.headers["location"]).text)
        # past the absolute end, however recently used; the API says so in JSON
        old = self.signed_in("hoidong")
        token = old.cookies[SESSION]
        self.server.sql(f"UPDATE sessions SET expires_at = {now - 60} "
                        f"WHERE token_hash = {lit(token_hash(token))}")
        r = old.get("/api/units")
        self.assertEqual(r.status, 401)
        self.assertIn("hết hạn", r.json()["error"]["message"])
        self.assertEqual(self.session_rows(token), 0)

    def test_logout(self):
        c = self.signed_in("hoidong")
        token = c.cookies[SESSION]
        r = c.post_form("/logout", {})
        self.assertEqual((r.status, r.headers["location"]), (303, "/login"))
        self.assertIn("Max-Age=0", set_cookie(r, SESSION))
        self.assertEqual(self.session_rows(token), 0)
        self.assertIn("Bạn đã đăng xuất.", c.get("/login").text)
        stale = self.anon()
        stale.cookies[SESSION] = token
        r = stale.get("/units")
        self.assertEqual((r.status, r.headers["location"]), (303, "/login?next=%2Funits"))


class Throttling(AccountTest):
    def fail_until_blocked(self, attempt, free=5):
        """Wrong sign-ins until one is answered 429. With `free` free failures
        (5 per login name, 20 per client address: an office shares one), the
        next failure starts a 1 s wait, so the attempt after it is refused,
        unless that second has just passed: then it starts a 2 s wait."""
        seen = []
        for i in range(free + 7):
            r = attempt(i)
            seen.append(r.status)
            if r.status == 429:
                self.assertEqual(seen[:free + 1], [401] * (free + 1))  # free ones, then one counted
                self.assertIn("thử lại sau", alert(r))
                self.assertIsNone(set_cookie(r, SESSION))
                return
        self.fail(f"never throttled: {seen}")

    def block(self, prefix):
        """Stretches the running wait of the keys starting with prefix to ten
        minutes, so what follows does not race the clock."""
        self.assertTrue(self.server.sql(f"SELECT key FROM login_throttle WHERE key LIKE {lit(prefix + '%')} "
                                        "AND blocked_until > last_failure"))
        self.server.sql(f"UPDATE login_throttle SET blocked_until = {int(time.time()) + 600} "
                        f"WHERE key LIKE {lit(prefix + '%')}")

    def test_per_login(self):
        c = self.anon()
        self.fail_until_blocked(lambda i: self.login(c, "vanphong", WRONG))
        self.server.sql("DELETE FROM login_throttle WHERE key LIKE 'a:%'")   # keep the name's count only
        self.block("u:vanphong")
        r = self.login(c, "vanphong", DEMO_PASSWORD)           # even the right password
        self.assertEqual(r.status, 429)
        self.assertIn("thử lại sau 10 phút", alert(r))
        self.assertIsNone(set_cookie(r, SESSION))
        self.assertEqual(self.login(self.anon(), "hoidong", DEMO_PASSWORD).status, 303)  # others are not held up
        self.server.sql("DELETE FROM login_throttle")
        self.assertEqual(self.login(c, "vanphong", DEMO_PASSWORD).status, 303)

    def test_per_address(self):
        c = self.anon()
        self.fail_until_blocked(lambda i: self.login(c, f"khach{i}", WRONG), free=20)
        self.assertEqual(self.count("SELECT max(failures) FROM login_throttle WHERE key LIKE 'u:%'"), 1)
        self.block("a:")
        r = self.login(self.anon(), "hoidong", DEMO_PASSWORD)   # never failed, same address
        self.assertEqual(r.status, 429)
        self.assertIn("thử lại sau", alert(r))
        self.server.sql("DELETE FROM login_throttle")
        self.assertEqual(self.login(c, "hoidong", DEMO_PASSWORD).status, 303)


    def test_a_good_sign_in_does_not_clear_the_address(self):
        # guesses at other accounts from one address keep counting across a
        # success of the guesser's own: 20 free, one good sign-in, then one more
        for i in range(20):
            self.assertEqual(self.login(self.anon(), f"doan{i}", WRONG).status, 401)
        self.assertEqual(self.login(self.anon(), "hoidong", DEMO_PASSWORD).status, 303)
        self.assertEqual(self.login(self.anon(), "doan20", WRONG).status, 401)  # the 21st: counted
        self.block("a:")
        self.assertEqual(self.login(self.anon(), "hoidong", DEMO_PASSWORD).status, 429)


class ResetRace(AccountTest):
    def test_no_session_outlives_a_reset_made_during_sign_in(self):
        # sign-ins with the old password keep running while an admin resets it:
        # the password is checked again when the session is made, so once the
        # reset has committed no session of this user may remain
        self.make_user("duaxe")
        stop = threading.Event()

        def keep_signing_in():
            c = Client(self.server, login=None)
            while not stop.is_set():
                c.cookies.pop("tdkt_session", None)
                self.login(c, "duaxe", NEW_PASSWORD)
            c.close()
        threads = [threading.Thread(target=keep_signing_in) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(0.3)
        uid = int(self.server.sql("SELECT id FROM users WHERE login = 'duaxe'")[0][0])
        r = self.c.post_form(f"/users/{uid}/password", {"password": "mat-khau-sau-khi-dat-lai"})
        self.assertEqual(r.status, 303)
        time.sleep(0.5)  # sign-ins that had checked the old password meanwhile finish
        stop.set()
        for t in threads:
            t.join()
        self.assertEqual(self.sessions_of("duaxe"), 0)
        self.server.sql("DELETE FROM login_throttle")


class SecureCookies(unittest.TestCase):
    def test_host_prefixed_secure_cookie(self):
        server = Server(extra_args=["--secure-cookies"])
        self.addCleanup(server.stop)
        c = Client(server, login=None)
        self.addCleanup(c.close)
        r = c.post_form("/login", {"login": "hoidong", "password": DEMO_PASSWORD, "next": "/"})
        self.assertEqual(r.status, 303, r.body[:300])
        self.assertIsNone(set_cookie(r, SESSION))
        attrs = cookie_attrs(set_cookie(r, "__Host-tdkt_session"))
        for a in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
            self.assertIn(a, attrs)
        self.assertFalse([a for a in attrs if a.lower().startswith("domain")])
        self.assertEqual(c.account()["user"]["login"], "hoidong")


class Users(AccountTest):
    def test_change_own_password(self):
        self.make_user("doimatkhau")
        a = self.signed_in("doimatkhau", NEW_PASSWORD)
        b = self.signed_in("doimatkhau", NEW_PASSWORD)
        second = "một mật khẩu khác 2027"

        def change(current, new, confirm):
            return a.post_form("/account/password", {"current_password": current,
                                                     "new_password": new, "confirm_password": confirm})
        self.assertError(change(WRONG, second, second), 422, "Mật khẩu hiện tại không đúng")
        self.assertError(change(NEW_PASSWORD, second, second + "!"), 422, "không giống nhau")
        self.assertError(change(NEW_PASSWORD, "ngắn", "ngắn"), 422, "ít nhất 10")
        self.assertEqual(b.account()["user"]["login"], "doimatkhau")      # nothing changed yet
        before = a.cookies[SESSION]
        r = change(NEW_PASSWORD, second, second)
        self.assertEqual((r.status, r.headers["location"]), (303, "/account"))
        self.assertNotEqual(a.cookies[SESSION], before)                   # a new session here
        self.assertIn("Đã đổi mật khẩu", a.get("/account").text)
        self.assertSignedOut(b)                                            # the other one ended
        self.assertEqual(self.sessions_of("doimatkhau"), 1)
        self.assertEqual(self.login(self.anon(), "doimatkhau", NEW_PASSWORD).status, 401)
        self.assertEqual(self.login(self.anon(), "doimatkhau", second).status, 303)

    def test_admin_creates_users_with_checks(self):
        total = self.users_total()
        snv = next(u for u in self.c.api("/units?q=SNV&status=all")["items"] if u["code"] == "SNV")
        base = {"display_name": "Người mới", "role": "office", "password": NEW_PASSWORD}
        cases = (({"login": "admin"}, "login", "đã có người dùng"),
                 ({"login": "moi1", "password": "ngắn"}, "password", "ít nhất 10"),
                 ({"login": "moi2", "role": "unit"}, "unit_id", "cần chọn đơn vị"),
                 ({"login": "moi3", "unit_id": snv["id"]}, "unit_id", "hãy để trống"),
                 ({"login": "Có Dấu"}, "login", "chữ không dấu"))
        for change, field, words in cases:
            r = self.c.post_json("/api/users", dict(base, **change))
            self.assertEqual(r.status, 422, change)
            self.assertIn(words, r.json()["errors"][field])
        r = self.c.post_form("/users", dict(base, login="moi2", role="unit"))
        self.assertError(r, 422, "cần chọn đơn vị")
        self.assertIn('aria-invalid="true"', r.text)
        self.assertEqual(self.users_total(), total)
        r = self.c.post_form("/users", dict(base, login="canbo.snv", role="unit", unit_id=str(snv["id"])))
        self.assertEqual(r.status, 303, r.body[:300])
        self.assertEqual(self.users_total(), total + 1)

    def test_disable_enable_and_reset(self):
        uid = self.make_user("tamkhoa")
        u = self.signed_in("tamkhoa", NEW_PASSWORD)
        self.assertEqual(self.c.post_form(f"/users/{uid}/disable", {}).status, 303)
        self.assertSignedOut(u)                                  # at once
        self.assertEqual(self.sessions_of("tamkhoa"), 0)
        r = self.login(self.anon(), "tamkhoa", NEW_PASSWORD)
        self.assertEqual((r.status, alert(r)), (401, REFUSED))    # the same answer as a wrong password
        self.assertTrue(self.c.api(f"/users/{uid}")["user"]["disabled"])
        self.assertEqual(self.c.post_form(f"/users/{uid}/enable", {}).status, 303)
        u = self.signed_in("tamkhoa", NEW_PASSWORD)
        reset = "mật khẩu đặt lại 2026"
        self.assertError(self.c.post_form(f"/users/{uid}/password", {"password": "ngắn"}), 422, "ít nhất 10")
        self.assertEqual(u.account()["user"]["login"], "tamkhoa")
        self.assertEqual(self.c.post_form(f"/users/{uid}/password", {"password": reset}).status, 303)
        self.assertSignedOut(u)
        self.assertEqual(self.login(self.anon(), "tamkhoa", NEW_PASSWORD).status, 401)
        self.assertEqual(self.login(self.anon(), "tamkhoa", reset).status, 303)
        # an admin cannot lock themself out
        me = self.c.account()["user"]["id"]
        self.assertEqual(self.c.post_form(f"/users/{me}/disable", {}).status, 400)
        self.assertFalse(self.c.api(f"/users/{me}")["user"]["disabled"])

    def test_user_list_search(self):
        def found(q):
            listing = self.c.api("/users?status=all&q=" + urllib.parse.quote(q))
            return sorted(u["login"] for u in listing["items"])
        # names are matched without marks or case, as in the registry
        for q in ("Nguyễn Thị", "nguyen thi", "THU HÀ"):
            self.assertEqual(found(q), ["vanphong"], q)
        self.assertEqual(found("Trần"), ["hoidong"])
        self.assertIn("hoidong", found("văn"))
        self.assertEqual(found("VANPHONG"), ["vanphong"])
        self.assertEqual(found("không có ai"), [])

    def test_only_admins_manage_users(self):
        office = Client(self.server, "vanphong")
        self.addCleanup(office.close)
        total = self.users_total()
        self.assertEqual(office.get("/users").status, 403)
        self.assertEqual(office.get("/api/users").status, 403)
        r = office.post_form("/users", {"login": "lenquyen", "display_name": "Lén", "role": "admin",
                                        "password": NEW_PASSWORD})
        self.assertEqual(r.status, 403)
        me = office.account()["user"]["id"]
        self.assertEqual(office.post_form(f"/users/{me}/password", {"password": NEW_PASSWORD}).status, 403)
        self.assertEqual(self.users_total(), total)


class SecondFactor(AccountTest):
    def enrol(self, login):
        """A new user with TOTP on: (id, secret, recovery codes, enrolment step)."""
        uid = self.make_user(login)
        u = self.signed_in(login, NEW_PASSWORD)
        entries = self.count("SELECT count(*) FROM audit_log")
        self.assertNotIn("secret", u.api("/account/totp"))          # a GET shows no secret
        self.assertEqual(self.count("SELECT count(*) FROM audit_log"), entries)  # and writes nothing
        self.assertError(u.post_form("/account/totp/start", {"password": "sai-mat-khau-roi"}),
                         422, "không đúng")                          # the password is asked for
        first = u.post_json("/api/account/totp/start", {"password": NEW_PASSWORD}).json()["secret"]
        r = u.post_form("/account/totp/start", {"password": NEW_PASSWORD})
        self.assertEqual(r.status, 200, r.body[:300])
        secret = re.search(r'class="secret">([A-Z2-7 ]+)<', r.text).group(1)
        self.assertRegex(secret, r"^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$")
        self.assertNotEqual(secret, first)                           # each start makes a new one
        step = int(time.time()) // 30
        valid = {totp(secret, s) for s in range(step - 2, step + 4)}
        self.wrong = next(c for c in ("123456", "654321", "000000", "999999") if c not in valid)
        r = u.post_form("/account/totp", {"code": self.wrong})
        self.assertError(r, 422, "Mã không đúng")
        self.assertFalse(u.account()["user"]["totp_enabled"])
        r = u.post_json("/api/account/totp", {"code": totp(secret, step)})
        self.assertEqual(r.status, 200, r.body[:300])
        codes = r.json()["recovery_codes"]
        self.assertEqual(len(set(codes)), 10)
        self.assertTrue(u.account()["user"]["totp_enabled"])
        return uid, secret, codes, step

    def password_step(self, login, next="/units"):
        """Signs in with the password: a pending session, second factor due."""
        c = self.anon()
        r = self.login(c, login, NEW_PASSWORD, next)
        self.assertEqual((r.status, r.headers["location"]),
                         (303, "/login/totp?next=" + urllib.parse.quote(next, safe="")))
        return c

    def test_totp_sign_in(self):
        uid, secret, codes, step = self.enrol("hailop")
        p = self.password_step("hailop")
        r = p.get("/units")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.headers["location"].startswith("/login"))
        self.assertSignedOut(p)
        self.assertEqual(p.get("/login/totp?next=%2Funits").status, 200)
        r = p.post_form("/login/totp", {"code": self.wrong, "next": "/units"})
        self.assertError(r, 422, "không đúng hoặc đã được dùng")
        self.assertSignedOut(p)
        code = totp(secret, step + 1)      # the enrolment used this step's code: the next is fresh
        r = p.post_form("/login/totp", {"code": code, "next": "/units"})
        self.assertEqual((r.status, r.headers["location"]), (303, "/units"))
        self.assertEqual(p.account()["user"]["login"], "hailop")
        self.assertEqual(self.sessions_of("hailop"), 2)   # the enrolling browser's and this one
        # the same code again, in another sign-in: refused
        q = self.password_step("hailop")
        self.assertError(q.post_form("/login/totp", {"code": code, "next": "/"}), 422, "đã được dùng")
        self.assertSignedOut(q)
        # a recovery code works once
        q = self.password_step("hailop")
        r = q.post_form("/login/totp", {"code": codes[0].upper(), "next": "/"})
        self.assertEqual(r.status, 303)
        self.assertIn("mã khôi phục", q.get("/").text)
        self.assertEqual(q.account()["recovery_left"], 9)
        q = self.password_step("hailop")
        self.assertEqual(q.post_form("/login/totp", {"code": codes[0], "next": "/"}).status, 422)
        self.assertSignedOut(q)
        # the admin turns it off: the password alone is enough again
        self.assertEqual(self.c.post_form(f"/users/{uid}/totp/reset", {}).status, 303)
        self.assertFalse(self.c.api(f"/users/{uid}")["user"]["totp_enabled"])
        r = self.login(self.anon(), "hailop", NEW_PASSWORD, "/units")
        self.assertEqual((r.status, r.headers["location"]), (303, "/units"))

    def test_a_code_signs_in_once_even_at_the_same_time(self):
        _, secret, _, step = self.enrol("dongthoi")
        pending = [self.password_step("dongthoi", "/") for _ in range(8)]
        code = totp(secret, step + 1)
        statuses = []
        gate = threading.Barrier(len(pending))

        def submit(c):
            gate.wait()
            statuses.append(c.post_form("/login/totp", {"code": code, "next": "/"}).status)
        threads = [threading.Thread(target=submit, args=(c,)) for c in pending]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(statuses)[:2], [303, 422], statuses)    # one in; the rest refused
        self.assertLessEqual(set(statuses), {303, 422, 429})             # (429: held back past five)
        self.assertEqual(len(statuses), 8)


class UserCommands(AccountTest):
    def cli(self, *args, password=NEW_PASSWORD):
        return self.server.cli("user", *args, check=False, input=password + "\n")

    def test_user_commands(self):
        r = self.cli("add", "donglenh", "--role", "office", "--name", "Cán bộ dòng lệnh")
        self.assertEqual(r.returncode, 0, r.stderr)
        line = next(l for l in self.cli("list").stdout.splitlines() if l.startswith("donglenh "))
        self.assertRegex(line, r"^donglenh +office +dùng +Cán bộ dòng lệnh$")
        self.assertEqual(self.cli("add", "donglenh", "--role", "office").returncode, 3)  # taken
        r = self.cli("add", "vaitrosai", "--role", "sep")
        self.assertEqual(r.returncode, 3)
        self.assertIn("role", r.stderr)
        self.assertEqual(self.cli("add", "khongvaitro").returncode, 2)
        self.assertEqual(self.cli("add", "donvisai", "--role", "unit", "--unit", "KHONGCO").returncode, 3)
        self.assertEqual(self.cli("add", "matkhaungan", "--role", "office", password="ngắn").returncode, 3)
        self.assertNotIn("vaitrosai", self.cli("list").stdout)
        # the account works on the web; disabling it ends its session
        u = self.signed_in("donglenh", NEW_PASSWORD)
        self.assertEqual(self.cli("disable", "donglenh").returncode, 0)
        self.assertSignedOut(u)
        self.assertEqual(self.login(self.anon(), "donglenh", NEW_PASSWORD).status, 401)
        self.assertIn("khóa", next(l for l in self.cli("list").stdout.splitlines() if l.startswith("donglenh ")))
        self.assertEqual(self.cli("disable", "khongcoai").returncode, 3)
        self.assertEqual(self.cli("enable", "donglenh").returncode, 0)
        u = self.signed_in("donglenh", NEW_PASSWORD)
        r = self.cli("passwd", "donglenh", password="mật khẩu dòng lệnh 2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertSignedOut(u)
        self.assertEqual(self.login(self.anon(), "donglenh", "mật khẩu dòng lệnh 2").status, 303)


if __name__ == "__main__":
    unittest.main()
