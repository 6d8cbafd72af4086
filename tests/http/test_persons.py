"""Persons: Vietnamese list order, search without marks, forms and JSON."""

import unittest
import urllib.parse

from harness import ServerTest


class PersonPages(ServerTest):
    def _unit_id(self, code):
        items = self.c.api("/units?per_page=200&status=all&q=" + code)["items"]
        return next(u["id"] for u in items if u["code"] == code)

    def _add(self, name, unit, gender="nam", year=1980):
        r = self.c.post_json("/api/persons", {"full_name": name, "gender": gender,
                                              "birth_year": year, "unit_id": unit, "position": "Chuyên viên"})
        self.assertEqual(r.status, 201, r.body[:300])
        return r.json()["person"]

    def test_order_by_given_then_middle_then_family(self):
        r = self.c.post_json("/api/units", {"code": "ORD", "name": "Đơn vị thử thứ tự", "kind": "su_nghiep"})
        unit = r.json()["unit"]["id"]
        # inserted out of order; expected order by Vietnamese rules (hand-sorted):
        # given names An < Ăn < Ân < Bình < Đạt < Ơn; same given name "An": by middle, then family
        for n in ["Phạm Văn Ơn", "Đỗ Thị Ân", "Trần Văn An", "Bùi Văn Đạt", "Lý Thị Ăn",
                  "Nguyễn An", "Lê An", "Trịnh Văn Bình"]:
            self._add(n, unit)
        got = [p["full_name"] for p in self.c.api(f"/persons?unit={unit}&per_page=50")["items"]]
        self.assertEqual(got, ["Lê An", "Nguyễn An", "Trần Văn An", "Lý Thị Ăn", "Đỗ Thị Ân",
                               "Trịnh Văn Bình", "Bùi Văn Đạt", "Phạm Văn Ơn"])
        html = self.c.get(f"/persons?unit={unit}").text
        self.assertLess(html.index("Lê An"), html.index("Phạm Văn Ơn"))

    def test_search_duc_finds_duc(self):
        unit = self._unit_id("STP")
        self._add("Hoàng Minh Đức", unit)
        for q in ("duc", "ĐỨC", "hoang minh duc", "hoàng đức", "Ho\u0300ang"):
            found = [p["full_name"] for p in
                     self.c.api("/persons?per_page=200&q=" + urllib.parse.quote(q))["items"]]
            self.assertIn("Hoàng Minh Đức", found, q)
        found = self.c.api("/persons?per_page=200&q=uc")["items"]
        self.assertNotIn("Hoàng Minh Đức", [p["full_name"] for p in found])

    def test_form_create_and_errors(self):
        unit = self._unit_id("SYT")
        before = self.c.counts()
        r = self.c.post_form("/persons", {"full_name": "A", "gender": "", "birth_year": "19x5",
                                          "unit_id": str(unit)})
        self.assertEqual(r.status, 422)
        self.assertIn("Họ và tên dài từ 2 đến 100 ký tự", r.text)
        self.assertIn("Năm sinh phải là một số nguyên", r.text)
        self.assertIn('value="19x5"', r.text)
        self.assertIn("Hãy chọn giới tính", r.text)
        self.assertEqual(self.c.counts(), before)
        r = self.c.post_form("/persons", {"full_name": "  Vũ   Thị Hồng  Nhung ", "gender": "nu",
                                          "birth_year": "1990", "unit_id": str(unit),
                                          "position": "Bác sĩ"})
        self.assertEqual(r.status, 303, r.body[:300])
        p = self.c.api(r.headers["location"])["person"]
        self.assertEqual(p["given_name"], "Nhung")
        self.assertEqual(p["family_name"], "Vũ")
        self.assertEqual(p["gender_name"], "Nữ")

    def test_edit_conflict_and_deactivate(self):
        unit = self._unit_id("SCT")
        p = self._add("Đinh Công Tráng", unit)
        body = {"full_name": "Đinh Công Tráng", "gender": "nam", "unit_id": unit,
                "version": p["version"], "position": "Trưởng phòng"}
        self.assertEqual(self.c.post_json(f"/api/persons/{p['id']}", body).status, 200)
        self.assertEqual(self.c.post_json(f"/api/persons/{p['id']}", body).status, 409)
        self.assertEqual(self.c.post_form(f"/persons/{p['id']}/deactivate", {}).status, 303)
        self.assertFalse(self.c.api(f"/persons/{p['id']}")["person"]["active"])
        names = [x["full_name"] for x in self.c.api(f"/persons?unit={unit}&per_page=200")["items"]]
        self.assertNotIn("Đinh Công Tráng", names)
        self.assertEqual(self.c.get("/persons/99999999").status, 404)

    def test_parallel_creates_all_succeed(self):
        import threading
        from harness import Client
        unit = self._unit_id("SGDDT")
        statuses = []

        def create(i):
            c = Client(self.server)
            r = c.post_json("/api/persons", {"full_name": f"Nguyễn Văn Song Song", "gender": "nam",
                                             "unit_id": unit, "birth_year": 1980 + i % 20})
            statuses.append(r.status)
            c.close()
        threads = [threading.Thread(target=create, args=(i,)) for i in range(24)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(statuses, [201] * 24)
        found = self.c.api("/persons?per_page=50&q=song+song")
        self.assertEqual(found["total"], 24)

    def test_unknown_unit_filter(self):
        self.assertEqual(self.c.get("/persons?unit=999999").status, 404)


if __name__ == "__main__":
    unittest.main()
