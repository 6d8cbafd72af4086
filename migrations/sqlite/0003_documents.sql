-- Outgoing documents and their numbers (Nghị định 30/2020 Art 15): numbers
-- run from 01 on 1 January, per issuer, per year, per series (a council or a
-- group has its own series under the issuer's seal). doc_counters holds the
-- last number given; it is moved inside the write transaction that records
-- the document, so a rolled-back document gives its number back and two
-- documents never share one (the UNIQUE below says so too).

CREATE TABLE doc_counters (
    issuer_id INTEGER NOT NULL REFERENCES units(id),
    year INTEGER NOT NULL,
    series TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (issuer_id, year, series)
) STRICT;

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    issuer_id INTEGER NOT NULL REFERENCES units(id),
    year INTEGER NOT NULL,
    series TEXT NOT NULL,
    number INTEGER NOT NULL,
    symbol TEXT NOT NULL,           -- after the number: "QĐ-UBND", "TTr-SNV"
    kind TEXT NOT NULL,             -- QD, KH, BB, BBKP, TTR, BC, GU (giao ước), CV
    subject TEXT NOT NULL,          -- trích yếu
    issued_on TEXT NOT NULL,        -- ISO date; its year is the numbering year
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (issuer_id, year, series, number)
) STRICT;
CREATE INDEX documents_issued ON documents(issued_on);
-- what the page prints: two series may not print the same number and symbol
CREATE UNIQUE INDEX documents_printed ON documents(issuer_id, year, number, symbol);

-- The office's own wording of a document kind: when a row exists for a
-- template name ("quyet_dinh", "partials/header" …) it replaces the built-in
-- template of doctemplates/ (docs/doc_markup.h describes the markup).
CREATE TABLE doc_templates (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id),
    updated_at TEXT NOT NULL
) STRICT;
