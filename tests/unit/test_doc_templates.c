/* features/doc_templates: every built-in document kind renders from a
 * realistic view model (doctemplates/samples/, one JSON file a kind) into the words a person
 * would read on the page, in order; a missing field is named; a value can
 * never become markup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "features/doc_templates.h"

static json_t *fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/doctemplates/samples/%s.json", TDKT_SOURCE_DIR, name);
    json_error_t je;
    json_t *m = json_load_file(path, 0, &je);
    if (!m)
        fail_msg("%s: %s", path, je.text);
    return m;
}

/* Renders name over its fixture and checks that each expected line appears,
 * in this order, in the document's plain text. */
static void check(const char *name, const char *const *expected)
{
    json_t *m = fixture(name);
    struct doc *d;
    struct err e = {0};
    if (doc_render(NULL, name, m, &d, &e) != OK)
        fail_msg("%s: %s", name, e.msg);
    char *text = doc_plain_text(d);
    const char *at = text;
    for (const char *const *x = expected; *x; x++) {
        const char *found = strstr(at, *x);
        if (!found)
            fail_msg("%s: \"%s\" missing (or out of order) in:\n%s", name, *x, text);
        at = found + strlen(*x);
    }
    free(text);
    doc_free(d);
    json_decref(m);
}

static void test_quyet_dinh(void **state)
{
    (void)state;
    static const char *const x[] = {
        "ỦY BAN NHÂN DÂN TỈNH BẮC NINH\n", "Số: 05/QĐ-UBND\n",
        "Bắc Ninh, ngày 05 tháng 01 năm 2026\n", "QUYẾT ĐỊNH\n",
        "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh\n",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH\n",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;\n", "QUYẾT ĐỊNH:\n",
        "Điều 1. Tặng Bằng khen", "Điều 2. Mỗi tập thể", "Điều 3. Chánh Văn phòng",
        "Nơi nhận:\n", "- Như Điều 3;\n", "- Lưu: VT, NV.\n", "KT. CHỦ TỊCH\n", "PHÓ CHỦ TỊCH\n",
        "Nguyễn Văn Hùng\n", "DANH SÁCH\n",
        "(Kèm theo Quyết định số 05/QĐ-UBND ngày 05/01/2026 của Chủ tịch UBND tỉnh)\n",
        "STT\tTên tập thể, cá nhân\tChức vụ, đơn vị\n", "1\tPhòng Thi đua, khen thưởng\tSở Nội vụ\n",
        "3\tBà Nguyễn Thị Hằng\t", "12\tBà Đỗ Thị Mai\tChuyên viên, Sở Nội vụ\n", NULL};
    check("quyet_dinh", x);
}

static void test_ke_hoach(void **state)
{
    (void)state;
    static const char *const x[] = {
        "KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG, ĐOÀN THỂ\n", "TỈNH ĐOÀN BẮC NINH\n", "Số: 03/KH-TĐ\n",
        "Bắc Ninh, ngày 10 tháng 02 năm 2026\n", "KẾ HOẠCH\n", "I. MỤC ĐÍCH, YÊU CẦU\n",
        "II. NỘI DUNG THI ĐUA\n", "a) Hoàn thành 100% chỉ tiêu được giao;\n",
        "2\tĐoàn viên mới kết nạp\tngười\t1.200\n", "TM. KHỐI THI ĐUA\n", "TRƯỞNG KHỐI\n",
        "Nguyễn Thị Lan\n", NULL};
    check("ke_hoach", x);
}

static void test_giao_uoc_has_every_member_block(void **state)
{
    (void)state;
    static const char *const x[] = {
        "Bắc Ninh, ngày 02 tháng 3 năm 2026\n", "BẢN GIAO ƯỚC THI ĐUA\n",
        "1. Thực hiện tốt chủ trương", "2. Hoàn thành các chỉ tiêu chuyển đổi số — chỉ tiêu: 100% văn bản điện tử.\n",
        "được lập thành 7 bản", "ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC\n",
        "ỦY BAN MTTQ VIỆT NAM TỈNH\nPHÓ CHỦ TỊCH\nTrần Quang Vinh\n",
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH\nCHỦ TỊCH\nLê Thị Bích\n",
        "HỘI LIÊN HIỆP PHỤ NỮ TỈNH\nCHỦ TỊCH\nNguyễn Thị Hòa\n",
        "HỘI NÔNG DÂN TỈNH\nCHỦ TỊCH\nPhạm Văn Thắng\n", "HỘI CỰU CHIẾN BINH TỈNH\nCHỦ TỊCH\nĐỗ Văn Lực\n",
        "TỈNH ĐOÀN\nBÍ THƯ\nNguyễn Thị Lan\n", NULL};
    check("giao_uoc", x);
    /* no "Số:" line for a pledge without a number */
    json_t *m = fixture("giao_uoc");
    struct doc *d;
    struct err e = {0};
    assert_int_equal(doc_render(NULL, "giao_uoc", m, &d, &e), OK);
    assert_null(d->header.number);
    doc_free(d);
    json_decref(m);
}

static void test_bien_ban(void **state)
{
    (void)state;
    static const char *const x[] = {
        "Số: 02/BB-TĐ\n", "Bắc Ninh, ngày 15 tháng 7 năm 2026\n", "BIÊN BẢN\n",
        "Hội nghị sơ kết 6 tháng đầu năm 2026\n",
        "Chủ trì: Nguyễn Thị Lan, Bí thư Tỉnh đoàn, Trưởng Khối.",
        "Thành phần tham dự: 5/6 đơn vị thành viên; vắng mặt: Hội Cựu chiến binh tỉnh (có lý do).\n",
        "KẾT LUẬN\n", "- Thống nhất đánh giá 5/6 đơn vị", "THƯ KÝ\nHoàng Minh Đức\n",
        "CHỦ TRÌ\nNguyễn Thị Lan\n", NULL};
    check("bien_ban", x);
}

static void test_bien_ban_kiem_phieu(void **state)
{
    (void)state;
    static const char *const x[] = {
        "BIÊN BẢN KIỂM PHIẾU\n", "(vòng 1)", "Số phiếu phát ra: 6; số phiếu thu về: 6; số phiếu hợp lệ: 6; số phiếu không hợp lệ: 0.\n",
        "STT\tĐơn vị, cá nhân được bầu\tSố phiếu\tTỷ lệ\n", "1\tTỉnh đoàn\t5\t83,33%\n",
        "2\tHội Liên hiệp Phụ nữ tỉnh\t1\t16,67%\n", "TRƯỞNG BAN KIỂM PHIẾU\nHoàng Minh Đức\n", NULL};
    check("bien_ban_kiem_phieu", x);
}

static void test_to_trinh_and_bao_cao(void **state)
{
    (void)state;
    static const char *const t[] = {
        "UBND TỈNH BẮC NINH\n", "SỞ NỘI VỤ\n", "Số: 12/TTr-SNV\n", "TỜ TRÌNH\n",
        "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh\n",
        "Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, quyết định./.\n",
        "- Như trên;\n", "GIÁM ĐỐC\nTrần Thị Minh\n", NULL};
    check("to_trinh", t);
    static const char *const b[] = {
        "Số: 05/BC-TĐ\n", "BÁO CÁO\n", "I. ĐẶC ĐIỂM TÌNH HÌNH\n",
        "II. KẾT QUẢ THỰC HIỆN GIAO ƯỚC THI ĐUA\n", "- Đoàn viên mới: 1.350 người.\n",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027\n", "TRƯỞNG KHỐI\n", NULL};
    check("bao_cao", b);
}

static void test_a_missing_field_is_named(void **state)
{
    (void)state;
    json_t *m = fixture("quyet_dinh");
    json_object_del(m, "subject");
    struct doc *d = NULL;
    struct err e = {0};
    assert_int_equal(doc_render(NULL, "quyet_dinh", m, &d, &e), E_INVALID);
    assert_null(d);
    assert_string_equal(e.field, "subject");
    assert_non_null(strstr(e.msg, "Thiếu trường \"subject\""));
    assert_non_null(strstr(e.msg, "quyet_dinh"));
    json_decref(m);
    m = fixture("giao_uoc");
    json_object_del(json_array_get(json_object_get(m, "members"), 3), "signer");
    assert_int_equal(doc_render(NULL, "giao_uoc", m, &d, &e), E_INVALID);
    assert_string_equal(e.field, "signer");
    json_decref(m);
    json_t *empty = json_object();
    assert_int_equal(doc_render(NULL, "khong_co", empty, &d, &e), E_NOTFOUND);
    json_decref(empty);
}

static void test_values_never_become_markup(void **state)
{
    (void)state;
    json_t *m = fixture("to_trinh");
    json_array_append_new(json_object_get(m, "recipients"),
                          json_string("Kho lưu\n@sign X | Y | Z\x01 **đậm**"));
    struct doc *d;
    struct err e = {0};
    assert_int_equal(doc_render(NULL, "to_trinh", m, &d, &e), OK);
    const struct doc_closing *c = &d->blocks[d->nblocks - 1].u.closing;
    assert_int_equal(c->nsignatures, 1);
    assert_string_equal(c->recipients[c->nrecipients - 1], "- Kho lưu @sign X | Y | Z  **đậm**");
    doc_free(d);
    json_decref(m);
}

static void test_dates_as_the_decree_writes_them(void **state)
{
    (void)state;
    char out[64];
    assert_true(doc_date_words("2026-01-05", out, sizeof out));
    assert_string_equal(out, "ngày 05 tháng 01 năm 2026");
    assert_true(doc_date_words("2026-02-28", out, sizeof out));
    assert_string_equal(out, "ngày 28 tháng 02 năm 2026");
    assert_true(doc_date_words("2026-03-09", out, sizeof out));
    assert_string_equal(out, "ngày 09 tháng 3 năm 2026");
    assert_true(doc_date_words("2026-12-10", out, sizeof out));
    assert_string_equal(out, "ngày 10 tháng 12 năm 2026");
    assert_false(doc_date_words("2026-02-30", out, sizeof out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quyet_dinh),
        cmocka_unit_test(test_ke_hoach),
        cmocka_unit_test(test_giao_uoc_has_every_member_block),
        cmocka_unit_test(test_bien_ban),
        cmocka_unit_test(test_bien_ban_kiem_phieu),
        cmocka_unit_test(test_to_trinh_and_bao_cao),
        cmocka_unit_test(test_a_missing_field_is_named),
        cmocka_unit_test(test_values_never_become_markup),
        cmocka_unit_test(test_dates_as_the_decree_writes_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
