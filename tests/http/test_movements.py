"""Emulation movements (Law on Emulation and Commendation 2022 Art 16–17):
launched by the council, a group or a unit; targets, participants, launch and
close; who may write and who sees what (the list and the home page); the
plan (Kế hoạch) as DOCX and PDF and its number in the register — on both
drivers. "Today" is pinned to 2026-06-20, so the demo's year is 2026."""

import io
import re
import subprocess
import unittest
import zipfile

from harness import Client, Server, ServerTest

TODAY = "2026-06-20"


def docx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    # runs of one paragraph may be split: join the text of every <w:t>
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def pdf_text(data):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")


class Movements(ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(env={"TDKT_TODAY": TODAY})
        rows = cls.server.sql("SELECT code, id FROM units")
        cls.unit = {code: int(i) for code, i in rows}
        rows = cls.server.sql("SELECT code, id FROM emulation_groups")
        cls.group = {code: int(i) for code, i in rows}

    def setUp(self):
        super().setUp()
        self.office = Client(self.server, login="vanphong")
        self.nv = Client(self.server, login="sonoivu")
        self.mttq = Client(self.server, login="mttq")
        for c in (self.office, self.nv, self.mttq):
            self.addCleanup(c.close)

    # --- helpers ---------------------------------------------------------------

    def body(self, name, launcher="unit", **fields):
        b = {"name": name, "kind": "regular", "launcher_kind": launcher,
             "starts_on": "2026-01-01", "ends_on": "2026-12-31",
             "goals": "Hoàn thành xuất sắc nhiệm vụ năm 2026.\nĐẩy mạnh chuyển đổi số."}
        if launcher == "unit":
            b["launcher_unit_id"] = self.unit["SNV"]
        if launcher == "group":
            b["launcher_group_id"] = self.group["KHOI-SO"]
        b.update(fields)
        return b

    def create(self, client, name, launcher="unit", **fields):
        r = client.post_json("/api/movements", self.body(name, launcher, **fields))
        self.assertEqual(r.status, 201, r.body[:500])
        return r.json()["movement"]

    def target(self, client, mv, name, value=None, measure=""):
        body = {"name": name, "measure": measure}
        if value is not None:
            body["value"] = value
        r = client.post_json(f"/api/movements/{mv}/targets", body)
        self.assertEqual(r.status, 201, r.body[:500])
        return r.json()["movement"]

    def launch(self, client, mv):
        r = client.post_json(f"/api/movements/{mv}/launch", {})
        self.assertEqual(r.status, 200, r.body[:500])
        return r.json()["movement"]

    def count(self):
        return int(self.server.sql("SELECT count(*) FROM movements")[0][0])

    def listed(self, client, path="/movements?per_page=200"):
        return {m["name"] for m in client.api(path)["items"]}

    # --- creating ----------------------------------------------------------------

    def test_create_each_launcher_kind(self):
        council = self.create(self.office, "Thi đua hội đồng 2026", "council", kind="thematic")
        self.assertEqual((council["launcher_kind"], council["launcher"]["name"], council["kind"],
                          council["status"], council["version"]),
                         ("council", "Hội đồng Thi đua - Khen thưởng tỉnh", "thematic", "draft", 1))
        self.assertIsNone(council["launcher_group_id"])
        self.assertIsNone(council["launcher_unit_id"])
        # SNV is this year's deputy of the departments' bloc: its officer launches for it
        group = self.create(self.nv, "Thi đua khối sở 2026", "group")
        self.assertEqual((group["launcher"]["code"], group["launcher_group_id"]),
                         ("KHOI-SO", self.group["KHOI-SO"]))
        unit = self.create(self.nv, "Thi đua của Sở Nội vụ 2026")
        self.assertEqual((unit["launcher"]["code"], unit["launcher_unit_id"], unit["starts_on_dmy"],
                          unit["ends_on_dmy"]), ("SNV", self.unit["SNV"], "01/01/2026", "31/12/2026"))
        # each creation is in the audit log with its state
        for mv in (council, group, unit):
            rows = self.server.sql(f"SELECT action FROM audit_log WHERE entity = 'movement' AND "
                                   f"entity_id = {mv['id']}")
            self.assertEqual(rows, [("create",)])
        # the form page and its JSON twin
        self.assertEqual(self.nv.get("/movements/new").status, 200)
        self.assertEqual(self.nv.api("/movements/new")["movement"]["launcher_unit_id"],
                         self.unit["SNV"])

    def test_validation(self):
        before = self.count()
        r = self.office.post_json("/api/movements", self.body("Sai ngày", starts_on="2026-05-01",
                                                              ends_on="2026-04-30"))
        self.assertError(r, 422, "ends_on", "Ngày kết thúc (30/04/2026) không thể trước ngày bắt "
                                            "đầu (01/05/2026)")
        r = self.office.post_json("/api/movements", self.body("Quá dài", ends_on="2031-01-01"))
        self.assertError(r, 422, "ends_on", "nhiều nhất 5 năm")
        r = self.office.post_json("/api/movements", self.body("Giai đoạn", ends_on="2030-12-31"))
        self.assertEqual(r.status, 201, r.body[:300])   # 2026–2030: five years, allowed
        before += 1
        r = self.office.post_json("/api/movements", self.body("Thiếu khối", "group",
                                                              launcher_group_id=None))
        self.assertError(r, 422, "launcher_group_id", "Hãy chọn khối, cụm thi đua phát động")
        # the form sends both selects: the one the level does not use is ignored
        r = self.office.post_json("/api/movements", self.body(
            "Thừa khối", "council", launcher_group_id=self.group["KHOI-SO"]))
        self.assertEqual(r.status, 201, r.body[:300])
        self.assertIsNone(r.json()["movement"]["launcher_group_id"])
        before += 1
        r = self.office.post_json("/api/movements", self.body("", kind="other"))
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("kind", r.json()["errors"])
        self.assertIn("name", r.json()["errors"])
        # the HTML form shows the message by the field
        r = self.office.post_form("/movements", {"name": "Sai ngày", "kind": "regular",
                                                 "launcher_kind": "council",
                                                 "starts_on": "01/05/2026",
                                                 "ends_on": "30/04/2026"})
        self.assertError(r, 422, 'id="ends_on-err"', "không thể trước ngày bắt đầu",
                         'value="30/04/2026"')
        self.assertEqual(self.count(), before)
        # a target value with three decimals is refused, nothing written
        mv = self.create(self.office, "Chỉ tiêu sai", "council")["id"]
        r = self.office.post_json(f"/api/movements/{mv}/targets", {"name": "Tỷ lệ",
                                                                   "value": "12,345"})
        self.assertError(r, 422, "value", "12,345")
        r = self.office.post_json(f"/api/movements/{mv}/targets", {"name": "", "value": "5"})
        self.assertError(r, 422, "name")
        self.assertEqual(self.server.sql(f"SELECT count(*) FROM movement_targets WHERE "
                                         f"movement_id = {mv}"), [("0",)])
        # both kinds of participant at once, or neither
        r = self.office.post_json(f"/api/movements/{mv}/participants",
                                  {"group_id": self.group["KHOI-SO"], "unit_id": self.unit["SNV"]})
        self.assertError(r, 422, "một khối, cụm thi đua hoặc một đơn vị")
        r = self.office.post_json(f"/api/movements/{mv}/participants", {})
        self.assertEqual(r.status, 422)
        r = self.office.post_json(f"/api/movements/{mv}/participants", {"unit_id": 999999})
        self.assertError(r, 422, "unit_id", "Không có đơn vị này")
        self.assertEqual(self.office.get("/api/movements/999999").status, 404)

    def test_scope_of_writes(self):
        before = self.count()
        # another unit, another bloc, the council: refused, nothing written
        r = self.nv.post_json("/api/movements", self.body("Của MTTQ",
                                                          launcher_unit_id=self.unit["MTTQ"]))
        self.assertEqual(r.status, 403, r.body[:300])
        r = self.nv.post_json("/api/movements", self.body(
            "Của khối MTTQ", "group", launcher_group_id=self.group["KHOI-MTTQ"]))
        self.assertEqual(r.status, 403, r.body[:300])
        r = self.nv.post_json("/api/movements", self.body("Của Hội đồng", "council"))
        self.assertEqual(r.status, 403, r.body[:300])
        # the bloc's rights are this year's only
        r = self.nv.post_json("/api/movements", self.body("Khối sở năm sau", "group",
                                                          starts_on="2027-01-01",
                                                          ends_on="2027-12-31"))
        self.assertEqual(r.status, 403, r.body[:300])
        self.assertEqual(self.count(), before)
        # council members read but do not write
        hd = Client(self.server, login="hoidong")
        self.addCleanup(hd.close)
        self.assertEqual(hd.post_json("/api/movements", self.body("HĐ", "council")).status, 403)
        # MTTQ's own movement: sonoivu can neither read nor change it
        mv = self.create(self.mttq, "Thi đua của MTTQ tỉnh", launcher_unit_id=self.unit["MTTQ"])
        for path, body in ((f"/api/movements/{mv['id']}", {"name": "Đổi", "version": 1}),
                           (f"/api/movements/{mv['id']}/targets", {"name": "X"}),
                           (f"/api/movements/{mv['id']}/launch", {}),
                           (f"/api/movements/{mv['id']}/plan", {})):
            self.assertEqual(self.nv.post_json(path, body).status, 403, path)
        self.assertEqual(self.nv.get(f"/api/movements/{mv['id']}").status, 403)
        self.assertEqual(self.mttq.api(f"/movements/{mv['id']}")["movement"]["version"], 1)
        # a unit officer invites only their own units (or their bloc's members)
        mine = self.create(self.nv, "Thi đua nội bộ Sở Nội vụ")["id"]
        r = self.nv.post_json(f"/api/movements/{mine}/participants", {"unit_id": self.unit["MTTQ"]})
        self.assertEqual(r.status, 403, r.body[:300])
        r = self.nv.post_json(f"/api/movements/{mine}/participants",
                              {"unit_id": self.unit["SNV-TDKT"]})
        self.assertEqual(r.status, 201, r.body[:300])

    # --- the life of a movement -----------------------------------------------------

    def test_targets_participants_launch_close(self):
        mv = self.create(self.nv, "Thi đua cải cách hành chính", "group")
        mid = mv["id"]
        r = self.nv.post_json(f"/api/movements/{mid}/launch", {})
        self.assertError(r, 422, "targets", "ít nhất một chỉ tiêu")
        m = self.target(self.nv, mid, "Hồ sơ giải quyết trực tuyến", "12,5", "%")
        m = self.target(self.nv, mid, "Mô hình mới", "1.200", "mô hình")
        m = self.target(self.nv, mid, "Giữ vững đoàn kết nội bộ")
        self.assertEqual([(t["n"], t["name"], t["value_x100"], t["value"]) for t in m["targets"]],
                         [(1, "Hồ sơ giải quyết trực tuyến", 1250, "12,5"),
                          (2, "Mô hình mới", 120000, "1.200"),
                          (3, "Giữ vững đoàn kết nội bộ", None, "")])
        second = m["targets"][1]["id"]
        r = self.nv.post_json(f"/api/movements/{mid}/targets/{second}/delete", {})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual([t["name"] for t in r.json()["movement"]["targets"]],
                         ["Hồ sơ giải quyết trực tuyến", "Giữ vững đoàn kết nội bộ"])
        self.assertEqual(self.nv.post_json(f"/api/movements/{mid}/targets/{second}/delete",
                                           {}).status, 404)
        # participants: the bloc itself and one of its members (not a duplicate)
        r = self.nv.post_json(f"/api/movements/{mid}/participants",
                              {"group_id": self.group["KHOI-SO"]})
        self.assertEqual(r.status, 201, r.body[:300])
        r = self.nv.post_json(f"/api/movements/{mid}/participants", {"unit_id": self.unit["SYT"]})
        self.assertEqual(r.status, 201, r.body[:300])
        r = self.nv.post_json(f"/api/movements/{mid}/participants", {"unit_id": self.unit["SYT"]})
        self.assertError(r, 422, "unit_id", "đã có")
        r = self.nv.post_json(f"/api/movements/{mid}/participants",
                              {"group_id": self.group["KHOI-MTTQ"]})
        self.assertEqual(r.status, 403, r.body[:300])
        r = self.nv.post_json(f"/api/movements/{mid}/participants/delete",
                              {"unit_id": self.unit["SYT"]})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual([(p["kind"], p["code"]) for p in r.json()["movement"]["participants"]],
                         [("group", "KHOI-SO")])
        self.assertEqual(self.nv.post_json(f"/api/movements/{mid}/participants/delete",
                                           {"unit_id": self.unit["SYT"]}).status, 404)
        # launch: launched today; the targets are then fixed
        m = self.launch(self.nv, mid)
        self.assertEqual((m["status"], m["launched_on"]), ("launched", TODAY))
        self.assertEqual(self.nv.post_json(f"/api/movements/{mid}/launch", {}).status, 409)
        self.assertEqual(self.nv.post_json(f"/api/movements/{mid}/targets",
                                           {"name": "Muộn"}).status, 409)
        first = m["targets"][0]["id"]
        self.assertEqual(self.nv.post_json(f"/api/movements/{mid}/targets/{first}/delete",
                                           {}).status, 409)
        # still editable, with its version
        r = self.nv.post_json(f"/api/movements/{mid}", {"name": "Thi đua cải cách hành chính 2026",
                                                        "kind": "regular",
                                                        "starts_on": "2026-02-01",
                                                        "ends_on": "2026-12-31",
                                                        "version": m["version"]})
        self.assertEqual(r.status, 200, r.body[:300])
        edited = r.json()["movement"]
        self.assertEqual((edited["name"], edited["starts_on"], edited["version"]),
                         ("Thi đua cải cách hành chính 2026", "2026-02-01", m["version"] + 1))
        # a stale version: 409, nothing changed
        r = self.nv.post_json(f"/api/movements/{mid}", {"name": "Cũ", "kind": "regular",
                                                        "starts_on": "2026-02-01",
                                                        "ends_on": "2026-12-31",
                                                        "version": m["version"]})
        self.assertEqual(r.status, 409, r.body[:300])
        self.assertEqual(self.nv.api(f"/movements/{mid}")["movement"]["name"],
                         "Thi đua cải cách hành chính 2026")
        # close: no more changes
        r = self.nv.post_json(f"/api/movements/{mid}/close", {})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json()["movement"]["status"], "closed")
        self.assertEqual(self.nv.post_json(f"/api/movements/{mid}/close", {}).status, 409)
        self.assertEqual(self.nv.get(f"/movements/{mid}/edit").status, 409)
        r = self.nv.post_json(f"/api/movements/{mid}", {"name": "Sau khi kết thúc",
                                                        "kind": "regular",
                                                        "starts_on": "2026-02-01",
                                                        "ends_on": "2026-12-31",
                                                        "version": edited["version"] + 1})
        self.assertEqual(r.status, 409, r.body[:300])
        actions = [a for (a,) in self.server.sql(
            f"SELECT action FROM audit_log WHERE entity = 'movement' AND entity_id = {mid} "
            f"ORDER BY seq")]
        self.assertEqual(actions, ["create", "add_target", "add_target", "add_target",
                                   "delete_target", "add_participant", "add_participant",
                                   "delete_participant", "launch", "update", "close"])
        # the page of the movement renders (HTML twin)
        page = self.nv.get(f"/movements/{mid}")
        self.assertEqual(page.status, 200)
        self.assertIn("Hồ sơ giải quyết trực tuyến", page.text)
        self.assertIn("Đã kết thúc", page.text)

    def test_target_used_by_a_pledge_is_kept(self):
        mv = self.create(self.office, "Thi đua có giao ước", "council")
        m = self.target(self.office, mv["id"], "Chỉ tiêu đã giao ước", "100", "%")
        tid = m["targets"][0]["id"]
        g = self.group["CUM-XP"]
        self.server.sql(f"INSERT INTO pledges (group_id, year, title, created_at, updated_at) "
                        f"VALUES ({g}, 2026, 'Giao ước thử', '2026-06-20T00:00:00Z', "
                        f"'2026-06-20T00:00:00Z')")
        pledge = self.server.sql(f"SELECT id FROM pledges WHERE group_id = {g} AND year = 2026")[0][0]
        self.server.sql(f"INSERT INTO pledge_items (pledge_id, position, content, "
                        f"movement_target_id) VALUES ({pledge}, 1, 'Mục', {tid})")
        r = self.office.post_json(f"/api/movements/{mv['id']}/targets/{tid}/delete", {})
        self.assertError(r, 409, "giao ước")
        self.assertTrue(self.office.api(f"/movements/{mv['id']}")["movement"]["targets"][0]["used"])

    # --- who sees what --------------------------------------------------------------

    def test_list_and_home_show_what_concerns_the_unit(self):
        # the council's, for the MTTQ bloc only
        mttq_bloc = self.create(self.office, "Phong trào Dân vận khéo", "council")["id"]
        self.target(self.office, mttq_bloc, "Mô hình dân vận khéo", "6", "mô hình")
        r = self.office.post_json(f"/api/movements/{mttq_bloc}/participants",
                                  {"group_id": self.group["KHOI-MTTQ"]})
        self.assertEqual(r.status, 201)
        self.launch(self.office, mttq_bloc)
        # the departments' bloc's own
        so_bloc = self.create(self.nv, "Phong trào Sở ngành số hóa", "group")["id"]
        self.target(self.nv, so_bloc, "Hồ sơ số hóa", "100", "%")
        self.launch(self.nv, so_bloc)
        # the council's for everyone (no participants listed)
        everyone = self.create(self.office, "Phong trào Cả tỉnh chung sức", "council")["id"]
        self.target(self.office, everyone, "Đơn vị tham gia", "100", "%")
        self.launch(self.office, everyone)
        # a council draft: nobody but the office sees it
        self.create(self.office, "Phong trào Bản nháp hội đồng", "council")

        mine = self.listed(self.nv)
        self.assertIn("Phong trào Sở ngành số hóa", mine)
        self.assertIn("Phong trào Cả tỉnh chung sức", mine)
        self.assertNotIn("Phong trào Dân vận khéo", mine)
        self.assertNotIn("Phong trào Bản nháp hội đồng", mine)
        theirs = self.listed(self.mttq)
        self.assertIn("Phong trào Dân vận khéo", theirs)
        self.assertIn("Phong trào Cả tỉnh chung sức", theirs)
        self.assertNotIn("Phong trào Sở ngành số hóa", theirs)
        self.assertEqual(self.nv.get(f"/api/movements/{mttq_bloc}").status, 403)
        self.assertEqual(self.mttq.get(f"/api/movements/{so_bloc}").status, 403)
        self.assertIn("Phong trào Bản nháp hội đồng", self.listed(self.office))

        home_nv = {m["name"] for m in self.nv.api("/")["movements"]["items"]}
        home_mttq = {m["name"] for m in self.mttq.api("/")["movements"]["items"]}
        self.assertIn("Phong trào Sở ngành số hóa", home_nv)
        self.assertNotIn("Phong trào Dân vận khéo", home_nv)
        self.assertIn("Phong trào Dân vận khéo", home_mttq)
        self.assertNotIn("Phong trào Sở ngành số hóa", home_mttq)
        self.assertIn("Phong trào Sở ngành số hóa", self.nv.get("/").text)
        self.assertNotIn("Phong trào Dân vận khéo", self.nv.get("/").text)
        office_home = self.office.api("/")["movements"]
        drafts = int(self.server.sql("SELECT count(*) FROM movements WHERE status = 'draft'")[0][0])
        self.assertEqual(office_home["drafts"], drafts)
        self.assertTrue(office_home["show_drafts"])
        self.assertFalse(self.nv.api("/")["movements"]["show_drafts"])
        # the home page keeps its cards
        self.assertIn("counts", self.nv.api("/"))

        # filters: group, status, kind, year, a search without marks, sort by name
        by_group = self.listed(self.office, f"/movements?group={self.group['KHOI-MTTQ']}")
        self.assertEqual(by_group, {"Phong trào Dân vận khéo"})
        self.assertEqual(self.nv.get(f"/api/movements?group={self.group['KHOI-MTTQ']}").status, 403)
        found = self.listed(self.office, "/movements?q=dan%20van%20kheo")
        self.assertEqual(found, {"Phong trào Dân vận khéo"})
        self.assertNotIn("Phong trào Bản nháp hội đồng",
                         self.listed(self.office, "/movements?status=launched&per_page=200"))
        self.assertEqual(self.listed(self.office, "/movements?year=2031"), set())
        names = [m["name"] for m in self.office.api("/movements?q=phong%20trao&sort=name"
                                                    "&per_page=200")["items"]]
        self.assertEqual(names[:3], ["Phong trào Bản nháp hội đồng", "Phong trào Cả tỉnh chung sức",
                                     "Phong trào Dân vận khéo"])
        page = self.office.api("/movements?q=phong%20trao&sort=name&per_page=10&page=1")
        self.assertEqual(page["total"], len(names))
        self.assertEqual(self.office.get("/movements?sort=-name").status, 200)
        xlsx = self.nv.get("/movements/export.xlsx")
        self.assertEqual(xlsx.status, 200)
        with zipfile.ZipFile(io.BytesIO(xlsx.body)) as z:
            text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        self.assertIn("Phong trào Sở ngành số hóa", text)
        self.assertNotIn("Phong trào Dân vận khéo", text)

    # --- the plan -----------------------------------------------------------------

    def test_plan_documents_and_number(self):
        mv = self.create(self.nv, "Thi đua Sở Nội vụ kỷ cương", kind="thematic")["id"]
        self.target(self.nv, mv, "Văn bản điện tử", "100", "%")
        self.target(self.nv, mv, "Sáng kiến được công nhận", "15", "sáng kiến")
        self.nv.post_json(f"/api/movements/{mv}/participants", {"unit_id": self.unit["SNV-TDKT"]})
        self.nv.post_json(f"/api/movements/{mv}/participants", {"unit_id": self.unit["SNV-VP"]})
        self.launch(self.nv, mv)
        docx = self.nv.get(f"/movements/{mv}/plan.docx")
        self.assertEqual(docx.status, 200, docx.body[:300])
        text = docx_text(docx.body)
        for words in ("KẾ HOẠCH", "Thi đua Sở Nội vụ kỷ cương", "Văn bản điện tử",
                      "Sáng kiến được công nhận", "Phòng Thi đua, khen thưởng",
                      "Văn phòng Sở Nội vụ", "I. MỤC ĐÍCH, YÊU CẦU", "Đẩy mạnh chuyển đổi số",
                      "IV. ĐỐI TƯỢNG THAM GIA", "SỞ NỘI VỤ", "theo chuyên đề"):
            self.assertIn(words, text)
        pdf = self.nv.get(f"/movements/{mv}/plan.pdf")
        self.assertEqual(pdf.status, 200)
        self.assertTrue(pdf.body.startswith(b"%PDF"))
        ptext = " ".join(pdf_text(pdf.body).split())
        for words in ("Thi đua Sở Nội vụ kỷ cương", "Văn bản điện tử", "Sáng kiến được công nhận",
                      "Văn phòng Sở Nội vụ"):
            self.assertIn(words, ptext)
        # the plan takes number 01 of SNV's register, once
        r = self.nv.post_json(f"/api/movements/{mv}/plan", {})
        self.assertEqual(r.status, 201, r.body[:300])
        doc = r.json()["movement"]["plan_document"]
        self.assertEqual((doc["number_text"], doc["kind"], doc["issuer"]["code"], doc["issued_on"]),
                         ("01/KH-SNV", "KH", "SNV", TODAY))
        self.assertEqual(self.nv.post_json(f"/api/movements/{mv}/plan", {}).status, 409)
        self.assertIn("01/KH-SNV", docx_text(self.nv.get(f"/movements/{mv}/plan.docx").body))
        # a group's plan: issued by this year's head (STC), filed under the group
        g = self.create(self.nv, "Thi đua khối sở kế hoạch", "group")["id"]
        self.target(self.nv, g, "Chỉ tiêu khối", "90", "%")
        text = docx_text(self.nv.get(f"/movements/{g}/plan.docx").body)
        self.assertIn("SỞ TÀI CHÍNH", text)
        # the group's name above the head's (the heading wraps it over two lines)
        self.assertIn("KHỐI THI ĐUA CÁC", text)
        self.assertIn("SỞ, NGÀNH TỈNH", text)
        r = self.nv.post_json(f"/api/movements/{g}/plan", {})
        self.assertEqual(r.status, 201, r.body[:300])
        self.assertEqual(r.json()["movement"]["plan_document"]["number_text"], "01/KH-STC")
        doc_id = r.json()["movement"]["plan_document"]["id"]
        self.assertEqual(self.server.sql(f"SELECT group_id FROM documents WHERE id = {doc_id}"),
                         [(str(self.group["KHOI-SO"]),)])
        # the council's: the council's own series at its standing office
        c = self.create(self.office, "Thi đua hội đồng kế hoạch", "council")["id"]
        self.target(self.office, c, "Chỉ tiêu tỉnh", "1")
        text = docx_text(self.office.get(f"/movements/{c}/plan.docx").body)
        self.assertIn("ỦY BAN NHÂN DÂN", text)
        self.assertIn("HỘI ĐỒNG THI ĐUA", text)
        self.assertIn("TM. HỘI ĐỒNG", text)
        self.assertIn("Các cơ quan, đơn vị, địa phương trong tỉnh", text)
        r = self.office.post_json(f"/api/movements/{c}/plan", {})
        self.assertEqual(r.status, 201, r.body[:300])
        doc = r.json()["movement"]["plan_document"]
        self.assertEqual((doc["number_text"], doc["series"]), ("01/KH-HĐTĐKT", "HĐTĐKT"))
        # registering is audited as the document's creation too
        self.assertEqual(self.server.sql(f"SELECT count(*) FROM audit_log WHERE entity = "
                                         f"'document' AND entity_id = {doc['id']}"), [("1",)])


if __name__ == "__main__":
    unittest.main()
