/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pii_detect_text.c - identifier formats that mix letters with digits or
 * are not digit groups: e-mail addresses, passports, vehicle plates and
 * IP addresses (v4 and v6).
 */
#include "pii_detect_int.h"

#include <string.h>

/* ---- e-mail ---- */

static int local_char(unsigned char c)
{
    return pii_is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static int label_char(unsigned char c) { return pii_is_alnum(c) || c == '-'; }

static int is_letter(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

size_t pii_match_email(const char *text, size_t len, size_t at)
{
    if (!pii_is_alnum((unsigned char)text[at]))
        return 0;
    if (at > 0 && local_char((unsigned char)text[at - 1]))
        return 0;
    size_t i = at;
    while (i < len && local_char((unsigned char)text[i]))
        i++;
    if (i >= len || text[i] != '@' || i == at)
        return 0;
    i++;
    /* labels separated by dots; the last one (the TLD) letters only, >= 2 */
    size_t labels = 0, last_start = i, end = 0;
    while (i < len && label_char((unsigned char)text[i])) {
        size_t s = i;
        while (i < len && label_char((unsigned char)text[i]))
            i++;
        labels++;
        last_start = s;
        end = i;
        if (i + 1 < len && text[i] == '.' && label_char((unsigned char)text[i + 1]))
            i++;
        else
            break;
    }
    if (labels < 2 || end - last_start < 2)
        return 0;
    for (size_t k = last_start; k < end; k++)
        if (!is_letter((unsigned char)text[k]))
            return 0;
    return end - at;
}

/* ---- passports ---- */

/* M (multiple), S (single), R (residents abroad), G (official), D
 * (diplomatic) + 8 digits; since 2021 also letter + 3 digits + letter +
 * 4 digits (M123A4567). */
size_t pii_match_passport(const char *text, size_t len, size_t at)
{
    if (!strchr("MSRGD", text[at]) || text[at] == 0 || at + 9 > len)
        return 0;
    const char *p = text + at + 1;
    size_t digits = 0;
    while (digits < 8 && pii_is_digit((unsigned char)p[digits]))
        digits++;
    if (digits == 8)
        return pii_end_ok(text, len, at + 9) ? 9 : 0;
    if (digits == 3 && p[3] >= 'A' && p[3] <= 'Z') {
        for (size_t k = 4; k < 8; k++)
            if (!pii_is_digit((unsigned char)p[k]))
                return 0;
        return pii_end_ok(text, len, at + 9) ? 9 : 0;
    }
    return 0;
}

/* ---- vehicle plates ---- */

/* The Hangul letters plates use: private cars, commercial (바 사 아 자),
 * rental (하 허 호) and delivery (배). */
static const char *const plate_letters[] = {
    "가", "나", "다", "라", "마", "거", "너", "더", "러", "머", "버", "서", "어", "저",
    "고", "노", "도", "로", "모", "보", "소", "오", "조", "구", "누", "두", "루", "무",
    "부", "수", "우", "주", "바", "사", "아", "자", "하", "허", "호", "배",
};

static size_t digits_at(const char *text, size_t len, size_t i)
{
    size_t n = 0;
    while (i + n < len && pii_is_digit((unsigned char)text[i + n]))
        n++;
    return n;
}

/* Digits (min_d..max_d), optional space, plate letter, optional space,
 * 4 digits, from i. Returns the end, or 0. */
static size_t plate_body(const char *text, size_t len, size_t i, size_t min_d, size_t max_d)
{
    size_t d = digits_at(text, len, i);
    if (d < min_d || d > max_d)
        return 0;
    i += d;
    if (i < len && text[i] == ' ')
        i++;
    size_t w = pii_match_word(text, len, i, plate_letters, sizeof plate_letters / sizeof plate_letters[0]);
    if (w == 0)
        return 0;
    i += w;
    if (i < len && text[i] == ' ')
        i++;
    if (digits_at(text, len, i) != 4)
        return 0;
    i += 4;
    return pii_end_ok(text, len, i) ? i : 0;
}

size_t pii_match_plate(const char *text, size_t len, size_t at)
{
    if (pii_is_digit((unsigned char)text[at])) {
        size_t end = plate_body(text, len, at, 2, 3);
        return end ? end - at : 0;
    }
    /* 서울12가3456, 서울 1가 1234: the older regional plates */
    size_t w = pii_match_word(text, len, at, pii_region_names, pii_region_count);
    if (w == 0)
        return 0;
    size_t i = at + w;
    if (i < len && text[i] == ' ')
        i++;
    size_t end = plate_body(text, len, i, 1, 2);
    return end ? end - at : 0;
}

/* ---- IP addresses ---- */

static size_t ipv4_at(const char *text, size_t len, size_t i)
{
    size_t start = i;
    for (int part = 0; part < 4; part++) {
        size_t d = digits_at(text, len, i);
        if (d < 1 || d > 3)
            return 0;
        int v = 0;
        for (size_t k = 0; k < d; k++)
            v = v * 10 + (text[i + k] - '0');
        if (v > 255)
            return 0;
        i += d;
        if (part < 3) {
            if (i >= len || text[i] != '.')
                return 0;
            i++;
        }
    }
    /* a fifth part makes it a version or other dotted number */
    if (i + 1 < len && text[i] == '.' && pii_is_digit((unsigned char)text[i + 1]))
        return 0;
    return i - start;
}

static int hex(unsigned char c) { return pii_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static size_t ipv6_at(const char *text, size_t len, size_t at)
{
    size_t i = at;
    int groups = 0, double_colon = 0;
    size_t end = at;
    if (i + 1 < len && text[i] == ':' && text[i + 1] == ':') {
        double_colon = 1;
        i += 2;
        end = i;
    } else if (text[i] == ':') {
        return 0;
    }
    while (i < len && groups < 8) {
        /* an embedded IPv4 tail (::ffff:192.0.2.1) counts as two groups */
        size_t v4 = ipv4_at(text, len, i);
        if (v4 && groups <= 6) {
            groups += 2;
            i += v4;
            end = i;
            break;
        }
        size_t h = 0;
        while (i + h < len && hex((unsigned char)text[i + h]))
            h++;
        if (h < 1 || h > 4)
            break;
        groups++;
        i += h;
        end = i;
        if (i + 1 < len && text[i] == ':' && text[i + 1] == ':') {
            if (double_colon)
                break;
            double_colon = 1;
            i += 2;
            end = i;
        } else if (i + 1 < len && text[i] == ':' && hex((unsigned char)text[i + 1])) {
            i++;
        } else {
            break;
        }
    }
    if (double_colon ? (groups > 7 || groups < 1) : groups != 8)
        return 0;
    if (end < len && (pii_is_alnum((unsigned char)text[end]) || text[end] == ':'))
        return 0;
    return pii_end_ok(text, len, end) ? end - at : 0;
}

size_t pii_match_ip(const char *text, size_t len, size_t at)
{
    unsigned char c = (unsigned char)text[at];
    if (at > 0 && (text[at - 1] == ':' || text[at - 1] == '.'))
        return 0;
    size_t v4 = 0;
    if (pii_is_digit(c)) {
        v4 = ipv4_at(text, len, at);
        if (v4 && !pii_end_ok(text, len, at + v4))
            v4 = 0;
    }
    size_t v6 = (hex(c) || c == ':') ? ipv6_at(text, len, at) : 0;
    return v6 > v4 ? v6 : v4;
}
