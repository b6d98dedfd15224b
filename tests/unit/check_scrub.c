/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_scrub.c - the `scrub` transform: each kind replaced in place with
 * the rest kept byte for byte, decoys kept, find=, also= (names as
 * written, phones in any separator form, <NAME> versus <VALUE>), overlaps,
 * with=hash giving the `hash` transform's pseudonym, the finding counters,
 * parameter errors and describe. Expected texts are written by hand.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "keyring.h"
#include "pii_detect.h"
#include "transform.h"
#include "xf_rig.h"

static keyring *ring;
static xf_rig rig;

static void setup(void)
{
    unsigned char key[32];
    deid_error err;
    for (int i = 0; i < 32; i++)
        key[i] = (unsigned char)(7 * i + 1);
    ring = keyring_new();
    ck_assert_ptr_nonnull(ring);
    ck_assert_int_eq(keyring_add_raw(ring, "k", key, 32, &err), DEID_OK);
}

static void teardown(void)
{
    xf_rig_done(&rig);
    keyring_free(ring);
}

/* Compiles `column memo scrub SPEC` with also= columns also[0..n_also). */
static deid_status compile_also(const char *spec, const char *const *also, size_t n_also)
{
    const xf_rig_setup s = {
        .ops = &xf_scrub_ops,
        .column = "memo",
        .rules_file = "t.rules",
        .line = 3,
        .col = 13,
        .keys = ring,
        .n_inputs = 1 + n_also,
        .resets_state = 1,
    };
    xf_rig_init(&rig, &s);
    if (spec && *spec)
        xf_rig_spec(&rig, spec);
    rig.ctx.also = also;
    rig.ctx.n_also = n_also;
    return xf_rig_compile(&rig);
}

static deid_status compile(const char *spec) { return compile_also(spec, NULL, 0); }

/* The text with also= values v[0..n). */
static const char *scrub_with(const char *text, const char *const *v, size_t n)
{
    static char out[1024];
    xf_value in[XF_RIG_MAX_INPUTS];
    in[0] = (xf_value){text, strlen(text)};
    for (size_t i = 0; i < n; i++)
        in[1 + i] = (xf_value){v[i], strlen(v[i])};
    dbuf b;
    const char *why;
    ck_assert_int_eq(xf_rig_apply_n(&rig, in, 1 + n, &b, 1u << 16, &why), XF_OK);
    ck_assert_uint_lt(b.len, sizeof out);
    memcpy(out, b.data ? b.data : "", b.len);
    out[b.len] = 0;
    dbuf_free(&b);
    return out;
}

START_TEST(every_kind_in_place)
{
    ck_assert_int_eq(compile(""), DEID_OK);
    xf_rig_expect(&rig, "홍길동 고객님 010-1234-5678 로 연락 요망", "홍길동 고객님 <PHONE> 로 연락 요망");
    xf_rig_expect(&rig, "주민 760730-1234567, 외국인 020229-7123456.", "주민 <RRN>, 외국인 <RRN>.");
    xf_rig_expect(&rig, "메일:hong@naver.com)", "메일:<EMAIL>)");
    xf_rig_expect(&rig, "카드 4111 1111 1111 1111 결제", "카드 <CARD> 결제");
    xf_rig_expect(&rig, "사업자 123-45-67891 확인", "사업자 <BIZNO> 확인");
    xf_rig_expect(&rig, "여권번호 M12345678 / M123A4567", "여권번호 <PASSPORT> / <PASSPORT>");
    xf_rig_expect(&rig, "면허 11-19-123456-12", "면허 <DRIVER>");
    xf_rig_expect(&rig, "차량 서울12가3456, 123가4567", "차량 <PLATE>, <PLATE>");
    xf_rig_expect(&rig, "IP 192.168.10.1 / 2001:db8::7", "IP <IP> / <IP>");
    xf_rig_expect(&rig, "환불계좌 신한 110-123-456789", "환불계좌 신한 <ACCOUNT>");
    xf_rig_expect(&rig, "(051)123-4567 또는 +82 10 9876 5432", "<PHONE> 또는 <PHONE>");
    /* nothing found: the text as it is, bytes that are not UTF-8 too */
    xf_rig_expect_bytes(&rig, "a\xff\0b", 4, "a\xff\0b", 4);
}
END_TEST

START_TEST(decoys_kept)
{
    ck_assert_int_eq(compile(""), DEID_OK);
    static const char *const decoys[] = {
        "2023-01-05 13:45:10 방문",  "2023.1.5 접수",     "20230105 기준",
        "50,000원 결제",             "잔액 1,234,567원",  "주문번호 ORD-2023-000123",
        "101동 1203호 배송",          "35세 남성",         "할인율 12.5%",
        "상품코드 SKU-88231-A",       "고객센터 1588-1234", "v2.3.1 업데이트",
        "1234-5678-9012 시리얼",
    };
    for (size_t i = 0; i < sizeof decoys / sizeof decoys[0]; i++)
        xf_rig_expect(&rig, decoys[i], decoys[i]);
}
END_TEST

START_TEST(find_limits_kinds)
{
    ck_assert_int_eq(compile("find=phone,email"), DEID_OK);
    xf_rig_expect(&rig, "010-1234-5678 760730-1234567 a@b.kr", "<PHONE> 760730-1234567 <EMAIL>");
    xf_rig_expect_describe(&rig, "find=phone,email with=tag");
    xf_rig_done(&rig);
    ck_assert_int_eq(compile("find=all"), DEID_OK);
    xf_rig_expect_describe(&rig, "find=all with=tag");
}
END_TEST

START_TEST(also_values)
{
    static const char *const also[] = {"name", "phone", "nickname"};
    ck_assert_int_eq(compile_also("", also, 3), DEID_OK);
    xf_rig_expect_describe(&rig, "find=all also=name(<NAME>),phone(<VALUE>),nickname(<VALUE>) with=tag");
    const char *v[] = {"홍길동", "010-1234-5678", "Kim"};
    /* the name as written, with a particle attached; the phone in other
     * separator forms; a different phone stays a <PHONE> */
    ck_assert_str_eq(scrub_with("홍길동님이 010.1234.5678 또는 01012345678, 010-9999-8888로", v, 3),
                     "<NAME>님이 <VALUE> 또는 <VALUE>, <PHONE>로");
    /* ASCII edges: Kim is not taken out of Kimberly */
    ck_assert_str_eq(scrub_with("Kim and Kimberly", v, 3), "<VALUE> and Kimberly");
    /* empty and blank also= values remove nothing */
    const char *blank[] = {"", "  ", ""};
    ck_assert_str_eq(scrub_with("홍길동 010-1234-5678", blank, 3), "홍길동 <PHONE>");
}
END_TEST

START_TEST(also_overrides_find)
{
    /* find=email only, but also=phone still removes that phone */
    static const char *const also[] = {"tel"};
    ck_assert_int_eq(compile_also("find=email", also, 1), DEID_OK);
    const char *v[] = {"02-123-4567"};
    ck_assert_str_eq(scrub_with("연락 (02) 123 4567, 010-1234-5678", v, 1), "연락 <VALUE>, 010-1234-5678");
}
END_TEST

START_TEST(name_columns)
{
    static const char *const names[] = {"Name", "성명", "이름", "고객명"};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(compile_also("", &names[i], 1), DEID_OK);
        const char *v[] = {"이순신"};
        ck_assert_str_eq(scrub_with("담당 이순신", v, 1), "담당 <NAME>");
        xf_rig_done(&rig);
    }
}
END_TEST

START_TEST(overlaps_become_one)
{
    /* the also= value covers part of a phone and more: one tag, no digit left */
    static const char *const also[] = {"name"};
    ck_assert_int_eq(compile_also("", also, 1), DEID_OK);
    const char *v[] = {"5678 홍"};
    ck_assert_str_eq(scrub_with("x 010-1234-5678 홍길동", v, 1), "x <PHONE>길동");
}
END_TEST

START_TEST(hash_shares_the_hash_column_pseudonym)
{
    ck_assert_int_eq(compile("with=hash key=k domain=phone"), DEID_OK);
    xf_rig other;
    const xf_rig_setup hs = {
        .ops = &xf_hash_ops, .column = "phone", .rules_file = "t.rules", .line = 4, .col = 13,
        .keys = ring, .resets_state = 1,
    };
    xf_rig_init(&other, &hs);
    xf_rig_spec(&other, "key=k domain=phone normalize=digits");
    xf_rig_compile_ok(&other);
    dbuf h;
    const char *why;
    ck_assert_int_eq(xf_rig_apply(&other, "010-1234-5678", &h, 4096, &why), XF_OK);
    char want[128];
    ck_assert_uint_eq(h.len, 26);
    snprintf(want, sizeof want, "연락 %.*s 요망 %.*s", (int)h.len, h.data, (int)h.len, h.data);
    /* the same phone written two ways: the same pseudonym */
    xf_rig_expect(&rig, "연락 010-1234-5678 요망 +82 10.1234.5678", want);
    dbuf_free(&h);
    xf_rig_done(&other);
    /* another domain: another pseudonym */
    xf_rig_done(&rig);
    ck_assert_int_eq(compile("with=hash key=k domain=memo"), DEID_OK);
    dbuf o;
    ck_assert_int_eq(xf_rig_apply(&rig, "010-1234-5678", &o, 4096, &why), XF_OK);
    ck_assert_uint_eq(o.len, 26);
    ck_assert_int_ne(memcmp(o.data, want + strlen("연락 "), 26), 0);
    dbuf_free(&o);
}
END_TEST

START_TEST(counts_per_kind)
{
    static const char *const also[] = {"name"};
    ck_assert_int_eq(compile_also("", also, 1), DEID_OK);
    ck_assert_uint_eq(xf_scrub_ops.n_findings, PII_KIND_COUNT + 1);
    ck_assert_str_eq(xf_scrub_ops.finding_names[PII_PHONE], "phone");
    ck_assert_str_eq(xf_scrub_ops.finding_names[PII_KIND_COUNT], "also");
    uint64_t counts[PII_KIND_COUNT + 1] = {0};
    xf_value in[2] = {{"홍길동 010-1234-5678 02-123-4567 a@b.kr", 0}, {"홍길동", 0}};
    in[0].len = strlen(in[0].data);
    in[1].len = strlen(in[1].data);
    dbuf out;
    dbuf_init(&out, 4096);
    const char *why = NULL;
    ck_assert_int_eq(xf_scrub_ops.apply_counting(rig.state, in, 2, &out, &why, counts), XF_OK);
    ck_assert_uint_eq(counts[PII_PHONE], 2);
    ck_assert_uint_eq(counts[PII_EMAIL], 1);
    ck_assert_uint_eq(counts[PII_RRN], 0);
    ck_assert_uint_eq(counts[PII_KIND_COUNT], 1);
    dbuf_free(&out);
}
END_TEST

START_TEST(parameter_errors)
{
    deid_status st = compile("find=phone,ssn");
    xf_rig_expect_rules_error(&rig, st, 1, "each kind must be one of");
    xf_rig_done(&rig);
    st = compile("with=mask");
    xf_rig_expect_rules_error(&rig, st, 1, "with=mask is not one of tag, hash");
    xf_rig_done(&rig);
    st = compile("with=tag key=k");
    xf_rig_expect_rules_error(&rig, st, 10, "key= is for with=hash");
    xf_rig_done(&rig);
    st = compile("with=hash");
    ck_assert_int_eq(st, DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(rig.err.message, "key"));
    xf_rig_done(&rig);
    static const char *const self[] = {"memo"};
    st = compile_also("", self, 1);
    xf_rig_expect_rules_error(&rig, st, 13, "also= names the column being scrubbed");
}
END_TEST

Suite *scrub_suite(void); /* called by check_main.c */

Suite *scrub_suite(void)
{
    Suite *s = suite_create("scrub");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, every_kind_in_place);
    tcase_add_test(tc, decoys_kept);
    tcase_add_test(tc, find_limits_kinds);
    tcase_add_test(tc, also_values);
    tcase_add_test(tc, also_overrides_find);
    tcase_add_test(tc, name_columns);
    tcase_add_test(tc, overlaps_become_one);
    tcase_add_test(tc, hash_shares_the_hash_column_pseudonym);
    tcase_add_test(tc, counts_per_kind);
    tcase_add_test(tc, parameter_errors);
    suite_add_tcase(s, tc);
    return s;
}
