/* The account commands: tdkt user …, tdkt audit verify, tdkt routes, and the
 * demo accounts of `tdkt init --demo`. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/cli_int.h"
#include "db/db.h"
#include "features/audit.h"
#include "features/auth.h"
#include "features/registry.h"
#include "features/routes.h"
#include "features/users.h"
#include "lib/i18n.h"
#include "text/text.h"

/* One line from standard input, without echo when it is a terminal. */
static bool read_password(const char *prompt, char *out, size_t size)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios old, quiet;
    if (tty) {
        fputs(prompt, stderr);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    bool ok = fgets(out, (int)size, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    if (!ok)
        return false;
    out[strcspn(out, "\r\n")] = '\0';
    return true;
}

/* A password from standard input, checked like the web form checks it. */
static bool new_password(const char *login, char *out, size_t size)
{
    if (!read_password(_("Mật khẩu mới: "), out, size)) {
        fprintf(stderr, _("tdkt: hãy nhập mật khẩu ở đầu vào chuẩn\n"));
        return false;
    }
    char *clean = NULL;
    struct err e = {0};
    if (text_clean(out, strlen(out), 0, "password", &clean, &e) != OK) {
        fprintf(stderr, "tdkt: %s\n", e.msg);
        return false;
    }
    snprintf(out, size, "%s", clean);
    free(clean);
    const char *problem = auth_password_problem(out, login);
    if (problem) {
        fprintf(stderr, "tdkt: %s\n", problem);
        return false;
    }
    return true;
}

/* Creates a user (checked like the admin form) and records it. */
static int add_user(struct db *db, const struct user_input *u, const char *password, bool quiet)
{
    char login[65], hash[128];
    json_t *errors = json_object();
    bool valid = user_check(db, u, 0, errors, login);
    if (!valid) {
        const char *field;
        json_t *msg;
        json_object_foreach(errors, field, msg)
            fprintf(stderr, "tdkt: %s: %s\n", field, json_string_value(msg));
        json_decref(errors);
        return CLI_DATA;
    }
    json_decref(errors);
    if (!auth_password_hash(password, hash))
        return fprintf(stderr, "tdkt: out of memory\n"), CLI_FAIL;
    int64_t id = 0;
    struct audit_actor who = audit_actor_cli();
    struct err e = {0};
    enum result rc = db_begin(db);
    if (rc == OK)
        rc = user_insert(db, u, login, hash, &id);
    sodium_memzero(hash, sizeof hash);
    json_t *after = rc == OK ? user_get(db, id) : NULL;
    if (rc == OK)
        rc = audit_append(db, &who, "create", "user", id, NULL, after, &e);
    json_decref(after);
    if (rc == OK)
        rc = db_commit(db);
    if (rc != OK) {
        db_rollback(db);
        fprintf(stderr, _("tdkt: không tạo được tài khoản %s: %s\n"), login,
                rc == E_CONFLICT ? _("tên đã có") : db_errmsg(db));
        return CLI_FAIL;
    }
    if (!quiet)
        printf(_("Đã tạo tài khoản %s (%s).\n"), login, u->role);
    return CLI_OK;
}

static int user_add(struct db *db, const struct options *o)
{
    if (o->nargs != 2 || !o->role) {
        fprintf(stderr, _("tdkt: cách dùng: tdkt user add TÊN --role VAI_TRÒ [--unit MÃ] "
                          "[--name \"HỌ TÊN\"]\n"));
        return CLI_USAGE;
    }
    struct user_input u = {.login = o->args[1], .display_name = o->name ? o->name : o->args[1],
                           .role = o->role, .email = o->email};
    if (o->unit) {
        u.unit_id = unit_id_by_code(db, o->unit);
        if (!u.unit_id) {
            fprintf(stderr, _("tdkt: không có đơn vị mã \"%s\"\n"), o->unit);
            return CLI_DATA;
        }
    }
    char password[512];
    if (!new_password(o->args[1], password, sizeof password))
        return CLI_DATA;
    int code = add_user(db, &u, password, false);
    sodium_memzero(password, sizeof password);
    return code;
}

/* passwd / disable / enable: one user by login, one change, one audit entry. */
static int user_change(struct db *db, const struct options *o, const char *what)
{
    if (o->nargs != 2) {
        fprintf(stderr, _("tdkt: cách dùng: tdkt user %s TÊN\n"), what);
        return CLI_USAGE;
    }
    char login[LOGIN_MAX + 1];
    const char *problem = auth_login_normalise(o->args[1], login);
    int64_t id = problem ? 0 : user_id_by_login(db, login);
    if (!id) {
        fprintf(stderr, _("tdkt: không có tài khoản \"%s\"\n"), o->args[1]);
        return CLI_DATA;
    }
    char hash[128] = "";
    if (strcmp(what, "passwd") == 0) {
        char password[512];
        if (!new_password(login, password, sizeof password))
            return CLI_DATA;
        bool ok = auth_password_hash(password, hash);
        sodium_memzero(password, sizeof password);
        if (!ok)
            return fprintf(stderr, "tdkt: out of memory\n"), CLI_FAIL;
    }
    struct audit_actor who = audit_actor_cli();
    struct err e = {0};
    enum result rc = db_begin(db);
    json_t *before = user_get(db, id);
    if (rc == OK) {
        if (hash[0])
            rc = user_set_password(db, id, hash);
        else
            rc = user_set_disabled(db, id, strcmp(what, "disable") == 0);
    }
    sodium_memzero(hash, sizeof hash);
    if (rc == OK && strcmp(what, "enable") != 0)
        rc = auth_sessions_end_user(db, id);
    json_t *after = user_get(db, id);
    const char *action = strcmp(what, "passwd") == 0 ? "password_reset" : what;
    if (rc == OK)
        rc = audit_append(db, &who, action, "user", id, before, after, &e);
    json_decref(before);
    json_decref(after);
    if (rc == OK)
        rc = db_commit(db);
    if (rc != OK) {
        db_rollback(db);
        fprintf(stderr, "tdkt: %s\n", e.msg[0] ? e.msg : db_errmsg(db));
        return CLI_FAIL;
    }
    printf(strcmp(what, "passwd") == 0    ? _("Đã đặt mật khẩu mới cho %s; các phiên cũ đã kết thúc.\n")
           : strcmp(what, "disable") == 0 ? _("Đã khóa tài khoản %s; các phiên đã kết thúc.\n")
                                          : _("Đã mở khóa tài khoản %s.\n"),
           login);
    return CLI_OK;
}

static int user_list(struct db *db)
{
    struct db_stmt *s = db_query(db, "SELECT u.login, u.role, u.disabled, u.display_name, "
                                     "coalesce(un.code, '') FROM users u LEFT JOIN units un "
                                     "ON un.id = u.unit_id ORDER BY u.login");
    while (db_step(s) == DB_ROW)
        printf("%-24s %-8s %-8s %-12s %s\n", db_col_text(s, 0), db_col_text(s, 1),
               db_col_int(s, 2) ? _("khóa") : _("dùng"), db_col_text(s, 4), db_col_text(s, 3));
    return db_done(s) == DB_ERROR ? CLI_FAIL : CLI_OK;
}

int cli_user(const struct options *o)
{
    const char *sub = o->nargs ? o->args[0] : "";
    bool known = strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0 ||
                 strcmp(sub, "disable") == 0 || strcmp(sub, "enable") == 0 ||
                 strcmp(sub, "list") == 0;
    if (!known) {
        fprintf(stderr, _("tdkt: cách dùng: tdkt user add|passwd|disable|enable|list …\n"));
        return CLI_USAGE;
    }
    int code = CLI_OK;
    struct db *db = cli_open_db(o, &code);
    if (!db)
        return code;
    if (strcmp(sub, "add") == 0)
        code = user_add(db, o);
    else if (strcmp(sub, "list") == 0)
        code = user_list(db);
    else
        code = user_change(db, o, sub);
    db_close(db);
    return code;
}

int cli_audit(const struct options *o)
{
    if (o->nargs != 1 || strcmp(o->args[0], "verify") != 0) {
        fprintf(stderr, _("tdkt: cách dùng: tdkt audit verify\n"));
        return CLI_USAGE;
    }
    int code = CLI_OK;
    struct db *db = cli_open_db(o, &code);
    if (!db)
        return code;
    int64_t count, bad;
    char head[65];
    struct err e = {0};
    enum result rc = audit_verify(db, &count, head, &bad, &e);
    db_close(db);
    if (rc == E_CONFLICT) {
        fprintf(stderr, _("tdkt: nhật ký thay đổi KHÔNG còn nguyên vẹn, từ mục %lld: %s\n"),
                (long long)bad, e.msg);
        return CLI_DATA;
    }
    if (rc != OK) {
        fprintf(stderr, "tdkt: %s\n", e.msg);
        return CLI_FAIL;
    }
    printf(_("Nhật ký thay đổi nguyên vẹn: %lld mục, mã băm cuối %s\n"), (long long)count, head);
    return CLI_OK;
}

int cli_routes(void)
{
    json_t *out = json_array();
    for (size_t i = 0; i < app_routes_count; i++) {
        const struct route *r = &app_routes[i];
        json_t *roles = json_array();
        for (unsigned bit = ROLE_ADMIN; bit <= ROLE_UNIT; bit <<= 1)
            if (r->permission & bit)
                json_array_append_new(roles, json_string(auth_role_name((enum role_bit)bit)));
        json_t *methods = json_array();
        if (r->methods & HTTP_GET)
            json_array_append_new(methods, json_string("GET"));
        if (r->methods & HTTP_POST)
            json_array_append_new(methods, json_string("POST"));
        json_array_append_new(out, json_pack("{s:o,s:s,s:o,s:b,s:b}", "methods", methods, "pattern",
                                             r->pattern, "roles", roles, "public",
                                             r->permission == PERM_PUBLIC, "csrf", r->csrf));
    }
    char *text = json_dumps(out, JSON_INDENT(1));
    puts(text);
    free(text);
    json_decref(out);
    return CLI_OK;
}

/* The demo's password is printed by `make run`; demo data is never real. */
static const char DEMO_PASSWORD[] = "tdkt-demo-2026";

int cli_demo_accounts(struct db *db)
{
    static const struct {
        const char *login, *name, *role, *unit;
    } demo[] = {
        {"admin", "Quản trị hệ thống", "admin", NULL},
        {"vanphong", "Nguyễn Thị Thu Hà", "office", NULL},
        {"hoidong", "Trần Văn Minh", "council", NULL},
        {"sonoivu", "Lê Thị Hồng Nhung", "unit", "SNV"},
        {"mttq", "Phạm Quốc Bảo", "unit", "MTTQ"},
    };
    for (size_t i = 0; i < sizeof demo / sizeof demo[0]; i++) {
        struct user_input u = {.login = demo[i].login, .display_name = demo[i].name,
                               .role = demo[i].role};
        if (demo[i].unit && !(u.unit_id = unit_id_by_code(db, demo[i].unit)))
            continue;
        int code = add_user(db, &u, DEMO_PASSWORD, true);
        if (code != CLI_OK)
            return code;
    }
    printf(_("Tài khoản mẫu (mật khẩu %s): admin (quản trị), vanphong (cơ quan thường trực), "
             "hoidong (hội đồng), sonoivu (Sở Nội vụ), mttq (Ủy ban MTTQ tỉnh).\n"),
           DEMO_PASSWORD);
    return CLI_OK;
}
