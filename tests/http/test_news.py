"""News for the public portal (tin tức): an article drafted from a conference of
an emulation group states who chaired, who attended (and who did not), what was
reviewed and decided and the tasks ahead; the office edits and publishes it; the
public reads only what is published, at /news and /news/{slug}."""

import re
import unittest
import urllib.parse

from harness import Client, Server, ServerTest, lit

TODAY = "2026-12-20"
GROUP_NAME = "Khối thi đua MTTQ và các đoàn thể tỉnh"
SUMMARY = ("Năm 2026, các đơn vị thành viên hoàn thành 14/15 chỉ tiêu giao ước; "
           "phong trào \"Dân vận khéo\" có 37 mô hình mới.")

EXPECTED_BODY = """\
Ngày 18/12/2026, tại Hội trường Ủy ban MTTQ tỉnh, Khối thi đua MTTQ và các đoàn thể tỉnh tổ chức \
Hội nghị tổng kết công tác thi đua năm 2026.

Chủ trì hội nghị: đồng chí Nguyễn Văn An, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh (Ủy ban MTTQ Việt \
Nam tỉnh); đồng chí Trần Thị Bình, Phó Chủ tịch (Liên đoàn Lao động tỉnh).

Tham dự hội nghị có đại diện lãnh đạo 5/6 đơn vị thành viên của Khối: Hội Cựu chiến binh tỉnh, \
Hội Liên hiệp Phụ nữ tỉnh, Hội Nông dân tỉnh, Liên đoàn Lao động tỉnh và Ủy ban MTTQ Việt Nam \
tỉnh. Vắng mặt: Tỉnh đoàn (vắng có lý do).

Hội nghị đã nghe báo cáo, xem xét và đánh giá kết quả thực hiện phong trào thi đua:

""" + SUMMARY + """

Hội nghị đã thống nhất:
- Thông qua báo cáo tổng kết công tác thi đua năm 2026.
- Bầu Liên đoàn Lao động tỉnh làm Trưởng khối, Hội Liên hiệp Phụ nữ tỉnh làm Phó khối năm 2027.

Nhiệm vụ trọng tâm thời gian tới:
- Phát động phong trào thi đua năm 2027 (hạn 31/01/2027)
- Hoàn thiện hồ sơ đề nghị Cờ thi đua của UBND tỉnh (Ủy ban MTTQ Việt Nam tỉnh, hạn 31/12/2026)"""


class News(ServerTest):
    @classmethod
    def setUpClass(cls):
        # "today" pinned: the publication date and the demo's year are known
        cls.server = Server(env={"TDKT_TODAY": TODAY})
        sql = cls.server.sql
        cls.unit = {code: int(i) for code, i in sql("SELECT code, id FROM units")}
        cls.group = {code: int(i) for code, i in sql("SELECT code, id FROM emulation_groups")}
        cls.year = 2026

    def setUp(self):
        super().setUp()
        self.office = Client(self.server, login="vanphong")
        self.head = Client(self.server, login="mttq")       # MTTQ heads KHOI-MTTQ
        self.anon = Client(self.server, login=None)
        for c in (self.office, self.head, self.anon):
            self.addCleanup(c.close)

    # --- fixtures: conferences as the conference pages would record them -------

    def conference(self, group="KHOI-MTTQ", kind="yearend", title="Hội nghị tổng kết năm 2026",
                   held_on="2026-12-18", place="Hội trường Ủy ban MTTQ tỉnh", summary=SUMMARY):
        sql = self.server.sql
        now = "2026-12-18T01:00:00Z"
        return int(sql(
            "INSERT INTO conferences (group_id, year, kind, title, held_on, place, summary, "
            f"created_at, updated_at) VALUES ({self.group[group]}, {self.year}, {lit(kind)}, "
            f"{lit(title)}, {lit(held_on)}, {lit(place)}, {lit(summary)}, {lit(now)}, {lit(now)}) "
            "RETURNING id")[0][0])

    def attend(self, conf, present, absent=(), note=""):
        for code in present:
            self.server.sql("INSERT INTO conference_attendance (conference_id, unit_id, present, "
                            f"representative) VALUES ({conf}, {self.unit[code]}, 1, 'Đại diện')")
        for code in absent:
            self.server.sql("INSERT INTO conference_attendance (conference_id, unit_id, present, "
                            f"note) VALUES ({conf}, {self.unit[code]}, 0, {lit(note)})")

    def full_conference(self):
        """The year-end conference of KHOI-MTTQ: two chairs, 5 of 6 present,
        a conclusion, an election and two tasks."""
        conf = self.conference()
        sql, u = self.server.sql, self.unit
        sql("INSERT INTO conference_chairs (conference_id, position, unit_id, person_name, "
            f"person_title) VALUES ({conf}, 1, {u['MTTQ']}, 'Nguyễn Văn An', "
            "'Chủ tịch Ủy ban MTTQ Việt Nam tỉnh')")
        sql("INSERT INTO conference_chairs (conference_id, position, unit_id, person_name, "
            f"person_title) VALUES ({conf}, 2, {u['LDLD']}, 'Trần Thị Bình', 'Phó Chủ tịch')")
        self.attend(conf, ["MTTQ", "LDLD", "HLHPN", "HND", "HCCB"], ["TDOAN"], "vắng có lý do")
        at = "2026-12-18T03:00:00Z"
        # inserted out of order: the article follows the positions
        sql("INSERT INTO conference_decisions (conference_id, position, kind, content, "
            f"head_unit_id, deputy_unit_id, created_at) VALUES ({conf}, 2, 'election', "
            f"'Bầu Trưởng khối, Phó Trưởng khối năm 2027.', {u['LDLD']}, {u['HLHPN']}, {lit(at)})")
        sql("INSERT INTO conference_decisions (conference_id, position, kind, content, "
            f"created_at) VALUES ({conf}, 1, 'conclusion', "
            f"'Thông qua báo cáo tổng kết công tác thi đua năm 2026.', {lit(at)})")
        sql("INSERT INTO conference_tasks (conference_id, position, content, unit_id, due_on) "
            f"VALUES ({conf}, 2, 'Hoàn thiện hồ sơ đề nghị Cờ thi đua của UBND tỉnh', "
            f"{u['MTTQ']}, '2026-12-31')")
        sql("INSERT INTO conference_tasks (conference_id, position, content, unit_id, due_on) "
            f"VALUES ({conf}, 1, 'Phát động phong trào thi đua năm 2027', NULL, '2027-01-31')")
        return conf

    def draft(self, conf, client=None):
        r = (client or self.head).post_json(f"/api/conferences/{conf}/news", {})
        self.assertEqual(r.status, 201, r.body[:500])
        return r.json()

    def news_count(self):
        return int(self.server.sql("SELECT count(*) FROM news")[0][0])

    def audit_count(self, entity_id):
        return int(self.server.sql("SELECT count(*) FROM audit_log WHERE entity = 'news' AND "
                                   f"entity_id = {entity_id}")[0][0])

    def publish(self, news_id, **fields):
        r = self.office.post_json(f"/api/news/{news_id}/publish", fields)
        self.assertEqual(r.status, 200, r.body[:500])
        return r.json()["news"]

    def public_slugs(self, client=None):
        items = (client or self.anon).api("/news?per_page=200")["items"]
        return [n["slug"] for n in items]

    # --- drafting from a conference --------------------------------------------

    def test_draft_states_chairs_attendance_decisions_and_tasks(self):
        conf = self.full_conference()
        out = self.draft(conf)
        n = out["news"]
        self.assertEqual(n["title"], GROUP_NAME + " tổng kết công tác thi đua năm 2026")
        self.assertEqual(n["summary"],
                         "Ngày 18/12/2026, Khối thi đua MTTQ và các đoàn thể tỉnh tổ chức Hội nghị "
                         "tổng kết công tác thi đua năm 2026 với sự tham dự của 5/6 đơn vị thành "
                         "viên.")
        self.assertEqual(n["body"], EXPECTED_BODY)
        self.assertEqual((n["status"], n["published_on"], n["conference_id"]),
                         ("draft", None, conf))
        self.assertTrue(n["slug"].startswith(
            "khoi-thi-dua-mttq-va-cac-doan-the-tinh-tong-ket-cong-tac-thi-dua-nam-2026"),
            n["slug"])
        # a unit officer cannot edit: they are sent to read the draft instead
        self.assertEqual(out["location"], "/news/" + n["slug"])
        # the drafter may read it; the paragraphs are those of the body
        own = self.head.api("/news/" + urllib.parse.quote(n["slug"]))
        self.assertTrue(own["preview"])
        paras = [[l["text"] for l in p["lines"]] for p in own["news"]["paragraphs"]]
        self.assertEqual(len(paras), 7)
        self.assertEqual(paras[5], ["Hội nghị đã thống nhất:",
                                    "- Thông qua báo cáo tổng kết công tác thi đua năm 2026.",
                                    "- Bầu Liên đoàn Lao động tỉnh làm Trưởng khối, Hội Liên hiệp "
                                    "Phụ nữ tỉnh làm Phó khối năm 2027."])
        # recorded in the audit log with its author
        rows = self.server.sql("SELECT action, login FROM audit_log WHERE entity = 'news' AND "
                               f"entity_id = {n['id']}")
        self.assertEqual(rows, [("create", "mttq")])
        # the office drafting from the same conference is taken to the edit page
        again = self.draft(conf, self.office)
        self.assertEqual(again["location"], f"/news/{again['news']['id']}/edit")

    def test_titles_by_kind_and_unique_slugs(self):
        conf = self.conference(kind="midyear", held_on="2026-06-15", place="")
        self.attend(conf, ["MTTQ", "LDLD", "HLHPN", "HND", "HCCB", "TDOAN"])
        base = "khoi-thi-dua-mttq-va-cac-doan-the-tinh-so-ket-6-thang-dau-nam-2026"
        a, b, c = (self.draft(conf, self.office)["news"] for _ in range(3))
        self.assertEqual(a["title"], GROUP_NAME + " sơ kết 6 tháng đầu năm 2026")
        self.assertEqual([a["slug"], b["slug"], c["slug"]], [base, base + "-2", base + "-3"])
        # everyone present, no place: the sentences say so
        self.assertIn("Ngày 15/06/2026, Khối thi đua MTTQ và các đoàn thể tỉnh tổ chức Hội nghị sơ "
                      "kết công tác thi đua 6 tháng đầu năm 2026.", a["body"])
        self.assertIn("có đại diện lãnh đạo đủ 6/6 đơn vị thành viên của Khối: ", a["body"])
        self.assertNotIn("Vắng mặt", a["body"])
        self.assertNotIn("Chủ trì", a["body"])    # no chairs recorded: no sentence about them
        pledge = self.conference(kind="pledge", held_on="2026-02-10")
        self.attend(pledge, ["MTTQ"], ["LDLD"])
        p = self.draft(pledge, self.office)["news"]
        self.assertEqual(p["title"], GROUP_NAME + " ký kết giao ước thi đua năm 2026")
        # a member without an attendance row counts as absent, unnamed note and all
        self.assertIn("1/6 đơn vị", p["body"])
        self.assertIn("Vắng mặt: Hội Cựu chiến binh tỉnh, Hội Liên hiệp Phụ nữ tỉnh, Hội Nông dân "
                      "tỉnh, Liên đoàn Lao động tỉnh và Tỉnh đoàn.", p["body"])
        other = self.conference(kind="other", title="Hội nghị chuyên đề chuyển đổi số")
        self.attend(other, ["MTTQ"])
        o = self.draft(other, self.office)["news"]
        self.assertEqual((o["title"], o["slug"]),
                         ("Hội nghị chuyên đề chuyển đổi số", "hoi-nghi-chuyen-de-chuyen-doi-so"))

    def test_conference_without_attendance_is_refused(self):
        conf = self.conference()
        before = self.news_count()
        r = self.office.post_json(f"/api/conferences/{conf}/news", {})
        self.assertError(r, 422, "điểm danh")
        self.assertIn("conference", r.json()["errors"])
        page = self.office.post_form(f"/conferences/{conf}/news", {})
        self.assertError(page, 422, "chưa ghi điểm danh")
        self.assertEqual(self.news_count(), before)
        self.assertError(self.office.post_json("/api/conferences/999999/news", {}), 404)

    def test_only_the_groups_leaders_and_the_office_draft(self):
        conf = self.full_conference()
        before = self.news_count()
        # SNV is no member of KHOI-MTTQ; the council drafts nothing
        for login in ("sonoivu", "hoidong"):
            c = Client(self.server, login=login)
            try:
                r = c.post_json(f"/api/conferences/{conf}/news", {})
                self.assertEqual(r.status, 403, (login, r.body[:300]))
            finally:
                c.close()
        self.assertEqual(self.news_count(), before)
        # the deputy of KHOI-SO (SNV) drafts from its own bloc's conference
        so = self.conference(group="KHOI-SO", kind="midyear", held_on="2026-06-16")
        self.attend(so, ["STC", "SNV", "SGDDT"])
        nv = Client(self.server, login="sonoivu")
        try:
            r = nv.post_json(f"/api/conferences/{so}/news", {})
            self.assertEqual(r.status, 201, r.body[:300])
            self.assertIn("3/10 đơn vị", r.json()["news"]["body"])
            # and may not edit or publish it: that is the office's
            nid = r.json()["news"]["id"]
            self.assertEqual(nv.post_json(f"/api/news/{nid}/publish", {}).status, 403)
            self.assertEqual(nv.get(f"/api/news/{nid}/edit").status, 403)
        finally:
            nv.close()

    # --- publishing -----------------------------------------------------------------

    def test_draft_is_hidden_until_published(self):
        n = self.draft(self.full_conference())["news"]
        path = "/news/" + n["slug"]
        self.assertEqual(self.anon.get(path).status, 404)
        self.assertEqual(self.anon.get("/api" + path).status, 404)
        self.assertNotIn(n["slug"], self.public_slugs())
        # asking for drafts does not show them to the public either
        drafts = self.anon.api("/news?status=draft&per_page=200")["items"]
        self.assertNotIn(n["slug"], [d["slug"] for d in drafts])
        # another unit's officer neither (not the office, not the drafter)
        nv = Client(self.server, login="sonoivu")
        self.addCleanup(nv.close)
        self.assertEqual(nv.get("/api" + path).status, 404)
        # the office sees it among the drafts, and previews it
        office_drafts = self.office.api("/news?status=draft&per_page=200")["items"]
        self.assertIn(n["slug"], [d["slug"] for d in office_drafts])
        self.assertTrue(self.office.api(path)["preview"])

        published = self.publish(n["id"], version=n["version"])
        self.assertEqual((published["status"], published["published_on"],
                          published["published_on_dmy"], published["version"]),
                         ("published", TODAY, "20/12/2026", n["version"] + 1))
        page = self.anon.get(path)
        self.assertEqual(page.status, 200, page.body[:300])
        html = page.text
        self.assertIn("<h1 id=\"news-title\">" + n["title"] + "</h1>", html)
        self.assertIn("<p>Hội nghị đã thống nhất:<br>- Thông qua báo cáo tổng kết", html)
        # the quotes of the summary are escaped, like everything of the body
        self.assertIn("&quot;Dân vận khéo&quot;", html)
        self.assertNotIn("Bản nháp, chưa đăng", html)
        self.assertNotIn("/logout", html)                # no navigation for the public
        self.assertIn(n["slug"], self.public_slugs())
        listed = next(i for i in self.anon.api("/news?per_page=200")["items"]
                      if i["slug"] == n["slug"])
        self.assertEqual((listed["url"], listed["published_on_dmy"], listed["edit_url"]),
                         (path, "20/12/2026", ""))
        self.assertNotIn("body", listed)
        lst = self.anon.get("/news")
        self.assertEqual(lst.status, 200)
        self.assertIn(f'<a href="{path}">', lst.text)

        # withdrawn: gone for the public again
        r = self.office.post_json(f"/api/news/{n['id']}/unpublish", {})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual((r.json()["news"]["status"], r.json()["news"]["published_on"]),
                         ("draft", None))
        self.assertEqual(self.anon.get(path).status, 404)
        self.assertNotIn(n["slug"], self.public_slugs())
        actions = [a for (a,) in self.server.sql(
            f"SELECT action FROM audit_log WHERE entity = 'news' AND entity_id = {n['id']} "
            "ORDER BY seq")]
        self.assertEqual(actions, ["create", "publish", "unpublish"])

    def test_publish_date(self):
        n = self.draft(self.full_conference(), self.office)["news"]
        for bad, word in (("31/02/2026", "ngày có thật"), ("21/12/2026", "sau hôm nay")):
            r = self.office.post_json(f"/api/news/{n['id']}/publish", {"published_on": bad})
            self.assertError(r, 422, word)
            self.assertIn("published_on", r.json()["errors"])
        self.assertEqual(self.office.api(f"/news/{n['id']}/edit")["news"]["status"], "draft")
        p = self.publish(n["id"], published_on="19/12/2026")
        self.assertEqual(p["published_on"], "2026-12-19")
        # a stale version is refused
        r = self.office.post_json(f"/api/news/{n['id']}/unpublish", {"version": n["version"]})
        self.assertEqual(r.status, 409, r.body[:300])
        self.assertEqual(self.office.api(f"/news/{n['id']}/edit")["news"]["status"], "published")

    # --- editing ---------------------------------------------------------------------

    def edit_body(self, n, **change):
        body = {"title": n["title"], "slug": n["slug"], "summary": n["summary"], "body": n["body"],
                "version": n["version"]}
        body.update(change)
        return body

    def test_edit_with_versions(self):
        n = self.draft(self.full_conference(), self.office)["news"]
        r = self.office.post_json(f"/api/news/{n['id']}", self.edit_body(n, title="Tin đã sửa"))
        self.assertEqual(r.status, 200, r.body[:300])
        edited = r.json()["news"]
        self.assertEqual((edited["title"], edited["version"], edited["slug"]),
                         ("Tin đã sửa", n["version"] + 1, n["slug"]))
        # the old version again: 409, and nothing changes
        r = self.office.post_json(f"/api/news/{n['id']}", self.edit_body(n, title="Ghi đè"))
        self.assertEqual(r.status, 409, r.body[:300])
        self.assertIn("vừa được người khác sửa", r.text)
        # without a version: 422
        body = self.edit_body(edited)
        del body["version"]
        r = self.office.post_json(f"/api/news/{n['id']}", body)
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("version", r.json()["errors"])
        now = self.office.api(f"/news/{n['id']}/edit")["news"]
        self.assertEqual((now["title"], now["version"]), ("Tin đã sửa", edited["version"]))
        self.assertEqual(self.audit_count(n["id"]), 2)
        # the form page: the fields and the publish form
        page = self.office.get(f"/news/{n['id']}/edit")
        self.assertEqual(page.status, 200, page.body[:300])
        self.assertIn('name="version" value="%d"' % edited["version"], page.text)
        self.assertIn(f'action="/news/{n["id"]}/publish"', page.text)
        # an empty slug keeps the address the article has
        r = self.office.post_json(f"/api/news/{n['id']}", self.edit_body(now, slug=""))
        self.assertEqual(r.json()["news"]["slug"], n["slug"])

    def test_slug_rules(self):
        conf = self.full_conference()
        a = self.draft(conf, self.office)["news"]
        b = self.draft(conf, self.office)["news"]
        for bad in ("Tin-Moi", "tin mới", "tin--moi", "-tin", "tin_moi", "a" * 81, "new",
                    b["slug"]):
            r = self.office.post_json(f"/api/news/{a['id']}", self.edit_body(a, slug=bad))
            self.assertEqual(r.status, 422, (bad, r.body[:300]))
            self.assertIn("slug", r.json()["errors"], bad)
        self.assertIn("đã được dùng", self.office.post_json(
            f"/api/news/{a['id']}", self.edit_body(a, slug=b["slug"])).text)
        # the form is shown again with what was typed and the message beside it
        page = self.office.post_form(f"/news/{a['id']}", self.edit_body(a, slug="Tin Mới"))
        self.assertEqual(page.status, 422)
        self.assertIn('value="Tin Mới"', page.text)
        self.assertIn('id="slug-err"', page.text)
        after = self.office.api(f"/news/{a['id']}/edit")["news"]
        self.assertEqual((after["slug"], after["version"]), (a["slug"], a["version"]))
        self.assertEqual(self.audit_count(a["id"]), 1)
        # a good one is taken, and the old address is free again
        r = self.office.post_json(f"/api/news/{a['id']}", self.edit_body(a, slug="tong-ket-2026"))
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json()["news"]["url"], "/news/tong-ket-2026")
        self.assertEqual(self.office.api("/news/tong-ket-2026")["news"]["id"], a["id"])

    def test_hand_written_article(self):
        # /news/new is the form, not an article called "new"
        self.assertEqual(self.office.get("/news/new").status, 200)
        r = self.anon.get("/news/new")
        self.assertEqual(r.status, 303)
        self.assertTrue(r.headers["location"].startswith("/login?"), r.headers)
        r = self.office.post_form("/news", {"title": "", "body": ""})
        self.assertEqual(r.status, 422)
        self.assertIn('id="title-err"', r.text)
        body = "Đoạn một <script>alert(1)</script>\ndòng hai\n\n\n  Đoạn hai & hết  "
        r = self.office.post_form("/news", {"title": "Thông báo: Lịch tiếp nhận hồ sơ 2027!",
                                            "summary": "Tóm tắt.", "body": body})
        self.assertEqual(r.status, 303, r.body[:300])
        nid = int(re.match(r"/news/(\d+)/edit$", r.headers["location"]).group(1))
        n = self.office.api(f"/news/{nid}/edit")["news"]
        self.assertEqual(n["slug"], "thong-bao-lich-tiep-nhan-ho-so-2027")
        self.assertEqual([[l["text"] for l in p["lines"]] for p in n["paragraphs"]],
                         [["Đoạn một <script>alert(1)</script>", "dòng hai"], ["Đoạn hai & hết"]])
        self.publish(nid)
        html = self.anon.get("/news/" + n["slug"]).text
        self.assertIn("<p>Đoạn một &lt;script&gt;alert(1)&lt;/script&gt;<br>dòng hai</p>"
                      "<p>Đoạn hai &amp; hết</p>", html)
        self.assertNotIn("<script>alert", html)
        # the same title again gets -2
        r = self.office.post_json("/api/news", {"title": "Thông báo: Lịch tiếp nhận hồ sơ 2027!",
                                                "body": "x"})
        self.assertEqual(r.status, 201, r.body[:300])
        self.assertEqual(r.json()["news"]["slug"], "thong-bao-lich-tiep-nhan-ho-so-2027-2")

    def test_list_order_and_paging(self):
        conf = self.conference(group="KHOI-DANG", kind="other", title="Hội nghị thử thứ tự tin")
        self.attend(conf, ["VPTU"])
        ids = [self.draft(conf, self.office)["news"]["id"] for _ in range(3)]
        for nid, day in zip(ids, ("01/12/2026", "03/12/2026", "02/12/2026")):
            self.publish(nid, published_on=day)
        items = self.anon.api("/news?per_page=200")["items"]
        mine = [i["id"] for i in items if i["id"] in ids]
        self.assertEqual(mine, [ids[1], ids[2], ids[0]])     # newest first
        total = self.anon.api("/news?per_page=10")["total"]
        self.assertEqual(total, int(self.server.sql(
            "SELECT count(*) FROM news WHERE status = 'published'")[0][0]))
        self.assertEqual(self.anon.get("/api/news?page=0").status, 400)


if __name__ == "__main__":
    unittest.main()
