"""The score grid (issue 6; docs/scoring.md "Score grid"): rows by role,
progress, totals by the rules of docs/scoring.md, autosave through the
sheet's answer route with JSON, cells editable per stage; and the scoring
part of the home page with its deadlines. Today is pinned (TDKT_TODAY) to
2026-06-20, so the demo's year is 2026 and the deadline texts are fixed."""

import unittest
import urllib.parse

from harness import Client, Server, ServerTest

PASSWORD = "tdkt-demo-2026"
JSON = {"Accept": "application/json"}


class ScoreGrid(ServerTest):
    env = {"TDKT_TODAY": "2026-06-20"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = Client(cls.server)
        gid = next(g["id"] for g in admin.api("/groups")["items"] if g["code"] == "KHOI-SO")
        cls.gid = gid
        office = Client(cls.server, login="vanphong")
        r = office.post_json(f"/api/groups/{gid}/2026/criteria", {"title": "Bảng chấm 2026"})
        assert r.status == 201, r.body[:300]
        cls.table = r.json()["table"]["id"]

        def add(code, kind, max_, parent=None, each=None):
            body = {"code": code, "name": "Tiêu chí " + code, "kind": kind, "max": max_}
            if parent:
                body["parent_id"] = parent
            if each:
                body["each"] = each
            r = office.post_json(f"/api/criteria/{cls.table}/nodes", body)
            assert r.status == 201, r.body[:300]
            return next(n["id"] for n in r.json()["table"]["nodes"] if n["code"] == code)

        # I (60) = I.1 direct 40 + I.2 pass/fail 20; II (40) = II.1 target 20
        # + II.2 per occurrence, 5 a time, at most 20: total 100
        g1 = add("I", "group", "60")
        cls.direct = add("I.1", "direct", "40", g1)
        cls.passfail = add("I.2", "passfail", "20", g1)
        g2 = add("II", "group", "40")
        cls.target = add("II.1", "target", "20", g2)
        cls.count = add("II.2", "occurrence", "20", g2, each="5")
        r = office.post_json(f"/api/criteria/{cls.table}/lock", {})
        assert r.status in (200, 303), r.body[:300]
        unit = {c: int(cls.server.sql(f"SELECT id FROM units WHERE code = '{c}'")[0][0])
                for c in ("SNV", "SGDDT", "STC", "SYT", "MTTQ")}
        cls.unit = unit
        # SGDDT: a plain member; STC: the head of the bloc (the demo's first)
        for login, code in (("canbo_gd", "SGDDT"), ("canbo_tc", "STC")):
            r = admin.post_json("/api/users", {"login": login, "display_name": "Cán bộ " + code,
                                               "role": "unit", "unit_id": unit[code],
                                               "password": PASSWORD})
            assert r.status == 201, r.body[:300]
        snv = Client(cls.server, login="sonoivu")
        gd = Client(cls.server, login="canbo_gd", password=PASSWORD)
        answers = ((snv, "SNV", cls.direct, "35", None), (snv, "SNV", cls.passfail, "1", None),
                   (snv, "SNV", cls.target, "120", "100"), (snv, "SNV", cls.count, "3", None),
                   (gd, "SGDDT", cls.direct, "30", None), (gd, "SGDDT", cls.passfail, "0", None),
                   (gd, "SGDDT", cls.target, "80", "100"))
        for client, code, node, value, target in answers:
            body = {"node_id": node, "value": value}
            if target:
                body["target"] = target
            r = client.post_json(f"/api/criteria/{cls.table}/units/{unit[code]}/answers", body)
            assert r.status in (200, 201), r.body[:300]
        r = snv.post_json(f"/api/criteria/{cls.table}/units/{unit['SNV']}/submit", {})
        assert r.status == 200, r.body[:300]
        for c in (admin, office, snv, gd):
            c.close()

    def client(self, login):
        c = Client(self.server, login=login,
                   password=PASSWORD)
        self.addCleanup(c.close)
        return c

    def grid(self, login):
        return self.client(login).api(f"/criteria/{self.table}/grid")

    def rows(self, grid):
        return {r["unit_id"]: r for r in grid["rows"]}

    def sql(self, query):
        return self.server.sql(query)

    def test_rows_progress_and_totals(self):
        g = self.grid("vanphong")
        self.assertEqual([c["code"] for c in g["columns"]], ["I.1", "I.2", "II.1", "II.2"])
        self.assertEqual([c["max"] for c in g["columns"]], ["40", "20", "20", "20"])
        self.assertEqual(len(g["rows"]), 10)          # every member of KHOI-SO
        self.assertEqual((g["progress"]["submitted"], g["progress"]["units"]), (1, 10))
        self.assertIn("1 trên 10 đơn vị", g["progress"]["text"])
        rows = self.rows(g)
        snv = rows[self.unit["SNV"]]
        # SNV: I.1 35; I.2 passed → 20; II.1 120 against 100 and the group's
        # highest → max 20; II.2 3 × 5 = 15: 35 + 20 + 20 + 15 = 90
        self.assertEqual((snv["total"], snv["total_x100"]), ("90", 9000))
        self.assertEqual((snv["answered"], snv["criteria"], snv["status"]), (4, 4, "submitted"))
        self.assertEqual(snv["status_name"], "đã nộp")
        cells = {c["code"]: c for c in snv["cells"]}
        self.assertEqual(cells["I.2"]["shown"], "Đạt")
        self.assertEqual((cells["II.1"]["value"], cells["II.1"]["target"]), ("120", "100"))
        self.assertEqual(cells["II.2"]["value"], "3")
        # SGDDT: 3 of 4 answered → no total yet
        gd = rows[self.unit["SGDDT"]]
        self.assertEqual((gd["answered"], gd["total"], gd["total_x100"]), (3, "", None))
        self.assertEqual(gd["status_name"], "đang chấm")
        self.assertEqual({c["code"]: c["shown"] for c in gd["cells"]}["I.2"], "Không đạt")
        self.assertEqual(rows[self.unit["SYT"]]["status_name"], "chưa mở")
        # the office reads but does not self-score for a unit
        self.assertFalse(g["can_edit"])
        self.assertFalse(any(r["can_edit"] for r in g["rows"]))

    def test_who_sees_which_rows(self):
        for login in ("admin", "vanphong", "hoidong", "canbo_tc"):    # head: a manager
            self.assertEqual(len(self.grid(login)["rows"]), 10, login)
        # a plain member's officer: its own row only, editable (not submitted)
        g = self.grid("canbo_gd")
        self.assertEqual([r["unit_id"] for r in g["rows"]], [self.unit["SGDDT"]])
        self.assertTrue(g["own_only"])
        self.assertTrue(g["rows"][0]["can_edit"])
        self.assertFalse(g["needs_reason"])
        # the progress counts every member still
        self.assertEqual(g["progress"]["submitted"], 1)
        # SNV is the deputy (a manager): all rows, its own submitted row closed
        g = self.grid("sonoivu")
        self.assertEqual(len(g["rows"]), 10)
        self.assertFalse(any(r["can_edit"] for r in g["rows"]))
        # a unit outside the bloc: refused; no session: the sign-in page
        r = self.client("mttq").get(f"/api/criteria/{self.table}/grid")
        self.assertEqual(r.status, 403)
        anon = Client(self.server, login=None)
        self.addCleanup(anon.close)
        self.assertEqual(anon.get(f"/api/criteria/{self.table}/grid").status, 401)
        self.assertEqual(self.client("vanphong").get("/api/criteria/999999/grid").status, 404)

    def test_page_has_cells_to_autosave(self):
        page = self.client("canbo_gd").get(f"/criteria/{self.table}/grid")
        self.assertEqual(page.status, 200)
        html = page.text
        self.assertIn(f'data-autosave="/criteria/{self.table}/units/{self.unit["SGDDT"]}/answers"',
                      html)
        self.assertIn(f'data-extra="node_id={self.target}"', html)
        self.assertIn('name="target"', html)          # target cells: two inputs
        self.assertIn('aria-live="polite"', html)
        self.assertIn("data-csrf=", html)
        # without script: the row links to the unit's sheet
        self.assertIn(f'href="/criteria/{self.table}/units/{self.unit["SGDDT"]}"', html)
        page = self.client("vanphong").get(f"/criteria/{self.table}/grid").text
        self.assertNotIn("data-autosave", page)
        self.assertIn('<th scope="col" class="num"><abbr title="Tiêu chí I.1', page)
        # linked from the table's page
        show = self.client("vanphong").get(f"/groups/{self.gid}/2026/criteria").text
        self.assertIn(f'href="/criteria/{self.table}/grid"', show)

    def test_autosave_round_trip(self):
        gd = self.client("canbo_gd")
        url = f"/criteria/{self.table}/units/{self.unit['SGDDT']}/answers"
        # what the grid's script sends: a form body with the CSRF token, JSON back
        # other tests read SGDDT with 3 of 4 answered: take the 4th away after
        self.addCleanup(self.sql, "DELETE FROM score_answers WHERE node_id = "
                        f"{self.count} AND sheet_id = (SELECT id FROM score_sheets WHERE "
                        f"unit_id = {self.unit['SGDDT']} AND table_id = {self.table})")
        r = gd.post_form(url, {"node_id": str(self.count), "value": "2"}, headers=JSON)
        self.assertEqual(r.status, 200, r.body[:300])
        sheet = r.json()["sheet"]
        # SGDDT now complete: I.1 30; I.2 failed 0; II.1 80 below its target
        # 100 → 20/2 × 80/100 = 8; II.2 2 × 5 = 10: 48
        self.assertEqual((sheet["answered"], sheet["complete"], sheet["total"]), (4, True, "48"))
        row = self.rows(self.grid("vanphong"))[self.unit["SGDDT"]]
        self.assertEqual((row["total"], row["answered"]), ("48", 4))
        self.assertEqual({c["code"]: c["value"] for c in row["cells"]}["II.2"], "2")
        # a refused value: 422 with the field's message in Vietnamese, nothing written
        before = self.sql("SELECT value_x100 FROM score_answers a JOIN score_sheets s ON "
                          f"s.id = a.sheet_id WHERE s.unit_id = {self.unit['SGDDT']} "
                          f"AND a.node_id = {self.direct}")
        r = gd.post_form(url, {"node_id": str(self.direct), "value": "41"}, headers=JSON)
        self.assertEqual(r.status, 422, r.body[:300])
        body = r.json()
        self.assertIn("phải từ 0 đến 40", body["errors"]["value"])
        after = self.sql("SELECT value_x100 FROM score_answers a JOIN score_sheets s ON "
                         f"s.id = a.sheet_id WHERE s.unit_id = {self.unit['SGDDT']} "
                         f"AND a.node_id = {self.direct}")
        self.assertEqual(before, after)
        self.assertEqual(after, [("3000",)])

    def test_review_stages_ask_for_a_reason(self):
        try:
            self.sql(f"UPDATE criteria_tables SET stage = 'review1' WHERE id = {self.table}")
            g = self.grid("canbo_tc")                   # the head unit reviews the others
            rows = self.rows(g)
            self.assertTrue(g["needs_reason"])
            self.assertTrue(rows[self.unit["SNV"]]["can_edit"])
            self.assertTrue(rows[self.unit["SNV"]]["reason"])
            self.assertFalse(rows[self.unit["STC"]]["can_edit"])   # not its own
            page = self.client("canbo_tc").get(f"/criteria/{self.table}/grid").text
            self.assertIn(f'data-reason="reason-{self.unit["SNV"]}"', page)
            self.assertIn(f'id="reason-{self.unit["SNV"]}" name="reason"', page)
            g = self.grid("canbo_gd")                   # a member no longer writes
            self.assertFalse(g["can_edit"])
            self.assertFalse(self.grid("vanphong")["can_edit"])
            self.sql(f"UPDATE criteria_tables SET stage = 'review2' WHERE id = {self.table}")
            g = self.grid("vanphong")
            self.assertTrue(g["needs_reason"] and all(r["can_edit"] for r in g["rows"]))
            self.assertFalse(self.grid("canbo_tc")["can_edit"])
        finally:
            self.sql(f"UPDATE criteria_tables SET stage = 'self' WHERE id = {self.table}")

    def answer_sql(self, code, node):
        return self.sql("SELECT a.value_x100, a.target_x100 FROM score_answers a JOIN "
                        "score_sheets s ON s.id = a.sheet_id WHERE s.unit_id = "
                        f"{self.unit[code]} AND s.table_id = {self.table} AND a.node_id = {node}")

    def test_own_row_is_provisional_and_versioned(self):
        gd = self.client("canbo_gd")
        url = f"/criteria/{self.table}/units/{self.unit['SGDDT']}/answers"
        # put SGDDT back as other tests expect it: II.1 80 of 100, II.2 blank
        self.addCleanup(self.sql, "DELETE FROM score_answers WHERE node_id = "
                        f"{self.count} AND sheet_id = (SELECT id FROM score_sheets WHERE "
                        f"unit_id = {self.unit['SGDDT']} AND table_id = {self.table})")
        self.addCleanup(self.sql, "UPDATE score_answers SET value_x100 = 8000, target_x100 = "
                        f"10000 WHERE node_id = {self.target} AND sheet_id = (SELECT id FROM "
                        f"score_sheets WHERE unit_id = {self.unit['SGDDT']} AND table_id = "
                        f"{self.table})")
        [row] = self.grid("canbo_gd")["rows"]
        v = row["version"]
        page = gd.get(f"/criteria/{self.table}/grid").text
        self.assertIn(f'data-unit="{self.unit["SGDDT"]}" data-version="{v}"', page)
        # what the grid's script sends: the row's version with the cell
        r = gd.post_form(url, {"node_id": str(self.count), "value": "2", "version": str(v)},
                         headers=JSON)
        self.assertEqual(r.status, 200, r.body[:300])
        v2 = r.json()["sheet"]["version"]
        self.assertEqual(v2, v + 1)                  # the script keeps this one
        r = gd.post_form(url, {"node_id": str(self.target), "value": "110", "target": "100",
                               "version": str(v2)}, headers=JSON)
        self.assertEqual(r.status, 200, r.body[:300])
        sheet = r.json()["sheet"]
        # SNV's 120 leads the group, but SGDDT sees its own answers only while
        # self-scoring: 110 above its target leads → 20; I.1 30 + I.2 failed 0
        # + 20 + II.2 2 × 5 = 10: 60, provisional
        self.assertEqual((sheet["total"], sheet["provisional"], sheet["version"]),
                         ("60", True, v2 + 1))
        [row] = self.grid("canbo_gd")["rows"]
        self.assertEqual((row["total"], row["provisional"], row["version"]), ("60", True, v2 + 1))
        self.assertIn("tạm tính", gd.get(f"/criteria/{self.table}/grid").text)
        # the office compares with every sheet: leader 120, 110 exceeds →
        # 20/2 + 20/2 × (110 − 100)/(120 − 100) = 15: 30 + 0 + 15 + 10 = 55
        row = self.rows(self.grid("vanphong"))[self.unit["SGDDT"]]
        self.assertEqual((row["total"], row["provisional"]), ("55", False))
        # a stale version (another tab saved in between): 409, nothing written
        r = gd.post_form(url, {"node_id": str(self.target), "value": "90", "target": "100",
                               "version": str(v2)}, headers=JSON)
        self.assertEqual(r.status, 409, r.body[:300])
        self.assertIn("vừa được người khác sửa", r.text)
        self.assertEqual(self.answer_sql("SGDDT", self.target), [("11000", "10000")])

    def test_deputy_reviews_and_rights_outlast_the_year(self):
        """Review 1 is the head's and the deputy's (SNV), neither on its own row,
        as the answer route rules (score_review.c); and on 10 January of the
        next year both still open the grid and review."""
        snv_url = f"/criteria/{self.table}/units/{self.unit['STC']}/answers"
        n = self.count
        self.addCleanup(self.sql, "DELETE FROM score_changes WHERE sheet_id IN (SELECT id FROM "
                        f"score_sheets WHERE table_id = {self.table} AND unit_id = "
                        f"{self.unit['STC']})")
        self.addCleanup(self.sql, f"DELETE FROM score_answers WHERE node_id = {n} AND sheet_id "
                        f"IN (SELECT id FROM score_sheets WHERE table_id = {self.table} AND "
                        f"unit_id = {self.unit['STC']})")
        self.addCleanup(self.sql, f"DELETE FROM score_sheets WHERE table_id = {self.table} AND "
                        f"unit_id = {self.unit['STC']} AND NOT EXISTS (SELECT 1 FROM "
                        "score_answers a WHERE a.sheet_id = score_sheets.id)")
        self.addCleanup(self.sql, "UPDATE criteria_tables SET stage = 'self', review1_due = NULL "
                        f"WHERE id = {self.table}")
        self.sql(f"UPDATE criteria_tables SET stage = 'review1', review1_due = '2027-01-31' "
                 f"WHERE id = {self.table}")
        g = self.grid("sonoivu")                    # the deputy
        rows = self.rows(g)
        self.assertTrue(g["needs_reason"])
        self.assertTrue(rows[self.unit["STC"]]["can_edit"])     # the head's row is its
        self.assertTrue(rows[self.unit["SGDDT"]]["can_edit"])
        self.assertFalse(rows[self.unit["SNV"]]["can_edit"])    # never its own
        self.assertFalse(self.rows(self.grid("canbo_tc"))[self.unit["STC"]]["can_edit"])
        self.assertTrue(self.rows(self.grid("canbo_tc"))[self.unit["SNV"]]["can_edit"])
        item = self.home("sonoivu")[0]
        self.assertIn("Thẩm định lần 1", item["todo"])
        self.assertEqual(item["link"], f"/criteria/{self.table}/grid")
        # the grid's round trip in review 1: STC has no sheet yet, version 1
        snv = self.client("sonoivu")
        v = rows[self.unit["STC"]]["version"]
        self.assertEqual(v, 1)
        r = snv.post_form(snv_url, {"node_id": str(n), "value": "1", "version": str(v),
                                    "reason": "Thiếu báo cáo"}, headers=JSON)
        self.assertEqual(r.status, 200, r.body[:300])
        v2 = r.json()["sheet"]["version"]
        self.assertGreater(v2, v)
        self.assertEqual(self.rows(self.grid("sonoivu"))[self.unit["STC"]]["version"], v2)
        r = snv.post_form(snv_url, {"node_id": str(n), "value": "2", "version": str(v),
                                    "reason": "Thiếu báo cáo"}, headers=JSON)
        self.assertEqual(r.status, 409, r.body[:300])
        self.assertEqual(self.answer_sql("STC", n), [("1", "")])   # a count, no target
        # the same records on 10 January 2027: the 2026 head and deputy still
        # open the grid, edit the other rows and see the task on the home page
        jan = Server(env={"TDKT_TODAY": "2027-01-10"}, db=self.server.db)
        try:
            for login, other in (("canbo_tc", "SNV"), ("sonoivu", "STC")):
                c = Client(jan, login=login, password=PASSWORD)
                try:
                    g = c.api(f"/criteria/{self.table}/grid")
                    rows = self.rows(g)
                    self.assertEqual(len(rows), 10, login)
                    self.assertTrue(rows[self.unit[other]]["can_edit"], login)
                    self.assertTrue(rows[self.unit["SGDDT"]]["can_edit"], login)
                    page = c.get(f"/criteria/{self.table}/grid").text
                    self.assertIn(f'data-autosave="/criteria/{self.table}/units/'
                                  f'{self.unit["SGDDT"]}/answers"', page)
                    [item] = c.api("/")["scoring"]
                    self.assertEqual((item["year"], item["link"]),
                                     (2026, f"/criteria/{self.table}/grid"))
                    self.assertIn("Thẩm định lần 1", item["todo"])
                finally:
                    c.close()
        finally:
            jan.stop()

    def home(self, login):
        return self.client(login).api("/")["scoring"]

    def test_deadlines_on_the_home_page(self):
        t = self.table
        try:
            self.sql(f"UPDATE criteria_tables SET self_due = '2026-06-25' WHERE id = {t}")
            [item] = self.home("canbo_gd")
            self.assertEqual(item["stage"], "self")
            self.assertEqual((item["due_dmy"], item["due_text"]), ("25/06/2026", "còn 5 ngày"))
            self.assertIn("Tự chấm và nộp phiếu", item["todo"])
            self.assertEqual(item["link"], f"/criteria/{t}/units/{self.unit['SGDDT']}")
            # the deputy (SNV) has submitted; as head or deputy it also follows the
            # members' self-scoring and closes the stage: 1 of the 10 submitted
            own, follow = self.home("sonoivu")
            self.assertIn("Đã nộp phiếu tự chấm", own["todo"])
            self.assertEqual(follow["todo"], "Theo dõi tự chấm (1 trên 10 đơn vị đã nộp) và "
                                             "chuyển sang thẩm định lần 1")
            self.assertEqual(follow["link"], f"/criteria/{t}/stage")
            self.assertEqual(self.home("vanphong"), [])       # not yet past due
            self.assertEqual(self.home("hoidong"), [])
            page = self.client("canbo_gd").get("/").text
            self.assertIn("Chấm điểm thi đua", page)
            self.assertIn("còn 5 ngày", page)
            self.sql(f"UPDATE criteria_tables SET self_due = '2026-06-20' WHERE id = {t}")
            self.assertEqual(self.home("canbo_gd")[0]["due_text"], "hôm nay")
            self.sql(f"UPDATE criteria_tables SET self_due = '2026-06-18' WHERE id = {t}")
            item = self.home("canbo_gd")[0]
            self.assertEqual((item["due_text"], item["overdue"]), ("quá hạn 2 ngày", True))
            # a unit that has done its part is not flagged overdue
            item = self.home("sonoivu")[0]
            self.assertEqual((item["due_text"], item["overdue"]), ("quá hạn 2 ngày", False))
            # the office: past due with 9 of the 10 members not submitted; the
            # stage is closed on the stage page
            [item] = self.home("vanphong")
            self.assertIn("9 đơn vị chưa nộp", item["todo"])
            self.assertEqual(item["link"], f"/criteria/{t}/stage")
            # review 1: the head unit is told to review, the others wait
            self.sql(f"UPDATE criteria_tables SET stage = 'review1', review1_due = '2026-07-01' "
                     f"WHERE id = {t}")
            item = self.home("canbo_tc")[0]
            self.assertIn("Thẩm định lần 1", item["todo"])
            self.assertEqual((item["due_text"], item["link"]), ("còn 11 ngày", f"/criteria/{t}/grid"))
            self.assertIn("Chờ đơn vị Trưởng khối", self.home("canbo_gd")[0]["todo"])
            self.assertEqual(self.home("vanphong"), [])
            # explanations: the office moves the table on when they are in
            self.sql(f"UPDATE criteria_tables SET stage = 'explain' WHERE id = {t}")
            [item] = self.home("vanphong")
            self.assertIn("chuyển sang thẩm định lần 2", item["todo"])
            self.assertEqual(item["link"], f"/criteria/{t}/stage")
            self.assertEqual(self.home("hoidong"), [])
            # review 2, no deadline set: the office reviews
            self.sql(f"UPDATE criteria_tables SET stage = 'review2' WHERE id = {t}")
            [item] = self.home("vanphong")
            self.assertIn("Thẩm định lần 2", item["todo"])
            self.assertEqual((item["due"], item["due_text"]), (None, ""))
            # the council sees the ranking from review 2 on; once locked, the
            # members are sent to the results
            [item] = self.home("hoidong")
            self.assertEqual(item["link"], f"/criteria/{t}/ranking")
            self.sql(f"UPDATE criteria_tables SET stage = 'locked' WHERE id = {t}")
            [item] = self.home("canbo_gd")
            self.assertEqual(item["link"], f"/criteria/{t}/ranking")
            self.assertIn("đã khóa", item["todo"])
            self.assertEqual(self.home("hoidong")[0]["todo"], "Kết quả xếp hạng đã khóa")
            self.assertEqual(self.home("vanphong"), [])
        finally:
            self.sql(f"UPDATE criteria_tables SET stage = 'self', self_due = NULL, "
                     f"review1_due = NULL WHERE id = {t}")


class DemoScores(unittest.TestCase):
    """`tdkt init --demo --demo-year` (what `make run` does): the MTTQ bloc's
    locked table in self-scoring, four sheets submitted, one half done."""

    def test_the_demo_table(self):
        server = Server(env={"TDKT_TODAY": "2026-06-20"}, init_args=("--demo-year",))
        try:
            office = Client(server, login="vanphong")
            table = int(server.sql("SELECT id FROM criteria_tables")[0][0])
            g = office.api(f"/criteria/{table}/grid")
            self.assertEqual(g["table"]["total"], "100")
            self.assertEqual(len(g["columns"]), 9)
            self.assertEqual({c["kind"] for c in g["columns"]},
                             {"direct", "passfail", "target", "occurrence"})
            self.assertEqual((g["progress"]["submitted"], g["progress"]["units"]), (4, 6))
            rows = {r["name"]: r for r in g["rows"]}
            mttq = next(r for n, r in rows.items() if "MTTQ" in n)
            # I: 15 + 14 + 10 (passed) = 39; II.1 230 against 200 and the
            # highest → 20; II.2 98 of 100 → 15/2 × 98/100 = 7.35; III: 4 × 2.5
            # = 10, passed 5, 5, 4.5 → 24.5: 39 + 27.35 + 24.5 = 90.85
            self.assertEqual(mttq["total"], "90,85")
            self.assertEqual(sorted(r["status"] for r in g["rows"]),
                             ["draft", "none", "submitted", "submitted", "submitted",
                              "submitted"])
            half = next(r for r in g["rows"] if r["status"] == "draft")
            self.assertEqual((half["answered"], half["criteria"], half["total"]), (4, 9, ""))
            self.assertEqual(office.get(f"/criteria/{table}/grid").status, 200)
            # MTTQ (submitted) waits for review, due 10 December
            unit = Client(server, login="mttq")
            item, follow = unit.api("/")["scoring"]  # MTTQ heads the bloc: it also follows
            unit.close()
            self.assertEqual((item["due_dmy"], item["due_text"]), ("10/12/2026", "còn 173 ngày"))
            self.assertIn("4 trên 6 đơn vị đã nộp", follow["todo"])
            office.close()
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
