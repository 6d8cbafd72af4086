/* tdkt document render|certificate: a document from a view model (a JSON
 * file, or the built-in sample of the kind) written as DOCX, PDF or its plain
 * text — for operators checking a template, and for the tests that read the
 * files back with LibreOffice and poppler. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_int.h"
#include "db/db.h"
#include "docs/docx.h"
#include "docs/pdf.h"
#include "features/doc_templates.h"
#include "lib/i18n.h"
#include "text/text.h"

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static json_t *load_model(const struct options *o, const char *kind, int *code)
{
    if (!o->model) {
        json_t *m = doc_template_sample(kind);
        if (!m) {
            fprintf(stderr, _("tdkt: mẫu \"%s\" không có dữ liệu mẫu; hãy đưa --model TỆP.json\n"),
                    kind);
            *code = CLI_USAGE;
        }
        return m;
    }
    json_error_t je;
    json_t *m = json_load_file(o->model, JSON_REJECT_DUPLICATES, &je);
    if (!m || !json_is_object(m)) {
        fprintf(stderr, _("tdkt: %s dòng %d: %s\n"), o->model, je.line,
                m ? _("dữ liệu phải là một đối tượng JSON") : je.text);
        json_decref(m);
        *code = CLI_DATA;
        return NULL;
    }
    return m;
}

static int write_out(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    bool ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok) {
        fprintf(stderr, _("tdkt: không ghi được tệp \"%s\"\n"), path);
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int render_kind(const struct options *o)
{
    const char *kind = o->args[1];
    int code = CLI_OK;
    json_t *model = load_model(o, kind, &code);
    if (!model)
        return code;
    /* the office's versions when a database is reachable, else the built-in ones */
    struct db *db = NULL;
    struct err e = {0};
    if (o->db_given && db_open(o->db, &db, &e) != OK) {
        fprintf(stderr, "tdkt: %s\n", e.msg);
        json_decref(model);
        return CLI_STORAGE;
    }
    struct doc *d;
    enum result rc = doc_render(db, kind, model, &d, &e);
    json_decref(model);
    db_close(db);
    if (rc != OK) {
        fprintf(stderr, "tdkt: %s\n", e.msg);
        return rc == E_NOTFOUND ? CLI_USAGE : CLI_DATA;
    }
    char *data = NULL;
    size_t len = 0;
    if (ends_with(o->out, ".docx")) {
        rc = docx_write(d, &data, &len, &e);
    } else if (ends_with(o->out, ".pdf")) {
        rc = pdf_write(d, &data, &len, &e);
    } else {
        data = doc_plain_text(d);
        len = strlen(data);
    }
    doc_free(d);
    if (rc != OK) {
        fprintf(stderr, "tdkt: %s\n", e.msg);
        return CLI_FAIL;
    }
    code = write_out(o->out, data, len);
    free(data);
    return code;
}

static const char *field(json_t *m, const char *key)
{
    return json_string_value(json_object_get(m, key));
}

static int render_certificate(const struct options *o)
{
    int code = CLI_OK;
    json_t *m = load_model(o, "bang_khen", &code);
    if (!m)
        return code;
    struct doc_certificate c = {
        .kind = field(m, "kind"), .issuer = field(m, "issuer"),
        .recipient = field(m, "recipient"), .recipient_detail = field(m, "recipient_detail"),
        .reason = field(m, "reason"), .decision = field(m, "decision"),
        .book_number = field(m, "book_number"), .place_date = field(m, "place_date"),
        .signer_title = field(m, "signer_title"), .signer_name = field(m, "signer_name"),
        .verify_url = field(m, "verify_url"),
    };
    char *data = NULL;
    size_t len = 0;
    struct err e = {0};
    enum result rc = pdf_certificate(&c, &data, &len, &e);
    json_decref(m);
    if (rc != OK) {
        fprintf(stderr, "tdkt: %s\n", e.msg);
        return rc == E_INVALID ? CLI_DATA : CLI_FAIL;
    }
    code = write_out(o->out, data, len);
    free(data);
    return code;
}

int cli_document(const struct options *o)
{
    const char *sub = o->nargs ? o->args[0] : "";
    bool render = strcmp(sub, "render") == 0 && o->nargs == 2;
    bool certificate = strcmp(sub, "certificate") == 0 && o->nargs == 1;
    if ((!render && !certificate) || !o->out ||
        (certificate && !ends_with(o->out, ".pdf"))) {
        fprintf(stderr, _("tdkt: cách dùng: tdkt document render LOẠI [--model TỆP.json] "
                          "--out TỆP.docx|.pdf|.txt\n"
                          "                  tdkt document certificate [--model TỆP.json] "
                          "--out TỆP.pdf\n"));
        return CLI_USAGE;
    }
    int code = render ? render_kind(o) : render_certificate(o);
    pdf_release_caches();
    return code;
}
