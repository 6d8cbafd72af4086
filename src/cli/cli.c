#include "cli/cli.h"
#include "cli/cli_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db/db.h"
#include "features/audit.h"
#include "features/auth.h"
#include "features/demo.h"
#include "features/registry.h"
#include "features/registry_io.h"
#include "features/routes.h"
#include "http/http.h"
#include "lib/i18n.h"
#include "lib/totp.h"
#include "lib/xalloc.h"

enum { MAX_IMPORT_FILE = 64 * 1024 * 1024 };

static void usage(FILE *out)
{
    fputs(_("Cách dùng: tdkt LỆNH [TÙY CHỌN]\n"
            "\n"
            "Quản lý thi đua, khen thưởng của Khối, Cụm thi đua.\n"
            "\n"
            "Lệnh:\n"
            "  serve [--listen ĐỊA_CHỈ:CỔNG] [--threads N] [--province TÊN]\n"
            "        [--quiet] [--trust-proxy] [--bodies-memory-mb N] [--secure-cookies]\n"
            "        [--session-idle-min N] [--session-hours N]\n"
            "                                             chạy máy chủ web (mặc định 127.0.0.1:8080);\n"
            "                                             N MB: tổng dữ liệu gửi lên giữ cùng lúc (96);\n"
            "                                             phiên hết hạn sau N phút không dùng (120)\n"
            "                                             hoặc N giờ sau khi đăng nhập (12)\n"
            "  init [--demo [--demo-year]]                tạo cơ sở dữ liệu (và dữ liệu mẫu; --demo-year:\n"
            "                                             thêm năm đang diễn ra của Khối MTTQ)\n"
            "  migrate                                    áp dụng các bản nâng cấp cơ sở dữ liệu\n"
            "  import units|persons TỆP.xlsx              nhập danh sách từ Excel (tất cả hoặc không)\n"
            "  export units|persons TỆP.xlsx              xuất danh sách ra Excel\n"
            "  backup TỆP                                 sao lưu trực tuyến cơ sở dữ liệu SQLite\n"
            "  user add TÊN --role VAI_TRÒ [--unit MÃ_ĐƠN_VỊ] [--name \"HỌ TÊN\"] [--email E]\n"
            "                                             tạo tài khoản; mật khẩu đọc từ đầu vào chuẩn\n"
            "                                             (VAI_TRÒ: admin, office, council, unit)\n"
            "  user passwd TÊN                            đặt mật khẩu mới (đọc từ đầu vào chuẩn)\n"
            "  user disable|enable TÊN                    khóa (kết thúc mọi phiên) hoặc mở khóa\n"
            "  user list                                  liệt kê tài khoản\n"
            "  audit verify                               kiểm tra chuỗi băm của nhật ký thay đổi\n"
            "  routes                                     bảng quyền của mọi đường dẫn (JSON)\n"
            "  document render LOẠI [--model TỆP.json] --out TỆP.docx|.pdf|.txt\n"
            "                                             tạo văn bản từ mẫu (mặc định: dữ liệu mẫu)\n"
            "  document certificate [--model TỆP.json] --out TỆP.pdf\n"
            "                                             tạo bằng khen, giấy khen (PDF)\n"
            "\n"
            "Tùy chọn chung:\n"
            "  --db URL      tệp SQLite (mặc định tdkt.db) hoặc postgres://…;\n"
            "                biến môi trường TDKT_DB dùng khi không có --db\n"
            "  --help, --version\n"
            "\n"
            "Mã thoát: 0 thành công, 1 thao tác thất bại, 2 sai cách dùng,\n"
            "3 dữ liệu nhập bị từ chối, 4 không mở được cơ sở dữ liệu.\n"),
          out);
}

static bool parse_uint(const char *s, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < 0 || v > max)
        return false;
    *out = v;
    return true;
}

/* Options may come anywhere after the command. Returns false on bad usage. */
static bool parse_options(int argc, char **argv, struct options *o)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        long n;
        if (strcmp(a, "--db") == 0 && val) {
            o->db = val, i++;
        } else if (strcmp(a, "--listen") == 0 && val) {
            o->listen = val, i++;
        } else if (strcmp(a, "--province") == 0 && val) {
            o->province = val, i++;
        } else if (strcmp(a, "--threads") == 0 && val && parse_uint(val, 64, &n) && n > 0) {
            o->threads = (unsigned)n, i++;
        } else if (strcmp(a, "--bodies-memory-mb") == 0 && val && parse_uint(val, 65536, &n) &&
                   n > 0) {
            o->bodies_memory_mb = n, i++;
        } else if (strcmp(a, "--demo-units") == 0 && val && parse_uint(val, 100000, &n)) {
            o->demo_units = (int)n, i++;
        } else if (strcmp(a, "--demo-persons") == 0 && val && parse_uint(val, 10000000, &n)) {
            o->demo_persons = (int)n, i++;
        } else if (strcmp(a, "--demo") == 0) {
            o->demo = true;
        } else if (strcmp(a, "--demo-year") == 0) {
            o->demo_year = true;
        } else if (strcmp(a, "--quiet") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--strict-templates") == 0) {
            o->strict_templates = true;
        } else if (strcmp(a, "--trust-proxy") == 0) {
            o->trust_proxy = true;
        } else if (strcmp(a, "--secure-cookies") == 0) {
            o->secure_cookies = true;
        } else if (strcmp(a, "--session-idle-min") == 0 && val && parse_uint(val, 10080, &n) &&
                   n > 0) {
            o->session_idle_min = n, i++;
        } else if (strcmp(a, "--session-hours") == 0 && val && parse_uint(val, 720, &n) && n > 0) {
            o->session_hours = n, i++;
        } else if (strcmp(a, "--role") == 0 && val) {
            o->role = val, i++;
        } else if (strcmp(a, "--unit") == 0 && val) {
            o->unit = val, i++;
        } else if (strcmp(a, "--name") == 0 && val) {
            o->name = val, i++;
        } else if (strcmp(a, "--email") == 0 && val) {
            o->email = val, i++;
        } else if (strcmp(a, "--model") == 0 && val) {
            o->model = val, i++;
        } else if (strcmp(a, "--out") == 0 && val) {
            o->out = val, i++;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, _("tdkt: tùy chọn không rõ hoặc thiếu giá trị: %s\n"), a);
            return false;
        } else if (o->nargs < 4) {
            o->args[o->nargs++] = a;
        } else {
            fprintf(stderr, _("tdkt: thừa tham số: %s\n"), a);
            return false;
        }
    }
    if (!o->db)
        o->db = getenv("TDKT_DB");
    o->db_given = o->db && *o->db;
    if (!o->db || !*o->db)
        o->db = "tdkt.db";
    return true;
}

/* Opens and migrates the database. */
struct db *cli_open_db(const struct options *o, int *exit_code)
{
    struct db *db;
    struct err e = {0};
    if (db_open(o->db, &db, &e) != OK) {
        fprintf(stderr, "tdkt: %s\n", e.msg);
        *exit_code = CLI_STORAGE;
        return NULL;
    }
    int applied = 0;
    if (db_migrate(db, &applied, &e) != OK || registry_refresh_sort_keys(db, &e) != OK) {
        fprintf(stderr, "tdkt: %s\n", e.msg);
        db_close(db);
        *exit_code = CLI_STORAGE;
        return NULL;
    }
    if (applied)
        fprintf(stderr, _("tdkt: đã áp dụng %d bản nâng cấp cơ sở dữ liệu\n"), applied);
    return db;
}

static int cmd_migrate(const struct options *o)
{
    int code = CLI_OK;
    struct db *db = cli_open_db(o, &code);
    if (!db)
        return code;
    printf(_("Cơ sở dữ liệu đã ở phiên bản mới nhất (%lld).\n"),
           (long long)db_scalar_int(db, "SELECT max(version) FROM schema_migrations", 0));
    db_close(db);
    return CLI_OK;
}

static int cmd_init(const struct options *o)
{
    int code = CLI_OK;
    struct db *db = cli_open_db(o, &code);
    if (!db)
        return code;
    if (o->demo) {
        struct err e = {0};
        int units = o->demo_units, persons = o->demo_persons ? o->demo_persons : 320;
        if (demo_generate(db, units, persons, &e) != OK) {
            fprintf(stderr, "tdkt: %s\n", e.msg);
            db_close(db);
            return CLI_FAIL;
        }
        /* the year in progress of the MTTQ bloc, for people trying tdkt (the
         * tests start from groups without a pledge or a conference) */
        if (o->demo_year) {
            enum result yrc = db_begin(db);
            if (yrc == OK)
                yrc = demo_year_generate(db, &e);
            if (yrc == OK)
                yrc = db_commit(db);
            if (yrc != OK) {
                db_rollback(db);
                fprintf(stderr, "tdkt: %s\n", e.msg[0] ? e.msg : db_errmsg(db));
                db_close(db);
                return CLI_FAIL;
            }
        }
        printf(_("Đã tạo dữ liệu mẫu: %lld đơn vị, %lld cá nhân.\n"),
               (long long)db_scalar_int(db, "SELECT count(*) FROM units", 0),
               (long long)db_scalar_int(db, "SELECT count(*) FROM persons", 0));
        struct audit_actor who = audit_actor_cli();
        json_t *what = json_pack("{s:I,s:I}", "units",
                                 (json_int_t)db_scalar_int(db, "SELECT count(*) FROM units", 0),
                                 "persons",
                                 (json_int_t)db_scalar_int(db, "SELECT count(*) FROM persons", 0));
        enum result arc = db_begin(db);
        if (arc == OK)
            arc = audit_append(db, &who, "demo", "units", 0, NULL, what, &e);
        if (arc == OK)
            arc = db_commit(db);
        json_decref(what);
        if (arc != OK) {
            fprintf(stderr, "tdkt: %s\n", e.msg[0] ? e.msg : db_errmsg(db));
            db_close(db);
            return CLI_FAIL;
        }
        if (cli_demo_accounts(db) != CLI_OK) {
            db_close(db);
            return CLI_FAIL;
        }
    } else {
        printf(_("Đã tạo cơ sở dữ liệu %s.\n"), o->db);
    }
    db_close(db);
    return CLI_OK;
}

static int parse_kind(const char *s, enum registry_kind *kind)
{
    if (s && strcmp(s, "units") == 0)
        *kind = REG_UNITS;
    else if (s && strcmp(s, "persons") == 0)
        *kind = REG_PERSONS;
    else {
        fprintf(stderr, _("tdkt: hãy chọn units hoặc persons\n"));
        return CLI_USAGE;
    }
    return CLI_OK;
}

static char *read_file(const char *path, size_t *len, int *code)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, _("tdkt: không mở được tệp \"%s\": %s\n"), path, strerror(errno));
        *code = CLI_FAIL;
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size > MAX_IMPORT_FILE) {
        fprintf(stderr, _("tdkt: tệp \"%s\" lớn hơn %d MB\n"), path, MAX_IMPORT_FILE >> 20);
        fclose(f);
        *code = CLI_DATA;
        return NULL;
    }
    char *data = xmalloc((size_t)st.st_size + 1);
    *len = fread(data, 1, (size_t)st.st_size, f);
    fclose(f);
    return data;
}

static int cmd_import(const struct options *o)
{
    enum registry_kind kind;
    if (o->nargs != 2)
        return fprintf(stderr, _("tdkt: cách dùng: tdkt import units|persons TỆP.xlsx\n")),
               CLI_USAGE;
    int code = parse_kind(o->args[0], &kind);
    if (code)
        return code;
    size_t len;
    char *data = read_file(o->args[1], &len, &code);
    if (!data)
        return code;
    struct db *db = cli_open_db(o, &code);
    if (!db) {
        free(data);
        return code;
    }
    json_t *report = NULL;
    struct err e = {0};
    struct audit_actor who = audit_actor_cli();
    enum result rc = registry_import(db, kind, o->args[1], data, len, &who, &report, &e);
    free(data);
    db_close(db);
    if (report) {
        size_t i;
        json_t *err;
        json_array_foreach(json_object_get(report, "errors"), i, err)
            fprintf(stderr, _("dòng %lld, ô %s (%s): %s\n"),
                    (long long)json_integer_value(json_object_get(err, "row")),
                    json_string_value(json_object_get(err, "cell")),
                    json_string_value(json_object_get(err, "column")),
                    json_string_value(json_object_get(err, "message")));
    }
    if (rc != OK) {
        fprintf(stderr, "tdkt: %s\n", e.msg);
        json_decref(report);
        return rc == E_DB ? CLI_FAIL : CLI_DATA;
    }
    printf(_("Đã nhập: %lld dòng thêm mới, %lld dòng cập nhật.\n"),
           (long long)json_integer_value(json_object_get(report, "created")),
           (long long)json_integer_value(json_object_get(report, "updated")));
    json_decref(report);
    return CLI_OK;
}

static int cmd_export(const struct options *o)
{
    enum registry_kind kind;
    if (o->nargs != 2)
        return fprintf(stderr, _("tdkt: cách dùng: tdkt export units|persons TỆP.xlsx\n")),
               CLI_USAGE;
    int code = parse_kind(o->args[0], &kind);
    if (code)
        return code;
    struct db *db = cli_open_db(o, &code);
    if (!db)
        return code;
    struct list_query q = {.status = "all", .page = 1};
    char *data;
    size_t len;
    struct err e = {0};
    enum result rc = registry_export(db, kind, &q, &data, &len, &e);
    db_close(db);
    if (rc != OK) {
        fprintf(stderr, "tdkt: %s\n", e.msg);
        return CLI_FAIL;
    }
    FILE *f = fopen(o->args[1], "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    free(data);
    if (!ok) {
        fprintf(stderr, _("tdkt: không ghi được tệp \"%s\": %s\n"), o->args[1], strerror(errno));
        return CLI_FAIL;
    }
    printf(_("Đã xuất ra %s.\n"), o->args[1]);
    return CLI_OK;
}

static int cmd_backup(const struct options *o)
{
    if (o->nargs != 1)
        return fprintf(stderr, _("tdkt: cách dùng: tdkt backup TỆP\n")), CLI_USAGE;
    int code = CLI_OK;
    struct db *db = cli_open_db(o, &code);
    if (!db)
        return code;
    struct err e = {0};
    enum result rc = db_backup(db, o->args[0], &e);
    db_close(db);
    if (rc != OK) {
        fprintf(stderr, "tdkt: %s\n", e.msg);
        return rc == E_INVALID ? CLI_USAGE : CLI_FAIL;
    }
    printf(_("Đã sao lưu vào %s.\n"), o->args[0]);
    return CLI_OK;
}

static int cmd_serve(const struct options *o)
{
    int code = CLI_OK;
    struct db *db = cli_open_db(o, &code);
    if (!db)
        return code;
    /* the province shown on every page: flag, then what init stored */
    char *province = NULL;
    struct db_stmt *s = db_query(db, "SELECT value FROM meta WHERE key = 'province'");
    if (db_step(s) == DB_ROW)
        province = xstrdup(db_col_text(s, 0));
    db_done(s);
    if (db_scalar_int(db, "SELECT count(*) FROM users WHERE disabled = 0", 0) == 0)
        fprintf(stderr, _("tdkt: chưa có tài khoản nào dùng được; hãy tạo tài khoản quản trị:\n"
                          "  tdkt user add admin --role admin --name \"Quản trị\" --db %s\n"),
                o->db);
    db_close(db);
    struct server_config cfg = {
        .listen = o->listen ? o->listen : "127.0.0.1:8080",
        .db_url = o->db,
        .threads = o->threads ? o->threads : 4,
        .conn_limit = 1000,
        .per_ip_limit = 128,
        .timeout_s = 30,
        .header_limit = 64 * 1024,
        .bodies_memory = (size_t)o->bodies_memory_mb * 1024 * 1024,
        .province = o->province ? o->province : province ? province : _("Ủy ban nhân dân tỉnh"),
        .quiet = o->quiet,
        .strict_templates = o->strict_templates || getenv("TDKT_STRICT_TEMPLATES"),
        .trust_proxy = o->trust_proxy,
        .secure_cookies = o->secure_cookies,
        .authenticate = auth_authenticate,
    };
    struct auth_config ac = {.idle_s = o->session_idle_min * 60, .max_s = o->session_hours * 3600};
    auth_configure(&ac);
    totp_global_init();
    int rc = server_run(&cfg, app_routes, app_routes_count);
    free(province);
    return rc;
}

int cli_main(int argc, char **argv)
{
    /* an English (or other) catalogue: TDKT_LOCALE_DIR/<lang>/LC_MESSAGES/tdkt.mo,
     * chosen by LANGUAGE / LANG as usual; without it everything is Vietnamese */
    i18n_init(getenv("TDKT_LOCALE_DIR"));
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("tdkt %s\n", TDKT_VERSION);
        return CLI_OK;
    }
    struct options o = {0};
    if (!parse_options(argc, argv, &o))
        return CLI_USAGE;
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(&o);
    if (strcmp(cmd, "init") == 0)
        return cmd_init(&o);
    if (strcmp(cmd, "migrate") == 0)
        return cmd_migrate(&o);
    if (strcmp(cmd, "import") == 0)
        return cmd_import(&o);
    if (strcmp(cmd, "export") == 0)
        return cmd_export(&o);
    if (strcmp(cmd, "backup") == 0)
        return cmd_backup(&o);
    if (strcmp(cmd, "user") == 0)
        return cli_user(&o);
    if (strcmp(cmd, "audit") == 0)
        return cli_audit(&o);
    if (strcmp(cmd, "routes") == 0)
        return cli_routes();
    if (strcmp(cmd, "document") == 0)
        return cli_document(&o);
    fprintf(stderr, _("tdkt: lệnh không rõ \"%s\" (xem tdkt --help)\n"), cmd);
    return CLI_USAGE;
}
