"""Score sheets, stage 1 (issue 6; docs/scoring.md): each member unit
self-scores against its group-year's locked criteria table and submits — the
points per criterion by the target formulas of docs/scoring.md (below:
max/2 × actual/target; met: max/2; leading: max; exceeding: max/2 + max/2 ×
(a − t)/(L − t)), totals, who may answer, refusals — on both drivers. Today
is pinned (TDKT_TODAY) so the demo's year is 2026."""

import unittest

from harness import Client, ServerTest

PASSWORD = "tdkt-demo-2026"


class ScoreSheets(ServerTest):
    env = {"TDKT_TODAY": "2026-06-20"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = Client(cls.server)
        cls.group = {g["code"]: g["id"] for g in admin.api("/groups")["items"]}
        office = Client(cls.server, login="vanphong")
        gid = cls.group["KHOI-SO"]
        r = office.post_json(f"/api/groups/{gid}/2026/criteria", {})
        assert r.status == 201, r.body[:300]
        cls.table = r.json()["table"]["id"]

        def add(code, kind, max_, parent=None):
            body = {"code": code, "name": "Tiêu chí " + code, "kind": kind, "max": max_}
            if parent:
                body["parent_id"] = parent
            r = office.post_json(f"/api/criteria/{cls.table}/nodes", body)
            assert r.status == 201, r.body[:300]
            return next(n["id"] for n in r.json()["table"]["nodes"] if n["code"] == code)

        g1 = add("I", "group", "60")
        cls.direct = add("I.1", "direct", "40", g1)
        cls.passfail = add("I.2", "passfail", "20", g1)
        g2 = add("II", "group", "40")
        cls.target = add("II.1", "target", "40", g2)
        r = office.api(f"/groups/{gid}/2026/criteria")
        cls.draft_units = [s["unit_id"] for s in r.get("sheets", [])]
        r = office.post_json(f"/api/criteria/{cls.table}/lock", {})
        assert r.status in (200, 303), r.body[:300]
        sheets = office.api(f"/groups/{gid}/2026/criteria")["sheets"]
        snv = int(cls.server.sql("SELECT id FROM units WHERE code = 'SNV'")[0][0])
        cls.snv = snv
        cls.other = next(s["unit_id"] for s in sheets if s["unit_id"] != snv)
        r = admin.post_json("/api/users", {"login": "canbo_khac", "display_name": "Cán bộ khác",
                                           "role": "unit", "unit_id": cls.other,
                                           "password": PASSWORD})
        assert r.status == 201, r.body[:300]
        admin.close()
        office.close()

    def client(self, login):
        c = Client(self.server, login=login, password=PASSWORD)
        self.addCleanup(c.close)
        return c

    def answer(self, client, unit, node, value, target=None, table=None):
        body = {"node_id": node, "value": value}
        if target is not None:
            body["target"] = target
        return client.post_json(f"/api/criteria/{table or self.table}/units/{unit}/answers", body)

    def answers(self):
        return int(self.server.sql("SELECT count(*) FROM score_answers")[0][0])

    def sheet(self, client, unit):
        return client.api(f"/criteria/{self.table}/units/{unit}")["sheet"]

    def test_flow(self):
        snv, other = self.client("sonoivu"), self.client("canbo_khac")
        # refusals first: nothing written
        before = self.answers()
        for value, node in (("41", self.direct), ("-1", self.direct), ("2", self.passfail),
                            ("abc", self.direct)):
            r = self.answer(snv, self.snv, node, value)
            self.assertEqual(r.status, 422, (value, r.body[:300]))
            self.assertIn("value", r.body.decode())
        r = self.answer(snv, self.snv, self.target, "10", "-5")
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("target", r.body.decode())
        self.assertEqual(self.answers(), before)
        # another unit's officer, the office, the admin cannot answer for SNV
        self.assertEqual(self.answer(other, self.snv, self.direct, "1").status, 403)
        self.assertEqual(self.answer(self.client("vanphong"), self.snv, self.direct, "1").status,
                         403)
        self.assertEqual(self.answer(self.client("admin"), self.snv, self.direct, "1").status,
                         403)
        self.assertEqual(self.answers(), before)
        # SNV answers all but one: submit names the unanswered criterion
        for node, value, target in ((self.direct, "35", None), (self.target, "120", "100")):
            r = self.answer(snv, self.snv, node, value, target)
            self.assertIn(r.status, (200, 201, 303), r.body[:300])
        r = snv.post_json(f"/api/criteria/{self.table}/units/{self.snv}/submit", {})
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("I.2", r.body.decode())
        self.assertIn(self.answer(snv, self.snv, self.passfail, "1").status, (200, 201, 303))
        # the other unit: direct 40, failed, 80 of 100
        for node, value, target in ((self.direct, "40", None), (self.passfail, "0", None),
                                    (self.target, "80", "100")):
            r = self.answer(other, self.other, node, value, target)
            self.assertIn(r.status, (200, 201, 303), r.body[:300])
        # leader 120: SNV exceeds and leads → 40; other below → 40/2 × 80/100 = 16
        s = self.sheet(snv, self.snv)
        pts = {n["code"]: n["points"] for n in s["nodes"]}
        self.assertEqual((pts["I.1"], pts["I.2"], pts["II.1"]), ("35", "20", "40"))
        self.assertEqual(s["total_x100"], 9500)
        self.assertEqual((s["answered"], s["criteria"]), (3, 3))
        s = self.sheet(other, self.other)
        pts = {n["code"]: n["points"] for n in s["nodes"]}
        self.assertEqual((pts["I.1"], pts["I.2"], pts["II.1"]), ("40", "0", "16"))
        self.assertEqual(s["total_x100"], 5600)
        # the office and the council read; another unit's officer does not
        self.assertEqual(self.sheet(self.client("hoidong"), self.snv)["total_x100"], 9500)
        self.assertEqual(self.client("mttq").get(
            f"/api/criteria/{self.table}/units/{self.snv}").status, 403)
        # submit, then no more changes
        r = snv.post_json(f"/api/criteria/{self.table}/units/{self.snv}/submit", {})
        self.assertIn(r.status, (200, 303), r.body[:300])
        self.assertEqual(self.sheet(snv, self.snv)["status"], "submitted")
        r = self.answer(snv, self.snv, self.direct, "10")
        self.assertEqual(r.status, 409, r.body[:300])
        self.assertIn("đã nộp, không sửa được", r.body.decode())
        r = snv.post_json(f"/api/criteria/{self.table}/units/{self.snv}/submit", {})
        self.assertEqual(r.status, 409, r.body[:300])
        # the page renders with the table and the submitted status
        page = snv.get(f"/criteria/{self.table}/units/{self.snv}")
        self.assertEqual(page.status, 200)
        self.assertIn('class="table-wrap" tabindex="0"', page.body.decode())
        self.assertIn("Đã nộp", page.body.decode())

    def test_a_refused_answer_comes_back_on_the_sheet(self):
        snv = self.client("sonoivu")
        before = self.answers()
        r = snv.post_form(f"/criteria/{self.table}/units/{self.snv}/answers",
                          {"node_id": str(self.direct), "value": "41"})
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("Phiếu tự chấm của", r.text)     # the sheet, not an error page
        self.assertIn("phải từ 0 đến", r.text)
        self.assertEqual(self.answers(), before)

    def test_draft_table_refuses_answers(self):
        office = self.client("vanphong")
        gid = self.group["KHOI-MTTQ"]
        r = office.post_json(f"/api/groups/{gid}/2026/criteria", {})
        self.assertEqual(r.status, 201, r.body[:300])
        t = r.json()["table"]["id"]
        r = office.post_json(f"/api/criteria/{t}/nodes", {"code": "I", "name": "Nhóm",
                                                        "kind": "direct", "max": "10"})
        node = r.json()["table"]["nodes"][0]["id"]
        mttq = int(self.server.sql("SELECT id FROM units WHERE code = 'MTTQ'")[0][0])
        before = self.answers()
        r = self.answer(self.client("mttq"), mttq, node, "5", table=t)
        self.assertEqual(self.answers(), before)
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("Bảng tiêu chí chưa khóa", r.body.decode())

    def test_no_leader_from_other_sheets_while_self_scoring(self):
        """A member's officer learns nothing of other sheets while units score
        themselves: its target points are provisional, against its own
        answers only, and the leader is hidden (docs/scoring.md "Score
        sheets: provisional target points")."""
        syt = int(self.server.sql("SELECT id FROM units WHERE code = 'SYT'")[0][0])
        admin = self.client("admin")
        r = admin.post_json("/api/users", {"login": "canbo_yt", "display_name": "Cán bộ SYT",
                                           "role": "unit", "unit_id": syt,
                                           "password": PASSWORD})
        self.assertEqual(r.status, 201, r.body[:300])
        self.addCleanup(self.server.sql, "DELETE FROM score_answers WHERE sheet_id IN (SELECT id "
                        f"FROM score_sheets WHERE table_id = {self.table} AND unit_id = {syt})")
        other, yt = self.client("canbo_khac"), self.client("canbo_yt")
        for node, value, target in ((self.direct, "10", None), (self.passfail, "1", None),
                                    (self.target, "110", "100")):
            r = self.answer(other, self.other, node, value, target)
            self.assertIn(r.status, (200, 201, 303), r.body[:300])

        def own_view():
            s = self.sheet(other, self.other)
            ii1 = next(n for n in s["nodes"] if n["code"] == "II.1")
            return ii1["points"], ii1["leader"], s["total_x100"], s["provisional"]

        # its own answers only: 110 above its target 100 leads → max 40;
        # I.1 10 + I.2 passed 20 + 40 = 70
        self.assertEqual(own_view(), ("40", None, 7000, True))
        # another member answers a higher actual: nothing changes for the first
        r = self.answer(yt, syt, self.target, "150", "100")
        self.assertIn(r.status, (200, 201, 303), r.body[:300])
        self.assertEqual(own_view(), ("40", None, 7000, True))
        page = other.get(f"/criteria/{self.table}/units/{self.other}").text
        self.assertIn("tạm tính", page)
        self.assertIn("sau khi hết giai đoạn tự chấm mới so sánh", page)
        self.assertNotIn("150", page)
        # the managers (office, the deputy SNV) see the real leader 150:
        # exceeds → 40/2 + 40/2 × (110 − 100)/(150 − 100) = 24; 10 + 20 + 24 = 54
        for login in ("vanphong", "sonoivu", "hoidong"):
            s = self.sheet(self.client(login), self.other)
            ii1 = next(n for n in s["nodes"] if n["code"] == "II.1")
            self.assertEqual((ii1["points"], ii1["leader"], s["total_x100"], s["provisional"]),
                             ("24", "150", 5400, False), login)
        # once self-scoring closes, the unit too is compared with the others
        try:
            self.server.sql(f"UPDATE criteria_tables SET stage = 'review1' WHERE id = {self.table}")
            s = self.sheet(other, self.other)
            ii1 = next(n for n in s["nodes"] if n["code"] == "II.1")
            self.assertEqual((ii1["points"], ii1["leader"], s["total_x100"], s["provisional"]),
                             ("24", "150", 5400, False))
        finally:
            self.server.sql(f"UPDATE criteria_tables SET stage = 'self' WHERE id = {self.table}")


if __name__ == "__main__":
    unittest.main()
