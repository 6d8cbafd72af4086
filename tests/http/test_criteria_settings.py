"""Ranking settings of a criteria table (issue 6; docs/scoring.md "Ranking
settings, bands and deadlines"): mode, normalisation, bonus cap, the ordered
tie-breaks, the classification bands (and the one-click customary bands), and
the stage deadlines — what is refused (422 naming the field), when (a locked
table keeps its settings; deadlines move until the results are locked), and
how a reader sees them. Both drivers. Today is pinned (TDKT_TODAY)."""

import unittest

from harness import Client, ServerTest


class CriteriaSettings(ServerTest):
    env = {"TDKT_TODAY": "2026-06-20"}

    def setUp(self):
        super().setUp()
        self.office = Client(self.server, login="vanphong")
        self.addCleanup(self.office.close)
        self.gids = {}

    def new_table(self, code):
        r = self.office.post_json("/api/groups", {"code": code, "name": f"Khối thử {code}",
                                                  "kind": "khoi", "first_year": 2026})
        self.assertEqual(r.status, 201, r.body[:400])
        gid = r.json()["group"]["id"]
        r = self.office.post_json(f"/api/groups/{gid}/2026/criteria", {})
        self.assertEqual(r.status, 201, r.body[:400])
        self.gids[r.json()["table"]["id"]] = gid
        return gid, r.json()["table"]["id"]

    def add(self, tid, code, name, kind, max_, parent=None, **extra):
        body = {"code": code, "name": name, "kind": kind, "max": max_, **extra}
        if parent:
            body["parent_id"] = parent
        r = self.office.post_json(f"/api/criteria/{tid}/nodes", body)
        self.assertEqual(r.status, 201, r.body[:400])
        t = r.json()["table"]
        return t, next(n["id"] for n in t["nodes"] if n["code"] == code)

    def tree(self, tid):
        """I (60: I.1 direct 40, I.2 pass/fail 20), II (capped 30: II.1 5 per
        occurrence up to 20, II.2 target 20): total 60 + min(30, 40) = 90.00."""
        _, g1 = self.add(tid, "I", "Công tác chuyên môn", "group", "60")
        _, c11 = self.add(tid, "I.1", "Hoàn thành nhiệm vụ", "direct", "40", g1)
        self.add(tid, "I.2", "Cải cách hành chính", "passfail", "20", g1)
        _, g2 = self.add(tid, "II", "Phong trào", "group", "30", capped="yes")
        self.add(tid, "II.1", "Mô hình mới", "occurrence", "20", g2, each="5")
        t, _ = self.add(tid, "II.2", "Chỉ tiêu phát triển", "target", "20", g2)
        self.assertEqual(t["total_x100"], 9000)
        return {"I": g1, "I.1": c11, "II": g2}

    def settings(self, tid, body):
        return self.office.post_json(f"/api/criteria/{tid}/settings", body)

    def table(self, tid):
        return self.office.api(f"/groups/{self.gids[tid]}/2026/criteria")["table"]

    def test_settings_and_tie_breaks(self):
        gid, tid = self.new_table("KHOI-XH")
        ids = self.tree(tid)
        t = self.table(tid)
        # the defaults of migration 0007
        self.assertEqual((t["mode"], t["normalise"], t["min_sample"], t["bonus_cap_x100"]),
                         ("self", False, 3, None))
        self.assertEqual([x["item"] for x in t["tie_break_list"]],
                         ["at_max", "deductions", "women", "submitted"])
        r = self.settings(tid, {"title": "Bảng chấm điểm khối thử", "mode": "cross",
                                "normalise": "yes", "min_sample": 4, "bonus_cap": "10,5",
                                "tb1": f"group:{ids['I']}", "tb2": "at_max", "tb3": "",
                                "tb4": "women", "tb5": ""})
        self.assertEqual(r.status, 200, r.body[:400])
        t = r.json()["table"]
        self.assertEqual((t["title"], t["mode"], t["is_cross"], t["normalise"], t["min_sample"],
                          t["bonus_cap_x100"]),
                         ("Bảng chấm điểm khối thử", "cross", True, True, 4, 1050))
        # the gap (tb3) closes: the list keeps the order given
        self.assertEqual(t["tie_breaks"], f"group:{ids['I']},at_max,women")
        self.assertEqual([x["label"] for x in t["tie_break_list"]],
                         ["Điểm nhóm tiêu chí I “Công tác chuyên môn” cao hơn",
                          "Nhiều tiêu chí đạt điểm tối đa hơn",
                          "Tập thể có từ 70% nữ trở lên được ưu tiên (khoản 6 Điều 4 Nghị định "
                          "152/2025/NĐ-CP)"])
        # an empty bonus cap: none; a JSON body leaving fields out keeps them
        t = self.settings(tid, {"bonus_cap": ""}).json()["table"]
        self.assertEqual((t["bonus_cap_x100"], t["mode"], t["min_sample"]), (None, "cross", 4))
        self.assertEqual(t["tie_breaks"], f"group:{ids['I']},at_max,women")

        # refusals, each naming its field, writing nothing
        _, other = self.new_table("KHOI-XH2")
        _, other_group = self.add(other, "A", "Nhóm khác", "group", "10")
        version = t["version"]
        for body, field, words in (
                ({"tb1": "bogus"}, "tb1", "không có lựa chọn"),
                ({"tb1": f"group:{other_group}"}, "tb1", "không phải là một nhóm tiêu chí"),
                ({"tb1": f"group:{ids['I.1']}"}, "tb1", "không phải là một nhóm tiêu chí"),
                ({"tb1": "at_max", "tb2": "deductions", "tb3": "at_max"}, "tb3", "đã có ở trên"),
                ({"tb2": f"group:{ids['II']}", "tb4": f"group:{ids['II']}"}, "tb4",
                 "đã có ở trên"),
                ({"bonus_cap": "mười"}, "bonus_cap", "Mức trần điểm thưởng"),
                ({"min_sample": 0}, "min_sample", ""),
                ({"min_sample": 51}, "min_sample", ""),
                ({"mode": "both"}, "mode", ""),
                ({"title": ""}, "title", "tên bảng")):
            r = self.settings(tid, body)
            self.assertError(r, 422, words)
            self.assertIn(field, r.json()["errors"], (body, r.body[:300]))
        t = self.table(tid)
        self.assertEqual(t["version"], version)
        self.assertEqual(t["tie_breaks"], f"group:{ids['I']},at_max,women")
        # a stale version
        r = self.settings(tid, {"mode": "self", "version": version - 1})
        self.assertError(r, 409, "vừa được người khác sửa")

        # a group named by a tie-break cannot stop being a group; deleting it
        # drops it from the list
        _, g3 = self.add(tid, "III", "Nhóm để xóa", "group", "0")
        self.settings(tid, {"tb1": f"group:{g3}", "tb2": "at_max"})
        r = self.office.post_json(f"/api/criteria/{tid}/nodes/{g3}", {"kind": "direct"})
        self.assertError(r, 422, "tiêu chí phụ")
        self.assertIn("kind", r.json()["errors"])
        r = self.office.post_json(f"/api/criteria/{tid}/nodes/{g3}/delete", {})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json()["table"]["tie_breaks"], "at_max")

        # the page: five ordered selects offering the groups, a reader sees words
        self.settings(tid, {"tb1": f"group:{ids['I']}", "tb2": "at_max", "tb3": "deductions"})
        page = self.office.get(f"/groups/{gid}/2026/criteria")
        self.assertEqual(page.status, 200)
        for n in range(1, 6):
            self.assertIn(f'<label for="s-tb{n}">Tiêu chí phụ {n}</label>', page.text)
        self.assertIn(f'<option value="group:{ids["I"]}" selected>', page.text)
        council = Client(self.server, login="hoidong")
        self.addCleanup(council.close)
        page = council.get(f"/groups/{gid}/2026/criteria")
        self.assertEqual(page.status, 200)
        # an ordered list, in the table's order
        self.assertIn('<ol class="tie-breaks"><li>Điểm nhóm tiêu chí I “Công tác chuyên môn” cao '
                      'hơn</li><li>Nhiều tiêu chí đạt điểm tối đa hơn</li><li>Tổng số điểm bị '
                      'trừ ít hơn</li></ol>', page.text)
        self.assertNotIn(f"/criteria/{tid}/settings", page.text)
        r = council.post_json(f"/api/criteria/{tid}/settings", {"mode": "self"})
        self.assertEqual(r.status, 403, r.body[:300])
        # the form's refusal comes back on the page (422) with the message
        r = self.office.post_form(f"/criteria/{tid}/settings", {"tb1": "at_max", "tb2": "at_max"})
        self.assertEqual(r.status, 422)
        self.assertIn("đã có ở trên", r.text)
        audit = [a[0] for a in self.server.sql(
            f"SELECT action FROM audit_log WHERE entity = 'criteria' AND entity_id = {tid}")]
        self.assertIn("settings", audit)

        # locked: the ranking settings stay as they were
        self.assertEqual(self.office.post_json(f"/api/criteria/{tid}/lock", {}).status, 200)
        r = self.settings(tid, {"mode": "self"})
        self.assertError(r, 409, "đã khóa")

    def test_bands(self):
        _, tid = self.new_table("KHOI-XL")
        self.tree(tid)
        body = {"band1_name": "Xuất sắc", "band1_min": "85", "band2_name": "Tốt",
                "band2_min": "70,5", "band3_name": "Khá", "band3_min": "50",
                "band4_name": "Trung bình", "band4_min": "", "band5_name": "", "band5_min": "",
                "band6_name": "", "band6_min": ""}
        r = self.settings(tid, body)
        self.assertEqual(r.status, 200, r.body[:400])
        bands = r.json()["table"]["bands"]
        # the last band takes the rest: its minimum is stored as 0
        self.assertEqual([(b["name"], b["min_x100"]) for b in bands],
                         [("Xuất sắc", 8500), ("Tốt", 7050), ("Khá", 5000), ("Trung bình", 0)])
        for bad, field, words in (
                # equal minimums: not strictly decreasing
                ({"band2_min": "85"}, "band2_min", "thấp hơn"),
                # increasing
                ({"band3_min": "75"}, "band3_min", "thấp hơn"),
                ({"band1_name": ""}, "band1_name", "tên loại"),
                ({"band2_min": ""}, "band2_min", "điểm tối thiểu"),
                ({"band1_min": "0"}, "band1_min", "lớn hơn 0"),
                ({"band1_min": "abc"}, "band1_min", "lớn hơn 0")):
            r = self.settings(tid, {**body, **bad})
            self.assertError(r, 422, words)
            self.assertIn(field, r.json()["errors"], (bad, r.body[:300]))
        self.assertEqual(int(self.server.sql(
            f"SELECT count(*) FROM criteria_bands WHERE table_id = {tid}")[0][0]), 4)
        # one band alone: everyone in it
        r = self.settings(tid, {"band1_name": "Hoàn thành", "band1_min": ""})
        self.assertEqual([(b["name"], b["min_x100"]) for b in r.json()["table"]["bands"]],
                         [("Hoàn thành", 0)])
        # all rows empty: no bands
        r = self.settings(tid, {"band1_name": "", "band1_min": ""})
        self.assertEqual(r.json()["table"]["bands"], [])

    def test_default_bands(self):
        _, tid = self.new_table("KHOI-MD")
        # an empty table has no total to scale
        r = self.office.post_json(f"/api/criteria/{tid}/bands/default", {})
        self.assertError(r, 422, "chưa hợp lệ")
        self.tree(tid)
        r = self.office.post_json(f"/api/criteria/{tid}/bands/default", {})
        self.assertEqual(r.status, 200, r.body[:400])
        # total 90.00: 90 % = 81.00, 80 % = 72.00, 65 % = 58.50
        self.assertEqual([(b["name"], b["min_x100"]) for b in r.json()["table"]["bands"]],
                         [("Xuất sắc", 8100), ("Tốt", 7200), ("Khá", 5850), ("Trung bình", 0)])
        # total 12.35: 90 % = 11.115 → 11.12 (half up); 80 % = 9.88;
        # 65 % = 8.0275 → 8.03
        _, t2 = self.new_table("KHOI-MD2")
        self.add(t2, "1", "Một tiêu chí", "direct", "12,35")
        r = self.office.post_json(f"/api/criteria/{t2}/bands/default", {})
        self.assertEqual([b["min_x100"] for b in r.json()["table"]["bands"]],
                         [1112, 988, 803, 0])
        self.assertEqual([b["min"] for b in r.json()["table"]["bands"]][:3],
                         ["11,12", "9,88", "8,03"])
        audit = [a[0] for a in self.server.sql(
            f"SELECT action FROM audit_log WHERE entity = 'criteria' AND entity_id = {t2}")]
        self.assertIn("bands_default", audit)
        # a total of 0.01: 90, 80 and 65 % all round to 0.01, not decreasing
        _, t3 = self.new_table("KHOI-MD3")
        self.add(t3, "1", "Một tiêu chí", "direct", "0,01")
        r = self.office.post_json(f"/api/criteria/{t3}/bands/default", {})
        self.assertError(r, 422, "quá nhỏ")

    def test_deadlines(self):
        gid, tid = self.new_table("KHOI-HAN")
        self.tree(tid)

        def due(body):
            return self.office.post_json(f"/api/criteria/{tid}/deadlines", body)

        r = due({"self_due": "2026-12-10", "review1_due": "20/12/2026",
                 "explain_due": "2026-12-20", "review2_due": "2027-03-31"})
        self.assertEqual(r.status, 200, r.body[:400])
        t = r.json()["table"]
        self.assertEqual((t["self_due"], t["review1_due"], t["explain_due"], t["review2_due"]),
                         ("2026-12-10", "2026-12-20", "2026-12-20", "2027-03-31"))
        for body, field, words in (
                # before the deadline above it
                ({"review1_due": "2026-12-05"}, "review1_due", "không được sớm hơn"),
                ({"explain_due": "2026-12-19"}, "explain_due", "không được sớm hơn"),
                # outside 1 January of the year .. 31 March of the next
                ({"review2_due": "2027-04-01"}, "review2_due", "31/03/2027"),
                ({"self_due": "2025-12-31"}, "self_due", "01/01/2026"),
                ({"self_due": "31/02/2026"}, "self_due", "")):
            r = due(body)
            self.assertError(r, 422, words)
            self.assertIn(field, r.json()["errors"], (body, r.body[:300]))
        # the form's refusal: the page again with the deadlines form open
        page = self.office.post_form(f"/criteria/{tid}/deadlines",
                                     {"self_due": "10/12/2026", "review1_due": "05/12/2026",
                                      "explain_due": "", "review2_due": "31/03/2027"})
        self.assertEqual(page.status, 422)
        self.assertIn("<details open>\n<summary>Sửa thời hạn các bước", page.text)
        self.assertIn("không được sớm hơn", page.text)
        # the dates come back as they were typed (day/month/year)
        self.assertIn('name="review1_due" value="05/12/2026"', page.text)
        self.assertIn('name="self_due" value="10/12/2026"', page.text)
        # one cleared: the others keep their order
        t = due({"review1_due": ""}).json()["table"]
        self.assertEqual((t["self_due"], t["review1_due"], t["review2_due"]),
                         ("2026-12-10", None, "2027-03-31"))
        page = self.office.get(f"/groups/{gid}/2026/criteria")
        self.assertIn('<time datetime="2026-12-10">10/12/2026</time>', page.text)
        # a locked table: deadlines still move, until the results are locked
        self.assertEqual(self.office.post_json(f"/api/criteria/{tid}/lock", {}).status, 200)
        r = due({"review1_due": "2026-12-15"})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json()["table"]["review1_due"], "2026-12-15")
        self.server.sql(f"UPDATE criteria_tables SET stage = 'locked' WHERE id = {tid}")
        r = due({"review1_due": "2026-12-16"})
        self.assertError(r, 409, "đã khóa")
        self.assertEqual(self.server.sql(
            f"SELECT review1_due FROM criteria_tables WHERE id = {tid}")[0][0], "2026-12-15")
        audit = [a[0] for a in self.server.sql(
            f"SELECT action FROM audit_log WHERE entity = 'criteria' AND entity_id = {tid}")]
        self.assertIn("deadlines", audit)


if __name__ == "__main__":
    unittest.main()
