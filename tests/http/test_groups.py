"""Emulation groups and their years (RULES.md §8.2): the register, members per
year (joining and leaving), head and deputy with the rights they carry for
their year only, the handover, and the timeline — on both drivers. Today is
pinned (TDKT_TODAY) so the demo's year is 2026."""

import unittest

from harness import Client, Server, ServerTest


class Groups(ServerTest):
    env = {"TDKT_TODAY": "2026-06-20"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = Client(cls.server)
        units = admin.api("/units?status=all&per_page=200")["items"]
        cls.unit = {u["code"]: u["id"] for u in units}
        groups = admin.api("/groups")["items"]
        cls.group = {g["code"]: g["id"] for g in groups}
        admin.close()

    def setUp(self):
        super().setUp()
        self.office = Client(self.server, login="vanphong")
        self.addCleanup(self.office.close)

    def grants(self, group):
        return self.server.sql(
            f"SELECT unit_id, role, valid_from, valid_to FROM role_grants WHERE scope_id = {group} "
            "ORDER BY valid_from, role")

    def new_group(self, code, **extra):
        body = {"code": code, "name": f"Khối thử {code}", "kind": "khoi", "first_year": 2026}
        body.update(extra)
        r = self.office.post_json("/api/groups", body)
        self.assertEqual(r.status, 201, r.body[:400])
        return r.json()["group"]["id"]

    # --- the register ----------------------------------------------------------

    def test_demo_groups_with_members_head_and_deputy(self):
        items = {g["code"]: g for g in self.office.api("/groups?year=2026")["items"]}
        self.assertEqual(items["KHOI-MTTQ"]["members"], 6)
        self.assertEqual(items["KHOI-MTTQ"]["head"], "Ủy ban MTTQ Việt Nam tỉnh")
        self.assertEqual(items["KHOI-MTTQ"]["deputy"], "Liên đoàn Lao động tỉnh")
        self.assertEqual(items["KHOI-SO"]["members"], 10)
        self.assertEqual(items["CUM-XP"]["kind_name"], "Cụm thi đua")
        # a cluster has a Trưởng cụm and a Phó cụm, not a Trưởng khối
        cum = self.office.api(f"/groups/{items['CUM-XP']['id']}/2026")
        self.assertEqual(cum["group"]["head_title"], "Trưởng cụm")
        self.assertEqual(sorted(m["role_name"] for m in cum["members"] if m["role_name"]),
                         ["Phó cụm", "Trưởng cụm"])
        # the name filter ignores marks and case
        found = self.office.api("/groups?q=mat%20tran")["items"]
        self.assertEqual(found, [])
        found = [g["code"] for g in self.office.api("/groups?q=doan%20THE")["items"]]
        self.assertEqual(found, ["KHOI-MTTQ"])

    def test_create_validates_and_refuses_duplicates(self):
        before = self.server.sql("SELECT count(*) FROM emulation_groups")[0][0]
        r = self.office.post_json("/api/groups", {"code": "", "name": "", "kind": "khoi"})
        self.assertError(r, 422, "mã khối", "tên khối")
        r = self.office.post_json("/api/groups", {"code": "KHỐI 1", "name": "X", "kind": "khoi"})
        self.assertError(r, 422, "Mã chỉ gồm")
        r = self.office.post_json("/api/groups", {"code": "K1", "name": "X", "kind": "khoi",
                                                  "quorum_num": 4, "quorum_den": 3})
        self.assertError(r, 422, "không thể lớn hơn 1")
        r = self.office.post_json("/api/groups", {"code": "khoi-mttq", "name": "X",
                                                  "kind": "khoi"})
        self.assertError(r, 422, "KHOI-MTTQ", "đã được dùng")
        self.assertEqual(self.server.sql("SELECT count(*) FROM emulation_groups")[0][0], before)
        # the unit officer and the council cannot create
        r = Client(self.server, login="sonoivu").post_json("/api/groups", {"code": "K2"})
        self.assertEqual(r.status, 403)

    def test_edit_with_version(self):
        gid = self.new_group("K-EDIT")
        g = self.office.api(f"/groups/{gid}")["group"]
        body = {"name": "Khối sửa tên", "kind": "cum", "quorum_num": 3, "quorum_den": 4,
                "version": g["version"]}
        r = self.office.post_json(f"/api/groups/{gid}", body)
        self.assertEqual(r.status, 200, r.body[:300])
        g2 = self.office.api(f"/groups/{gid}")["group"]
        self.assertEqual((g2["name"], g2["kind"], g2["quorum_text"]), ("Khối sửa tên", "cum", "3/4"))
        # the same old version again: someone else saved in between
        r = self.office.post_json(f"/api/groups/{gid}", body)
        self.assertError(r, 409, "vừa được người khác sửa")

    # --- years and members -----------------------------------------------------

    def test_a_new_year_copies_the_members_who_stayed(self):
        gid = self.new_group("K-YEARS")
        for code in ("HND", "HCCB", "TDOAN"):
            r = self.office.post_json(f"/api/groups/{gid}/2026/members",
                                      {"unit_id": self.unit[code]})
            self.assertEqual(r.status, 201, r.body[:300])
        # HCCB leaves in September: not carried into 2027
        r = self.office.post_json(f"/api/groups/{gid}/2026/members/{self.unit['HCCB']}/leave",
                                  {"left_on": "15/09/2026"})
        self.assertEqual(r.status, 200, r.body[:300])
        r = self.office.post_json(f"/api/groups/{gid}/years", {"year": 2027})
        self.assertEqual(r.status, 201, r.body[:300])
        names = [m["code"] for m in self.office.api(f"/groups/{gid}/2027")["members"]]
        self.assertEqual(sorted(names), ["HND", "TDOAN"])
        # the history keeps who belonged when
        y26 = {m["code"]: m for m in self.office.api(f"/groups/{gid}/2026")["members"]}
        self.assertEqual(y26["HCCB"]["left_on"], "2026-09-15")
        r = self.office.post_json(f"/api/groups/{gid}/years", {"year": 2027})
        self.assertError(r, 409, "đã có")

    def test_two_offices_on_one_year(self):
        gid = self.new_group("K-VER")
        v = self.office.api(f"/groups/{gid}/2026")["year"]["version"]
        r = self.office.post_json(f"/api/groups/{gid}/2026/members",
                                  {"unit_id": self.unit["HND"], "version": v})
        self.assertEqual(r.status, 201, r.body[:300])
        # a second page opened at the same version: told, nothing written
        r = self.office.post_json(f"/api/groups/{gid}/2026/members",
                                  {"unit_id": self.unit["HCCB"], "version": v})
        self.assertError(r, 409, "vừa được người khác cập nhật")
        self.assertEqual([m["code"] for m in self.office.api(f"/groups/{gid}/2026")["members"]],
                         ["HND"])

    def test_member_errors_write_nothing(self):
        gid = self.group["KHOI-MTTQ"]
        count = lambda: self.server.sql(
            f"SELECT count(*) FROM group_members WHERE group_id = {gid}")[0][0]
        before = count()
        r = self.office.post_json(f"/api/groups/{gid}/2026/members", {"unit_id": self.unit["LDLD"]})
        self.assertError(r, 422, "đã là thành viên")
        r = self.office.post_json(f"/api/groups/{gid}/2026/members",
                                  {"unit_id": self.unit["SNV"], "joined_on": "2025-12-01"})
        self.assertError(r, 422, "Ngày gia nhập phải trong năm 2026")
        # the head cannot leave before another unit takes the office
        r = self.office.post_json(f"/api/groups/{gid}/2026/members/{self.unit['MTTQ']}/leave",
                                  {"left_on": "2026-05-01"})
        self.assertError(r, 422, "Trưởng khối")
        r = self.office.post_json(f"/api/groups/{gid}/2026/members/{self.unit['HND']}/leave",
                                  {"left_on": "2027-01-05"})
        self.assertError(r, 422, "trong năm 2026")
        self.assertEqual(count(), before)
        # a unit officer cannot change members
        r = Client(self.server, login="mttq").post_json(f"/api/groups/{gid}/2026/members",
                                                        {"unit_id": self.unit["SNV"]})
        self.assertEqual(r.status, 403)

    def test_form_errors_come_back_on_the_year_page(self):
        gid = self.group["KHOI-MTTQ"]
        # a day that does not exist, typed in the leave form: the year page
        # again (422) with the message beside it, not an error page
        r = self.office.post_form(f"/groups/{gid}/2026/members/{self.unit['HND']}/leave",
                                  {"left_on": "31/02/2026"})
        self.assertEqual(r.status, 422, r.body[:300])
        self.assertIn("Khối thi đua MTTQ và các đoàn thể tỉnh — năm 2026", r.text)
        self.assertIn("Ngày rời khối", r.text)
        self.assertIn('role="alert"', r.text)
        r = self.office.post_form(f"/groups/{gid}/2026/members", {"unit_id": ""})
        self.assertEqual(r.status, 422)
        self.assertIn("Hãy chọn đơn vị", r.text)
        # a year that is not a number is refused as such, not a database error
        for bad in ("abc", "0", "99999"):
            r = self.office.post_json(f"/api/groups/{gid}/years", {"year": bad})
            self.assertError(r, 422, "1990")

    def test_late_joiner_and_leaver_on_the_timeline(self):
        gid = self.new_group("K-TIME")
        for code, joined in (("HND", None), ("HCCB", None), ("STP", "01/07/2026")):
            body = {"unit_id": self.unit[code]}
            if joined:
                body["joined_on"] = joined
            self.assertEqual(self.office.post_json(f"/api/groups/{gid}/2026/members", body).status,
                             201)
        self.office.post_json(f"/api/groups/{gid}/2026/members/{self.unit['HCCB']}/leave",
                              {"left_on": "2026-03-31"})
        year = self.office.api(f"/groups/{gid}/2026")
        self.assertEqual(year["member_count"], 2)       # HCCB left
        events = [(e["date"], e["text"]) for e in year["timeline"]]
        self.assertEqual(events, [("2026-03-31", "Hội Cựu chiến binh tỉnh rời khối"),
                                  ("2026-07-01", "Sở Tư pháp gia nhập khối")])

    # --- head and deputy -------------------------------------------------------

    def test_leaders_must_be_members_and_carry_rights_for_their_year(self):
        gid = self.group["KHOI-DANG"]
        before = self.grants(gid)
        # SNV is not a member of the Party bloc
        r = self.office.post_json(f"/api/groups/{gid}/2026/leaders",
                                  {"head_unit_id": self.unit["SNV"],
                                   "deputy_unit_id": self.unit["VPTU"]})
        self.assertError(r, 422, "không là thành viên năm 2026")
        r = self.office.post_json(f"/api/groups/{gid}/2026/leaders",
                                  {"head_unit_id": self.unit["VPTU"],
                                   "deputy_unit_id": self.unit["VPTU"]})
        self.assertError(r, 422, "hai đơn vị khác nhau")
        self.assertEqual(self.grants(gid), before)
        # a valid change replaces the year's grants
        r = self.office.post_json(f"/api/groups/{gid}/2026/leaders",
                                  {"head_unit_id": self.unit["BTCTU"],
                                   "deputy_unit_id": self.unit["UBKTTU"]})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(self.grants(gid), [
            (str(self.unit["UBKTTU"]), "deputy", "2026-01-01", "2027-01-01"),
            (str(self.unit["BTCTU"]), "head", "2026-01-01", "2027-01-01")])
        y = self.office.api(f"/groups/{gid}/2026")["year"]
        self.assertEqual((y["head"]["name"], y["deputy"]["name"]),
                         ("Ban Tổ chức Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"))

    def test_handover_by_the_outgoing_head(self):
        gid = self.group["KHOI-MTTQ"]
        r = self.office.post_json(f"/api/groups/{gid}/years", {"year": 2027})
        self.assertIn(r.status, (201, 409))
        # 2027 has no head yet: nothing to hand over to
        mttq = Client(self.server, login="mttq")
        r = mttq.post_json(f"/api/groups/{gid}/2027/handover", {"handover_on": "2026-12-20"})
        self.assertError(r, 422, "chưa có Trưởng khối")
        r = self.office.post_json(f"/api/groups/{gid}/2027/leaders",
                                  {"head_unit_id": self.unit["LDLD"],
                                   "deputy_unit_id": self.unit["HLHPN"]})
        self.assertEqual(r.status, 200, r.body[:300])
        # MTTQ heads 2026 (today is in 2026): it records the handover
        page = mttq.api(f"/groups/{gid}/2026")
        self.assertTrue(page["can_hand_over"])
        # not a day still to come (today is pinned to 20/06/2026)
        r = mttq.post_json(f"/api/groups/{gid}/2027/handover", {"handover_on": "2026-12-20"})
        self.assertError(r, 422, "sau hôm nay")
        r = mttq.post_json(f"/api/groups/{gid}/2027/handover",
                           {"handover_on": "2026-06-20", "handover_note": "Hồ sơ, sổ văn bản"})
        self.assertEqual(r.status, 200, r.body[:300])
        events = [e["text"] for e in mttq.api(f"/groups/{gid}/2026")["timeline"]
                  if e["kind"] == "handover"]
        self.assertEqual(events, ["Bàn giao nhiệm vụ Trưởng khối năm 2027 cho Liên đoàn Lao "
                                  "động tỉnh"])
        # a unit officer of another group may not
        r = Client(self.server, login="sonoivu").post_json(f"/api/groups/{gid}/2027/handover",
                                                           {"handover_on": "2026-12-21"})
        self.assertEqual(r.status, 403)
        r = mttq.post_json(f"/api/groups/{gid}/2027/handover", {"handover_on": "2025-12-20"})
        self.assertError(r, 422, "2026 hoặc 2027")

    # --- who sees what ---------------------------------------------------------

    def test_a_unit_officer_sees_only_their_groups(self):
        mttq = Client(self.server, login="mttq")
        self.assertEqual([g["code"] for g in mttq.api("/groups")["items"]], ["KHOI-MTTQ"])
        self.assertEqual(mttq.get(f"/api/groups/{self.group['KHOI-SO']}").status, 403)
        self.assertEqual(mttq.get(f"/api/groups/{self.group['KHOI-SO']}/2026").status, 403)
        self.assertEqual(mttq.get(f"/groups/{self.group['KHOI-MTTQ']}/2026").status, 200)
        # the council reads every group
        council = Client(self.server, login="hoidong")
        self.assertEqual(council.get(f"/groups/{self.group['KHOI-SO']}/2026").status, 200)
        self.assertEqual(self.office.get(f"/api/groups/{self.group['KHOI-SO']}/1999").status, 404)
        self.assertEqual(self.office.get("/api/groups/999999").status, 404)

    def test_home_shows_the_units_groups(self):
        home = Client(self.server, login="mttq").api("/")
        self.assertEqual([(g["name"], g["role_name"], g["year"]) for g in home["groups"]],
                         [("Khối thi đua MTTQ và các đoàn thể tỉnh", "Trưởng khối", 2026)])
        home = Client(self.server, login="sonoivu").api("/")
        self.assertEqual([(g["name"], g["role_name"]) for g in home["groups"]],
                         [("Khối thi đua các sở, ngành tỉnh", "Phó khối")])
        self.assertEqual(self.office.api("/")["groups"], [])

    def test_pages_render(self):
        gid = self.group["KHOI-MTTQ"]
        for path in ("/groups", "/groups/new", f"/groups/{gid}", f"/groups/{gid}/edit",
                     f"/groups/{gid}/2026"):
            r = self.office.get(path)
            self.assertEqual(r.status, 200, path)
        page = self.office.get(f"/groups/{gid}/2026").text
        for text in ("Khối thi đua MTTQ và các đoàn thể tỉnh", "Trưởng khối", "Hội Nông dân tỉnh",
                     "Diễn biến trong năm"):
            self.assertIn(text, page)


class DemoYear(unittest.TestCase):
    """`tdkt init --demo --demo-year` (what `make run` does): the MTTQ bloc's
    year so far, as far as today reaches."""

    def test_the_demo_year_so_far(self):
        server = Server(env={"TDKT_TODAY": "2026-06-20"}, init_args=("--demo-year",))
        try:
            c = Client(server, login="mttq")
            gid = next(g["id"] for g in c.api("/groups")["items"] if g["code"] == "KHOI-MTTQ")
            year = c.api(f"/groups/{gid}/2026")
            self.assertEqual([(e["date"], e["kind"]) for e in year["timeline"]], [
                ("2026-01-10", "movement"), ("2026-02-25", "pledge"),
                ("2026-02-25", "signature"), ("2026-02-25", "signature"),
                ("2026-02-25", "signature"), ("2026-02-25", "conference")])
            # the pledge waits for the three other units; MTTQ has signed
            self.assertEqual(year["pledge"]["signatures"], 3)
            home = c.api("/")
            self.assertFalse(home["groups"][0]["must_sign"])
            for path in (year["pledge"]["link"], year["conferences"][0]["link"],
                         year["movements"][0]["link"], f"/groups/{gid}/2026"):
                self.assertEqual(c.get(path).status, 200, path)
            c.close()
        finally:
            server.stop()
        # on 5 January the year has not reached its movement yet: groups only
        server = Server(env={"TDKT_TODAY": "2026-01-05"}, init_args=("--demo-year",))
        try:
            self.assertEqual(server.sql("SELECT count(*) FROM movements"), [("0",)])
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
