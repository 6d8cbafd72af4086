/* The DOCX package: the fixed parts (content types, relationships, styles,
 * settings, the page-number headers, properties) and the zip, built in memory
 * with libzip. word/document.xml comes from docx_xml.c. */
#include "docs/docx.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zip.h>

#include "docs/docx_xml.h"
#include "lib/buf.h"
#include "lib/i18n.h"
#include "lib/xalloc.h"

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"
#define NS_DOC_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define CT_WML "application/vnd.openxmlformats-officedocument.wordprocessingml."
#define FONT "Times New Roman"

static const char content_types_xml[] =
    XML_DECL
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"" CT_WML "document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"" CT_WML "styles+xml\"/>"
    "<Override PartName=\"/word/settings.xml\" ContentType=\"" CT_WML "settings+xml\"/>"
    "<Override PartName=\"/word/header1.xml\" ContentType=\"" CT_WML "header+xml\"/>"
    "<Override PartName=\"/word/header2.xml\" ContentType=\"" CT_WML "header+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" "
    "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "<Override PartName=\"/docProps/app.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
    "</Types>";

static const char package_rels_xml[] =
    XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">"
    "<Relationship Id=\"rId1\" Type=\"" NS_DOC_REL "/officeDocument\" "
    "Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" NS_PKG_REL "/metadata/core-properties\" "
    "Target=\"docProps/core.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" NS_DOC_REL "/extended-properties\" "
    "Target=\"docProps/app.xml\"/>"
    "</Relationships>";

/* The ids are the ones docx_xml.c's section properties name. */
static const char document_rels_xml[] =
    XML_DECL "<Relationships xmlns=\"" NS_PKG_REL "\">"
    "<Relationship Id=\"rIdStyles\" Type=\"" NS_DOC_REL "/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rIdSettings\" Type=\"" NS_DOC_REL "/settings\" "
    "Target=\"settings.xml\"/>"
    "<Relationship Id=\"rIdHeader\" Type=\"" NS_DOC_REL "/header\" Target=\"header1.xml\"/>"
    "<Relationship Id=\"rIdHeaderFirst\" Type=\"" NS_DOC_REL "/header\" "
    "Target=\"header2.xml\"/>"
    "</Relationships>";

/* Word 2013+ layout (compatibilityMode 15): tables start at the margin. */
static const char settings_xml[] =
    XML_DECL "<w:settings xmlns:w=\"" NS_W "\">"
    "<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>"
    "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" "
    "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
    "</w:settings>";

/* Page numbers (RULES.md §10): centred in the top margin, 14 pt, from page 2
 * on. The section has w:titlePg, so page 1 takes the empty first-page header
 * and every other page the PAGE field. */
static const char header_page_xml[] =
    XML_DECL "<w:hdr xmlns:w=\"" NS_W "\"><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>"
    "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
    "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>2</w:t></w:r>"
    "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:hdr>";

static const char header_first_xml[] =
    XML_DECL "<w:hdr xmlns:w=\"" NS_W "\"><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>"
    "</w:p></w:hdr>";

static const char app_xml[] =
    XML_DECL "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "extended-properties\"><Application>tdkt</Application></Properties>";

/* A paragraph style: id, Vietnamese name (what Word's style list shows),
 * pPr and rPr contents. */
struct style {
    const char *id, *name, *ppr, *rpr;
};

/* Body text (RULES.md §10): justified, first line indented 1.27 cm (720
 * twips), 6 pt after, line spacing 1.2. The document's defaults carry the
 * font and size, so the body styles only add what differs. */
static const struct style styles[] = {
    {"Body", "Nội dung", "<w:ind w:firstLine=\"720\"/>", ""},
    {"Basis", "Căn cứ", "<w:ind w:firstLine=\"720\"/>", "<w:i/>"},
    {"Heading", "Đề mục", "<w:ind w:firstLine=\"720\"/>", "<w:b/>"},
    {"Center", "Căn giữa", "<w:jc w:val=\"center\"/>", ""},
    {"Item", "Điểm", "<w:ind w:firstLine=\"720\"/>", ""},
    {"Right", "Căn phải", "<w:jc w:val=\"right\"/>", ""},
    {"Plain", "Không thụt lề", "<w:jc w:val=\"left\"/>", ""},
    {DOCX_STYLE_CELL, "Ô bảng",
     "<w:spacing w:before=\"40\" w:after=\"40\" w:line=\"240\" w:lineRule=\"auto\"/>"
     "<w:jc w:val=\"left\"/>",
     ""},
    {DOCX_STYLE_TIGHT, "Khối đầu, cuối văn bản",
     "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
     "<w:jc w:val=\"center\"/>",
     ""},
    {"Header", "Đầu trang",
     "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
     "<w:jc w:val=\"center\"/>",
     "<w:sz w:val=\"28\"/>"},
};

static void styles_xml(struct buf *b, int font_pt)
{
    int hp = (font_pt >= 8 && font_pt <= 72 ? font_pt : 14) * 2;
    buf_printf(b,
               XML_DECL "<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>"
               "<w:rFonts w:ascii=\"" FONT "\" w:hAnsi=\"" FONT "\" w:eastAsia=\"" FONT
               "\" w:cs=\"" FONT "\"/><w:color w:val=\"000000\"/>"
               "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>"
               "<w:lang w:val=\"vi-VN\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\"/>"
               "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
               "<w:spacing w:before=\"0\" w:after=\"120\" w:line=\"288\" w:lineRule=\"auto\"/>"
               "<w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>"
               "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
               "<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
               "<w:style w:type=\"character\" w:default=\"1\" "
               "w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/>"
               "<w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"
               "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
               "<w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>"
               "<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>"
               "<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
               "<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/>"
               "<w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
               hp, hp);
    for (size_t i = 0; i < sizeof styles / sizeof *styles; i++) {
        const struct style *s = &styles[i];
        buf_printf(b,
                   "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"%s\">"
                   "<w:name w:val=\"%s\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>"
                   "<w:pPr>%s</w:pPr>%s%s%s</w:style>",
                   s->id, s->name, s->ppr, *s->rpr ? "<w:rPr>" : "", s->rpr,
                   *s->rpr ? "</w:rPr>" : "");
    }
    buf_adds(b, "</w:styles>");
}

/* docProps/core.xml: the title Word shows in its properties is the
 * document type and trích yếu; the creator is the issuer. */
static bool core_xml(struct buf *b, const struct doc *d)
{
    const struct doc_header *h = &d->header;
    bool ok = true;
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    buf_adds(b, XML_DECL "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/"
                "package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/"
                "elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\""
                "http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
    if (h->kind)
        ok &= docx_xml_text(b, h->kind);
    if (h->kind && h->subject)
        buf_addc(b, ' ');
    if (h->subject)
        ok &= docx_xml_text(b, h->subject);
    buf_adds(b, "</dc:title><dc:creator>");
    ok &= docx_xml_text(b, h->issuer ? h->issuer : "tdkt");
    buf_printf(b,
               "</dc:creator><dc:language>vi-VN</dc:language>"
               "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
               "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified>"
               "</cp:coreProperties>",
               stamp, stamp);
    return ok;
}

struct part {
    const char *name;
    const char *data;
    size_t len;
};

/* The zip's bytes once written: the archive was built over src, which the
 * caller kept alive (zip_source_keep) for this. */
static char *source_bytes(zip_source_t *src, size_t *len)
{
    zip_stat_t st;
    if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
        zip_source_open(src) < 0)
        return NULL;
    char *out = xmalloc(st.size ? (size_t)st.size : 1);
    zip_int64_t n = zip_source_read(src, out, st.size);
    zip_source_close(src);
    if (n < 0 || (zip_uint64_t)n != st.size) {
        free(out);
        return NULL;
    }
    *len = (size_t)st.size;
    return out;
}

/* Zips the parts in memory. [Content_Types].xml goes first: some readers
 * look for it there. libzip's messages belong to the archive or the error,
 * so each is copied into e before those are freed. */
static enum result zip_parts(const struct part *parts, size_t n, char **data, size_t *len,
                             struct err *e)
{
    enum result rc = E_IO;
    const char *fmt = _("Không tạo được tệp Word: %s");
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src) {
        err_set(e, E_IO, "", fmt, zip_error_strerror(&ze));
        goto out;
    }
    zip_source_keep(src); /* zip_close drops the archive's hold; the bytes stay ours */
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) {
        err_set(e, E_IO, "", fmt, zip_error_strerror(&ze));
        zip_source_free(src); /* the archive never took its hold */
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, parts[i].data, parts[i].len, 0);
        zip_int64_t idx = s ? zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0)
            zip_source_free(s);
        /* libzip deflates at level 9 by default; on the long runs of alike
         * markup of a big list that takes four times level 6's time (14 against
         * 3.5 ms for 1 000 rows) to save a fifth of a file that is small anyway */
        if (idx < 0 || zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 6) < 0) {
            err_set(e, E_IO, "", fmt, zip_strerror(za));
            zip_discard(za);
            goto out;
        }
    }
    if (zip_close(za) < 0) {
        err_set(e, E_IO, "", fmt, zip_strerror(za));
        zip_discard(za);
    } else if (!(*data = source_bytes(src, len))) {
        err_set(e, E_IO, "", fmt, zip_error_strerror(zip_source_error(src)));
    } else {
        rc = OK;
    }
out:
    if (src)
        zip_source_free(src);
    zip_error_fini(&ze);
    return rc;
}

enum result docx_write(const struct doc *d, char **data, size_t *len, struct err *e)
{
    *data = NULL;
    *len = 0;
    struct buf document = BUF_INIT, styles_b = BUF_INIT, core = BUF_INIT;
    enum result rc;
    /* the body is most of the bytes: start big enough for a typical decision */
    buf_reserve(&document, 64 * 1024);
    bool ok = docx_document_xml(&document, d);
    ok &= core_xml(&core, d);
    if (!ok) {
        rc = err_set(e, E_INVALID, "", _("Văn bản có chữ không đúng mã UTF-8, không tạo được "
                                         "tệp Word"));
        goto out;
    }
    styles_xml(&styles_b, d->font_pt);
    const struct part parts[] = {
        {"[Content_Types].xml", content_types_xml, sizeof content_types_xml - 1},
        {"_rels/.rels", package_rels_xml, sizeof package_rels_xml - 1},
        {"word/document.xml", document.data, document.len},
        {"word/_rels/document.xml.rels", document_rels_xml, sizeof document_rels_xml - 1},
        {"word/styles.xml", styles_b.data, styles_b.len},
        {"word/settings.xml", settings_xml, sizeof settings_xml - 1},
        {"word/header1.xml", header_page_xml, sizeof header_page_xml - 1},
        {"word/header2.xml", header_first_xml, sizeof header_first_xml - 1},
        {"docProps/core.xml", core.data, core.len},
        {"docProps/app.xml", app_xml, sizeof app_xml - 1},
    };
    rc = zip_parts(parts, sizeof parts / sizeof *parts, data, len, e);
out:
    buf_free(&document);
    buf_free(&styles_b);
    buf_free(&core);
    return rc;
}
