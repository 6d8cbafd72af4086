"""Criteria tables of a group's year (issue 6; docs/scoring.md): created empty
or copied from last year's, a tree of groups and criteria edited while in
draft, totals from the tree, score_table_check before locking, who may edit
(the office, this year's head and deputy) — on both drivers. Today is pinned
(TDKT_TODAY) so the demo's year is 2026."""

import unittest

from harness import Client, ServerTest

PASSWORD = "tdkt-demo-2026"


class Criteria(ServerTest):
    env = {"TDKT_TODAY": "2026-06-20"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = Client(cls.server)
        cls.group = {g["code"]: g["id"] for g in admin.api("/groups")["items"]}
        admin.close()

    def setUp(self):
        super().setUp()
        self.office = Client(self.server, login="vanphong")
        self.addCleanup(self.office.close)

    def rows(self, table=None):
        where = f" WHERE table_id = {table}" if table else ""
        return int(self.server.sql(f"SELECT count(*) FROM criteria_nodes{where}")[0][0])

    def create(self, client, gid, year=2026, **body):
        r = client.post_json(f"/api/groups/{gid}/{year}/criteria", body)
        self.assertEqual(r.status, 201, r.body[:400])
        return r.json()["table"]

    def add(self, client, tid, code, name, kind, max_, parent=None, **extra):
        body = {"code": code, "name": name, "kind": kind, "max": max_}
        if parent:
            body["parent_id"] = parent
        body.update(extra)
        r = client.post_json(f"/api/criteria/{tid}/nodes", body)
        self.assertEqual(r.status, 201, r.body[:400])
        t = r.json()["table"]
        return t, next(n["id"] for n in t["nodes"] if n["code"] == code)

    def tree(self, client, tid):
        _, g1 = self.add(client, tid, "I", "Công tác chuyên môn", "group", "60")
        self.add(client, tid, "I.1", "Hoàn thành nhiệm vụ", "direct", "40", g1)
        self.add(client, tid, "I.2", "Cải cách hành chính", "passfail", "20", g1)
        _, g2 = self.add(client, tid, "II", "Phong trào", "group", "30", capped="yes")
        self.add(client, tid, "II.1", "Mô hình mới", "occurrence", "20", g2, each="5")
        t, _ = self.add(client, tid, "II.2", "Chỉ tiêu phát triển", "target", "20", g2)
        return t

    def test_create_tree_totals_and_lock(self):
        gid = self.group["KHOI-SO"]
        t = self.create(self.office, gid)
        self.assertEqual(t["title"], "Bảng tiêu chí chấm điểm thi đua năm 2026")
        self.assertEqual(t["status"], "draft")
        r = self.office.post_json(f"/api/groups/{gid}/2026/criteria", {})
        self.assertError(r, 409, "đã có bảng tiêu chí")
        t = self.tree(self.office, t["id"])
        self.assertTrue(t["valid"], t["check_message"])
        # 60 + min(30, 20 + 20) = 90.00
        self.assertEqual(t["total_x100"], 9000)
        self.assertEqual(t["total"], "90")
        shown = self.office.api(f"/groups/{gid}/2026/criteria")["table"]
        self.assertEqual([(n["code"], n["depth"]) for n in shown["nodes"]],
                         [("I", 0), ("I.1", 1), ("I.2", 1), ("II", 0), ("II.1", 1), ("II.2", 1)])
        self.assertEqual(shown["nodes"][4]["each_x100"], 500)
        page = self.office.get(f"/groups/{gid}/2026/criteria")
        self.assertEqual(page.status, 200)
        self.assertIn("Cải cách hành chính", page.text)
        self.assertIn('class="table-wrap" tabindex="0"', page.text)
        self.assertIn("data-confirm", page.text)
        year = self.office.get(f"/groups/{gid}/2026")
        self.assertIn(f"/groups/{gid}/2026/criteria", year.text)
        # a group with children cannot go
        g1 = shown["nodes"][0]["id"]
        r = self.office.post_json(f"/api/criteria/{t['id']}/nodes/{g1}/delete", {})
        self.assertError(r, 422, "I", "Công tác chuyên môn")
        # a stale version
        r = self.office.post_json(f"/api/criteria/{t['id']}/nodes",
                                  {"code": "X", "name": "X", "kind": "direct", "max": "1",
                                   "version": 1})
        self.assertError(r, 409, "vừa được người khác sửa")
        r = self.office.post_json(f"/api/criteria/{t['id']}/lock", {})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json()["table"]["status"], "locked")
        before = self.rows(t["id"])
        r = self.office.post_json(f"/api/criteria/{t['id']}/nodes",
                                  {"code": "III", "name": "Khác", "kind": "direct", "max": "5"})
        self.assertError(r, 409, "đã khóa")
        self.assertEqual(self.rows(t["id"]), before)
        audit = self.server.sql(
            f"SELECT action FROM audit_log WHERE entity = 'criteria' AND entity_id = {t['id']}")
        self.assertIn(("lock",), [tuple(a) for a in audit])

    def test_invalid_tree_refused_at_lock(self):
        r = self.office.post_json("/api/groups", {"code": "KHOI-TC", "name": "Khối thử tiêu chí",
                                                  "kind": "khoi", "first_year": 2026})
        self.assertEqual(r.status, 201, r.body[:400])
        gid = r.json()["group"]["id"]
        t = self.create(self.office, gid)
        _, g = self.add(self.office, t["id"], "A", "Nhóm A", "group", "50")
        t, _ = self.add(self.office, t["id"], "A.1", "Tiêu chí 1", "direct", "40", g)
        self.assertFalse(t["valid"])
        self.assertIn("Nhóm A", t["check_message"])
        r = self.office.post_json(f"/api/criteria/{t['id']}/lock", {})
        self.assertError(r, 422, "Nhóm A", "50", "40")
        self.assertEqual(self.office.api(f"/groups/{gid}/2026/criteria")["table"]["status"],
                         "draft")

    def test_copy_from_last_year(self):
        gid = self.group["KHOI-MTTQ"]
        r = self.office.post_json(f"/api/groups/{gid}/2027/criteria", {"copy": "yes"})
        self.assertIn(r.status, (404, 422))
        r = self.office.post_json(f"/api/groups/{gid}/years", {"year": 2027})
        self.assertIn(r.status, (200, 201), r.body[:300])
        t = self.create(self.office, gid)
        self.tree(self.office, t["id"])
        r = self.office.post_json(f"/api/groups/{gid}/2028/criteria", {"copy": "yes"})
        self.assertEqual(r.status, 404, r.body[:300])
        copy = self.create(self.office, gid, 2027, copy="yes")
        self.assertEqual(copy["total_x100"], 9000)
        self.assertEqual(len(copy["nodes"]), 6)
        self.assertTrue(copy["valid"])
        self.assertEqual([n["code"] for n in copy["nodes"]],
                         ["I", "I.1", "I.2", "II", "II.1", "II.2"])
        self.assertNotEqual(copy["nodes"][0]["id"], t["id"])

    def test_copy_without_last_year(self):
        gid = self.group["KHOI-SO"]
        n = int(self.server.sql("SELECT count(*) FROM criteria_tables")[0][0])
        r = self.office.post_json(f"/api/groups/{gid}/2025/criteria", {"copy": "yes"})
        if r.status == 404:  # no 2025 year: make it, then try again
            self.office.post_json(f"/api/groups/{gid}/years", {"year": 2025})
            r = self.office.post_json(f"/api/groups/{gid}/2025/criteria", {"copy": "yes"})
        self.assertError(r, 422, "2024", "chưa có bảng tiêu chí")
        self.assertEqual(int(self.server.sql("SELECT count(*) FROM criteria_tables")[0][0]), n)

    def test_scope(self):
        so, mttq = self.group["KHOI-SO"], self.group["KHOI-MTTQ"]
        admin = Client(self.server)
        self.addCleanup(admin.close)
        sonoivu = Client(self.server, login="sonoivu")
        council = Client(self.server, login="hoidong")
        self.addCleanup(sonoivu.close)
        self.addCleanup(council.close)
        for gid in (so, mttq):
            r = admin.post_json(f"/api/groups/{gid}/2026/criteria", {})
            self.assertIn(r.status, (201, 409), r.body[:300])
        t_so = admin.api(f"/groups/{so}/2026/criteria")["table"]["id"]
        t_mttq = admin.api(f"/groups/{mttq}/2026/criteria")["table"]["id"]
        # the deputy of KHOI-SO edits its table, not KHOI-MTTQ's
        if admin.api(f"/groups/{so}/2026/criteria")["table"]["status"] == "draft":
            self.add(sonoivu, t_so, "S1", "Tiêu chí của Sở", "direct", "10")
        r = sonoivu.post_json(f"/api/criteria/{t_mttq}/nodes",
                              {"code": "M", "name": "M", "kind": "direct", "max": "1"})
        self.assertEqual(r.status, 403, r.body[:300])
        r = sonoivu.post_json(f"/api/groups/{mttq}/2026/criteria", {})
        self.assertEqual(r.status, 403, r.body[:300])
        # mttq (head of KHOI-MTTQ) edits its own
        mt = Client(self.server, login="mttq")
        self.addCleanup(mt.close)
        if admin.api(f"/groups/{mttq}/2026/criteria")["table"]["status"] == "draft":
            self.add(mt, t_mttq, "M1", "Tiêu chí của Mặt trận", "direct", "10")
        # the council reads, does not write
        self.assertEqual(council.api(f"/groups/{so}/2026/criteria")["table"]["id"], t_so)
        r = council.post_json(f"/api/criteria/{t_so}/nodes",
                              {"code": "C", "name": "C", "kind": "direct", "max": "1"})
        self.assertEqual(r.status, 403, r.body[:300])
        r = council.post_json(f"/api/criteria/{t_so}/lock", {})
        self.assertEqual(r.status, 403, r.body[:300])

    def test_bad_input_nothing_written(self):
        gid = self.group["CUM-XP"]
        r = self.office.post_json(f"/api/groups/{gid}/2026/criteria", {})
        tid = self.office.api(f"/groups/{gid}/2026/criteria")["table"]["id"]
        if r.status == 409 and self.office.api(f"/groups/{gid}/2026/criteria")["table"]["status"] != "draft":
            self.skipTest("table locked by another test")
        _, crit = self.add(self.office, tid, "Z1", "Một tiêu chí", "direct", "5")
        before = self.rows()
        cases = [
            ({"code": "Z2", "name": "Sai", "kind": "direct", "max": "abc"}, "max", "Điểm tối đa"),
            ({"code": "Z2", "name": "Âm", "kind": "direct", "max": "-3"}, "max", "Điểm tối đa"),
            ({"code": "Z2", "name": "Con", "kind": "direct", "max": "2", "parent_id": crit},
             "parent_id", "Thuộc nhóm"),
            ({"code": "Z2", "name": "Lần", "kind": "occurrence", "max": "2"}, "each",
             "Điểm mỗi lần"),
            ({"name": "Không mã", "kind": "direct", "max": "2"}, "code", "ký hiệu"),
        ]
        for body, field, words in cases:
            r = self.office.post_json(f"/api/criteria/{tid}/nodes", body)
            self.assertError(r, 422, words)
            self.assertIn(field, r.json()["errors"], r.body[:300])
        self.assertEqual(self.rows(), before)
        page = self.office.post_form(f"/criteria/{tid}/nodes",
                                     {"code": "Z3", "name": "Sai", "kind": "direct", "max": "abc"})
        self.assertEqual(page.status, 422)
        self.assertIn('aria-invalid="true"', page.text)
        self.assertEqual(self.rows(), before)

    def new_group(self, code):
        r = self.office.post_json("/api/groups", {"code": code, "name": f"Khối thử {code}",
                                                  "kind": "khoi", "first_year": 2026})
        self.assertEqual(r.status, 201, r.body[:400])
        return r.json()["group"]["id"]

    def test_edit_and_reorder_nodes(self):
        gid = self.new_group("KHOI-SUA")
        t = self.create(self.office, gid)
        tid = t["id"]
        t = self.tree(self.office, tid)
        ids = {n["code"]: n["id"] for n in t["nodes"]}
        self.assertEqual(t["total_x100"], 9000)  # 60 + min(30, 20 + 20)

        def edit(node, expect=200, **body):
            r = self.office.post_json(f"/api/criteria/{tid}/nodes/{ids[node]}", body)
            self.assertEqual(r.status, expect, r.body[:400])
            return r

        # I.1 40 → 50: group I (60) no longer equals 50 + 20, the table is invalid
        t = edit("I.1", max="50").json()["table"]
        self.assertFalse(t["valid"])
        self.assertIn("Công tác chuyên môn", t["check_message"])
        i1 = next(n for n in t["nodes"] if n["code"] == "I.1")
        self.assertEqual((i1["max_x100"], i1["kind"], i1["name"]), (5000, "direct",
                                                                   "Hoàn thành nhiệm vụ"))
        # I 60 → 70: valid again; total 70 + min(30, 20 + 20) = 100.00
        t = edit("I", max="70").json()["table"]
        self.assertEqual((t["valid"], t["total_x100"]), (True, 10000))
        # II uncapped at 40 = 20 + 20: total 70 + 40 = 110.00
        t = edit("II", max="40", capped="no", name="Phong trào thi đua").json()["table"]
        self.assertEqual((t["valid"], t["total_x100"]), (True, 11000))
        ii = next(n for n in t["nodes"] if n["code"] == "II")
        self.assertEqual((ii["capped"], ii["name"]), (False, "Phong trào thi đua"))
        # II.1 per occurrence → direct: no points each any more; total unchanged
        t = edit("II.1", kind="direct").json()["table"]
        ii1 = next(n for n in t["nodes"] if n["code"] == "II.1")
        self.assertEqual((ii1["kind"], ii1["each_x100"], ii1["max_x100"]), ("direct", None, 2000))
        # refusals name the field and write nothing
        version = t["version"]
        for node, body, field, words in (
                ("I", {"kind": "direct"}, "kind", "vẫn là nhóm"),
                ("I.1", {"max": "abc"}, "max", "Điểm tối đa"),
                ("I.1", {"code": ""}, "code", "ký hiệu"),
                ("I.2", {"capped": "yes"}, "capped", "mức trần"),
                ("II.2", {"kind": "occurrence"}, "each", "Điểm mỗi lần")):
            r = self.office.post_json(f"/api/criteria/{tid}/nodes/{ids[node]}", body)
            self.assertError(r, 422, words)
            self.assertIn(field, r.json()["errors"])
        t = self.office.api(f"/groups/{gid}/2026/criteria")["table"]
        self.assertEqual(t["version"], version)
        # a stale version
        r = self.office.post_json(f"/api/criteria/{tid}/nodes/{ids['I.1']}",
                                  {"name": "Cũ", "version": version - 1})
        self.assertError(r, 409, "vừa được người khác sửa")
        # a node of another table
        other = self.create(self.office, self.new_group("KHOI-SUA2"))
        r = self.office.post_json(f"/api/criteria/{other['id']}/nodes/{ids['I.1']}", {"name": "X"})
        self.assertEqual(r.status, 404, r.body[:300])

        def move(node, d):
            return self.office.post_json(f"/api/criteria/{tid}/nodes/{ids[node]}/move", {"dir": d})

        def codes():
            return [n["code"] for n in self.office.api(f"/groups/{gid}/2026/criteria")["table"]
                    ["nodes"]]

        # II up: the whole group goes before I, its criteria with it
        self.assertEqual(move("II", "up").status, 200)
        self.assertEqual(codes(), ["II", "II.1", "II.2", "I", "I.1", "I.2"])
        r = move("II", "up")
        self.assertError(r, 422, "đã ở đầu")
        self.assertEqual(r.json()["error"]["field"], "dir")
        self.assertError(move("I.2", "down"), 422, "đã ở cuối")
        # I.2 up swaps with I.1 only, inside I
        self.assertEqual(move("I.2", "up").status, 200)
        self.assertEqual(codes(), ["II", "II.1", "II.2", "I", "I.2", "I.1"])
        r = self.office.post_json(f"/api/criteria/{tid}/nodes/{ids['I.2']}/move",
                                  {"dir": "down", "version": 1})
        self.assertError(r, 409, "vừa được người khác sửa")
        # the total does not depend on the order: 110.00
        self.assertEqual(self.office.api(f"/groups/{gid}/2026/criteria")["table"]["total_x100"],
                         11000)
        # the page: an edit form per row, up/down buttons with names
        page = self.office.get(f"/groups/{gid}/2026/criteria")
        self.assertEqual(page.status, 200)
        self.assertIn(f'action="/criteria/{tid}/nodes/{ids["I.1"]}"', page.text)
        self.assertIn("Chuyển lên I.1", page.text)
        self.assertIn("<details", page.text)
        # the form's refusal comes back on the page with the row's form open
        r = self.office.post_form(f"/criteria/{tid}/nodes/{ids['I.1']}",
                                  {"code": "I.1", "name": "X", "kind": "direct", "max": "abc",
                                   "capped": "no"})
        self.assertEqual(r.status, 422)
        self.assertIn("<details open", r.text)
        audit = [a[0] for a in self.server.sql(
            f"SELECT action FROM audit_log WHERE entity = 'criteria' AND entity_id = {tid}")]
        self.assertIn("node_update", audit)
        self.assertIn("node_move", audit)
        # locked: no edit, no move
        self.assertEqual(self.office.post_json(f"/api/criteria/{tid}/lock", {}).status, 200)
        r = self.office.post_json(f"/api/criteria/{tid}/nodes/{ids['I.1']}", {"name": "Khóa"})
        self.assertError(r, 409, "đã khóa")
        self.assertError(move("I.1", "up"), 409, "đã khóa")


if __name__ == "__main__":
    unittest.main()
