#include "features/registry_io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "docs/xlsx_read.h"
#include "docs/xlsx_write.h"
#include "features/audit.h"
#include "features/files.h"
#include "lib/date.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"
#include "text/text.h"

enum { MAX_REPORTED = 200 };

/* A column the importer reads: the header text and the record field it feeds. */
struct column {
    const char *header; /* msgid, matched folded */
    const char *field;  /* the name unit_check / person_check use in errors */
    bool required;
    int index;          /* found position, -1 when absent */
};

static struct column unit_columns[] = {
    {N_("Mã đơn vị"), "code", true, -1},
    {N_("Tên đơn vị"), "name", true, -1},
    {N_("Tên viết tắt"), "short_name", false, -1},
    {N_("Loại đơn vị"), "kind", true, -1},
    {N_("Mã đơn vị cấp trên"), "parent_id", false, -1},
    {N_("Ngày bắt đầu hoạt động"), "active_from", false, -1},
    {N_("Ngày ngừng hoạt động"), "active_to", false, -1},
};

static struct column person_columns[] = {
    {N_("Mã số"), "id", false, -1},
    {N_("Họ và tên"), "full_name", true, -1},
    {N_("Giới tính"), "gender", true, -1},
    {N_("Năm sinh"), "birth_year", false, -1},
    {N_("Chức vụ"), "position", false, -1},
    {N_("Mã đơn vị"), "unit_id", true, -1},
};

struct import {
    struct db *db;
    const struct xlsx_sheet *sheet;
    struct column *cols;
    size_t ncols;
    json_t *errors;
    size_t header_row;
};

static void report_error(struct import *im, size_t row_number, const char *field, const char *msg)
{
    if (json_array_size(im->errors) >= MAX_REPORTED)
        return;
    int col = -1;
    const char *header = "";
    for (size_t i = 0; i < im->ncols; i++) {
        if (strcmp(im->cols[i].field, field) == 0) {
            col = im->cols[i].index;
            header = _(im->cols[i].header);
        }
    }
    char ref[16] = "";
    if (col >= 0)
        xlsx_cell_ref(row_number, (size_t)col, ref);
    json_array_append_new(im->errors, json_pack("{s:I,s:s,s:s,s:s}", "row", (json_int_t)row_number,
                                                "cell", ref, "column", header, "message", msg));
}

/* Finds the header row (the first of ten rows holding every required column). */
static enum result find_header(struct import *im, struct err *e)
{
    for (size_t r = 0; r < im->sheet->nrows && r < 10; r++) {
        bool all = true;
        for (size_t c = 0; c < im->ncols; c++) {
            im->cols[c].index = xlsx_find_column(&im->sheet->rows[r], _(im->cols[c].header));
            if (im->cols[c].required && im->cols[c].index < 0)
                all = false;
        }
        if (all) {
            im->header_row = r;
            return OK;
        }
    }
    struct buf names = BUF_INIT;
    for (size_t c = 0; c < im->ncols; c++) {
        if (!im->cols[c].required)
            continue;
        buf_printf(&names, "%s\"%s\"", names.len ? ", " : "", _(im->cols[c].header));
    }
    err_set(e, E_INVALID, "file",
            _("Không tìm thấy dòng tiêu đề có đủ các cột %s trong 10 dòng đầu của trang tính."),
            buf_cstr(&names));
    buf_free(&names);
    return E_INVALID;
}

/* The cleaned text of a column in a row (NULL when empty); a cell that is
 * not valid text is recorded in errors under its field. */
static char *cell(struct import *im, const struct xlsx_row *row, const char *field, json_t *errors)
{
    for (size_t i = 0; i < im->ncols; i++) {
        if (strcmp(im->cols[i].field, field) != 0 || im->cols[i].index < 0)
            continue;
        const char *raw = xlsx_cell(row, (size_t)im->cols[i].index);
        char *clean = NULL;
        struct err e = {0};
        if (text_clean(raw, strlen(raw), TEXT_TRIM, field, &clean, &e) != OK) {
            json_object_set_new(errors, field, json_string(e.msg));
            return NULL;
        }
        if (!clean[0]) {
            free(clean);
            return NULL;
        }
        return clean;
    }
    return NULL;
}

/* Excel stores a date as a day number; people also type text dates. */
static bool cell_date(const char *s, char out[11])
{
    return date_parse(s, out) || date_from_excel_serial(s, out);
}

/* A kind given by its code or its name, in any case and marks. */
static char *kind_code(struct db *db, const char *given)
{
    char *want = text_fold(given);
    char *found = NULL;
    struct db_stmt *s = db_query(db, "SELECT code, name FROM unit_kinds");
    while (!found && db_step(s) == DB_ROW) {
        char *name = text_fold(db_col_text(s, 1));
        if (strcmp(db_col_text(s, 0), given) == 0 || strcmp(name, want) == 0)
            found = xstrdup(db_col_text(s, 0));
        free(name);
    }
    db_done(s);
    free(want);
    return found;
}

static void set_error(json_t *errors, const char *field, const char *fmt, const char *arg)
{
    if (json_object_get(errors, field))
        return;
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg);
    utf8_trim_partial(msg);
    json_object_set_new(errors, field, json_string(msg));
}

static void report_all(struct import *im, size_t row_number, json_t *errors)
{
    /* in the order of the columns, so the report reads left to right */
    for (size_t i = 0; i < im->ncols; i++) {
        json_t *msg = json_object_get(errors, im->cols[i].field);
        if (msg)
            report_error(im, row_number, im->cols[i].field, json_string_value(msg));
    }
}

/* One unit row. Returns 1 written, 0 problem reported.
 * Every problem of the row is collected before any is reported, so a row
 * with three mistakes shows three cells. */
static int import_unit_row(struct import *im, const struct xlsx_row *row, int *created, int *updated)
{
    json_t *errors = json_object();
    char *code = cell(im, row, "code", errors), *name = cell(im, row, "name", errors);
    char *short_name = cell(im, row, "short_name", errors), *kind = cell(im, row, "kind", errors);
    char *parent = cell(im, row, "parent_id", errors);
    char *from = cell(im, row, "active_from", errors), *to = cell(im, row, "active_to", errors);
    int result = 0;
    char from_iso[11], to_iso[11];
    char *kcode = kind ? kind_code(im->db, kind) : NULL;
    if (kind && !kcode)
        set_error(errors, "kind", _("Loại đơn vị \"%s\" không có trong danh mục."), kind);
    if (from && !cell_date(from, from_iso))
        set_error(errors, "active_from", "%s", _("Ngày không hợp lệ (dạng ngày/tháng/năm)."));
    if (to && !cell_date(to, to_iso))
        set_error(errors, "active_to", "%s", _("Ngày không hợp lệ (dạng ngày/tháng/năm)."));
    /* a parent from the same file was written before (import_order) */
    int64_t parent_id = parent ? unit_id_by_code(im->db, parent) : 0;
    if (parent && !parent_id)
        set_error(errors, "parent_id",
                  _("Không có đơn vị cấp trên mã \"%s\" (trong hệ thống hoặc trong tệp)."),
                  parent);
    struct unit_input u = {.parent_id = parent_id, .kind = kcode, .code = code, .name = name,
                           .short_name = short_name, .active_from = from ? from_iso : NULL,
                           .active_to = to ? to_iso : NULL};
    int64_t self = code ? unit_id_by_code(im->db, code) : 0;
    if (!unit_check(im->db, &u, self, errors)) {
        report_all(im, row->number, errors);
    } else if (self) {
        struct db_stmt *s = db_query(im->db, "SELECT version FROM units WHERE id = ?");
        db_bind_int(s, 1, self);
        int64_t version = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
        db_done(s);
        if (unit_update(im->db, self, version, &u) == OK)
            (*updated)++, result = 1;
        else
            report_error(im, row->number, "code", _("Không lưu được dòng này."));
    } else {
        int64_t id;
        if (unit_insert(im->db, &u, &id) == OK)
            (*created)++, result = 1;
        else
            report_error(im, row->number, "code", _("Không lưu được dòng này."));
    }
    json_decref(errors);
    free(code), free(name), free(short_name), free(kind), free(parent), free(from), free(to);
    free(kcode);
    return result;
}

static int import_person_row(struct import *im, const struct xlsx_row *row, int *created,
                             int *updated)
{
    json_t *errors = json_object();
    char *id_text = cell(im, row, "id", errors), *name = cell(im, row, "full_name", errors);
    char *gender = cell(im, row, "gender", errors), *year = cell(im, row, "birth_year", errors);
    char *position = cell(im, row, "position", errors), *unit = cell(im, row, "unit_id", errors);
    int result = 0;
    struct person_input p = {.full_name = name, .position = position};
    if (gender) {
        char *g = text_fold(gender);
        p.gender = strcmp(g, "nam") == 0 ? "nam" : strcmp(g, "nu") == 0 ? "nu" : "?";
        free(g);
    }
    if (year) {
        /* Excel may store 1985 as "1985" or "1985.0"; anything else is refused
         * before it is turned into an integer (1e300 does not fit one). */
        char *end;
        double y = strtod(year, &end);
        if (*end || end == year || !isfinite(y) || y < 1 || y > 9999 || y != floor(y))
            set_error(errors, "birth_year", "%s", _("Năm sinh phải là một số, ví dụ 1985."));
        else
            p.birth_year = (int64_t)y;
    }
    if (unit) {
        p.unit_id = unit_id_by_code(im->db, unit);
        if (!p.unit_id)
            set_error(errors, "unit_id", _("Không có đơn vị mã \"%s\"."), unit);
    }
    int64_t self = 0, version = 0;
    if (id_text) {
        char *end;
        self = strtoll(id_text, &end, 10);
        struct db_stmt *s = db_query(im->db, "SELECT version FROM persons WHERE id = ?");
        db_bind_int(s, 1, self);
        bool found = !*end && self > 0 && db_step(s) == DB_ROW;
        version = found ? db_col_int(s, 0) : 0;
        db_done(s);
        if (!found)
            set_error(errors, "id", "%s",
                      _("Mã số không có trong danh sách; để trống ô này khi thêm người mới."));
    }
    if (!person_check(im->db, &p, errors)) {
        report_all(im, row->number, errors);
    } else if (self) {
        if (person_update(im->db, self, version, &p) == OK)
            (*updated)++, result = 1;
        else
            report_error(im, row->number, "id", _("Không lưu được dòng này."));
    } else {
        int64_t id;
        if (person_insert(im->db, &p, &id) == OK)
            (*created)++, result = 1;
        else
            report_error(im, row->number, "full_name", _("Không lưu được dòng này."));
    }
    json_decref(errors);
    free(id_text), free(name), free(gender), free(year), free(position), free(unit);
    return result;
}

/* The cleaned text of a column of a row without recording errors (NULL when
 * empty or not text): used to plan the order of the rows. */
static char *peek(struct import *im, const struct xlsx_row *row, const char *field)
{
    json_t *ignored = json_object();
    char *v = cell(im, row, field, ignored);
    json_decref(ignored);
    return v;
}

struct code_row {
    char *code;
    size_t row;
};

static int code_row_cmp(const void *a, const void *b)
{
    const struct code_row *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* For bsearch: by code only, finding the first row of that code or another. */
static int code_row_cmp_code(const void *a, const void *b)
{
    return strcmp(((const struct code_row *)a)->code, ((const struct code_row *)b)->code);
}

/* The order in which to write the data rows (sheet row indexes from first):
 * for units, every parent given by a code of the same file before its
 * children (depth in the file's own tree, then file order), so one pass
 * suffices; rows whose parents form a loop, and repeated codes, are reported
 * here and left out of the order (*count_out rows remain). Persons keep the
 * file order. Linear apart from one sort. */
static size_t *import_order(struct import *im, enum registry_kind kind, size_t first,
                            size_t *count_out)
{
    const struct xlsx_sheet *sheet = im->sheet;
    size_t n = sheet->nrows - first;
    size_t *order = xcalloc(n ? n : 1, sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = first + i;
    *count_out = n;
    if (kind != REG_UNITS || n == 0)
        return order;
    struct code_row *codes = xcalloc(n, sizeof *codes);
    char **parents = xcalloc(n, sizeof *parents);
    size_t ncodes = 0;
    for (size_t i = 0; i < n; i++) {
        char *code = peek(im, &sheet->rows[first + i], "code");
        if (code)
            codes[ncodes++] = (struct code_row){code, i};
        parents[i] = peek(im, &sheet->rows[first + i], "parent_id");
    }
    qsort(codes, ncodes, sizeof *codes, code_row_cmp);
    for (size_t k = 1; k < ncodes; k++) {
        if (strcmp(codes[k].code, codes[k - 1].code) == 0) {
            char msg[256];
            snprintf(msg, sizeof msg, _("Mã đơn vị \"%s\" đã có ở dòng %zu của tệp."),
                     codes[k].code, sheet->rows[first + codes[k - 1].row].number);
            report_error(im, sheet->rows[first + codes[k].row].number, "code", msg);
        }
    }
    /* parent_of[i]: the row of the same file holding i's parent code, or n */
    size_t *parent_of = xcalloc(n, sizeof *parent_of);
    for (size_t i = 0; i < n; i++) {
        parent_of[i] = n;
        if (!parents[i])
            continue;
        struct code_row key = {parents[i], 0};
        struct code_row *hit = bsearch(&key, codes, ncodes, sizeof *codes, code_row_cmp_code);
        if (hit)
            parent_of[i] = hit->row;
    }
    /* depth in the file's tree, -1 unknown, -2 part of (or under) a loop */
    long *depth = xcalloc(n, sizeof *depth);
    bool *on_path = xcalloc(n, sizeof *on_path);
    size_t *path = xcalloc(n, sizeof *path);
    for (size_t i = 0; i < n; i++)
        depth[i] = -1;
    for (size_t i = 0; i < n; i++) {
        size_t len = 0, x = i;
        while (x < n && depth[x] == -1 && !on_path[x]) {
            on_path[x] = true;
            path[len++] = x;
            x = parent_of[x];
        }
        long base = x >= n ? -1 : on_path[x] ? -2 : depth[x];
        for (size_t k = len; k-- > 0;) {
            on_path[path[k]] = false;
            depth[path[k]] = base == -2 ? -2 : base + (long)(len - k);
        }
    }
    long max_depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (depth[i] == -2)
            report_error(im, sheet->rows[first + i].number, "parent_id",
                         _("Các đơn vị cấp trên trong tệp tạo thành vòng lặp."));
        if (depth[i] > max_depth)
            max_depth = depth[i];
    }
    /* counting sort by depth keeps the file order within a depth */
    size_t *count = xcalloc((size_t)max_depth + 2, sizeof *count);
    for (size_t i = 0; i < n; i++)
        if (depth[i] >= 0)
            count[depth[i] + 1]++;
    for (long d = 1; d <= max_depth + 1; d++)
        count[d] += count[d - 1];
    size_t placed = 0;
    for (size_t i = 0; i < n; i++)
        if (depth[i] >= 0)
            order[count[depth[i]]++] = first + i, placed++;
    *count_out = placed; /* rows in a loop are reported above, not written */
    for (size_t k = 0; k < ncodes; k++)
        free(codes[k].code);
    for (size_t i = 0; i < n; i++)
        free(parents[i]);
    free(codes), free(parents), free(parent_of), free(depth), free(on_path), free(path);
    free(count);
    return order;
}

enum result registry_import(struct db *db, enum registry_kind kind, const char *filename,
                            const void *data, size_t len, const struct audit_actor *who,
                            json_t **report, struct err *e)
{
    *report = NULL;
    struct xlsx_limits lim = xlsx_limits_default();
    lim.max_rows = 250000;
    lim.max_cols = 64;
    lim.max_cell = 4096;
    struct xlsx_sheet *sheet = NULL;
    enum result rc = xlsx_read(data, len, &lim, &sheet, e);
    if (rc != OK)
        return rc;
    struct import im = {.db = db, .sheet = sheet, .errors = json_array()};
    if (kind == REG_UNITS) {
        im.cols = unit_columns;
        im.ncols = sizeof unit_columns / sizeof unit_columns[0];
    } else {
        im.cols = person_columns;
        im.ncols = sizeof person_columns / sizeof person_columns[0];
    }
    if (find_header(&im, e) != OK) {
        xlsx_sheet_free(sheet);
        json_decref(im.errors);
        return E_INVALID;
    }
    if (db_begin(db) != OK) {
        xlsx_sheet_free(sheet);
        json_decref(im.errors);
        return err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu: %s"), db_errmsg(db));
    }
    int created = 0, updated = 0;
    size_t first = im.header_row + 1;
    size_t data_rows = sheet->nrows - first;
    size_t count;
    size_t *order = import_order(&im, kind, first, &count);
    for (size_t i = 0; i < count; i++) {
        const struct xlsx_row *row = &sheet->rows[order[i]];
        if (kind == REG_UNITS)
            import_unit_row(&im, row, &created, &updated);
        else
            import_person_row(&im, row, &created, &updated);
    }
    free(order);
    bool ok = json_array_size(im.errors) == 0;
    int64_t file_id = 0;
    if (ok && file_store(db, filename, "application/vnd.openxmlformats-officedocument."
                                       "spreadsheetml.sheet", data, len, &file_id) != OK) {
        db_rollback(db);
        xlsx_sheet_free(sheet);
        json_decref(im.errors);
        return err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu: %s"), db_errmsg(db));
    }
    if (ok) {
        json_t *what = json_pack("{s:s,s:I,s:i,s:i,s:I}", "file", filename, "file_id",
                                 (json_int_t)file_id, "created", created, "updated", updated,
                                 "rows", (json_int_t)data_rows);
        struct err ae = {0};
        enum result arc = audit_append(db, who, "import", kind == REG_UNITS ? "units" : "persons",
                                       0, NULL, what, &ae);
        json_decref(what);
        if (arc != OK) {
            db_rollback(db);
            xlsx_sheet_free(sheet);
            json_decref(im.errors);
            return err_set(e, E_DB, "", "%s", ae.msg);
        }
    }
    if (ok && db_commit(db) != OK) {
        xlsx_sheet_free(sheet);
        json_decref(im.errors);
        return err_set(e, E_DB, "", _("Lỗi cơ sở dữ liệu: %s"), db_errmsg(db));
    }
    /* fresh planner statistics after a big load; the rows are saved either way */
    if (ok && created > 1000 && db_exec_script(db, "ANALYZE", NULL) != OK)
        fprintf(stderr, "tdkt: ANALYZE after import failed: %s\n", db_errmsg(db));
    if (!ok) {
        db_rollback(db);
        created = updated = 0;
    }
    *report = json_pack("{s:b,s:i,s:i,s:I,s:o,s:I}", "ok", ok, "created", created, "updated",
                        updated, "rows", (json_int_t)data_rows, "errors", im.errors, "file_id",
                        (json_int_t)file_id);
    xlsx_sheet_free(sheet);
    if (!ok)
        return err_set(e, E_INVALID, "file",
                       _("Tệp có %zu lỗi; chưa ghi dòng nào. Hãy sửa các ô được chỉ ra rồi nhập "
                         "lại."),
                       json_array_size(json_object_get(*report, "errors")));
    return OK;
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static void export_unit(json_t *u, void *ctx)
{
    struct xlsx_table_writer *w = ctx;
    char from[11], to[11];
    date_to_dmy(json_string_value(json_object_get(u, "active_from")), from);
    date_to_dmy(json_string_value(json_object_get(u, "active_to")), to);
    json_t *parent = json_object_get(u, "parent");
    xlsx_table_text(w, str(u, "code"));
    xlsx_table_text(w, str(u, "name"));
    xlsx_table_text(w, str(u, "short_name"));
    xlsx_table_text(w, str(u, "kind_name"));
    xlsx_table_text(w, str(parent, "code"));
    xlsx_table_text(w, str(parent, "name"));
    xlsx_table_text(w, from);
    xlsx_table_text(w, to);
    xlsx_table_end_row(w);
}

static void export_person(json_t *p, void *ctx)
{
    struct xlsx_table_writer *w = ctx;
    json_t *unit = json_object_get(p, "unit");
    xlsx_table_int(w, json_integer_value(json_object_get(p, "id")));
    xlsx_table_text(w, str(p, "full_name"));
    xlsx_table_text(w, str(p, "gender_name"));
    json_t *year = json_object_get(p, "birth_year");
    if (json_is_integer(year))
        xlsx_table_int(w, json_integer_value(year));
    else
        xlsx_table_blank(w);
    xlsx_table_text(w, str(p, "position"));
    xlsx_table_text(w, str(unit, "code"));
    xlsx_table_text(w, str(unit, "name"));
    xlsx_table_end_row(w);
}

enum result registry_export(struct db *db, enum registry_kind kind, const struct list_query *q,
                            char **data, size_t *len, struct err *e)
{
    *data = NULL;
    *len = 0;
    struct xlsx_table_writer *w;
    if (kind == REG_UNITS) {
        const char *headers[] = {_("Mã đơn vị"), _("Tên đơn vị"), _("Tên viết tắt"),
                                 _("Loại đơn vị"), _("Mã đơn vị cấp trên"),
                                 _("Tên đơn vị cấp trên"), _("Ngày bắt đầu hoạt động"),
                                 _("Ngày ngừng hoạt động")};
        const double widths[] = {14, 48, 16, 22, 18, 40, 16, 16};
        w = xlsx_table_begin(_("Đơn vị"), _("DANH SÁCH ĐƠN VỊ"), headers, widths, 8, e);
    } else {
        const char *headers[] = {_("Mã số"), _("Họ và tên"), _("Giới tính"), _("Năm sinh"),
                                 _("Chức vụ"), _("Mã đơn vị"), _("Tên đơn vị")};
        const double widths[] = {10, 30, 10, 10, 30, 14, 40};
        w = xlsx_table_begin(_("Cá nhân"), _("DANH SÁCH CÁ NHÂN"), headers, widths, 7, e);
    }
    if (!w)
        return e->code ? e->code : E_IO;
    struct list_query all = *q;
    all.per_page = 0;
    all.each = kind == REG_UNITS ? export_unit : export_person;
    all.ctx = w;
    json_t *r = kind == REG_UNITS ? unit_list(db, &all, e) : person_list(db, &all, e);
    if (!r) {
        xlsx_table_abort(w);
        return e->code;
    }
    json_decref(r);
    return xlsx_table_finish(w, data, len, e);
}
