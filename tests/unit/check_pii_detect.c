/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_pii_detect.c - the identifier detector: every kind in its printed
 * forms, the boundary rule, decoys that must stay, overlap resolution,
 * whole-value tests and normalization. Expected texts are written by hand;
 * check digits were computed by hand from the algorithms in DOMAIN.md.
 */
#include <check.h>
#include <string.h>

#include "pii_detect.h"

/* text with each finding replaced by its tag */
static char tagged[1024];

typedef struct tag_ctx {
    const char *text;
    size_t pos;
    size_t out;
} tag_ctx;

static void put(tag_ctx *t, const char *s, size_t n)
{
    ck_assert_uint_lt(t->out + n, sizeof tagged);
    memcpy(tagged + t->out, s, n);
    t->out += n;
}

static int tag_found(const pii_span *span, void *ctx)
{
    tag_ctx *t = ctx;
    ck_assert_uint_ge(span->start, t->pos);
    put(t, t->text + t->pos, span->start - t->pos);
    put(t, pii_kind_tag(span->kind), strlen(pii_kind_tag(span->kind)));
    t->pos = span->start + span->len;
    return 0;
}

static const char *tag_kinds(const char *text, unsigned kinds)
{
    tag_ctx t = {text, 0, 0};
    size_t len = strlen(text);
    ck_assert_int_eq(pii_find(text, len, kinds, tag_found, &t), 0);
    put(&t, text + t.pos, len - t.pos);
    tagged[t.out] = 0;
    return tagged;
}

static const char *tag(const char *text) { return tag_kinds(text, PII_ALL_KINDS); }

#define EXPECT(in, out) ck_assert_str_eq(tag(in), out)
#define SAME(in) ck_assert_str_eq(tag(in), in)

START_TEST(names_and_tags)
{
    pii_kind k;
    for (unsigned i = 0; i < PII_KIND_COUNT; i++) {
        ck_assert_int_eq(pii_kind_parse(pii_kind_name((pii_kind)i), &k), 0);
        ck_assert_int_eq(k, i);
    }
    ck_assert_str_eq(pii_kind_name(PII_BIZNO), "bizno");
    ck_assert_str_eq(pii_kind_tag(PII_ACCOUNT), "<ACCOUNT>");
    ck_assert_int_eq(pii_kind_parse("phones", &k), -1);
}
END_TEST

START_TEST(rrn)
{
    EXPECT("주민번호 760730-1234567 확인", "주민번호 <RRN> 확인");
    EXPECT("760730 1234567", "<RRN>");
    EXPECT("7607301234567", "<RRN>");
    EXPECT("외국인 020229-7123456", "외국인 <RRN>");
    EXPECT("1800s 990101-9123456", "1800s <RRN>");
    /* month 13, day 32: not a birth date */
    SAME("761330-1234567");
    SAME("760732-1234567");
    /* undivided and G outside 1-8: too likely to be some other number */
    SAME("7607309234567");
    /* part of a longer run */
    SAME("17607301234567");
}
END_TEST

START_TEST(phone)
{
    EXPECT("010-1234-5678로 연락", "<PHONE>로 연락");
    EXPECT("010.1234.5678", "<PHONE>");
    EXPECT("010 1234 5678", "<PHONE>");
    EXPECT("01012345678", "<PHONE>");
    EXPECT("011-123-4567", "<PHONE>");
    EXPECT("010-12345678", "<PHONE>");
    EXPECT("02-123-4567", "<PHONE>");
    EXPECT("02-1234-5678", "<PHONE>");
    EXPECT("(051)123-4567", "<PHONE>");
    EXPECT("051)123-4567", "<PHONE>");
    EXPECT("(02) 1234 5678", "<PHONE>");
    EXPECT("031-123-4567", "<PHONE>");
    EXPECT("070-1234-5678", "<PHONE>");
    EXPECT("+82-10-1234-5678", "<PHONE>");
    EXPECT("+82 10 1234 5678", "<PHONE>");
    EXPECT("+82 (0)10 1234 5678", "<PHONE>");
    EXPECT("+821012345678", "<PHONE>");
    EXPECT("+82-2-123-4567", "<PHONE>");
    /* mixed separators, unknown area codes, service numbers */
    SAME("010-1234.5678");
    SAME("035-123-4567");
    SAME("1588-1234");
    SAME("010-123-45678");
    SAME("010-0234-5678");
}
END_TEST

START_TEST(email)
{
    EXPECT("메일 Hong.Gil-dong+x@naver.com 으로", "메일 <EMAIL> 으로");
    EXPECT("a@b.co.kr.", "<EMAIL>.");
    SAME("a@b");
    SAME("@naver.com");
    SAME("a@b.c1");
}
END_TEST

START_TEST(card)
{
    EXPECT("카드 4111-1111-1111-1111 결제", "카드 <CARD> 결제");
    EXPECT("4111 1111 1111 1111", "<CARD>");
    EXPECT("4111111111111111", "<CARD>");
    EXPECT("3782-822463-10005", "<CARD>");
    SAME("4111-1111-1111-1112");   /* Luhn fails */
    SAME("4111-1111 1111-1111");   /* mixed separators */
}
END_TEST

START_TEST(bizno)
{
    /* 123-45-67890: sum 1+6+21+4+15+42+7+24+45 = 165, + 9*5/10 = 4 -> 169,
     * check (10 - 9) % 10 = 1 */
    EXPECT("사업자 123-45-67891", "사업자 <BIZNO>");
    SAME("123-45-67890");
}
END_TEST

START_TEST(passport_driver)
{
    EXPECT("여권 M12345678", "여권 <PASSPORT>");
    EXPECT("M123A4567", "<PASSPORT>");
    SAME("X12345678");
    SAME("M1234567");
    SAME("AM12345678");
    EXPECT("면허 11-19-123456-12", "면허 <DRIVER>");
    EXPECT("서울 19-123456-12", "<DRIVER>");
    SAME("10-19-123456-12");
    SAME("29-19-123456-12");
}
END_TEST

START_TEST(plate)
{
    EXPECT("차량 12가3456 주차", "차량 <PLATE> 주차");
    EXPECT("123가4567", "<PLATE>");
    EXPECT("12가 3456", "<PLATE>");
    EXPECT("서울12가3456", "<PLATE>");
    EXPECT("경기 1가 1234", "<PLATE>");
    SAME("12김3456");
    SAME("1203호");
    SAME("101동 1203호");
    SAME("1234가5678");
}
END_TEST

START_TEST(ip)
{
    EXPECT("접속 192.168.0.1 에서", "접속 <IP> 에서");
    EXPECT("2001:db8::1", "<IP>");
    EXPECT("::1", "<IP>");
    EXPECT("fe80:0:0:0:202:b3ff:fe1e:8329", "<IP>");
    EXPECT("::ffff:192.0.2.1", "<IP>");
    SAME("256.1.1.1");
    SAME("1.2.3.4.5");
    SAME("13:45:10");
}
END_TEST

START_TEST(account)
{
    EXPECT("국민 123456-12-123456", "국민 <ACCOUNT>");
    EXPECT("신한 110-123-456789", "신한 <ACCOUNT>");
    EXPECT("우리 1002-123-456789", "우리 <ACCOUNT>");
    EXPECT("하나 123-456789-12345", "하나 <ACCOUNT>");
    EXPECT("농협 301-1234-5678-11", "농협 <ACCOUNT>");
    EXPECT("기업 123-123456-12-123", "기업 <ACCOUNT>");
    EXPECT("카카오 3333-12-1234567", "카카오 <ACCOUNT>");
    EXPECT("토스 1000-1234-5678", "토스 <ACCOUNT>");
    SAME("1234-5678-9012");
    /* undivided: ambiguous, left alone */
    SAME("12345612123456");
}
END_TEST

START_TEST(decoys)
{
    SAME("2023-01-05 13:45 방문");
    SAME("2023.1.5");
    SAME("20230105");
    SAME("50,000원 결제, 잔액 1,234,567원");
    SAME("주문번호 ORD-2023-000123");
    SAME("101동 1203호");
    SAME("35세 남성");
    SAME("할인 12.5%");
    SAME("상품 SKU-88231-A, AB-1234-5678");
    SAME("고객센터 1588-1234");
    SAME("v1.2.3 배포");
}
END_TEST

START_TEST(boundaries_and_order)
{
    /* inside a longer run of letters or digits */
    SAME("X010-1234-5678");
    SAME("9010-1234-5678");
    SAME("010-1234-5678Z");
    SAME("ID-010-1234-5678");
    /* several in order, different kinds */
    EXPECT("홍길동 010-1234-5678, hong@a.com, 760730-1234567",
           "홍길동 <PHONE>, <EMAIL>, <RRN>");
    /* kinds restrict */
    ck_assert_str_eq(tag_kinds("010-1234-5678 760730-1234567", 1u << PII_RRN), "010-1234-5678 <RRN>");
    /* a number that goes on after a comma or point is not cut into */
    EXPECT("4111 1111 1111 1111 59,599개", "<CARD> 59,599개");
    SAME("1,010-1234-5678");
    SAME("010-1234-5678.5");
    /* longest wins: NH account 3-4-4-2 over the phone 3-4-4 inside it */
    EXPECT("010-1234-5678-12", "<ACCOUNT>");
}
END_TEST

static int stop_first(const pii_span *span, void *ctx)
{
    (void)span;
    (*(int *)ctx)++;
    return 7;
}

START_TEST(callback_stops)
{
    int calls = 0;
    const char *t = "010-1234-5678 010-1234-5678";
    ck_assert_int_eq(pii_find(t, strlen(t), PII_ALL_KINDS, stop_first, &calls), 7);
    ck_assert_int_eq(calls, 1);
}
END_TEST

START_TEST(value_is)
{
    ck_assert_int_eq(pii_value_is(PII_PHONE, " 010-1234-5678 ", 15), 1);
    ck_assert_int_eq(pii_value_is(PII_PHONE, "tel 010-1234-5678", 17), 0);
    ck_assert_int_eq(pii_value_is(PII_RRN, "010-1234-5678", 13), 0);
    ck_assert_int_eq(pii_value_is(PII_EMAIL, "a@b.kr", 6), 1);
    ck_assert_int_eq(pii_value_is(PII_EMAIL, "", 0), 0);
}
END_TEST

static const char *norm(pii_kind kind, const char *value)
{
    static char out[128];
    dbuf b;
    dbuf_init(&b, 100);
    ck_assert_int_eq(pii_normalize(kind, value, strlen(value), &b), DBUF_OK);
    ck_assert_uint_lt(b.len, sizeof out);
    memcpy(out, b.data ? b.data : "", b.len);
    out[b.len] = 0;
    dbuf_free(&b);
    return out;
}

START_TEST(normalize)
{
    ck_assert_str_eq(norm(PII_PHONE, "010-1234-5678"), "01012345678");
    ck_assert_str_eq(norm(PII_PHONE, "010.1234.5678"), "01012345678");
    ck_assert_str_eq(norm(PII_PHONE, "+82 10 1234 5678"), "01012345678");
    ck_assert_str_eq(norm(PII_PHONE, "+82 (0)10 1234 5678"), "01012345678");
    ck_assert_str_eq(norm(PII_PHONE, "+82-2-123-4567"), "021234567");
    ck_assert_str_eq(norm(PII_PHONE, "(02) 123-4567"), "021234567");
    ck_assert_str_eq(norm(PII_RRN, "760730-1234567"), "7607301234567");
    ck_assert_str_eq(norm(PII_EMAIL, "Hong@Naver.COM"), "hong@naver.com");
    ck_assert_str_eq(norm(PII_PLATE, "12가 3456"), "12가3456");
    ck_assert_str_eq(norm(PII_CARD, "4111 1111 1111 1111"), "4111111111111111");
}
END_TEST

Suite *pii_detect_suite(void); /* called by check_main.c */

Suite *pii_detect_suite(void)
{
    Suite *s = suite_create("pii_detect");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, names_and_tags);
    tcase_add_test(tc, rrn);
    tcase_add_test(tc, phone);
    tcase_add_test(tc, email);
    tcase_add_test(tc, card);
    tcase_add_test(tc, bizno);
    tcase_add_test(tc, passport_driver);
    tcase_add_test(tc, plate);
    tcase_add_test(tc, ip);
    tcase_add_test(tc, account);
    tcase_add_test(tc, decoys);
    tcase_add_test(tc, boundaries_and_order);
    tcase_add_test(tc, callback_stops);
    tcase_add_test(tc, value_is);
    tcase_add_test(tc, normalize);
    suite_add_tcase(s, tc);
    return s;
}
