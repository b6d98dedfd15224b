/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pii_detect_numbers.c - the digit-based identifier formats: resident
 * registration numbers, phones, cards, business registration numbers,
 * driver's licences and bank accounts. Each reads the digit groups at a
 * position (pii_groups_read) and checks their shape and check digit.
 */
#include "pii_detect_int.h"

#include <string.h>

void pii_groups_read(const char *text, size_t len, size_t at, pii_groups *g)
{
    g->n = 0;
    size_t i = at;
    while (g->n < PII_MAX_GROUPS && i < len && pii_is_digit((unsigned char)text[i])) {
        size_t s = i;
        while (i < len && pii_is_digit((unsigned char)text[i]))
            i++;
        size_t k = g->n++;
        g->start[k] = s;
        g->len[k] = i - s;
        g->end[k] = i;
        g->sep[k] = 0;
        if (g->len[k] > 19 || i >= len)
            break;
        char c = text[i];
        size_t skip = 0;
        if (c == '-' || c == '.' || c == ' ' || c == ')')
            skip = 1;
        if (c == ')' && i + 1 < len && text[i + 1] == ' ')
            skip = 2;
        if (skip == 0 || i + skip >= len || !pii_is_digit((unsigned char)text[i + skip]))
            break;
        g->sep[k] = c;
        i += skip;
    }
}

int pii_groups_are(const pii_groups *g, size_t n, const unsigned char *want, char sep)
{
    if (g->n < n)
        return 0;
    for (size_t k = 0; k < n; k++) {
        if (g->len[k] != want[k])
            return 0;
        if (k + 1 < n && g->sep[k] != sep)
            return 0;
    }
    return 1;
}

size_t pii_groups_digits(const pii_groups *g, size_t n)
{
    size_t total = 0;
    for (size_t k = 0; k < n && k < g->n; k++)
        total += g->len[k];
    return total;
}

int pii_groups_digit(const char *text, const pii_groups *g, size_t n, size_t i)
{
    for (size_t k = 0; k < n && k < g->n; k++) {
        if (i < g->len[k])
            return text[g->start[k] + i] - '0';
        i -= g->len[k];
    }
    return -1;
}

/* The byte length from at to the end of group n-1 when that is a valid
 * end; else 0. */
static size_t groups_span(const char *text, size_t len, size_t at, const pii_groups *g, size_t n)
{
    if (n == 0 || n > g->n)
        return 0;
    size_t end = g->end[n - 1];
    return pii_end_ok(text, len, end) ? end - at : 0;
}

static int two(const char *p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

/* ---- resident / foreigner registration numbers ---- */

/* YYMMDD with G deciding the century (1800s for 9 and 0). */
static int plausible_birth(const char *d, int g)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int mm = two(d + 2), dd = two(d + 4);
    (void)g;
    return mm >= 1 && mm <= 12 && dd >= 1 && dd <= days[mm - 1];
}

/* Digits of the 13 that make the number, copied out of the groups. */
static int rrn_check(const char *text, const pii_groups *g, size_t n, int undivided)
{
    char d[13];
    for (size_t i = 0; i < 13; i++)
        d[i] = (char)('0' + pii_groups_digit(text, g, n, i));
    int gender = d[6] - '0';
    /* undivided 13-digit runs are common (order and account numbers), so
     * there only the centuries still being issued count */
    if (undivided && (gender < 1 || gender > 8))
        return 0;
    return plausible_birth(d, gender);
}

size_t pii_match_rrn(const char *text, size_t len, size_t at)
{
    if (!pii_is_digit((unsigned char)text[at]))
        return 0;
    pii_groups g;
    pii_groups_read(text, len, at, &g);
    static const unsigned char two_parts[] = {6, 7}, one[] = {13};
    if ((pii_groups_are(&g, 2, two_parts, '-') || pii_groups_are(&g, 2, two_parts, ' ')) &&
        rrn_check(text, &g, 2, 0))
        return groups_span(text, len, at, &g, 2);
    if (pii_groups_are(&g, 1, one, 0) && rrn_check(text, &g, 1, 1))
        return groups_span(text, len, at, &g, 1);
    return 0;
}

/* ---- phones ---- */

/* Returns 1 when code (digits with the trunk 0) is a mobile prefix or a
 * landline/internet/free-call area code. Service numbers (15xx, 16xx,
 * 18xx) name businesses, not people, and are left alone. */
static int area_code_ok(const char *code, size_t n)
{
    if (n == 2)
        return code[0] == '0' && code[1] == '2';
    if (n != 3 || code[0] != '0')
        return 0;
    int a = code[1] - '0', b = code[2] - '0';
    if (a == 1)
        return b == 0 || b == 1 || b == 6 || b == 7 || b == 8 || b == 9;
    if (a == 3)
        return b >= 1 && b <= 3;
    if (a == 4)
        return b >= 1 && b <= 4;
    if (a == 5)
        return b >= 1 && b <= 5;
    if (a == 6)
        return b >= 1 && b <= 4;
    if (a == 7 || a == 8)
        return b == 0;
    return 0;
}

/* national: all digits of the number with the trunk 0 (at most 11).
 * Returns 1 when it is a phone number: an area code, then 7 or 8 digits
 * for the subscriber whose first is not 0 (010 numbers have 8). */
static int national_ok(const char *national, size_t n)
{
    for (size_t alen = 2; alen <= 3; alen++) {
        if (n <= alen || !area_code_ok(national, alen))
            continue;
        size_t rest = n - alen;
        if (rest != 7 && rest != 8)
            continue;
        if (national[alen] == '0')
            continue;
        if (alen == 3 && national[1] == '1' && national[2] == '0' && rest != 8)
            continue;
        return 1;
    }
    return 0;
}

/* Checks groups [first, n) of g as a phone number whose area part is
 * group `first` (prefixed with a 0 when zero_missing: +82 forms). Returns
 * the number of groups used (from first), or 0. */
static size_t phone_groups(const char *text, const pii_groups *g, size_t first, int zero_missing,
                           int paren_area)
{
    char national[12];
    size_t nn = 0;
    if (zero_missing)
        national[nn++] = '0';
    size_t k = first;
    if (g->n <= k)
        return 0;
    /* one undivided run */
    if (!paren_area && (g->n == k + 1 || g->sep[k] == 0 || g->len[k] > 4)) {
        if (g->len[k] + nn > 11 || g->len[k] + nn < 9)
            return 0;
        memcpy(national + nn, text + g->start[k], g->len[k]);
        nn += g->len[k];
        return national_ok(national, nn) ? 1 : 0;
    }
    if (g->len[k] + nn > 3)
        return 0;
    memcpy(national + nn, text + g->start[k], g->len[k]);
    nn += g->len[k];
    if (!area_code_ok(national, nn))
        return 0;
    char sep0 = paren_area ? ')' : g->sep[k];
    if (g->n < k + 2)
        return 0;
    size_t l1 = g->len[k + 1];
    /* 02-123-4567 / 010-1234-5678 */
    if ((l1 == 3 || l1 == 4) && g->n >= k + 3 && g->len[k + 2] == 4) {
        char sep1 = g->sep[k + 1];
        int seps_ok = sep1 != ')' && (sep0 == ')' || sep0 == sep1);
        if (seps_ok) {
            memcpy(national + nn, text + g->start[k + 1], l1);
            memcpy(national + nn + l1, text + g->start[k + 2], 4);
            if (national_ok(national, nn + l1 + 4))
                return 3;
        }
    }
    /* 010-12345678 */
    if ((l1 == 7 || l1 == 8) && sep0 != ' ') {
        memcpy(national + nn, text + g->start[k + 1], l1);
        if (national_ok(national, nn + l1))
            return 2;
    }
    return 0;
}

size_t pii_match_phone(const char *text, size_t len, size_t at)
{
    unsigned char c = (unsigned char)text[at];
    pii_groups g;
    if (pii_is_digit(c)) {
        pii_groups_read(text, len, at, &g);
        size_t used = phone_groups(text, &g, 0, 0, 0);
        return used ? groups_span(text, len, at, &g, used) : 0;
    }
    if (c == '(') { /* (051)123-4567, (02) 123 4567 */
        size_t i = at + 1;
        if (i >= len || !pii_is_digit((unsigned char)text[i]))
            return 0;
        pii_groups_read(text, len, i, &g);
        if (g.sep[0] != ')')
            return 0;
        size_t used = phone_groups(text, &g, 0, 0, 1);
        return used ? groups_span(text, len, at, &g, used) : 0;
    }
    if (c == '+') { /* +82 10-1234-5678, +82-2-123-4567, +82 (0)10 ..., +821012345678 */
        size_t i = at + 1;
        if (i + 2 >= len || text[i] != '8' || text[i + 1] != '2')
            return 0;
        i += 2;
        if (i < len && (text[i] == '-' || text[i] == ' ' || text[i] == '.'))
            i++;
        /* "(0)" is the trunk zero written for domestic readers */
        if (i + 3 <= len && memcmp(text + i, "(0)", 3) == 0) {
            i += 3;
            if (i < len && (text[i] == ' ' || text[i] == '-'))
                i++;
        }
        if (i >= len || !pii_is_digit((unsigned char)text[i]))
            return 0;
        pii_groups_read(text, len, i, &g);
        /* "+82 010-..." keeps the zero too */
        int zero_missing = text[i] != '0';
        size_t used = phone_groups(text, &g, 0, zero_missing, 0);
        return used ? groups_span(text, len, at, &g, used) : 0;
    }
    return 0;
}

/* ---- cards ---- */

static int luhn_ok(const char *text, const pii_groups *g, size_t n)
{
    size_t digits = pii_groups_digits(g, n);
    int sum = 0;
    for (size_t i = 0; i < digits; i++) {
        int d = pii_groups_digit(text, g, n, digits - 1 - i);
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

/* Printed card shapes: in 4s (4-4-4-4, and 4-4-4-1 and 4-4-4-4-3 for
 * the 13 and 19 digit numbers), 4-6-5 (Amex) and 4-6-4 (Diners); or no
 * grouping. */
static int card_shape(const pii_groups *g, size_t n)
{
    size_t digits = pii_groups_digits(g, n);
    if (digits < 13 || digits > 19)
        return 0;
    if (n == 1)
        return 1;
    char sep = g->sep[0];
    if (sep != '-' && sep != ' ')
        return 0;
    for (size_t k = 0; k + 1 < n; k++)
        if (g->sep[k] != sep)
            return 0;
    if (n == 3 && g->len[0] == 4 && g->len[1] == 6 && (g->len[2] == 5 || g->len[2] == 4))
        return 1;
    for (size_t k = 0; k + 1 < n; k++)
        if (g->len[k] != 4)
            return 0;
    return digits == 13 || digits == 16 || digits == 19;
}

size_t pii_match_card(const char *text, size_t len, size_t at)
{
    if (!pii_is_digit((unsigned char)text[at]))
        return 0;
    pii_groups g;
    pii_groups_read(text, len, at, &g);
    for (size_t n = g.n; n >= 1; n--) {
        if (card_shape(&g, n) && luhn_ok(text, &g, n)) {
            size_t span = groups_span(text, len, at, &g, n);
            if (span)
                return span;
        }
    }
    return 0;
}

/* ---- business registration numbers ---- */

/* Weights 1,3,7,1,3,7,1,3,5 over the first nine digits plus
 * floor(d9 * 5 / 10); the tenth digit is (10 - sum mod 10) mod 10. */
static int bizno_ok(const char *text, const pii_groups *g)
{
    static const int w[9] = {1, 3, 7, 1, 3, 7, 1, 3, 5};
    int sum = 0;
    for (size_t i = 0; i < 9; i++)
        sum += pii_groups_digit(text, g, 3, i) * w[i];
    sum += pii_groups_digit(text, g, 3, 8) * 5 / 10;
    return (10 - sum % 10) % 10 == pii_groups_digit(text, g, 3, 9);
}

size_t pii_match_bizno(const char *text, size_t len, size_t at)
{
    if (!pii_is_digit((unsigned char)text[at]))
        return 0;
    pii_groups g;
    pii_groups_read(text, len, at, &g);
    static const unsigned char shape[] = {3, 2, 5};
    if (pii_groups_are(&g, 3, shape, '-') && bizno_ok(text, &g))
        return groups_span(text, len, at, &g, 3);
    return 0;
}

/* ---- driver's licences ---- */

const char *const pii_region_names[] = {
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기",
    "강원", "충북", "충남", "전북", "전남", "경북", "경남", "제주",
};
const size_t pii_region_count = sizeof pii_region_names / sizeof pii_region_names[0];

size_t pii_match_driver(const char *text, size_t len, size_t at)
{
    pii_groups g;
    if (pii_is_digit((unsigned char)text[at])) {
        /* region code 11-28: 11 서울 ... 26 울산, 28 경기 북부 */
        pii_groups_read(text, len, at, &g);
        static const unsigned char shape[] = {2, 2, 6, 2};
        if (!pii_groups_are(&g, 4, shape, '-'))
            return 0;
        int region = two(text + g.start[0]);
        if (region < 11 || region > 28 || region == 27)
            return 0;
        return groups_span(text, len, at, &g, 4);
    }
    /* 서울 12-345678-90: the region written as a name */
    size_t w = pii_match_word(text, len, at, pii_region_names, pii_region_count);
    if (w == 0)
        return 0;
    size_t i = at + w;
    if (i < len && text[i] == ' ')
        i++;
    if (i >= len || !pii_is_digit((unsigned char)text[i]))
        return 0;
    pii_groups_read(text, len, i, &g);
    static const unsigned char named[] = {2, 6, 2};
    if (!pii_groups_are(&g, 3, named, '-'))
        return 0;
    size_t span = groups_span(text, len, i, &g, 3);
    return span ? span + (i - at) : 0;
}

/* ---- bank accounts ---- */

/* Printed formats, hyphenated only (an undivided run of digits could be
 * anything). See README "scrub" for which bank writes which. */
static const unsigned char account_shapes[][5] = {
    /* count, lengths */
    {3, 6, 2, 6},    /* KB국민, NH농협 (new), 우체국 */
    {4, 3, 2, 4, 3}, /* KB국민 (old) */
    {3, 3, 3, 6},    /* 신한, 케이뱅크 */
    {3, 4, 3, 6},    /* 우리 */
    {3, 3, 6, 5},    /* 하나 */
    {4, 3, 4, 4, 2}, /* NH농협 */
    {4, 3, 6, 2, 3}, /* IBK기업 */
    {3, 3, 2, 6},    /* SC제일 */
    {3, 4, 2, 7},    /* 카카오뱅크 */
    {3, 4, 4, 4},    /* 토스뱅크: only numbers starting 1000 (below) */
};

/* 4-4-4 is also how product and serial codes are printed; Toss Bank's
 * numbers all start with 1000. */
static int account_prefix_ok(const char *text, const pii_groups *g, size_t n)
{
    if (n == 3 && g->len[0] == 4 && g->len[1] == 4)
        return memcmp(text + g->start[0], "1000", 4) == 0;
    return 1;
}

size_t pii_match_account(const char *text, size_t len, size_t at)
{
    if (!pii_is_digit((unsigned char)text[at]))
        return 0;
    pii_groups g;
    pii_groups_read(text, len, at, &g);
    size_t best = 0;
    for (size_t s = 0; s < sizeof account_shapes / sizeof account_shapes[0]; s++) {
        size_t n = account_shapes[s][0];
        if (!pii_groups_are(&g, n, account_shapes[s] + 1, '-') || !account_prefix_ok(text, &g, n))
            continue;
        size_t span = groups_span(text, len, at, &g, n);
        if (span > best)
            best = span;
    }
    return best;
}

size_t pii_match_word(const char *text, size_t len, size_t at, const char *const *words, size_t n_words)
{
    for (size_t i = 0; i < n_words; i++) {
        size_t n = strlen(words[i]);
        if (n <= len - at && memcmp(text + at, words[i], n) == 0)
            return n;
    }
    return 0;
}
