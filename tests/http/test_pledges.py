"""The emulation pledge of a group's year (giao ước thi đua, RULES.md §8.2):
one per group and year; items with targets, some taken from a movement's
targets; draft → open → signed by every member that has not left, each
through its own officer; a late joiner signs late; the Bản giao ước carries
every member's signature block. "Today" is pinned to 20/06/2026."""

import io
import re
import subprocess
import threading
import unittest
import zipfile

from harness import Client, Server, ServerTest, lit

TODAY = "2026-06-20"
YEAR = 2026
PASSWORD = "mat-khau-can-bo-2026"
MTTQ_UNITS = ("MTTQ", "LDLD", "HLHPN", "HND", "HCCB", "TDOAN")
DANG_UNITS = ("VPTU", "BTCTU", "BTGDVTU", "UBKTTU", "BNCTU", "BCT")


def docx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", xml))


def pdf_text(data):
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


class Pledges(ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(env={"TDKT_TODAY": TODAY})
        admin = Client(cls.server)
        try:
            units = admin.api("/units?status=all&per_page=200")["items"]
            cls.unit = {u["code"]: u["id"] for u in units}
            cls.unit_name = {u["code"]: u["name"] for u in units}
            cls.group = {code: int(cls.server.sql(
                f"SELECT id FROM emulation_groups WHERE code = {lit(code)}")[0][0])
                for code in ("KHOI-MTTQ", "KHOI-SO", "KHOI-DANG", "CUM-XP")}
            # an officer account for every unit that signs here (MTTQ has the demo's)
            cls.login = {"MTTQ": ("mttq", "tdkt-demo-2026")}
            for code in MTTQ_UNITS[1:] + DANG_UNITS:
                login = "canbo." + code.lower()
                r = admin.post_json("/api/users", {
                    "login": login, "display_name": "Cán bộ " + code, "role": "unit",
                    "unit_id": cls.unit[code], "password": PASSWORD})
                assert r.status in (200, 201), (r.status, r.body[:300])
                cls.login[code] = (login, PASSWORD)
        finally:
            admin.close()

    def officer(self, code):
        login, password = self.login[code]
        c = Client(self.server, login=login, password=password)
        self.addCleanup(c.close)
        return c

    def other(self, login):
        c = Client(self.server, login=login)
        self.addCleanup(c.close)
        return c

    def create(self, group_code, client=None, **body):
        r = (client or self.c).post_json(f"/api/groups/{self.group[group_code]}/{YEAR}/pledge",
                                         body)
        self.assertEqual(r.status, 201, r.body[:400])
        return r.json()["pledge"]

    def add_item(self, pid, client=None, **body):
        r = (client or self.c).post_json(f"/api/pledges/{pid}/items", body)
        self.assertEqual(r.status, 201, r.body[:400])
        return r.json()["pledge"]["items"]

    def pledge(self, pid):
        return self.c.api(f"/pledges/{pid}")["pledge"]

    def signatures(self, pid):
        return int(self.server.sql(
            f"SELECT count(*) FROM pledge_signatures WHERE pledge_id = {pid}")[0][0])

    def sign(self, pid, code, client=None, **body):
        fields = {"unit_id": self.unit[code], "signer_name": "Người ký " + code,
                  "signer_title": "Chủ tịch"}
        fields.update(body)
        return (client or self.officer(code)).post_json(f"/api/pledges/{pid}/sign", fields)

    def audit_total(self, pid):
        return self.c.api(f"/audit?entity=pledge&entity_id={pid}")["total"]

    # --- the whole year of one bloc -------------------------------------------

    def test_six_members_sign_and_the_document_carries_them(self):
        g = self.group["KHOI-MTTQ"]
        r = self.c.post_form(f"/groups/{g}/{YEAR}/pledge",
                             {"basis": "Kế hoạch số 03/KH-TĐ ngày 10 tháng 02 năm 2026"})
        self.assertEqual(r.status, 303, r.body[:300])
        pid = int(re.fullmatch(r"/pledges/(\d+)", r.headers["location"]).group(1))
        p = self.pledge(pid)
        self.assertEqual(p["title"],
                         "Giao ước thi đua năm 2026 của Khối thi đua MTTQ và các đoàn thể tỉnh")
        self.assertEqual((p["status"], p["year"], p["group_id"]), ("draft", YEAR, g))

        # one a year: the second is refused with a link to the first
        r = self.c.post_json(f"/api/groups/{g}/{YEAR}/pledge", {"title": "Bản thứ hai"})
        self.assertEqual(r.status, 409, r.body[:300])
        self.assertEqual(r.json()["location"], f"/pledges/{pid}")
        self.assertIn("mỗi năm chỉ một bản", r.json()["error"]["message"])
        r = self.c.get(f"/groups/{g}/{YEAR}/pledge/new")
        self.assertEqual(r.status, 409)
        self.assertIn(f'href="/pledges/{pid}"', r.text)
        self.assertEqual(self.server.sql(
            f"SELECT count(*) FROM pledges WHERE group_id = {g}"), [("1",)])
        r = self.c.get(f"/groups/{g}/{YEAR}/pledge")
        self.assertEqual((r.status, r.headers["location"]), (303, f"/pledges/{pid}"))

        self.add_item(pid, content="Thực hiện tốt chủ trương của Đảng, chính sách, pháp luật "
                                   "của Nhà nước.")
        self.add_item(pid, content="Hoàn thành các chỉ tiêu chuyển đổi số.", target="100",
                      measure="%")
        items = self.add_item(pid, content="Xây dựng mô hình \"Dân vận khéo\".", target="1.500",
                              measure="mô hình")
        self.assertEqual([(i["n"], i["target_x100"], i["target_text"]) for i in items],
                         [(1, None, None), (2, 10000, "100 %"), (3, 150000, "1.500 mô hình")])

        # nobody signs a draft
        r = self.sign(pid, "MTTQ")
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("chưa mở để ký", r.json()["errors"]["pledge"])
        self.assertEqual(self.signatures(pid), 0)

        r = self.c.post_json(f"/api/pledges/{pid}/open", {"opened_on": "02/03/2026"})
        self.assertEqual(r.status, 200, r.body[:300])
        p = r.json()["pledge"]
        self.assertEqual((p["status"], p["opened_on"]), ("open", "2026-03-02"))

        # admin and office do not sign for a unit; nor does a unit for another
        for login in ("admin", "vanphong"):
            r = self.sign(pid, "LDLD", client=self.other(login))
            self.assertEqual(r.status, 403, (login, r.body[:300]))
        r = self.sign(pid, "LDLD", client=self.officer("MTTQ"))
        self.assertEqual(r.status, 403, r.body[:300])
        self.assertIn("Mỗi đơn vị tự ký", r.json()["error"]["message"])
        self.assertEqual(self.signatures(pid), 0)

        # bad fields: each named, nothing written
        for body, field, words in (({"signed_on": "2026-03-01"}, "signed_on", "trước ngày mở"),
                                   ({"signed_on": "2025-12-30"}, "signed_on", "trong năm 2026"),
                                   ({"signed_on": "2026-06-21"}, "signed_on", "sau hôm nay"),
                                   ({"signer_name": ""}, "signer_name", "họ và tên"),
                                   ({"signer_title": ""}, "signer_title", "chức vụ")):
            r = self.sign(pid, "MTTQ", **body)
            self.assertEqual(r.status, 422, (body, r.body[:300]))
            self.assertIn(words, r.json()["errors"][field])
        r = self.officer("MTTQ").post_form(f"/pledges/{pid}/sign", {
            "unit_id": str(self.unit["MTTQ"]), "signer_name": "", "signer_title": "Chủ tịch"})
        self.assertError(r, 422, "Hãy nhập họ và tên người ký")
        self.assertIn('aria-invalid="true"', r.text)
        self.assertEqual(self.signatures(pid), 0)

        dates = {"MTTQ": "2026-03-05", "LDLD": "2026-03-06", "HLHPN": "2026-03-06",
                 "HCCB": "2026-03-08", "HND": "2026-03-09", "TDOAN": "2026-03-07"}
        signers = {"MTTQ": ("Trần Quang Vinh", "Phó Chủ tịch"),
                   "LDLD": ("Lê Thị Bích", "Chủ tịch"),
                   "HLHPN": ("Nguyễn Thị Hòa", "Chủ tịch"),
                   "HND": ("Phạm Văn Thắng", "Chủ tịch"),
                   "HCCB": ("Đỗ Văn Lực", "Chủ tịch"),
                   "TDOAN": ("Nguyễn Thị Lan", "Bí thư")}

        def sign(code, client=None):
            name, title = signers[code]
            return self.sign(pid, code, client=client, signer_name=name, signer_title=title,
                             signed_on=dates[code])

        r = sign("MTTQ")
        self.assertEqual(r.status, 201, r.body[:300])
        # signing twice: refused, one row
        r = sign("MTTQ")
        self.assertEqual(r.status, 409, r.body[:300])
        self.assertIn("Đơn vị đã ký giao ước ngày 05/03/2026", r.json()["error"]["message"])
        self.assertEqual(self.signatures(pid), 1)

        # the same officer twice at once: one signature, one refusal
        ldld = [self.officer("LDLD"), self.officer("LDLD")]
        got = []
        threads = [threading.Thread(target=lambda c=c: got.append(sign("LDLD", c).status))
                   for c in ldld]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(got), [201, 409])
        self.assertEqual(self.signatures(pid), 2)

        for code in ("HLHPN", "HCCB", "HND"):
            self.assertEqual(sign(code).status, 201)
            self.assertEqual(self.pledge(pid)["status"], "open", code)
        page = self.c.api(f"/pledges/{pid}")
        self.assertEqual((page["counts"]["signed"], page["counts"]["asked"]), (5, 6))
        self.assertFalse(page["counts"]["complete"])
        self.assertIn("chưa ký", self.c.get(f"/pledges/{pid}").text)

        # the sixth completes it, on the latest date of all (09/03, not 07/03)
        r = sign("TDOAN")
        self.assertEqual(r.status, 201, r.body[:300])
        p = self.pledge(pid)
        self.assertEqual((p["status"], p["signed_on"]), ("signed", "2026-03-09"))
        self.assertEqual(len(p["signatures"]), 6)
        page = self.c.api(f"/pledges/{pid}")
        self.assertEqual((page["counts"]["signed"], page["counts"]["asked"]), (6, 6))
        by_unit = {m["code"]: m["signature"] for m in page["members"]}
        self.assertEqual(by_unit["TDOAN"]["signer_name"], "Nguyễn Thị Lan")
        self.assertEqual(by_unit["TDOAN"]["signed_on_dmy"], "07/03/2026")

        # a signed pledge is not changed any more
        self.assertEqual(self.c.post_json(f"/api/pledges/{pid}/items",
                                          {"content": "Thêm"}).status, 409)
        self.assertEqual(self.c.post_json(f"/api/pledges/{pid}/draft", {}).status, 409)
        self.assertEqual(len(self.pledge(pid)["items"]), 3)
        # every write audited: create, 3 items, open, 6 signatures
        self.assertEqual(self.audit_total(pid), 11)

        # the document: every member's name and every signer's name and title
        for path, to_text in (("document.docx", docx_text), ("document.pdf", pdf_text)):
            r = self.c.get(f"/pledges/{pid}/{path}")
            self.assertEqual(r.status, 200, (path, r.body[:300]))
            text = to_text(r.body)
            for code in MTTQ_UNITS:
                name, title = signers[code]
                self.assertIn(name, text, (path, code))
                self.assertIn(title.upper(), text, (path, code))
                self.assertIn(self.unit_name[code].upper(), text, (path, code))
            self.assertIn("BẢN GIAO ƯỚC THI ĐUA", text)
            self.assertIn("Kế hoạch số 03/KH-TĐ", text)
            self.assertIn("chỉ tiêu: 1.500 mô hình", text)
            self.assertIn("lập thành 7 bản", text)
            self.assertRegex(text, r"Bắc Ninh, ngày 0?9 tháng 0?3 năm 2026")
        # a member reads it too; an officer outside the bloc does not
        self.assertEqual(self.officer("HND").get(f"/pledges/{pid}/document.pdf").status, 200)
        self.assertEqual(self.other("sonoivu").get(f"/pledges/{pid}/document.docx").status, 403)
        self.assertEqual(self.other("sonoivu").get(f"/api/pledges/{pid}").status, 403)

    # --- who left, who joined late ---------------------------------------------

    def test_left_is_not_asked_and_late_joiner_signs_late(self):
        g = self.group["KHOI-DANG"]
        self.server.sql(f"UPDATE group_members SET left_on = '2026-04-01' WHERE group_id = {g} "
                        f"AND year = {YEAR} AND unit_id = {self.unit['BCT']}")
        pid = self.create("KHOI-DANG")["id"]
        self.add_item(pid, content="Hoàn thành xuất sắc nhiệm vụ tham mưu.")
        r = self.c.post_json(f"/api/pledges/{pid}/open", {"opened_on": "2026-03-02"})
        self.assertEqual(r.status, 200, r.body[:300])

        # the unit that left is not asked and cannot sign, even for a day it was in
        r = self.sign(pid, "BCT", signed_on="2026-03-10")
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("đã rời khối ngày 01/04/2026", r.json()["errors"]["unit_id"])
        self.assertEqual(self.signatures(pid), 0)
        page = self.c.api(f"/pledges/{pid}")
        self.assertEqual(page["counts"]["asked"], 5)
        self.assertIn("đã rời khối ngày", self.c.get(f"/pledges/{pid}").text)

        for i, code in enumerate(DANG_UNITS[:5]):
            r = self.sign(pid, code, signed_on=f"2026-03-1{i}")
            self.assertEqual(r.status, 201, (code, r.body[:300]))
        p = self.pledge(pid)
        self.assertEqual((p["status"], p["signed_on"]), ("signed", "2026-03-14"))

        # a unit joins in May: the pledge stays signed, and it signs late
        r = self.c.post_json("/api/units", {"code": "BDTTU", "name": "Ban Dân tộc Tỉnh ủy",
                                            "kind": "dang", "parent_id": self.unit["BN"]})
        self.assertEqual(r.status, 201, r.body[:300])
        late = r.json()["unit"]["id"]
        self.server.sql(f"INSERT INTO group_members (group_id, year, unit_id, joined_on) VALUES "
                        f"({g}, {YEAR}, {late}, '2026-05-10')")
        r = self.c.post_json("/api/users", {"login": "canbo.bdttu", "display_name": "Cán bộ BDT",
                                            "role": "unit", "unit_id": late,
                                            "password": PASSWORD})
        self.assertIn(r.status, (200, 201), r.body[:300])
        officer = Client(self.server, login="canbo.bdttu", password=PASSWORD)
        self.addCleanup(officer.close)
        page = self.c.api(f"/pledges/{pid}")
        self.assertEqual(page["pledge"]["status"], "signed")
        self.assertEqual((page["counts"]["signed"], page["counts"]["asked"]), (5, 6))
        self.assertIn("tham gia muộn", self.c.get(f"/pledges/{pid}").text)
        # the officer's page offers the signing form for the late unit
        self.assertEqual([u["value"] for u in officer.api(f"/pledges/{pid}")["sign_form"]["units"]],
                         [late])
        fields = {"unit_id": late, "signer_name": "Hoàng Văn Dũng", "signer_title": "Trưởng ban"}
        r = officer.post_json(f"/api/pledges/{pid}/sign", dict(fields, signed_on="2026-05-01"))
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("tham gia khối từ ngày 10/05/2026", r.json()["errors"]["signed_on"])
        r = officer.post_json(f"/api/pledges/{pid}/sign", dict(fields, signed_on="2026-05-12"))
        self.assertEqual(r.status, 201, r.body[:300])
        p = self.pledge(pid)
        self.assertEqual((p["status"], p["signed_on"]), ("signed", "2026-05-12"))
        self.assertEqual(self.signatures(pid), 6)

        text = docx_text(self.c.get(f"/pledges/{pid}/document.docx").body)
        self.assertIn("Hoàng Văn Dũng", text)
        self.assertIn("BAN DÂN TỘC TỈNH ỦY", text)
        self.assertNotIn(self.unit_name["BCT"].upper(), text)   # left, never signed
        self.assertIn("lập thành 7 bản", text)                   # 6 blocks + the organiser

    # --- items, edits, versions and scope --------------------------------------

    def test_items_targets_versions_and_scope(self):
        nv = self.other("sonoivu")        # SNV is this year's deputy of KHOI-SO
        g = self.group["KHOI-SO"]
        # copying from a year that has no pledge is refused, nothing written
        r = nv.post_json(f"/api/groups/{g}/{YEAR}/pledge", {"copy": "yes"})
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("Năm 2025", r.json()["errors"]["copy"])
        self.assertEqual(self.server.sql(f"SELECT count(*) FROM pledges WHERE group_id = {g}"),
                         [("0",)])
        pid = self.create("KHOI-SO", client=nv, title="Giao ước thi đua năm 2026")["id"]

        # outside the bloc: not seen, not written; the council reads only
        mttq = self.officer("MTTQ")
        self.assertEqual(mttq.get(f"/api/pledges/{pid}").status, 403)
        self.assertEqual(mttq.post_json(f"/api/pledges/{pid}/items",
                                        {"content": "Không được"}).status, 403)
        council = self.other("hoidong")
        self.assertEqual(council.get(f"/api/pledges/{pid}").status, 200)
        self.assertEqual(council.post_json(f"/api/pledges/{pid}/items",
                                           {"content": "Không được"}).status, 403)
        self.assertEqual(self.c.get("/api/pledges/999999").status, 404)

        # movements: launched by the bloc, joined by it, another bloc's, last year's
        def movement(name, launcher, starts, ends, target, measure, value, joins=None,
                     status="draft"):
            self.server.sql(
                "INSERT INTO movements (name, kind, launcher_kind, launcher_group_id, starts_on, "
                f"ends_on, status, created_at, updated_at) VALUES ({lit(name)}, 'regular', "
                f"'group', {launcher}, {lit(starts)}, {lit(ends)}, {lit(status)}, "
                "'2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')")
            mid = int(self.server.sql(f"SELECT id FROM movements WHERE name = {lit(name)}")[0][0])
            self.server.sql("INSERT INTO movement_targets (movement_id, position, name, measure, "
                            f"value_x100) VALUES ({mid}, 1, {lit(target)}, {lit(measure)}, "
                            f"{lit(value)})")
            if joins:
                self.server.sql("INSERT INTO movement_participants (movement_id, group_id) "
                                f"VALUES ({mid}, {joins})")
            return int(self.server.sql(
                f"SELECT id FROM movement_targets WHERE movement_id = {mid}")[0][0])

        own = movement("Chuyển đổi số 2026", g, "2026-01-01", "2026-12-31",
                       "Hồ sơ giải quyết trực tuyến", "%", 9550)
        joined = movement("Thi đua cải cách hành chính", self.group["CUM-XP"], "2025-06-01",
                          "2027-05-31", "Thủ tục rút gọn thời gian", "thủ tục", 2000, joins=g,
                          status="launched")
        # another launcher's draft is not public yet, even with the bloc invited
        movement("Dự thảo của cụm", self.group["CUM-XP"], "2026-01-01", "2026-12-31",
                 "Chưa công bố", "%", 100, joins=g)
        foreign = movement("Phong trào của khối đoàn thể", self.group["KHOI-MTTQ"], "2026-01-01",
                           "2026-12-31", "Hội viên mới", "người", 50000)
        old = movement("Phong trào năm 2024", g, "2024-01-01", "2024-12-31", "Cũ", "%", 100)
        offered = {o["value"] for o in nv.api(f"/pledges/{pid}")["item_form"]["targets"]}
        self.assertEqual(offered, {own, joined})

        # a movement target fills what is left empty
        items = self.add_item(pid, client=nv, movement_target_id=own)
        self.assertEqual((items[0]["content"], items[0]["target_x100"], items[0]["target_text"],
                          items[0]["movement"]["name"]),
                         ("Hồ sơ giải quyết trực tuyến", 9550, "95,5 %", "Chuyển đổi số 2026"))
        items = self.add_item(pid, client=nv, movement_target_id=joined,
                              content="Rút gọn thời gian giải quyết thủ tục", target="25")
        self.assertEqual((items[1]["content"], items[1]["target_x100"], items[1]["measure"]),
                         ("Rút gọn thời gian giải quyết thủ tục", 2500, "thủ tục"))
        items = self.add_item(pid, client=nv, content="Giữ vững đoàn kết nội bộ")
        self.assertEqual([i["n"] for i in items], [1, 2, 3])

        before = self.pledge(pid)
        for body, field in (({"movement_target_id": foreign}, "movement_target_id"),
                            ({"movement_target_id": old}, "movement_target_id"),
                            ({"content": "Chỉ tiêu sai", "target": "12,345"}, "target"),
                            ({"content": "Chỉ tiêu sai", "target": "mười"}, "target"),
                            ({"content": "", "measure": "%"}, "content")):
            r = nv.post_json(f"/api/pledges/{pid}/items", body)
            self.assertEqual(r.status, 422, (body, r.body[:300]))
            self.assertIn(field, r.json()["errors"], body)
        r = nv.post_form(f"/pledges/{pid}/items", {"content": "Sai", "target": "1,2,3"})
        self.assertError(r, 422, "Chỉ tiêu phải là một số")
        self.assertIn('id="target-err"', r.text)
        self.assertEqual(self.pledge(pid), before)

        # edits carry the version they saw
        item = items[1]["id"]
        stale = before["version"] - 1
        r = nv.post_json(f"/api/pledges/{pid}/items/{item}",
                         {"content": "Đổi", "version": stale})
        self.assertEqual(r.status, 409, r.body[:300])
        r = nv.post_json(f"/api/pledges/{pid}/items/{item}",
                         {"content": "Rút gọn 30% thời gian", "target": "30", "measure": "%",
                          "version": before["version"]})
        self.assertEqual(r.status, 200, r.body[:300])
        p = r.json()["pledge"]
        self.assertEqual((p["items"][1]["content"], p["items"][1]["target_text"],
                          p["items"][1]["movement_target_id"], p["version"]),
                         ("Rút gọn 30% thời gian", "30 %", None, before["version"] + 1))
        self.assertEqual(nv.get(f"/pledges/{pid}/items/{item}/edit").status, 200)
        r = nv.post_json(f"/api/pledges/{pid}", {"title": "Tên mới", "version": stale})
        self.assertEqual(r.status, 409)
        r = nv.post_json(f"/api/pledges/{pid}", {"title": "", "version": p["version"]})
        self.assertEqual(r.status, 422)
        self.assertIn("title", r.json()["errors"])
        r = nv.post_json(f"/api/pledges/{pid}", {"title": "Giao ước thi đua năm 2026 của Khối "
                                                          "các sở", "basis": "Kế hoạch số 5",
                                                 "version": p["version"]})
        self.assertEqual(r.status, 200, r.body[:300])
        p = r.json()["pledge"]
        self.assertEqual((p["title"], p["basis"]),
                         ("Giao ước thi đua năm 2026 của Khối các sở", "Kế hoạch số 5"))

        # deleting the first keeps the positions dense
        r = nv.post_json(f"/api/pledges/{pid}/items/{items[0]['id']}/delete",
                         {"version": p["version"]})
        self.assertEqual(r.status, 200, r.body[:300])
        p = r.json()["pledge"]
        self.assertEqual([(i["n"], i["id"]) for i in p["items"]],
                         [(1, items[1]["id"]), (2, items[2]["id"])])

        # open, back to draft while nobody signed, open again; then not any more
        r = nv.post_json(f"/api/pledges/{pid}/open", {"opened_on": "2025-12-20"})
        self.assertEqual(r.status, 422)
        self.assertIn("opened_on", r.json()["errors"])
        self.assertEqual(nv.post_json(f"/api/pledges/{pid}/open", {}).status, 200)
        self.assertEqual(self.pledge(pid)["opened_on"], TODAY)
        r = nv.post_json(f"/api/pledges/{pid}/draft", {})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual((r.json()["pledge"]["status"], r.json()["pledge"]["opened_on"]),
                         ("draft", None))
        self.assertEqual(nv.post_json(f"/api/pledges/{pid}/open", {}).status, 200)
        r = self.sign(pid, "SNV", client=nv, signer_name="Nguyễn Văn A",
                      signer_title="Giám đốc")
        self.assertEqual(r.status, 201, r.body[:300])
        r = nv.post_json(f"/api/pledges/{pid}/draft", {})
        self.assertEqual(r.status, 409)
        self.assertEqual(self.pledge(pid)["status"], "open")

    def test_open_needs_an_item_and_copy_from_last_year(self):
        g = self.group["CUM-XP"]
        # last year's pledge of the cluster, with two items
        self.server.sql(f"INSERT INTO group_years (group_id, year) VALUES ({g}, {YEAR - 1})")
        self.server.sql("INSERT INTO pledges (group_id, year, title, status, created_at, "
                        f"updated_at) VALUES ({g}, {YEAR - 1}, 'Giao ước 2025', 'signed', "
                        "'2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')")
        old = int(self.server.sql(
            f"SELECT id FROM pledges WHERE group_id = {g} AND year = {YEAR - 1}")[0][0])
        self.server.sql("INSERT INTO pledge_items (pledge_id, position, content, measure, "
                        f"target_x100) VALUES ({old}, 1, 'Thu ngân sách đạt kế hoạch', '%', "
                        f"10000), ({old}, 2, 'Giữ vững an ninh trật tự', '', NULL)")
        # the form offers last year's items and the usual title
        r = self.c.get(f"/groups/{g}/{YEAR}/pledge/new")
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertIn("Giao ước thi đua năm 2026 của Cụm thi đua các xã, phường", r.text)
        self.assertIn('name="copy" value="yes"', r.text)
        self.assertEqual(self.other("hoidong").get(f"/groups/{g}/{YEAR}/pledge/new").status, 403)
        self.assertEqual(self.officer("MTTQ").get(f"/groups/{g}/{YEAR}/pledge/new").status, 403)
        empty = self.c.post_json(f"/api/groups/{g}/{YEAR}/pledge", {"copy": "no"})
        self.assertEqual(empty.status, 201, empty.body[:300])
        pid = empty.json()["pledge"]["id"]
        r = self.c.post_json(f"/api/pledges/{pid}/open", {})
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("ít nhất một nội dung", r.json()["errors"]["items"])
        self.assertEqual(self.pledge(pid)["status"], "draft")
        # the page answers the same refusal with the form it came from
        r = self.c.post_form(f"/pledges/{pid}/open", {})
        self.assertError(r, 422, "ít nhất một nội dung")
        # (one a year, so last year's copy is tried on a fresh pledge of the year)
        self.server.sql(f"DELETE FROM pledges WHERE id = {pid}")
        r = self.c.post_json(f"/api/groups/{g}/{YEAR}/pledge", {"copy": "yes"})
        self.assertEqual(r.status, 201, r.body[:300])
        items = r.json()["pledge"]["items"]
        self.assertEqual([(i["n"], i["content"], i["target_text"]) for i in items],
                         [(1, "Thu ngân sách đạt kế hoạch", "100 %"),
                          (2, "Giữ vững an ninh trật tự", None)])


if __name__ == "__main__":
    unittest.main()
