"""Conferences of a group's year (RULES.md §8): attendance and the quorum
(checked before anything is decided), chairs, figures against the pledge and
the progress per unit, tasks, conclusions, the election of next year's head
and deputy with their rights from 1 January, and the minutes as DOCX and PDF
and in the register — on both drivers. "Today" is pinned to 20/06/2026, so
the demo's year is 2026.

Hand-computed: KHOI-MTTQ has 6 members and the quorum 2/3, so a meeting needs
ceil(6 * 2 / 3) = 4 units present."""

import io
import re
import subprocess
import unittest
import zipfile

from harness import Client, Server, ServerTest

YEAR = 2026
PASSWORD = "Mat-khau-kiem-thu-2026!"


def docx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    # paragraphs to lines, runs joined, tags dropped
    xml = re.sub(r"</w:p>", "\n", xml)
    return re.sub(r"<[^>]+>", "", xml)


def pdf_text(data):
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")


class Conferences(ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(env={"TDKT_TODAY": "2026-12-20"})
        cls.unit = {code: int(i) for i, code in cls.server.sql("SELECT id, code FROM units")}
        cls.name = {code: n for code, n in cls.server.sql("SELECT code, name FROM units")}
        cls.group = {code: int(i) for i, code in
                     cls.server.sql("SELECT id, code FROM emulation_groups")}

    # --- helpers ---------------------------------------------------------------

    def scalar(self, q):
        return int(self.server.sql(q)[0][0])

    def count(self, table, conf):
        return self.scalar(f"SELECT count(*) FROM {table} WHERE conference_id = {conf}")

    def create(self, kind="yearend", held_on="2026-12-15", group="KHOI-MTTQ", client=None,
               **more):
        body = {"kind": kind, "held_on": held_on, **more}
        r = (client or self.c).post_json(f"/api/groups/{self.group[group]}/{YEAR}/conferences",
                                         body)
        self.assertEqual(r.status, 201, r.body[:400])
        return r.json()["conference"]

    def attend(self, conf, present=(), absent=(), client=None):
        for code in present:
            r = (client or self.c).post_json(f"/api/conferences/{conf}/attendance",
                                             {"unit_id": self.unit[code], "present": "yes",
                                              "representative": "Đại diện " + code})
            self.assertEqual(r.status, 200, r.body[:400])
        for code, note in absent:
            r = (client or self.c).post_json(f"/api/conferences/{conf}/attendance",
                                             {"unit_id": self.unit[code], "present": "no",
                                              "note": note})
            self.assertEqual(r.status, 200, r.body[:400])

    def grants(self, group, year):
        return sorted(self.server.sql(
            f"SELECT u.code, g.role, g.valid_from, g.valid_to FROM role_grants g JOIN units u ON "
            f"u.id = g.unit_id WHERE g.scope_kind = 'group' AND g.scope_id = {self.group[group]} "
            f"AND g.valid_from = '{year}-01-01'"))

    def year_row(self, group, year):
        return self.server.sql(
            f"SELECT COALESCE(h.code, ''), COALESCE(d.code, ''), COALESCE(CAST(y.elected_at AS "
            f"TEXT), '') FROM group_years y LEFT JOIN units h ON h.id = y.head_unit_id LEFT JOIN "
            f"units d ON d.id = y.deputy_unit_id WHERE y.group_id = {self.group[group]} AND "
            f"y.year = {year}")

    # --- creating ----------------------------------------------------------------

    def test_create_defaults_and_date_outside_the_year(self):
        before = self.scalar("SELECT count(*) FROM conferences")
        r = self.c.post_json(f"/api/groups/{self.group['KHOI-MTTQ']}/{YEAR}/conferences",
                             {"kind": "midyear", "held_on": "2027-07-10"})
        self.assertEqual(r.status, 422, r.body[:400])
        self.assertEqual(r.json()["errors"]["held_on"], "Ngày họp phải trong năm 2026.")
        r = self.c.post_form(f"/groups/{self.group['KHOI-MTTQ']}/{YEAR}/conferences",
                             {"kind": "midyear", "held_on": "31/12/2025", "starts_at": "25:00"})
        self.assertError(r, 422, "Ngày họp phải trong năm 2026.", "giờ:phút")
        r = self.c.post_json(f"/api/groups/{self.group['KHOI-MTTQ']}/{YEAR}/conferences",
                             {"kind": "midyear", "held_on": "31/02/2026"})
        self.assertEqual(r.status, 422)
        self.assertIn("ngày có thật", r.json()["errors"]["held_on"])
        r = self.c.post_json(f"/api/groups/{self.group['KHOI-MTTQ']}/{YEAR}/conferences",
                             {"kind": "hop", "held_on": "2026-07-10"})
        self.assertEqual(r.status, 422)
        self.assertIn("kind", r.json()["errors"])
        r = self.c.post_json(f"/api/groups/{self.group['KHOI-MTTQ']}/{YEAR}/conferences",
                             {"kind": "midyear", "held_on": "2026-07-10", "starts_at": "14:00",
                              "ends_at": "13:30"})
        self.assertEqual(r.status, 422)
        self.assertIn("ends_at", r.json()["errors"])
        self.assertEqual(self.scalar("SELECT count(*) FROM conferences"), before)
        # a year the group does not have
        r = self.c.get(f"/api/groups/{self.group['KHOI-MTTQ']}/2031/conferences/new")
        self.assertEqual(r.status, 404)

        conf = self.create(kind="midyear", held_on="10/07/2026", place="Hội trường Tỉnh đoàn")
        self.assertEqual(conf["title"], "Hội nghị sơ kết 6 tháng đầu năm 2026")
        self.assertEqual((conf["held_on"], conf["starts_at"], conf["version"]),
                         ("2026-07-10", "08:00", 1))
        page = self.c.get(f"/conferences/{conf['id']}")
        self.assertEqual(page.status, 200)
        self.assertIn("Hội nghị sơ kết 6 tháng đầu năm 2026", page.text)
        self.assertIn("0/6 đơn vị có mặt, cần ít nhất 4: chưa đủ điều kiện biểu quyết", page.text)
        self.assertEqual(self.c.get(f"/groups/{self.group['KHOI-MTTQ']}/{YEAR}/conferences/new")
                         .status, 200)
        self.assertEqual(self.c.get("/api/conferences/999999").status, 404)
        audit = self.server.sql(f"SELECT action FROM audit_log WHERE entity = 'conference' AND "
                                f"entity_id = {conf['id']}")
        self.assertEqual(audit, [("create",)])

    def test_edit_with_versions(self):
        conf = self.create(kind="other", held_on="2026-03-02")
        cid = conf["id"]
        body = {"title": "Hội nghị bàn về chấm điểm", "held_on": "2026-03-05",
                "starts_at": "14:00", "ends_at": "16:30", "place": "Phòng họp số 2",
                "secretary": "Lê Thu Hà", "summary": "Dòng một\nDòng hai", "version": 1}
        r = self.c.post_json(f"/api/conferences/{cid}", dict(body, held_on="2025-12-31"))
        self.assertEqual(r.status, 422)
        self.assertEqual(r.json()["errors"]["held_on"], "Ngày họp phải trong năm 2026.")
        r = self.c.post_json(f"/api/conferences/{cid}", {k: v for k, v in body.items()
                                                          if k != "version"})
        self.assertEqual(r.status, 422)
        self.assertIn("version", r.json()["errors"])
        r = self.c.post_json(f"/api/conferences/{cid}", body)
        self.assertEqual(r.status, 200, r.body[:400])
        got = self.c.api(f"/conferences/{cid}")["conference"]
        self.assertEqual((got["title"], got["held_on"], got["ends_at"], got["summary"],
                          got["version"]),
                         ("Hội nghị bàn về chấm điểm", "2026-03-05", "16:30",
                          "Dòng một\nDòng hai", 2))
        r = self.c.post_json(f"/api/conferences/{cid}", dict(body, title="Cũ"))
        self.assertEqual(r.status, 409, r.body[:400])
        self.assertEqual(self.c.api(f"/conferences/{cid}")["conference"]["title"],
                         "Hội nghị bàn về chấm điểm")
        self.assertEqual(self.c.get(f"/conferences/{cid}/edit").status, 200)

    # --- quorum, decisions, election, minutes ------------------------------------

    def test_quorum_decisions_election_and_minutes(self):
        conf = self.create(kind="yearend", held_on="2026-12-15", place="Hội trường Ủy ban MTTQ",
                           secretary="Trần Thị Bình", ends_at="11:30")
        cid = conf["id"]
        r = self.c.post_json(f"/api/conferences/{cid}/chairs",
                             {"unit_id": self.unit["MTTQ"], "person_name": "Nguyễn Văn Chủ",
                              "person_title": "Chủ tịch"})
        self.assertEqual(r.status, 200, r.body[:400])
        # the minutes need the attendance first
        r = self.c.get(f"/conferences/{cid}/minutes.docx")
        self.assertError(r, 422, "Chưa ghi thành phần dự họp")

        # three present out of six: 3 < 4
        self.attend(cid, present=("MTTQ", "LDLD", "HLHPN"), absent=(("HND", "có lý do"),))
        q = self.c.api(f"/conferences/{cid}")["quorum"]
        self.assertEqual((q["members"], q["present"], q["absent"], q["unrecorded"], q["needed"],
                          q["met"]), (6, 3, 1, 2, 4, False))
        self.assertEqual(q["text"], "3/6 đơn vị có mặt, cần ít nhất 4: chưa đủ điều kiện biểu quyết")
        grants_before = self.scalar("SELECT count(*) FROM role_grants")
        audit_before = self.scalar("SELECT count(*) FROM audit_log")
        r = self.c.post_json(f"/api/conferences/{cid}/decisions",
                             {"content": "Thống nhất đánh giá các đơn vị hoàn thành tốt."})
        self.assertEqual(r.status, 422, r.body[:400])
        self.assertIn("3/6", r.json()["errors"]["quorum"])
        self.assertIn("cần ít nhất 4", r.json()["errors"]["quorum"])
        r = self.c.post_json(f"/api/conferences/{cid}/election",
                             {"head_unit_id": self.unit["LDLD"],
                              "deputy_unit_id": self.unit["TDOAN"]})
        self.assertEqual(r.status, 422, r.body[:400])
        self.assertIn("3/6", r.json()["errors"]["quorum"])
        # the form's answer says the same on the page
        r = self.c.post_form(f"/conferences/{cid}/decisions", {"content": "Kết luận"})
        self.assertError(r, 422, "Chưa đủ số đơn vị dự họp để biểu quyết: 3/6")
        self.assertEqual(self.count("conference_decisions", cid), 0)
        self.assertEqual(self.year_row("KHOI-MTTQ", YEAR + 1), [])
        self.assertEqual(self.scalar("SELECT count(*) FROM role_grants"), grants_before)
        self.assertEqual(self.scalar("SELECT count(*) FROM audit_log"), audit_before)

        # the rotation proposed before next year exists: this year's deputy (LĐLĐ) leads
        election = self.c.api(f"/conferences/{cid}")["election"]
        self.assertEqual(election["next_year"], 2027)
        self.assertEqual(election["proposal"]["head"]["id"], self.unit["LDLD"])
        self.assertNotEqual(election["proposal"]["deputy"]["id"], self.unit["MTTQ"])
        self.assertIsNone(election["result"])
        page = self.c.get(f"/conferences/{cid}").text
        self.assertIn("Đề xuất theo thông lệ", page)
        self.assertIn(f"<strong>{self.name['LDLD']}</strong> làm Trưởng khối", page)

        # five present: 5 >= 4
        self.attend(cid, present=("HCCB", "TDOAN"))
        q = self.c.api(f"/conferences/{cid}")["quorum"]
        self.assertEqual((q["present"], q["needed"], q["met"]), (5, 4, True))
        self.assertEqual(q["text"], "5/6 đơn vị có mặt, cần ít nhất 4: đủ điều kiện biểu quyết")
        r = self.c.post_json(f"/api/conferences/{cid}/decisions",
                             {"content": "Thống nhất đánh giá 5/6 đơn vị hoàn thành tốt giao ước."})
        self.assertEqual(r.status, 200, r.body[:400])
        self.assertEqual(self.count("conference_decisions", cid), 1)

        # electing a unit that is not a member: refused, nothing written
        audit_before = self.scalar("SELECT count(*) FROM audit_log")
        r = self.c.post_json(f"/api/conferences/{cid}/election",
                             {"head_unit_id": self.unit["SNV"],
                              "deputy_unit_id": self.unit["TDOAN"]})
        self.assertEqual(r.status, 422, r.body[:400])
        self.assertIn("không là thành viên năm 2027", r.json()["errors"]["head_unit_id"])
        r = self.c.post_json(f"/api/conferences/{cid}/election",
                             {"head_unit_id": self.unit["LDLD"], "deputy_unit_id": self.unit["LDLD"]})
        self.assertEqual(r.status, 422, r.body[:400])
        self.assertIn("deputy_unit_id", r.json()["errors"])
        self.assertEqual(self.year_row("KHOI-MTTQ", YEAR + 1), [])
        self.assertEqual(self.year_row("KHOI-MTTQ", YEAR)[0][:2], ("MTTQ", "LDLD"))
        self.assertEqual(self.scalar("SELECT count(*) FROM role_grants"), grants_before)
        self.assertEqual(self.count("conference_decisions", cid), 1)
        self.assertEqual(self.scalar("SELECT count(*) FROM audit_log"), audit_before)

        # the election: next year's row, leaders and their grants from 1 January 2027
        r = self.c.post_json(f"/api/conferences/{cid}/election",
                             {"head_unit_id": self.unit["LDLD"],
                              "deputy_unit_id": self.unit["TDOAN"]})
        self.assertEqual(r.status, 200, r.body[:400])
        self.assertEqual(self.year_row("KHOI-MTTQ", 2027), [("LDLD", "TDOAN", str(cid))])
        self.assertEqual(self.grants("KHOI-MTTQ", 2027),
                         [("LDLD", "head", "2027-01-01", "2028-01-01"),
                          ("TDOAN", "deputy", "2027-01-01", "2028-01-01")])
        self.assertEqual(self.scalar(f"SELECT count(*) FROM group_members WHERE group_id = "
                                     f"{self.group['KHOI-MTTQ']} AND year = 2027"), 6)
        # this year's leaders are untouched
        self.assertEqual(self.year_row("KHOI-MTTQ", YEAR)[0][:2], ("MTTQ", "LDLD"))
        decisions = self.c.api(f"/conferences/{cid}")["decisions"]
        self.assertEqual([d["kind"] for d in decisions], ["conclusion", "election"])
        self.assertEqual(decisions[1]["content"],
                         f"Hội nghị thống nhất bầu {self.name['LDLD']} làm Trưởng khối, "
                         f"{self.name['TDOAN']} làm Phó khối năm 2027.")
        # a second election at the same conference replaces the first
        r = self.c.post_json(f"/api/conferences/{cid}/election",
                             {"head_unit_id": self.unit["HLHPN"],
                              "deputy_unit_id": self.unit["HND"]})
        self.assertEqual(r.status, 200, r.body[:400])
        self.assertEqual(self.year_row("KHOI-MTTQ", 2027), [("HLHPN", "HND", str(cid))])
        self.assertEqual(self.grants("KHOI-MTTQ", 2027),
                         [("HLHPN", "head", "2027-01-01", "2028-01-01"),
                          ("HND", "deputy", "2027-01-01", "2028-01-01")])
        model = self.c.api(f"/conferences/{cid}")
        self.assertEqual([d["kind"] for d in model["decisions"]], ["conclusion", "election"])
        self.assertEqual(model["election"]["result"]["head"]["id"], self.unit["HLHPN"])
        self.assertIn("elect", [a for (a,) in self.server.sql(
            f"SELECT action FROM audit_log WHERE entity = 'group_year' AND entity_id = "
            f"{self.group['KHOI-MTTQ']}")])

        # the minutes, from what was recorded
        self.c.post_json(f"/api/conferences/{cid}/tasks",
                         {"content": "Tổng hợp hồ sơ đề nghị khen thưởng", "unit_id":
                          self.unit["MTTQ"], "due_on": "2026-12-31"})
        for fmt, text_of in (("docx", docx_text), ("pdf", pdf_text)):
            r = self.c.get(f"/conferences/{cid}/minutes.{fmt}")
            self.assertEqual(r.status, 200, r.body[:400])
            text = text_of(r.body)
            flat = re.sub(r"\s+", " ", text)
            for needle in ("BIÊN BẢN", "Nguyễn Văn Chủ, Chủ tịch, " + self.name["MTTQ"],
                           "5/6 đơn vị thành viên", self.name["HND"] + " (có lý do)",
                           "Trần Thị Bình", "Hội nghị thống nhất bầu " + self.name["HLHPN"],
                           self.name["HND"] + " làm Phó khối năm 2027",
                           "8 giờ 00 phút, ngày 15 tháng 12 năm 2026", "11 giờ 30 phút",
                           "Tổng hợp hồ sơ đề nghị khen thưởng"):
                self.assertIn(needle, flat, fmt)
            if fmt == "docx":
                # the issuer: this year's head (its name may break over lines)
                self.assertIn(self.name["MTTQ"].upper().replace(" ", ""), flat.replace(" ", ""))

        # registering the minutes gives them a number of the head unit's register
        r = self.c.post_json(f"/api/conferences/{cid}/minutes", {})
        self.assertEqual(r.status, 201, r.body[:400])
        doc = r.json()["document"]
        self.assertEqual((doc["kind"], doc["issuer"]["id"], doc["issued_on"]),
                         ("BB", self.unit["MTTQ"], "2026-12-15"))
        self.assertRegex(doc["number_text"], r"^\d\d/BB-MTTQ$")
        self.assertEqual(self.server.sql(f"SELECT group_id FROM documents WHERE id = {doc['id']}"),
                         [(str(self.group["KHOI-MTTQ"]),)])
        self.assertEqual(self.c.api(f"/conferences/{cid}")["minutes"]["number_text"],
                         doc["number_text"])
        flat = re.sub(r"\s+", " ", docx_text(self.c.get(f"/conferences/{cid}/minutes.docx").body))
        self.assertIn("Số: " + doc["number_text"], flat)
        documents = self.scalar("SELECT count(*) FROM documents")
        r = self.c.post_json(f"/api/conferences/{cid}/minutes", {})
        self.assertEqual(r.status, 409, r.body[:400])
        self.assertIn(doc["number_text"], r.text)
        self.assertEqual(self.scalar("SELECT count(*) FROM documents"), documents)

    def test_elected_unit_cannot_manage_before_its_year(self):
        conf = self.create(kind="yearend", held_on="2026-12-20", group="KHOI-SO")
        cid = conf["id"]
        so = ("STC", "SNV", "SGDDT", "SYT", "SNNMT", "SXD", "SCT")
        self.attend(cid, present=so)   # 7/10, needs ceil(20/3) = 7
        q = self.c.api(f"/conferences/{cid}")["quorum"]
        self.assertEqual((q["members"], q["present"], q["needed"], q["met"]), (10, 7, 7, True))
        r = self.c.post_json(f"/api/conferences/{cid}/election",
                             {"head_unit_id": self.unit["SNV"], "deputy_unit_id": self.unit["SGDDT"]})
        self.assertEqual(r.status, 200, r.body[:400])
        self.assertEqual(self.grants("KHOI-SO", 2027),
                         [("SGDDT", "deputy", "2027-01-01", "2028-01-01"),
                          ("SNV", "head", "2027-01-01", "2028-01-01")])
        # SNV heads 2027, but in 2026 it may not act for 2027 yet
        nv = Client(self.server, login="sonoivu")
        self.addCleanup(nv.close)
        r = nv.post_json(f"/api/groups/{self.group['KHOI-SO']}/2027/conferences",
                         {"kind": "pledge", "held_on": "2027-02-20"})
        self.assertEqual(r.status, 403, r.body[:400])
        self.assertEqual(self.scalar("SELECT count(*) FROM conferences WHERE year = 2027"), 0)
        # SGDDT (no rights in 2026) sees the conference but may not record anything
        r = self.c.post_json("/api/users", {"login": "sogddt", "display_name": "Cán bộ Sở GD&ĐT",
                                            "role": "unit", "unit_id": self.unit["SGDDT"],
                                            "password": PASSWORD})
        self.assertEqual(r.status, 201, r.body[:400])
        gd = Client(self.server, login="sogddt", password=PASSWORD)
        self.addCleanup(gd.close)
        self.assertEqual(gd.get(f"/api/conferences/{cid}").status, 200)
        self.assertFalse(gd.api(f"/conferences/{cid}")["conference"]["can_manage"])
        before = self.count("conference_attendance", cid)
        r = gd.post_json(f"/api/conferences/{cid}/attendance",
                         {"unit_id": self.unit["SVHTTDL"], "present": "yes"})
        self.assertEqual(r.status, 403, r.body[:400])
        r = gd.post_json(f"/api/groups/{self.group['KHOI-SO']}/2027/conferences",
                         {"kind": "pledge", "held_on": "2027-02-20"})
        self.assertEqual(r.status, 403, r.body[:400])
        self.assertEqual(self.count("conference_attendance", cid), before)

    def test_quorum_is_the_groups_own(self):
        # KHOI-DANG decides with half its members: 6 members at 1/2 → 3
        g = self.group["KHOI-DANG"]
        self.server.sql(f"UPDATE emulation_groups SET quorum_num = 1, quorum_den = 2 WHERE id = {g}")
        try:
            cid = self.create(kind="other", held_on="2026-09-09", group="KHOI-DANG")["id"]
            self.attend(cid, present=("VPTU", "BTCTU"))
            q = self.c.api(f"/conferences/{cid}")["quorum"]
            self.assertEqual((q["members"], q["present"], q["needed"], q["met"]), (6, 2, 3, False))
            r = self.c.post_json(f"/api/conferences/{cid}/decisions", {"content": "Kết luận"})
            self.assertEqual(r.status, 422)
            self.assertIn("2/6", r.json()["errors"]["quorum"])
            self.attend(cid, present=("UBKTTU",))
            q = self.c.api(f"/conferences/{cid}")["quorum"]
            self.assertEqual((q["present"], q["needed"], q["met"]), (3, 3, True))
            self.assertIn("ít nhất 1/2", q["rule"])
            r = self.c.post_json(f"/api/conferences/{cid}/decisions", {"content": "Kết luận"})
            self.assertEqual(r.status, 200, r.body[:300])
            # an election only at the year-end review
            r = self.c.post_json(f"/api/conferences/{cid}/election",
                                 {"head_unit_id": self.unit["VPTU"],
                                  "deputy_unit_id": self.unit["BTCTU"]})
            self.assertEqual(r.status, 422)
            self.assertIn("tổng kết", r.json()["errors"]["head_unit_id"])
            self.assertEqual(self.year_row("KHOI-DANG", 2027), [])
        finally:
            self.server.sql(f"UPDATE emulation_groups SET quorum_num = 2, quorum_den = 3 WHERE "
                            f"id = {g}")

    # --- scope -------------------------------------------------------------------

    def test_scope(self):
        conf = self.create(kind="midyear", held_on="2026-07-08")
        cid = conf["id"]
        nv = Client(self.server, login="sonoivu")
        mt = Client(self.server, login="mttq")
        self.addCleanup(nv.close)
        self.addCleanup(mt.close)
        # SNV is not a member of KHOI-MTTQ: neither reads nor writes
        self.assertEqual(nv.get(f"/api/conferences/{cid}").status, 403)
        self.assertEqual(nv.get(f"/conferences/{cid}/minutes.pdf").status, 403)
        for path, body in (("attendance", {"unit_id": self.unit["MTTQ"], "present": "yes"}),
                           ("chairs", {"unit_id": self.unit["MTTQ"], "person_name": "A"}),
                           ("tasks", {"content": "Việc"}),
                           ("reports", {"unit_id": self.unit["MTTQ"], "pledge_item_id": 1,
                                        "actual": "1"}),
                           ("decisions", {"content": "Kết luận"}),
                           ("minutes", {})):
            r = nv.post_json(f"/api/conferences/{cid}/{path}", body)
            self.assertEqual(r.status, 403, (path, r.body[:300]))
        r = nv.post_json(f"/api/conferences/{cid}", {"title": "Đổi", "held_on": "2026-07-08",
                                                     "version": 1})
        self.assertEqual(r.status, 403)
        r = nv.post_json(f"/api/groups/{self.group['KHOI-MTTQ']}/{YEAR}/conferences",
                         {"kind": "other", "held_on": "2026-08-01"})
        self.assertEqual(r.status, 403)
        self.assertEqual(self.count("conference_attendance", cid), 0)
        self.assertEqual(self.count("conference_chairs", cid), 0)
        self.assertEqual(self.c.api(f"/conferences/{cid}")["conference"]["version"], 1)
        # MTTQ heads the bloc this year: it may
        self.assertTrue(mt.api(f"/conferences/{cid}")["conference"]["can_manage"])
        self.attend(cid, present=("MTTQ",), client=mt)
        # attendance does not move the conference's version: the secretary's
        # edit form, opened before it, still saves
        r = mt.post_json(f"/api/conferences/{cid}", {"title": "Sơ kết 6 tháng", "held_on":
                                                     "2026-07-08", "version": 1})
        self.assertEqual(r.status, 200, r.body[:300])
        page = mt.get(f"/conferences/{cid}")
        self.assertIn(f'action="/conferences/{cid}/attendance"', page.text)
        # the council reads, without the forms
        hd = Client(self.server, login="hoidong")
        self.addCleanup(hd.close)
        page = hd.get(f"/conferences/{cid}")
        self.assertEqual(page.status, 200)
        self.assertNotIn(f'action="/conferences/{cid}/attendance"', page.text)
        self.assertEqual(hd.post_json(f"/api/conferences/{cid}/tasks", {"content": "x"}).status,
                         403)

    # --- records: attendance, chairs, tasks --------------------------------------

    def test_attendance_chairs_and_tasks(self):
        conf = self.create(kind="pledge", held_on="2026-02-25")
        cid = conf["id"]
        r = self.c.post_json(f"/api/conferences/{cid}/attendance",
                             {"unit_id": self.unit["SNV"], "present": "yes"})
        self.assertEqual(r.status, 422)
        self.assertIn("không là thành viên", r.json()["errors"]["unit_id"])
        r = self.c.post_json(f"/api/conferences/{cid}/attendance",
                             {"unit_id": self.unit["HND"], "present": "maybe"})
        self.assertEqual(r.status, 422)
        self.assertIn("present", r.json()["errors"])
        self.assertEqual(self.count("conference_attendance", cid), 0)
        # upsert: one row per unit, the last answer counts
        self.attend(cid, absent=(("HND", "vắng"),))
        self.attend(cid, present=("HND",))
        rows = self.c.api(f"/conferences/{cid}")["attendance"]
        self.assertEqual(len(rows), 6)   # every member, recorded or not
        hnd = next(a for a in rows if a["unit_id"] == self.unit["HND"])
        self.assertEqual((hnd["status"], hnd["representative"], hnd["note"]),
                         ("present", "Đại diện HND", ""))
        self.assertEqual(sum(a["status"] == "unknown" for a in rows), 5)
        self.assertEqual(self.count("conference_attendance", cid), 1)
        # a unit that left before the day is not counted
        self.server.sql(f"UPDATE group_members SET left_on = '2026-02-01' WHERE group_id = "
                        f"{self.group['KHOI-MTTQ']} AND year = 2026 AND unit_id = "
                        f"{self.unit['HCCB']}")
        try:
            model = self.c.api(f"/conferences/{cid}")
            self.assertEqual((model["quorum"]["members"], model["quorum"]["needed"]), (5, 4))
            self.assertNotIn(self.unit["HCCB"], [a["unit_id"] for a in model["attendance"]])
            r = self.c.post_json(f"/api/conferences/{cid}/attendance",
                                 {"unit_id": self.unit["HCCB"], "present": "yes"})
            self.assertEqual(r.status, 422)
        finally:
            self.server.sql(f"UPDATE group_members SET left_on = NULL WHERE group_id = "
                            f"{self.group['KHOI-MTTQ']} AND year = 2026 AND unit_id = "
                            f"{self.unit['HCCB']}")

        # chairs
        r = self.c.post_json(f"/api/conferences/{cid}/chairs", {"unit_id": self.unit["MTTQ"]})
        self.assertEqual(r.status, 422)
        self.assertIn("person_name", r.json()["errors"])
        for name in ("Nguyễn Văn A", "Lê Thị B"):
            r = self.c.post_json(f"/api/conferences/{cid}/chairs",
                                 {"unit_id": self.unit["MTTQ"], "person_name": name})
            self.assertEqual(r.status, 200, r.body[:300])
        chairs = self.c.api(f"/conferences/{cid}")["chairs"]
        self.assertEqual([(c["position"], c["person_name"]) for c in chairs],
                         [(1, "Nguyễn Văn A"), (2, "Lê Thị B")])
        version = self.c.api(f"/conferences/{cid}")["conference"]["version"]
        r = self.c.post_json(f"/api/conferences/{cid}/chairs/1/delete", {})
        self.assertEqual(r.status, 422)   # no version
        r = self.c.post_json(f"/api/conferences/{cid}/chairs/1/delete", {"version": version - 1})
        self.assertEqual(r.status, 409)
        r = self.c.post_json(f"/api/conferences/{cid}/chairs/1/delete", {"version": version})
        self.assertEqual(r.status, 200, r.body[:300])
        r = self.c.post_json(f"/api/conferences/{cid}/chairs/7/delete", {"version": version + 1})
        self.assertEqual(r.status, 404)
        self.assertEqual([c["person_name"] for c in self.c.api(f"/conferences/{cid}")["chairs"]],
                         ["Lê Thị B"])

        # tasks
        r = self.c.post_json(f"/api/conferences/{cid}/tasks",
                             {"content": "Gửi báo cáo", "due_on": "2026-02-01"})
        self.assertEqual(r.status, 422)
        self.assertIn("due_on", r.json()["errors"])
        r = self.c.post_json(f"/api/conferences/{cid}/tasks",
                             {"content": "Gửi báo cáo", "unit_id": self.unit["SNV"]})
        self.assertEqual(r.status, 422)
        self.assertIn("unit_id", r.json()["errors"])
        r = self.c.post_json(f"/api/conferences/{cid}/tasks",
                             {"content": "Gửi báo cáo quý I", "due_on": "31/03/2026"})
        self.assertEqual(r.status, 200, r.body[:300])
        tasks = self.c.api(f"/conferences/{cid}")["tasks"]
        self.assertEqual([(t["content"], t["unit_name"], t["due_on"]) for t in tasks],
                         [("Gửi báo cáo quý I", "Tất cả đơn vị thành viên", "2026-03-31")])
        version = self.c.api(f"/conferences/{cid}")["conference"]["version"]
        r = self.c.post_json(f"/api/conferences/{cid}/tasks/{tasks[0]['id']}/delete",
                             {"version": version})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(self.count("conference_tasks", cid), 0)
        # reports only at reviews
        r = self.c.post_json(f"/api/conferences/{cid}/reports",
                             {"unit_id": self.unit["HND"], "pledge_item_id": 1, "actual": "1"})
        self.assertEqual(r.status, 422)
        self.assertIsNone(self.c.api(f"/conferences/{cid}")["review"])

    # --- figures against the pledge ----------------------------------------------

    def test_reports_and_progress(self):
        g = self.group["KHOI-MTTQ"]
        self.server.sql(f"INSERT INTO pledges (group_id, year, title, status, created_at, "
                        f"updated_at) VALUES ({g}, 2026, 'Giao ước thi đua năm 2026', 'signed', "
                        f"'2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z')")
        pledge = self.scalar(f"SELECT id FROM pledges WHERE group_id = {g} AND year = 2026")
        for pos, content, measure, target in ((1, "Kết nạp hội viên mới", "người", 10000),
                                              (2, "Tỷ lệ cơ sở vững mạnh", "%", 9000),
                                              (3, "Tổ chức tốt phong trào", "", None)):
            self.server.sql(f"INSERT INTO pledge_items (pledge_id, position, content, measure, "
                            f"target_x100) VALUES ({pledge}, {pos}, '{content}', '{measure}', "
                            f"{'NULL' if target is None else target})")
        items = [int(i) for (i,) in self.server.sql(
            f"SELECT id FROM pledge_items WHERE pledge_id = {pledge} ORDER BY position")]
        conf = self.create(kind="midyear", held_on="2026-07-15")
        cid = conf["id"]

        def report(code, item, actual, client=None):
            return (client or self.c).post_json(f"/api/conferences/{cid}/reports",
                                                {"unit_id": self.unit[code],
                                                 "pledge_item_id": items[item], "actual": actual})

        # bad figures name the field; nothing written
        r = report("MTTQ", 0, "năm mươi")
        self.assertEqual(r.status, 422)
        self.assertIn("Kết quả thực hiện", r.json()["errors"]["actual"])
        self.assertEqual(report("MTTQ", 0, "1,234").status, 422)
        r = report("SNV", 0, "50")
        self.assertEqual(r.status, 422)
        self.assertIn("unit_id", r.json()["errors"])
        # an item of another group's pledge
        so = self.group["KHOI-SO"]
        self.server.sql(f"INSERT INTO pledges (group_id, year, title, created_at, updated_at) "
                        f"VALUES ({so}, 2026, 'Khác', '2026-02-01T00:00:00Z', "
                        f"'2026-02-01T00:00:00Z')")
        other = self.scalar(f"SELECT id FROM pledges WHERE group_id = {so} AND year = 2026")
        self.server.sql(f"INSERT INTO pledge_items (pledge_id, position, content) VALUES "
                        f"({other}, 1, 'Khác')")
        other_item = self.scalar(f"SELECT id FROM pledge_items WHERE pledge_id = {other}")
        r = self.c.post_json(f"/api/conferences/{cid}/reports",
                             {"unit_id": self.unit["MTTQ"], "pledge_item_id": other_item,
                              "actual": "1"})
        self.assertEqual(r.status, 422)
        self.assertIn("pledge_item_id", r.json()["errors"])
        self.assertEqual(self.count("conference_reports", cid), 0)

        # mid-year: a quantity expects half (5.000 of 10.000 → 50,00), a rate all of it
        mt = Client(self.server, login="mttq")
        self.addCleanup(mt.close)
        for code, item, actual in (("MTTQ", 0, "50"), ("MTTQ", 1, "85"), ("LDLD", 0, "120"),
                                   ("LDLD", 1, "90"), ("HLHPN", 0, "49,5"), ("HLHPN", 1, "91.5")):
            r = report(code, item, actual, client=mt)
            self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(self.server.sql(
            f"SELECT actual_x100 FROM conference_reports WHERE conference_id = {cid} AND "
            f"unit_id = {self.unit['HLHPN']} ORDER BY pledge_item_id"), [("4950",), ("9150",)])
        review = self.c.api(f"/conferences/{cid}")["review"]
        self.assertEqual(review["pledge"]["title"], "Giao ước thi đua năm 2026")
        self.assertEqual([i["target_text"] for i in review["items"]], ["100", "90", ""])
        by = {u["unit_id"]: u for u in review["units"]}
        self.assertEqual(len(by), 6)

        def cells(code):
            return [c["progress"] for c in by[self.unit[code]]["cells"]]

        def counts(code):
            u = by[self.unit[code]]
            return (u["met"], u["on_track"], u["behind"], u["no_figure"], u["ok"])

        self.assertEqual(cells("MTTQ"), ["on_track", "behind", "no_figure"])
        # the qualitative third item counts for neither side
        self.assertEqual(counts("MTTQ"), (0, 1, 1, 0, False))
        self.assertEqual(cells("LDLD"), ["met", "met", "no_figure"])
        self.assertEqual(counts("LDLD"), (2, 0, 0, 0, True))
        self.assertEqual(cells("HLHPN"), ["behind", "met", "no_figure"])
        self.assertEqual(counts("HND"), (0, 0, 0, 2, False))    # reported nothing: not "on track"
        self.assertEqual(by[self.unit["HND"]]["ok_name"], "Chưa báo cáo")
        self.assertEqual(by[self.unit["LDLD"]]["summary_line"],
                         f"{self.name['LDLD']}: 2/2 chỉ tiêu định lượng đạt hoặc đúng tiến độ")
        self.assertEqual(by[self.unit["MTTQ"]]["cells"][0]["actual_text"], "50")
        self.assertIn("một nửa", review["rule"])
        # a corrected figure replaces the first
        self.assertEqual(report("MTTQ", 1, "90").status, 200)
        self.assertEqual(self.count("conference_reports", cid), 6)
        review = self.c.api(f"/conferences/{cid}")["review"]
        mttq = next(u for u in review["units"] if u["unit_id"] == self.unit["MTTQ"])
        self.assertEqual((mttq["met"], mttq["on_track"], mttq["behind"], mttq["ok"]),
                         (1, 1, 0, True))
        page = self.c.get(f"/conferences/{cid}")
        self.assertEqual(page.status, 200)
        self.assertIn("Kết nạp hội viên mới", page.text)
        # the minutes list each unit's line
        self.attend(cid, present=("MTTQ", "LDLD", "HLHPN", "HND"))
        flat = re.sub(r"\s+", " ", docx_text(self.c.get(f"/conferences/{cid}/minutes.docx").body))
        self.assertIn(f"{self.name['MTTQ']}: 2/2 chỉ tiêu định lượng đạt hoặc đúng tiến độ", flat)
        self.assertIn(f"{self.name['HLHPN']}: 1/2 chỉ tiêu định lượng đạt hoặc đúng tiến độ", flat)
        self.assertIn(f"{self.name['HND']}: chưa báo cáo kết quả", flat)
        self.assertIn("4/6 đơn vị thành viên", flat)
        # a year-end review expects the whole target: MTTQ's 50 of 100 is behind
        ye = self.create(kind="yearend", held_on="2026-12-10")["id"]
        r = self.c.post_json(f"/api/conferences/{ye}/reports",
                             {"unit_id": self.unit["MTTQ"], "pledge_item_id": items[0],
                              "actual": "50"})
        self.assertEqual(r.status, 200)
        review = self.c.api(f"/conferences/{ye}")["review"]
        mttq = next(u for u in review["units"] if u["unit_id"] == self.unit["MTTQ"])
        self.assertEqual(mttq["cells"][0]["progress"], "behind")


if __name__ == "__main__":
    unittest.main()
