/* http/router: matching typed paths and enforcing a route's declared parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "features/routes.h"
#include "http/router.h"

static enum result noop(struct request *req)
{
    (void)req;
    return OK;
}

static const char *const colours[] = {"do", "xanh", NULL};
static const struct param_spec params[] = {
    {"name", P_TEXT, "Tên", 2, 10, NULL, true},
    {"n", P_INT, "Số", 1, 99, NULL, false},
    {"c", P_ENUM, "Màu", 0, 0, colours, false},
    {"d", P_DATE, "Ngày", 0, 0, NULL, false},
    {"note", P_LONGTEXT, "Ghi chú", 0, 0, NULL, false},
    {NULL, 0, NULL, 0, 0, NULL, false},
};

static const struct route routes[] = {
    {HTTP_GET, "/units", noop, NULL, PERM_PUBLIC, false, 0, NULL, false},
    {HTTP_GET, "/units/new", noop, NULL, PERM_PUBLIC, false, 0, NULL, false},
    {HTTP_GET, "/units/{id:int}", noop, NULL, PERM_PUBLIC, false, 0, NULL, false},
    {HTTP_POST, "/units/{id:int}", noop, NULL, PERM_PUBLIC, true, 1024, params, false},
    {HTTP_GET, "/files/{name:text}/raw", noop, NULL, PERM_PUBLIC, false, 0, NULL, false},
};
static const size_t nroutes = sizeof routes / sizeof routes[0];

struct fixture {
    struct request req;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->req.arena = arena_new();
    f->req.field_errors = json_object();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    json_decref(f->req.field_errors);
    arena_free(f->req.arena);
    free(f);
    return 0;
}

static void test_match(void **state)
{
    struct request *req = &((struct fixture *)*state)->req;
    bool wrong;
    assert_ptr_equal(router_match(routes, nroutes, HTTP_GET, "/units", req, &wrong), &routes[0]);
    assert_ptr_equal(router_match(routes, nroutes, HTTP_GET, "/units/new", req, &wrong), &routes[1]);
    assert_ptr_equal(router_match(routes, nroutes, HTTP_GET, "/units/42", req, &wrong), &routes[2]);
    assert_int_equal(req_path_int(req, "id"), 42);
    assert_ptr_equal(router_match(routes, nroutes, HTTP_HEAD, "/units/42", req, &wrong), &routes[2]);
    assert_ptr_equal(router_match(routes, nroutes, HTTP_POST, "/units/7", req, &wrong), &routes[3]);
    const struct route *r = router_match(routes, nroutes, HTTP_GET, "/files/bao-cao/raw", req, &wrong);
    assert_ptr_equal(r, &routes[4]);
    assert_string_equal(req->path_texts[0], "bao-cao");
    /* not an id: leading zero, letters, too big, empty */
    const char *bad[] = {"/units/007", "/units/1a", "/units/99999999999999999", "/units/",
                         "/units/42/", "/units//42", "/unit", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(router_match(routes, nroutes, HTTP_GET, bad[i], req, &wrong));
        assert_false(wrong);
    }
    assert_null(router_match(routes, nroutes, HTTP_POST, "/units", req, &wrong));
    assert_true(wrong); /* 405, not 404 */
}

static struct form_field *field(struct request *req, const char *name, const char *value,
                                struct form_field *next)
{
    struct form_field *f = arena_alloc(req->arena, sizeof *f);
    f->name = name;
    f->value = value;
    f->value_len = strlen(value);
    f->content_type = "";
    f->next = next;
    return f;
}

static void test_bind_types_and_errors(void **state)
{
    struct request *req = &((struct fixture *)*state)->req;
    req->route = &routes[3];
    struct err e;
    struct form_field *fs = field(req, "name", "  Hu\xCC\x9B\xCC\x81ng ",
                                  field(req, "n", "12",
                                        field(req, "c", "xanh",
                                              field(req, "d", "5/1/2026",
                                                    field(req, "_csrf", "tok", NULL)))));
    assert_int_equal(router_bind_params(req, fs, &e), OK);
    assert_false(req_has_errors(req));
    assert_string_equal(req_text(req, "name"), "Hứng"); /* trimmed and NFC */
    assert_int_equal(req_int(req, "n", 0), 12);
    assert_string_equal(req_text(req, "c"), "xanh");
    assert_string_equal(req_text(req, "d"), "2026-01-05");
    assert_null(req_text(req, "note"));
}

static void test_bind_field_errors_are_collected(void **state)
{
    struct request *req = &((struct fixture *)*state)->req;
    req->route = &routes[3];
    struct err e;
    struct form_field *fs = field(req, "n", "100", field(req, "c", "tim", field(req, "d", "30/02/2026", NULL)));
    assert_int_equal(router_bind_params(req, fs, &e), OK);
    assert_non_null(json_object_get(req->field_errors, "n"));
    assert_non_null(strstr(json_string_value(json_object_get(req->field_errors, "n")), "99"));
    assert_non_null(json_object_get(req->field_errors, "c"));
    assert_non_null(json_object_get(req->field_errors, "d"));
    /* the required name is missing */
    assert_non_null(strstr(json_string_value(json_object_get(req->field_errors, "name")), "Tên"));
}

static void test_bind_refusals(void **state)
{
    struct request *req = &((struct fixture *)*state)->req;
    req->route = &routes[3];
    struct err e;
    assert_int_equal(router_bind_params(req, field(req, "admin", "1", NULL), &e), E_INVALID);
    assert_string_equal(e.field, "admin");
    assert_non_null(strstr(e.msg, "admin"));
    assert_int_equal(router_bind_params(req, field(req, "n", "1", field(req, "n", "2", NULL)), &e),
                     E_INVALID);
    /* an empty first value does not hide the repetition */
    assert_int_equal(router_bind_params(req, field(req, "c", "", field(req, "c", "do", NULL)), &e),
                     E_INVALID);
    assert_string_equal(e.field, "c");
    assert_int_equal(router_bind_params(req, field(req, "name", "Nguy\xff", NULL), &e), E_INVALID);
    assert_non_null(strstr(e.msg, "UTF-8"));
    assert_int_equal(router_bind_params(req, field(req, "name", "Đđđđđđđđđđđ", NULL), &e), E_INVALID);
    assert_non_null(strstr(e.msg, "10"));
    assert_int_equal(router_bind_params(req, field(req, "name", "a\nb", NULL), &e), E_INVALID);
    /* a long text keeps its lines */
    assert_int_equal(router_bind_params(req, field(req, "note", "dòng 1\r\ndòng 2", NULL), &e), OK);
    assert_string_equal(req_text(req, "note"), "dòng 1\ndòng 2");
}

/* The application's route table keeps its own rules: every POST checks the
 * CSRF token and bounds its body; only the sign-in steps are public among
 * them; password hashing routes run on the AUTH lane; no pattern repeats. */
static void test_app_routes_follow_the_rules(void **state)
{
    (void)state;
    int public_posts = 0;
    for (size_t i = 0; i < app_routes_count; i++) {
        const struct route *r = &app_routes[i];
        if (r->methods & HTTP_POST) {
            assert_true(r->csrf);
            assert_true(r->body_limit > 0);
            if (r->permission == PERM_PUBLIC) {
                public_posts++;
                assert_int_equal(strncmp(r->pattern, "/login", 6), 0);
            }
        } else {
            assert_int_equal(r->body_limit, 0);
        }
        for (size_t j = 0; j < i; j++)
            assert_false(strcmp(app_routes[j].pattern, r->pattern) == 0 &&
                         (app_routes[j].methods & r->methods));
        const char *hashing[] = {"/login", "/account/password", "/users"};
        for (size_t k = 0; k < 3; k++)
            if ((r->methods & HTTP_POST) && strcmp(r->pattern, hashing[k]) == 0)
                assert_int_equal(r->lane, LANE_AUTH);
    }
    assert_int_equal(public_posts, 2); /* /login and /login/totp */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_types_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_field_errors_are_collected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_refusals, setup, teardown),
        cmocka_unit_test(test_app_routes_follow_the_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
