"""Who may do what: every route × every kind of caller, against the real server.

EXPECTED below is the authorization matrix, written out by hand. It is checked
three ways:
  * against `tdkt routes` (the route table of routes.c): the same set of
    (method, pattern), both ways, and the same roles per route, so a route
    added without its row, or a permission changed in routes.c without the
    table changing, fails here;
  * by making every request of every cell and comparing what comes back;
  * by looking inside the answers a unit officer gets (lists, exports, the
    home page's counts, refused JSON writes) for anything outside their unit.

Callers:
  anon     no session
  admin    admin        (quản trị hệ thống)
  office   vanphong     (cơ quan thường trực TĐKT)
  council  hoidong      (thành viên Hội đồng)
  unit     sonoivu      (cán bộ of SNV) on SNV's own records
  other    sonoivu      on MTTQ's records (the unit with code MTTQ, a person of
                        MTTQ); for a route that names no unit or person the
                        request is the same as in the `unit` column

Outcomes:
  OK     the handler ran: not 401/403, not the sign-in redirect (303 to
         /login?next=…; a handler's own 303 to plain /login, as after logout or
         from /login/totp with no sign-in pending, is its answer), not 404
         (which would mean the ids of the test are wrong) and not 5xx. The requests
         send deliberately invalid bodies where they can (422/400/409 prove the
         handler ran and leave the data that other cells read alone).
  LOGIN  anonymous page: 303 to /login?next=<the page>; the same path under
         /api answers 401.
  401, 403, 422 …  exactly that status.
The permission check runs before the CSRF check and every POST carries the
caller's own valid CSRF token, so a 403 here is the permission (or the data
scope), never a missing token.
"""

import io
import json
import unittest
import urllib.parse
import zipfile

from harness import DRIVER, Client, ServerTest

OK, LOGIN = "ok", "login"
CALLERS = ("anon", "admin", "office", "council", "unit", "other")
LOGINS = {"anon": None, "admin": "admin", "office": "vanphong", "council": "hoidong",
          "unit": "sonoivu", "other": "sonoivu"}
# the role each signed-in column stands for (`other` is the unit role again)
ROLE_COLUMNS = {"admin": "admin", "office": "office", "council": "council", "unit": "unit"}


def row(anon, admin, office, council, unit, other):
    return dict(zip(CALLERS, (anon, admin, office, council, unit, other)))


# Shorthands for the common rows.
def public():          # anyone, signed in or not
    return row(OK, OK, OK, OK, OK, OK)


def any_user(get):     # every signed-in role, no unit data involved
    return row(LOGIN if get else 401, OK, OK, OK, OK, OK)


def admin_only(get):
    return row(LOGIN if get else 401, OK, 403, 403, 403, 403)


def office(get):       # admin and the standing office; council and unit officers refused
    return row(LOGIN if get else 401, OK, OK, 403, 403, 403)


def reader(get):       # every role reads, a unit officer only inside their own unit
    return row(LOGIN if get else 401, OK, OK, OK, OK, 403)


def editor(get):       # admin, office, unit officer (own unit); council reads only
    return row(LOGIN if get else 401, OK, OK, 403, OK, 403)


EXPECTED = {
    # --- public and the signed-in user's own account -------------------------
    ("GET", "/"): any_user(True),
    ("GET", "/healthz"): public(),
    ("GET", "/login"): public(),               # signed in: 303 to / (handler)
    ("POST", "/login"): public(),              # empty login → 422
    ("GET", "/login/totp"): public(),          # no pending sign-in: 303 to /login (handler)
    ("POST", "/login/totp"): public(),         # idem
    ("POST", "/logout"): any_user(False),      # fresh sessions of its own, see _request
    ("GET", "/account"): any_user(True),
    ("GET", "/account/password"): any_user(True),
    ("POST", "/account/password"): any_user(False),     # empty form → 422
    ("GET", "/account/totp"): any_user(True),
    ("POST", "/account/totp/start"): any_user(False),   # no password → 422
    ("POST", "/account/totp"): any_user(False),         # nothing pending → 303 to /account/totp
    ("POST", "/account/totp/disable"): any_user(False),  # no password → 422

    # --- user administration: admin only --------------------------------------
    ("GET", "/users"): admin_only(True),
    ("POST", "/users"): admin_only(False),                      # empty form → 422
    ("GET", "/users/new"): admin_only(True),
    ("GET", "/users/{id:int}"): admin_only(True),
    ("POST", "/users/{id:int}"): admin_only(False),             # no version → 422
    ("GET", "/users/{id:int}/edit"): admin_only(True),
    ("POST", "/users/{id:int}/disable"): admin_only(False),     # admin's own id → 422
    ("POST", "/users/{id:int}/enable"): admin_only(False),      # an enabled user: no change
    ("POST", "/users/{id:int}/password"): admin_only(False),    # empty password → 422
    ("POST", "/users/{id:int}/totp/reset"): admin_only(False),  # a user without TOTP

    # --- the register of outgoing documents ------------------------------------
    ("GET", "/documents"): reader(True),              # ?issuer=<unit>
    # the other unit's column is 422 like POST /persons: a new document names
    # its issuer in the body, refused as a field error
    ("POST", "/documents"): row(401, OK, OK, 403, OK, 422),  # empty subject → 422
    ("GET", "/documents/new"): row(LOGIN, OK, OK, 403, OK, OK),
    ("GET", "/documents/{id:int}"): reader(True),
    ("GET", "/documents/templates"): office(True),
    ("GET", "/documents/templates/{name:text}"): office(True),
    ("POST", "/documents/templates/{name:text}"): office(False),        # empty body → 422
    ("POST", "/documents/templates/{name:text}/reset"): office(False),  # nothing to reset
    ("GET", "/documents/templates/{name:text}/preview"): office(True),
    ("GET", "/documents/templates/{name:text}/sample.pdf"): office(True),
    ("GET", "/documents/templates/{name:text}/sample.docx"): office(True),

    # --- audit log: admin and office ------------------------------------------
    ("GET", "/audit"): office(True),
    ("GET", "/audit/export.xlsx"): office(True),

    # --- groups ---
    # the unit column is SNV's own group (KHOI-SO, where SNV is deputy this
    # year); the other column the MTTQ bloc, which SNV does not belong to
    ("GET", "/groups"): any_user(True),
    ("POST", "/groups"): office(False),                       # empty form → 422
    ("GET", "/groups/new"): office(True),
    ("GET", "/groups/{id:int}"): reader(True),
    ("POST", "/groups/{id:int}"): office(False),              # no version → 422
    ("GET", "/groups/{id:int}/edit"): office(True),
    ("POST", "/groups/{id:int}/years"): office(False),        # no year → 422
    ("GET", "/groups/{id:int}/{year:int}"): reader(True),
    ("POST", "/groups/{id:int}/{year:int}/members"): office(False),   # no unit → 422
    ("POST", "/groups/{id:int}/{year:int}/members/{unit:int}/leave"): office(False),  # no date
    ("POST", "/groups/{id:int}/{year:int}/leaders"): office(False),   # no head → 422
    # this year's head and deputy record the handover: SNV is deputy of KHOI-SO
    ("POST", "/groups/{id:int}/{year:int}/handover"): editor(False),  # no date → 422
    # --- end groups ---

    # --- conferences ---
    # the unit column is SNV on KHOI-SO (its deputy this year); the other unit's
    # column is KHOI-MTTQ, which SNV does not belong to
    ("POST", "/groups/{id:int}/{year:int}/conferences"): row(401, OK, OK, 403, OK, 403),  # no kind → 422
    ("GET", "/groups/{id:int}/{year:int}/conferences/new"): row(LOGIN, OK, OK, 403, OK, 403),
    ("GET", "/conferences/{id:int}"): reader(True),
    ("POST", "/conferences/{id:int}"): editor(False),                  # no version → 422
    ("GET", "/conferences/{id:int}/edit"): editor(True),
    ("POST", "/conferences/{id:int}/attendance"): editor(False),       # no present → 422
    ("POST", "/conferences/{id:int}/chairs"): editor(False),           # no person → 422
    ("POST", "/conferences/{id:int}/chairs/{pos:int}/delete"): editor(False),  # no version → 422
    ("POST", "/conferences/{id:int}/reports"): editor(False),          # bad figure → 422
    ("POST", "/conferences/{id:int}/tasks"): editor(False),            # no content → 422
    ("POST", "/conferences/{id:int}/tasks/{task:int}/delete"): editor(False),  # no version → 422
    ("POST", "/conferences/{id:int}/decisions/{decision:int}/delete"): editor(False),  # idem
    ("POST", "/conferences/{id:int}/decisions"): editor(False),        # no content → 422
    ("POST", "/conferences/{id:int}/election"): editor(False),         # no units → 422
    ("GET", "/conferences/{id:int}/minutes.docx"): reader(True),       # no attendance → 422
    ("GET", "/conferences/{id:int}/minutes.pdf"): reader(True),        # no attendance → 422
    ("POST", "/conferences/{id:int}/minutes"): editor(False),          # no attendance → 422
    # --- end conferences ---

    # --- movements ---
    # SNV's movement (launched by SNV) and MTTQ's (launched by MTTQ, which does
    # not concern SNV); both launched, with one target each
    ("GET", "/movements"): reader(True),                       # ?group=<group>
    ("POST", "/movements"): row(401, OK, OK, 403, OK, 403),    # own: empty name → 422; other: valid → 403
    ("GET", "/movements/new"): editor(True),                   # ?unit=<unit>
    ("GET", "/movements/export.xlsx"): reader(True),           # ?group=<group>
    ("GET", "/movements/{id:int}"): reader(True),
    ("POST", "/movements/{id:int}"): editor(False),            # no version → 422
    ("GET", "/movements/{id:int}/edit"): editor(True),
    ("POST", "/movements/{id:int}/targets"): editor(False),    # launched: targets fixed → 409
    ("POST", "/movements/{id:int}/targets/{target:int}/delete"): editor(False),  # idem → 409
    ("POST", "/movements/{id:int}/participants"): editor(False),         # neither → 422
    ("POST", "/movements/{id:int}/participants/delete"): editor(False),  # neither → 422
    ("POST", "/movements/{id:int}/launch"): editor(False),     # already launched → 409
    ("POST", "/movements/{id:int}/close"): editor(False),      # last: closes (then 409)
    ("GET", "/movements/{id:int}/plan.docx"): reader(True),
    ("GET", "/movements/{id:int}/plan.pdf"): reader(True),
    ("POST", "/movements/{id:int}/plan"): editor(False),       # first takes a number, then 409
    # --- end movements ---

    # --- pledges ---
    # the group's year has its pledge already (_lookup), so creating is 409
    ("GET", "/groups/{id:int}/{year:int}/pledge"): reader(True),         # 303 to the pledge
    ("POST", "/groups/{id:int}/{year:int}/pledge"): editor(False),       # one a year → 409
    ("GET", "/groups/{id:int}/{year:int}/pledge/new"): editor(True),     # idem, with a link
    ("GET", "/pledges/{id:int}"): reader(True),
    ("POST", "/pledges/{id:int}"): editor(False),                        # no version → 422
    ("GET", "/pledges/{id:int}/edit"): editor(True),
    ("POST", "/pledges/{id:int}/items"): editor(False),                  # bad target → 422
    ("GET", "/pledges/{id:int}/items/{item:int}/edit"): editor(True),
    ("POST", "/pledges/{id:int}/items/{item:int}"): editor(False),       # no version → 422
    ("POST", "/pledges/{id:int}/items/{item:int}/delete"): editor(False),  # no version → 422
    ("POST", "/pledges/{id:int}/open"): editor(False),                   # another year → 422
    ("POST", "/pledges/{id:int}/draft"): editor(False),                  # a draft already → 409
    # only a unit's own officer signs; the draft refuses it (422)
    ("POST", "/pledges/{id:int}/sign"): row(401, 403, 403, 403, OK, 403),
    ("GET", "/pledges/{id:int}/document.docx"): reader(True),
    ("GET", "/pledges/{id:int}/document.pdf"): reader(True),
    # --- end pledges ---
    # --- criteria ---
    # each group's table exists (_lookup) with a group whose max differs
    # from its one child's: creating is 409, locking and deleting the group 422
    ("GET", "/groups/{id:int}/{year:int}/criteria"): reader(True),
    ("POST", "/groups/{id:int}/{year:int}/criteria"): editor(False),     # one a year → 409
    ("POST", "/criteria/{id:int}/nodes"): editor(False),                 # max "abc" → 422
    ("POST", "/criteria/{id:int}/nodes/{node:int}/delete"): editor(False),  # has a child → 422
    ("POST", "/criteria/{id:int}/lock"): editor(False),                  # invalid tree → 422
    # sheets: the tables are drafts, so the unit's own officer gets 422
    ("GET", "/criteria/{id:int}/units/{unit:int}"): reader(True),
    # the stage decides who answers (the handler): on a draft table 422 for all
    ("POST", "/criteria/{id:int}/units/{unit:int}/answers"): row(401, OK, OK, 403, OK, 403),
    ("POST", "/criteria/{id:int}/units/{unit:int}/submit"): row(401, 403, 403, 403, OK, 403),
    # score stages (score_stage.c, score_review.c, score_evidence.c,
    # score_adjust.c): the tables are drafts, so every write the caller may
    # make answers 409/422; an evidence file and an adjustment with a file
    # exist on each sheet (_lookup)
    ("GET", "/criteria/{id:int}/stage"): reader(True),
    # the group's managers (SNV is deputy of KHOI-SO) and the office: draft → 409
    ("POST", "/criteria/{id:int}/stage"): row(401, OK, OK, 403, OK, 403),
    ("POST", "/criteria/{id:int}/units/{unit:int}/women"): row(401, 403, 403, 403, OK, 403),
    ("POST", "/criteria/{id:int}/units/{unit:int}/explanation"): row(401, 403, 403, 403, OK, 403),
    ("POST", "/criteria/{id:int}/units/{unit:int}/evidence"): row(401, 403, 403, 403, OK, 403),
    ("GET", "/criteria/{id:int}/units/{unit:int}/evidence/{eid:int}"): reader(True),
    ("POST", "/criteria/{id:int}/units/{unit:int}/evidence/{eid:int}/remove"):
        row(401, 403, 403, 403, OK, 403),
    # reviewers by stage (the handler): a draft table → 422 before who
    ("POST", "/criteria/{id:int}/units/{unit:int}/adjustments"): row(401, OK, OK, 403, OK, 403),
    ("POST", "/criteria/{id:int}/units/{unit:int}/adjustments/{aid:int}/withdraw"):
        row(401, OK, OK, 403, OK, 403),
    ("GET", "/criteria/{id:int}/units/{unit:int}/adjustments/{aid:int}/file"): reader(True),
    # end score stages
    # criteria editing, settings, templates (criteria_edit.c, criteria_settings.c,
    # criteria_templates.c): the head/deputy of the group or the office
    ("POST", "/criteria/{id:int}/nodes/{node:int}"): editor(False),         # max "abc" → 422
    ("POST", "/criteria/{id:int}/nodes/{node:int}/move"): editor(False),    # first already → 422
    ("POST", "/criteria/{id:int}/settings"): editor(False),                 # unknown tb1 → 422
    ("POST", "/criteria/{id:int}/bands/default"): editor(False),            # invalid tree → 422
    ("POST", "/criteria/{id:int}/deadlines"): editor(False),                # out of the year → 422
    ("POST", "/criteria/{id:int}/template"): office(False),                 # invalid tree → 422
    ("GET", "/criteria/templates"): office(True),
    ("GET", "/criteria/templates/{id:int}"): office(True),
    ("POST", "/criteria/templates/{id:int}/delete"): office(False),       # no confirm → 422
    # ranking and what-if (ranking_pages.c, score_export.c, whatif.c): the
    # tables are in the self stage, which the deputy unit (SNV) reads as a
    # manager; a what-if of each table exists (_lookup)
    ("GET", "/criteria/{id:int}/ranking"): reader(True),
    ("GET", "/criteria/{id:int}/ranking.xlsx"): reader(True),
    ("GET", "/criteria/{id:int}/ranking.docx"): reader(True),
    ("GET", "/criteria/{id:int}/ranking.pdf"): reader(True),
    ("POST", "/criteria/{id:int}/whatifs"): editor(False),                 # a draft table → 409
    ("GET", "/criteria/{id:int}/whatifs/{w:int}"): editor(True),
    ("POST", "/criteria/{id:int}/whatifs/{w:int}/nodes/{node:int}"): editor(False),  # max "abc" → 422
    ("POST", "/criteria/{id:int}/whatifs/{w:int}/delete"): editor(False),  # no version → 422
    # score grid and cross marks (features/score_grid.c, cross_marks.c): the
    # year's readers; only a member unit's officer marks (draft table → 422)
    ("GET", "/criteria/{id:int}/grid"): reader(True),
    ("GET", "/criteria/{id:int}/cross"): reader(True),
    ("POST", "/criteria/{id:int}/cross"): row(401, 403, 403, 403, OK, 403),
    # --- end criteria ---

    # --- news ---
    ("GET", "/news"): public(),
    ("POST", "/news"): office(False),                       # empty title → 422
    ("GET", "/news/new"): office(True),
    ("GET", "/news/{slug:text}"): public(),                 # a published article
    ("POST", "/news/{id:int}"): office(False),              # no version → 422
    ("GET", "/news/{id:int}/edit"): office(True),
    ("POST", "/news/{id:int}/publish"): office(False),      # impossible date → 422
    ("POST", "/news/{id:int}/unpublish"): office(False),    # a draft: no change
    # the head/deputy unit of the conference's group drafts (SNV is deputy of
    # KHOI-SO), nobody of another group; no attendance recorded → 422
    ("POST", "/conferences/{id:int}/news"): row(401, OK, OK, 403, OK, 403),
    # --- end news ---

    # --- units: everyone reads (officers their own subtree), office writes -----
    ("GET", "/units"): reader(True),                 # ?parent=<unit>
    ("POST", "/units"): office(False),               # empty form → 422
    ("GET", "/units/new"): office(True),
    ("GET", "/units/export.xlsx"): reader(True),     # ?parent=<unit>
    ("GET", "/units/import"): office(True),
    ("POST", "/units/import"): office(False),        # no file → 400
    ("GET", "/units/{id:int}"): reader(True),
    ("POST", "/units/{id:int}"): office(False),      # no version → 422
    ("GET", "/units/{id:int}/edit"): office(True),
    ("POST", "/units/{id:int}/deactivate"): office(False),  # impossible date → 400
    ("POST", "/units/{id:int}/activate"): office(False),    # SNV is active: no change

    # --- persons: everyone reads, admin/office/unit officer write --------------
    ("GET", "/persons"): reader(True),               # ?unit=<unit>
    # The other unit's column is 422, not 403: creating names no existing
    # record, so persons_create answers the form again with the refusal as a
    # field error on unit_id (and writes nothing: see test_scope_json_writes).
    ("POST", "/persons"): row(401, OK, OK, 403, OK, 422),
    ("GET", "/persons/new"): editor(True),           # ?unit=<unit>
    ("GET", "/persons/export.xlsx"): reader(True),   # ?unit=<unit>
    ("GET", "/persons/import"): office(True),
    ("POST", "/persons/import"): office(False),      # no file → 400
    ("GET", "/persons/{id:int}"): reader(True),
    ("POST", "/persons/{id:int}"): editor(False),    # own: empty name → 422; other: a valid body
    ("GET", "/persons/{id:int}/edit"): editor(True),
    ("POST", "/persons/{id:int}/deactivate"): editor(False),  # throwaway persons
    ("POST", "/persons/{id:int}/activate"): editor(False),    # throwaway persons
}

DENIED = (401, 403, LOGIN)

# Requests whose success changes something: run after every other cell.
LAST = {("POST", "/persons/{id:int}/deactivate"), ("POST", "/persons/{id:int}/activate"),
        ("POST", "/users/{id:int}/enable"), ("POST", "/users/{id:int}/totp/reset"),
        ("POST", "/units/{id:int}/activate"), ("POST", "/logout"),
        ("POST", "/movements/{id:int}/close")}


class Target:
    """The ids a caller's requests use: SNV's records, or MTTQ's for `other`."""

    def __init__(self, ids, other):
        self.other = other
        self.unit = ids["mttq"] if other else ids["snv"]
        self.person = ids["mttq_person"] if other else ids["snv_person"]
        self.tmp_person = ids["mttq_tmp"] if other else ids["snv_tmp"]
        self.person_body = ids["mttq_person_body"] if other else ids["snv_person_body"]
        self.document = ids["mttq_doc"] if other else ids["snv_doc"]
        self.user = ids["user"]
        self.admin = ids["admin"]
        self.ids = ids  # every id of _lookup, for the sections below
        self.group = ids["mttq_group"] if other else ids["snv_group"]
        self.year = ids["year"]


def _request(key, t):
    """(path, kind, body) of one cell; kind: "get", "form", "multipart", "logout"."""
    method, pattern = key
    get = method == "GET"
    simple = {
        "/": "/", "/healthz": "/healthz", "/login": "/login", "/login/totp": "/login/totp",
        "/account": "/account", "/account/password": "/account/password",
        "/account/totp": "/account/totp", "/users": "/users", "/users/new": "/users/new",
        "/users/{id:int}": f"/users/{t.user}", "/users/{id:int}/edit": f"/users/{t.user}/edit",
        "/audit": f"/audit?entity=unit&entity_id={t.unit}",
        "/audit/export.xlsx": f"/audit/export.xlsx?entity=unit&entity_id={t.unit}",
        "/units": f"/units?parent={t.unit}", "/units/new": f"/units/new?parent={t.unit}",
        "/units/export.xlsx": f"/units/export.xlsx?parent={t.unit}",
        "/units/import": "/units/import", "/units/{id:int}": f"/units/{t.unit}",
        "/units/{id:int}/edit": f"/units/{t.unit}/edit",
        "/persons": f"/persons?unit={t.unit}", "/persons/new": f"/persons/new?unit={t.unit}",
        "/persons/export.xlsx": f"/persons/export.xlsx?unit={t.unit}",
        "/persons/import": "/persons/import", "/persons/{id:int}": f"/persons/{t.person}",
        "/persons/{id:int}/edit": f"/persons/{t.person}/edit",
        "/documents": f"/documents?issuer={t.unit}", "/documents/new": "/documents/new",
        "/documents/{id:int}": f"/documents/{t.document}",
        "/documents/templates": "/documents/templates",
        "/documents/templates/{name:text}": "/documents/templates/quyet_dinh",
        "/documents/templates/{name:text}/preview": "/documents/templates/to_trinh/preview",
        "/documents/templates/{name:text}/sample.pdf": "/documents/templates/to_trinh/sample.pdf",
        "/documents/templates/{name:text}/sample.docx": "/documents/templates/to_trinh/sample.docx",
        # --- groups ---
        "/groups": "/groups", "/groups/new": "/groups/new",
        "/groups/{id:int}": f"/groups/{t.group}", "/groups/{id:int}/edit": f"/groups/{t.group}/edit",
        "/groups/{id:int}/{year:int}": f"/groups/{t.group}/{t.year}",
        # --- end groups ---

        # --- conferences ---
        "/groups/{id:int}/{year:int}/conferences/new": f"/groups/{t.group}/{t.year}/conferences/new",
        "/conferences/{id:int}": f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}",
        "/conferences/{id:int}/edit":
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/edit",
        "/conferences/{id:int}/minutes.docx":
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/minutes.docx",
        "/conferences/{id:int}/minutes.pdf":
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/minutes.pdf",
        # --- end conferences ---

        # --- movements ---
        "/movements": f"/movements?group={t.group}",
        "/movements/new": f"/movements/new?unit={t.unit}",
        "/movements/export.xlsx": f"/movements/export.xlsx?group={t.group}",
        "/movements/{id:int}": f"/movements/{t.ids['mttq_mv' if t.other else 'snv_mv']}",
        "/movements/{id:int}/edit": f"/movements/{t.ids['mttq_mv' if t.other else 'snv_mv']}/edit",
        "/movements/{id:int}/plan.docx":
            f"/movements/{t.ids['mttq_mv' if t.other else 'snv_mv']}/plan.docx",
        "/movements/{id:int}/plan.pdf":
            f"/movements/{t.ids['mttq_mv' if t.other else 'snv_mv']}/plan.pdf",
        # --- end movements ---

        # --- pledges ---
        "/groups/{id:int}/{year:int}/pledge": f"/groups/{t.group}/{t.year}/pledge",
        "/groups/{id:int}/{year:int}/pledge/new": f"/groups/{t.group}/{t.year}/pledge/new",
        "/pledges/{id:int}": f"/pledges/{t.ids['pledge'][t.other]}",
        "/pledges/{id:int}/edit": f"/pledges/{t.ids['pledge'][t.other]}/edit",
        "/pledges/{id:int}/items/{item:int}/edit":
            f"/pledges/{t.ids['pledge'][t.other]}/items/{t.ids['pledge_item'][t.other]}/edit",
        "/pledges/{id:int}/document.docx": f"/pledges/{t.ids['pledge'][t.other]}/document.docx",
        "/pledges/{id:int}/document.pdf": f"/pledges/{t.ids['pledge'][t.other]}/document.pdf",
        # --- end pledges ---
        "/groups/{id:int}/{year:int}/criteria": f"/groups/{t.group}/{t.year}/criteria",
        "/criteria/{id:int}/units/{unit:int}":
            f"/criteria/{t.ids['criteria'][t.other]}/units/{t.ids['mttq' if t.other else 'snv']}",
        # score stages
        "/criteria/{id:int}/stage": f"/criteria/{t.ids['criteria'][t.other]}/stage",
        "/criteria/{id:int}/units/{unit:int}/evidence/{eid:int}":
            f"/criteria/{t.ids['criteria'][t.other]}/units/{t.ids['mttq' if t.other else 'snv']}"
            f"/evidence/{t.ids['evidence'][t.other]}",
        "/criteria/{id:int}/units/{unit:int}/adjustments/{aid:int}/file":
            f"/criteria/{t.ids['criteria'][t.other]}/units/{t.ids['mttq' if t.other else 'snv']}"
            f"/adjustments/{t.ids['adjustment'][t.other]}/file",
        # end score stages
        # criteria templates (criteria_templates.c)
        "/criteria/templates": "/criteria/templates",
        "/criteria/templates/{id:int}": f"/criteria/templates/{t.ids['criteria_template']}",
        # ranking and what-if
        "/criteria/{id:int}/ranking": f"/criteria/{t.ids['criteria'][t.other]}/ranking",
        "/criteria/{id:int}/ranking.xlsx": f"/criteria/{t.ids['criteria'][t.other]}/ranking.xlsx",
        "/criteria/{id:int}/ranking.docx": f"/criteria/{t.ids['criteria'][t.other]}/ranking.docx",
        "/criteria/{id:int}/ranking.pdf": f"/criteria/{t.ids['criteria'][t.other]}/ranking.pdf",
        "/criteria/{id:int}/whatifs/{w:int}":
            f"/criteria/{t.ids['criteria'][t.other]}/whatifs/{t.ids['whatif'][t.other]}",
        # score grid and cross marks
        "/criteria/{id:int}/grid": f"/criteria/{t.ids['criteria'][t.other]}/grid",
        "/criteria/{id:int}/cross": f"/criteria/{t.ids['criteria'][t.other]}/cross",

        # --- news ---
        "/news": "/news", "/news/new": "/news/new",
        "/news/{slug:text}": f"/news/{t.ids['news_slug']}",
        "/news/{id:int}/edit": f"/news/{t.ids['news_draft']}/edit",
        # --- end news ---
    }
    if get:
        return simple[pattern], "get", None
    posts = {
        "/login": ("/login", {"login": "", "password": ""}),
        "/login/totp": ("/login/totp", {"code": ""}),
        "/logout": ("/logout", {}),
        "/account/password": ("/account/password", {}),
        "/account/totp/start": ("/account/totp/start", {"password": ""}),
        "/account/totp": ("/account/totp", {"code": ""}),
        "/account/totp/disable": ("/account/totp/disable", {}),
        "/users": ("/users", {"login": ""}),
        "/users/{id:int}": (f"/users/{t.user}", {}),
        "/users/{id:int}/disable": (f"/users/{t.admin}/disable", {}),
        "/users/{id:int}/enable": (f"/users/{t.user}/enable", {}),
        "/users/{id:int}/password": (f"/users/{t.user}/password", {"password": ""}),
        "/users/{id:int}/totp/reset": (f"/users/{t.user}/totp/reset", {}),
        "/units": ("/units", {"code": "", "name": "", "parent_id": str(t.unit)}),
        "/units/{id:int}": (f"/units/{t.unit}", {}),
        "/units/{id:int}/deactivate": (f"/units/{t.unit}/deactivate", {"date": "31/02/2025"}),
        "/units/{id:int}/activate": (f"/units/{t.unit}/activate", {}),
        # own unit: an invalid body (422); the other unit: a body that would be
        # saved if the unit were not checked
        "/persons": ("/persons", dict(t.person_body, unit_id=str(t.unit)) if t.other
                     else {"full_name": "", "unit_id": str(t.unit)}),
        "/persons/{id:int}": (f"/persons/{t.person}",
                              t.person_body if t.other
                              else dict(t.person_body, full_name="")),
        "/documents": ("/documents", {"issuer_id": str(t.unit), "kind": "QD", "subject": ""}),
        "/documents/templates/{name:text}": ("/documents/templates/bao_cao", {"body": ""}),
        "/documents/templates/{name:text}/reset": ("/documents/templates/bao_cao/reset", {}),
        "/persons/{id:int}/deactivate": (f"/persons/{t.tmp_person}/deactivate", {}),
        "/persons/{id:int}/activate": (f"/persons/{t.tmp_person}/activate", {}),
        # --- groups ---
        "/groups": ("/groups", {"code": "", "name": ""}),
        "/groups/{id:int}": (f"/groups/{t.group}", {"name": "x"}),
        "/groups/{id:int}/years": (f"/groups/{t.group}/years", {}),
        "/groups/{id:int}/{year:int}/members": (f"/groups/{t.group}/{t.year}/members", {}),
        "/groups/{id:int}/{year:int}/members/{unit:int}/leave":
            (f"/groups/{t.group}/{t.year}/members/{t.unit}/leave", {}),
        "/groups/{id:int}/{year:int}/leaders": (f"/groups/{t.group}/{t.year}/leaders", {}),
        "/groups/{id:int}/{year:int}/handover": (f"/groups/{t.group}/{t.year}/handover", {}),
        # --- end groups ---

        # --- conferences ---
        "/groups/{id:int}/{year:int}/conferences": (f"/groups/{t.group}/{t.year}/conferences",
                                                    {"kind": ""}),
        "/conferences/{id:int}": (f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}",
                                  {"title": "Hội nghị"}),
        "/conferences/{id:int}/attendance": (
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/attendance",
            {"unit_id": str(t.unit)}),
        "/conferences/{id:int}/chairs": (
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/chairs",
            {"unit_id": str(t.unit)}),
        "/conferences/{id:int}/chairs/{pos:int}/delete": (
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/chairs/1/delete", {}),
        "/conferences/{id:int}/reports": (
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/reports",
            {"unit_id": str(t.unit), "pledge_item_id": "1", "actual": "mười"}),
        "/conferences/{id:int}/tasks": (
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/tasks", {"content": ""}),
        "/conferences/{id:int}/tasks/{task:int}/delete": (
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/tasks/1/delete", {}),
        "/conferences/{id:int}/decisions/{decision:int}/delete": (
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/decisions/1/delete",
            {}),
        "/conferences/{id:int}/decisions": (
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/decisions",
            {"content": ""}),
        "/conferences/{id:int}/election": (
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/election", {}),
        "/conferences/{id:int}/minutes": (
            f"/conferences/{t.ids['conf_other' if t.other else 'conf_own']}/minutes", {}),
        # --- end conferences ---

        # --- movements ---
        "/movements": ("/movements", {"name": "Phong trào thử phân quyền", "kind": "regular",
                                      "launcher_kind": "unit", "launcher_unit_id": str(t.unit),
                                      "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
                       if t.other else {"name": "", "launcher_kind": "unit",
                                        "launcher_unit_id": str(t.unit)}),
        "/movements/{id:int}": (f"/movements/{t.ids['mttq_mv' if t.other else 'snv_mv']}", {}),
        "/movements/{id:int}/targets": (
            f"/movements/{t.ids['mttq_mv' if t.other else 'snv_mv']}/targets",
            {"name": "Chỉ tiêu thử", "value": "10"}),
        "/movements/{id:int}/targets/{target:int}/delete": (
            f"/movements/{t.ids['mttq_mv' if t.other else 'snv_mv']}/targets/"
            f"{t.ids['mttq_mv_target' if t.other else 'snv_mv_target']}/delete", {}),
        "/movements/{id:int}/participants": (
            f"/movements/{t.ids['mttq_mv' if t.other else 'snv_mv']}/participants", {}),
        "/movements/{id:int}/participants/delete": (
            f"/movements/{t.ids['mttq_mv' if t.other else 'snv_mv']}/participants/delete", {}),
        "/movements/{id:int}/launch": (
            f"/movements/{t.ids['mttq_mv' if t.other else 'snv_mv']}/launch", {}),
        "/movements/{id:int}/close": (
            f"/movements/{t.ids['mttq_mv' if t.other else 'snv_mv']}/close", {}),
        "/movements/{id:int}/plan": (
            f"/movements/{t.ids['mttq_mv' if t.other else 'snv_mv']}/plan", {}),
        # --- end movements ---

        # --- pledges ---
        "/groups/{id:int}/{year:int}/pledge": (f"/groups/{t.group}/{t.year}/pledge", {}),
        "/pledges/{id:int}": (f"/pledges/{t.ids['pledge'][t.other]}", {"title": "Giao ước"}),
        "/pledges/{id:int}/items": (f"/pledges/{t.ids['pledge'][t.other]}/items",
                                    {"content": "Nội dung", "target": "mười"}),
        "/pledges/{id:int}/items/{item:int}": (
            f"/pledges/{t.ids['pledge'][t.other]}/items/{t.ids['pledge_item'][t.other]}",
            {"content": "Nội dung"}),
        "/pledges/{id:int}/items/{item:int}/delete": (
            f"/pledges/{t.ids['pledge'][t.other]}/items/{t.ids['pledge_item'][t.other]}/delete", {}),
        "/pledges/{id:int}/open": (f"/pledges/{t.ids['pledge'][t.other]}/open",
                                   {"opened_on": "2001-01-02"}),
        "/pledges/{id:int}/draft": (f"/pledges/{t.ids['pledge'][t.other]}/draft", {}),
        "/pledges/{id:int}/sign": (f"/pledges/{t.ids['pledge'][t.other]}/sign",
                                   {"unit_id": str(t.unit), "signer_name": ""}),
        # --- end pledges ---

        # --- criteria ---
        "/groups/{id:int}/{year:int}/criteria": (f"/groups/{t.group}/{t.year}/criteria", {}),
        "/criteria/{id:int}/nodes": (f"/criteria/{t.ids['criteria'][t.other]}/nodes",
                                     {"code": "X", "name": "X", "kind": "direct", "max": "abc"}),
        "/criteria/{id:int}/nodes/{node:int}/delete": (
            f"/criteria/{t.ids['criteria'][t.other]}/nodes/"
            f"{t.ids['criteria_node'][t.other]}/delete", {}),
        "/criteria/{id:int}/lock": (f"/criteria/{t.ids['criteria'][t.other]}/lock", {}),
        "/criteria/{id:int}/units/{unit:int}/answers": (
            f"/criteria/{t.ids['criteria'][t.other]}/units/"
            f"{t.ids['mttq' if t.other else 'snv']}/answers", {"node_id": "1", "value": "1"}),
        "/criteria/{id:int}/units/{unit:int}/submit": (
            f"/criteria/{t.ids['criteria'][t.other]}/units/"
            f"{t.ids['mttq' if t.other else 'snv']}/submit", {}),
        # score stages
        "/criteria/{id:int}/stage": (f"/criteria/{t.ids['criteria'][t.other]}/stage",
                                     {"to": "review1"}),
        "/criteria/{id:int}/units/{unit:int}/women": (
            f"/criteria/{t.ids['criteria'][t.other]}/units/"
            f"{t.ids['mttq' if t.other else 'snv']}/women", {"women_pct": "50"}),
        "/criteria/{id:int}/units/{unit:int}/explanation": (
            f"/criteria/{t.ids['criteria'][t.other]}/units/"
            f"{t.ids['mttq' if t.other else 'snv']}/explanation", {"text": "Giải trình"}),
        "/criteria/{id:int}/units/{unit:int}/evidence": (
            f"/criteria/{t.ids['criteria'][t.other]}/units/"
            f"{t.ids['mttq' if t.other else 'snv']}/evidence", {"node_id": "1"}),
        "/criteria/{id:int}/units/{unit:int}/evidence/{eid:int}/remove": (
            f"/criteria/{t.ids['criteria'][t.other]}/units/"
            f"{t.ids['mttq' if t.other else 'snv']}/evidence/{t.ids['evidence'][t.other]}/remove",
            {}),
        "/criteria/{id:int}/units/{unit:int}/adjustments": (
            f"/criteria/{t.ids['criteria'][t.other]}/units/"
            f"{t.ids['mttq' if t.other else 'snv']}/adjustments",
            {"kind": "bonus", "points": "1", "reason": "Thử"}),
        "/criteria/{id:int}/units/{unit:int}/adjustments/{aid:int}/withdraw": (
            f"/criteria/{t.ids['criteria'][t.other]}/units/"
            f"{t.ids['mttq' if t.other else 'snv']}/adjustments/{t.ids['adjustment'][t.other]}"
            "/withdraw", {"reason": "Thử"}),
        # end score stages
        # criteria editing, settings, templates (criteria_edit.c, criteria_settings.c,
        # criteria_templates.c): bodies the handler refuses after the scope check
        "/criteria/{id:int}/nodes/{node:int}": (
            f"/criteria/{t.ids['criteria'][t.other]}/nodes/{t.ids['criteria_node'][t.other]}",
            {"max": "abc"}),
        "/criteria/{id:int}/nodes/{node:int}/move": (
            f"/criteria/{t.ids['criteria'][t.other]}/nodes/"
            f"{t.ids['criteria_node'][t.other]}/move", {"dir": "up"}),
        "/criteria/{id:int}/settings": (f"/criteria/{t.ids['criteria'][t.other]}/settings",
                                        {"tb1": "bogus"}),
        "/criteria/{id:int}/bands/default": (
            f"/criteria/{t.ids['criteria'][t.other]}/bands/default", {}),
        "/criteria/{id:int}/deadlines": (f"/criteria/{t.ids['criteria'][t.other]}/deadlines",
                                         {"self_due": "2001-01-02"}),
        "/criteria/{id:int}/template": (f"/criteria/{t.ids['criteria'][t.other]}/template",
                                        {"name": "Mẫu thử phân quyền"}),
        "/criteria/templates/{id:int}/delete": (
            f"/criteria/templates/{t.ids['criteria_template']}/delete", {}),
        # ranking and what-if
        "/criteria/{id:int}/whatifs": (f"/criteria/{t.ids['criteria'][t.other]}/whatifs",
                                       {"name": ""}),
        "/criteria/{id:int}/whatifs/{w:int}/nodes/{node:int}": (
            f"/criteria/{t.ids['criteria'][t.other]}/whatifs/{t.ids['whatif'][t.other]}/nodes/"
            f"{t.ids['criteria_leaf'][t.other]}", {"max": "abc"}),
        "/criteria/{id:int}/whatifs/{w:int}/delete": (
            f"/criteria/{t.ids['criteria'][t.other]}/whatifs/{t.ids['whatif'][t.other]}/delete",
            {}),
        # score grid and cross marks
        "/criteria/{id:int}/cross": (f"/criteria/{t.ids['criteria'][t.other]}/cross",
                                     {"scored_unit": "1", "points": "1"}),
        # --- end criteria ---

        # --- news ---
        "/news": ("/news", {"title": "", "body": ""}),
        "/news/{id:int}": (f"/news/{t.ids['news_draft']}", {"title": "Tin", "body": "x"}),
        "/news/{id:int}/publish": (f"/news/{t.ids['news_draft']}/publish",
                                   {"published_on": "31/02/2026"}),
        "/news/{id:int}/unpublish": (f"/news/{t.ids['news_draft']}/unpublish", {}),
        "/conferences/{id:int}/news": (
            f"/conferences/{t.ids['news_conf_mttq' if t.other else 'news_conf_snv']}/news", {}),
        # --- end news ---
    }
    if pattern in ("/units/import", "/persons/import"):
        return pattern, "multipart", None
    path, body = posts[pattern]
    return path, "logout" if pattern == "/logout" else "form", body


def _login_redirect_to(resp, path):
    loc = resp.headers.get("location", "")
    if resp.status != 303 or not loc.startswith("/login?"):
        return False
    nxt = urllib.parse.parse_qs(urllib.parse.urlsplit(loc).query).get("next", [""])[0]
    return nxt == path


def _short(resp):
    s = str(resp.status)
    if resp.status in (301, 302, 303):
        s += "→" + resp.headers.get("location", "?").split("?")[0]
    return s


def _person_body(p):
    return {"full_name": p["full_name"], "gender": p["gender"],
            "birth_year": str(p["birth_year"] or ""), "position": p["position"],
            "unit_id": str(p["unit"]["id"]), "version": str(p["version"])}


def _xlsx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                       if n.endswith(".xml"))


class Authorization(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        admin = Client(cls.server)
        try:
            cls.ids = cls._lookup(admin)
        finally:
            admin.close()

    @classmethod
    def _lookup(cls, admin):
        def unit(code):
            items = admin.api("/units?status=all&per_page=200&q=" + code)["items"]
            return next(u["id"] for u in items if u["code"] == code)

        def first_person(unit_id):
            items = admin.api(f"/persons?unit={unit_id}&per_page=10")["items"]
            assert items, f"no person in unit {unit_id}"
            return admin.api(f"/persons/{items[0]['id']}")["person"]

        def throwaway(name, unit_id):
            r = admin.post_json("/api/persons", {"full_name": name, "gender": "nam",
                                                 "birth_year": 1985, "unit_id": unit_id,
                                                 "position": "Chuyên viên"})
            assert r.status == 201, (r.status, r.body[:300])
            return r.json()["person"]["id"]

        def document(unit_id):
            r = admin.post_json("/api/documents", {"issuer_id": unit_id, "kind": "TB",
                                                   "subject": "Thông báo thử phân quyền",
                                                   "issued_on": "2026-03-02"})
            assert r.status == 201, (r.status, r.body[:300])
            return r.json()["document"]["id"]

        ids = {"snv": unit("SNV"), "mttq": unit("MTTQ"), "snv_tdkt": unit("SNV-TDKT"),
               "snv_vp": unit("SNV-VP")}
        ids.update(snv_doc=document(ids["snv"]), mttq_doc=document(ids["mttq"]))
        snv_p, mttq_p = first_person(ids["snv"]), first_person(ids["mttq"])
        ids.update(snv_person=snv_p["id"], mttq_person=mttq_p["id"],
                   snv_person_body=_person_body(snv_p), mttq_person_body=_person_body(mttq_p),
                   snv_tmp=throwaway("Nguyễn Văn Tạm", ids["snv"]),
                   mttq_tmp=throwaway("Trần Văn Tạm", ids["mttq"]),
                   admin=admin.account()["user"]["id"])
        users = admin.api("/users?per_page=200")["items"]
        ids["user"] = next(u["id"] for u in users if u["login"] == "mttq")
        # --- groups ---
        # SNV is a member (and deputy) of the departments' bloc; MTTQ heads its own bloc
        for key, code in (("snv_group", "KHOI-SO"), ("mttq_group", "KHOI-MTTQ")):
            ids[key] = int(cls.server.sql(
                f"SELECT id FROM emulation_groups WHERE code = '{code}'")[0][0])
        ids["year"] = int(cls.server.sql("SELECT max(year) FROM group_years")[0][0])
        # --- end groups ---

        # --- conferences ---
        # a year-end conference of each bloc, nobody recorded yet
        for key, group in (("conf_own", ids["snv_group"]), ("conf_other", ids["mttq_group"])):
            r = admin.post_json(f"/api/groups/{group}/{ids['year']}/conferences",
                                {"kind": "yearend", "held_on": f"{ids['year']}-12-10"})
            assert r.status == 201, (r.status, r.body[:300])
            ids[key] = r.json()["conference"]["id"]
        # --- end conferences ---

        # --- movements ---
        def movement(unit_id, name):
            r = admin.post_json("/api/movements", {
                "name": name, "kind": "regular", "launcher_kind": "unit",
                "launcher_unit_id": unit_id, "starts_on": "2026-01-01", "ends_on": "2026-12-31"})
            assert r.status == 201, (r.status, r.body[:300])
            mv = r.json()["movement"]["id"]
            r = admin.post_json(f"/api/movements/{mv}/targets", {"name": "Chỉ tiêu", "value": "100",
                                                                 "measure": "%"})
            assert r.status == 201, (r.status, r.body[:300])
            target = r.json()["movement"]["targets"][0]["id"]
            r = admin.post_json(f"/api/movements/{mv}/launch", {})
            assert r.status == 200, (r.status, r.body[:300])
            return mv, target

        ids["snv_mv"], ids["snv_mv_target"] = movement(ids["snv"], "Phong trào của Sở Nội vụ")
        ids["mttq_mv"], ids["mttq_mv_target"] = movement(ids["mttq"], "Phong trào của MTTQ tỉnh")
        # --- end movements ---

        # --- pledges ---
        # each group's pledge of the year, a draft with one item
        for key, group in (("snv_pledge", ids["snv_group"]), ("mttq_pledge", ids["mttq_group"])):
            r = admin.post_json(f"/api/groups/{group}/{ids['year']}/pledge", {})
            assert r.status == 201, (r.status, r.body[:300])
            ids[key] = r.json()["pledge"]["id"]
            r = admin.post_json(f"/api/pledges/{ids[key]}/items", {"content": "Thực hiện tốt "
                                                                   "nhiệm vụ chính trị"})
            assert r.status == 201, (r.status, r.body[:300])
            ids[key + "_item"] = r.json()["pledge"]["items"][0]["id"]
        # by Target.other: SNV's bloc (False) or MTTQ's (True)
        ids["pledge"] = {False: ids["snv_pledge"], True: ids["mttq_pledge"]}
        ids["pledge_item"] = {False: ids["snv_pledge_item"], True: ids["mttq_pledge_item"]}
        # --- end pledges ---

        # --- criteria ---
        # each group's table of the year: a group "I" of 10 over one criterion of 5
        for key, group in (("snv_criteria", ids["snv_group"]), ("mttq_criteria", ids["mttq_group"])):
            r = admin.post_json(f"/api/groups/{group}/{ids['year']}/criteria", {})
            assert r.status == 201, (r.status, r.body[:300])
            ids[key] = r.json()["table"]["id"]
            r = admin.post_json(f"/api/criteria/{ids[key]}/nodes",
                                {"code": "I", "name": "Nhóm", "kind": "group", "max": "10"})
            assert r.status == 201, (r.status, r.body[:300])
            ids[key + "_node"] = r.json()["table"]["nodes"][0]["id"]
            r = admin.post_json(f"/api/criteria/{ids[key]}/nodes",
                                {"code": "I.1", "name": "Tiêu chí", "kind": "direct", "max": "5",
                                 "parent_id": ids[key + "_node"]})
            assert r.status == 201, (r.status, r.body[:300])
        ids["criteria"] = {False: ids["snv_criteria"], True: ids["mttq_criteria"]}
        ids["criteria_node"] = {False: ids["snv_criteria_node"], True: ids["mttq_criteria_node"]}
        # score stages: on each table's sheet of SNV / MTTQ, an evidence file
        # and a bonus with a file (straight in SQL: the tables are drafts)
        blob = "X'255044462d'" if DRIVER == "sqlite" else "decode('255044462d', 'hex')"
        ids["evidence"], ids["adjustment"] = {}, {}
        for other, key, unit_key in ((False, "snv_criteria", "snv"),
                                     (True, "mttq_criteria", "mttq")):
            now = "'2026-06-15T00:00:00Z'"
            sheet = int(cls.server.sql(
                "INSERT INTO score_sheets (table_id, unit_id, created_at, updated_at) VALUES "
                f"({ids[key]}, {ids[unit_key]}, {now}, {now}) RETURNING id")[0][0])
            file_id = int(cls.server.sql(
                "INSERT INTO files (name, content_type, size, sha256, data, created_at) VALUES "
                f"('minh-chung.pdf', 'application/pdf', 5, 'x', {blob}, {now}) RETURNING id")[0][0])
            ids["evidence"][other] = int(cls.server.sql(
                "INSERT INTO score_evidence (sheet_id, node_id, file_id, created_at) VALUES "
                f"({sheet}, {ids[key + '_node']}, {file_id}, {now}) RETURNING id")[0][0])
            ids["adjustment"][other] = int(cls.server.sql(
                "INSERT INTO score_adjustments (sheet_id, kind, points_x100, reason, file_id, "
                f"created_at) VALUES ({sheet}, 'bonus', 100, 'Thử', {file_id}, {now}) "
                "RETURNING id")[0][0])
        # a provincial template to show (criteria_templates.c)
        ids["criteria_template"] = int(cls.server.sql(
            "INSERT INTO criteria_templates (name, created_at) VALUES ('Mẫu có sẵn', "
            "'2026-06-15T00:00:00Z') RETURNING id")[0][0])
        # ranking and what-if: one what-if of each table, seeded with SQL (the
        # route makes one only for a locked table, and these are drafts)
        for key in ("snv_criteria", "mttq_criteria"):
            sql = cls.server.sql
            sql(f"INSERT INTO criteria_whatifs (table_id, name, created_at, updated_at) VALUES "
                f"({ids[key]}, 'Thử', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z')")
            ids[key + "_whatif"] = int(sql(f"SELECT max(id) FROM criteria_whatifs WHERE "
                                           f"table_id = {ids[key]}")[0][0])
            sql(f"INSERT INTO criteria_whatif_nodes (whatif_id, node_id, max_x100, each_x100) "
                f"SELECT {ids[key + '_whatif']}, id, max_x100, each_x100 FROM criteria_nodes "
                f"WHERE table_id = {ids[key]}")
            ids[key + "_leaf"] = int(sql(f"SELECT id FROM criteria_nodes WHERE table_id = "
                                         f"{ids[key]} AND parent_id IS NOT NULL")[0][0])
        ids["whatif"] = {False: ids["snv_criteria_whatif"], True: ids["mttq_criteria_whatif"]}
        ids["criteria_leaf"] = {False: ids["snv_criteria_leaf"], True: ids["mttq_criteria_leaf"]}
        # --- end criteria ---

        # --- news ---
        # a conference of each bloc with no attendance yet (drafting answers
        # 422 and writes nothing), a published article and a draft
        for key, group in (("news_conf_snv", "snv_group"), ("news_conf_mttq", "mttq_group")):
            ids[key] = int(cls.server.sql(
                "INSERT INTO conferences (group_id, year, kind, title, held_on, created_at, "
                f"updated_at) VALUES ({ids[group]}, {ids['year']}, 'midyear', 'Hội nghị thử', "
                f"'{ids['year']}-06-15', '2026-06-15T00:00:00Z', '2026-06-15T00:00:00Z') "
                "RETURNING id")[0][0])
        for key, title in (("news_published", "Tin thử phân quyền đã đăng"),
                           ("news_draft", "Tin thử phân quyền bản nháp")):
            r = admin.post_json("/api/news", {"title": title, "body": "Nội dung."})
            assert r.status == 201, (r.status, r.body[:300])
            ids[key] = r.json()["news"]["id"]
            if key == "news_published":
                ids["news_slug"] = r.json()["news"]["slug"]
                r = admin.post_json(f"/api/news/{ids[key]}/publish", {})
                assert r.status == 200, (r.status, r.body[:300])
        # --- end news ---
        return ids

    def client(self, caller):
        return Client(self.server, login=LOGINS[caller])

    # --- the table against the route table of the binary ----------------------

    def test_table_matches_route_table(self):
        routes = self.server.cli("routes").stdout
        declared = {}
        for r in json.loads(routes):
            for m in r["methods"]:
                declared[(m, r["pattern"])] = r
        problems = [f"{k}: a route without a row in EXPECTED (add one)"
                    for k in sorted(set(declared) - set(EXPECTED))]
        problems += [f"{k}: a row in EXPECTED for a route that does not exist"
                     for k in sorted(set(EXPECTED) - set(declared))]
        for key, cells in EXPECTED.items():
            r = declared.get(key)
            if r is None:
                continue
            anon_allowed = cells["anon"] not in DENIED
            if anon_allowed != r["public"]:
                problems.append(f"{key}: table anon={cells['anon']}, routes public={r['public']}")
            if r["public"]:
                continue
            allowed = {role for col, role in ROLE_COLUMNS.items() if cells[col] not in DENIED}
            if allowed != set(r["roles"]):
                problems.append(f"{key}: table allows {sorted(allowed)}, routes.c {sorted(r['roles'])}")
            # a unit officer is never allowed more on another unit's records
            if cells["unit"] in DENIED and cells["other"] not in DENIED:
                problems.append(f"{key}: other unit allowed where own unit is not")
            if key[0] == "POST" and not r["csrf"]:
                problems.append(f"{key}: a POST route without CSRF")
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    # --- every cell, for real -------------------------------------------------

    def _cell(self, key, caller, clients):
        """Makes one cell's request; returns (matches, got text, detail)."""
        expected = EXPECTED[key][caller]
        t = Target(self.ids, other=caller == "other")
        path, kind, body = _request(key, t)
        c = clients[caller]
        if kind == "logout" and caller != "anon":
            # never the harness's cached sessions: a session of its own
            c = Client(self.server, login=None)
            c.sign_in(LOGINS[caller])
        try:
            if kind == "get":
                r = c.get(path)
            elif kind == "multipart":
                r = c.post_multipart(path)
            else:
                r = c.post_form(path, body)
            got, detail = _short(r), r.body[:300]
            if expected == LOGIN:
                api = c.get("/api" + path)
                ok = _login_redirect_to(r, path) and api.status == 401
                got = (LOGIN if _login_redirect_to(r, path) else got) + f"/api:{api.status}"
                return ok, got, detail
            if expected == OK:
                ok = (r.status < 500 and r.status not in (401, 403, 404)
                      and not (r.status == 303 and
                               r.headers.get("location", "").startswith("/login?")))
                if ok and kind == "logout":
                    # the handler ran: this session is over, and only this one
                    after = c.get("/api/account").status
                    ok = after == 401
                    got += f" then {after}"
                return ok, got, detail
            return r.status == expected, got, detail
        finally:
            if c is not clients[caller]:
                c.close()

    def test_matrix(self):
        clients = {caller: self.client(caller) for caller in CALLERS}
        keys = sorted(EXPECTED, key=lambda k: (k in LAST, k[0] != "GET", k == ("POST", "/logout")))
        results = {}
        try:
            for key in keys:
                for caller in CALLERS:
                    results[(key, caller)] = self._cell(key, caller, clients)
            # the cached sessions all survived (logout used sessions of its own)
            for caller in CALLERS[1:]:
                self.assertEqual(clients[caller].get("/api/account").status, 200, caller)
        finally:
            for c in clients.values():
                c.close()
        bad = [(k, c) for (k, c), (ok, _, _) in results.items() if not ok]
        if bad:
            self.fail(f"{len(bad)} of {len(results)} cells differ\n" + self._matrix(results, bad))

    @staticmethod
    def _matrix(results, bad):
        width = max(len(f"{m} {p}") for m, p in EXPECTED) + 2
        lines = ["route".ljust(width) + "".join(c.ljust(18) for c in CALLERS)]
        for key in EXPECTED:
            cells = []
            for caller in CALLERS:
                ok, got, _ = results[(key, caller)]
                exp = str(EXPECTED[key][caller])
                cells.append((exp if ok else f"✗ {exp}≠{got}").ljust(18))
            lines.append(f"{key[0]} {key[1]}".ljust(width) + "".join(cells))
        lines.append("")
        for key, caller in bad:
            _, got, detail = results[(key, caller)]
            lines.append(f"{key[0]} {key[1]} as {caller}: expected {EXPECTED[key][caller]}, "
                         f"got {got}: {detail!r}")
        return "\n".join(lines)

    # --- the data scope inside the answers ------------------------------------

    def scope_units(self):
        return {self.ids["snv"], self.ids["snv_tdkt"], self.ids["snv_vp"]}

    def test_scope_of_lists(self):
        admin, nv = Client(self.server), Client(self.server, login="sonoivu")
        try:
            units = nv.api("/units?status=all&per_page=200")
            self.assertEqual(sorted(u["code"] for u in units["items"]),
                             ["SNV", "SNV-TDKT", "SNV-VP"])
            self.assertEqual(units["total"], 3)
            # searching does not reach outside either
            self.assertEqual(nv.api("/units?status=all&q=MTTQ")["items"], [])
            children = nv.api(f"/units?parent={self.ids['snv']}&status=all")["items"]
            self.assertEqual(sorted(u["code"] for u in children), ["SNV-TDKT", "SNV-VP"])

            persons = nv.api("/persons?status=all&per_page=200")
            self.assertGreater(persons["total"], 0)
            inside = sum(admin.api(f"/persons?status=all&per_page=10&unit={u}")["total"]
                         for u in self.scope_units())
            self.assertEqual(persons["total"], inside)
            self.assertLess(persons["total"], admin.api("/persons?status=all&per_page=10")["total"])
            for page in range(1, (persons["total"] + 199) // 200 + 1):
                for p in nv.api(f"/persons?status=all&per_page=200&page={page}")["items"]:
                    self.assertIn(p["unit"]["id"], self.scope_units(), p)
            mttq_name = self.ids["mttq_person_body"]["full_name"]
            found = nv.api("/persons?status=all&per_page=200&q=" + urllib.parse.quote(mttq_name))
            self.assertNotIn(self.ids["mttq_person"], [p["id"] for p in found["items"]])
            # a sub-unit may be named, a unit outside may not
            self.assertEqual(nv.get(f"/api/persons?unit={self.ids['snv_tdkt']}").status, 200)
            for path in (f"/api/persons?unit={self.ids['mttq']}",
                         f"/api/units?parent={self.ids['mttq']}",
                         f"/api/units/{self.ids['mttq']}",
                         f"/api/persons/{self.ids['mttq_person']}",
                         f"/api/persons/new?unit={self.ids['mttq']}",
                         f"/persons/export.xlsx?unit={self.ids['mttq']}",
                         f"/units/export.xlsx?parent={self.ids['mttq']}"):
                self.assertEqual(nv.get(path).status, 403, path)
            # the person form offers only units inside the scope
            offered = {u["value"] for u in nv.api("/persons/new")["units"]}
            self.assertEqual(offered, self.scope_units())
        finally:
            admin.close()
            nv.close()

    def test_scope_of_exports_and_home(self):
        admin, nv = Client(self.server), Client(self.server, login="sonoivu")
        try:
            for path in ("/units/export.xlsx", "/persons/export.xlsx?status=all"):
                mine = nv.get(path)
                self.assertEqual(mine.status, 200, path)
                text = _xlsx_text(mine.body)
                self.assertIn("SNV", text, path)
                self.assertNotIn("MTTQ", text, path)
                everything = admin.get(path)
                self.assertIn("MTTQ", _xlsx_text(everything.body), path)  # the control
            # the home page's cards count what the officer's lists show
            counts = nv.api("/")["counts"]
            self.assertEqual(counts["units"], nv.api("/units?per_page=10")["total"])
            self.assertEqual(counts["persons"], nv.api("/persons?per_page=10")["total"])
            self.assertLess(counts["persons"], admin.api("/")["counts"]["persons"])
        finally:
            admin.close()
            nv.close()

    def test_scope_json_writes(self):
        admin, nv = Client(self.server), Client(self.server, login="sonoivu")
        try:
            other_id, own_id = self.ids["mttq_person"], self.ids["snv_person"]
            other_before = admin.api(f"/persons/{other_id}")["person"]
            own_before = admin.api(f"/persons/{own_id}")["person"]
            before = admin.counts()

            def as_json(p, **change):
                body = {"full_name": p["full_name"], "gender": p["gender"],
                        "birth_year": p["birth_year"], "position": p["position"],
                        "unit_id": p["unit"]["id"], "version": p["version"]}
                body.update(change)
                return {k: v for k, v in body.items() if v is not None}

            # another unit's person: refused whatever the body says
            for unit in (self.ids["mttq"], self.ids["snv"]):
                r = nv.post_json(f"/api/persons/{other_id}",
                                 as_json(other_before, full_name="Tên Đã Đổi", unit_id=unit))
                self.assertEqual(r.status, 403, r.body[:300])
            for action in ("deactivate", "activate"):
                r = nv.post_json(f"/api/persons/{other_id}/{action}", {})
                self.assertEqual(r.status, 403, r.body[:300])
            # an own person cannot be moved out of the scope
            r = nv.post_json(f"/api/persons/{own_id}", as_json(own_before, unit_id=self.ids["mttq"]))
            self.assertEqual(r.status, 422, r.body[:300])
            self.assertIn("unit_id", r.json()["errors"])
            # nor a person created outside it
            r = nv.post_json("/api/persons", as_json(own_before, full_name="Người Mới Thêm",
                                                     unit_id=self.ids["mttq"], version=None))
            self.assertEqual(r.status, 422, r.body[:300])
            self.assertIn("unit_id", r.json()["errors"])
            # nothing changed
            self.assertEqual(admin.api(f"/persons/{other_id}")["person"], other_before)
            self.assertEqual(admin.api(f"/persons/{own_id}")["person"], own_before)
            self.assertEqual(admin.counts(), before)
            # the control: inside the scope the same officer may write
            r = nv.post_json(f"/api/persons/{own_id}",
                             as_json(own_before, unit_id=self.ids["snv_tdkt"]))
            self.assertEqual(r.status, 200, r.body[:300])
            moved = r.json()["person"]
            r = nv.post_json(f"/api/persons/{own_id}", as_json(moved, unit_id=self.ids["snv"]))
            self.assertEqual(r.status, 200, r.body[:300])
        finally:
            admin.close()
            nv.close()


if __name__ == "__main__":
    unittest.main()
