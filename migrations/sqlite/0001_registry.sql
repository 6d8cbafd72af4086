-- The unit registry and the persons of each unit.
-- name_fold/search hold text_fold() of the names (search without marks);
-- sort_key holds the ICU "vi" sort key, so ORDER BY sort_key is Vietnamese order.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE unit_kinds (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL
) STRICT;

INSERT INTO unit_kinds (code, name, position) VALUES
    ('tinh', 'Tỉnh', 1),
    ('dang', 'Cơ quan Đảng', 2),
    ('chinh_quyen', 'Cơ quan chính quyền', 3),
    ('so_nganh', 'Sở, ban, ngành', 4),
    ('doan_the', 'Mặt trận, đoàn thể', 5),
    ('xa_phuong', 'Xã, phường, đặc khu', 6),
    ('su_nghiep', 'Đơn vị sự nghiệp', 7),
    ('doanh_nghiep', 'Doanh nghiệp', 8),
    ('truc_thuoc', 'Đơn vị trực thuộc', 9);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES units(id),
    kind TEXT NOT NULL REFERENCES unit_kinds(code),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    active_from TEXT,
    active_to TEXT,
    search TEXT NOT NULL,
    sort_key BLOB NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK (active_to IS NULL OR active_from IS NULL OR active_to >= active_from)
) STRICT;
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_sort ON units(sort_key);

CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    full_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    middle_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    gender TEXT NOT NULL CHECK (gender IN ('nam', 'nu')),
    birth_year INTEGER CHECK (birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100),
    position TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    search TEXT NOT NULL,
    sort_key BLOB NOT NULL,
    -- the person's place in Vietnamese name order, with gaps for later
    -- inserts: the search index uses it as its rowid, so matches come out of
    -- the index already in name order (see registry.c, person_rank)
    name_rank INTEGER NOT NULL UNIQUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX persons_unit ON persons(unit_id, sort_key);
CREATE INDEX persons_sort ON persons(sort_key, id);
-- counting the active persons of the whole province reads this index, not the table
CREATE INDEX persons_active ON persons(active);

-- Word-prefix search over the folded names (external content: no copy of the text).
CREATE VIRTUAL TABLE units_fts USING fts5(search, content='units', content_rowid='id', prefix='2 3');
CREATE TRIGGER units_fts_ai AFTER INSERT ON units BEGIN
    INSERT INTO units_fts(rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER units_fts_ad AFTER DELETE ON units BEGIN
    INSERT INTO units_fts(units_fts, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER units_fts_au AFTER UPDATE OF search ON units BEGIN
    INSERT INTO units_fts(units_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO units_fts(rowid, search) VALUES (new.id, new.search);
END;

-- Persons: keyed by name_rank, so a page of matches is the first rows of the
-- match; the active flag is indexed too, so a search of the active persons is
-- answered (and counted) by the index alone: 'search : "duc"* NOT active : 0'.
CREATE VIRTUAL TABLE persons_fts USING fts5(search, active, content='persons', content_rowid='name_rank', prefix='2 3 4 5 6 7');
CREATE TRIGGER persons_fts_ai AFTER INSERT ON persons BEGIN
    INSERT INTO persons_fts(rowid, search, active) VALUES (new.name_rank, new.search, new.active);
END;
CREATE TRIGGER persons_fts_ad AFTER DELETE ON persons BEGIN
    INSERT INTO persons_fts(persons_fts, rowid, search, active) VALUES ('delete', old.name_rank, old.search, old.active);
END;
CREATE TRIGGER persons_fts_au AFTER UPDATE OF search, active, name_rank ON persons BEGIN
    INSERT INTO persons_fts(persons_fts, rowid, search, active) VALUES ('delete', old.name_rank, old.search, old.active);
    INSERT INTO persons_fts(rowid, search, active) VALUES (new.name_rank, new.search, new.active);
END;

-- Uploaded files (a multipart upload is stored whole, within the route's limit).
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
