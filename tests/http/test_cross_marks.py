"""Cross-scoring entry (issue 6; docs/scoring.md "Cross-scoring entry"):
each member unit marks every other member of the year (0..the table's
total) while the table is in the 'self' stage and in cross mode; a self-mark,
a non-member, points out of range are refused naming the field (422), a
table past 'self' or not in cross mode answers 409; the managers see how
many marks each scorer gave, never the marks. The mode and the stage are set
with SQL: the settings pages belong to another part of the issue."""

import unittest

from harness import Client, ServerTest

PASSWORD = "tdkt-demo-2026"
JSON = {"Accept": "application/json"}


class CrossMarks(ServerTest):
    env = {"TDKT_TODAY": "2026-06-20"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = Client(cls.server)
        groups = {g["code"]: g["id"] for g in admin.api("/groups")["items"]}
        cls.groups = groups
        office = Client(cls.server, login="vanphong")
        r = office.post_json(f"/api/groups/{groups['KHOI-MTTQ']}/2026/criteria", {})
        assert r.status == 201, r.body[:300]
        cls.table = r.json()["table"]["id"]
        r = office.post_json(f"/api/criteria/{cls.table}/nodes",
                             {"code": "I", "name": "Kết quả thực hiện nhiệm vụ",
                              "kind": "direct", "max": "100"})
        assert r.status == 201, r.body[:300]
        r = office.post_json(f"/api/criteria/{cls.table}/lock", {})
        assert r.status in (200, 303), r.body[:300]
        cls.server.sql(f"UPDATE criteria_tables SET mode = 'cross' WHERE id = {cls.table}")
        cls.unit = {c: int(cls.server.sql(f"SELECT id FROM units WHERE code = '{c}'")[0][0])
                    for c in ("MTTQ", "LDLD", "HND", "SNV")}
        r = admin.post_json("/api/users", {"login": "canbo_ld", "display_name": "Cán bộ LĐLĐ",
                                           "role": "unit", "unit_id": cls.unit["LDLD"],
                                           "password": PASSWORD})
        assert r.status == 201, r.body[:300]
        admin.close()
        office.close()

    def client(self, login):
        c = Client(self.server, login=login, password=PASSWORD)
        self.addCleanup(c.close)
        return c

    def mark(self, client, unit, points, json=True):
        return client.post_form(f"/criteria/{self.table}/cross",
                                {"scored_unit": str(unit), "points": points},
                                headers=JSON if json else None)

    def marks(self):
        return self.server.sql("SELECT scorer_unit, scored_unit, points_x100 FROM cross_marks "
                               f"WHERE table_id = {self.table} ORDER BY scorer_unit, scored_unit")

    def set(self, column, value):
        self.server.sql(f"UPDATE criteria_tables SET {column} = '{value}' WHERE id = {self.table}")

    def test_a_unit_marks_the_others(self):
        mttq = self.client("mttq")
        page = mttq.api(f"/criteria/{self.table}/cross")
        self.assertTrue(page["can_mark"])
        others = [m["unit_id"] for m in page["marks"]]
        self.assertEqual(len(others), 5)              # six members but itself
        self.assertNotIn(self.unit["MTTQ"], others)
        r = self.mark(mttq, self.unit["LDLD"], "85,5")
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json()["mark"]["points_x100"], 8550)
        r = self.mark(mttq, self.unit["LDLD"], "90")   # changed: one row still
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertIn((str(self.unit["MTTQ"]), str(self.unit["LDLD"]), "9000"), self.marks())
        audit = self.server.sql("SELECT count(*) FROM audit_log WHERE entity = 'cross_mark' "
                                f"AND entity_id = {self.table}")
        self.assertGreaterEqual(int(audit[0][0]), 2)
        page = mttq.api(f"/criteria/{self.table}/cross")
        self.assertEqual({m["unit_id"]: m["points"] for m in page["marks"]}[self.unit["LDLD"]],
                         "90")
        # LĐLĐ sees its own marks only: none given yet, nothing of MTTQ's
        ld = self.client("canbo_ld").api(f"/criteria/{self.table}/cross")
        self.assertFalse(any(m["given"] for m in ld["marks"]))
        self.assertNotIn("9000", str(ld))
        # the office and the council: how many each gave, not the marks
        for login in ("vanphong", "hoidong"):
            office = self.client(login).api(f"/criteria/{self.table}/cross")
            self.assertEqual(office["marks"], [])
            prog = {p["unit_id"]: (p["given"], p["of"]) for p in office["progress"]}
            self.assertEqual(prog[self.unit["MTTQ"]], (1, 5))
            self.assertEqual(prog[self.unit["LDLD"]], (0, 5))
            self.assertNotIn("points", str(office["progress"]))
        # the page: a form per unit, autosaved, labelled
        html = mttq.get(f"/criteria/{self.table}/cross").text
        self.assertIn(f'data-autosave="/criteria/{self.table}/cross"', html)
        self.assertIn(f'<label for="p{self.unit["LDLD"]}"', html)

    def test_refusals_name_the_field(self):
        mttq = self.client("mttq")
        before = self.marks()
        for unit, points, field in ((self.unit["MTTQ"], "50", "scored_unit"),   # itself
                                    (self.unit["SNV"], "50", "scored_unit"),    # not a member
                                    (self.unit["HND"], "100,01", "points"),
                                    (self.unit["HND"], "-1", "points"),
                                    (self.unit["HND"], "abc", "points"),
                                    (self.unit["HND"], "", "points")):
            r = self.mark(mttq, unit, points)
            self.assertEqual(r.status, 422, (unit, points, r.body[:300]))
            self.assertIn(field, r.json()["errors"], (unit, points))
        self.assertIn("từ 0 đến 100", self.mark(mttq, self.unit["HND"], "101").json()
                      ["errors"]["points"])
        # without script the page comes back with the message
        r = self.mark(mttq, self.unit["HND"], "101", json=False)
        self.assertEqual(r.status, 422)
        self.assertIn("Điểm chấm chéo phải từ 0 đến 100", r.text)
        self.assertIn("Chấm chéo giữa các đơn vị thành viên", r.text)
        # the office, and a unit outside the bloc, mark nothing
        self.assertEqual(self.mark(self.client("vanphong"), self.unit["HND"], "50").status, 403)
        self.assertEqual(self.mark(self.client("sonoivu"), self.unit["HND"], "50").status, 403)
        self.assertEqual(self.marks(), before)

    def test_only_in_the_self_stage_of_a_cross_table(self):
        mttq = self.client("mttq")
        before = self.marks()
        try:
            self.set("stage", "review1")
            r = self.mark(mttq, self.unit["HND"], "70")
            self.assertEqual(r.status, 409, r.body[:300])
            self.assertIn("Đã hết giai đoạn chấm điểm", r.json()["error"]["message"])
            self.assertFalse(mttq.api(f"/criteria/{self.table}/cross")["can_mark"])
            self.set("stage", "self")
            self.set("mode", "self")
            r = self.mark(mttq, self.unit["HND"], "70")
            self.assertEqual(r.status, 409, r.body[:300])
        finally:
            self.set("stage", "self")
            self.set("mode", "cross")
        self.assertEqual(self.marks(), before)
        # a draft table: not yet (422 naming the table)
        office = self.client("vanphong")
        r = office.post_json(f"/api/groups/{self.groups['KHOI-DANG']}/2026/criteria", {})
        self.assertEqual(r.status, 201, r.body[:300])
        draft = r.json()["table"]["id"]
        self.server.sql(f"UPDATE criteria_tables SET mode = 'cross' WHERE id = {draft}")
        vptu = int(self.server.sql("SELECT id FROM units WHERE code = 'VPTU'")[0][0])
        bt = int(self.server.sql("SELECT id FROM units WHERE code = 'BTCTU'")[0][0])
        admin = self.client("admin")
        r = admin.post_json("/api/users", {"login": "canbo_vptu", "display_name": "Cán bộ VPTU",
                                           "role": "unit", "unit_id": vptu, "password": PASSWORD})
        self.assertEqual(r.status, 201, r.body[:300])
        r = self.client("canbo_vptu").post_form(f"/criteria/{draft}/cross",
                                                {"scored_unit": str(bt), "points": "5"},
                                                headers=JSON)
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("table", r.json()["errors"])

    def test_home_page_of_a_cross_table(self):
        # LĐLĐ is the bloc's deputy: it marks, and it follows the marking
        item, follow = self.client("canbo_ld").api("/")["scoring"]
        self.assertIn("Chấm chéo các đơn vị thành viên (đã chấm 0 trên 5 đơn vị)", item["todo"])
        self.assertEqual(item["link"], f"/criteria/{self.table}/cross")
        self.assertIn("Theo dõi chấm chéo", follow["todo"])
        self.assertEqual(follow["link"], f"/criteria/{self.table}/stage")


if __name__ == "__main__":
    unittest.main()
