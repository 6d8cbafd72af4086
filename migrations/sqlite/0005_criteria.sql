-- Criteria tables (bảng tiêu chí chấm điểm thi đua, RULES.md §8.4;
-- docs/scoring.md): one per group and year, a tree of criterion groups and
-- criteria, edited while in draft and locked before scoring. Points are
-- integer hundredths (x100). Bonuses, deductions, tie-breaks and bands come
-- later.

CREATE TABLE criteria_tables (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'locked')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (group_id, year),
    FOREIGN KEY (group_id, year) REFERENCES group_years(group_id, year)
) STRICT;

-- The tree: parent_id NULL at the top level; a parent is a 'group' node of
-- the same table. position orders siblings (and the whole table).
CREATE TABLE criteria_nodes (
    id INTEGER PRIMARY KEY,
    table_id INTEGER NOT NULL REFERENCES criteria_tables(id),
    position INTEGER NOT NULL,
    parent_id INTEGER REFERENCES criteria_nodes(id),
    kind TEXT NOT NULL CHECK (kind IN ('group', 'direct', 'passfail', 'occurrence', 'target')),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    max_x100 INTEGER NOT NULL CHECK (max_x100 >= 0),
    each_x100 INTEGER CHECK (each_x100 IS NULL OR each_x100 >= 0),
    capped INTEGER NOT NULL DEFAULT 0 CHECK (capped IN (0, 1))
) STRICT;
CREATE INDEX criteria_nodes_table ON criteria_nodes(table_id, position);
CREATE INDEX criteria_nodes_parent ON criteria_nodes(parent_id);
