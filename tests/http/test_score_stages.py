"""The scoring stages of a criteria table (issue 6; docs/scoring.md "Scoring
stages"): self → review1 → explain → review2 → locked, who may move the
table and who may change what in each stage, every review change with its
reason in score_changes and the audit log, the late sheets closed with
zeros, bonuses/deductions/veto in the final score, explanations, evidence
files — on both drivers. Today is pinned (TDKT_TODAY=2026-06-20).

The departments' bloc KHOI-SO of the demo: STC is this year's head, SNV
(login sonoivu) the deputy; ten members.

The table (total 100): I (60) = I.1 direct 40 + I.2 pass/fail 20;
II (40) = II.1 target 40 (docs/scoring.md target formulas: below
max/2 × actual/target; met max/2; leading max; exceeding
max/2 + max/2 × (a − t)/(L − t))."""

import json
import unittest

from harness import Client, Server, ServerTest

PASSWORD = "tdkt-demo-2026"
LATE = "Không nộp phiếu tự chấm đúng hạn"


def fields(r):
    """The fields a 4xx JSON answer names: its "errors" (a form again) or
    its error's "field"."""
    body = r.json()
    return set(body.get("errors", {})) | {body.get("error", {}).get("field")}


def unit_id(server, code):
    return int(server.sql(f"SELECT id FROM units WHERE code = '{code}'")[0][0])


def make_table(server, group_code, year=2026):
    """A locked table of the group's year (the tree of the module's doc);
    returns (table id, {code: node id})."""
    office = Client(server, login="vanphong")
    try:
        gid = int(server.sql(f"SELECT id FROM emulation_groups WHERE code = '{group_code}'")[0][0])
        r = office.post_json(f"/api/groups/{gid}/{year}/criteria", {})
        assert r.status == 201, r.body[:300]
        table = r.json()["table"]["id"]
        nodes = {}

        def add(code, kind, max_, parent=None):
            body = {"code": code, "name": "Tiêu chí " + code, "kind": kind, "max": max_}
            if parent:
                body["parent_id"] = nodes[parent]
            r = office.post_json(f"/api/criteria/{table}/nodes", body)
            assert r.status == 201, r.body[:300]
            nodes[code] = next(n["id"] for n in r.json()["table"]["nodes"] if n["code"] == code)

        add("I", "group", "60")
        add("I.1", "direct", "40", "I")
        add("I.2", "passfail", "20", "I")
        add("II", "group", "40")
        add("II.1", "target", "40", "II")
        r = office.post_json(f"/api/criteria/{table}/lock", {})
        assert r.status in (200, 303), r.body[:300]
        return table, nodes
    finally:
        office.close()


def add_user(server, login, code):
    admin = Client(server)
    try:
        r = admin.post_json("/api/users", {"login": login, "display_name": "Cán bộ " + code,
                                           "role": "unit", "unit_id": unit_id(server, code),
                                           "password": PASSWORD})
        assert r.status == 201, r.body[:300]
        return int(server.sql(f"SELECT id FROM users WHERE login = '{login}'")[0][0])
    finally:
        admin.close()


class Stages(ServerTest):
    env = {"TDKT_TODAY": "2026-06-20"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.table, cls.n = make_table(cls.server, "KHOI-SO")
        cls.stc, cls.snv, cls.sgd = (unit_id(cls.server, c) for c in ("STC", "SNV", "SGDDT"))
        cls.head_user = add_user(cls.server, "truongkhoi", "STC")
        add_user(cls.server, "canbo_gd", "SGDDT")
        cls.members = int(cls.server.sql(
            "SELECT count(*) FROM group_members m JOIN emulation_groups g ON g.id = m.group_id "
            "WHERE g.code = 'KHOI-SO' AND m.year = 2026")[0][0])

    def client(self, login):
        c = Client(self.server, login=login, password=PASSWORD)
        self.addCleanup(c.close)
        return c

    def url(self, unit, tail=""):
        return f"/api/criteria/{self.table}/units/{unit}{tail}"

    def sheet_version(self, unit):
        """The sheet's version as the page gives it (1 before the sheet exists)."""
        v = self.server.sql(f"SELECT version FROM score_sheets WHERE table_id = {self.table} "
                            f"AND unit_id = {unit}")
        return int(v[0][0]) if v else 1

    def answer(self, c, unit, code, value, target=None, reason=None, version=True):
        body = {"node_id": self.n[code], "value": value}
        # the review stages require the sheet's version (score_review.c)
        if version is True:
            body["version"] = self.sheet_version(unit)
        elif version is not None:
            body["version"] = version
        if target is not None:
            body["target"] = target
        if reason is not None:
            body["reason"] = reason
        return c.post_json(self.url(unit, "/answers"), body)

    def advance(self, c, to, version=None):
        body = {"to": to}
        if version is not None:
            body["version"] = version
        return c.post_json(f"/api/criteria/{self.table}/stage", body)

    def version(self):
        return int(self.server.sql(f"SELECT version FROM criteria_tables WHERE id = {self.table}")
                   [0][0])

    def set_due(self, day):
        self.server.sql(f"UPDATE criteria_tables SET self_due = '{day}' WHERE id = {self.table}")

    def stage(self):
        return self.server.sql(f"SELECT stage FROM criteria_tables WHERE id = {self.table}")[0][0]

    def changes(self):
        return int(self.server.sql("SELECT count(*) FROM score_changes")[0][0])

    def sheet(self, c, unit):
        return c.api(f"/criteria/{self.table}/units/{unit}")["sheet"]

    def ok(self, r):
        self.assertIn(r.status, (200, 201, 303), r.body[:400])
        return r

    def test_stages(self):
        snv, stc, gd = self.client("sonoivu"), self.client("truongkhoi"), self.client("canbo_gd")
        office, council, mttq = self.client("vanphong"), self.client("hoidong"), self.client("mttq")
        admin = self.client("admin")

        # --- self: answers, share of women, submission -------------------------------
        for code, v, t in (("I.1", "35", None), ("I.2", "1", None), ("II.1", "120", "100")):
            self.ok(self.answer(snv, self.snv, code, v, t))
        r = snv.post_json(self.url(self.snv, "/women"), {"women_pct": "101"})
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("women_pct", r.text)
        self.ok(snv.post_json(self.url(self.snv, "/women"), {"women_pct": "72,55"}))
        self.assertEqual(self.server.sql(
            f"SELECT women_pct FROM score_sheets WHERE unit_id = {self.snv}")[0][0], "7255")
        self.ok(snv.post_json(self.url(self.snv, "/submit"), {}))
        # a unit cannot edit after submitting: answers and its share of women
        r = self.answer(snv, self.snv, "I.1", "10")
        self.assertEqual(r.status, 409, r.body[:300])
        self.assertIn("đã nộp", r.text)
        self.assertEqual(snv.post_json(self.url(self.snv, "/women"), {"women_pct": "50"}).status,
                         409)
        for code, v, t in (("I.1", "40", None), ("I.2", "0", None), ("II.1", "80", "100")):
            self.ok(self.answer(stc, self.stc, code, v, t))
        self.ok(stc.post_json(self.url(self.stc, "/submit"), {}))
        self.ok(self.answer(gd, self.sgd, "I.1", "20"))      # never submitted

        # --- advancing: order, permissions, version, submissions -------------------
        v = self.version()
        r = self.advance(snv, "explain", v)                   # skipping a stage
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("to", fields(r))
        self.assertEqual(self.advance(council, "review1", v).status, 403)
        self.assertEqual(self.advance(mttq, "review1", v).status, 403)   # not of this bloc
        # no self deadline: every current member must have submitted (8 have not)
        r = self.advance(snv, "review1", v)
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn(f"{self.members - 2} đơn vị chưa nộp", r.text)
        # the deadline is today: not yet past, still refused
        self.set_due("2026-06-20")
        self.assertEqual(self.advance(snv, "review1", v).status, 422)
        self.assertEqual((self.stage(), self.changes()), ("self", 0))
        # the deadline was yesterday (TDKT_TODAY 2026-06-20): the late sheets close
        self.set_due("2026-06-19")
        page = snv.get(f"/criteria/{self.table}/stage")
        self.assertEqual(page.status, 200)
        self.assertIn("quá hạn", page.text)
        self.assertIn("ghi 0 điểm", page.text)                 # what advancing will do
        self.assertIn('name="to" value="review1"', page.text)
        self.assertEqual(self.advance(snv, "review1", v - 1).status, 409)   # stale version
        self.ok(self.advance(snv, "review1", v))
        self.assertEqual(self.stage(), "review1")
        # zeros for every blank criterion of the 8 late units: SGDDT left 2 blank
        # (I.2, II.1), the 7 others all 3 → 2 + 7 × 3 = 23 changes, each with the reason
        late = self.server.sql("SELECT stage, old_value_x100, new_value_x100, reason "
                               "FROM score_changes")
        self.assertEqual(len(late), 2 + (self.members - 3) * 3)
        self.assertEqual({row for row in late}, {("review1", "", "0", LATE)})
        # SGDDT: I.1 20 + I.2 0 + II.1 actual 0 against a target of 1 → 0; total 20.00
        s = self.sheet(office, self.sgd)
        self.assertEqual(s["total_x100"], 2000)
        self.assertTrue(s["complete"])
        self.assertEqual(self.server.sql(
            "SELECT count(*) FROM audit_log WHERE action = 'close_late'")[0][0],
            str(self.members - 2))
        self.assertEqual(self.server.sql(
            f"SELECT count(*) FROM audit_log WHERE action = 'stage' AND entity = 'criteria' "
            f"AND entity_id = {self.table}")[0][0], "1")
        # the unit's own answers are closed now: review 1 is the head unit's
        r = self.answer(gd, self.sgd, "I.1", "25")
        self.assertEqual(r.status, 403, r.body[:300])
        self.assertIn("Trưởng khối, Phó khối", r.text)

        # --- review 1: the head unit reviews the others, never itself --------------
        before = self.changes()
        r = self.answer(stc, self.stc, "I.1", "30", reason="Tự sửa")
        self.assertEqual(r.status, 403, r.body[:300])
        self.assertIn("Phó khối", r.text)                   # the deputy reviews it
        r = self.answer(snv, self.snv, "I.1", "30", reason="Tự sửa")
        self.assertEqual(r.status, 403, r.body[:300])
        self.assertIn("Trưởng khối", r.text)
        # the office does not act in the head unit's review
        self.assertEqual(self.answer(office, self.sgd, "I.1", "10", reason="x").status, 403)
        # a change without a reason: 422 on the field, nothing written
        r = self.answer(stc, self.snv, "I.1", "30")
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("reason", fields(r))
        r = self.answer(stc, self.snv, "I.1", "30", reason="   ")
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertEqual(self.changes(), before)
        # the contract of the score grid: JSON in, the updated sheet out (200)
        r = self.answer(stc, self.snv, "I.1", "30", reason="Thiếu minh chứng hội nghị")
        self.assertEqual(r.status, 200, r.body[:300])
        s = r.json()["sheet"]
        i1 = next(n for n in s["nodes"] if n["code"] == "I.1")
        self.assertEqual((i1["points"], i1["self_value"], i1["review1_value"]), ("30", "35", "30"))
        row = self.server.sql(
            "SELECT stage, old_value_x100, new_value_x100, reason, user_id FROM score_changes "
            f"WHERE node_id = {self.n['I.1']} AND sheet_id = (SELECT id FROM score_sheets WHERE "
            f"unit_id = {self.snv})")
        self.assertEqual(row, [("review1", "3500", "3000", "Thiếu minh chứng hội nghị",
                                str(self.head_user))])
        audit = self.server.sql("SELECT before_json, after_json FROM audit_log WHERE action = "
                                "'review' ORDER BY seq DESC LIMIT 1")[0]
        self.assertIn("Thiếu minh chứng hội nghị", audit[1])
        self.assertNotIn("Thiếu minh chứng hội nghị", audit[0])
        # the page: the reviewer's forms; a form post without a reason comes back
        # on the sheet (422) with the message
        page = stc.get(f"/criteria/{self.table}/units/{self.snv}")
        self.assertEqual(page.status, 200)
        self.assertIn("Sửa điểm", page.text)
        self.assertIn("Thiếu minh chứng hội nghị", page.text)
        r = stc.post_form(f"/criteria/{self.table}/units/{self.snv}/answers",
                          {"node_id": str(self.n["I.2"]), "value": "0", "reason": "",
                           "version": str(self.sheet_version(self.snv))})
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("Hãy ghi lý do", r.text)
        self.assertEqual(self.changes(), before + 1)
        # the deputy reviews the head's sheet
        self.ok(self.answer(snv, self.stc, "I.2", "1", reason="Có quyết định công nhận"))
        # lost updates: the head and the deputy both open SYT's sheet (a third
        # unit, zeros since it never submitted) at the same version; the head
        # saves first, the deputy's stale write gets 409 and nothing is written
        syt = unit_id(self.server, "SYT")
        v = self.sheet(stc, syt)["version"]
        self.assertEqual(v, self.sheet_version(syt))     # the page gives what is checked
        self.ok(self.answer(stc, syt, "I.2", "1", reason="Có bằng khen", version=v))
        n = self.changes()
        r = self.answer(snv, syt, "I.1", "15", reason="Có báo cáo", version=v)
        self.assertEqual(r.status, 409, r.body[:300])
        self.assertIn("vừa được người khác sửa", r.text)
        self.assertEqual(self.changes(), n)
        self.assertEqual(self.server.sql(
            f"SELECT value_x100 FROM score_answers WHERE node_id = {self.n['I.1']} AND sheet_id "
            f"= (SELECT id FROM score_sheets WHERE table_id = {self.table} AND unit_id = {syt})"),
            [("0",)])
        # the version is required in the review stages: 422 naming it
        r = self.answer(snv, syt, "I.1", "15", reason="Có báo cáo", version=None)
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("version", fields(r))
        self.assertEqual(self.changes(), n)
        # the page's review form carries the version; with the fresh one it is saved
        page = snv.get(f"/criteria/{self.table}/units/{syt}").text
        self.assertIn(f'name="version" value="{v + 1}"', page)
        self.ok(self.answer(snv, syt, "I.1", "15", reason="Có báo cáo", version=v + 1))
        self.assertEqual(self.changes(), n + 1)

        # --- bonuses, deductions, veto (review 1, the head unit) -------------------
        adj = self.url(self.snv, "/adjustments")
        n_adj = int(self.server.sql("SELECT count(*) FROM score_adjustments")[0][0])
        for body, field in (({"kind": "deduction", "points": "2", "reason": "Vi phạm"}, "agency"),
                            ({"kind": "bonus", "points": "10"}, "reason"),
                            ({"kind": "bonus", "points": "0", "reason": "x"}, "points"),
                            ({"kind": "veto", "points": "3", "reason": "x"}, "points")):
            r = stc.post_json(adj, body)
            self.assertEqual(r.status, 422, (body, r.body[:300]))
            self.assertIn(field, fields(r))
        self.assertEqual(self.server.sql("SELECT count(*) FROM score_adjustments")[0][0],
                         str(n_adj))
        self.assertEqual(office.post_json(adj, {"kind": "bonus", "points": "1",
                                                "reason": "x"}).status, 403)
        self.ok(stc.post_json(adj, {"kind": "bonus", "points": "10",
                                    "reason": "Cờ thi đua của UBND tỉnh"}))
        r = self.ok(stc.post_json(adj, {"kind": "deduction", "points": "2",
                                        "reason": "Vi phạm trật tự an toàn giao thông",
                                        "agency": "Công an tỉnh"}))
        # SNV: I.1 30 + I.2 20 + II.1 (120 of 100, the leader: max 40) = 90.00;
        # + 10 − 2 = 98.00 (score_final)
        s = self.sheet(office, self.snv)
        self.assertEqual((s["total_x100"], s["final_x100"], s["vetoed"]), (9000, 9800, False))
        # a cap of 5.00 on bonuses: 90 + 5 − 2 = 93.00
        self.server.sql(f"UPDATE criteria_tables SET bonus_cap_x100 = 500 WHERE id = {self.table}")
        self.assertEqual(self.sheet(office, self.snv)["final_x100"], 9300)
        ded = next(a for a in s["adjustments"] if a["kind"] == "deduction")
        self.assertEqual(ded["agency"], "Công an tỉnh")
        # withdrawing needs a reason; then 90 + 5 = 95.00
        w = self.url(self.snv, f"/adjustments/{ded['id']}/withdraw")
        self.assertEqual(stc.post_json(w, {}).status, 422)
        self.ok(stc.post_json(w, {"reason": "Công an tỉnh đính chính"}))
        self.assertEqual(stc.post_json(w, {"reason": "lần nữa"}).status, 409)
        self.assertEqual(self.sheet(office, self.snv)["final_x100"], 9500)
        # a veto keeps the points and marks the unit
        self.ok(stc.post_json(self.url(self.sgd, "/adjustments"),
                              {"kind": "veto", "reason": "Có cán bộ lãnh đạo bị kỷ luật"}))
        s = self.sheet(office, self.sgd)
        self.assertEqual((s["final_x100"], s["vetoed"]), (2000, True))
        page = office.get(f"/criteria/{self.table}/units/{self.sgd}")
        self.assertEqual(page.status, 200)
        self.assertIn("Vi phạm một phiếu phủ quyết: không xếp thứ nhất", page.text)

        # --- explain: the unit writes, nobody changes scores ------------------------
        self.assertEqual(self.advance(office, "review2", self.version()).status, 422)
        self.ok(self.advance(stc, "explain", self.version()))
        ex = self.url(self.snv, "/explanation")
        self.assertEqual(stc.post_json(ex, {"node_id": self.n["I.1"], "text": "x"}).status, 403)
        self.assertEqual(office.post_json(ex, {"text": "x"}).status, 403)
        self.assertEqual(snv.post_json(ex, {"node_id": self.n["I.1"]}).status, 422)
        self.ok(snv.post_json(ex, {"node_id": self.n["I.1"],
                                   "text": "Biên bản hội nghị gửi kèm minh chứng"}))
        self.ok(snv.post_json(ex, {"text": "Đơn vị đề nghị xem xét lại tiêu chí I.1"}))
        page = snv.get(f"/criteria/{self.table}/units/{self.snv}")
        self.assertEqual(page.status, 200)
        self.assertIn("Lưu giải trình", page.text)
        self.assertNotIn("Sửa điểm", page.text)
        self.assertEqual(self.answer(stc, self.snv, "I.1", "35", reason="x").status, 409)
        self.assertEqual(self.answer(office, self.snv, "I.1", "35", reason="x").status, 409)

        # --- review 2: the office alone --------------------------------------------
        self.assertEqual(self.advance(snv, "review2", self.version()).status, 403)
        self.ok(self.advance(office, "review2", self.version()))
        self.assertEqual(snv.post_json(ex, {"text": "muộn"}).status, 409)
        self.assertEqual(self.answer(stc, self.snv, "I.1", "35", reason="x").status, 403)
        before = self.changes()
        r = self.answer(office, self.snv, "I.1", "32")              # no reason
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("reason", fields(r))
        self.assertEqual(self.changes(), before)
        r = self.answer(office, self.snv, "I.1", "32", reason="Chấp nhận một phần giải trình")
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(self.server.sql(
            "SELECT stage, old_value_x100, new_value_x100 FROM score_changes ORDER BY id DESC "
            "LIMIT 1"), [("review2", "3000", "3200")])
        # a deduction with its evidence file (multipart), downloaded from the sheet
        pdf = b"%PDF-1.4\n% cong van cua So Y te\n"
        r = admin.post_multipart(adj,
                                 fields=[("kind", "deduction"), ("points", "1,5"),
                                         ("reason", "Chậm báo cáo"), ("agency", "Sở Y tế")],
                                 files=[("file", "Công văn.pdf", pdf, "application/pdf")])
        self.assertEqual(r.status, 201, r.body[:300])
        f = next(a for a in r.json()["sheet"]["adjustments"] if a["agency"] == "Sở Y tế")["file"]
        d = council.get(f["href"])
        self.assertEqual((d.status, d.body), (200, pdf))
        # 32 + 20 + 40 = 92.00; + min(10, 5) − 1.50 = 95.50
        s = self.sheet(office, self.snv)
        self.assertEqual((s["total_x100"], s["final_x100"]), (9200, 9550))
        page = office.get(f"/criteria/{self.table}/units/{self.snv}").text
        for text in ("Thiếu minh chứng hội nghị", "Chấp nhận một phần giải trình",
                     "Biên bản hội nghị gửi kèm minh chứng", "Đơn vị đề nghị xem xét lại",
                     "Công an tỉnh", "Đã rút", "95,5", "Thẩm định lần 2"):
            self.assertIn(text, page)
        # the browser's form with its file input left empty sends an empty part
        # (no name, no bytes): the evidence is optional, so that is no file
        r = admin.post_multipart(adj, fields=[("kind", "veto"), ("reason", "Vi phạm kỷ luật")],
                                 files=[("file", "", b"", "application/octet-stream")])
        self.assertEqual(r.status, 201, r.body[:300])
        veto = next(a for a in r.json()["sheet"]["adjustments"] if a["kind"] == "veto")
        self.assertFalse(veto.get("file"))

        # --- locked: nothing changes -----------------------------------------------
        self.ok(self.advance(office, "locked", self.version()))
        adj_id = s["adjustments"][0]["id"]
        for r in (self.answer(office, self.snv, "I.1", "10", reason="x"),
                  office.post_json(adj, {"kind": "bonus", "points": "1", "reason": "x"}),
                  office.post_json(self.url(self.snv, f"/adjustments/{adj_id}/withdraw"),
                                   {"reason": "x"}),
                  snv.post_json(ex, {"text": "x"}),
                  self.advance(office, "locked", self.version())):
            self.assertEqual(r.status, 409, r.body[:300])
            self.assertIn("khóa", r.text)
        # the stage page lists every member's points and final score: STC
        # I.1 40 + I.2 20 (review 1) + II.1 80 of 100, below: 40/2 × 80/100 = 16 → 76
        page = office.api(f"/criteria/{self.table}/stage")
        by_unit = {m["unit_id"]: m for m in page["members"]}
        self.assertEqual((by_unit[self.stc]["final"], by_unit[self.snv]["final"]), ("76", "95,5"))
        self.assertTrue(by_unit[self.sgd]["vetoed"])
        self.assertEqual(by_unit[self.sgd]["status_name"], "Không nộp đúng hạn")
        page = office.get(f"/criteria/{self.table}/stage")
        self.assertEqual(page.status, 200)
        self.assertIn("Đã khóa kết quả", page.text)


class Evidence(ServerTest):
    """Evidence files on the MTTQ bloc's table (login mttq: the head unit)."""
    env = {"TDKT_TODAY": "2026-06-20"}

    PDF = b"%PDF-1.4\n% minh chung\n"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.table, cls.n = make_table(cls.server, "KHOI-MTTQ")
        cls.mttq = unit_id(cls.server, "MTTQ")

    def url(self, tail=""):
        return f"/criteria/{self.table}/units/{self.mttq}{tail}"

    def upload(self, c, name, data, ctype="application/pdf", node="I.1"):
        return c.post_multipart("/api" + self.url("/evidence"),
                                fields=[("node_id", str(self.n[node]))],
                                files=[("file", name, data, ctype)])

    def count(self):
        return int(self.server.sql("SELECT count(*) FROM score_evidence")[0][0])

    def test_evidence(self):
        mttq = Client(self.server, login="mttq")
        snv = Client(self.server, login="sonoivu")
        office = Client(self.server, login="vanphong")
        try:
            # refused: too big (5 MB + 1 byte), not an accepted type, a renamed
            # program, no file — 422 naming the field, nothing stored
            files = int(self.server.sql("SELECT count(*) FROM files")[0][0])
            big = self.PDF + b"0" * (5 * 1024 * 1024 + 1 - len(self.PDF))
            for name, data in (("lon.pdf", big), ("chay.exe", b"MZ\x90\x00"),
                               ("gia.pdf", b"MZ\x90\x00 not a pdf")):
                r = self.upload(mttq, name, data)
                self.assertEqual(r.status, 422, (name, r.body[:300]))
                self.assertIn("file", fields(r))
            r = mttq.post_json("/api" + self.url("/evidence"), {"node_id": self.n["I.1"]})
            self.assertEqual(r.status, 422, r.body[:300])
            self.assertEqual(self.count(), 0)
            self.assertEqual(int(self.server.sql("SELECT count(*) FROM files")[0][0]), files)
            # another unit's officer and the office do not upload for MTTQ
            self.assertEqual(self.upload(snv, "a.pdf", self.PDF).status, 403)
            self.assertEqual(self.upload(office, "a.pdf", self.PDF).status, 403)
            # a group is not a criterion
            self.assertEqual(self.upload(mttq, "a.pdf", self.PDF, node="I").status, 422)
            # uploaded, listed on the criterion, downloaded by the sheet's readers
            r = self.upload(mttq, "Biên bản hội nghị.pdf", self.PDF)
            self.assertEqual(r.status, 201, r.body[:300])
            ev = next(n for n in r.json()["sheet"]["nodes"] if n["code"] == "I.1")["evidence"]
            self.assertEqual([e["name"] for e in ev], ["Biên bản hội nghị.pdf"])
            png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
            self.assertEqual(self.upload(mttq, "anh.PNG", png, "image/png").status, 201)
            for c in (mttq, office):
                d = c.get(ev[0]["href"])
                self.assertEqual(d.status, 200)
                self.assertEqual(d.body, self.PDF)
                self.assertEqual(d.headers["content-type"].split(";")[0], "application/pdf")
            self.assertEqual(snv.get(ev[0]["href"]).status, 403)   # not a reader of MTTQ's sheet
            self.assertEqual(mttq.get(self.url("/evidence/999999")).status, 404)
            # removed while the sheet is a draft: gone from the sheet and the download
            self.assertEqual(snv.post_form(ev[0]["remove_href"], {}).status, 403)
            r = mttq.post_form(ev[0]["remove_href"], {})
            self.assertEqual(r.status, 303, r.body[:300])
            self.assertEqual(mttq.get(ev[0]["href"]).status, 404)
            self.assertEqual(self.server.sql(
                f"SELECT count(*) FROM score_evidence WHERE removed_at IS NOT NULL")[0][0], "1")
            self.assertEqual(self.server.sql(
                "SELECT count(*) FROM audit_log WHERE action IN ('evidence_add', "
                "'evidence_remove')")[0][0], "3")
            # the page lists the file and offers the upload form
            page = mttq.get(self.url())
            self.assertEqual(page.status, 200)
            self.assertIn("anh.PNG", page.text)
            self.assertIn('enctype="multipart/form-data"', page.text)
            # at most 20 files a criterion (II.1 here): the 21st is refused
            for k in range(20):
                self.assertEqual(self.upload(mttq, f"mc{k}.pdf", self.PDF, node="II.1").status,
                                 201)
            r = self.upload(mttq, "mc20.pdf", self.PDF, node="II.1")
            self.assertEqual(r.status, 422, r.body[:300])
            self.assertIn("tối đa 20 tệp", r.text)
            # submitted: no more uploads or removals in the self stage
            for code, v, t in (("I.1", "10", None), ("I.2", "1", None), ("II.1", "5", "5")):
                body = {"node_id": self.n[code], "value": v}
                if t:
                    body["target"] = t
                r = mttq.post_json("/api" + self.url("/answers"), body)
                self.assertIn(r.status, (200, 201), r.body[:300])
            self.assertEqual(mttq.post_json("/api" + self.url("/submit"), {}).status, 200)
            self.assertEqual(self.upload(mttq, "b.pdf", self.PDF).status, 409)
            left = next(n for n in mttq.api(self.url())["sheet"]["nodes"]
                        if n["code"] == "I.1")["evidence"]
            self.assertEqual(mttq.post_form(left[0]["remove_href"], {}).status, 409)
        finally:
            for c in (mttq, snv, office):
                c.close()


class LeadersAndDeadlines(ServerTest):
    """From a security review: the head or deputy unit may not move the
    deadline of a running stage (an earlier self deadline would close the
    other units' sheets with zeros); and review 1 of a year runs into the
    next, when the head and deputy still read and review."""
    env = {"TDKT_TODAY": "2026-06-20"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.table, cls.n = make_table(cls.server, "KHOI-SO")
        cls.sgd = unit_id(cls.server, "SGDDT")
        add_user(cls.server, "truongkhoi", "STC")
        add_user(cls.server, "canbo_gd", "SGDDT")

    def version(self):
        return int(self.server.sql(f"SELECT version FROM criteria_tables WHERE id = {self.table}")
                   [0][0])

    def test_deadlines_then_review_in_january(self):
        deputy = Client(self.server, login="sonoivu")
        office = Client(self.server, login="vanphong")
        gd = Client(self.server, login="canbo_gd", password=PASSWORD)
        for c in (deputy, office, gd):
            self.addCleanup(c.close)
        dues = f"/api/criteria/{self.table}/deadlines"
        # the deputy may not set the self deadline of the running stage…
        r = deputy.post_json(dues, {"self_due": "2026-01-02", "version": self.version()})
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("self_due", fields(r))
        self.assertEqual(self.server.sql(
            f"SELECT coalesce(self_due, 'none') FROM criteria_tables WHERE id = {self.table}"),
            [("none",)])
        # …but a later stage's, and the office any
        r = deputy.post_json(dues, {"review2_due": "2027-01-20", "version": self.version()})
        self.assertIn(r.status, (200, 303), r.body[:300])
        r = office.post_json(dues, {"self_due": "2026-06-10", "version": self.version()})
        self.assertIn(r.status, (200, 303), r.body[:300])
        # SGDDT answers I.1 only; the deadline has passed: the office opens review 1
        r = gd.post_json(f"/api/criteria/{self.table}/units/{self.sgd}/answers",
                         {"node_id": self.n["I.1"], "value": "30"})
        self.assertIn(r.status, (200, 303), r.body[:300])
        r = office.post_json(f"/api/criteria/{self.table}/stage",
                             {"to": "review1", "version": self.version()})
        self.assertIn(r.status, (200, 303), r.body[:300])
        # 10 January 2027: STC, head of 2026, still reads and reviews SGDDT's sheet
        jan = Server(env={"TDKT_TODAY": "2027-01-10"}, db=self.server.db)
        try:
            head = Client(jan, login="truongkhoi", password=PASSWORD)
            try:
                url = f"/api/criteria/{self.table}/units/{self.sgd}"
                got = head.get(url)
                self.assertEqual(got.status, 200)
                r = head.post_json(url + "/answers", {"node_id": self.n["I.1"], "value": "25",
                                                      "reason": "Thiếu minh chứng",
                                                      "version": got.json()["sheet"]["version"]})
                self.assertEqual(r.status, 200, r.body[:300])
            finally:
                head.close()
        finally:
            jan.stop()
        self.assertEqual(self.server.sql(
            "SELECT old_value_x100, new_value_x100, reason FROM score_changes WHERE stage = "
            "'review1' AND reason = 'Thiếu minh chứng'"), [("3000", "2500", "Thiếu minh chứng")])


if __name__ == "__main__":
    unittest.main()
