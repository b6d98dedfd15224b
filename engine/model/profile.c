/* SPDX-License-Identifier: Apache-2.0 */
/*
 * profile.c - one column's profile for `deid scan`: value shapes, counts,
 * distinct values (exact up to a cap, then HyperLogLog) and, with
 * --show-values, a few example values.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "siphash.h"
#include "utf8.h"

/* Family names that cover the great majority of Koreans (a name-shaped
 * value must start with one; compound names such as 남궁 start with one
 * too). */
static const uint32_t surnames[] = {
    0xAE40 /* 김 */, 0xC774 /* 이 */, 0xBC15 /* 박 */, 0xCD5C /* 최 */, 0xC815 /* 정 */,
    0xAC15 /* 강 */, 0xC870 /* 조 */, 0xC724 /* 윤 */, 0xC7A5 /* 장 */, 0xC784 /* 임 */,
    0xD55C /* 한 */, 0xC624 /* 오 */, 0xC11C /* 서 */, 0xC2E0 /* 신 */, 0xAD8C /* 권 */,
    0xD669 /* 황 */, 0xC548 /* 안 */, 0xC1A1 /* 송 */, 0xB958 /* 류 */, 0xC720 /* 유 */,
    0xC804 /* 전 */, 0xD64D /* 홍 */, 0xACE0 /* 고 */, 0xBB38 /* 문 */, 0xC591 /* 양 */,
    0xC190 /* 손 */, 0xBC30 /* 배 */, 0xBC31 /* 백 */, 0xD5C8 /* 허 */, 0xB0A8 /* 남 */,
    0xC2EC /* 심 */, 0xB178 /* 노 */, 0xD558 /* 하 */, 0xACFD /* 곽 */, 0xC131 /* 성 */,
    0xCC28 /* 차 */, 0xC8FC /* 주 */, 0xC6B0 /* 우 */, 0xAD6C /* 구 */, 0xBBFC /* 민 */,
    0xC9C4 /* 진 */, 0xB098 /* 나 */, 0xC9C0 /* 지 */, 0xC5C4 /* 엄 */, 0xCC44 /* 채 */,
    0xC6D0 /* 원 */, 0xCC9C /* 천 */, 0xBC29 /* 방 */, 0xACF5 /* 공 */, 0xD604 /* 현 */,
    0xD568 /* 함 */, 0xBCC0 /* 변 */, 0xC5FC /* 염 */, 0xC5EC /* 여 */, 0xCD94 /* 추 */,
    0xB3C4 /* 도 */, 0xC18C /* 소 */, 0xC11D /* 석 */, 0xC120 /* 선 */, 0xC124 /* 설 */,
    0xB9C8 /* 마 */, 0xAE38 /* 길 */, 0xC5F0 /* 연 */, 0xC704 /* 위 */, 0xD45C /* 표 */,
    0xBA85 /* 명 */, 0xAE30 /* 기 */, 0xBC18 /* 반 */, 0xB77C /* 라 */, 0xC655 /* 왕 */,
    0xAE08 /* 금 */, 0xC625 /* 옥 */, 0xC721 /* 육 */, 0xC778 /* 인 */, 0xB9F9 /* 맹 */,
    0xC81C /* 제 */, 0xBAA8 /* 모 */, 0xD0C1 /* 탁 */, 0xAD6D /* 국 */, 0xC5B4 /* 어 */,
    0xC740 /* 은 */, 0xD3B8 /* 편 */, 0xC6A9 /* 용 */, 0xC608 /* 예 */, 0xACBD /* 경 */,
    0xBD09 /* 봉 */, 0xC0AC /* 사 */, 0xBD80 /* 부 */, 0xD0DC /* 태 */, 0xBAA9 /* 목 */,
};

/* The first word of a Korean address: the 17 provinces and metropolitan
 * cities (시도), in their full and their short forms. */
#define P(s) {s, sizeof s - 1}
static const struct {
    const char *name;
    size_t len;
} provinces[] = {
    P("서울특별시"), P("서울시"), P("서울"), P("부산광역시"), P("부산시"), P("부산"), P("대구광역시"), P("대구"),
    P("인천광역시"), P("인천"), P("광주광역시"), P("광주"), P("대전광역시"), P("대전"), P("울산광역시"), P("울산"),
    P("세종특별자치시"), P("세종시"), P("세종"), P("경기도"), P("경기"), P("강원도"), P("강원특별자치도"), P("강원"),
    P("충청북도"), P("충북"), P("충청남도"), P("충남"), P("전라북도"), P("전북특별자치도"), P("전북"), P("전라남도"),
    P("전남"), P("경상북도"), P("경북"), P("경상남도"), P("경남"), P("제주특별자치도"), P("제주도"), P("제주"),
};
#undef P

int profile_is_surname(uint32_t cp)
{
    for (size_t i = 0; i < sizeof surnames / sizeof surnames[0]; i++)
        if (surnames[i] == cp)
            return 1;
    return 0;
}

static int is_syllable(uint32_t cp)
{
    return cp >= 0xAC00 && cp <= 0xD7A3;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t count_digits(const char *s, size_t len)
{
    size_t n = 0;
    while (n < len && is_digit(s[n]))
        n++;
    return n;
}

static unsigned to_number(const char *s, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

static int valid_date(unsigned y, unsigned m, unsigned d)
{
    static const unsigned days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

/* " H:MM", " HH:MM:SS" (also after 'T'): the time Excel and databases
 * append to a date. */
static int is_time(const char *s, size_t len)
{
    if (len == 0)
        return 1;
    if (s[0] != ' ' && s[0] != 'T')
        return 0;
    s++, len--;
    size_t h = count_digits(s, len);
    if (h < 1 || h > 2 || to_number(s, h) > 23)
        return 0;
    s += h, len -= h;
    for (int part = 0; part < 2 && len; part++) {
        if (len < 3 || s[0] != ':' || count_digits(s + 1, len - 1) != 2 || to_number(s + 1, 2) > 59)
            return 0;
        s += 3, len -= 3;
    }
    return len == 0;
}

/* Sets *plain when the date is in a form the `date` transform reads. */
static int is_date(const char *s, size_t len, int *plain)
{
    *plain = 0;
    size_t y = count_digits(s, len);
    if (y == 8 && len == 8) {
        *plain = valid_date(to_number(s, 4), to_number(s + 4, 2), to_number(s + 6, 2));
        return *plain;
    }
    if (y != 4 || len < 8 || (s[4] != '-' && s[4] != '/' && s[4] != '.'))
        return 0;
    char sep = s[4];
    size_t m = count_digits(s + 5, len - 5);
    if (m < 1 || m > 2 || 5 + m >= len || s[5 + m] != sep)
        return 0;
    size_t at = 6 + m, d = count_digits(s + at, len - at);
    if (d < 1 || d > 2)
        return 0;
    if (!valid_date(to_number(s, 4), to_number(s + 5, m), to_number(s + at, d)))
        return 0;
    if (!is_time(s + at + d, len - at - d))
        return 0;
    *plain = m == 2 && d == 2 && at + d == len;
    return 1;
}

/* Digits with an optional sign, thousands separators and fraction; *whole
 * when plain digits (with '-' at most), as `range` reads them. */
static int is_number(const char *s, size_t len, int *whole)
{
    size_t i = 0;
    *whole = 0;
    if (len && (s[0] == '-' || s[0] == '+'))
        i++;
    size_t lead = count_digits(s + i, len - i);
    if (!lead)
        return 0;
    i += lead;
    int grouped = 0, point = 0;
    if (i < len && s[i] == ',') {
        if (lead > 3)
            return 0;
        while (i < len && s[i] == ',') {
            if (count_digits(s + i + 1, len - i - 1) != 3)
                return 0;
            i += 4;
            grouped = 1;
        }
    }
    if (i < len && s[i] == '.') {
        size_t frac = count_digits(s + i + 1, len - i - 1);
        if (!frac)
            return 0;
        i += 1 + frac;
        point = 1;
    }
    if (i != len)
        return 0;
    *whole = !grouped && !point && s[0] != '+' && lead <= 18;
    return 1;
}

static int is_icd(const char *s, size_t len)
{
    if (len < 3 || !(s[0] >= 'A' && s[0] <= 'Z') || !is_digit(s[1]))
        return 0;
    if (!is_digit(s[2]) && !(s[2] >= 'A' && s[2] <= 'Z'))
        return 0;
    if (len == 3)
        return 1;
    if (s[3] != '.' || len < 5 || len > 8)
        return 0;
    for (size_t i = 4; i < len; i++)
        if (!is_digit(s[i]) && !(s[i] >= 'A' && s[i] <= 'Z'))
            return 0;
    return 1;
}

static int is_address(const char *s, size_t len)
{
    size_t word = 0;
    while (word < len && s[word] != ' ' && s[word] != '\t')
        word++;
    for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
        if (provinces[i].len == word && !memcmp(provinces[i].name, s, word))
            return 1;
    return 0;
}

/* Scans the Hangul words of s: sets *name when s is one 2-4 syllable word
 * starting with a family name, *inner when a 3-syllable word inside
 * longer text does (most Korean full names have three syllables). */
static void hangul_words(const char *s, size_t len, int *name, int *inner, int *hangul)
{
    size_t run = 0, words = 0, other = 0;
    uint32_t first = 0, cp;
    *name = *inner = *hangul = 0;
    for (size_t i = 0; i <= len;) {
        size_t k = i < len ? utf8_decode(s + i, len - i, &cp) : 0;
        if (i < len && k && is_syllable(cp)) {
            *hangul = 1;
            if (run++ == 0)
                first = cp;
            i += k;
            continue;
        }
        if (run) {
            words++;
            if (run == 3 && profile_is_surname(first))
                *inner = 1;
            if (words == 1 && run >= 2 && run <= 4 && profile_is_surname(first) && other == 0 &&
                i == len)
                *name = 1;
        }
        run = 0;
        if (i == len)
            break;
        other++;
        i += k ? k : 1;
    }
    if (*name)
        *inner = 0;
}

/* What one pass of the detector over a value found: the kinds of a
 * finding that is the whole value, and the kinds found anywhere. */
typedef struct value_finds {
    size_t len;
    uint32_t whole, any;
} value_finds;

static int found(const pii_span *span, void *ctx)
{
    value_finds *f = ctx;
    if (span->start == 0 && span->len == f->len)
        f->whole |= 1u << span->kind;
    f->any |= 1u << span->kind;
    return 0;
}

void profile_classify(const char *value, size_t len, profile_value *out)
{
    memset(out, 0, sizeof *out);
    size_t chars = utf8_count(value, len);
    if (chars == SIZE_MAX) {
        out->shapes = 1u << PROF_BAD_UTF8;
        out->chars = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
        return;
    }
    out->chars = chars > UINT32_MAX ? UINT32_MAX : (uint32_t)chars;
    const char *s = value;
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (!len)
        return;
    uint32_t sh = 0;
    int whole, plain, name, inner, hangul;
    if (is_number(s, len, &whole)) {
        sh |= 1u << PROF_NUMBER;
        if (whole) {
            sh |= 1u << PROF_INT;
            if (s[0] != '-' && len <= 3 && to_number(s, len) <= 130)
                sh |= 1u << PROF_AGE;
            if (len == 5)
                sh |= 1u << PROF_ZIP;
        }
    }
    if (is_date(s, len, &plain))
        sh |= 1u << PROF_DATE | (plain ? 1u << PROF_DATE_PLAIN : 0);
    if (is_icd(s, len))
        sh |= 1u << PROF_ICD;
    if (is_address(s, len))
        sh |= 1u << PROF_ADDRESS;
    for (size_t i = 0; i < len; i++)
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
            sh |= 1u << PROF_SPACE;
            break;
        }
    hangul_words(s, len, &name, &inner, &hangul);
    if (name)
        sh |= 1u << PROF_NAME;
    if (hangul)
        sh |= 1u << PROF_HANGUL;
    /* One pass of the detector over the value with every kind (rather
     * than pii_value_is per kind: the detector is the costly part of a
     * scan). A finding that is the whole value is what the value is;
     * findings inside longer text count for free text, unless the value
     * has a shape that decides its column before free text is considered. */
    if (len >= 6) {
        value_finds vf = {len, 0, 0};
        pii_find(s, len, PII_ALL_KINDS, found, &vf);
        out->kinds = vf.whole;
        if (!vf.whole && vf.any &&
            !(sh & (1u << PROF_NUMBER | 1u << PROF_DATE | 1u << PROF_ADDRESS | 1u << PROF_NAME |
                    1u << PROF_ICD))) {
            out->text_kinds = vf.any;
            sh |= 1u << PROF_TEXT_ID;
        }
    }
    if (!out->kinds && inner)
        sh |= 1u << PROF_TEXT_NAME;
    out->shapes = sh;
}

/* ---- a column's accumulator --------------------------------------------- */

int profile_column_init(profile_column *c, size_t exact_cap, int keep_examples)
{
    memset(c, 0, sizeof *c);
    c->exact_cap = exact_cap ? exact_cap : 1;
    c->keep_examples = keep_examples;
    c->min_chars = UINT32_MAX;
    if (siphash_random_key(&c->k0, &c->k1) || !(c->exact = strmap_new(c->exact_cap + 1))) {
        profile_column_free(c);
        return -1;
    }
    return 0;
}

void profile_column_free(profile_column *c)
{
    strmap_free(c->exact);
    c->exact = NULL;
    for (size_t i = 0; i < c->n_examples; i++) {
        memset(c->examples[i], 0, strlen(c->examples[i]));
        free(c->examples[i]);
    }
    c->n_examples = 0;
}

static void hll_add(profile_column *c, const char *value, size_t len)
{
    uint64_t h = siphash13(c->k0, c->k1, value, len);
    size_t reg = (size_t)(h >> (64 - PROFILE_HLL_BITS));
    uint64_t rest = h << PROFILE_HLL_BITS;
    uint8_t rank = 1;
    while (rank <= 64 - PROFILE_HLL_BITS && !(rest & (1ull << 63)))
        rank++, rest <<= 1;
    if (rank > c->hll[reg])
        c->hll[reg] = rank;
}

static int keep_example(profile_column *c, const char *value, size_t len)
{
    size_t cut = utf8_count(value, len) == SIZE_MAX ? 0 : utf8_offset(value, len,
                                                                       PROFILE_EXAMPLE_CHARS);
    char *copy = malloc(cut + 1);
    if (!copy)
        return -1;
    memcpy(copy, value, cut);
    copy[cut] = '\0';
    c->examples[c->n_examples++] = copy;
    return 0;
}

int profile_column_add(profile_column *c, const char *value, size_t len, const profile_value *v)
{
    c->nonempty++;
    for (unsigned b = 0; b < PROF_N_SHAPES; b++)
        if (v->shapes & (1u << b))
            c->shape[b]++;
    for (unsigned k = 0; k < PII_KIND_COUNT; k++) {
        if (v->kinds & (1u << k))
            c->kind[k]++;
        if (v->text_kinds & (1u << k))
            c->text_kind[k]++;
    }
    if (v->chars < c->min_chars)
        c->min_chars = v->chars;
    if (v->chars > c->max_chars)
        c->max_chars = v->chars;
    c->sum_chars += v->chars;
    hll_add(c, value, len);
    if (!c->exact)
        return 0;
    int rc = strmap_put(c->exact, value, len, 0, NULL);
    if (rc == STRMAP_ADDED) {
        if (++c->exact_count > c->exact_cap) {
            /* Past the cap the estimate counts alone: memory stays bounded. */
            strmap_free(c->exact);
            c->exact = NULL;
        } else if (c->keep_examples && c->n_examples < PROFILE_EXAMPLES) {
            return keep_example(c, value, len);
        }
        return 0;
    }
    return rc == STRMAP_EXISTS ? 0 : -1;
}

uint64_t profile_column_distinct(const profile_column *c, int *exact)
{
    if (exact)
        *exact = c->exact != NULL;
    if (c->exact)
        return c->exact_count;
    /* HyperLogLog (Flajolet et al. 2007) with the small-range correction. */
    const double m = (double)(1u << PROFILE_HLL_BITS);
    double sum = 0;
    size_t zeros = 0;
    for (size_t i = 0; i < (1u << PROFILE_HLL_BITS); i++) {
        sum += ldexp(1.0, -(int)c->hll[i]);
        zeros += c->hll[i] == 0;
    }
    double est = 0.7213 / (1 + 1.079 / m) * m * m / sum;
    if (est <= 2.5 * m && zeros)
        est = m * log(m / (double)zeros);
    uint64_t n = (uint64_t)(est + 0.5);
    /* Never below what was counted exactly, never above the values seen. */
    if (n < c->exact_cap)
        n = c->exact_cap + 1;
    return n > c->nonempty ? c->nonempty : n;
}

int profile_column_value(const profile_column *c, size_t i, const char **value, size_t *len)
{
    if (!c->exact)
        return -1;
    return strmap_entry(c->exact, i, value, len, NULL);
}
