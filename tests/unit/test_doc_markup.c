/* docs/doc_markup: the office-editable text form of a document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "docs/doc_markup.h"

static const char SAMPLE[] =
    "@issuer ỦY BAN NHÂN DÂN TỈNH BẮC NINH\n"
    "@number 05/QĐ-UBND\n"
    "@place_date Bắc Ninh, ngày 05 tháng 01 năm 2026\n"
    "@kind QUYẾT ĐỊNH\n"
    "@subject Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh\n"
    "@font 13\n"
    "@center **CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH**\n"
    "\n"
    "@basis Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;\n"
    "@center **QUYẾT ĐỊNH:**\n"
    "**Điều 1.** Tặng Bằng khen cho *02 tập thể* có thành tích xuất sắc.\r\n"
    "@table 1,6,5 header=1 align=c,l,l\n"
    "| STT | Họ và tên | Đơn vị |\n"
    "| 1 | Nguyễn Thị Hằng | Sở Nội vụ |\n"
    "| 2 | Trần Văn Đức | Hội Nông dân tỉnh \\| Bắc Ninh |\n"
    "@endtable\n"
    "@recipients\n"
    "- Như Điều 3;\n"
    "- Lưu: VT, NV.\n"
    "@sign KT. CHỦ TỊCH | PHÓ CHỦ TỊCH | Nguyễn Văn A\n";

static const char *run_text(const struct doc_run *r)
{
    return r->text;
}

static void test_sample(void **state)
{
    (void)state;
    struct doc *d;
    struct err e = {0};
    assert_int_equal(doc_from_markup(SAMPLE, strlen(SAMPLE), &d, &e), OK);
    assert_null(d->header.parent);
    assert_string_equal(d->header.issuer, "ỦY BAN NHÂN DÂN TỈNH BẮC NINH");
    assert_string_equal(d->header.number, "05/QĐ-UBND");
    assert_string_equal(d->header.kind, "QUYẾT ĐỊNH");
    assert_int_equal(d->font_pt, 13);
    assert_int_equal(d->nblocks, 6);
    /* centred bold caption */
    assert_int_equal(d->blocks[0].kind, DOC_PARA);
    assert_int_equal(d->blocks[0].u.para.style, DOC_P_CENTER);
    assert_int_equal(d->blocks[0].u.para.nruns, 1);
    assert_true(d->blocks[0].u.para.runs[0].bold);
    assert_int_equal(d->blocks[1].u.para.style, DOC_P_BASIS);
    /* "**Điều 1.** Tặng … *02 tập thể* có …": bold, plain, italic, plain */
    const struct doc_para *art = &d->blocks[3].u.para;
    assert_int_equal(art->style, DOC_P_BODY);
    assert_int_equal(art->nruns, 4);
    assert_string_equal(run_text(&art->runs[0]), "Điều 1.");
    assert_true(art->runs[0].bold && !art->runs[0].italic);
    assert_string_equal(run_text(&art->runs[1]), " Tặng Bằng khen cho ");
    assert_false(art->runs[1].bold || art->runs[1].italic);
    assert_string_equal(run_text(&art->runs[2]), "02 tập thể");
    assert_true(art->runs[2].italic && !art->runs[2].bold);
    assert_string_equal(run_text(&art->runs[3]), " có thành tích xuất sắc.");
    /* the table: 3 rows × 3 columns, an escaped pipe inside a cell */
    const struct doc_table *t = &d->blocks[4].u.table;
    assert_int_equal(d->blocks[4].kind, DOC_TABLE);
    assert_int_equal(t->ncols, 3);
    assert_int_equal(t->nrows, 3);
    assert_int_equal(t->header_rows, 1);
    assert_true(t->borders);
    assert_true(t->widths[1] == 6.0);
    assert_string_equal(t->cells[3 * 2 + 2].runs[0].text, "Hội Nông dân tỉnh | Bắc Ninh");
    assert_int_equal(t->cells[3].align, 1); /* STT column centred */
    assert_int_equal(t->cells[4].align, 0);
    /* closing */
    const struct doc_closing *c = &d->blocks[5].u.closing;
    assert_int_equal(c->nrecipients, 2);
    assert_string_equal(c->recipients[1], "- Lưu: VT, NV.");
    assert_int_equal(c->nsignatures, 1);
    assert_string_equal(c->signatures[0].prefix, "KT. CHỦ TỊCH");
    assert_string_equal(c->signatures[0].title, "PHÓ CHỦ TỊCH");
    assert_string_equal(c->signatures[0].name, "Nguyễn Văn A");
    assert_null(c->signatures[0].unit);
    char *plain = doc_plain_text(d);
    assert_non_null(strstr(plain, "Số: 05/QĐ-UBND\n"));
    assert_non_null(strstr(plain, "Điều 1. Tặng Bằng khen cho 02 tập thể có thành tích xuất sắc.\n"));
    assert_non_null(strstr(plain, "2\tTrần Văn Đức\tHội Nông dân tỉnh | Bắc Ninh\n"));
    free(plain);
    doc_free(d);
}

/* A value escaped for the markup comes back as the same text, whatever it
 * holds: it cannot open a directive, a cell, or a bold run. */
static void test_escaped_values_stay_text(void **state)
{
    (void)state;
    const char *value = "@sign ** A * B | C \\ D\nE";
    struct buf b = BUF_INIT;
    buf_adds(&b, "@p Tên: ");
    doc_markup_escape(&b, value, strlen(value));
    buf_adds(&b, "\n@table 1,1\n| ");
    doc_markup_escape(&b, value, strlen(value));
    buf_adds(&b, " | x |\n@endtable\n");
    struct doc *d;
    struct err e = {0};
    assert_int_equal(doc_from_markup(b.data, b.len, &d, &e), OK);
    assert_int_equal(d->nblocks, 2);
    assert_int_equal(d->blocks[0].u.para.nruns, 1);
    assert_string_equal(d->blocks[0].u.para.runs[0].text, "Tên: @sign ** A * B | C \\ D E");
    assert_false(d->blocks[0].u.para.runs[0].bold);
    assert_string_equal(d->blocks[1].u.table.cells[0].runs[0].text, "@sign ** A * B | C \\ D E");
    doc_free(d);
    buf_free(&b);
}

/* Blocks added between two @sign lines move the array of blocks: each @sign
 * finds its closing again (a kept pointer would write into freed memory —
 * the sanitizer build would say so). */
static void test_signatures_after_many_blocks(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    buf_adds(&b, "@sign | THƯ KÝ | Hoàng Minh Đức\n");
    for (int i = 0; i < 40; i++)
        buf_printf(&b, "@p Đoạn %d.\n", i);
    buf_adds(&b, "@sign | CHỦ TRÌ | Nguyễn Thị Lan\n@recipients\n- Lưu: VT.\n"
                 "@sign | CHỦ TỊCH | Trần Văn A\n");
    struct doc *d;
    struct err e = {0};
    assert_int_equal(doc_from_markup(b.data, b.len, &d, &e), OK);
    assert_int_equal(d->nblocks, 42);
    assert_int_equal(d->blocks[0].kind, DOC_CLOSING);
    assert_int_equal(d->blocks[0].u.closing.nsignatures, 1);
    const struct doc_closing *last = &d->blocks[41].u.closing;
    assert_int_equal(last->nsignatures, 2);
    assert_int_equal(last->nrecipients, 1);
    assert_string_equal(last->signatures[1].name, "Trần Văn A");
    doc_free(d);
    buf_free(&b);
}

static void expect_error(const char *markup, const char *fragment)
{
    struct doc *d = (struct doc *)1;
    struct err e = {0};
    assert_int_equal(doc_from_markup(markup, strlen(markup), &d, &e), E_INVALID);
    assert_null(d);
    if (!strstr(e.msg, fragment))
        fail_msg("\"%s\" not in \"%s\"", fragment, e.msg);
}

static void test_errors_name_the_line(void **state)
{
    (void)state;
    char *huge = malloc(70 * 1024 + 8);
    memcpy(huge, "@p ", 3);
    memset(huge + 3, 'a', 70 * 1024);
    strcpy(huge + 3 + 70 * 1024, "\n");
    expect_error(huge, "dòng 1: dòng dài quá");
    free(huge);
    expect_error("@kind BIÊN BẢN\n\n@signature X\n", "dòng 3: không rõ lệnh @signature");
    expect_error("@table 1,2\n| a | b | c |\n@endtable\n", "dòng 2: dòng bảng có 3 ô, bảng có 2 cột");
    expect_error("@table 1,2\n| a | b |\n", "thiếu @endtable");
    expect_error("@table 1,2\ntext\n@endtable\n", "dòng 2:");
    expect_error("@endtable\n", "dòng 1:");
    expect_error("@table\n", "độ rộng");
    expect_error("@table 1,x\n", "độ rộng");
    expect_error("@table 1,inf\n", "độ rộng");
    expect_error("@table 1,nan\n", "độ rộng");
    expect_error("@table 1,5000\n", "độ rộng");
    expect_error("@font 20\n", "cỡ chữ");
    expect_error("@sign chỉ một phần\n", "@sign");
    expect_error("@p chữ\x01lạ\n", "dòng 1: có ký tự điều khiển");
    expect_error("@p \xc3\x28\n", "UTF-8");
    /* a NUL inside a line (found by fuzzing: it cut the line short) */
    struct doc *d = (struct doc *)1;
    struct err e = {0};
    assert_int_equal(doc_from_markup("@p a\0b\r\n", 8, &d, &e), E_INVALID);
    assert_null(d);
    assert_non_null(strstr(e.msg, "điều khiển"));
    expect_error("@table 1,2\n| a | b |\n@p giữa bảng\n", "thiếu @endtable");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_escaped_values_stay_text),
        cmocka_unit_test(test_signatures_after_many_blocks),
        cmocka_unit_test(test_errors_name_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
