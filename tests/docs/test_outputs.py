"""Every document kind, end to end: rendered from its sample view model by the
real binary as DOCX and as PDF, the DOCX converted by LibreOffice headless and
both PDFs read back with poppler. Each piece of text of the document (its
plain-text form, cell by cell) must come back exactly, in NFC, and in order
from the title on; our PDFs embed only Liberation Serif; page 1 of each is
rendered to PNG under the test output (TDKT_DOC_OUT) for review."""

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import unittest

BIN = os.environ.get("TDKT_BIN", os.path.join(os.path.dirname(__file__), "../../build/tdkt"))
OUT = os.environ.get("TDKT_DOC_OUT")
KINDS = ("quyet_dinh", "ke_hoach", "giao_uoc", "bien_ban", "bien_ban_kiem_phieu", "to_trinh",
         "bao_cao")


def collapse(s):
    return re.sub(r"\s+", " ", s).strip()


def run(*argv, check=True):
    return subprocess.run(list(argv), capture_output=True, text=True, check=check, timeout=300)


class Outputs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tdkt-docs-")
        cls.out = OUT or os.path.join(cls.tmp, "png")
        os.makedirs(cls.out, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in ("TDKT_DB",)}

        def tdkt(*args):
            r = subprocess.run([BIN, *args], env=env, capture_output=True, text=True, timeout=120)
            if r.returncode != 0:
                raise AssertionError(f"tdkt {' '.join(args)}: exit {r.returncode}\n{r.stderr}")
        for k in KINDS:
            for ext in ("txt", "docx", "pdf"):
                tdkt("document", "render", k, "--out", os.path.join(cls.tmp, f"{k}.{ext}"))
        tdkt("document", "certificate", "--out", os.path.join(cls.tmp, "bang_khen.pdf"))
        # one LibreOffice run for every DOCX, with a profile of its own
        cls.lo = os.path.join(cls.tmp, "lo")
        os.makedirs(cls.lo)
        profile = "file://" + os.path.join(cls.tmp, "profile")
        run("soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
            "--convert-to", "pdf", "--outdir", cls.lo,
            *[os.path.join(cls.tmp, f"{k}.docx") for k in KINDS])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def expected(self, kind):
        """The document's text pieces (lines, table cells) and where the
        ordered part begins (the document kind line)."""
        with open(os.path.join(self.tmp, f"{kind}.txt"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        pieces = [collapse(c) for line in lines for c in line.split("\t") if collapse(c)]
        return pieces

    def pdf_text(self, path):
        text = run("pdftotext", "-raw", "-enc", "UTF-8", path, "-").stdout
        return text

    def check_text(self, kind, path):
        raw = self.pdf_text(path)
        self.assertEqual(raw, unicodedata.normalize("NFC", raw), f"{path}: not NFC")
        text = collapse(raw)
        pieces = self.expected(kind)
        for p in pieces:
            self.assertIn(p, text, f"{kind} ({os.path.basename(os.path.dirname(path))}): "
                                   f"\"{p}\" not read back")
        # from the document kind on, the pieces come in the order of the document
        start = next(i for i, p in enumerate(pieces) if p.isupper() and len(p) > 5
                     and i > 4)
        at = 0
        for p in pieces[start:]:
            found = text.find(p, at)
            self.assertGreaterEqual(found, 0, f"{kind}: \"{p}\" out of order")
            at = found + len(p)

    def render_png(self, path, name):
        run("pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", path,
            os.path.join(self.out, name))
        self.assertTrue(os.path.getsize(os.path.join(self.out, name + ".png")) > 1000)

    def test_docx_through_libreoffice(self):
        for k in KINDS:
            with self.subTest(kind=k):
                pdf = os.path.join(self.lo, f"{k}.pdf")
                self.check_text(k, pdf)
                info = run("pdfinfo", pdf).stdout
                self.assertRegex(info, r"Page size:\s+(595\.\d+ x 841\.\d+|841\.\d+ x 595\.\d+) pts")
                self.render_png(pdf, f"docx-{k}")

    def test_pdf(self):
        for k in KINDS:
            with self.subTest(kind=k):
                pdf = os.path.join(self.tmp, f"{k}.pdf")
                self.check_text(k, pdf)
                fonts = run("pdffonts", pdf).stdout.splitlines()[2:]
                self.assertTrue(fonts)
                for line in fonts:
                    self.assertIn("LiberationSerif", line)
                    self.assertRegex(line, r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$")  # emb, sub
                self.render_png(pdf, f"pdf-{k}")

    def test_certificate(self):
        pdf = os.path.join(self.tmp, "bang_khen.pdf")
        text = collapse(self.pdf_text(pdf))
        for p in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BẰNG KHEN", "TẶNG", "Bà Nguyễn Thị Hằng",
                  "Quyết định số 05/QĐ-UBND ngày 05/01/2026", "Số sổ vàng: 123",
                  "Bắc Ninh, ngày 05 tháng 01 năm 2026", "Vương Quốc Tuấn"):
            self.assertIn(p, text)
        self.assertRegex(run("pdfinfo", pdf).stdout, r"Page size:\s+841\.\d+ x 595\.\d+ pts")
        for line in run("pdffonts", pdf).stdout.splitlines()[2:]:
            self.assertRegex(line, r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$")
        self.render_png(pdf, "pdf-bang-khen")

    def test_bad_models_are_refused_by_name(self):
        model = os.path.join(self.tmp, "thieu.json")
        with open(model, "w", encoding="utf-8") as f:
            f.write('{"issuer": {"name": "SỞ NỘI VỤ"}, "place": "Bắc Ninh", "date": "2026-01-05"}')
        r = run(BIN, "document", "render", "to_trinh", "--model", model, "--out",
                os.path.join(self.tmp, "x.pdf"), check=False)
        self.assertEqual(r.returncode, 3)
        self.assertIn("Thiếu trường", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "x.pdf")))
        with open(model, "w", encoding="utf-8") as f:
            f.write('{"kind": "BẰNG KHEN", "recipient": "A"}')
        r = run(BIN, "document", "certificate", "--model", model, "--out",
                os.path.join(self.tmp, "y.pdf"), check=False)
        self.assertEqual(r.returncode, 3)
        self.assertRegex(r.stderr, r"\((reason|issuer|decision|signer_title|signer_name|verify_url)\)")
        # control characters in a value reach no document
        import json
        with open(os.path.join(os.path.dirname(__file__), "../../doctemplates/samples/to_trinh.json"),
                  encoding="utf-8") as f:
            m = json.load(f)
        m["subject"] = "Đề nghị\u0007 khen thưởng\u0001"
        with open(model, "w", encoding="utf-8") as f:
            json.dump(m, f, ensure_ascii=False)
        txt = os.path.join(self.tmp, "ctl.txt")
        run(BIN, "document", "render", "to_trinh", "--model", model, "--out", txt)
        with open(txt, encoding="utf-8") as f:
            t = f.read()
        self.assertIn("Đề nghị  khen thưởng", t)
        self.assertIsNone(re.search(r"[\x00-\x08\x0b-\x1f\x7f]", t))


if __name__ == "__main__":
    unittest.main()
