"""The audit log: every write leaves one entry (who, what, before and after),
a refused write leaves none, the page filters and exports it, only the office
and admins read it, and `tdkt audit verify` finds an entry altered, removed or
moved."""

import datetime
import io
import json
import unittest
import urllib.parse
import zipfile

from harness import Client, Server, ServerTest, lit
from test_import import XLSX, make_xlsx


def dmy(day):
    return day.strftime("%d/%m/%Y")


def vietnam_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()


def new_id(resp):
    """The id in the Location of a create's redirect (/units/12)."""
    return int(resp.headers["location"].rsplit("/", 1)[1])


class AuditTest(ServerTest):
    def setUp(self):
        super().setUp()
        self.office = Client(self.server, "vanphong")
        self.addCleanup(self.office.close)

    def entries(self, **filters):
        return self.c.api("/audit?" + urllib.parse.urlencode(dict(filters, per_page=200)))

    def total(self, **filters):
        return self.entries(**filters)["total"]

    def history(self, entity, entity_id):
        """The entries of one record, oldest first, before/after parsed."""
        items = list(reversed(self.entries(entity=entity, entity_id=entity_id)["items"]))
        for it in items:
            for side in ("before", "after"):
                it[side] = json.loads(it[side]) if it[side] is not None else None
        return items

    def assertHistory(self, items, entity, entity_id, actions, login="vanphong"):
        self.assertEqual([it["action"] for it in items], actions)
        for it in items:
            self.assertEqual((it["entity"], it["entity_id"], it["login"]), (entity, entity_id, login))
            self.assertEqual(it["client"], "127.0.0.1")
        self.assertIsNone(items[0]["before"])           # a creation has nothing before it
        for it in items[1:]:
            if not it["action"].startswith("password"):      # those record only what was done
                self.assertIsNotNone(it["before"])
            self.assertIsNotNone(it["after"])


class Entries(AuditTest):
    def test_unit_writes_are_recorded(self):
        total = self.total()
        r = self.office.post_form("/units", {"code": "NK-1", "name": "Ban Nhật ký", "kind": "so_nganh"})
        self.assertEqual(r.status, 303, r.body[:300])
        uid = new_id(r)
        version = self.office.api(f"/units/{uid}")["unit"]["version"]
        form = {"code": "NK-1", "name": "Ban Nhật ký tỉnh", "kind": "so_nganh", "version": str(version)}
        self.assertEqual(self.office.post_form(f"/units/{uid}", form).status, 303)
        # refusals write nothing, the log included
        refused = [self.office.post_form(f"/units/{uid}", dict(form, name="", version=str(version + 1))),
                   self.office.post_form("/units", {"code": "NK-1", "name": "Trùng mã", "kind": "so_nganh"}),
                   self.office.post_form(f"/units/{uid}", form)]                     # stale version
        self.assertEqual([x.status for x in refused], [422, 422, 409])
        self.assertEqual(self.total(), total + 2)
        self.assertEqual(self.office.post_form(f"/units/{uid}/deactivate", {}).status, 303)
        items = self.history("unit", uid)
        self.assertHistory(items, "unit", uid, ["create", "update", "deactivate"])
        create, update, deactivate = items
        self.assertEqual(create["after"]["name"], "Ban Nhật ký")
        self.assertEqual((update["before"]["name"], update["after"]["name"]), ("Ban Nhật ký", "Ban Nhật ký tỉnh"))
        self.assertEqual((deactivate["before"]["active"], deactivate["after"]["active"]), (True, False))
        self.assertEqual(self.total(), total + 3)
        # the page shows the record's entries
        page = self.c.get(f"/audit?entity=unit&entity_id={uid}")
        self.assertEqual(page.status, 200)
        self.assertIn("Ban Nhật ký tỉnh", page.text)
        self.assertIn(f'href="/units/{uid}"', page.text)

    def test_person_writes_are_recorded(self):
        unit = self.c.api("/units?per_page=10")["items"][0]["id"]
        form = {"full_name": "Nguyễn Văn Nhật", "gender": "nam", "birth_year": "1980",
                "position": "Chuyên viên", "unit_id": str(unit)}
        r = self.office.post_form("/persons", form)
        self.assertEqual(r.status, 303, r.body[:300])
        pid = new_id(r)
        total = self.total()
        self.assertEqual(self.office.post_form("/persons", dict(form, birth_year="19x0")).status, 422)
        self.assertEqual(self.total(), total)
        version = self.office.api(f"/persons/{pid}")["person"]["version"]
        r = self.office.post_form(f"/persons/{pid}", dict(form, full_name="Nguyễn Văn Nhật Ký", version=str(version)))
        self.assertEqual(r.status, 303, r.body[:300])
        self.assertEqual(self.office.post_form(f"/persons/{pid}/deactivate", {}).status, 303)
        items = self.history("person", pid)
        self.assertHistory(items, "person", pid, ["create", "update", "deactivate"])
        self.assertEqual(items[0]["after"]["full_name"], "Nguyễn Văn Nhật")
        self.assertEqual(items[1]["before"]["full_name"], "Nguyễn Văn Nhật")
        self.assertEqual(items[1]["after"]["full_name"], "Nguyễn Văn Nhật Ký")
        self.assertFalse(items[2]["after"]["active"])

    def test_an_import_is_one_entry(self):
        total = self.total()
        data = make_xlsx([["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"],
                          ["NK-IMP1", "Đơn vị nhập một", "so_nganh"],
                          ["NK-IMP2", "Đơn vị nhập hai", "so_nganh"]])
        r = self.office.post_multipart("/units/import", files=[("file", "nhat-ky.xlsx", data, XLSX)])
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(self.total(), total + 1)
        entry = self.entries()["items"][0]
        self.assertEqual((entry["action"], entry["entity"], entry["login"]), ("import", "units", "vanphong"))
        self.assertEqual(json.loads(entry["after"])["created"], 2)
        bad = make_xlsx([["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"], ["sai mã", "Đơn vị sai", "so_nganh"]])
        r = self.office.post_multipart("/units/import", files=[("file", "sai.xlsx", bad, XLSX)])
        self.assertEqual(r.status, 422)
        self.assertEqual(self.total(), total + 1)

    def test_account_changes_are_recorded_without_secrets(self):
        password, reset = "mật khẩu nhật ký 1", "mật khẩu nhật ký 2"
        r = self.c.post_form("/users", {"login": "nhatky", "display_name": "Người Nhật Ký",
                                        "role": "council", "password": password})
        self.assertEqual(r.status, 303, r.body[:300])
        uid = new_id(r)
        for path, fields in (("password", {"password": reset}), ("disable", {}), ("enable", {})):
            self.assertEqual(self.c.post_form(f"/users/{uid}/{path}", fields).status, 303)
        items = self.history("user", uid)
        self.assertHistory(items, "user", uid, ["create", "password_reset", "disable", "enable"], login="admin")
        self.assertEqual(items[0]["after"]["display_name"], "Người Nhật Ký")
        self.assertEqual(items[1]["after"], {"password": "reset"})
        self.assertEqual((items[2]["before"]["disabled"], items[2]["after"]["disabled"]), (False, True))
        text = json.dumps(items, ensure_ascii=False)
        for secret in ("argon2", password, reset):
            self.assertNotIn(secret, text)
        # the command line is an actor too
        r = self.server.cli("user", "disable", "nhatky", check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        last = self.history("user", uid)[-1]
        self.assertEqual(last["action"], "disable")
        self.assertTrue(last["login"].startswith("cli:"), last["login"])
        self.assertEqual(last["client"], "cli")

    def test_sign_in_and_out_are_recorded(self):
        def sessions():
            return self.entries(entity="session", login="hoidong")
        before = sessions()["total"]
        c = Client(self.server, login=None)
        self.addCleanup(c.close)
        c.sign_in("hoidong")
        self.assertEqual(c.post_form("/logout", {}).status, 303)
        after = sessions()
        self.assertEqual(after["total"], before + 2)
        self.assertEqual([it["action"] for it in after["items"][:2]], ["logout", "login"])
        total = self.total()
        c.session_csrf = None                                    # signed out: the login form's token
        c.sign_in("hoidong", "sai mật khẩu rồi", expect=401)     # a refusal is not an entry
        self.assertEqual(self.total(), total)
        self.server.sql("DELETE FROM login_throttle")


class Reading(AuditTest):
    def test_filters(self):
        self.office.post_form("/units", {"code": "NK-LOC", "name": "Đơn vị để lọc", "kind": "so_nganh"})
        everything = self.total()
        by_entity = {e: self.entries(entity=e) for e in ("unit", "person", "user", "session", "units", "persons")}
        self.assertEqual(sum(x["total"] for x in by_entity.values()), everything)
        for e, listing in by_entity.items():
            self.assertEqual({it["entity"] for it in listing["items"]} - {e}, set())
        self.assertGreater(by_entity["unit"]["total"], 0)
        self.assertLess(by_entity["unit"]["total"], everything)
        mine = self.entries(login="vanphong")
        self.assertTrue(mine["items"])
        self.assertEqual({it["login"] for it in mine["items"]}, {"vanphong"})
        both = self.entries(entity="unit", login="vanphong")
        self.assertEqual({(it["entity"], it["login"]) for it in both["items"]}, {("unit", "vanphong")})
        self.assertEqual(self.total(login="khongcoai"), 0)
        # days as people write them, in Vietnam time
        today, day = vietnam_today(), datetime.timedelta(days=1)
        self.assertEqual(self.total(**{"from": dmy(today - day), "to": dmy(today + day)}), everything)
        self.assertEqual(self.total(**{"from": (today - day).isoformat()}), everything)
        self.assertEqual(self.total(**{"from": dmy(today + 2 * day)}), 0)
        self.assertEqual(self.total(to=dmy(today - 2 * day)), 0)
        r = self.c.get("/api/audit?from=31/02/2026")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["field"], "from")
        page = self.c.get("/audit?entity=unit&login=vanphong&from=" + urllib.parse.quote(dmy(today - day)))
        self.assertEqual(page.status, 200)
        self.assertIn('value="vanphong"', page.text)          # the filters are kept
        self.assertIn("Đơn vị để lọc", page.text)

    def test_who_may_read_the_log(self):
        for login in ("sonoivu", "hoidong", "mttq"):
            c = Client(self.server, login)
            self.addCleanup(c.close)
            for path in ("/audit", "/api/audit", "/audit/export.xlsx"):
                self.assertEqual(c.get(path).status, 403, (login, path))
        anon = Client(self.server, login=None)
        self.addCleanup(anon.close)
        self.assertEqual(anon.get("/audit").headers.get("location"), "/login?next=%2Faudit")
        self.assertEqual(anon.get("/api/audit").status, 401)
        self.assertEqual(self.office.get("/audit").status, 200)
        self.assertEqual(self.c.get("/audit").status, 200)

    def test_export(self):
        def sheet_text(resp):
            self.assertEqual(resp.status, 200, resp.body[:300])
            self.assertEqual(resp.body[:2], b"PK")
            self.assertIn("spreadsheetml", resp.headers["content-type"])
            disposition = resp.headers["content-disposition"]
            self.assertTrue(disposition.startswith("attachment;"), disposition)
            self.assertIn(".xlsx", disposition)
            with zipfile.ZipFile(io.BytesIO(resp.body)) as z:
                return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        self.office.post_form("/units", {"code": "NK-XL", "name": "Đơn vị xuất nhật ký", "kind": "so_nganh"})
        full = sheet_text(self.office.get("/audit/export.xlsx"))
        self.assertIn("Người thực hiện", full)
        self.assertIn("Phiên đăng nhập", full)
        self.assertIn("Đơn vị xuất nhật ký", full)
        units = sheet_text(self.office.get("/audit/export.xlsx?entity=unit"))
        self.assertIn("Đơn vị xuất nhật ký", units)
        self.assertNotIn("Phiên đăng nhập", units)


class Tampering(unittest.TestCase):
    """`tdkt audit verify` on a log spoiled on purpose: each test has a fresh
    server (and database) of its own."""

    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.stop)
        c = Client(self.server, "vanphong")
        self.addCleanup(c.close)
        for i in range(3):
            r = c.post_form("/units", {"code": f"CHUOI-{i}", "name": f"Đơn vị chuỗi {i}", "kind": "so_nganh"})
            self.assertEqual(r.status, 303)
        self.seqs = [int(row[0]) for row in self.server.sql("SELECT seq FROM audit_log ORDER BY seq")]
        self.assertEqual(self.seqs, list(range(1, len(self.seqs) + 1)))
        r = self.verify()
        self.assertEqual(r.returncode, 0, r.stderr)
        head = self.server.sql("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")[0][0]
        self.assertIn(f"{len(self.seqs)} mục", r.stdout)
        self.assertIn(head, r.stdout)

    def verify(self):
        return self.server.cli("audit", "verify", check=False)

    def assertBroken(self, seq, *words):
        r = self.verify()
        self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
        self.assertIn(f"từ mục {seq}:", r.stderr)
        for w in words:
            self.assertIn(w, r.stderr)

    def test_altered_entry(self):
        seq = self.seqs[-2]              # a unit's creation, with an after_json
        self.server.sql("UPDATE audit_log SET after_json = replace(after_json, 'chuỗi', 'giả') "
                        f"WHERE seq = {seq}")
        self.assertIn("giả", self.server.sql(f"SELECT after_json FROM audit_log WHERE seq = {seq}")[0][0])
        self.assertBroken(seq, f"Mục {seq}", "bị sửa")

    def test_removed_entry(self):
        seq = self.seqs[len(self.seqs) // 2]
        self.server.sql(f"DELETE FROM audit_log WHERE seq = {seq}")
        self.assertBroken(seq, f"Thiếu mục {seq} đến {seq}")

    def test_swapped_contents(self):
        a, b = self.seqs[-3], self.seqs[-2]
        cols = ("action", "after_json", "hash")
        self.server.sql(f"CREATE TABLE swap_tmp AS SELECT seq, {', '.join(cols)} FROM audit_log "
                        f"WHERE seq IN ({a}, {b})")
        sets = ", ".join(f"{c} = (SELECT t.{c} FROM swap_tmp t WHERE t.seq = {a + b} - audit_log.seq)"
                         for c in cols)
        self.server.sql(f"UPDATE audit_log SET {sets} WHERE seq IN ({a}, {b})")
        rows = self.server.sql(f"SELECT t.hash, l.hash FROM swap_tmp t JOIN audit_log l ON l.seq = {a + b} - t.seq")
        self.assertEqual(len(rows), 2)
        self.assertTrue(all(old == new for old, new in rows))      # really swapped
        self.assertBroken(a, f"Mục {a}")

    def test_reordered_entries(self):
        a, b = self.seqs[-3], self.seqs[-2]
        for src, dst in ((a, -1), (b, a), (-1, b)):       # whole entries change places
            self.server.sql(f"UPDATE audit_log SET seq = {dst} WHERE seq = {src}")
        self.assertBroken(a, "không nối tiếp")

    def test_days_are_vietnam_days(self):
        seq = self.seqs[1]
        # 17:30 UTC on 1 March is half past midnight on 2 March in Vietnam
        self.server.sql(f"UPDATE audit_log SET at = {lit('2020-03-01T17:30:00Z')} WHERE seq = {seq}")
        c = Client(self.server)
        self.addCleanup(c.close)
        day2 = c.api("/audit?from=02/03/2020&to=02/03/2020")
        self.assertEqual([it["seq"] for it in day2["items"]], [seq])
        self.assertEqual(day2["items"][0]["at_local"], "02/03/2020 00:30:00")
        self.assertEqual(c.api("/audit?from=01/03/2020&to=01/03/2020")["total"], 0)
        self.assertBroken(seq, "bị sửa")                   # the time is part of the hash


if __name__ == "__main__":
    unittest.main()
