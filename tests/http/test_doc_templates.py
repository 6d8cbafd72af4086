"""The office edits the wording of documents (/documents/templates): a version
is checked against every kind's sample before it is saved, takes effect at
once, is audited, and can be taken back to the built-in one. Both drivers."""

import html
import unittest

from harness import Client, ServerTest


class DocTemplates(ServerTest):
    def setUp(self):
        super().setUp()
        self.office = Client(self.server, login="vanphong")
        self.addCleanup(self.office.close)

    def body(self, slug):
        return self.office.api(f"/documents/templates/{slug}")["template"]["body"]

    def save(self, slug, body):
        return self.office.post_form(f"/documents/templates/{slug}", {"body": body})

    def preview(self, slug):
        return self.office.api(f"/documents/templates/{slug}/preview")["lines"]

    def test_list_and_preview(self):
        items = self.office.api("/documents/templates")["items"]
        self.assertEqual(len(items), 10)
        self.assertIn("partials/header", [i["name"] for i in items])
        # the ranking annex of the scoring (issue 6) is the office's to edit too
        self.assertIn("phu_luc_xep_hang", [i["name"] for i in items])
        self.assertIn("Kết quả chấm điểm", "\n".join(self.preview("phu_luc_xep_hang")))
        lines = self.preview("quyet_dinh")
        self.assertIn("QUYẾT ĐỊNH", lines)
        self.assertIn("Bắc Ninh, ngày 05 tháng 01 năm 2026", lines)
        self.assertEqual(self.office.get("/documents/templates/partials.header/preview").status, 404)
        pdf = self.office.get("/documents/templates/quyet_dinh/sample.pdf")
        self.assertEqual((pdf.status, pdf.headers["content-type"]), (200, "application/pdf"))
        self.assertTrue(pdf.body.startswith(b"%PDF-"))
        self.assertIn("mau-quyet_dinh.pdf", pdf.headers["content-disposition"])
        docx = self.office.get("/documents/templates/bien_ban/sample.docx")
        self.assertEqual(docx.status, 200)
        self.assertTrue(docx.body.startswith(b"PK"))
        self.assertEqual(self.office.get("/documents/templates/khong_co").status, 404)

    def test_broken_versions_are_refused_and_nothing_is_saved(self):
        good = self.body("bao_cao")
        for body, words in ((good.replace("{{/sections}}", ""), "sections"),
                            (good.replace("@kind BÁO CÁO", "@kindd BÁO CÁO"), "không rõ lệnh @kindd"),
                            (good + "\n@p {{khong_co}}\n", "Thiếu trường \"khong_co\""),
                            (good + "\n@table 1,2\n| a |\n@endtable\n", "dòng bảng có 1 ô"),
                            ("", "để trống"),
                            (good + "\n@p {{" + "đ" * 40 + "}}\n", "Thiếu trường"),
                            (good + "\n@p {{{subject}}}\n", "not allowed"),
                            (good + "\n@table 1,inf\n| a | b |\n@endtable\n", "độ rộng"),
                            ("{{#sections}}{{#sections}}{{#sections}}{{#sections}}{{#sections}}"
                             "{{#sections}}{{#sections}}{{#sections}}@p " + "x" * 4000 +
                             "\n{{/sections}}{{/sections}}{{/sections}}{{/sections}}{{/sections}}"
                             "{{/sections}}{{/sections}}{{/sections}}", "quá lớn")):
            r = self.save("bao_cao", body)
            self.assertEqual(r.status, 422, words)
            self.assertIn(words, html.unescape(r.text))
        # a shared part is checked through the kinds that use it
        header = self.body("partials.header")
        r = self.save("partials.header", header.replace("{{issuer.name}}", "{{issuer.ten}}"))
        self.assertEqual(r.status, 422)
        self.assertIn("dùng mẫu này", html.unescape(r.text))
        self.assertFalse(any(i["overridden"] for i in self.office.api("/documents/templates")["items"]))

    def test_a_saved_version_takes_effect_and_can_be_taken_back(self):
        good = self.body("to_trinh")
        changed = good.replace("@kind TỜ TRÌNH", "@kind TỜ TRÌNH ĐỀ NGHỊ")
        r = self.save("to_trinh", changed)
        self.assertEqual(r.status, 303, r.body[:300])
        self.assertIn("TỜ TRÌNH ĐỀ NGHỊ", self.preview("to_trinh"))
        self.assertEqual(self.body("to_trinh"), changed.strip())
        listed = {i["name"]: i["overridden"] for i in self.office.api("/documents/templates")["items"]}
        self.assertTrue(listed["to_trinh"])
        audit = self.office.api("/audit?entity=doc_template")["items"]
        self.assertEqual(audit[0]["action"], "update")
        self.assertIn("TỜ TRÌNH ĐỀ NGHỊ", audit[0]["after"])
        r = self.office.post_form("/documents/templates/to_trinh/reset", {})
        self.assertEqual(r.status, 303)
        self.assertIn("TỜ TRÌNH", self.preview("to_trinh"))
        self.assertNotIn("TỜ TRÌNH ĐỀ NGHỊ", self.preview("to_trinh"))
        self.assertEqual(self.office.api("/audit?entity=doc_template")["items"][0]["action"], "reset")

    def test_only_the_office_edits(self):
        for login in ("hoidong", "sonoivu"):
            c = Client(self.server, login=login)
            self.addCleanup(c.close)
            self.assertEqual(c.get("/documents/templates").status, 403)
            self.assertEqual(c.post_form("/documents/templates/bao_cao", {"body": "@p x"}).status, 403)


if __name__ == "__main__":
    unittest.main()
