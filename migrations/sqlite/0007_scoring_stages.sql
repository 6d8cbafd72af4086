-- Scoring stages, adjustments, evidence, ranking settings, what-if and
-- cross-scoring (issue 6; docs/scoring.md). Points are integer hundredths.
--
-- The scoring workflow of a locked table moves as a whole through
--   self → review1 (head unit of the group) → explain (each unit answers
--   review 1) → review2 (the provincial office) → locked (final),
-- in criteria_tables.stage; each stage has a deadline (date, may be NULL).
-- criteria_tables.status (draft|locked) stays what it was: whether the
-- *criteria* may still be edited. score_sheets.stage from 0006 is unused
-- (always 'self'); score_sheets.status (draft|submitted) is the unit's own
-- submission of its self-score.

ALTER TABLE criteria_tables ADD COLUMN stage TEXT NOT NULL DEFAULT 'self'
    CHECK (stage IN ('self', 'review1', 'explain', 'review2', 'locked'));
ALTER TABLE criteria_tables ADD COLUMN self_due TEXT;
ALTER TABLE criteria_tables ADD COLUMN review1_due TEXT;
ALTER TABLE criteria_tables ADD COLUMN explain_due TEXT;
ALTER TABLE criteria_tables ADD COLUMN review2_due TEXT;
-- Ranking settings [P]: scoring mode (each unit scores itself, or every
-- member scores the others), per-scorer normalisation and its minimum
-- sample, a cap on the sum of bonuses (NULL: none), and the ordered
-- tie-break list, comma-separated items of
--   group:<criteria_nodes.id> | at_max | deductions | women | submitted
-- (domain/ranking.h enum rank_tiebreak_kind; women uses RANK_ND152_WOMEN_PCT).
ALTER TABLE criteria_tables ADD COLUMN mode TEXT NOT NULL DEFAULT 'self'
    CHECK (mode IN ('self', 'cross'));
ALTER TABLE criteria_tables ADD COLUMN normalise INTEGER NOT NULL DEFAULT 0
    CHECK (normalise IN (0, 1));
ALTER TABLE criteria_tables ADD COLUMN min_sample INTEGER NOT NULL DEFAULT 3
    CHECK (min_sample >= 1);
ALTER TABLE criteria_tables ADD COLUMN bonus_cap_x100 INTEGER
    CHECK (bonus_cap_x100 IS NULL OR bonus_cap_x100 >= 0);
ALTER TABLE criteria_tables ADD COLUMN tie_breaks TEXT NOT NULL
    DEFAULT 'at_max,deductions,women,submitted';

-- Classification bands (xếp loại) of a table, highest first; the last
-- band takes every score below the one above it (domain rank_band_of).
CREATE TABLE criteria_bands (
    table_id INTEGER NOT NULL REFERENCES criteria_tables(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    min_x100 INTEGER NOT NULL CHECK (min_x100 >= 0),
    PRIMARY KEY (table_id, position)
) STRICT;

-- Provincial templates (bảng tiêu chí mẫu của tỉnh): a named copy of a
-- table's tree, saved by the office, from which a group's table is made.
CREATE TABLE criteria_templates (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    source_table_id INTEGER REFERENCES criteria_tables(id),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE criteria_template_nodes (
    template_id INTEGER NOT NULL REFERENCES criteria_templates(id),
    id INTEGER NOT NULL,          -- local to the template; parent_id refers to it
    position INTEGER NOT NULL,
    parent_id INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('group', 'direct', 'passfail', 'occurrence', 'target')),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    max_x100 INTEGER NOT NULL CHECK (max_x100 >= 0),
    each_x100 INTEGER CHECK (each_x100 IS NULL OR each_x100 >= 0),
    capped INTEGER NOT NULL DEFAULT 0 CHECK (capped IN (0, 1)),
    PRIMARY KEY (template_id, id)
) STRICT;

-- Per sheet: the share of women in the unit's collective (hundredths of a
-- percent, for the ND152 Art 4(6) tie-break; NULL: not given), the marks
-- of each review, and the unit's explanation after review 1.
ALTER TABLE score_sheets ADD COLUMN women_pct INTEGER
    CHECK (women_pct IS NULL OR (women_pct >= 0 AND women_pct <= 10000));
ALTER TABLE score_sheets ADD COLUMN review1_at TEXT;
ALTER TABLE score_sheets ADD COLUMN review1_by INTEGER REFERENCES users(id);
ALTER TABLE score_sheets ADD COLUMN explanation TEXT;
ALTER TABLE score_sheets ADD COLUMN explained_at TEXT;
ALTER TABLE score_sheets ADD COLUMN review2_at TEXT;
ALTER TABLE score_sheets ADD COLUMN review2_by INTEGER REFERENCES users(id);

-- Every change a reviewer makes to an answer, with the reason (required):
-- the value before and after as score_answers holds them. The self-score
-- of a criterion is the old value of its first change (or the answer when
-- it never changed). Also written to the audit log.
CREATE TABLE score_changes (
    id INTEGER PRIMARY KEY,
    sheet_id INTEGER NOT NULL REFERENCES score_sheets(id),
    node_id INTEGER NOT NULL REFERENCES criteria_nodes(id),
    stage TEXT NOT NULL CHECK (stage IN ('review1', 'review2')),
    old_value_x100 INTEGER,
    new_value_x100 INTEGER NOT NULL,
    old_target_x100 INTEGER,
    new_target_x100 INTEGER,
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX score_changes_sheet ON score_changes(sheet_id, node_id);

-- The unit's explanation of one criterion after review 1 (giải trình).
CREATE TABLE score_explanations (
    sheet_id INTEGER NOT NULL REFERENCES score_sheets(id),
    node_id INTEGER NOT NULL REFERENCES criteria_nodes(id),
    text TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (sheet_id, node_id)
) STRICT;

-- Evidence files per criterion (minh chứng), in the files table.
CREATE TABLE score_evidence (
    id INTEGER PRIMARY KEY,
    sheet_id INTEGER NOT NULL REFERENCES score_sheets(id),
    node_id INTEGER NOT NULL REFERENCES criteria_nodes(id),
    file_id INTEGER NOT NULL REFERENCES files(id),
    user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    removed_at TEXT
) STRICT;
CREATE INDEX score_evidence_sheet ON score_evidence(sheet_id, node_id);

-- Bonuses (điểm thưởng, e.g. +10 for a provincial flag received),
-- deductions (điểm trừ) with the agency that reported them, and vetoes
-- (vi phạm một phiếu phủ quyết: the unit cannot be ranked first or
-- proposed; points_x100 is 0). Entered by the head unit or the office;
-- withdrawn rows stay, with who and why.
CREATE TABLE score_adjustments (
    id INTEGER PRIMARY KEY,
    sheet_id INTEGER NOT NULL REFERENCES score_sheets(id),
    kind TEXT NOT NULL CHECK (kind IN ('bonus', 'deduction', 'veto')),
    points_x100 INTEGER NOT NULL CHECK (points_x100 >= 0),
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    agency TEXT,
    file_id INTEGER REFERENCES files(id),
    user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_by INTEGER REFERENCES users(id),
    withdrawn_reason TEXT
) STRICT;
CREATE INDEX score_adjustments_sheet ON score_adjustments(sheet_id);

-- What-if (thử thay đổi): named overrides of a table's maxima and per-
-- occurrence points, never used for the real ranking. An answer is carried
-- over in proportion (a direct 8 of 10 becomes 16 of 20; docs/scoring.md).
CREATE TABLE criteria_whatifs (
    id INTEGER PRIMARY KEY,
    table_id INTEGER NOT NULL REFERENCES criteria_tables(id),
    name TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE criteria_whatif_nodes (
    whatif_id INTEGER NOT NULL REFERENCES criteria_whatifs(id),
    node_id INTEGER NOT NULL REFERENCES criteria_nodes(id),
    max_x100 INTEGER NOT NULL CHECK (max_x100 >= 0),
    each_x100 INTEGER CHECK (each_x100 IS NULL OR each_x100 >= 0),
    PRIMARY KEY (whatif_id, node_id)
) STRICT;

-- Cross-scoring (chấm chéo): each member unit's mark for every other
-- member, total points. A self-mark is refused here and ignored by the
-- domain (cross_score).
CREATE TABLE cross_marks (
    table_id INTEGER NOT NULL REFERENCES criteria_tables(id),
    scorer_unit INTEGER NOT NULL REFERENCES units(id),
    scored_unit INTEGER NOT NULL REFERENCES units(id),
    points_x100 INTEGER NOT NULL CHECK (points_x100 >= 0),
    user_id INTEGER REFERENCES users(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (table_id, scorer_unit, scored_unit),
    CHECK (scorer_unit <> scored_unit)
) STRICT;
