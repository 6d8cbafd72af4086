"""The unit registry end to end: lists, search, forms, JSON, and refusals that write nothing."""

import json
import re
import unittest
import urllib.parse

from harness import ServerTest


def names(listing):
    return [u["name"] for u in listing["items"]]


class UnitPages(ServerTest):
    def test_list_pages_and_sorts(self):
        first = self.c.api("/units?per_page=10")
        self.assertEqual(len(first["items"]), 10)
        self.assertGreater(first["total"], 30)
        self.assertEqual(first["page"]["number"], 1)
        second = self.c.api("/units?per_page=10&page=2")
        self.assertFalse(set(names(first)) & set(names(second)))
        # Vietnamese order of names across the pages
        allnames = names(self.c.api("/units?per_page=200"))
        self.assertLess(allnames.index("Ban Nội chính Tỉnh ủy"), allnames.index("Hội Cựu chiến binh tỉnh"))
        self.assertLess(allnames.index("Hội Nông dân tỉnh"), allnames.index("Liên đoàn Lao động tỉnh"))
        # Ủ sorts as U (after T); Đ comes after D and before G (Vietnamese alphabet)
        self.assertLess(allnames.index("Tỉnh đoàn"), allnames.index("Ủy ban MTTQ Việt Nam tỉnh"))
        self.assertLess(allnames.index("Xã Đông Cứu"), allnames.index("Xã Gia Bình"))
        self.assertLess(allnames.index("Phường Đại Phúc"), allnames.index("Phường Kinh Bắc"))
        self.assertLess(allnames.index("Phòng Thi đua, khen thưởng"), allnames.index("Phường Bắc Giang"))
        desc = names(self.c.api("/units?per_page=200&sort=-name"))
        self.assertEqual(desc, list(reversed(allnames)))
        codes = [u["code"] for u in self.c.api("/units?per_page=200&sort=code")["items"]]
        self.assertEqual(codes, sorted(codes))

    def test_html_list_has_sort_links_and_pager(self):
        r = self.c.get("/units?per_page=10&q=so")
        self.assertEqual(r.status, 200)
        self.assertIn('aria-sort="ascending"', r.text)
        self.assertIn("sort=-name", r.text)     # clicking the active column reverses it
        self.assertIn('rel="next"', r.text)
        self.assertIn("q=so", r.text)           # filters are kept in the links

    def test_empty_result_page(self):
        r = self.c.get("/units?q=zzzz")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.text.count("Không có kết quả nào."), 1)
        self.assertNotIn("<table", r.text)

    def test_search_ignores_case_marks_and_d(self):
        def found(q):
            return names(self.c.api("/units?per_page=200&status=all&q=" + urllib.parse.quote(q)))
        self.assertEqual(found("thi dua"), ["Phòng Thi đua, khen thưởng"])
        self.assertEqual(found("THI ĐUA"), ["Phòng Thi đua, khen thưởng"])
        # decomposed input, as some keyboards send it, is normalised to NFC first
        self.assertEqual(found("khen thu\u031bo\u031b\u0309ng"), ["Phòng Thi đua, khen thưởng"])
        self.assertIn("Xã Đông Cứu", found("dong cuu"))
        self.assertIn("Hội Nông dân tỉnh", found("HND"))  # the code is searched too
        self.assertEqual(found("zzzz"), [])

    def test_view_shows_path_children_and_persons(self):
        snv = self._unit_by_code("SNV")
        r = self.c.get(f"/units/{snv['id']}")
        self.assertEqual(r.status, 200)
        self.assertIn("Phòng Thi đua, khen thưởng", r.text)   # a child
        self.assertIn("Tỉnh Bắc Ninh", r.text)                # the path
        model = self.c.api(f"/units/{snv['id']}")
        self.assertEqual(model["unit"]["code"], "SNV")
        self.assertEqual(model["unit"]["path"][0]["name"], "Tỉnh Bắc Ninh")
        self.assertTrue(model["persons"])

    def _unit_by_code(self, code):
        items = self.c.api("/units?per_page=200&status=all&q=" + code)["items"]
        return next(u for u in items if u["code"] == code)

    def test_create_through_the_form(self):
        top = self._unit_by_code("BN")
        r = self.c.post_form("/units", {"code": "SDL", "name": "Sở Du lịch", "short_name": "SDL",
                                        "kind": "so_nganh", "parent_id": str(top["id"]),
                                        "active_from": "01/07/2025"})
        self.assertEqual(r.status, 303, r.body[:400])
        loc = r.headers["location"]
        self.assertRegex(loc, r"^/units/\d+$")
        page = self.c.get(loc)
        self.assertIn("Sở Du lịch", page.text)
        self.assertIn("Đã thêm đơn vị", page.text)          # the flash message
        self.assertIn("01/07/2025", page.text)               # dates shown as people write them
        self.assertEqual(self.c.api(loc)["unit"]["active_from"], "2025-07-01")  # stored ISO
        again = self.c.get(loc)
        self.assertNotIn("Đã thêm đơn vị", again.text)       # shown once

    def test_form_errors_keep_what_was_typed(self):
        before = self.c.counts()
        r = self.c.post_form("/units", {"code": "có dấu", "name": "Sở Mới <b>", "kind": "so_nganh",
                                        "active_from": "31/02/2025"})
        self.assertEqual(r.status, 422)
        self.assertIn('value="có dấu"', r.text)               # kept
        self.assertIn("Sở Mới &lt;b&gt;", r.text)           # kept, escaped
        self.assertIn('value="31/02/2025"', r.text)
        self.assertIn("Mã đơn vị chỉ gồm chữ không dấu", r.text)
        self.assertIn("ngày có thật", r.text)
        self.assertIn('aria-invalid="true"', r.text)
        self.assertEqual(self.c.counts(), before)

    def test_json_create_update_and_conflict(self):
        r = self.c.post_json("/api/units", {"code": "SNGV", "name": "Sở Ngoại vụ", "kind": "so_nganh"})
        self.assertEqual(r.status, 201, r.body[:300])
        unit = r.json()["unit"]
        self.assertEqual(unit["name"], "Sở Ngoại vụ")
        self.assertEqual(r.json()["location"], f"/units/{unit['id']}")
        upd = {"code": "SNGV", "name": "Sở Ngoại vụ tỉnh", "kind": "so_nganh", "version": unit["version"]}
        r = self.c.post_json(f"/api/units/{unit['id']}", upd)
        self.assertEqual(r.status, 200, r.body[:300])
        self.assertEqual(r.json()["unit"]["version"], unit["version"] + 1)
        # the same stale version again: refused, nothing changed
        upd["name"] = "Tên khác"
        r = self.c.post_json(f"/api/units/{unit['id']}", upd)
        self.assertEqual(r.status, 409)
        self.assertEqual(self.c.api(f"/units/{unit['id']}")["unit"]["name"], "Sở Ngoại vụ tỉnh")

    def test_json_validation_errors_by_field(self):
        before = self.c.counts()
        r = self.c.post_json("/api/units", {"code": "", "name": "X", "kind": "khong_co"})
        self.assertEqual(r.status, 422)
        errors = r.json()["errors"]
        self.assertIn("code", errors)
        self.assertIn("name", errors)
        self.assertIn("kind", errors)
        self.assertEqual(self.c.counts(), before)

    def test_duplicate_code_refused(self):
        r = self.c.post_json("/api/units", {"code": "SNV", "name": "Sở Nội vụ 2", "kind": "so_nganh"})
        self.assertEqual(r.status, 422)
        self.assertIn("SNV", r.json()["errors"]["code"])

    def test_cycle_refused(self):
        top = self._unit_by_code("BN")
        child = self._unit_by_code("SNV")
        r = self.c.post_json(f"/api/units/{top['id']}", {"code": "BN", "name": "Tỉnh Bắc Ninh",
                             "kind": "tinh", "parent_id": child["id"], "version": top["version"]})
        self.assertEqual(r.status, 422)
        self.assertIn("parent_id", r.json()["errors"])

    def test_deactivate_and_activate(self):
        r = self.c.post_json("/api/units", {"code": "TMP1", "name": "Đơn vị tạm", "kind": "su_nghiep"})
        uid = r.json()["unit"]["id"]
        r = self.c.post_form(f"/units/{uid}/deactivate", {})
        self.assertEqual(r.status, 303)
        self.assertFalse(self.c.api(f"/units/{uid}")["unit"]["active"])
        self.assertNotIn("Đơn vị tạm", names(self.c.api("/units?per_page=200")))
        self.assertIn("Đơn vị tạm", names(self.c.api("/units?per_page=200&status=inactive")))
        self.assertEqual(self.c.post_form(f"/units/{uid}/activate", {}).status, 303)
        self.assertTrue(self.c.api(f"/units/{uid}")["unit"]["active"])
        self.assertEqual(self.c.post_form("/units/999999/deactivate", {}).status, 404)

    def test_deactivate_before_start_is_refused(self):
        r = self.c.post_json("/api/units", {"code": "NEW2026", "name": "Đơn vị mới", "kind": "su_nghiep",
                                            "active_from": "01/01/2026"})
        uid = r.json()["unit"]["id"]
        r = self.c.post_json(f"/api/units/{uid}/deactivate", {"date": "31/12/2025"})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["field"], "date")
        self.assertIn("01/01/2026", r.json()["error"]["message"])
        self.assertTrue(self.c.api(f"/units/{uid}")["unit"]["active"])

    def test_update_needs_version(self):
        unit = self._unit_by_code("SXD")
        r = self.c.post_json(f"/api/units/{unit['id']}", {"code": "SXD", "name": "Sở Xây dựng", "kind": "so_nganh"})
        self.assertEqual(r.status, 422)
        self.assertIn("version", r.json()["errors"])

    def test_empty_then_repeated_parameter(self):
        self.assertError(self.c.get("/units?q=&q=so"), 400, "q")

    def test_concurrent_reparenting_cannot_make_a_loop(self):
        import threading
        from harness import Client
        a = self.c.post_json("/api/units", {"code": "RACE-A", "name": "Đua A", "kind": "su_nghiep"}).json()["unit"]
        b = self.c.post_json("/api/units", {"code": "RACE-B", "name": "Đua B", "kind": "su_nghiep"}).json()["unit"]
        results = []

        def move(child, parent):
            c = Client(self.server)
            body = {"code": child["code"], "name": child["name"], "kind": "su_nghiep",
                    "parent_id": parent["id"], "version": child["version"]}
            results.append(c.post_json(f"/api/units/{child['id']}", body).status)
            c.close()
        for _ in range(5):
            t1 = threading.Thread(target=move, args=(a, b))
            t2 = threading.Thread(target=move, args=(b, a))
            t1.start(), t2.start()
            t1.join(), t2.join()
        ua, ub = self.c.api(f"/units/{a['id']}")["unit"], self.c.api(f"/units/{b['id']}")["unit"]
        pa = (ua["parent"] or {}).get("id")
        pb = (ub["parent"] or {}).get("id")
        self.assertFalse(pa == b["id"] and pb == a["id"], "a loop A <-> B was written")
        self.assertNotIn(500, results)

    def test_chunked_body_over_the_limit(self):
        import socket
        s = socket.create_connection((self.server.host, self.server.port), timeout=10)
        head = ("POST /units HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                "Transfer-Encoding: chunked\r\n\r\n").encode()
        s.sendall(head)
        chunk = b"a" * 8192
        sent, closed = 0, False
        try:
            for _ in range(40):  # 320 KB, far over the 64 KB limit
                s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            closed = True
        if not closed:
            try:
                s.sendall(b"0\r\n\r\n")
                data = s.recv(4096)
                closed = data == b"" or data.startswith(b"HTTP/1.1 413")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
        s.close()
        self.assertTrue(closed)
        self.assertLess(sent, 320 * 1024 + 1)
        # a body a little over the limit gets its 413 page
        r = self.c.post_form("/units", {"code": "Z", "name": "x" * 70000, "kind": "so_nganh"})
        self.assertEqual(r.status, 413)

    def test_csrf_is_required(self):
        before = self.c.counts()
        r = self.c.post_form("/units", {"code": "X9", "name": "Không hợp lệ", "kind": "so_nganh"}, csrf=False)
        self.assertError(r, 403, "Phiên biểu mẫu")
        r = self.c.post_form("/units", {"code": "X9", "name": "Không hợp lệ", "kind": "so_nganh",
                                        "_csrf": "A" * 43}, csrf=False)
        self.assertEqual(r.status, 403)
        r = self.c.post_json("/api/units", {"code": "X9", "name": "Không hợp lệ", "kind": "so_nganh"}, csrf=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(self.c.counts(), before)

    def test_bad_bodies_write_nothing(self):
        before = self.c.counts()
        # invalid UTF-8 in a form field
        body = b"code=ABC&name=Nguy%FF%FEn&kind=so_nganh&_csrf=" + self.c.csrf().encode()
        r = self.c.request("POST", "/units", body=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertError(r, 400, "UTF-8", "name")
        # invalid UTF-8 inside JSON
        r = self.c.post_json("/api/units", None, raw=b'{"code":"A1","name":"Nguy\xff","kind":"so_nganh"}')
        self.assertEqual(r.status, 400)
        # duplicate keys in JSON
        r = self.c.post_json("/api/units", None, raw=b'{"code":"A1","code":"A2","name":"Ab","kind":"so_nganh"}')
        self.assertEqual(r.status, 400)
        self.assertIn("duplicate", r.json()["error"]["message"])
        # nested JSON value
        r = self.c.post_json("/api/units", {"code": {"a": 1}, "name": "Ab", "kind": "so_nganh"})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["error"]["field"], "code")
        # an undeclared field in a form
        r = self.c.post_form("/units", {"code": "A2", "name": "Ab", "kind": "so_nganh", "admin": "1"})
        self.assertError(r, 400, "admin")
        # overlong field
        r = self.c.post_form("/units", {"code": "A3", "name": "Đ" * 201, "kind": "so_nganh"})
        self.assertError(r, 400, "200 ký tự")
        # control characters
        r = self.c.post_form("/units", {"code": "A4", "name": "Sở\x1b[31m", "kind": "so_nganh"})
        self.assertError(r, 400, "điều khiển")
        # oversized body (limit 64 KB for this form)
        r = self.c.post_form("/units", {"code": "A5", "name": "x" * 70000, "kind": "so_nganh"})
        self.assertEqual(r.status, 413)
        self.assertIn("KB", r.text)
        # a body where none is accepted
        r = self.c.request("POST", "/units/1/activate", body=b"x" * 5000,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 413)
        # malformed multipart (no closing boundary)
        body = (b'--b1\r\nContent-Disposition: form-data; name="code"\r\n\r\nZZ\r\n'
                b'--b1\r\nContent-Disposition: form-data; name="name"\r\n\r\nTen')
        r = self.c.request("POST", "/units", body=body,
                           headers={"Content-Type": "multipart/form-data; boundary=b1"})
        self.assertEqual(r.status, 400)
        # multipart without a boundary, and an unsupported content type
        r = self.c.request("POST", "/units", body=b"abc", headers={"Content-Type": "multipart/form-data"})
        self.assertIn(r.status, (400, 415))
        r = self.c.request("POST", "/units", body=b"<x/>", headers={"Content-Type": "text/xml"})
        self.assertEqual(r.status, 415)
        self.assertEqual(self.c.counts(), before)

    def test_multipart_form_is_accepted(self):
        r = self.c.post_multipart("/units", fields=[("code", "MPT"), ("name", "Đơn vị gửi multipart"),
                                                    ("kind", "su_nghiep")])
        self.assertEqual(r.status, 303, r.body[:300])

    def test_export_xlsx(self):
        r = self.c.get("/units/export.xlsx?q=hoi")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers["content-type"],
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertIn("attachment", r.headers["content-disposition"])
        self.assertTrue(r.body.startswith(b"PK"))


if __name__ == "__main__":
    unittest.main()
