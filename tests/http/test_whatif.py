"""What-if (issue 6; docs/scoring.md "What-if"): a named copy of the
table's maxima, edited by the managers, shows the ranking as it would be;
answers carry over in proportion (direct: value × new max / old max, half
up), pass/fail gives the new max; nothing of it changes the real table,
answers or ranking — on both drivers. The group is test_ranking.seed's:
I (60: I.1 direct 40, I.2 pass/fail 20), II (40: II.1 direct 40);
A 40/1/35 vetoed, B 30/1/30, C 20/1/40, D 40/0/35 with +5 −2."""

import unittest

import test_ranking
from harness import Client, ServerTest


class WhatIf(ServerTest):
    env = {"TDKT_TODAY": "2026-06-20"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        test_ranking.seed(cls)

    def real(self):
        res = self.c.api(f"/criteria/{self.table}/ranking")["results"]
        return [(u["unit_id"], u["rank"], u["final"]) for u in res["units"]]

    def test_proportional_carry_over_and_real_ranking_unchanged(self):
        before = self.real()
        nodes_before = self.server.sql(f"SELECT id, max_x100 FROM criteria_nodes WHERE "
                                       f"table_id = {self.table} ORDER BY id")
        answers_before = self.server.sql("SELECT sheet_id, node_id, value_x100 FROM "
                                         "score_answers ORDER BY sheet_id, node_id")
        office = Client(self.server, login="vanphong")
        self.addCleanup(office.close)
        r = office.post_json(f"/api/criteria/{self.table}/whatifs", {"name": "Tăng nhóm I"})
        self.assertEqual(r.status, 201, r.body[:300])
        w = r.json()["whatif"]["id"]
        base = f"/api/criteria/{self.table}/whatifs/{w}"
        # the copy has every node's maximum
        self.assertEqual(len(r.json()["whatif"]["nodes"]), 5)
        for node, fields in ((self.i1, {"max": "80"}), (self.ii1, {"max": "33"}),
                             (self.i2, {"max": "30"})):
            r = office.post_json(f"{base}/nodes/{node}", fields)
            self.assertIn(r.status, (200, 303), r.body[:300])
        m = office.api(f"/criteria/{self.table}/whatifs/{w}")
        # I.1 40 → 80: A 40 → 80, B 30 → 60, C 20 → 40, D 40 → 80;
        # II.1 40 → 33: 35 × 33 / 40 = 28.875 → 28.88 (half up), 30 → 24.75,
        # 40 → 33; I.2 20 → 30: a pass gives the new max 30.
        # A 80 + 30 + 28.88 = 138.88 (vetoed); B 60 + 30 + 24.75 = 114.75;
        # C 40 + 30 + 33 = 103; D 80 + 0 + 28.88 + 5 − 2 = 111.88.
        rows = {row["unit_id"]: row for row in m["rows"]}
        self.assertEqual(rows[self.A]["final"], "138,88")
        self.assertEqual(rows[self.B]["final"], "114,75")
        self.assertEqual(rows[self.C]["final"], "103")
        self.assertEqual(rows[self.D]["final"], "111,88")
        order = [row["unit_id"] for row in m["rows"] if row["rank"]]
        self.assertEqual(order, [self.B, self.D, self.C, self.A])
        # moves against the real ranking C 1, B 2, D 3, A 4
        self.assertEqual(rows[self.B]["move"], "↑1")
        self.assertEqual(rows[self.D]["move"], "↑1")
        self.assertEqual(rows[self.C]["move"], "↓2")
        self.assertEqual(rows[self.A]["move"], "=")
        self.assertEqual(rows[self.C]["real_rank"], "1")
        # and why: C real 20 + 20 + 40 = 80 → 103, +23: I.1 +20, I.2 +10, II.1 −7;
        # D real 40 + 0 + 35 + 5 − 2 = 78 → 111.88, +33.88: I.1 +40, II.1 −6.12
        # (35 − 28.88; I.2 failed both ways, not listed)
        self.assertEqual((rows[self.C]["delta"], rows[self.C]["because"]),
                         ("+23", "I.1 +20; I.2 +10; II.1 −7"))
        self.assertEqual((rows[self.D]["delta"], rows[self.D]["because"]),
                         ("+33,88", "I.1 +40; II.1 −6,12"))
        # group maxima follow their children: I 80 + 30 = 110, II 33
        self.assertEqual(m["new_total"], "143")
        nodes = {n["id"]: n for n in m["nodes"]}
        self.assertEqual(nodes[self.g1]["new_max"], "110")
        self.assertTrue(nodes[self.i1]["changed"])
        self.assertFalse(nodes[self.g2]["editable"])  # not capped: the sum of its children
        # the page and its chart
        page = office.get(f"/criteria/{self.table}/whatifs/{w}")
        self.assertEqual(page.status, 200)
        self.assertEqual(page.text.count("<rect"), 4)
        # the real table, answers and ranking are untouched
        self.assertEqual(self.real(), before)
        self.assertEqual(self.server.sql(f"SELECT id, max_x100 FROM criteria_nodes WHERE "
                                         f"table_id = {self.table} ORDER BY id"), nodes_before)
        self.assertEqual(self.server.sql("SELECT sheet_id, node_id, value_x100 FROM "
                                         "score_answers ORDER BY sheet_id, node_id"),
                         answers_before)
        # audited
        self.assertEqual(int(self.server.sql(f"SELECT count(*) FROM audit_log WHERE entity = "
                                             f"'whatif' AND entity_id = {w}")[0][0]), 4)
        # deleted, with the version of the page (its last change)
        self.assertError(office.post_json(f"{base}/delete", {}), 422, "phiên bản")
        self.assertEqual(office.post_json(f"{base}/delete", {"version": "2000-01-01"}).status,
                         409)
        r = office.post_json(f"{base}/delete", {"version": m["whatif"]["updated_at"]})
        self.assertIn(r.status, (200, 303), r.body[:300])
        self.assertEqual(office.get(f"/api/criteria/{self.table}/whatifs/{w}").status, 404)
        self.assertEqual(self.real(), before)

    def test_refusals(self):
        office = Client(self.server, login="vanphong")
        self.addCleanup(office.close)
        r = office.post_json(f"/api/criteria/{self.table}/whatifs", {})
        self.assertError(r, 422, "tên")
        r = office.post_json(f"/api/criteria/{self.table}/whatifs", {"name": "Thử"})
        w = r.json()["whatif"]["id"]
        base = f"/api/criteria/{self.table}/whatifs/{w}"
        before = self.server.sql(f"SELECT node_id, max_x100 FROM criteria_whatif_nodes WHERE "
                                 f"whatif_id = {w} ORDER BY node_id")
        # a bad number, a group that is not capped, points each on a direct
        # criterion, a node of no table: refused, nothing written
        self.assertError(office.post_json(f"{base}/nodes/{self.i1}", {"max": "abc"}), 422,
                         "Điểm tối đa")
        self.assertError(office.post_json(f"{base}/nodes/{self.i1}", {"max": "-1"}), 422)
        self.assertError(office.post_json(f"{base}/nodes/{self.g1}", {"max": "10"}), 422, "nhóm")
        self.assertError(office.post_json(f"{base}/nodes/{self.i1}", {"max": "10", "each": "2"}),
                         422, "theo lần")
        self.assertEqual(office.post_json(f"{base}/nodes/999999", {"max": "10"}).status, 404)
        # I.1 at 9 990 makes group I 9 990 + 20 = 10 010, above the 10 000 a
        # maximum may be (SCORE_MAX_LIMIT): refused naming the group, not a
        # ranking that silently drops every unit
        self.assertError(office.post_json(f"{base}/nodes/{self.i1}", {"max": "9990"}), 422,
                         "không còn hợp lệ")
        self.assertEqual(self.server.sql(f"SELECT node_id, max_x100 FROM criteria_whatif_nodes "
                                         f"WHERE whatif_id = {w} ORDER BY node_id"), before)
        # a draft table has no answers yet: no what-if (409)
        groups = {g["code"]: g["id"] for g in office.api("/groups")["items"]}
        r = office.post_json(f"/api/groups/{groups['KHOI-MTTQ']}/2026/criteria", {})
        self.assertEqual(r.status, 201, r.body[:300])
        draft = r.json()["table"]["id"]
        self.assertError(office.post_json(f"/api/criteria/{draft}/whatifs", {"name": "Thử"}), 409,
                         "dự thảo")
        # a what-if of another table is not found under this one
        self.assertEqual(office.get(f"/api/criteria/{draft}/whatifs/{w}").status, 404)
        # at most 30 a table: this one has 1 (and the other tests' are deleted or
        # counted here too): fill up to 30, the next is refused
        have = int(self.server.sql(f"SELECT count(*) FROM criteria_whatifs WHERE table_id = "
                                   f"{self.table}")[0][0])
        made = []
        for k in range(30 - have):
            r = office.post_json(f"/api/criteria/{self.table}/whatifs", {"name": f"Thử {k}"})
            self.assertEqual(r.status, 201, r.body[:300])
            made.append(r.json()["whatif"])
        self.assertError(office.post_json(f"/api/criteria/{self.table}/whatifs",
                                          {"name": "Thử nữa"}), 422, "tối đa 30")
        for wf in made:  # leave the table as the other tests expect it
            r = office.post_json(f"/api/criteria/{self.table}/whatifs/{wf['id']}/delete",
                                 {"version": wf["updated_at"]})
            self.assertIn(r.status, (200, 303), r.body[:300])

    def test_occurrence_and_target_carry_over(self):
        # KHOI-DANG: I (30: I.1 2.00 per occurrence up to 10, I.2 target 20).
        # U1: 1 occurrence, actual 150 against 100; U2: 6, 120 against 100;
        # leader 150. Real: U1 2 + 20 (leads) = 22; U2 10 (12 capped) + 10 +
        # 10 × 20/50 = 24. What-if I.1 1.00 each up to 4, I.2 max 40: U1 1 + 40
        # = 41; U2 4 (capped) + 20 + 20 × 20/50 = 32: U1 up one, U2 down one.
        office = Client(self.server, login="vanphong")
        self.addCleanup(office.close)
        groups = {g["code"]: g["id"] for g in office.api("/groups")["items"]}
        gid = groups["KHOI-DANG"]
        r = office.post_json(f"/api/groups/{gid}/2026/criteria", {})
        self.assertEqual(r.status, 201, r.body[:300])
        t = r.json()["table"]["id"]

        def add(body):
            r = office.post_json(f"/api/criteria/{t}/nodes", body)
            self.assertEqual(r.status, 201, r.body[:300])
            return next(n["id"] for n in r.json()["table"]["nodes"] if n["code"] == body["code"])

        g = add({"code": "I", "name": "Nhóm I", "kind": "group", "max": "30"})
        occ = add({"code": "I.1", "name": "Mô hình", "kind": "occurrence", "max": "10",
                   "each": "2", "parent_id": g})
        tgt = add({"code": "I.2", "name": "Chỉ tiêu", "kind": "target", "max": "20",
                   "parent_id": g})
        r = office.post_json(f"/api/criteria/{t}/lock", {})
        self.assertIn(r.status, (200, 303), r.body[:300])
        units = [s["unit_id"] for s in office.api(f"/groups/{gid}/2026/criteria")["sheets"]][:2]
        sql, now = self.server.sql, "2026-06-01T08:00:00Z"
        for unit, count, actual in ((units[0], 1, 15000), (units[1], 6, 12000)):
            sql(f"INSERT INTO score_sheets (table_id, unit_id, status, submitted_at, created_at, "
                f"updated_at) VALUES ({t}, {unit}, 'submitted', '{now}', '{now}', '{now}')")
            sid = sql(f"SELECT id FROM score_sheets WHERE table_id = {t} AND unit_id = {unit}")[0][0]
            sql(f"INSERT INTO score_answers (sheet_id, node_id, value_x100, updated_at) VALUES "
                f"({sid}, {occ}, {count}, '{now}')")
            sql(f"INSERT INTO score_answers (sheet_id, node_id, value_x100, target_x100, "
                f"updated_at) VALUES ({sid}, {tgt}, {actual}, 10000, '{now}')")
        real = {u["unit_id"]: u for u in office.api(f"/criteria/{t}/ranking")["results"]["units"]}
        self.assertEqual((real[units[0]]["final"], real[units[0]]["rank"]), ("22", 2))
        self.assertEqual((real[units[1]]["final"], real[units[1]]["rank"]), ("24", 1))
        r = office.post_json(f"/api/criteria/{t}/whatifs", {"name": "Mô hình"})
        w = r.json()["whatif"]["id"]
        base = f"/api/criteria/{t}/whatifs/{w}"
        r = office.post_json(f"{base}/nodes/{occ}", {"max": "4", "each": "1"})
        self.assertIn(r.status, (200, 303), r.body[:300])
        r = office.post_json(f"{base}/nodes/{tgt}", {"max": "40"})
        self.assertIn(r.status, (200, 303), r.body[:300])
        m = office.api(f"/criteria/{t}/whatifs/{w}")
        rows = {row["unit_id"]: row for row in m["rows"]}
        self.assertEqual((rows[units[0]]["final"], rows[units[0]]["rank"]), ("41", "1"))
        self.assertEqual((rows[units[1]]["final"], rows[units[1]]["rank"]), ("32", "2"))
        self.assertEqual((rows[units[0]]["move"], rows[units[1]]["move"]), ("↑1", "↓1"))
        self.assertEqual(m["new_total"], "44")


if __name__ == "__main__":
    unittest.main()
