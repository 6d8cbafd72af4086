-- Score sheets (phiếu chấm điểm, docs/scoring.md): stage 1, each member unit
-- self-scores against its group-year's locked criteria table and submits.
-- value_x100 holds the answer as the domain reads it (domain/scoring.h,
-- struct score_answer): points ×100 for direct, 0 or 1 for pass/fail, the
-- count for per occurrence, the actual ×100 for a target criterion, whose
-- target_x100 is the unit's own pledged target.

CREATE TABLE score_sheets (
    id INTEGER PRIMARY KEY,
    table_id INTEGER NOT NULL REFERENCES criteria_tables(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    stage TEXT NOT NULL DEFAULT 'self' CHECK (stage IN ('self')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    submitted_at TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (table_id, unit_id)
) STRICT;

CREATE TABLE score_answers (
    sheet_id INTEGER NOT NULL REFERENCES score_sheets(id),
    node_id INTEGER NOT NULL REFERENCES criteria_nodes(id),
    value_x100 INTEGER NOT NULL,
    target_x100 INTEGER,
    note TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (sheet_id, node_id)
) STRICT;
