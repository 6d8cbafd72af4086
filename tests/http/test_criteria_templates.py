"""Provincial templates of criteria tables (issue 6; docs/scoring.md
"Provincial templates"): the office saves a valid table's tree under a unique
name, lists and shows the templates, and a group's table of a year is created
as a copy of one (codes, names, kinds, maxima, points per occurrence, caps,
order). A head unit may not save one (403). Both drivers."""

import unittest

from harness import Client, ServerTest


class CriteriaTemplates(ServerTest):
    env = {"TDKT_TODAY": "2026-06-20"}

    def setUp(self):
        super().setUp()
        self.office = Client(self.server, login="vanphong")
        self.addCleanup(self.office.close)

    def new_group(self, code):
        r = self.office.post_json("/api/groups", {"code": code, "name": f"Khối thử {code}",
                                                  "kind": "khoi", "first_year": 2026})
        self.assertEqual(r.status, 201, r.body[:400])
        return r.json()["group"]["id"]

    def add(self, tid, code, name, kind, max_, parent=None, **extra):
        body = {"code": code, "name": name, "kind": kind, "max": max_, **extra}
        if parent:
            body["parent_id"] = parent
        r = self.office.post_json(f"/api/criteria/{tid}/nodes", body)
        self.assertEqual(r.status, 201, r.body[:400])
        t = r.json()["table"]
        return t, next(n["id"] for n in t["nodes"] if n["code"] == code)

    def source(self, code):
        """I (60: I.1 direct 40, I.2 pass/fail 20), II (capped 30: II.1 5 per
        occurrence up to 20, II.2 target 20), then II moved above I:
        total 60 + min(30, 40) = 90.00."""
        gid = self.new_group(code)
        r = self.office.post_json(f"/api/groups/{gid}/2026/criteria", {})
        tid = r.json()["table"]["id"]
        _, g1 = self.add(tid, "I", "Công tác chuyên môn", "group", "60")
        self.add(tid, "I.1", "Hoàn thành nhiệm vụ", "direct", "40", g1)
        self.add(tid, "I.2", "Cải cách hành chính", "passfail", "20", g1)
        _, g2 = self.add(tid, "II", "Phong trào", "group", "30", capped="yes")
        self.add(tid, "II.1", "Mô hình mới", "occurrence", "20", g2, each="5")
        self.add(tid, "II.2", "Chỉ tiêu phát triển", "target", "20", g2)
        r = self.office.post_json(f"/api/criteria/{tid}/nodes/{g2}/move", {"dir": "up"})
        self.assertEqual(r.status, 200, r.body[:300])
        return gid, tid

    @staticmethod
    def shape(nodes):
        return [(n["code"], n["name"], n["kind"], n["depth"], n["max_x100"], n["each_x100"],
                 n["capped"]) for n in nodes]

    def test_save_list_show_and_create_from(self):
        gid, tid = self.source("KHOI-NGUON")
        src = self.office.api(f"/groups/{gid}/2026/criteria")["table"]
        expected = [("II", "Phong trào", "group", 0, 3000, None, True),
                    ("II.1", "Mô hình mới", "occurrence", 1, 2000, 500, False),
                    ("II.2", "Chỉ tiêu phát triển", "target", 1, 2000, None, False),
                    ("I", "Công tác chuyên môn", "group", 0, 6000, None, False),
                    ("I.1", "Hoàn thành nhiệm vụ", "direct", 1, 4000, None, False),
                    ("I.2", "Cải cách hành chính", "passfail", 1, 2000, None, False)]
        self.assertEqual(self.shape(src["nodes"]), expected)
        # the page offers the office to save it
        page = self.office.get(f"/groups/{gid}/2026/criteria")
        self.assertIn(f'action="/criteria/{tid}/template"', page.text)

        r = self.office.post_json(f"/api/criteria/{tid}/template", {"name": "Mẫu khối sở 2026"})
        self.assertEqual(r.status, 201, r.body[:400])
        tpl = r.json()["template"]
        self.assertEqual((tpl["name"], tpl["node_count"], tpl["total_x100"], tpl["valid"]),
                         ("Mẫu khối sở 2026", 6, 9000, True))
        self.assertEqual(self.shape(tpl["nodes"]), expected)
        audit = self.server.sql("SELECT action FROM audit_log WHERE entity = 'criteria_template' "
                                f"AND entity_id = {tpl['id']}")
        self.assertEqual([tuple(a) for a in audit], [("create",)])
        # the name is unique
        r = self.office.post_json(f"/api/criteria/{tid}/template", {"name": "Mẫu khối sở 2026"})
        self.assertError(r, 409, "Đã có bảng mẫu")
        r = self.office.post_json(f"/api/criteria/{tid}/template", {"name": ""})
        self.assertError(r, 422, "tên bảng mẫu")
        self.assertEqual(int(self.server.sql(
            "SELECT count(*) FROM criteria_templates WHERE name = 'Mẫu khối sở 2026'")[0][0]), 1)

        listing = self.office.api("/criteria/templates")["items"]
        self.assertIn(("Mẫu khối sở 2026", 6, "90"),
                      [(t["name"], t["node_count"], t["total"]) for t in listing])
        page = self.office.get("/criteria/templates")
        self.assertEqual(page.status, 200)
        self.assertIn(f'href="/criteria/templates/{tpl["id"]}"', page.text)
        page = self.office.get(f"/criteria/templates/{tpl['id']}")
        self.assertEqual(page.status, 200)
        self.assertIn("Chỉ tiêu phát triển", page.text)
        self.assertEqual(self.office.get("/criteria/templates/999999").status, 404)

        # a new group's year: the create page offers the template
        gid2 = self.new_group("KHOI-DICH")
        page = self.office.get(f"/groups/{gid2}/2026/criteria")
        self.assertEqual(page.status, 200)
        self.assertIn("Chép từ bảng mẫu của tỉnh", page.text)
        self.assertIn(f'<option value="{tpl["id"]}">Mẫu khối sở 2026</option>', page.text)
        council = Client(self.server, login="hoidong")
        self.addCleanup(council.close)
        self.assertEqual(council.get(f"/groups/{gid2}/2026/criteria").status, 404)
        # refusals write nothing
        n = int(self.server.sql("SELECT count(*) FROM criteria_tables")[0][0])
        r = self.office.post_json(f"/api/groups/{gid2}/2026/criteria", {"template": 999999})
        self.assertError(r, 422, "Không có bảng mẫu")
        r = self.office.post_json(f"/api/groups/{gid2}/2026/criteria",
                                  {"template": tpl["id"], "copy": "yes"})
        self.assertError(r, 422, "Chỉ chọn một nguồn")
        self.assertEqual(int(self.server.sql("SELECT count(*) FROM criteria_tables")[0][0]), n)
        # the copy keeps the tree, codes, maxima, kinds, caps and order: 90.00
        r = self.office.post_json(f"/api/groups/{gid2}/2026/criteria", {"template": tpl["id"]})
        self.assertEqual(r.status, 201, r.body[:400])
        copy = r.json()["table"]
        self.assertEqual(self.shape(copy["nodes"]), expected)
        self.assertEqual((copy["total_x100"], copy["valid"], copy["status"]), (9000, True, "draft"))
        self.assertTrue(set(n["id"] for n in copy["nodes"]).isdisjoint(
            n["id"] for n in src["nodes"]))
        # the copy is the group's own: editing it leaves the template alone
        ii = copy["nodes"][0]["id"]
        r = self.office.post_json(f"/api/criteria/{copy['id']}/nodes/{ii}", {"name": "Đổi tên"})
        self.assertEqual(r.status, 200, r.body[:300])
        tpl2 = self.office.api(f"/criteria/templates/{tpl['id']}")["template"]
        self.assertEqual(tpl2["nodes"][0]["name"], "Phong trào")
        # deleting the template: only with confirm=yes; the copy stays whole
        r = self.office.post_json(f"/api/criteria/templates/{tpl['id']}/delete", {})
        self.assertError(r, 422, "xác nhận")
        page = self.office.get(f"/criteria/templates/{tpl['id']}")
        self.assertIn(f'action="/criteria/templates/{tpl["id"]}/delete"', page.text)
        r = self.office.post_json(f"/api/criteria/templates/{tpl['id']}/delete",
                                  {"confirm": "yes"})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(self.office.get(f"/criteria/templates/{tpl['id']}").status, 404)
        self.assertEqual(int(self.server.sql("SELECT count(*) FROM criteria_template_nodes "
                                             f"WHERE template_id = {tpl['id']}")[0][0]), 0)
        self.assertEqual(len(self.office.api(f"/groups/{gid2}/2026/criteria")["table"]["nodes"]),
                         6)
        audit = self.server.sql("SELECT action FROM audit_log WHERE entity = 'criteria_template' "
                                f"AND entity_id = {tpl['id']} ORDER BY seq")
        self.assertEqual([tuple(a) for a in audit], [("create",), ("delete",)])

    def test_who_may(self):
        gid, tid = self.source("KHOI-NGUON2")
        # mttq heads KHOI-MTTQ; sonoivu is deputy of KHOI-SO: neither saves templates
        for login in ("mttq", "sonoivu", "hoidong"):
            c = Client(self.server, login=login)
            self.addCleanup(c.close)
            r = c.post_json(f"/api/criteria/{tid}/template", {"name": f"Mẫu của {login}"})
            self.assertEqual(r.status, 403, r.body[:300])
            self.assertEqual(c.get("/api/criteria/templates").status, 403)
            r = c.post_json("/api/criteria/templates/1/delete", {"confirm": "yes"})
            self.assertEqual(r.status, 403, r.body[:300])
        admin = Client(self.server)
        self.addCleanup(admin.close)
        r = admin.post_json(f"/api/criteria/{tid}/template", {"name": "Mẫu của quản trị"})
        self.assertEqual(r.status, 201, r.body[:300])
        # an invalid table is not a template
        gid3 = self.new_group("KHOI-SAI")
        r = self.office.post_json(f"/api/groups/{gid3}/2026/criteria", {})
        bad = r.json()["table"]["id"]
        _, g = self.add(bad, "A", "Nhóm A", "group", "50")
        self.add(bad, "A.1", "Tiêu chí", "direct", "40", g)
        r = self.office.post_json(f"/api/criteria/{bad}/template", {"name": "Mẫu sai"})
        self.assertError(r, 422, "Nhóm A")


if __name__ == "__main__":
    unittest.main()
