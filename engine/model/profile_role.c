/* SPDX-License-Identifier: Apache-2.0 */
/*
 * profile_role.c - from a column's profile and header name to a suggested
 * role with a one-line reason. The rules of thumb, in the order tried:
 * identifiers (pii_detect kinds), Korean names, dates, addresses,
 * diagnosis codes, constants, numbers (zip codes, ages, record keys,
 * amounts), free text, sex, record keys, small code lists. A share of at
 * least MAJOR of the non-empty values decides; identifiers count from
 * HALF, since a column half full of phone numbers must not pass.
 */
#include <stdio.h>
#include <string.h>

#include "profile_role.h"

#define MAJOR 0.8
#define HALF 0.5
/* At most this many distinct values make a code list (sex, job, ...). */
#define CATEGORY_MAX 50u
/* A record key needs this many values before uniqueness means anything. */
#define KEY_MIN_VALUES 20u

/* Header-name hints. Hangul patterns match anywhere in the name; ASCII
 * ones match a whole word of it (split at anything but letters and
 * digits) or the whole name without separators ("e-mail", "zip_code").
 * The first row that matches wins, so the more specific come first
 * (전화번호 is a phone before 번호 makes it an id). */
static const struct {
    profile_hint hint;
    const char *pattern;
} hints[] = {
    {HINT_RRN, "주민"}, {HINT_RRN, "외국인등록"}, {HINT_RRN, "rrn"}, {HINT_RRN, "ssn"},
    {HINT_RRN, "jumin"}, {HINT_RRN, "resident"},
    {HINT_BIZNO, "사업자"}, {HINT_BIZNO, "bizno"}, {HINT_BIZNO, "brn"},
    {HINT_PASSPORT, "여권"}, {HINT_PASSPORT, "passport"},
    {HINT_DRIVER, "면허"}, {HINT_DRIVER, "license"}, {HINT_DRIVER, "licence"},
    {HINT_PLATE, "차량번호"}, {HINT_PLATE, "번호판"}, {HINT_PLATE, "plate"},
    {HINT_CARD, "카드"}, {HINT_CARD, "card"}, {HINT_CARD, "cardno"},
    {HINT_ACCOUNT, "계좌"}, {HINT_ACCOUNT, "account"}, {HINT_ACCOUNT, "acct"},
    {HINT_PHONE, "연락처"}, {HINT_PHONE, "휴대폰"}, {HINT_PHONE, "핸드폰"}, {HINT_PHONE, "전화"},
    {HINT_PHONE, "휴대"}, {HINT_PHONE, "phone"}, {HINT_PHONE, "mobile"}, {HINT_PHONE, "tel"},
    {HINT_PHONE, "cell"}, {HINT_PHONE, "telephone"}, {HINT_PHONE, "hp"},
    {HINT_PHONE, "phoneno"}, {HINT_PHONE, "phonenumber"}, {HINT_PHONE, "mobileno"},
    {HINT_PHONE, "telno"}, {HINT_PHONE, "hpno"}, {HINT_PHONE, "cellphone"},
    {HINT_EMAIL, "이메일"}, {HINT_EMAIL, "메일"}, {HINT_EMAIL, "전자우편"}, {HINT_EMAIL, "email"},
    {HINT_EMAIL, "mail"},
    {HINT_IP, "아이피"}, {HINT_IP, "ip"}, {HINT_IP, "ipaddress"},
    {HINT_ZIP, "우편"}, {HINT_ZIP, "zip"}, {HINT_ZIP, "zipcode"}, {HINT_ZIP, "postcode"},
    {HINT_ZIP, "postal"}, {HINT_ZIP, "postalcode"},
    {HINT_ADDRESS, "주소"}, {HINT_ADDRESS, "거주지"}, {HINT_ADDRESS, "소재지"},
    {HINT_ADDRESS, "도로명"}, {HINT_ADDRESS, "address"}, {HINT_ADDRESS, "addr"},
    {HINT_BIRTH, "생년월일"}, {HINT_BIRTH, "생일"}, {HINT_BIRTH, "출생"}, {HINT_BIRTH, "birth"},
    {HINT_BIRTH, "dob"}, {HINT_BIRTH, "birthday"}, {HINT_BIRTH, "birthdate"},
    {HINT_BIRTH, "dateofbirth"},
    {HINT_SEX, "성별"}, {HINT_SEX, "sex"}, {HINT_SEX, "gender"},
    {HINT_AGE, "나이"}, {HINT_AGE, "연령"}, {HINT_AGE, "age"},
    {HINT_INCOME, "소득"}, {HINT_INCOME, "연봉"}, {HINT_INCOME, "급여"}, {HINT_INCOME, "월급"},
    {HINT_INCOME, "수입"}, {HINT_INCOME, "income"}, {HINT_INCOME, "salary"},
    {HINT_INCOME, "wage"}, {HINT_INCOME, "pay"}, {HINT_INCOME, "earnings"},
    {HINT_DIAGNOSIS, "진단"}, {HINT_DIAGNOSIS, "병명"}, {HINT_DIAGNOSIS, "질병"},
    {HINT_DIAGNOSIS, "상병"}, {HINT_DIAGNOSIS, "질환"}, {HINT_DIAGNOSIS, "diagnosis"},
    {HINT_DIAGNOSIS, "disease"}, {HINT_DIAGNOSIS, "icd"}, {HINT_DIAGNOSIS, "dx"},
    {HINT_JOB, "직업"}, {HINT_JOB, "직종"}, {HINT_JOB, "직군"}, {HINT_JOB, "job"},
    {HINT_JOB, "occupation"}, {HINT_JOB, "profession"},
    {HINT_MEMO, "메모"}, {HINT_MEMO, "비고"}, {HINT_MEMO, "상담"}, {HINT_MEMO, "내용"},
    {HINT_MEMO, "특이사항"}, {HINT_MEMO, "memo"}, {HINT_MEMO, "note"}, {HINT_MEMO, "notes"},
    {HINT_MEMO, "comment"}, {HINT_MEMO, "comments"}, {HINT_MEMO, "remark"},
    {HINT_MEMO, "remarks"}, {HINT_MEMO, "description"},
    {HINT_DATE, "일자"}, {HINT_DATE, "날짜"}, {HINT_DATE, "일시"}, {HINT_DATE, "date"},
    {HINT_NAME, "성명"}, {HINT_NAME, "이름"}, {HINT_NAME, "고객명"}, {HINT_NAME, "성함"},
    {HINT_NAME, "회원명"}, {HINT_NAME, "환자명"}, {HINT_NAME, "예금주"}, {HINT_NAME, "name"},
    {HINT_NAME, "fullname"},
    {HINT_ID, "번호"}, {HINT_ID, "아이디"}, {HINT_ID, "식별"}, {HINT_ID, "id"},
    {HINT_ID, "no"}, {HINT_ID, "number"}, {HINT_ID, "key"}, {HINT_ID, "customerid"},
    {HINT_ID, "userid"}, {HINT_ID, "memberid"},
};

static const char *const hint_names[HINT_COUNT] = {
    "", "name", "rrn", "phone", "email", "address", "birth", "date", "sex", "age", "zip",
    "income", "diagnosis", "card", "account", "bizno", "passport", "driver", "plate", "ip",
    "id", "job", "memo",
};

const char *profile_hint_name(profile_hint hint)
{
    return hint < HINT_COUNT ? hint_names[hint] : "";
}

static int ascii_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Does the ASCII pattern match a word of lower (lower-cased name) or the
 * whole name without separators (joined)? */
static int ascii_match(const char *lower, const char *joined, const char *pat)
{
    size_t plen = strlen(pat);
    if (!strcmp(joined, pat))
        return 1;
    for (const char *w = lower; *w;) {
        if (!ascii_alnum(*w)) {
            w++;
            continue;
        }
        size_t n = 0;
        while (ascii_alnum(w[n]))
            n++;
        if (n == plen && !memcmp(w, pat, n))
            return 1;
        w += n;
    }
    return 0;
}

profile_hint profile_name_hint(const char *name)
{
    char lower[256], joined[256];
    size_t j = 0, i = 0;
    if (!name)
        return HINT_NONE;
    for (; name[i] && i < sizeof lower - 1; i++) {
        char c = name[i];
        lower[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        if (ascii_alnum(lower[i]) || (unsigned char)c >= 0x80)
            joined[j++] = lower[i];
    }
    lower[i] = joined[j] = '\0';
    for (size_t k = 0; k < sizeof hints / sizeof hints[0]; k++) {
        const char *p = hints[k].pattern;
        int hangul = (unsigned char)p[0] >= 0x80;
        if (hangul ? strstr(lower, p) != NULL : ascii_match(lower, joined, p))
            return hints[k].hint;
    }
    return HINT_NONE;
}

const char *profile_role_name(profile_role role)
{
    static const char *const names[] = {"direct identifier", "quasi-identifier", "sensitive",
                                        "other"};
    return names[role];
}

const char *profile_content_name(const profile_verdict *v)
{
    static const char *const names[] = {
        "empty", "one value", "", "Korean names", "record keys", "free text with identifiers",
        "free text", "dates", "addresses", "ages", "zip codes", "sex", "diagnosis codes",
        "amounts", "a code list", "mixed values",
    };
    static const char *const kinds[PII_KIND_COUNT] = {
        "resident registration numbers", "phone numbers", "e-mail addresses", "card numbers",
        "business registration numbers", "passport numbers", "driver's licence numbers",
        "vehicle plates", "IP addresses", "bank account numbers",
    };
    if (v->content == CONTENT_IDENTIFIER && v->kind >= 0 && v->kind < (int)PII_KIND_COUNT)
        return kinds[v->kind];
    return names[v->content];
}

/* The hints that agree with a kind of identifier. */
static profile_hint kind_hint(int kind)
{
    static const profile_hint h[PII_KIND_COUNT] = {
        HINT_RRN, HINT_PHONE, HINT_EMAIL, HINT_CARD, HINT_BIZNO, HINT_PASSPORT, HINT_DRIVER,
        HINT_PLATE, HINT_IP, HINT_ACCOUNT,
    };
    return kind >= 0 && kind < (int)PII_KIND_COUNT ? h[kind] : HINT_NONE;
}

static int agrees(const profile_verdict *v)
{
    profile_hint h = v->hint;
    switch (v->content) {
    case CONTENT_IDENTIFIER: return h == kind_hint(v->kind) || h == HINT_ID;
    case CONTENT_NAME: return h == HINT_NAME;
    case CONTENT_KEY: return h == HINT_ID;
    case CONTENT_TEXT_IDS:
    case CONTENT_TEXT: return h == HINT_MEMO;
    case CONTENT_DATE: return h == HINT_BIRTH || h == HINT_DATE;
    case CONTENT_ADDRESS: return h == HINT_ADDRESS;
    case CONTENT_AGE: return h == HINT_AGE;
    case CONTENT_ZIP: return h == HINT_ZIP;
    case CONTENT_SEX: return h == HINT_SEX;
    case CONTENT_DIAGNOSIS: return h == HINT_DIAGNOSIS;
    case CONTENT_AMOUNT: return h == HINT_INCOME;
    case CONTENT_CATEGORY: return h == HINT_JOB || h == HINT_DIAGNOSIS || h == HINT_INCOME;
    default: return 0;
    }
}

/* Sex written as a code: every distinct value is one of these. */
static int sex_values(const profile_column *c)
{
    static const char *const words[] = {"M", "F", "m", "f", "남", "여", "남자", "여자", "남성",
                                        "여성", "male", "female", "Male", "Female", "MALE",
                                        "FEMALE"};
    int exact;
    uint64_t n = profile_column_distinct(c, &exact);
    if (!exact || n < 1 || n > 3)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const char *v;
        size_t len, k;
        if (profile_column_value(c, i, &v, &len))
            return 0;
        for (k = 0; k < sizeof words / sizeof words[0]; k++)
            if (strlen(words[k]) == len && !memcmp(words[k], v, len))
                break;
        if (k == sizeof words / sizeof words[0])
            return 0;
    }
    return 1;
}

/* "every value is X" or "N% of the values are X". */
static void share_text(char *buf, size_t size, uint64_t n, uint64_t of, const char *what)
{
    if (n == of)
        snprintf(buf, size, "all values are %s", what);
    else
        snprintf(buf, size, "%u%% of the values are %s", (unsigned)(100.0 * (double)n / (double)of),
                 what);
}

static void set(profile_verdict *v, profile_role role, profile_content content, int all)
{
    v->role = role;
    v->content = content;
    v->all = all;
}

void profile_judge(const profile_column *c, const char *name, profile_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->kind = -1;
    v->hint = profile_name_hint(name);
    uint64_t n = c->nonempty;
    int exact;
    uint64_t distinct = profile_column_distinct(c, &exact);
    char why[200] = "";
    double of = n ? (double)n : 1.0;
#define SHARE(x) ((double)(x) / of)
#define SH(b) (c->shape[b])
    int best = -1;
    for (int k = 0; k < (int)PII_KIND_COUNT; k++)
        if (c->kind[k] && (best < 0 || c->kind[k] > c->kind[best]))
            best = k;
    uint64_t text_ids = SH(PROF_TEXT_ID), text_names = SH(PROF_TEXT_NAME);
    int textual = SHARE(SH(PROF_SPACE)) >= 0.3 || (n && c->sum_chars / n >= 20);

    if (n == 0) {
        set(v, ROLE_OTHER, CONTENT_EMPTY, 1);
        snprintf(why, sizeof why, "no value in the records read");
    } else if (best >= 0 && SHARE(c->kind[best]) >= HALF) {
        set(v, ROLE_DIRECT, CONTENT_IDENTIFIER, c->kind[best] == n);
        v->kind = best;
        share_text(why, sizeof why, c->kind[best], n, profile_content_name(v));
    } else if (SHARE(SH(PROF_NAME)) >= MAJOR) {
        set(v, ROLE_DIRECT, CONTENT_NAME, SH(PROF_NAME) == n);
        share_text(why, sizeof why, SH(PROF_NAME), n,
                   "Korean names (2-4 syllables after a common family name)");
    } else if (SHARE(SH(PROF_DATE)) >= MAJOR) {
        set(v, ROLE_QUASI, CONTENT_DATE, SH(PROF_DATE_PLAIN) == n);
        share_text(why, sizeof why, SH(PROF_DATE), n, "dates");
    } else if (SHARE(SH(PROF_ADDRESS)) >= MAJOR) {
        set(v, ROLE_QUASI, CONTENT_ADDRESS, SH(PROF_ADDRESS) == n);
        share_text(why, sizeof why, SH(PROF_ADDRESS), n, "addresses (starting with a 시도)");
    } else if (SHARE(SH(PROF_ICD)) >= MAJOR) {
        set(v, ROLE_SENSITIVE, CONTENT_DIAGNOSIS, SH(PROF_ICD) == n);
        share_text(why, sizeof why, SH(PROF_ICD), n, "ICD-10 diagnosis codes");
    } else if (distinct == 1 && exact) {
        set(v, ROLE_OTHER, CONTENT_CONSTANT, 1);
        snprintf(why, sizeof why, "one value in every non-empty record: it tells people apart no more than a constant");
    } else if ((v->hint == HINT_SEX && exact && distinct <= 3) || sex_values(c)) {
        set(v, ROLE_QUASI, CONTENT_SEX, 1);
        snprintf(why, sizeof why, "%u distinct values%s", (unsigned)distinct,
                 sex_values(c) ? ", all of them codes for sex" : "");
    } else if (SHARE(SH(PROF_NUMBER)) >= MAJOR) {
        int unique = n >= KEY_MIN_VALUES && (exact ? distinct == n : distinct >= n * 98 / 100);
        if (SHARE(SH(PROF_ZIP)) >= MAJOR && !(unique && v->hint != HINT_ZIP)) {
            set(v, ROLE_QUASI, CONTENT_ZIP, SH(PROF_ZIP) == n);
            share_text(why, sizeof why, SH(PROF_ZIP), n, "five-digit numbers, like zip codes");
        } else if (unique && SH(PROF_INT) == SH(PROF_NUMBER)) {
            set(v, ROLE_DIRECT, CONTENT_KEY, 1);
            snprintf(why, sizeof why, "whole numbers, a different one in every record: a record key");
        } else if (SHARE(SH(PROF_AGE)) >= MAJOR && v->hint != HINT_INCOME) {
            set(v, ROLE_QUASI, CONTENT_AGE, SH(PROF_AGE) == n);
            share_text(why, sizeof why, SH(PROF_AGE), n, "whole numbers from 0 to 130, like ages");
        } else {
            set(v, ROLE_SENSITIVE, CONTENT_AMOUNT, 1);
            share_text(why, sizeof why, SH(PROF_NUMBER), n,
                       "numbers beyond ages and zip codes: a measure or an amount");
        }
    } else if (textual || text_ids) {
        v->has_names = text_names > 0 || SH(PROF_NAME) > 0;
        uint64_t with_ids = text_ids;
        if (with_ids || v->has_names) {
            set(v, ROLE_DIRECT, CONTENT_TEXT_IDS, 0);
            char kinds[120] = "";
            size_t at = 0;
            for (int k = 0; k < (int)PII_KIND_COUNT && at < sizeof kinds; k++)
                if (c->text_kind[k])
                    at += (size_t)snprintf(kinds + at, sizeof kinds - at, "%s%s",
                                           at ? ", " : "", pii_kind_name((pii_kind)k));
            if (with_ids)
                snprintf(why, sizeof why, "free text; %u%% of the values hold identifiers (%s)%s",
                         (unsigned)(100.0 * SHARE(with_ids) + 0.999), kinds,
                         v->has_names ? " and words shaped like Korean names" : "");
            else
                snprintf(why, sizeof why,
                         "free text; %u%% of the values hold words shaped like Korean names",
                         (unsigned)(100.0 * SHARE(text_names + SH(PROF_NAME)) + 0.999));
        } else {
            set(v, ROLE_OTHER, CONTENT_TEXT, 0);
            snprintf(why, sizeof why,
                     "free text; no identifier found in it, but text may hold anything");
        }
    } else if (n >= KEY_MIN_VALUES && (exact ? distinct == n : distinct >= n * 98 / 100)) {
        set(v, ROLE_DIRECT, CONTENT_KEY, 1);
        snprintf(why, sizeof why, "a different value in every record: a record key");
    } else if (exact && distinct <= CATEGORY_MAX) {
        int sensitive = v->hint == HINT_DIAGNOSIS || v->hint == HINT_INCOME;
        set(v, sensitive ? ROLE_SENSITIVE : ROLE_QUASI, CONTENT_CATEGORY, 1);
        snprintf(why, sizeof why, "%u distinct values: a code list %s", (unsigned)distinct,
                 sensitive ? "that the name marks as sensitive"
                           : "that others may know about a person");
    } else {
        set(v, ROLE_DIRECT, CONTENT_MIXED, 0);
        snprintf(why, sizeof why,
                 "%s%u distinct values of no known shape: a value may single a person out",
                 exact ? "" : "about ", (unsigned)distinct);
    }
    v->hint_agrees = v->hint != HINT_NONE && agrees(v);
    if (v->hint == HINT_NONE)
        snprintf(v->reason, sizeof v->reason, "%s", why);
    else if (v->hint_agrees)
        snprintf(v->reason, sizeof v->reason, "%s; the name says %s too", why,
                 profile_hint_name(v->hint));
    else
        snprintf(v->reason, sizeof v->reason, "%s; the name suggests %s, the values do not",
                 why, profile_hint_name(v->hint));
#undef SHARE
#undef SH
}
