-- The year of an emulation group (DESIGN.md §1, RULES.md §8): groups (khối,
-- cụm), who belongs in which year, the head and deputy of each year, the
-- movements launched, the pledge and its signatures, the conferences with
-- attendance, reports against the pledge, tasks and decisions, and the news
-- written from them. Amounts are integer hundredths (x100) so a target of
-- 12.5 % is 1250 and comparisons are exact.

CREATE TABLE emulation_groups (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('khoi', 'cum')),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    organiser TEXT NOT NULL,        -- who organises it: the provincial council, usually
    -- the quorum of its meetings: present * quorum_den >= members * quorum_num
    -- (Hà Nội HD 01/2021: at least 2/3 of members), per group
    quorum_num INTEGER NOT NULL DEFAULT 2,
    quorum_den INTEGER NOT NULL DEFAULT 3,
    note TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (quorum_num > 0 AND quorum_den >= quorum_num)
) STRICT;

-- One row per group and year: its head and deputy units (elected at the
-- previous year's year-end conference, or set by the office), and the
-- handover from the previous head.
CREATE TABLE group_years (
    group_id INTEGER NOT NULL REFERENCES emulation_groups(id),
    year INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2200),
    head_unit_id INTEGER REFERENCES units(id),
    deputy_unit_id INTEGER REFERENCES units(id),
    elected_at INTEGER,             -- conferences.id of the election (NULL: set by the office)
    handover_on TEXT,               -- ISO date the previous head handed over
    handover_note TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (group_id, year),
    CHECK (head_unit_id IS NULL OR deputy_unit_id IS NULL OR head_unit_id <> deputy_unit_id)
) STRICT;

-- Who belongs in which year. joined_on: a unit that joined during the year
-- (it signs the pledge late); left_on: a unit that left during the year (it
-- is not asked to sign, and does not count for the quorum after that day).
CREATE TABLE group_members (
    group_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    joined_on TEXT,
    left_on TEXT,
    PRIMARY KEY (group_id, year, unit_id),
    FOREIGN KEY (group_id, year) REFERENCES group_years(group_id, year)
) STRICT;
CREATE INDEX group_members_unit ON group_members(unit_id, year);

-- Emulation movements (Law Art 16: regular or thematic), launched by the
-- council, a group or a unit.
CREATE TABLE movements (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('regular', 'thematic')),
    launcher_kind TEXT NOT NULL CHECK (launcher_kind IN ('council', 'group', 'unit')),
    launcher_group_id INTEGER REFERENCES emulation_groups(id),
    launcher_unit_id INTEGER REFERENCES units(id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    goals TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'launched', 'closed')),
    launched_on TEXT,
    plan_document_id INTEGER REFERENCES documents(id),
    created_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (ends_on >= starts_on),
    CHECK ((launcher_kind = 'group') = (launcher_group_id IS NOT NULL)),
    CHECK ((launcher_kind = 'unit') = (launcher_unit_id IS NOT NULL))
) STRICT;

CREATE TABLE movement_targets (
    id INTEGER PRIMARY KEY,
    movement_id INTEGER NOT NULL REFERENCES movements(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    measure TEXT NOT NULL DEFAULT '',   -- %, mô hình, người …
    value_x100 INTEGER                  -- the target value in hundredths; NULL: qualitative
) STRICT;
CREATE INDEX movement_targets_movement ON movement_targets(movement_id, position);

-- Who takes part: whole groups or single units.
CREATE TABLE movement_participants (
    movement_id INTEGER NOT NULL REFERENCES movements(id),
    group_id INTEGER REFERENCES emulation_groups(id),
    unit_id INTEGER REFERENCES units(id),
    CHECK ((group_id IS NULL) <> (unit_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX movement_participants_group ON movement_participants(movement_id, group_id)
    WHERE group_id IS NOT NULL;
CREATE UNIQUE INDEX movement_participants_unit ON movement_participants(movement_id, unit_id)
    WHERE unit_id IS NOT NULL;

-- The pledge (giao ước thi đua): one per group and year.
CREATE TABLE pledges (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    basis TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'signed')),
    opened_on TEXT,
    signed_on TEXT,                 -- the day the last member signed
    document_id INTEGER REFERENCES documents(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (group_id, year),
    FOREIGN KEY (group_id, year) REFERENCES group_years(group_id, year)
) STRICT;

CREATE TABLE pledge_items (
    id INTEGER PRIMARY KEY,
    pledge_id INTEGER NOT NULL REFERENCES pledges(id),
    position INTEGER NOT NULL,
    content TEXT NOT NULL,
    measure TEXT NOT NULL DEFAULT '',
    target_x100 INTEGER,            -- NULL: a qualitative item
    movement_target_id INTEGER REFERENCES movement_targets(id)
) STRICT;
CREATE INDEX pledge_items_pledge ON pledge_items(pledge_id, position);

-- One signature per member unit: its officer signs for the unit.
CREATE TABLE pledge_signatures (
    pledge_id INTEGER NOT NULL REFERENCES pledges(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    signer_name TEXT NOT NULL,
    signer_title TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (pledge_id, unit_id)
) STRICT;

-- Conferences of a group: pledge signing, mid-year review (sơ kết 6 tháng),
-- year-end review (tổng kết), other.
CREATE TABLE conferences (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pledge', 'midyear', 'yearend', 'other')),
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    starts_at TEXT NOT NULL DEFAULT '08:00',
    ends_at TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    secretary TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',   -- what was reviewed, in the secretary's words
    minutes_document_id INTEGER REFERENCES documents(id),
    created_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    FOREIGN KEY (group_id, year) REFERENCES group_years(group_id, year)
) STRICT;
CREATE INDEX conferences_group ON conferences(group_id, year, held_on);

-- Who chaired: a unit and the person who spoke for it.
CREATE TABLE conference_chairs (
    conference_id INTEGER NOT NULL REFERENCES conferences(id),
    position INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    person_name TEXT NOT NULL,
    person_title TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (conference_id, position)
) STRICT;

-- Attendance per member unit (a row for every member, present or not).
CREATE TABLE conference_attendance (
    conference_id INTEGER NOT NULL REFERENCES conferences(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    present INTEGER NOT NULL CHECK (present IN (0, 1)),
    representative TEXT NOT NULL DEFAULT '',
    representative_title TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',      -- "vắng có lý do" …
    PRIMARY KEY (conference_id, unit_id)
) STRICT;

-- At a review: each unit's figure against each item of its pledge.
CREATE TABLE conference_reports (
    conference_id INTEGER NOT NULL REFERENCES conferences(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    pledge_item_id INTEGER NOT NULL REFERENCES pledge_items(id),
    actual_x100 INTEGER,
    note TEXT NOT NULL DEFAULT '',
    reported_by INTEGER REFERENCES users(id),
    reported_at TEXT NOT NULL,
    PRIMARY KEY (conference_id, unit_id, pledge_item_id)
) STRICT;

-- Tasks for the next period.
CREATE TABLE conference_tasks (
    id INTEGER PRIMARY KEY,
    conference_id INTEGER NOT NULL REFERENCES conferences(id),
    position INTEGER NOT NULL,
    content TEXT NOT NULL,
    unit_id INTEGER REFERENCES units(id),   -- who carries it out (NULL: every member)
    due_on TEXT
) STRICT;
CREATE INDEX conference_tasks_conference ON conference_tasks(conference_id, position);

-- What the conference decided (only with its quorum present): elections and
-- other conclusions, in order.
CREATE TABLE conference_decisions (
    id INTEGER PRIMARY KEY,
    conference_id INTEGER NOT NULL REFERENCES conferences(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('election', 'conclusion')),
    content TEXT NOT NULL,
    head_unit_id INTEGER REFERENCES units(id),
    deputy_unit_id INTEGER REFERENCES units(id),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX conference_decisions_conference ON conference_decisions(conference_id, position);

-- News for the public portal, drafted from a conference and published by the office.
CREATE TABLE news (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    conference_id INTEGER REFERENCES conferences(id),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    published_on TEXT,
    created_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX news_published ON news(status, published_on);

-- Documents issued for a group (plan, pledge, minutes …) show on its timeline.
ALTER TABLE documents ADD COLUMN group_id INTEGER REFERENCES emulation_groups(id);
CREATE INDEX documents_group ON documents(group_id, year);
