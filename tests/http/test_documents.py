"""The register of outgoing documents and its numbers (Nghị định 30/2020 Art 15,
RULES.md §10): per issuer, per year, per series, from 01, zero-padded under
10, no gap and no duplicate — also under parallel requests — on both drivers."""

import re
import threading
import unittest

from harness import Client, ServerTest


class Documents(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = Client(cls.server)
        units = admin.api("/units?status=all&per_page=200")["items"]
        cls.unit = {u["code"]: u["id"] for u in units}
        admin.close()

    def setUp(self):
        super().setUp()
        self.office = Client(self.server, login="vanphong")
        self.addCleanup(self.office.close)

    def register(self, client=None, **fields):
        body = {"issuer_id": self.unit["SNV"], "kind": "QD", "subject": "Về việc khen thưởng",
                "issued_on": "2026-03-02"}
        body.update(fields)
        return (client or self.office).post_json("/api/documents", body)

    def number(self, **fields):
        r = self.register(**fields)
        self.assertEqual(r.status, 201, r.body[:300])
        return r.json()["document"]

    def count(self):
        return self.office.api("/documents?per_page=10")["total"]

    def test_numbers_run_per_issuer_year_and_series(self):
        # a fresh issuer of its own, so other tests' documents do not count
        first = self.number(issuer_id=self.unit["HND"], symbol="QĐ-HND")
        self.assertEqual((first["number"], first["number_text"]), (1, "01/QĐ-HND"))
        second = self.number(issuer_id=self.unit["HND"], kind="TTR", subject="Tờ trình đề nghị")
        self.assertEqual(second["number_text"], "02/TTr-HND")       # the usual symbol when none
        # another year starts at 01 again; so does a series of its own (a council)
        self.assertEqual(self.number(issuer_id=self.unit["HND"], issued_on="05/01/2027")
                         ["number_text"], "01/QĐ-HND")
        council = self.number(issuer_id=self.unit["HND"], series="HĐTĐKT", symbol="QĐ-HĐTĐKT")
        self.assertEqual(council["number_text"], "01/QĐ-HĐTĐKT")
        self.assertEqual(self.number(issuer_id=self.unit["HND"])["number"], 3)
        # and from ten on, no padding
        for _ in range(6):
            self.number(issuer_id=self.unit["HND"])
        self.assertEqual(self.number(issuer_id=self.unit["HND"])["number_text"], "10/QĐ-HND")
        # a kind without an abbreviation (công văn) takes the issuer's alone
        self.assertEqual(self.number(issuer_id=self.unit["HND"], kind="CV")["number_text"],
                         "11/HND")

    def test_parallel_requests_get_distinct_numbers_without_gaps(self):
        issuer = self.unit["HCCB"]
        got, errors = [], []
        lock = threading.Lock()

        def worker():
            c = Client(self.server, login="vanphong")
            try:
                for _ in range(6):
                    r = self.register(c, issuer_id=issuer, symbol="KH-HCCB", kind="KH",
                                      subject="Kế hoạch tổ chức phong trào")
                    with lock:
                        if r.status == 201:
                            got.append(r.json()["document"]["number"])
                        else:
                            errors.append((r.status, r.body[:200]))
            finally:
                c.close()
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(sorted(got), list(range(1, 49)))            # 48 numbers, 1..48
        listed = self.office.api(f"/documents?issuer={issuer}&per_page=100")["items"]
        self.assertEqual(sorted(d["number"] for d in listed), list(range(1, 49)))

    def test_refused_input_takes_no_number(self):
        issuer = self.unit["HLHPN"]
        before = self.count()
        for fields, field in (({"subject": ""}, "subject"),
                              ({"symbol": "QĐ/UBND"}, "symbol"),
                              ({"symbol": "QĐ UBND"}, "symbol"),
                              ({"issued_on": "30/02/2026"}, "issued_on"),
                              ({"issuer_id": ""}, "issuer_id")):
            body = dict({"issuer_id": issuer}, **fields)
            r = self.register(**body)
            self.assertIn(r.status, (400, 422), (fields, r.body[:200]))
            self.assertIn(field, r.json().get("errors", {}) or r.json()["error"].get("field", ""),
                          fields)
        r = self.office.post_json("/api/documents", {"issuer_id": issuer, "kind": "XX",
                                                      "subject": "x", "issued_on": "2026-01-05"})
        self.assertEqual(r.status, 422)                                # not a kind
        self.assertIn("kind", r.json()["errors"])
        self.assertEqual(self.count(), before)
        # the first accepted one is still 01: nothing was used up by the refusals
        self.assertEqual(self.number(issuer_id=issuer)["number_text"], "01/QĐ-HLHPN")

    def test_symbols_and_series(self):
        issuer = self.unit["BCT"]
        # a long symbol of Vietnamese letters is stored and printed whole
        long = "Ề" * 40
        d = self.number(issuer_id=issuer, symbol=long)
        self.assertEqual(d["number_text"], "01/" + long)
        self.assertEqual(self.office.api(f"/documents/{d['id']}")["document"]["symbol"], long)
        for bad in ("QĐ\u00a0UBND", "QĐ／UBND", "QĐ--UBND", "-QĐ", "QĐ-", "QĐ.UBND"):
            r = self.register(issuer_id=issuer, symbol=bad)
            self.assertEqual(r.status, 422, bad)
            self.assertIn("symbol", r.json()["errors"])
        # a series is one whatever its case, and its documents carry its name
        a = self.number(issuer_id=issuer, series="hđtđkt")
        b = self.number(issuer_id=issuer, series="HĐTĐKT")
        self.assertEqual((a["number_text"], b["number_text"]), ("01/QĐ-HĐTĐKT", "02/QĐ-HĐTĐKT"))
        self.assertEqual(a["series"], "HĐTĐKT")
        r = self.register(issuer_id=issuer, series="HĐ TĐKT")
        self.assertEqual(r.status, 422)
        self.assertIn("series", r.json()["errors"])
        # two series may not print the same number and symbol
        self.assertEqual(self.number(issuer_id=issuer, series="KHOI", symbol="TB-X")["number_text"],
                         "01/TB-X")
        r = self.register(issuer_id=issuer, series="CUM", symbol="TB-X")
        self.assertEqual(r.status, 422)
        self.assertIn("TB-X", r.json()["errors"]["symbol"])
        self.assertEqual(self.number(issuer_id=issuer, series="CUM", symbol="TB-Y")["number_text"],
                         "01/TB-Y")   # the refused one gave its number back

    def test_the_page_and_the_form(self):
        d = self.number(issuer_id=self.unit["TDOAN"], subject="Về việc tổ chức hội nghị")
        page = self.office.get(f"/documents/{d['id']}")
        self.assertEqual(page.status, 200)
        self.assertIn("01/QĐ-TDOAN", page.text)
        self.assertIn("Về việc tổ chức hội nghị", page.text)
        self.assertIn("02/03/2026", page.text)
        r = self.office.post_form("/documents", {"issuer_id": str(self.unit["TDOAN"]),
                                                 "kind": "QD", "subject": "",
                                                 "issued_on": "02/03/2026"})
        self.assertEqual(r.status, 422)
        self.assertRegex(r.text, r'id="subject-err"[^>]*>[^<]*trích yếu')
        r = self.office.post_form("/documents", {"issuer_id": str(self.unit["TDOAN"]),
                                                 "kind": "BC", "subject": "Báo cáo sơ kết",
                                                 "issued_on": "02/03/2026"})
        self.assertEqual(r.status, 303)
        self.assertIn("02/BC-TDOAN", self.office.get(r.headers["location"]).text)
        # the registration is in the audit log
        audit = self.office.api(f"/audit?entity=document&entity_id={d['id']}")["items"]
        self.assertEqual([e["action"] for e in audit], ["create"])

    def test_a_unit_officer_registers_for_their_own_unit_only(self):
        officer = Client(self.server, login="sonoivu")
        self.addCleanup(officer.close)
        own = self.register(officer, issuer_id=self.unit["SNV-TDKT"], symbol="TB-TĐKT",
                            kind="TB", subject="Thông báo")
        self.assertEqual(own.status, 201, own.body[:300])
        r = self.register(officer, issuer_id=self.unit["MTTQ"], subject="Không được")
        self.assertEqual(r.status, 422)
        self.assertIn("issuer_id", r.json()["errors"])
        mttq = self.number(issuer_id=self.unit["MTTQ"], subject="Văn bản của MTTQ")
        self.assertEqual(officer.get(f"/api/documents/{mttq['id']}").status, 403)
        seen = officer.api("/documents?per_page=200")["items"]
        self.assertTrue(seen)
        self.assertTrue(all(d["issuer"]["code"].startswith("SNV") for d in seen),
                        [d["issuer"]["code"] for d in seen])
        council = Client(self.server, login="hoidong")
        self.addCleanup(council.close)
        self.assertEqual(self.register(council).status, 403)


if __name__ == "__main__":
    unittest.main()
