/* The archive side of the .xlsx reader. Before anything is inflated it
 * refuses what is not a zip (an old .xls, a password-protected file, any
 * other upload) and a zip whose central directory declares too many, too
 * large or too well compressed entries; then it opens one entry at a time as
 * a libxml2 streaming reader whose input it counts, bounds and screens as it
 * is inflated (no NUL, no DOCTYPE, no entities, no network), with every
 * failure recorded in the context's err. All the defences against zip bombs
 * and XML entity attacks are here, in one place; xlsx_read.c and
 * xlsx_sheet.c see parts only as streams of nodes. */
#include "docs/xlsx_read.h"
#include "docs/xlsx_read_int.h"

#include <stdbool.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include "lib/i18n.h"

/* Small parts compress extremely well when they are mostly markup; the
 * ratio test only means something for large parts. */
#define RATIO_FLOOR MIB

/* No network, no DTD loading, no entity substitution (NOENT is absent on
 * purpose), no error printing (we report errors ourselves), and the encoding
 * declaration ignored so the bytes are always read as UTF-8: that keeps the
 * byte-level DOCTYPE scan in part_read sound. */
#define XML_OPTIONS                                                                           \
    (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |          \
     XML_PARSE_COMPACT | XML_PARSE_IGNORE_ENC)

/* ---- the archive before anything is inflated -------------------------------------------- */

enum result not_xlsx(struct err *e)
{
    return err_set(e, E_INVALID, "", _("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ"));
}

static bool contains(const unsigned char *hay, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (hay[i] == (unsigned char)needle[0] && memcmp(hay + i, needle, n) == 0)
            return true;
    return false;
}

/* Refuses what is not a zip with a message that tells the person what to do. */
enum result check_magic(const unsigned char *d, size_t len, struct err *e)
{
    static const unsigned char ole2[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (len >= 8 && memcmp(d, ole2, 8) == 0) {
        /* A password-protected .xlsx is an OLE2 file holding an EncryptedPackage stream. */
        static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
        if (contains(d, len, enc, sizeof enc - 1))
            return err_set(e, E_INVALID, "",
                           _("Tệp Excel đang được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên "
                             "lại"));
        return err_set(e, E_INVALID, "",
                       _("Tệp là bảng tính Excel cũ (.xls); hãy mở bằng Excel và lưu lại dưới "
                         "dạng .xlsx"));
    }
    if (len < 4 || d[0] != 'P' || d[1] != 'K')
        return not_xlsx(e);
    return OK;
}

/* Checks the declared sizes of every entry before anything is inflated, so
 * a bomb is refused for the price of reading the central directory. */
enum result check_entries(struct ctx *cx)
{
    const struct xlsx_limits *lim = cx->lim;
    zip_int64_t n = zip_get_num_entries(cx->za, 0);
    if (n < 0)
        return not_xlsx(cx->e);
    if ((zip_uint64_t)n > lim->max_entries)
        return err_set(cx->e, E_TOOBIG, "",
                       _("Tệp .xlsx chứa quá nhiều thành phần (%lld, tối đa %zu)"),
                       (long long)n, lim->max_entries);
    zip_uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(cx->za, (zip_uint64_t)i, 0, &st) != 0)
            return not_xlsx(cx->e);
        if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
            return not_xlsx(cx->e);
        const char *name = (st.valid & ZIP_STAT_NAME) && st.name ? st.name : "?";
        if (st.size > lim->max_entry_size || st.size > lim->max_total_uncompressed - total)
            return err_set(cx->e, E_TOOBIG, "",
                           _("Tệp .xlsx khi giải nén quá lớn (phần %.100s: %llu MB, tối đa "
                             "%zu MB)"),
                           name, (unsigned long long)(st.size / MIB),
                           (st.size > lim->max_entry_size ? lim->max_entry_size
                                                          : lim->max_total_uncompressed) /
                               MIB);
        total += st.size;
        if (st.size > RATIO_FLOOR) {
            zip_uint64_t comp = st.comp_size ? st.comp_size : 1;
            if (st.size / comp >= lim->max_ratio)
                return err_set(cx->e, E_TOOBIG, "",
                               _("Tệp .xlsx có tỉ lệ nén bất thường ở phần %.100s (có thể là "
                                 "tệp độc hại)"),
                               name);
        }
    }
    return OK;
}

/* ---- zip parts as XML streams ---------------------------------------------------------- */

static const char doctype[] = "<!DOCTYPE";

static int part_fail(struct part *p, enum result rc)
{
    p->rc = rc;
    return -1;
}

/* libxml2 pulls the part through here, so the sizes are counted as they are
 * inflated: declared sizes can lie, counted bytes cannot. The bytes are also
 * screened: no NUL (which rules out UTF-16 and UTF-32, whose autodetection
 * would hide markup from the scan), an ASCII '<' or blank first, and never a
 * DOCTYPE, which no OOXML part has and which is the door to entity attacks. */
static int part_read(void *arg, char *buffer, int len)
{
    struct part *p = arg;
    struct ctx *cx = p->cx;
    if (p->rc != OK)
        return -1;
    if (len <= 0)
        return 0;
    zip_int64_t n = zip_fread(p->zf, buffer, (zip_uint64_t)len);
    if (n < 0)
        return part_fail(p, err_set(cx->e, E_INVALID, "",
                                    _("Tệp bảng tính bị hỏng: không giải nén được phần %s"),
                                    p->name));
    if (n == 0)
        return 0;
    size_t start = 0;
    if (p->got == 0) {
        const unsigned char *u = (const unsigned char *)buffer;
        if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
            start = 3;
        if ((size_t)n > start && u[start] != '<' && u[start] != ' ' && u[start] != '\t' &&
            u[start] != '\r' && u[start] != '\n')
            return part_fail(p, err_set(cx->e, E_INVALID, "",
                                        _("Tệp bảng tính bị hỏng: phần %s không phải XML "
                                          "UTF-8"),
                                        p->name));
    }
    p->got += (zip_uint64_t)n;
    cx->inflated += (size_t)n;
    if (p->got > p->declared)
        return part_fail(p, err_set(cx->e, E_TOOBIG, "",
                                    _("Tệp .xlsx bị hỏng hoặc độc hại: phần %s giải nén ra "
                                      "nhiều hơn kích thước đã khai báo"),
                                    p->name));
    if (p->got > p->limit || cx->inflated > cx->lim->max_total_uncompressed)
        return part_fail(p, err_set(cx->e, E_TOOBIG, "",
                                    _("Tệp .xlsx khi giải nén quá lớn (phần %s)"), p->name));
    if (memchr(buffer, 0, (size_t)n))
        return part_fail(p, err_set(cx->e, E_INVALID, "",
                                    _("Tệp bảng tính bị hỏng: phần %s không phải XML UTF-8"),
                                    p->name));
    size_t m = p->doctype_match;
    for (size_t i = start; i < (size_t)n; i++) {
        char ch = buffer[i];
        if (ch == doctype[m]) {
            if (++m == sizeof doctype - 1)
                return part_fail(p, err_set(cx->e, E_INVALID, "",
                                            _("Tệp bảng tính chứa khai báo DTD không được "
                                              "phép (phần %s)"),
                                            p->name));
        } else {
            m = ch == '<';
        }
    }
    p->doctype_match = m;
    return (int)n;
}

static void xml_silent(void *arg, xmlErrorPtr error)
{
    (void)arg;
    (void)error;
}

enum result part_open(struct ctx *cx, zip_int64_t idx, const char *name, size_t limit,
                      struct part *p)
{
    memset(p, 0, sizeof *p);
    p->cx = cx;
    p->name = name;
    p->limit = limit < cx->lim->max_entry_size ? limit : cx->lim->max_entry_size;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(cx->za, (zip_uint64_t)idx, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return err_set(cx->e, E_INVALID, "", _("Tệp bảng tính bị hỏng: không đọc được phần %s"),
                       name);
    if (st.size > p->limit)
        return err_set(cx->e, E_TOOBIG, "", _("Tệp .xlsx khi giải nén quá lớn (phần %s)"), name);
    p->declared = st.size;
    p->zf = zip_fopen_index(cx->za, (zip_uint64_t)idx, 0);
    if (!p->zf) {
        int ze = zip_error_code_zip(zip_get_error(cx->za));
        if (ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP)
            return err_set(cx->e, E_INVALID, "",
                           _("Tệp Excel đang được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên "
                             "lại"));
        return err_set(cx->e, E_INVALID, "", _("Tệp bảng tính bị hỏng: không đọc được phần %s"),
                       name);
    }
    p->xr = xmlReaderForIO(part_read, NULL, p, name, NULL, XML_OPTIONS);
    if (!p->xr) {
        zip_fclose(p->zf);
        p->zf = NULL;
        if (p->rc != OK)
            return p->rc;
        return err_set(cx->e, E_INVALID, "", _("Tệp bảng tính bị hỏng: không đọc được phần %s"),
                       name);
    }
    xmlTextReaderSetStructuredErrorHandler(p->xr, xml_silent, NULL);
    return OK;
}

void part_close(struct part *p)
{
    if (p->xr)
        xmlFreeTextReader(p->xr);
    if (p->zf)
        zip_fclose(p->zf);
    p->xr = NULL;
    p->zf = NULL;
}

/* Advances to the next node: 1 a node, 0 the end, -1 an error already
 * recorded in the context's err. */
int part_next(struct part *p)
{
    int r = xmlTextReaderRead(p->xr);
    if (r == 1) {
        int t = xmlTextReaderNodeType(p->xr);
        if (t == XML_READER_TYPE_DOCUMENT_TYPE || t == XML_READER_TYPE_ENTITY_REFERENCE ||
            t == XML_READER_TYPE_ENTITY) {
            /* Unreachable past the byte scan; kept so a future change there fails safe. */
            p->rc = err_set(p->cx->e, E_INVALID, "",
                            _("Tệp bảng tính chứa khai báo DTD không được phép (phần %s)"),
                            p->name);
            return -1;
        }
        return 1;
    }
    if (r == 0 && p->rc == OK)
        return 0;
    if (p->rc == OK)
        p->rc = err_set(p->cx->e, E_INVALID, "",
                        _("Tệp bảng tính bị hỏng: không đọc được phần %s"), p->name);
    return -1;
}

const char *local_name(struct part *p)
{
    const xmlChar *n = xmlTextReaderConstLocalName(p->xr);
    return n ? (const char *)n : "";
}

size_t read_attrs(struct part *p, struct attr *out, size_t max)
{
    size_t n = 0;
    if (xmlTextReaderMoveToFirstAttribute(p->xr) != 1)
        return 0;
    do {
        if (n == max)
            break;
        const xmlChar *name = xmlTextReaderConstLocalName(p->xr);
        const xmlChar *ns = xmlTextReaderConstNamespaceUri(p->xr);
        const xmlChar *value = xmlTextReaderConstValue(p->xr);
        /* Namespace declarations are attributes too; they carry no data. */
        if (ns && strcmp((const char *)ns, "http://www.w3.org/2000/xmlns/") == 0)
            continue;
        out[n++] = (struct attr){(const char *)(name ? name : BAD_CAST ""),
                                 (const char *)ns,
                                 (const char *)(value ? value : BAD_CAST "")};
    } while (xmlTextReaderMoveToNextAttribute(p->xr) == 1);
    xmlTextReaderMoveToElement(p->xr);
    return n;
}

/* The value of attribute name without a namespace, or NULL. The pointer is
 * valid until the reader moves. */
const char *attr_get(const struct attr *a, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!a[i].ns && strcmp(a[i].name, name) == 0)
            return a[i].value;
    return NULL;
}
