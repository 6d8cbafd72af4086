"""A full year of the demo bloc, as provincial news tells it (DESIGN.md §1,
RULES.md §8.3): Khối thi đua MTTQ và các đoàn thể tỉnh — six units, MTTQ head
and LĐLĐ deputy in 2026 — launches its movement, signs its pledge, reviews the
first six months, fails to decide at a meeting without its quorum, reviews the
year, elects next year's head and deputy, hands over, registers the minutes
and publishes the news; then the new year begins and the rights move with it.
Every step goes through the real server, on both drivers; the expected values
are worked out by hand in the comments."""

import io
import unittest
import zipfile

from harness import Client, Server, ServerTest

PASSWORD = "Mat-khau-thu-2026"
UNITS = ["MTTQ", "LDLD", "HLHPN", "HND", "HCCB", "TDOAN"]
SIGNERS = {  # invented people
    "MTTQ": ("Trần Quang Vinh", "Phó Chủ tịch"),
    "LDLD": ("Lê Thị Bích", "Chủ tịch"),
    "HLHPN": ("Nguyễn Thị Hòa", "Chủ tịch"),
    "HND": ("Phạm Văn Thắng", "Chủ tịch"),
    "HCCB": ("Đỗ Văn Hùng", "Chủ tịch"),
    "TDOAN": ("Vũ Minh Đức", "Bí thư"),
}


def docx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    import re
    return re.sub(r"<[^>]+>", "", xml)


class YearOfTheBloc(ServerTest):
    # the year end: everything of the year below happened on or before today
    env = {"TDKT_TODAY": "2026-12-20"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = Client(cls.server)
        try:
            units = admin.api("/units?status=all&per_page=200")["items"]
            cls.unit = {u["code"]: u["id"] for u in units}
            cls.name = {u["code"]: u["name"] for u in units}
            cls.gid = next(g["id"] for g in admin.api("/groups")["items"]
                           if g["code"] == "KHOI-MTTQ")
            cls.logins = {"MTTQ": ("mttq", "tdkt-demo-2026")}
            for code in UNITS[1:]:
                login = "canbo." + code.lower()
                r = admin.post_json("/api/users", {"login": login, "display_name": "Cán bộ " + code,
                                                   "role": "unit", "unit_id": cls.unit[code],
                                                   "password": PASSWORD})
                assert r.status == 201, (r.status, r.body[:300])
                cls.logins[code] = (login, PASSWORD)
        finally:
            admin.close()

    def officer(self, code):
        login, password = self.logins[code]
        c = Client(self.server, login=login, password=password)
        self.addCleanup(c.close)
        return c

    def ok(self, r, status=(200, 201)):
        self.assertIn(r.status, status if isinstance(status, tuple) else (status,), r.body[:500])
        return r.json() if r.body and r.headers.get("content-type", "").startswith(
            "application/json") else None

    def count(self, table, where="1 = 1"):
        return int(self.server.sql(f"SELECT count(*) FROM {table} WHERE {where}")[0][0])

    def conference(self, head, kind, held_on, present, title=None):
        """A conference of the group with `present` units there, the others absent."""
        body = {"kind": kind, "held_on": held_on, "place": "Hội trường Ủy ban MTTQ tỉnh",
                "secretary": "Hoàng Minh Đức", "starts_at": "08:00", "ends_at": "11:30"}
        if title:
            body["title"] = title
        cid = self.ok(head.post_json(f"/api/groups/{self.gid}/2026/conferences", body),
                      201)["conference"]["id"]
        for code in UNITS:
            here = code in present
            self.ok(head.post_json(f"/api/conferences/{cid}/attendance", {
                "unit_id": self.unit[code], "present": "yes" if here else "no",
                "representative": SIGNERS[code][0] if here else "",
                "representative_title": SIGNERS[code][1] if here else "",
                "note": "" if here else "vắng có lý do"}))
        return cid

    def test_the_year(self):
        head = self.officer("MTTQ")          # Ủy ban MTTQ tỉnh heads the bloc in 2026
        office = Client(self.server, login="vanphong")
        self.addCleanup(office.close)

        # --- the movement the bloc launches, with one measured target ---------
        mv = self.ok(head.post_json("/api/movements", {
            "name": "Đoàn kết, sáng tạo, thi đua hoàn thành nhiệm vụ năm 2026",
            "kind": "regular", "launcher_kind": "group", "launcher_group_id": self.gid,
            "starts_on": "2026-01-01", "ends_on": "2026-12-31",
            "goals": "Phát triển hội viên, chuyển đổi số."}), 201)["movement"]
        self.ok(head.post_json(f"/api/movements/{mv['id']}/targets",
                               {"name": "Kết nạp hội viên, đoàn viên mới", "measure": "người",
                                "value": "200"}))
        self.ok(head.post_json(f"/api/movements/{mv['id']}/participants",
                               {"group_id": self.gid}))
        self.ok(head.post_json(f"/api/movements/{mv['id']}/launch", {}))
        target = head.api(f"/movements/{mv['id']}")["movement"]["targets"][0]

        # --- the pledge: an item from the movement's target, a rate, a duty ----
        pledge = self.ok(head.post_json(f"/api/groups/{self.gid}/2026/pledge", {
            "basis": "Kế hoạch số 01/KH-MTTQ ngày 05 tháng 01 năm 2026"}), 201)["pledge"]
        pid = pledge["id"]
        self.ok(head.post_json(f"/api/pledges/{pid}/items",
                               {"movement_target_id": target["id"]}), 201)
        self.ok(head.post_json(f"/api/pledges/{pid}/items",
                               {"content": "Văn bản điện tử trên tổng số văn bản đi",
                                "measure": "%", "target": "100"}), 201)
        self.ok(head.post_json(f"/api/pledges/{pid}/items",
                               {"content": "Thực hiện tốt quy chế phối hợp của Khối"}), 201)
        items = head.api(f"/pledges/{pid}")["pledge"]["items"]
        self.assertEqual([(i["content"], i["target_x100"]) for i in items],
                         [("Kết nạp hội viên, đoàn viên mới", 20000),
                          ("Văn bản điện tử trên tổng số văn bản đi", 10000),
                          ("Thực hiện tốt quy chế phối hợp của Khối", None)])
        self.ok(head.post_json(f"/api/pledges/{pid}/open", {"opened_on": "2026-02-25"}))

        # --- the signing conference; each unit signs through its own officer ---
        signing = self.conference(head, "pledge", "2026-02-25", UNITS)
        for n, code in enumerate(UNITS):
            name, title = SIGNERS[code]
            self.ok(self.officer(code).post_json(f"/api/pledges/{pid}/sign", {
                "unit_id": self.unit[code], "signer_name": name, "signer_title": title,
                "signed_on": "2026-02-25" if n < 5 else "2026-02-27"}), 201)
            status = head.api(f"/pledges/{pid}")["pledge"]["status"]
            # signed only when the sixth has signed
            self.assertEqual(status, "signed" if n == 5 else "open", code)
        self.assertEqual(head.api(f"/pledges/{pid}")["pledge"]["signed_on"], "2026-02-27")
        # signing twice, and signing for another unit: refused, nothing written
        before = self.count("pledge_signatures", f"pledge_id = {pid}")
        r = self.officer("HND").post_json(f"/api/pledges/{pid}/sign", {
            "unit_id": self.unit["HND"], "signer_name": "Phạm Văn Thắng",
            "signer_title": "Chủ tịch", "signed_on": "2026-03-01"})
        self.assertError(r, 409, "đã ký")
        r = head.post_json(f"/api/pledges/{pid}/sign", {
            "unit_id": self.unit["LDLD"], "signer_name": "Trần Quang Vinh",
            "signer_title": "Phó Chủ tịch", "signed_on": "2026-03-01"})
        self.assertEqual(r.status, 403, r.body[:300])
        self.assertEqual(self.count("pledge_signatures", f"pledge_id = {pid}"), before)
        self.assertEqual(before, 6)
        # the Bản giao ước carries every member's signature block
        text = docx_text(head.get(f"/pledges/{pid}/document.docx").body)
        for code in UNITS:
            self.assertIn(SIGNERS[code][0], text)
            self.assertIn(self.name[code].upper(), text)   # the block prints it in capitals

        # --- mid-year review: 5 of 6 present (HCCB excused) ---------------------
        # quorum 2/3 of 6 = 4; 5 * 3 = 15 >= 6 * 2 = 12 → decisions allowed
        mid = self.conference(head, "midyear", "2026-07-15", [u for u in UNITS if u != "HCCB"])
        quorum = head.api(f"/conferences/{mid}")["quorum"]
        self.assertEqual((quorum["members"], quorum["present"], quorum["needed"], quorum["met"]),
                         (6, 5, 4, True))
        # figures against the pledge: 200 members a year → 100 expected by mid-year
        # (half of a quantity), 100 % e-documents expected in full (a rate)
        figures = {"MTTQ": ("130", "100"), "LDLD": ("100", "95"), "HLHPN": ("60", "100"),
                   "HND": ("210", "100"), "TDOAN": ("99", "100")}
        for code, (members, rate) in figures.items():
            for item, value in ((items[0], members), (items[1], rate)):
                self.ok(self.officer(code).post_json(f"/api/conferences/{mid}/reports", {
                    "unit_id": self.unit[code], "pledge_item_id": item["id"], "actual": value}))
        # the qualitative third item is reported in words
        ldld = self.officer("LDLD")
        r = ldld.post_json(f"/api/conferences/{mid}/reports", {
            "unit_id": self.unit["LDLD"], "pledge_item_id": items[2]["id"]})
        self.assertError(r, 422, "định tính")
        self.ok(ldld.post_json(f"/api/conferences/{mid}/reports", {
            "unit_id": self.unit["LDLD"], "pledge_item_id": items[2]["id"],
            "note": "Phối hợp tốt trong các hoạt động chung của Khối"}))
        review = {u["unit_id"]: u for u in head.api(f"/conferences/{mid}")["review"]["units"]}
        self.assertEqual([c["progress_name"] for c in review[self.unit["LDLD"]]["cells"]],
                         ["Đúng tiến độ", "Chậm", "Đã báo cáo"])
        got = {code: (review[self.unit[code]]["met"], review[self.unit[code]]["on_track"],
                      review[self.unit[code]]["behind"], review[self.unit[code]]["ok"])
               for code in figures}
        self.assertEqual(got, {
            "MTTQ": (1, 1, 0, True),    # 130 ≥ 100 on track; 100 % met
            "LDLD": (0, 1, 1, False),   # 100 = 100 on track; 95 % < 100 % behind
            "HLHPN": (1, 0, 1, False),  # 60 < 100 behind; 100 % met
            "HND": (2, 0, 0, True),     # 210 ≥ 200 met; 100 % met
            "TDOAN": (1, 0, 1, False),  # 99 < 100 behind; 100 % met
        })
        self.ok(head.post_json(f"/api/conferences/{mid}/decisions", {
            "content": "Thống nhất đánh giá kết quả thực hiện giao ước 6 tháng đầu năm."}))
        # a conclusion typed in error goes again
        typo = self.ok(head.post_json(f"/api/conferences/{mid}/decisions",
                                      {"content": "Kết luận gõ nhầm"}))
        page = head.api(f"/conferences/{mid}")
        wrong = next(d for d in page["decisions"] if d["content"] == "Kết luận gõ nhầm")
        self.ok(head.post_json(f"/api/conferences/{mid}/decisions/{wrong['id']}/delete",
                               {"version": page["conference"]["version"]}))
        self.assertEqual([d["content"] for d in head.api(f"/conferences/{mid}")["decisions"]],
                         ["Thống nhất đánh giá kết quả thực hiện giao ước 6 tháng đầu năm."])
        self.assertIsNotNone(typo)
        self.ok(head.post_json(f"/api/conferences/{mid}/tasks", {
            "content": "Tổng hợp báo cáo sơ kết gửi Sở Nội vụ", "unit_id": self.unit["MTTQ"],
            "due_on": "2026-07-31"}))

        # --- a second meeting with 3 of 6: no decision may be taken -------------
        # 3 * 3 = 9 < 12
        thin = self.conference(head, "midyear", "2026-08-20", ["MTTQ", "LDLD", "HND"],
                               title="Hội nghị sơ kết (họp bổ sung)")
        before = self.count("conference_decisions")
        r = head.post_json(f"/api/conferences/{thin}/decisions",
                           {"content": "Điều chỉnh chỉ tiêu kết nạp hội viên."})
        self.assertError(r, 422, "3/6", "4")
        self.assertEqual(self.count("conference_decisions"), before)

        # --- bad input: a conference outside the year ---------------------------
        before = self.count("conferences")
        r = head.post_json(f"/api/groups/{self.gid}/2026/conferences",
                           {"kind": "other", "held_on": "2027-01-10"})
        self.assertError(r, 422, "trong năm 2026")
        self.assertEqual(self.count("conferences"), before)

        # --- year-end review: everyone present, the election --------------------
        end = self.conference(head, "yearend", "2026-12-18", UNITS)
        self.ok(head.post_json(f"/api/conferences/{end}/chairs", {
            "unit_id": self.unit["MTTQ"], "person_name": "Trần Quang Vinh",
            "person_title": "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh, Trưởng Khối"}))
        page = head.api(f"/conferences/{end}")
        # the custom: this year's deputy (LĐLĐ) is proposed as next year's head
        proposal = page["election"]["proposal"]
        self.assertEqual(proposal["head"]["id"], self.unit["LDLD"])
        # electing a unit that is not a member: refused, nothing written
        before = (self.count("role_grants"), self.count("conference_decisions"))
        r = head.post_json(f"/api/conferences/{end}/election", {
            "head_unit_id": self.unit["SNV"], "deputy_unit_id": self.unit["HLHPN"]})
        self.assertError(r, 422, "không là thành viên")
        self.assertEqual((self.count("role_grants"), self.count("conference_decisions")), before)
        # the conference decides: LĐLĐ head, Hội LHPN deputy for 2027
        self.ok(head.post_json(f"/api/conferences/{end}/election", {
            "head_unit_id": self.unit["LDLD"], "deputy_unit_id": self.unit["HLHPN"]}))
        self.ok(head.post_json(f"/api/conferences/{end}/tasks", {
            "content": "Hoàn thiện hồ sơ đề nghị khen thưởng gửi Sở Nội vụ trước ngày 10/12"}))

        # next year's group shows them, elected at this conference, with rights
        # for 2027 only
        y27 = head.api(f"/groups/{self.gid}/2027")
        self.assertEqual((y27["year"]["head"]["id"], y27["year"]["deputy"]["id"],
                          y27["year"]["elected_at"]),
                         (self.unit["LDLD"], self.unit["HLHPN"], end))
        self.assertEqual(sorted(m["code"] for m in y27["members"]), sorted(UNITS))
        grants = self.server.sql(
            f"SELECT unit_id, role, valid_from, valid_to FROM role_grants WHERE scope_id = "
            f"{self.gid} AND valid_from = '2027-01-01' ORDER BY role")
        self.assertEqual(grants, [(str(self.unit["HLHPN"]), "deputy", "2027-01-01", "2028-01-01"),
                                  (str(self.unit["LDLD"]), "head", "2027-01-01", "2028-01-01")])

        # --- the outgoing head hands over; the minutes get their number ---------
        self.ok(head.post_json(f"/api/groups/{self.gid}/2027/handover", {
            "handover_on": "2026-12-20", "handover_note": "Hồ sơ, sổ văn bản của Khối"}))
        # before its number, the minutes leave it to write by hand: "Số:   /BB-MTTQ"
        draft = docx_text(head.get(f"/conferences/{end}/minutes.docx").body)
        self.assertIn("\u00a0/BB-MTTQ", draft)
        self.assertNotIn("01/BB-MTTQ", draft)
        minutes = self.ok(head.post_json(f"/api/conferences/{end}/minutes", {}))
        number = head.api(f"/conferences/{end}")["minutes"]["number_text"]
        # every member of the year reads the registered minutes, not only the
        # issuing head unit; an officer of another group does not
        doc = head.api(f"/conferences/{end}")["minutes"]["document_id"]
        self.assertEqual(self.officer("HCCB").get(f"/documents/{doc}").status, 200)
        self.assertEqual(Client(self.server, login="sonoivu").get(f"/documents/{doc}").status,
                         403)
        self.assertEqual(number, "01/BB-MTTQ")          # the head unit's first BB of 2026
        text = docx_text(head.get(f"/conferences/{end}/minutes.docx").body)
        for needle in ("Trần Quang Vinh", "6/6", number, self.name["LDLD"], self.name["HLHPN"],
                       "Hoàng Minh Đức"):
            self.assertIn(needle, text)
        self.assertIsNotNone(minutes)

        # every member's home page lists the task given to all members; the
        # mid-year task (MTTQ's, due 31/07) is past and gone
        tasks = [t["content"] for t in self.officer("HND").api("/")["tasks"]]
        self.assertEqual(tasks, ["Hoàn thiện hồ sơ đề nghị khen thưởng gửi Sở Nội vụ trước ngày "
                                 "10/12"])
        self.assertEqual([t["content"] for t in head.api("/")["tasks"]], tasks)
        # LĐLĐ's officer learns from the home page that it leads next year
        self.assertEqual(self.officer("LDLD").api("/")["groups"][0]["next_role_name"],
                         "Trưởng khối năm 2027")
        self.assertEqual(head.api("/")["groups"][0]["next_role_name"], "")

        # --- the news article, drafted by the head, published by the office -----
        r = head.post_json(f"/api/conferences/{end}/news", {})
        self.assertEqual(r.status, 201, r.body[:300])
        news = r.json()["news"]
        # the draft is the author's and the office's: a member does not see it yet
        self.assertEqual(self.officer("HND").api(f"/conferences/{end}")["news"], [])
        self.assertEqual(len(head.api(f"/conferences/{end}")["news"]), 1)
        self.ok(office.post_json(f"/api/news/{news['id']}/publish", {}))
        self.assertEqual(len(self.officer("HND").api(f"/conferences/{end}")["news"]), 1)
        # the conference page lists what was drafted from it
        self.assertEqual([(n["title"], n["published"]) for n in head.api(f"/conferences/{end}")["news"]],
                         [(news["title"], True)])
        anon = Client(self.server, login=None)
        self.addCleanup(anon.close)
        article = anon.get(f"/news/{news['slug']}")
        self.assertEqual(article.status, 200)
        for needle in ("Trần Quang Vinh", "6/6", self.name["LDLD"]):
            self.assertIn(needle, article.text)

        # --- the timeline of the year, in order ---------------------------------
        year = head.api(f"/groups/{self.gid}/2026")
        kinds = [(e["date"], e["kind"]) for e in year["timeline"]]
        self.assertEqual(kinds[:9], [("2026-02-25", "pledge"),        # opened for signing
                                     ("2026-02-25", "signature"), ("2026-02-25", "signature"),
                                     ("2026-02-25", "signature"), ("2026-02-25", "signature"),
                                     ("2026-02-25", "signature"),
                                     ("2026-02-25", "conference"),
                                     ("2026-02-27", "signature"),
                                     ("2026-02-27", "pledge")])       # signed by all
        rest = [k for k in kinds[9:]]
        self.assertEqual(rest, [("2026-07-15", "conference"), ("2026-07-15", "result"),
                                ("2026-07-15", "decision"),
                                ("2026-08-20", "conference"),
                                ("2026-12-18", "conference"), ("2026-12-18", "election"),
                                ("2026-12-18", "document"),
                                ("2026-12-20", "movement"),  # launched "today" (pinned)
                                ("2026-12-20", "handover"), ("2026-12-20", "news")])
        texts = [e["text"] for e in year["timeline"]]
        self.assertIn("Bàn giao nhiệm vụ Trưởng khối năm 2027 cho Liên đoàn Lao động tỉnh", texts)
        self.assertTrue(any(self.name["LDLD"] in t and "Trưởng" in t for t in texts
                            if "bầu" in t.lower()), texts)
        self.assertEqual(len(year["conferences"]), 4)
        self.assertEqual([c["quorum_met"] for c in year["conferences"]], [True, True, False, True])
        self.assertEqual(signing, year["conferences"][0]["id"])

        # --- the new year: the rights move with it ------------------------------
        # the same records served on 5 January 2027
        jan = Server(env={"TDKT_TODAY": "2027-01-05"}, db=self.server.db)
        try:
            ldld = Client(jan, login=self.logins["LDLD"][0], password=PASSWORD)
            mttq = Client(jan, login="mttq")
            # LĐLĐ now heads 2027 and holds a conference of its year
            r = ldld.post_json(f"/api/groups/{self.gid}/2027/conferences",
                               {"kind": "pledge", "held_on": "2027-02-20"})
            self.assertEqual(r.status, 201, r.body[:300])
            # MTTQ's rights ended with 2026: no more decisions there, none in 2027
            r = mttq.post_json(f"/api/conferences/{end}/decisions", {"content": "Bổ sung."})
            self.assertEqual(r.status, 403, r.body[:300])
            r = mttq.post_json(f"/api/groups/{self.gid}/2027/conferences",
                               {"kind": "other", "held_on": "2027-03-01"})
            self.assertEqual(r.status, 403, r.body[:300])
            home = ldld.api("/")
            self.assertEqual([(g["name"], g["role_name"], g["year"]) for g in home["groups"]],
                             [("Khối thi đua MTTQ và các đoàn thể tỉnh", "Trưởng khối", 2027)])
            ldld.close()
            mttq.close()
        finally:
            jan.stop()


class Hardening(ServerTest):
    """What a review of the year's features found, each kept from coming back."""
    env = {"TDKT_TODAY": "2026-06-20"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = Client(cls.server)
        try:
            cls.unit = {u["code"]: u["id"] for u in
                        admin.api("/units?status=all&per_page=200")["items"]}
            cls.group = {g["code"]: g["id"] for g in admin.api("/groups")["items"]}
        finally:
            admin.close()

    def setUp(self):
        super().setUp()
        self.office = Client(self.server, login="vanphong")
        self.mttq = Client(self.server, login="mttq")
        self.snv = Client(self.server, login="sonoivu")
        for c in (self.office, self.mttq, self.snv):
            self.addCleanup(c.close)

    def count(self, sql):
        return int(self.server.sql(sql)[0][0])

    def test_a_draft_movement_stays_with_its_launcher(self):
        g = self.group["KHOI-SO"]
        mv = self.office.post_json("/api/movements", {
            "name": "Dự thảo chưa công bố", "kind": "thematic", "launcher_kind": "council",
            "starts_on": "2026-01-01", "ends_on": "2026-12-31"}).json()["movement"]
        self.assertEqual(self.office.post_json(f"/api/movements/{mv['id']}/targets",
                                               {"name": "Chỉ tiêu mật", "value": "5"}).status, 201)
        self.assertIn(self.office.post_json(f"/api/movements/{mv['id']}/participants",
                                            {"group_id": g}).status, (200, 201))
        target = self.office.api(f"/movements/{mv['id']}")["movement"]["targets"][0]["id"]
        # SNV's group does not show it, nor offer its target to the pledge
        year = self.snv.api(f"/groups/{g}/2026")
        self.assertNotIn("Dự thảo chưa công bố", [m["name"] for m in year["movements"]])
        pledge = self.snv.post_json(f"/api/groups/{g}/2026/pledge", {}).json()["pledge"]
        page = self.snv.api(f"/pledges/{pledge['id']}")
        self.assertNotIn(target, [o["value"] for o in page["item_form"]["targets"]])
        r = self.snv.post_json(f"/api/pledges/{pledge['id']}/items",
                               {"movement_target_id": target})
        self.assertEqual(r.status, 422, r.body[:300])

    def test_registered_minutes_close_the_record(self):
        g = self.group["KHOI-MTTQ"]
        cid = self.mttq.post_json(f"/api/groups/{g}/2026/conferences",
                                  {"kind": "other", "held_on": "2026-06-01"}).json()[
            "conference"]["id"]
        for code in ("MTTQ", "LDLD", "HLHPN", "HND"):
            self.assertEqual(self.mttq.post_json(f"/api/conferences/{cid}/attendance", {
                "unit_id": self.unit[code], "present": "yes"}).status, 200)
        # eight registrations at once: one number is taken, the others refused
        import threading
        statuses = []

        def register():
            c = Client(self.server, login="mttq")
            statuses.append(c.post_json(f"/api/conferences/{cid}/minutes", {}).status)
            c.close()
        threads = [threading.Thread(target=register) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(statuses), [201] + [409] * 7)
        self.assertEqual(self.count(f"SELECT count(*) FROM documents WHERE group_id = {g} AND "
                                    "kind = 'BB'"), 1)
        # what the minutes record cannot change any more, and no form offers it
        page = self.mttq.api(f"/conferences/{cid}")
        self.assertFalse(page["conference"]["can_record"])
        self.assertFalse(page["conference"]["can_report"])
        self.assertTrue(page["conference"]["can_manage"])     # drafting the news remains
        version = page["conference"]["version"]
        r = self.mttq.post_json(f"/api/conferences/{cid}/attendance",
                                {"unit_id": self.unit["HND"], "present": "no"})
        self.assertError(r, 409, "đã được lấy số")
        r = self.mttq.post_json(f"/api/conferences/{cid}", {
            "title": "Đổi tên", "held_on": "2026-06-02", "version": version})
        self.assertError(r, 409, "đã được lấy số")
        r = self.mttq.post_json(f"/api/conferences/{cid}/decisions", {"content": "Thêm kết luận"})
        self.assertError(r, 409, "đã được lấy số")
        present = self.count(f"SELECT count(*) FROM conference_attendance WHERE conference_id = "
                             f"{cid} AND present = 1")
        self.assertEqual(present, 4)

    def test_membership_does_not_change_under_a_meeting_held(self):
        g = self.group["CUM-XP"]
        cid = self.office.post_json(f"/api/groups/{g}/2026/conferences",
                                    {"kind": "other", "held_on": "2026-06-05"}).json()[
            "conference"]["id"]
        self.assertEqual(self.office.post_json(f"/api/conferences/{cid}/attendance", {
            "unit_id": self.unit["P-KINHBAC"], "present": "yes"}).status, 200)
        quorum = self.office.api(f"/conferences/{cid}")["quorum"]
        # joining for the whole year, or on the day, would change that meeting
        for body in ({"unit_id": self.unit["SNV"]},
                     {"unit_id": self.unit["SNV"], "joined_on": "2026-06-05"}):
            r = self.office.post_json(f"/api/groups/{g}/2026/members", body)
            self.assertError(r, 422, "05/06/2026")
        r = self.office.post_json(f"/api/groups/{g}/2026/members/{self.unit['X-TIENDU']}/leave",
                                  {"left_on": "2026-06-05"})
        self.assertError(r, 422, "05/06/2026")
        self.assertEqual(self.office.api(f"/conferences/{cid}")["quorum"], quorum)
        # after the day both are recorded
        r = self.office.post_json(f"/api/groups/{g}/2026/members",
                                  {"unit_id": self.unit["SNV"], "joined_on": "2026-06-06"})
        self.assertEqual(r.status, 201, r.body[:300])
        r = self.office.post_json(f"/api/groups/{g}/2026/members/{self.unit['X-TIENDU']}/leave",
                                  {"left_on": "2026-06-06"})
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(self.office.api(f"/conferences/{cid}")["quorum"], quorum)

    def test_the_last_awaited_member_leaving_completes_the_pledge(self):
        r = self.office.post_json("/api/groups", {"code": "K-PLEDGE", "name": "Khối thử giao ước",
                                                  "kind": "khoi", "first_year": 2026})
        g = r.json()["group"]["id"]
        for code in ("HND", "HCCB", "TDOAN"):
            self.assertEqual(self.office.post_json(f"/api/groups/{g}/2026/members",
                                                   {"unit_id": self.unit[code]}).status, 201)
        pid = self.office.post_json(f"/api/groups/{g}/2026/pledge", {}).json()["pledge"]["id"]
        self.office.post_json(f"/api/pledges/{pid}/items", {"content": "Nội dung"})
        self.assertEqual(self.office.post_json(f"/api/pledges/{pid}/open",
                                               {"opened_on": "2026-03-01"}).status, 200)
        for code, day in (("HND", "2026-03-02"), ("HCCB", "2026-03-05")):
            self.server.sql("INSERT INTO pledge_signatures (pledge_id, unit_id, signer_name, "
                            f"signer_title, signed_on, created_at) VALUES ({pid}, "
                            f"{self.unit[code]}, 'Người ký', 'Chủ tịch', '{day}', "
                            "'2026-03-05T00:00:00Z')")
        self.assertEqual(self.office.api(f"/pledges/{pid}")["pledge"]["status"], "open")
        # Tỉnh đoàn, the one still awaited, leaves: the pledge is signed by all
        # who remain, dated the latest signature
        r = self.office.post_json(f"/api/groups/{g}/2026/members/{self.unit['TDOAN']}/leave",
                                  {"left_on": "2026-06-10"})
        self.assertEqual(r.status, 200, r.body[:300])
        p = self.office.api(f"/pledges/{pid}")["pledge"]
        self.assertEqual((p["status"], p["signed_on"]), ("signed", "2026-03-05"))
        # the pledge's own history records it
        self.assertEqual(self.server.sql(
            f"SELECT action FROM audit_log WHERE entity = 'pledge' AND entity_id = {pid} "
            "ORDER BY seq DESC LIMIT 1"), [("complete",)])

    def test_a_meeting_to_come_records_nothing_yet(self):
        g = self.group["KHOI-MTTQ"]
        cid = self.mttq.post_json(f"/api/groups/{g}/2026/conferences",
                                  {"kind": "yearend", "held_on": "2026-12-15"}).json()[
            "conference"]["id"]
        before = self.count(f"SELECT count(*) FROM conference_attendance WHERE conference_id = {cid}")
        for path, body in (("attendance", {"unit_id": self.unit["HND"], "present": "yes"}),
                           ("decisions", {"content": "Kết luận trước"}),
                           ("election", {"head_unit_id": self.unit["LDLD"],
                                         "deputy_unit_id": self.unit["HND"]}),
                           ("minutes", {})):
            r = self.mttq.post_json(f"/api/conferences/{cid}/{path}", body)
            self.assertError(r, 422, "chưa diễn ra")
        self.assertEqual(self.count(f"SELECT count(*) FROM conference_attendance WHERE "
                                    f"conference_id = {cid}"), before)
        self.assertEqual(self.count("SELECT count(*) FROM group_years WHERE year = 2027"), 0)
        # who will chair is known before the day
        r = self.mttq.post_json(f"/api/conferences/{cid}/chairs", {
            "unit_id": self.unit["MTTQ"], "person_name": "Trần Quang Vinh"})
        self.assertEqual(r.status, 200, r.body[:300])

    def test_reports_need_an_open_pledge_and_figures_are_not_negative(self):
        g = self.group["KHOI-DANG"]
        office = self.office
        pledge = office.post_json(f"/api/groups/{g}/2026/pledge", {}).json()["pledge"]
        office.post_json(f"/api/pledges/{pledge['id']}/items",
                         {"content": "Chỉ tiêu", "measure": "người", "target": "10"})
        item = office.api(f"/pledges/{pledge['id']}")["pledge"]["items"][0]["id"]
        r = office.post_json(f"/api/pledges/{pledge['id']}/items",
                             {"content": "Âm", "target": "-5"})
        self.assertError(r, 422, "không âm")
        cid = office.post_json(f"/api/groups/{g}/2026/conferences",
                               {"kind": "midyear", "held_on": "2026-06-15"}).json()[
            "conference"]["id"]
        body = {"unit_id": self.unit["VPTU"], "pledge_item_id": item, "actual": "4"}
        r = office.post_json(f"/api/conferences/{cid}/reports", body)
        self.assertError(r, 422, "dự thảo")
        # a draft prints marked as such; once open, it does not
        self.assertIn("DỰ THẢO", docx_text(office.get(f"/pledges/{pledge['id']}/document.docx").body))
        self.assertEqual(office.post_json(f"/api/pledges/{pledge['id']}/open", {}).status, 200)
        self.assertNotIn("DỰ THẢO",
                         docx_text(office.get(f"/pledges/{pledge['id']}/document.docx").body))
        r = office.post_json(f"/api/conferences/{cid}/reports", dict(body, actual="-1"))
        self.assertError(r, 422, "không âm")
        self.assertEqual(office.post_json(f"/api/conferences/{cid}/reports", body).status, 200)

    def test_a_member_is_offered_its_own_unit_for_figures(self):
        g = self.group["KHOI-SO"]
        admin = Client(self.server)
        r = admin.post_json("/api/users", {"login": "canbo.syt", "display_name": "Cán bộ Sở Y tế",
                                           "role": "unit", "unit_id": self.unit["SYT"],
                                           "password": PASSWORD})
        self.assertEqual(r.status, 201, r.body[:300])
        admin.close()
        syt = Client(self.server, login="canbo.syt", password=PASSWORD)
        self.addCleanup(syt.close)
        pledge = self.snv.post_json(f"/api/groups/{g}/2026/pledge", {})
        self.assertIn(pledge.status, (201, 409))
        cid = self.snv.post_json(f"/api/groups/{g}/2026/conferences",
                                 {"kind": "midyear", "held_on": "2026-06-10"}).json()[
            "conference"]["id"]
        page = syt.api(f"/conferences/{cid}")
        self.assertEqual([o["name"] for o in page["report_options"]], ["Sở Y tế"])
        self.assertFalse(page["conference"]["can_manage"])
        # the deputy's officer (SNV) manages, and is offered every member
        self.assertEqual(len(self.snv.api(f"/conferences/{cid}")["report_options"]), 10)

    def test_years_are_read_by_their_members_only(self):
        g = self.group["KHOI-MTTQ"]
        self.assertIn(self.office.post_json(f"/api/groups/{g}/years", {"year": 2027}).status,
                      (201, 409))
        r = self.office.post_json(f"/api/groups/{g}/2027/members", {"unit_id": self.unit["SNV"]})
        self.assertEqual(r.status, 201, r.body[:300])
        # SNV joins in 2027: it reads 2027, not the year before it joined
        self.assertEqual(self.snv.get(f"/api/groups/{g}/2027").status, 200)
        self.assertEqual(self.snv.get(f"/api/groups/{g}/2026").status, 403)

    def test_handover_once_by_the_incoming_head_and_no_leader_who_left(self):
        g = self.group["KHOI-SO"]
        # SNV (deputy in 2026) may record its own year's handover once
        r = self.snv.post_json(f"/api/groups/{g}/2026/handover", {"handover_on": "2026-01-05"})
        self.assertEqual(r.status, 200, r.body[:300])
        r = self.snv.post_json(f"/api/groups/{g}/2026/handover", {"handover_on": "2026-01-06"})
        self.assertError(r, 403, "đã được ghi nhận")
        self.assertEqual(self.office.post_json(f"/api/groups/{g}/2026/handover",
                                               {"handover_on": "2026-01-06"}).status, 200)
        # a unit that left cannot be made head or deputy
        r = self.office.post_json(f"/api/groups/{g}/2026/members/{self.unit['STP']}/leave",
                                  {"left_on": "2026-05-01"})
        self.assertEqual(r.status, 200, r.body[:300])
        r = self.office.post_json(f"/api/groups/{g}/2026/leaders", {
            "head_unit_id": self.unit["STC"], "deputy_unit_id": self.unit["STP"]})
        self.assertError(r, 422, "đã rời khối")

    def test_removing_a_participant_needs_the_same_reach_as_adding(self):
        mv = self.mttq.post_json("/api/movements", {
            "name": "Phong trào của Ủy ban MTTQ", "kind": "thematic", "launcher_kind": "unit",
            "launcher_unit_id": self.unit["MTTQ"], "starts_on": "2026-03-01",
            "ends_on": "2026-09-30"}).json()["movement"]
        r = self.office.post_json(f"/api/movements/{mv['id']}/participants",
                                  {"unit_id": self.unit["HND"]})
        self.assertIn(r.status, (200, 201), r.body[:300])
        # the movement is MTTQ's: SNV's officer can neither see nor change it
        r = self.snv.post_json(f"/api/movements/{mv['id']}/participants/delete",
                               {"unit_id": self.unit["HND"]})
        self.assertIn(r.status, (403, 404))
        # on the movement's page, MTTQ's officer sees HND named, not linked
        page = self.mttq.get(f"/movements/{mv['id']}").text
        self.assertIn("Hội Nông dân tỉnh", page)
        self.assertNotIn(f'href="/units/{self.unit["HND"]}"', page)
        # MTTQ's officer may invite its own units only, and remove no more than that
        r = self.mttq.post_json(f"/api/movements/{mv['id']}/participants/delete",
                                {"unit_id": self.unit["HND"]})
        self.assertEqual(r.status, 403, r.body[:300])
        self.assertEqual(self.count(f"SELECT count(*) FROM movement_participants WHERE "
                                    f"movement_id = {mv['id']}"), 1)


if __name__ == "__main__":
    unittest.main()
