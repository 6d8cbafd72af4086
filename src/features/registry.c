/* Units and persons: checks and storage (see registry.h). */
#include "features/registry.h"
#include "features/registry_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"
#include "text/text.h"

static int current_year(void)
{
    char today[11];
    date_today(today);
    return atoi(today);
}

static void add_error(json_t *errors, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_error(json_t *errors, const char *field, const char *fmt, ...)
{
    if (json_object_get(errors, field))
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    utf8_trim_partial(msg);
    json_object_set_new(errors, field, json_string(msg));
}

static bool empty(const char *s)
{
    return !s || !*s;
}

static bool exists(struct db *db, const char *sql, int64_t id)
{
    struct db_stmt *s = db_query(db, sql);
    db_bind_int(s, 1, id);
    bool found = db_step(s) == DB_ROW;
    db_done(s);
    return found;
}

bool unit_check(struct db *db, const struct unit_input *u, int64_t self_id, json_t *errors)
{
    if (empty(u->code)) {
        add_error(errors, "code", _("Hãy nhập mã đơn vị."));
    } else {
        bool ok = strlen(u->code) <= 32;
        for (const char *c = u->code; *c && ok; c++)
            ok = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
                 *c == '.' || *c == '-' || *c == '_';
        if (!ok) {
            add_error(errors, "code",
                      _("Mã đơn vị chỉ gồm chữ không dấu, chữ số và . - _ (tối đa 32 ký tự)."));
        } else {
            struct db_stmt *s = db_query(db, "SELECT id FROM units WHERE code = ? AND id <> ?");
            db_bind_text(s, 1, u->code);
            db_bind_int(s, 2, self_id);
            if (db_step(s) == DB_ROW)
                add_error(errors, "code", _("Mã đơn vị \"%s\" đã được dùng cho đơn vị khác."),
                          u->code);
            db_done(s);
        }
    }
    if (empty(u->name))
        add_error(errors, "name", _("Hãy nhập tên đơn vị."));
    else if (text_length(u->name) < 2 || text_length(u->name) > 200)
        add_error(errors, "name", _("Tên đơn vị dài từ 2 đến 200 ký tự."));
    if (u->short_name && text_length(u->short_name) > 60)
        add_error(errors, "short_name", _("Tên viết tắt dài tối đa 60 ký tự."));
    if (empty(u->kind)) {
        add_error(errors, "kind", _("Hãy chọn loại đơn vị."));
    } else {
        struct db_stmt *s = db_query(db, "SELECT 1 FROM unit_kinds WHERE code = ?");
        db_bind_text(s, 1, u->kind);
        if (db_step(s) != DB_ROW)
            add_error(errors, "kind", _("Loại đơn vị \"%s\" không có trong danh mục."), u->kind);
        db_done(s);
    }
    if (u->parent_id) {
        if (!exists(db, "SELECT 1 FROM units WHERE id = ?", u->parent_id)) {
            add_error(errors, "parent_id", _("Đơn vị cấp trên không tồn tại."));
        } else {
            /* walk up from the new parent: meeting self would close a cycle,
             * and the tree stays within UNIT_MAX_LEVELS levels */
            int64_t at = u->parent_id;
            int levels = 1;
            for (; at && levels <= UNIT_MAX_LEVELS; levels++) {
                if (self_id && at == self_id) {
                    add_error(errors, "parent_id",
                              _("Không thể chọn chính đơn vị này hoặc đơn vị cấp dưới của nó "
                                "làm đơn vị cấp trên."));
                    break;
                }
                struct db_stmt *s = db_query(db, "SELECT parent_id FROM units WHERE id = ?");
                db_bind_int(s, 1, at);
                at = db_step(s) == DB_ROW && !db_col_is_null(s, 0) ? db_col_int(s, 0) : 0;
                db_done(s);
            }
            if (levels > UNIT_MAX_LEVELS)
                add_error(errors, "parent_id", _("Cây đơn vị có tối đa %d cấp."), UNIT_MAX_LEVELS);
        }
    }
    if (u->active_from && u->active_to && strcmp(u->active_to, u->active_from) < 0)
        add_error(errors, "active_to", _("Ngày ngừng hoạt động phải sau ngày bắt đầu hoạt động."));
    return json_object_size(errors) == 0;
}

bool person_check(struct db *db, const struct person_input *p, json_t *errors)
{
    if (empty(p->full_name)) {
        add_error(errors, "full_name", _("Hãy nhập họ và tên."));
    } else {
        size_t n = text_length(p->full_name);
        bool digits = strpbrk(p->full_name, "0123456789") != NULL;
        if (n < 2 || n > 100)
            add_error(errors, "full_name", _("Họ và tên dài từ 2 đến 100 ký tự."));
        else if (digits)
            add_error(errors, "full_name", _("Họ và tên không được chứa chữ số."));
    }
    if (empty(p->gender) || (strcmp(p->gender, "nam") != 0 && strcmp(p->gender, "nu") != 0))
        add_error(errors, "gender", _("Hãy chọn giới tính Nam hoặc Nữ."));
    int year = current_year();
    if (p->birth_year && (p->birth_year < 1900 || p->birth_year > year))
        add_error(errors, "birth_year", _("Năm sinh phải từ 1900 đến %d."), year);
    if (p->position && text_length(p->position) > 200)
        add_error(errors, "position", _("Chức vụ dài tối đa 200 ký tự."));
    if (!p->unit_id)
        add_error(errors, "unit_id", _("Hãy chọn đơn vị công tác."));
    else if (!exists(db, "SELECT 1 FROM units WHERE id = ?", p->unit_id))
        add_error(errors, "unit_id", _("Đơn vị công tác không tồn tại."));
    return json_object_size(errors) == 0;
}

/* The unit's search text: its names and its code, folded. */
static char *unit_search_text(const struct unit_input *u)
{
    char *joined = xasprintf("%s %s %s", u->name, u->short_name ? u->short_name : "", u->code);
    char *f = text_fold(joined);
    free(joined);
    return f;
}

/* Vietnamese lists order persons by given name, then middle, then family
 * name: the key joins the three ICU keys with 0x00, which sorts below every
 * byte of a key, so a shorter given name sorts first. */
static uint8_t *person_sort_key(const char *full_name, size_t *len)
{
    char *family, *middle, *given;
    text_split_name(full_name, &family, &middle, &given);
    const char *parts[3] = {given, middle, family};
    struct buf b = BUF_INIT;
    for (int i = 0; i < 3; i++) {
        size_t n;
        uint8_t *k = text_sort_key(parts[i], &n);
        buf_add(&b, k, n);
        buf_addc(&b, '\0');
        free(k);
    }
    free(family), free(middle), free(given);
    *len = b.len;
    return (uint8_t *)buf_detach(&b);
}

/* name_rank: each person's place in Vietnamese name order (sort_key, then
 * id), as a number with gaps, so the SQLite search index keyed by it yields
 * matches in name order. A new or renamed person takes a number between its
 * two neighbours; a run of people appended at the same place steps forward by
 * RANK_STEP, so thousands fit before the gap is used up; then every rank is
 * renumbered RANK_GAP apart (rare, one statement). */
static const int64_t RANK_GAP = (int64_t)1 << 32;
static const int64_t RANK_STEP = (int64_t)1 << 20;

/* The rank of the neighbour before (dir < 0) or after (dir > 0) the place of
 * key/id, ignoring person self. Returns false when there is none. */
static bool rank_neighbour(struct db *db, const uint8_t *key, size_t klen, int64_t id,
                           int64_t self, int dir, int64_t *rank)
{
    /* two index seeks, so both databases use the (sort_key, id) index */
    const char *same = dir < 0 ? "SELECT name_rank FROM persons WHERE sort_key = ? AND id < ? "
                                 "AND id <> ? ORDER BY id DESC LIMIT 1"
                               : "SELECT name_rank FROM persons WHERE sort_key = ? AND id > ? "
                                 "AND id <> ? ORDER BY id LIMIT 1";
    const char *other = dir < 0 ? "SELECT name_rank FROM persons WHERE sort_key < ? AND id <> ? "
                                  "ORDER BY sort_key DESC, id DESC LIMIT 1"
                                : "SELECT name_rank FROM persons WHERE sort_key > ? AND id <> ? "
                                  "ORDER BY sort_key, id LIMIT 1";
    struct db_stmt *s = db_query(db, same);
    db_bind_blob(s, 1, key, klen);
    db_bind_int(s, 2, id);
    db_bind_int(s, 3, self);
    bool found = db_step(s) == DB_ROW;
    if (found)
        *rank = db_col_int(s, 0);
    db_done(s);
    if (found)
        return true;
    s = db_query(db, other);
    db_bind_blob(s, 1, key, klen);
    db_bind_int(s, 2, self);
    found = db_step(s) == DB_ROW;
    if (found)
        *rank = db_col_int(s, 0);
    db_done(s);
    return found;
}

/* Gives every person a fresh rank, RANK_GAP apart, in name order. The
 * temporary values sit above every current rank and the final ones below
 * zero, so no step of either UPDATE meets the UNIQUE constraint. */
static enum result rank_renumber(struct db *db)
{
    int64_t top = db_scalar_int(db, "SELECT coalesce(max(name_rank), 0) FROM persons", 0);
    struct db_stmt *s = db_query(db, "UPDATE persons SET name_rank = ? + id");
    db_bind_int(s, 1, (top > 0 ? top : 0) + 1);
    db_step(s);
    if (db_done(s) != DB_DONE)
        return E_DB;
    int64_t n = db_scalar_int(db, "SELECT count(*) FROM persons", 0);
    s = db_query(db, "UPDATE persons SET name_rank = r.rn FROM (SELECT id, "
                     "(row_number() OVER (ORDER BY sort_key, id) - 1 - ?) * ? AS rn "
                     "FROM persons) r WHERE persons.id = r.id");
    db_bind_int(s, 1, n);
    db_bind_int(s, 2, RANK_GAP);
    db_step(s);
    db_note_change(db, "persons");
    return db_done(s) == DB_DONE ? OK : E_DB;
}

/* The rank for person self (0 when new, placed after every equal name) with
 * sort key key. current is its rank now (ignored when self is 0): kept when it
 * still lies between the neighbours. */
static enum result person_rank(struct db *db, const uint8_t *key, size_t klen, int64_t self,
                               int64_t current, int64_t *rank)
{
    int64_t id = self ? self : INT64_MAX;
    for (int attempt = 0; attempt < 2; attempt++) {
        int64_t before = 0, after = 0;
        bool has_before = rank_neighbour(db, key, klen, id, self, -1, &before);
        bool has_after = rank_neighbour(db, key, klen, id, self, +1, &after);
        if (self && (!has_before || current > before) && (!has_after || current < after)) {
            *rank = current;
            return OK;
        }
        if (!has_before && !has_after) {
            *rank = 0;
            return OK;
        }
        if (!has_after && before < INT64_MAX - RANK_GAP) {
            *rank = before + RANK_GAP;
            return OK;
        }
        if (!has_before && after > INT64_MIN + RANK_GAP) {
            *rank = after - RANK_GAP;
            return OK;
        }
        if (has_before && has_after && after - before >= 2) {
            int64_t half = (after - before) / 2;
            *rank = before + (half < RANK_STEP ? half : RANK_STEP);
            return OK;
        }
        if (rank_renumber(db) != OK)
            return E_DB;
        if (self)
            current = db_scalar_int_arg(db, "SELECT name_rank FROM persons WHERE id = ?", self);
    }
    return E_DB;
}

static void bind_opt_text(struct db_stmt *s, int idx, const char *v)
{
    db_bind_text(s, idx, empty(v) ? NULL : v);
}

/* Inserts (id 0) or updates unit id at version; the statements share their
 * first ten parameters. */
static enum result unit_write(struct db *db, int64_t id, int64_t version,
                              const struct unit_input *u, int64_t *new_id)
{
    char now[21];
    date_now_utc(now);
    char *search = unit_search_text(u);
    size_t klen;
    uint8_t *key = text_sort_key(u->name, &klen);
    struct db_stmt *s = db_query(
        db, id ? "UPDATE units SET parent_id = ?, kind = ?, code = ?, name = ?, short_name = ?, "
                 "active_from = ?, active_to = ?, search = ?, sort_key = ?, updated_at = ?, "
                 "version = version + 1 WHERE id = ? AND version = ? RETURNING id"
               : "INSERT INTO units (parent_id, kind, code, name, short_name, active_from, "
                 "active_to, search, sort_key, updated_at, created_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (u->parent_id)
        db_bind_int(s, 1, u->parent_id);
    else
        db_bind_null(s, 1);
    db_bind_text(s, 2, u->kind);
    db_bind_text(s, 3, u->code);
    db_bind_text(s, 4, u->name);
    db_bind_text(s, 5, u->short_name ? u->short_name : "");
    bind_opt_text(s, 6, u->active_from);
    bind_opt_text(s, 7, u->active_to);
    db_bind_text(s, 8, search);
    db_bind_blob(s, 9, key, klen);
    db_bind_text(s, 10, now);
    if (id) {
        db_bind_int(s, 11, id);
        db_bind_int(s, 12, version);
    } else {
        db_bind_text(s, 11, now);
    }
    enum db_step r = db_step(s);
    if (r == DB_ROW && new_id)
        *new_id = db_col_int(s, 0);
    bool unique = db_last_was_unique_violation(db);
    db_done(s);
    free(search);
    free(key);
    if (r == DB_ERROR)
        return unique ? E_CONFLICT : E_DB;
    return r == DB_ROW ? OK : E_CONFLICT;
}

enum result unit_insert(struct db *db, const struct unit_input *u, int64_t *id)
{
    return unit_write(db, 0, 0, u, id);
}

enum result unit_update(struct db *db, int64_t id, int64_t version, const struct unit_input *u)
{
    return unit_write(db, id, version, u, NULL);
}

enum result unit_set_active_to(struct db *db, int64_t id, const char *date)
{
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(db, "UPDATE units SET active_to = ?, updated_at = ?, "
                                     "version = version + 1 WHERE id = ? RETURNING id");
    db_bind_text(s, 1, date);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, id);
    enum db_step r = db_step(s);
    db_done(s);
    return r == DB_ROW ? OK : r == DB_DONE ? E_NOTFOUND : E_DB;
}

/* Inserts (id 0) or updates person id at version; the statements share their
 * first twelve parameters, derived here once: name parts, search text, sort
 * key and rank. */
static enum result person_write(struct db *db, int64_t id, int64_t version,
                                const struct person_input *p, int64_t *new_id)
{
    char now[21];
    date_now_utc(now);
    char *family, *middle, *given;
    text_split_name(p->full_name, &family, &middle, &given);
    char *search = text_fold(p->full_name);
    size_t klen;
    uint8_t *key = person_sort_key(p->full_name, &klen);
    int64_t current = id ? db_scalar_int_arg(db, "SELECT name_rank FROM persons WHERE id = ?", id)
                         : 0;
    int64_t rank = 0;
    enum db_step r = DB_ERROR;
    if (person_rank(db, key, klen, id, current, &rank) == OK) {
        struct db_stmt *s = db_query(
            db, id ? "UPDATE persons SET unit_id = ?, full_name = ?, family_name = ?, "
                     "middle_name = ?, given_name = ?, gender = ?, birth_year = ?, position = ?, "
                     "search = ?, sort_key = ?, updated_at = ?, name_rank = ?, "
                     "version = version + 1 WHERE id = ? AND version = ? RETURNING id"
                   : "INSERT INTO persons (unit_id, full_name, family_name, middle_name, "
                     "given_name, gender, birth_year, position, search, sort_key, updated_at, "
                     "name_rank, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     "RETURNING id");
        db_bind_int(s, 1, p->unit_id);
        db_bind_text(s, 2, p->full_name);
        db_bind_text(s, 3, family);
        db_bind_text(s, 4, middle);
        db_bind_text(s, 5, given);
        db_bind_text(s, 6, p->gender);
        if (p->birth_year)
            db_bind_int(s, 7, p->birth_year);
        else
            db_bind_null(s, 7);
        db_bind_text(s, 8, p->position ? p->position : "");
        db_bind_text(s, 9, search);
        db_bind_blob(s, 10, key, klen);
        db_bind_text(s, 11, now);
        db_bind_int(s, 12, rank);
        if (id) {
            db_bind_int(s, 13, id);
            db_bind_int(s, 14, version);
        } else {
            db_bind_text(s, 13, now);
        }
        r = db_step(s);
        if (r == DB_ROW && new_id)
            *new_id = db_col_int(s, 0);
        db_done(s);
        db_note_change(db, "persons");
    }
    free(family), free(middle), free(given), free(search), free(key);
    if (r == DB_ERROR)
        return E_DB;
    return r == DB_ROW ? OK : E_CONFLICT; /* no row updated: another edit came first */
}

enum result person_insert(struct db *db, const struct person_input *p, int64_t *id)
{
    return person_write(db, 0, 0, p, id);
}

enum result person_update(struct db *db, int64_t id, int64_t version, const struct person_input *p)
{
    return person_write(db, id, version, p, NULL);
}

enum result person_set_active(struct db *db, int64_t id, bool active)
{
    char now[21];
    date_now_utc(now);
    struct db_stmt *s = db_query(db, "UPDATE persons SET active = ?, updated_at = ?, "
                                     "version = version + 1 WHERE id = ? RETURNING id");
    db_bind_int(s, 1, active);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, id);
    enum db_step r = db_step(s);
    db_done(s);
    db_note_change(db, "persons");
    return r == DB_ROW ? OK : r == DB_DONE ? E_NOTFOUND : E_DB;
}

json_t *registry_opt_string(struct db_stmt *s, int col)
{
    return db_col_is_null(s, col) ? json_null() : json_string(db_col_text(s, col));
}

bool registry_is_active(const char *from, const char *to, const char *today)
{
    return (!from || !*from || strcmp(from, today) <= 0) && (!to || !*to || strcmp(to, today) > 0);
}

/* Dates as people read them, beside the ISO dates the JSON API keeps. */
void registry_add_dmy(json_t *u)
{
    const char *keys[] = {"active_from", "active_to"};
    for (int i = 0; i < 2; i++) {
        char dmy[11];
        date_to_dmy(json_string_value(json_object_get(u, keys[i])), dmy);
        json_object_set_new(u, i ? "active_to_dmy" : "active_from_dmy", json_string(dmy));
    }
}

json_t *unit_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(
        db, "SELECT u.id, u.code, u.name, u.short_name, u.kind, k.name, u.parent_id, "
            "u.active_from, u.active_to, u.version, u.created_at, u.updated_at, "
            "(SELECT count(*) FROM units c WHERE c.parent_id = u.id), "
            "(SELECT count(*) FROM persons p WHERE p.unit_id = u.id AND p.active = 1) "
            "FROM units u JOIN unit_kinds k ON k.code = u.kind WHERE u.id = ?");
    db_bind_int(s, 1, id);
    if (db_step(s) != DB_ROW) {
        db_done(s);
        return NULL;
    }
    char today[11];
    date_today(today);
    json_t *u = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:I,s:s,s:s,s:I,s:I}", "id",
                          (json_int_t)db_col_int(s, 0), "code", db_col_text(s, 1), "name",
                          db_col_text(s, 2), "short_name", db_col_text(s, 3), "kind",
                          db_col_text(s, 4), "kind_name", db_col_text(s, 5), "active_from",
                          registry_opt_string(s, 7), "active_to", registry_opt_string(s, 8), "version",
                          (json_int_t)db_col_int(s, 9), "created_at", db_col_text(s, 10),
                          "updated_at", db_col_text(s, 11), "children_count",
                          (json_int_t)db_col_int(s, 12), "persons_count",
                          (json_int_t)db_col_int(s, 13));
    json_object_set_new(u, "active", json_boolean(registry_is_active(db_col_text(s, 7),
                                                            db_col_text(s, 8), today)));
    registry_add_dmy(u);
    int64_t parent = db_col_is_null(s, 6) ? 0 : db_col_int(s, 6);
    db_done(s);
    /* the path from the top of the tree down to the parent */
    json_t *path = json_array();
    for (int depth = 0; parent && depth < 64; depth++) {
        s = db_query(db, "SELECT id, name, parent_id FROM units WHERE id = ?");
        db_bind_int(s, 1, parent);
        if (db_step(s) != DB_ROW) {
            db_done(s);
            break;
        }
        json_array_insert_new(path, 0, json_pack("{s:I,s:s}", "id", (json_int_t)db_col_int(s, 0),
                                                 "name", db_col_text(s, 1)));
        parent = db_col_is_null(s, 2) ? 0 : db_col_int(s, 2);
        db_done(s);
    }
    json_object_set_new(u, "parent", json_array_size(path)
                                         ? json_deep_copy(json_array_get(path, json_array_size(path) - 1))
                                         : json_null());
    json_object_set_new(u, "path", path);
    return u;
}

json_t *person_get(struct db *db, int64_t id)
{
    struct db_stmt *s = db_query(
        db, "SELECT p.id, p.full_name, p.family_name, p.middle_name, p.given_name, p.gender, "
            "p.birth_year, p.position, p.active, p.version, p.unit_id, u.name, p.created_at, "
            "p.updated_at FROM persons p JOIN units u ON u.id = p.unit_id WHERE p.id = ?");
    db_bind_int(s, 1, id);
    if (db_step(s) != DB_ROW) {
        db_done(s);
        return NULL;
    }
    json_t *p = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:b,s:I,s:{s:I,s:s},s:s,s:s}", "id",
        (json_int_t)db_col_int(s, 0), "full_name", db_col_text(s, 1), "family_name",
        db_col_text(s, 2), "middle_name", db_col_text(s, 3), "given_name", db_col_text(s, 4),
        "gender", db_col_text(s, 5), "gender_name",
        strcmp(db_col_text(s, 5), "nu") == 0 ? _("Nữ") : _("Nam"), "birth_year",
        db_col_is_null(s, 6) ? json_null() : json_integer(db_col_int(s, 6)), "position",
        db_col_text(s, 7), "active", (int)db_col_int(s, 8), "version",
        (json_int_t)db_col_int(s, 9), "unit", "id", (json_int_t)db_col_int(s, 10), "name",
        db_col_text(s, 11), "created_at", db_col_text(s, 12), "updated_at", db_col_text(s, 13));
    db_done(s);
    return p;
}

int64_t unit_id_by_code(struct db *db, const char *code)
{
    struct db_stmt *s = db_query(db, "SELECT id FROM units WHERE code = ?");
    db_bind_text(s, 1, code);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_done(s);
    return id;
}

json_t *unit_kinds(struct db *db)
{
    json_t *kinds = json_array();
    struct db_stmt *s = db_query(db, "SELECT code, name FROM unit_kinds ORDER BY position");
    while (db_step(s) == DB_ROW)
        json_array_append_new(kinds, json_pack("{s:s,s:s}", "code", db_col_text(s, 0), "name",
                                               db_col_text(s, 1)));
    db_done(s);
    return kinds;
}

enum result registry_refresh_sort_keys(struct db *db, struct err *e)
{
    const char *version = text_collator_version();
    struct db_stmt *s = db_query(db, "SELECT value FROM meta WHERE key = 'collator_version'");
    bool same = db_step(s) == DB_ROW && strcmp(db_col_text(s, 0), version) == 0;
    db_done(s);
    if (same)
        return OK;
    if (db_begin(db) != OK)
        return err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu: %s"), db_errmsg(db));
    /* read ids first: a statement cannot be stepped while the same table is rewritten on PG */
    json_t *rows = json_array();
    s = db_query(db, "SELECT id, name FROM units");
    while (db_step(s) == DB_ROW)
        json_array_append_new(rows, json_pack("[I,s,i]", (json_int_t)db_col_int(s, 0),
                                              db_col_text(s, 1), 0));
    db_done(s);
    s = db_query(db, "SELECT id, full_name FROM persons");
    while (db_step(s) == DB_ROW)
        json_array_append_new(rows, json_pack("[I,s,i]", (json_int_t)db_col_int(s, 0),
                                              db_col_text(s, 1), 1));
    db_done(s);
    bool ok = true;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        int64_t id = json_integer_value(json_array_get(row, 0));
        const char *name = json_string_value(json_array_get(row, 1));
        bool person = json_integer_value(json_array_get(row, 2));
        size_t klen;
        uint8_t *key = person ? person_sort_key(name, &klen) : text_sort_key(name, &klen);
        s = db_query(db, person ? "UPDATE persons SET sort_key = ? WHERE id = ?"
                                : "UPDATE units SET sort_key = ? WHERE id = ?");
        db_bind_blob(s, 1, key, klen);
        db_bind_int(s, 2, id);
        ok = ok && db_step(s) == DB_DONE;
        db_done(s);
        free(key);
    }
    json_decref(rows);
    ok = ok && rank_renumber(db) == OK;
    s = db_query(db, "DELETE FROM meta WHERE key = 'collator_version'");
    ok = ok && db_step(s) == DB_DONE;
    db_done(s);
    s = db_query(db, "INSERT INTO meta (key, value) VALUES ('collator_version', ?)");
    db_bind_text(s, 1, version);
    ok = ok && db_step(s) == DB_DONE;
    db_done(s);
    if (!ok || db_commit(db) != OK) {
        db_rollback(db);
        return err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu: %s"), db_errmsg(db));
    }
    return OK;
}
