"""The ranking of a criteria table (issue 6; docs/scoring.md "Results and
ranking"): a hand-computed ranking of four units with a tie decided by a
named criterion group, a vetoed leader placed last and not may_lead, bands,
bonuses and deductions (a withdrawn one not counted), an incomplete sheet
listed but not ranked; the SVG chart, the XLSX and the DOCX annex; who may
read it — on both drivers. Answers, adjustments and the tie-break settings
are seeded with SQL (their pages belong to other modules)."""

import io
import re
import unittest
import xml.etree.ElementTree as ET
import zipfile

from harness import Client, ServerTest, lit

PASSWORD = "tdkt-demo-2026"
NS = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def sheet_rows(data):
    """The cell texts of the first worksheet of an XLSX, row by row."""
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        root = ET.fromstring(z.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter("{%s}t" % NS["s"]))
                  for si in root.findall("s:si", NS)]
    root = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in root.iter("{%s}row" % NS["s"]):
        cells = []
        for c in row.findall("s:c", NS):
            v = c.find("s:v", NS)
            if c.get("t") == "s":
                cells.append(shared[int(v.text)])
            elif c.get("t") == "inlineStr":
                cells.append("".join(t.text or "" for t in c.iter("{%s}t" % NS["s"])))
            else:
                cells.append(v.text if v is not None else "")
        rows.append(cells)
    return rows


def seed(cls):
    """The small group of the tests (also test_whatif.py): a table, four
    complete sheets, one incomplete, adjustments, tie-breaks and bands."""
    admin = Client(cls.server)
    groups = {g["code"]: g["id"] for g in admin.api("/groups")["items"]}
    office = Client(cls.server, login="vanphong")
    cls.gid = gid = groups["KHOI-SO"]
    r = office.post_json(f"/api/groups/{gid}/2026/criteria", {})
    assert r.status == 201, r.body[:300]
    cls.table = t = r.json()["table"]["id"]

    def add(code, kind, max_, parent=None):
        body = {"code": code, "name": "Tiêu chí " + code, "kind": kind, "max": max_}
        if parent:
            body["parent_id"] = parent
        r = office.post_json(f"/api/criteria/{t}/nodes", body)
        assert r.status == 201, r.body[:300]
        return next(n["id"] for n in r.json()["table"]["nodes"] if n["code"] == code)

    # I (60: I.1 direct 40, I.2 pass/fail 20), II (40: II.1 direct 40)
    cls.g1 = add("I", "group", "60")
    cls.i1 = add("I.1", "direct", "40", cls.g1)
    cls.i2 = add("I.2", "passfail", "20", cls.g1)
    cls.g2 = add("II", "group", "40")
    cls.ii1 = add("II.1", "direct", "40", cls.g2)
    r = office.post_json(f"/api/criteria/{t}/lock", {})
    assert r.status in (200, 303), r.body[:300]
    sheets = office.api(f"/groups/{gid}/2026/criteria")["sheets"]
    members = office.api(f"/groups/{gid}/2026")
    roles = {m["unit_id"]: m.get("role", "") for m in members.get("members", [])}
    snv = int(cls.server.sql("SELECT id FROM units WHERE code = 'SNV'")[0][0])
    others = [s["unit_id"] for s in sheets if s["unit_id"] != snv]
    assert len(others) >= 5, sheets
    # A, B, C, D ranked; E incomplete; a plain member (no head, no
    # deputy) for the access rules
    cls.A, cls.B, cls.C, cls.D, cls.E = others[:5]
    cls.names = {s["unit_id"]: s["name"] for s in sheets}
    cls.plain = next(u for u in others if not roles.get(u))
    r = admin.post_json("/api/users", {"login": "canbo_xh", "display_name": "Cán bộ XH",
                                       "role": "unit", "unit_id": cls.plain,
                                       "password": PASSWORD})
    assert r.status == 201, r.body[:300]
    sql = cls.server.sql
    # tie-breaks: the points of group II first, then at_max, deductions;
    # bands xuất sắc ≥ 90, tốt ≥ 80, khá ≥ 70, else trung bình
    sql(f"UPDATE criteria_tables SET tie_breaks = 'group:{cls.g2},at_max,deductions' "
        f"WHERE id = {t}")
    for pos, name, mn in ((1, "Xuất sắc", 9000), (2, "Tốt", 8000), (3, "Khá", 7000),
                          (4, "Trung bình", 0)):
        sql(f"INSERT INTO criteria_bands (table_id, position, name, min_x100) VALUES "
            f"({t}, {pos}, {lit(name)}, {mn})")
    now = "2026-06-01T08:00:00Z"

    def sheet(unit, answers, submitted=True):
        sql(f"INSERT INTO score_sheets (table_id, unit_id, status, submitted_at, created_at, "
            f"updated_at) VALUES ({t}, {unit}, {lit('submitted' if submitted else 'draft')}, "
            f"{lit(now if submitted else None)}, {lit(now)}, {lit(now)})")
        sid = int(sql(f"SELECT id FROM score_sheets WHERE table_id = {t} AND unit_id = "
                      f"{unit}")[0][0])
        for node, value in answers.items():
            sql(f"INSERT INTO score_answers (sheet_id, node_id, value_x100, updated_at) "
                f"VALUES ({sid}, {node}, {value}, {lit(now)})")
        return sid

    def adjust(sid, kind, pts, withdrawn=False):
        sql(f"INSERT INTO score_adjustments (sheet_id, kind, points_x100, reason, agency, "
            f"created_at, withdrawn_at) VALUES ({sid}, {lit(kind)}, {pts}, 'Lý do', "
            f"'Công an tỉnh', {lit(now)}, {lit(now if withdrawn else None)})")

    # A: 40 + 20 + 35 = 95.00, vetoed; B: 30 + 20 + 30 = 80.00;
    # C: 20 + 20 + 40 = 80.00 (a withdrawn deduction of 50 does not count);
    # D: 40 + 0 + 35 = 75.00 + 5.00 bonus − 2.00 deduction = 78.00;
    # E: I.1 only, so incomplete
    sa = sheet(cls.A, {cls.i1: 4000, cls.i2: 1, cls.ii1: 3500})
    adjust(sa, "veto", 0)
    sheet(cls.B, {cls.i1: 3000, cls.i2: 1, cls.ii1: 3000})
    sc = sheet(cls.C, {cls.i1: 2000, cls.i2: 1, cls.ii1: 4000})
    adjust(sc, "deduction", 5000, withdrawn=True)
    sd = sheet(cls.D, {cls.i1: 4000, cls.i2: 0, cls.ii1: 3500})
    adjust(sd, "bonus", 500)
    adjust(sd, "deduction", 200)
    sheet(cls.E, {cls.i1: 1000}, submitted=False)
    admin.close()
    office.close()


class Ranking(ServerTest):
    env = {"TDKT_TODAY": "2026-06-20"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        seed(cls)

    def client(self, login, password=PASSWORD):
        c = Client(self.server, login=login, password=password)
        self.addCleanup(c.close)
        return c

    def ranking(self, c=None):
        return (c or self.c).api(f"/criteria/{self.table}/ranking")

    def test_hand_computed_ranking(self):
        m = self.ranking()
        res = m["results"]
        units = res["units"]
        by = {u["unit_id"]: u for u in units}
        # order: C and B tie at 80.00; tie-break 1 (points of group II: 40
        # against 30) puts C first; D lower score; A vetoed goes after every
        # clean unit whatever its 95.00 (ranking.h rank_units)
        ranked = [u["unit_id"] for u in units if u["ranked"]]
        self.assertEqual(ranked, [self.C, self.B, self.D, self.A])
        self.assertEqual([by[u]["rank"] for u in ranked], [1, 2, 3, 4])
        self.assertEqual(by[self.C]["final"], "80")
        self.assertEqual(by[self.B]["final"], "80")
        self.assertEqual(by[self.D]["final"], "78")
        self.assertEqual(by[self.D]["bonus"], "5")
        self.assertEqual(by[self.D]["deductions"], "2")
        self.assertEqual(by[self.C]["deductions"], "0")  # the withdrawn one
        self.assertEqual(by[self.A]["final"], "95")
        # what decided each place
        self.assertIn("Đứng đầu", by[self.C]["decided"])
        self.assertIn("tiêu chí phụ 1", by[self.B]["decided"])
        self.assertIn("nhóm tiêu chí II", by[self.B]["decided"])
        self.assertIn("Điểm thấp hơn", by[self.D]["decided"])
        self.assertIn("phủ quyết", by[self.A]["decided"])
        # the veto: not may_lead, and out of the top band (95 ≥ 90 → Tốt)
        self.assertTrue(by[self.A]["veto"])
        self.assertFalse(by[self.A]["may_lead"])
        self.assertTrue(by[self.C]["may_lead"])
        self.assertEqual(by[self.A]["band"], "Tốt")
        self.assertEqual(by[self.C]["band"], "Tốt")
        self.assertEqual(by[self.D]["band"], "Khá")
        # E incomplete: listed after the ranked units, not ranked
        self.assertFalse(by[self.E]["ranked"])
        self.assertEqual(by[self.E]["rank"], 0)
        self.assertEqual(by[self.E]["status_text"], "Chưa đủ")
        self.assertGreater(units.index(by[self.E]), units.index(by[self.A]))
        # provisional while the stage is not locked; the tie-breaks in words
        self.assertTrue(res["provisional"])
        self.assertEqual(len(res["tie_breaks"]), 3)
        self.assertIn("nhóm tiêu chí II", res["tie_breaks"][0]["text"])
        self.assertEqual(res["table_max"], "100")

    def test_page_and_svg_chart(self):
        r = self.c.get(f"/criteria/{self.table}/ranking")
        self.assertEqual(r.status, 200, r.body[:300])
        html = r.text
        self.assertIn("Tạm tính", html)
        svg = re.search(r'<svg role="img".*?</svg>', html, re.S)
        self.assertIsNotNone(svg)
        svg = svg.group(0)
        self.assertIn("<title", svg)
        # one bar per ranked unit (four), none for the incomplete one
        self.assertEqual(svg.count("<rect"), 4)
        self.assertIn(self.names[self.C], svg)
        self.assertNotIn(self.names[self.E], svg)
        self.assertIn("80", svg)
        self.assertIn("Thứ tự xét khi bằng điểm", html)

    def test_xlsx(self):
        r = self.c.get(f"/criteria/{self.table}/ranking.xlsx")
        self.assertEqual(r.status, 200, r.body[:300])
        rows = sheet_rows(r.body)
        title = rows[0][0]
        self.assertIn("2026", title)
        self.assertIn("tạm tính", title)
        header = rows[1]
        self.assertEqual(header[:2], ["STT", "Đơn vị"])
        self.assertIn("II.1 Tiêu chí II.1 (40)", header)
        data = [row for row in rows[2:] if len(row) > 1]
        names = [row[1] for row in data]
        self.assertEqual(names[:4], [self.names[u] for u in (self.C, self.B, self.D, self.A)])
        # C: I 40 (I.1 20, I.2 20), II 40, total 80, bonus 0, deductions 0,
        # final 80, rank 1, band Tốt
        c = data[0]
        col = {h: i for i, h in enumerate(header)}
        self.assertEqual(float(c[col["I Tiêu chí I (60)"]]), 40)
        self.assertEqual(float(c[col["II.1 Tiêu chí II.1 (40)"]]), 40)
        self.assertEqual(float(c[col["Điểm cuối cùng"]]), 80)
        self.assertEqual(float(c[col["Xếp hạng"]]), 1)
        self.assertEqual(c[col["Xếp loại"]], "Tốt")
        d = data[2]
        self.assertEqual(float(d[col["Điểm thưởng"]]), 5)
        self.assertEqual(float(d[col["Điểm trừ"]]), 2)
        self.assertEqual(float(d[col["Điểm cuối cùng"]]), 78)
        a = data[3]
        self.assertIn("phủ quyết", a[col["Ghi chú"]])

    def test_docx_annex(self):
        r = self.c.get(f"/criteria/{self.table}/ranking.docx")
        self.assertEqual(r.status, 200, r.body[:300])
        doc = zipfile.ZipFile(io.BytesIO(r.body)).read("word/document.xml").decode()
        text = re.sub(r"<[^>]+>", "", doc)
        self.assertIn("PHỤ LỤC", text)
        self.assertIn("Kết quả chấm điểm, xếp hạng thi đua năm 2026", text)
        pos = [text.index(self.names[u]) for u in (self.C, self.B, self.D, self.A)]
        self.assertEqual(pos, sorted(pos))
        self.assertIn("nhóm tiêu chí II", text)
        self.assertIn("Nhiều tiêu chí đạt điểm tối đa hơn", text)
        self.assertIn("Tổng số điểm bị trừ ít hơn", text)
        r = self.c.get(f"/criteria/{self.table}/ranking.pdf")
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertTrue(r.body.startswith(b"%PDF"))

    def test_access(self):
        # the deputy unit (SNV) manages the year and reads it at every stage;
        # a plain member's officer is refused during self-scoring, reads it
        # from review 1 on
        snv = Client(self.server, login="sonoivu")
        self.addCleanup(snv.close)
        self.assertEqual(snv.get(f"/api/criteria/{self.table}/ranking").status, 200)
        plain = self.client("canbo_xh")
        r = plain.get(f"/api/criteria/{self.table}/ranking")
        self.assertError(r, 403, "tự chấm")
        self.assertEqual(plain.get(f"/criteria/{self.table}/ranking.xlsx").status, 403)
        self.server.sql(f"UPDATE criteria_tables SET stage = 'review1' WHERE id = {self.table}")
        try:
            self.assertEqual(plain.get(f"/api/criteria/{self.table}/ranking").status, 200)
            # what-ifs are for the managers and the office only
            self.assertEqual(plain.post_json(f"/api/criteria/{self.table}/whatifs",
                                             {"name": "x"}).status, 403)
        finally:
            self.server.sql(f"UPDATE criteria_tables SET stage = 'self' WHERE id = {self.table}")
        council = Client(self.server, login="hoidong")
        self.addCleanup(council.close)
        r = council.get(f"/api/criteria/{self.table}/ranking")
        self.assertEqual(r.status, 200)
        self.assertFalse(r.json()["can_whatif"])  # reads, does not try what-ifs
        self.assertTrue(self.ranking(snv)["can_whatif"])
        self.assertEqual(self.c.get("/api/criteria/999999/ranking").status, 404)

    def test_locked_stage_is_final(self):
        self.server.sql(f"UPDATE criteria_tables SET stage = 'locked' WHERE id = {self.table}")
        try:
            res = self.ranking()["results"]
            self.assertFalse(res["provisional"])
            r = self.c.get(f"/criteria/{self.table}/ranking")
            self.assertNotIn("Tạm tính", r.text)
            # no what-if once locked
            r = self.c.post_json(f"/api/criteria/{self.table}/whatifs", {"name": "Muộn"})
            self.assertEqual(r.status, 409, r.body[:300])
        finally:
            self.server.sql(f"UPDATE criteria_tables SET stage = 'self' WHERE id = {self.table}")

    def test_cross_mode(self):
        # every member scores the others (cross_marks); the score is the mean
        # of the marks received: A (90 + 80) / 2 = 85, B (70 + 80) / 2 = 75,
        # C (60 + 70) / 2 = 65; D received none: not ranked. Bonuses and
        # deductions still apply (none for A, B, C). With normalisation and
        # the default minimum sample 3, every scorer gave only 2 marks, so the
        # guard keeps the raw marks: adjusted = raw (ranking.h cross_score).
        sql, t = self.server.sql, self.table
        marks = ((self.B, self.A, 9000), (self.C, self.A, 8000), (self.A, self.B, 7000),
                 (self.C, self.B, 8000), (self.A, self.C, 6000), (self.B, self.C, 7000))
        sql(f"UPDATE criteria_tables SET mode = 'cross', normalise = 1 WHERE id = {t}")
        for scorer, scored, pts in marks:
            sql(f"INSERT INTO cross_marks (table_id, scorer_unit, scored_unit, points_x100, "
                f"updated_at) VALUES ({t}, {scorer}, {scored}, {pts}, '2026-06-02T08:00:00Z')")
        try:
            res = self.ranking()["results"]
            self.assertTrue(res["cross"])
            by = {u["unit_id"]: u for u in res["units"]}
            ranked = [u["unit_id"] for u in res["units"] if u["ranked"]]
            self.assertEqual(ranked, [self.B, self.C, self.A])  # A vetoed: last
            self.assertEqual((by[self.A]["raw"], by[self.A]["adjusted"]), ("85", "85"))
            self.assertEqual((by[self.B]["raw"], by[self.B]["final"]), ("75", "75"))
            self.assertEqual(by[self.C]["final"], "65")
            self.assertFalse(by[self.D]["ranked"])
            self.assertEqual(by[self.D]["marks"], 0)
            page = self.c.get(f"/criteria/{t}/ranking").text
            self.assertIn("Đã chuẩn hóa", page)
        finally:
            sql(f"DELETE FROM cross_marks WHERE table_id = {t}")
            sql(f"UPDATE criteria_tables SET mode = 'self', normalise = 0 WHERE id = {t}")

    def test_cross_mode_normalised(self):
        # a severe scorer (B: C 50, D 40) and two lenient ones (C: D 100, B
        # 90; D: C 100, B 90), two marks each, minimum sample 2. Raw means: B
        # (90 + 90)/2 = 90, C (50 + 100)/2 = 75, D (40 + 100)/2 = 70 (+5 −2 =
        # 73) → B, C, D. Normalised (ranking.h cross_score): every scorer's
        # two marks become z = ±1; all six marks have mean 78.333 and
        # population sd √580.556 = 24.095, so z = +1 → 102.428, −1 → 54.239.
        # C got +1 twice → 102.43, B −1 twice → 54.24, D one of each →
        # 78.33 (+3 → 81.33): ranked by the adjusted means, C, D, B.
        # A gave and received no mark: not ranked.
        sql, t = self.server.sql, self.table
        marks = ((self.B, self.C, 5000), (self.B, self.D, 4000), (self.C, self.D, 10000),
                 (self.C, self.B, 9000), (self.D, self.C, 10000), (self.D, self.B, 9000))
        sql(f"UPDATE criteria_tables SET mode = 'cross', normalise = 0, min_sample = 2 "
            f"WHERE id = {t}")
        for scorer, scored, pts in marks:
            sql(f"INSERT INTO cross_marks (table_id, scorer_unit, scored_unit, points_x100, "
                f"updated_at) VALUES ({t}, {scorer}, {scored}, {pts}, '2026-06-02T08:00:00Z')")
        try:
            res = self.ranking()["results"]
            ranked = [u["unit_id"] for u in res["units"] if u["ranked"]]
            self.assertEqual(ranked, [self.B, self.C, self.D])
            by = {u["unit_id"]: u for u in res["units"]}
            self.assertEqual([by[u]["final"] for u in ranked], ["90", "75", "73"])
            sql(f"UPDATE criteria_tables SET normalise = 1 WHERE id = {t}")
            res = self.ranking()["results"]
            ranked = [u["unit_id"] for u in res["units"] if u["ranked"]]
            self.assertEqual(ranked, [self.C, self.D, self.B])
            by = {u["unit_id"]: u for u in res["units"]}
            self.assertEqual([by[u]["adjusted"] for u in ranked], ["102,43", "78,33", "54,24"])
            self.assertEqual([by[u]["raw"] for u in ranked], ["75", "70", "90"])
            self.assertEqual(by[self.D]["final"], "81,33")
            self.assertFalse(by[self.A]["ranked"])
        finally:
            sql(f"DELETE FROM cross_marks WHERE table_id = {t}")
            sql(f"UPDATE criteria_tables SET mode = 'self', normalise = 0, min_sample = 3 "
                f"WHERE id = {t}")

    def test_memo_follows_every_write(self):
        # the page's results are remembered per worker while the database is
        # unchanged (score_results_get); a write by another connection (SQL
        # here) or through the server itself must show at once
        t, sql = self.table, self.server.sql
        for _ in range(4):  # every worker thread has the results in its memo
            self.ranking()
        sql("UPDATE score_adjustments SET withdrawn_at = '2026-06-03T08:00:00Z' WHERE kind = "
            "'bonus'")
        try:
            by = {u["unit_id"]: u for u in self.ranking()["results"]["units"]}
            self.assertEqual(by[self.D]["final"], "73")  # 75 − 2, the bonus withdrawn
        finally:
            sql("UPDATE score_adjustments SET withdrawn_at = NULL WHERE kind = 'bonus'")
        self.assertEqual({u["unit_id"]: u for u in self.ranking()["results"]["units"]}
                         [self.D]["final"], "78")
        # E's officer completes its sheet through the server: I.2 failed, II.1
        # 5 → 10 + 0 + 5 = 15.00, ranked 4th, the vetoed A 5th
        admin = Client(self.server)
        self.addCleanup(admin.close)
        r = admin.post_json("/api/users", {"login": "canbo_e", "display_name": "Cán bộ E",
                                           "role": "unit", "unit_id": self.E,
                                           "password": PASSWORD})
        self.assertEqual(r.status, 201, r.body[:300])
        e = self.client("canbo_e")
        try:
            for node, value in ((self.i2, "0"), (self.ii1, "5")):
                r = e.post_json(f"/api/criteria/{t}/units/{self.E}/answers",
                                {"node_id": node, "value": value})
                self.assertIn(r.status, (200, 303), r.body[:300])
            for _ in range(4):
                by = {u["unit_id"]: u for u in self.ranking()["results"]["units"]}
                self.assertEqual((by[self.E]["rank"], by[self.E]["final"]), (4, "15"))
                self.assertEqual(by[self.A]["rank"], 5)
        finally:
            sql(f"DELETE FROM score_answers WHERE node_id IN ({self.i2}, {self.ii1}) AND "
                f"sheet_id = (SELECT id FROM score_sheets WHERE table_id = {t} AND unit_id = "
                f"{self.E})")
        self.assertFalse({u["unit_id"]: u for u in self.ranking()["results"]["units"]}
                         [self.E]["ranked"])


if __name__ == "__main__":
    unittest.main()
