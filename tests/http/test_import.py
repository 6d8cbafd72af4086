"""Excel import and export through the web pages: all or nothing, errors by row and column."""

import io
import unittest
import zipfile

from harness import ServerTest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def make_xlsx(rows):
    """A minimal .xlsx with inline strings, built by hand (what Excel accepts)."""
    def cell(ref, v):
        v = v.replace("&", "&amp;").replace("<", "&lt;")
        return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'
    cols = "ABCDEFGHIJ"
    sheet_rows = "".join(
        f'<row r="{i + 1}">' + "".join(cell(f"{cols[j]}{i + 1}", v) for j, v in enumerate(r) if v != "")
        + "</row>" for i, r in enumerate(rows))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                   '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   f'<sheetData>{sheet_rows}</sheetData></worksheet>')
    return buf.getvalue()


class Import(ServerTest):
    def upload(self, path, data, name="ds.xlsx"):
        return self.c.post_multipart(path, files=[("file", name, data, XLSX)])

    def test_units_import_creates_with_parents_in_any_order(self):
        before = self.c.counts()
        data = make_xlsx([
            ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Ngày bắt đầu hoạt động"],
            ["IMP-CON", "Phòng con nhập", "Đơn vị trực thuộc", "IMP-CHA", "01/07/2025"],
            ["IMP-CHA", "Sở nhập từ Excel", "so_nganh", "BN", "45839"],
        ])
        r = self.upload("/units/import", data)
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertIn("2 dòng thêm mới", r.text)
        self.assertEqual(self.c.counts()[0], before[0] + 2)
        items = self.c.api("/units?per_page=200&q=nhap")["items"]
        report = self.c.post_multipart("/api/units/import", files=[("file", "lan2.xlsx", data, XLSX)]).json()["report"]
        self.assertGreater(report["file_id"], 0)   # the imported file is kept in the database
        self.assertEqual(report["updated"], 2)
        child = next(u for u in items if u["code"] == "IMP-CON")
        self.assertEqual(child["parent"]["code"], "IMP-CHA")
        self.assertEqual(child["active_from"], "2025-07-01")
        parent = next(u for u in items if u["code"] == "IMP-CHA")
        self.assertEqual(parent["active_from"], "2025-07-01")   # Excel serial 45839

    def test_bad_rows_are_reported_and_nothing_written(self):
        before = self.c.counts()
        data = make_xlsx([
            ["DANH SÁCH ĐƠN VỊ"],
            ["MÃ ĐƠN VỊ", "TEN DON VI", "Loại đơn vị"],
            ["OK-1", "Đơn vị đúng", "Sở, ban, ngành"],
            ["sai mã", "Đơn vị sai mã", "Sở, ban, ngành"],
            ["OK-2", "X", "loại không có"],
        ])
        r = self.upload("/units/import", data)
        self.assertEqual(r.status, 422, r.body[:500])
        self.assertIn("A4", r.text)     # the code cell of row 4
        self.assertIn("B5", r.text)     # the name of row 5 is too short
        self.assertIn("C5", r.text)     # unknown kind in row 5
        self.assertIn("loại không có", r.text)
        self.assertEqual(self.c.counts(), before)
        model = self.c.post_multipart("/api/units/import", files=[("file", "x.xlsx", data, XLSX)]).json()
        cells = sorted(e["cell"] for e in model["report"]["errors"])
        self.assertEqual(cells, ["A4", "B5", "C5"])
        self.assertEqual(model["report"]["file_id"], 0)   # a refused file is not kept

    def test_broken_files_are_refused(self):
        before = self.c.counts()
        r = self.upload("/units/import", b"PK\x03\x04 this is not a zip")
        self.assertEqual(r.status, 400)
        self.assertIn("Excel", r.text)
        r = self.upload("/units/import", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls")
        self.assertEqual(r.status, 400)
        self.assertIn(".xlsx", r.text)
        # a zip bomb: one entry of 300 MB of zeros
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                chunk = b"\0" * (1 << 20)
                for _ in range(300):
                    f.write(chunk)
        r = self.upload("/units/import", buf.getvalue())
        self.assertIn(r.status, (400, 413))
        r = self.upload("/units/import", make_xlsx([["Cột lạ"], ["x"]]))
        self.assertEqual(r.status, 400)
        self.assertIn("Mã đơn vị", r.text)
        r = self.c.post_multipart("/units/import", files=[])
        self.assertEqual(r.status, 400)
        self.assertEqual(self.c.counts(), before)

    def test_export_then_import_round_trip(self):
        before = self.c.counts()
        exported = self.c.get("/units/export.xlsx?status=all").body
        r = self.upload("/units/import", exported)
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertIn(f"0 dòng thêm mới, {before[0]} dòng cập nhật", r.text)
        self.assertEqual(self.c.counts(), before)
        exported = self.c.get("/persons/export.xlsx?status=all").body
        r = self.upload("/persons/import", exported)
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertIn(f"0 dòng thêm mới, {before[1]} dòng cập nhật", r.text)
        self.assertEqual(self.c.counts(), before)

    def test_parents_after_children_long_chain(self):
        # 40 chains of 10 levels, every unit listed before its parent: one pass in the right order
        rows = [["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên"]]
        for k in range(40):
            for j in range(10, 0, -1):
                rows.append([f"CH{k:02d}-{j:02d}", f"Đơn vị chuỗi {k} cấp {j}", "truc_thuoc",
                             f"CH{k:02d}-{j - 1:02d}" if j > 1 else "BN"])
        r = self.upload("/api/units/import", make_xlsx(rows))
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertEqual(r.json()["report"]["created"], 400)
        deepest = [u for u in self.c.api("/units?per_page=200&status=all&q=CH39-10")["items"]
                   if u["code"] == "CH39-10"][0]
        path = self.c.api(f"/units/{deepest['id']}")["unit"]["path"]
        self.assertEqual(len(path), 10)
        self.assertEqual(path[0]["name"], "Tỉnh Bắc Ninh")
        self.assertEqual(path[-1]["name"], "Đơn vị chuỗi 39 cấp 9")
        # one more level than the tree allows is refused
        rows = [["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên"],
                ["CH39-11", "Cấp 11", "truc_thuoc", "CH39-10"], ["CH39-12", "Cấp 12", "truc_thuoc", "CH39-11"]]
        r = self.upload("/api/units/import", make_xlsx(rows))
        self.assertEqual(r.status, 422)
        self.assertIn("12 cấp", r.json()["report"]["errors"][0]["message"])

    def test_loops_and_repeated_codes_in_a_file(self):
        before = self.c.counts()
        data = make_xlsx([["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên"],
                          ["LOOP-A", "Vòng A", "truc_thuoc", "LOOP-B"],
                          ["LOOP-B", "Vòng B", "truc_thuoc", "LOOP-A"],
                          ["TWICE", "Lần một", "truc_thuoc", ""],
                          ["TWICE", "Lần hai", "truc_thuoc", ""]])
        r = self.upload("/api/units/import", data)
        self.assertEqual(r.status, 422)
        errors = {e["cell"]: e["message"] for e in r.json()["report"]["errors"]}
        self.assertIn("vòng lặp", errors["D2"])
        self.assertIn("vòng lặp", errors["D3"])
        self.assertIn("dòng 4", errors["A5"])
        self.assertEqual(self.c.counts(), before)

    def test_pages_are_served_while_an_import_runs(self):
        # An import runs on a job thread, so even a server with a single HTTP
        # worker thread (which a synchronous import would hold) keeps answering.
        import http.client
        import threading
        import time
        from harness import Client, Server
        server = Server(demo=True, extra_args=["--threads", "1"])
        self.addCleanup(server.stop)
        rows = [["Họ và tên", "Giới tính", "Năm sinh", "Mã đơn vị"]]
        rows += [["Nguyễn Văn Nhập Lâu", "Nam", "1980", "SNV"] for _ in range(8000)]
        data = make_xlsx(rows)
        uploader = Client(server)
        token = uploader.csrf()
        boundary = "tdktBoundaryLong"
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n{token}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="lon.xlsx"\r\n'
                f'Content-Type: {XLSX}\r\n\r\n').encode() + data + f"\r\n--{boundary}--\r\n".encode()
        sent, done = threading.Event(), threading.Event()
        result = {}

        def run_import():
            conn = http.client.HTTPConnection(server.host, server.port, timeout=120)
            conn.request("POST", "/api/persons/import", body=body, headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Cookie": uploader.cookie_header()})
            sent.set()
            result["status"] = conn.getresponse().status
            conn.close()
            done.set()
        t = threading.Thread(target=run_import)
        t.start()
        sent.wait(30)
        time.sleep(0.2)  # the server is now reading rows and writing them
        while not done.is_set():
            other = Client(server)
            self.assertEqual(other.get("/healthz").status, 200)
            other.close()
        t.join()
        uploader.close()
        self.assertEqual(result["status"], 200)
        # the access log is written as each request ends: some health checks
        # ended before the import did
        server.wait_log('path="/api/persons/import"')
        log = [l for l in server.read_log().splitlines() if "msg=request" in l]
        end_of_import = next(i for i, l in enumerate(log) if 'path="/api/persons/import"' in l)
        self.assertTrue(any('path="/healthz"' in l for l in log[:end_of_import]))

    def test_bodies_held_at_once_are_bounded(self):
        # with 1 MB for all bodies together, a second large upload while the
        # first is still arriving is answered 503, and the first still completes
        import socket
        import time
        from harness import Client, Server
        server = Server(demo=True, extra_args=["--bodies-memory-mb", "1"])
        self.addCleanup(server.stop)
        first = Client(server)
        token = first.csrf()
        part = ("--b1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode()
        total = len(part) + 700 * 1024 + len(b"\r\n--b1--\r\n")
        s = socket.create_connection((server.host, server.port), timeout=30)
        s.sendall((f"POST /units/import HTTP/1.1\r\nHost: x\r\nCookie: {first.cookie_header()}\r\n"
                   f"X-CSRF-Token: {token}\r\n"
                   f"Content-Type: multipart/form-data; boundary=b1\r\nContent-Length: {total}\r\n\r\n").encode()
                  + part + b"x" * (700 * 1024))
        time.sleep(0.5)  # the server holds the first 700 KB
        second = Client(server)
        r = second.post_multipart("/units/import", files=[("file", "b.xlsx", b"y" * (700 * 1024), XLSX)])
        self.assertEqual(r.status, 503)
        self.assertIn("quá nhiều dữ liệu", r.text)
        s.sendall(b"\r\n--b1--\r\n")
        reply = s.recv(200)
        s.close()
        self.assertTrue(reply.startswith(b"HTTP/1.1 400"), reply)  # not an xlsx, but it was read
        # once both are done, the memory is free again (released as each request
        # ends, just after its answer is sent: allow a moment)
        for _ in range(50):
            r = second.post_multipart("/units/import", files=[("file", "c.xlsx", b"z" * (700 * 1024), XLSX)])
            if r.status != 503:
                break
            time.sleep(0.1)
        self.assertEqual(r.status, 400)

    def test_persons_import(self):
        before = self.c.counts()
        data = make_xlsx([["Họ và tên", "Giới tính", "Năm sinh", "Mã đơn vị", "Chức vụ"],
                          ["Nguyễn Thị Nhập", "Nữ", "1988", "SNV", "Chuyên viên"],
                          ["Trần Văn Nhập", "nam", "", "SNV", ""]])
        r = self.upload("/persons/import", data)
        self.assertEqual(r.status, 200, r.body[:500])
        self.assertEqual(self.c.counts()[1], before[1] + 2)
        data = make_xlsx([["Họ và tên", "Giới tính", "Năm sinh", "Mã đơn vị"],
                          ["Lê Văn Sai", "Khác", "19ab", "KHONGCO"],
                          ["Lê Văn Lớn", "Nam", "1e300", "SNV"]])
        r = self.upload("/persons/import", data)
        self.assertEqual(r.status, 422)
        for cell in ("B2", "C2", "D2", "C3"):
            self.assertIn(cell, r.text)


if __name__ == "__main__":
    unittest.main()
