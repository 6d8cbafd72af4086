"""The command line: exit codes scripts rely on, import/export/backup, on both drivers."""

import os
import sqlite3
import subprocess
import tempfile
import unittest

from harness import BIN, DRIVER, Server
from test_import import make_xlsx


def run(*args):
    return subprocess.run([BIN] + list(args), capture_output=True, text=True)


class Cli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(demo=True)
        cls.tmp = tempfile.mkdtemp(prefix="tdkt-cli-")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_help_version_and_usage_errors(self):
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("serve", r.stdout)
        self.assertIn("Mã thoát", r.stdout)
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^tdkt \d+\.\d+\.\d+")
        self.assertEqual(run().returncode, 2)
        r = run("khong-co-lenh")
        self.assertEqual(r.returncode, 2)
        self.assertIn("khong-co-lenh", r.stderr)
        self.assertEqual(run("serve", "--threads", "0").returncode, 2)
        self.assertEqual(run("import", "units").returncode, 2)
        self.assertEqual(run("export", "nhom", "x.xlsx", "--db", self.server.db).returncode, 2)

    def test_storage_unreachable(self):
        r = run("migrate", "--db", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
        self.assertEqual(r.returncode, 4)
        self.assertIn("PostgreSQL", r.stderr)
        r = run("migrate", "--db", "/khong/co/thu/muc/x.db")
        self.assertEqual(r.returncode, 4)

    def test_migrate_is_idempotent(self):
        r = self.server.cli("migrate")
        self.assertEqual(r.returncode, 0)
        self.assertIn("mới nhất", r.stdout)

    def test_init_demo_twice_is_refused(self):
        r = self.server.cli("init", "--demo", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("đã có đơn vị", r.stderr)

    def test_export_import_round_trip(self):
        path = os.path.join(self.tmp, "dv.xlsx")
        r = self.server.cli("export", "units", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(open(path, "rb").read(2) == b"PK")
        r = self.server.cli("import", "units", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("0 dòng thêm mới", r.stdout)

    def test_import_refused_rows_exit_3(self):
        path = os.path.join(self.tmp, "sai.xlsx")
        with open(path, "wb") as f:
            f.write(make_xlsx([["Mã đơn vị", "Tên đơn vị", "Loại đơn vị"], ["SAI MA", "Ab", "so_nganh"]]))
        r = self.server.cli("import", "units", path, check=False)
        self.assertEqual(r.returncode, 3)
        self.assertIn("A2", r.stderr)
        with open(path, "wb") as f:
            f.write(b"not an xlsx at all")
        r = self.server.cli("import", "units", path, check=False)
        self.assertEqual(r.returncode, 3)
        r = self.server.cli("import", "units", os.path.join(self.tmp, "khong-co.xlsx"), check=False)
        self.assertEqual(r.returncode, 1)

    def test_backup(self):
        path = os.path.join(self.tmp, "sao-luu.db")
        r = self.server.cli("backup", path, check=False)
        if DRIVER == "postgres":
            self.assertEqual(r.returncode, 2)
            self.assertIn("pg_dump", r.stderr)
            return
        self.assertEqual(r.returncode, 0, r.stderr)
        # the copy is a complete, consistent database
        con = sqlite3.connect(path)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertGreater(con.execute("SELECT count(*) FROM units").fetchone()[0], 30)
        con.close()


if __name__ == "__main__":
    unittest.main()
