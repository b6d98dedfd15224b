/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scrub_corpus.c - writes a labelled corpus of Korean sentences for
 * measuring the identifier detector (scrub_eval.c): every identifier kind
 * in its printed forms, and decoys (dates, amounts, times, order numbers,
 * room numbers, ages, percentages, product and service numbers) that must
 * stay. The labels come from how each sentence is built, never from the
 * detector. Deterministic for a seed.
 *
 *   scrub_corpus [--sentences N] [--seed S]
 *
 * One sentence a line: "LABELS<TAB>TEXT", LABELS being comma-separated
 * "KIND:START:LEN" (byte offsets into TEXT; KIND a pii kind name, or
 * "decoy").
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* xorshift64*: small, fast and reproducible everywhere */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static int pick(int n) { return (int)(rnd() % (uint64_t)n); }
static int digit(void) { return pick(10); }
#define ONE_OF(a) ((a)[pick((int)(sizeof(a) / sizeof((a)[0])))])

typedef struct sentence {
    char text[1024];
    size_t len;
    char labels[1024];
    size_t llen;
} sentence;

static void add(sentence *s, const char *t)
{
    size_t n = strlen(t);
    if (s->len + n < sizeof s->text) {
        memcpy(s->text + s->len, t, n);
        s->len += n;
        s->text[s->len] = 0;
    }
}

static void add_labelled(sentence *s, const char *kind, const char *t)
{
    int w = snprintf(s->labels + s->llen, sizeof s->labels - s->llen, "%s%s:%zu:%zu",
                     s->llen ? "," : "", kind, s->len, strlen(t));
    if (w > 0)
        s->llen += (size_t)w;
    add(s, t);
}

/* ---- identifiers ---- */

static void digits(char *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = (char)('0' + digit());
    out[n] = 0;
}

static void gen_rrn(char *out)
{
    char d[14];
    int g = pick(10) < 8 ? 1 + pick(4) : 5 + pick(4);
    snprintf(d, sizeof d, "%02d%02d%02d%d", pick(100), 1 + pick(12), 1 + pick(28), g);
    digits(d + 7, 6);
    if (pick(2)) { /* a pre-2020 number with its check digit */
        static const int w[12] = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
        int sum = 0;
        for (int i = 0; i < 12; i++)
            sum += (d[i] - '0') * w[i];
        d[12] = (char)('0' + (11 - sum % 11) % 10);
    }
    int form = pick(10);
    if (form < 7)
        sprintf(out, "%.6s-%.7s", d, d + 6);
    else if (form < 8)
        sprintf(out, "%.6s %.7s", d, d + 6);
    else
        sprintf(out, "%.13s", d);
}

static void subscriber(char *a, int n)
{
    a[0] = (char)('2' + pick(8));
    digits(a + 1, n - 1);
}

static void gen_phone(char *out)
{
    static const char *const mobile[] = {"010", "010", "010", "010", "011", "016", "017", "018", "019"};
    static const char *const area[] = {"02",  "031", "032", "033", "041", "042", "043", "044",
                                       "051", "052", "053", "054", "055", "061", "062", "063",
                                       "064", "070"};
    char code[4], mid[5], last[5];
    int is_mobile = pick(3) != 0;
    snprintf(code, sizeof code, "%s", is_mobile ? ONE_OF(mobile) : ONE_OF(area));
    int midlen = !strcmp(code, "010") ? 4 : 3 + pick(2);
    subscriber(mid, midlen);
    digits(last, 4);
    int form = pick(20);
    const char *c1 = code + 1; /* without the trunk 0, for +82 */
    if (form < 8)
        sprintf(out, "%s-%s-%s", code, mid, last);
    else if (form < 10)
        sprintf(out, "%s.%s.%s", code, mid, last);
    else if (form < 12)
        sprintf(out, "%s %s %s", code, mid, last);
    else if (form < 14)
        sprintf(out, "%s%s%s", code, mid, last);
    else if (form < 15)
        sprintf(out, "(%s)%s-%s", code, mid, last);
    else if (form < 16)
        sprintf(out, "(%s) %s-%s", code, mid, last);
    else if (form < 17)
        sprintf(out, "%s)%s-%s", code, mid, last);
    else if (form < 18)
        sprintf(out, "+82-%s-%s-%s", c1, mid, last);
    else if (form < 19)
        sprintf(out, "+82 %s %s %s", c1, mid, last);
    else
        sprintf(out, "+82%s%s%s", c1, mid, last);
}

static void gen_email(char *out)
{
    static const char *const local[] = {"hong", "gildong", "kim.minsu", "lee_jy", "park.s", "choi",
                                        "jung-h", "kang77", "yoonji.park", "Raindream", "sky_blue",
                                        "minjun.k", "seoyeon"};
    static const char *const domain[] = {"naver.com", "daum.net", "hanmail.net", "gmail.com",
                                         "kakao.com", "example.co.kr", "korea.kr", "NATE.COM"};
    if (pick(2))
        sprintf(out, "%s%d@%s", ONE_OF(local), pick(100), ONE_OF(domain));
    else
        sprintf(out, "%s@%s", ONE_OF(local), ONE_OF(domain));
}

static void luhn_complete(char *d, int n)
{
    /* d[0..n-1) given; sets d[n-1] */
    int sum = 0;
    for (int i = n - 2, k = 0; i >= 0; i--, k++) {
        int v = d[i] - '0';
        if (k % 2 == 0) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    d[n - 1] = (char)('0' + (10 - sum % 10) % 10);
}

static void gen_card(char *out)
{
    char d[20];
    if (pick(8) == 0) { /* Amex 4-6-5 */
        d[0] = '3';
        d[1] = pick(2) ? '4' : '7';
        digits(d + 2, 13);
        luhn_complete(d, 15);
        sprintf(out, "%.4s-%.6s-%.5s", d, d + 4, d + 10);
        return;
    }
    static const char *const prefix[] = {"4", "5", "94", "36"};
    const char *p = ONE_OF(prefix);
    size_t pl = strlen(p);
    memcpy(d, p, pl);
    digits(d + pl, 16 - (int)pl);
    luhn_complete(d, 16);
    int form = pick(3);
    char sep = form == 0 ? '-' : ' ';
    if (form == 2)
        sprintf(out, "%.16s", d);
    else
        sprintf(out, "%.4s%c%.4s%c%.4s%c%.4s", d, sep, d + 4, sep, d + 8, sep, d + 12);
}

static void gen_bizno(char *out)
{
    static const int w[9] = {1, 3, 7, 1, 3, 7, 1, 3, 5};
    char d[11];
    digits(d, 9);
    d[0] = (char)('1' + pick(9));
    int sum = 0;
    for (int i = 0; i < 9; i++)
        sum += (d[i] - '0') * w[i];
    sum += (d[8] - '0') * 5 / 10;
    d[9] = (char)('0' + (10 - sum % 10) % 10);
    sprintf(out, "%.3s-%.2s-%.5s", d, d + 3, d + 5);
}

static void gen_passport(char *out)
{
    static const char letters[] = "MSRGD";
    char d[9];
    digits(d, 8);
    if (pick(3) == 0)
        sprintf(out, "M%.3s%c%.4s", d, 'A' + pick(26), d + 3);
    else
        sprintf(out, "%c%.8s", letters[pick(5)], d);
}

static const char *const regions[] = {"서울", "부산", "대구", "인천", "광주", "대전", "울산", "경기",
                                      "강원", "충북", "충남", "전북", "전남", "경북", "경남", "제주"};

static void gen_driver(char *out)
{
    char d[11];
    digits(d, 10);
    if (pick(4) == 0)
        sprintf(out, "%s %02d-%.6s-%.2s", ONE_OF(regions), pick(100), d, d + 6);
    else {
        int region = 11 + pick(16);
        if (pick(8) == 0)
            region = 28;
        sprintf(out, "%d-%02d-%.6s-%.2s", region, pick(100), d, d + 6);
    }
}

static void gen_plate(char *out)
{
    static const char *const letters[] = {"가", "나", "다", "라", "마", "거", "너", "더", "러", "머",
                                          "버", "서", "어", "저", "고", "노", "도", "로", "모", "보",
                                          "소", "오", "조", "구", "누", "두", "루", "무", "부", "수",
                                          "우", "주", "바", "사", "아", "자", "하", "허", "호", "배"};
    char d[5];
    digits(d, 4);
    int form = pick(10);
    if (form < 4)
        sprintf(out, "%02d%s%s", 10 + pick(90), ONE_OF(letters), d);
    else if (form < 7)
        sprintf(out, "%03d%s%s", 100 + pick(900), ONE_OF(letters), d);
    else if (form < 8)
        sprintf(out, "%02d%s %s", 10 + pick(90), ONE_OF(letters), d);
    else
        sprintf(out, "%s%s%02d%s%s", ONE_OF(regions), pick(2) ? "" : " ", 10 + pick(90),
                ONE_OF(letters), d);
}

static void gen_ip(char *out)
{
    int form = pick(4);
    if (form < 2)
        sprintf(out, "%d.%d.%d.%d", 1 + pick(223), pick(256), pick(256), 1 + pick(254));
    else if (form == 2)
        sprintf(out, "2001:db8:%x:%x::%x", pick(65536), pick(65536), 1 + pick(65535));
    else
        sprintf(out, "fe80:0:0:0:%x:%x:%x:%x", pick(65536), pick(65536), pick(65536), pick(65536));
}

static void gen_account(char *out)
{
    static const int shapes[][5] = {{3, 6, 2, 6}, {4, 3, 2, 4, 3}, {3, 3, 3, 6}, {3, 4, 3, 6},
                                    {3, 3, 6, 5}, {4, 3, 4, 4, 2}, {4, 3, 6, 2, 3}, {3, 3, 2, 6},
                                    {3, 4, 2, 7}, {3, 4, 4, 4}};
    const int *sh = shapes[pick((int)(sizeof shapes / sizeof shapes[0]))];
    size_t o = 0;
    for (int g = 0; g < sh[0]; g++) {
        if (g)
            out[o++] = '-';
        digits(out + o, sh[1 + g]);
        if (sh[0] == 3 && sh[1] == 4 && sh[2] == 4 && g == 0)
            memcpy(out + o, "1000", 4); /* 토스뱅크 */
        o += (size_t)sh[1 + g];
    }
    out[o] = 0;
}

typedef struct kind {
    const char *name;
    void (*gen)(char *out);
    const char *const *lead; /* words that may come before it */
} kind;

static const char *const lead_rrn[] = {"주민번호", "주민등록번호", "외국인등록번호", "주민번호는", ""};
static const char *const lead_phone[] = {"연락처", "휴대폰", "전화", "HP", "자택", "회신번호", ""};
static const char *const lead_email[] = {"메일", "이메일", "E-mail:", "회신 메일", ""};
static const char *const lead_card[] = {"카드번호", "결제카드", "카드", ""};
static const char *const lead_bizno[] = {"사업자번호", "사업자등록번호", ""};
static const char *const lead_passport[] = {"여권번호", "여권", ""};
static const char *const lead_driver[] = {"면허번호", "운전면허", ""};
static const char *const lead_plate[] = {"차량번호", "차량", "주차 차량", ""};
static const char *const lead_ip[] = {"접속 IP", "IP", "접속지", ""};
static const char *const lead_account[] = {"환불계좌 국민", "신한", "우리은행", "하나", "농협",
                                           "기업은행", "카카오뱅크", "토스", "계좌", ""};

static const kind kinds[] = {
    {"rrn", gen_rrn, lead_rrn},          {"phone", gen_phone, lead_phone},
    {"email", gen_email, lead_email},    {"card", gen_card, lead_card},
    {"bizno", gen_bizno, lead_bizno},    {"passport", gen_passport, lead_passport},
    {"driver", gen_driver, lead_driver}, {"plate", gen_plate, lead_plate},
    {"ip", gen_ip, lead_ip},             {"account", gen_account, lead_account},
};
static const size_t lead_count[] = {5, 7, 5, 4, 3, 3, 3, 4, 4, 10};

/* ---- decoys ---- */

static void gen_decoy(char *out)
{
    char d[13];
    switch (pick(20)) {
    case 16: digits(d, 12); sprintf(out, "%s", d); break; /* a courier tracking number */
    case 17: sprintf(out, "%02d%02d%02d-%d******", pick(100), 1 + pick(12), 1 + pick(28), 1 + pick(4)); break;
    case 18: sprintf(out, "20%02d년 %d월 %d일", pick(26), 1 + pick(12), 1 + pick(28)); break;
    case 19: sprintf(out, "20%02d-%02d-%02d %d:%02d", pick(26), 1 + pick(12), 1 + pick(28), pick(24), pick(60)); break;
    case 0: sprintf(out, "20%02d-%02d-%02d", pick(26), 1 + pick(12), 1 + pick(28)); break;
    case 1: sprintf(out, "20%02d.%d.%d", pick(26), 1 + pick(12), 1 + pick(28)); break;
    case 2: sprintf(out, "20%02d%02d%02d", pick(26), 1 + pick(12), 1 + pick(28)); break;
    case 3: sprintf(out, "%d,%03d원", 1 + pick(999), pick(1000) / 10 * 10); break;
    case 4: sprintf(out, "%d,%03d,%03d원", 1 + pick(99), pick(1000), pick(1000)); break;
    case 5: sprintf(out, "%02d:%02d", pick(24), pick(60)); break;
    case 6: sprintf(out, "%02d:%02d:%02d", pick(24), pick(60), pick(60)); break;
    case 7: sprintf(out, "ORD-20%02d-%06d", pick(26), pick(1000000)); break;
    case 8: sprintf(out, "%d동 %d%02d호", 101 + pick(20), 1 + pick(25), 1 + pick(8)); break;
    case 9: sprintf(out, "%d세", 18 + pick(70)); break;
    case 10: sprintf(out, "%d.%d%%", pick(100), pick(10)); break;
    case 11: sprintf(out, "SKU-%05d-%c", pick(100000), 'A' + pick(26)); break;
    case 12: sprintf(out, "%d-%04d", ONE_OF(((const int[]){1588, 1577, 1544, 1600, 1661, 1899})), pick(10000)); break;
    case 13: sprintf(out, "20%02d%02d%02d-%04d", pick(26), 1 + pick(12), 1 + pick(28), pick(10000)); break;
    case 14: sprintf(out, "v%d.%d.%d", pick(10), pick(20), pick(50)); break;
    default: sprintf(out, "%d,%03d개", 1 + pick(99), pick(1000)); break;
    }
}

static const char *const openers[] = {"", "고객 요청: ", "상담 메모 - ", "[통화] ", "비고: ", "참고) "};
static const char *const tails[] = {" 로 연락 요망", "으로 회신 바람", " 확인 완료", " 변경 요청",
                                    " 기재됨", " 관련 문의", "", ".", " (본인 확인)", "로 안내함"};
static const char *const decoy_lead[] = {"방문일", "결제", "주문", "배송지", "나이", "할인",
                                         "접수", "상품", "고객센터", "버전", "수량", "운송장",
                                         "주민번호(마스킹)", ""};
static const char *const names[] = {"홍길동", "김민수", "이영희", "박서연", "최지우", "정하늘"};

int main(int argc, char **argv)
{
    long n = 5000;
    unsigned long long seed = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--sentences") && i + 1 < argc)
            n = strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: scrub_corpus [--sentences N] [--seed S]\n");
            return 2;
        }
    }
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    for (long i = 0; i < n; i++) {
        sentence s = {0};
        add(&s, ONE_OF(openers));
        int parts = 1 + pick(4);
        for (int p = 0; p < parts; p++) {
            if (p)
                add(&s, pick(2) ? ", " : " ");
            char buf[128];
            if (pick(3) == 0) {
                const char *lead = ONE_OF(decoy_lead);
                if (*lead) {
                    add(&s, lead);
                    add(&s, " ");
                }
                gen_decoy(buf);
                add_labelled(&s, "decoy", buf);
                continue;
            }
            /* every kind equally often: sentence i's first identifier
             * cycles through them */
            size_t k = p == 0 ? (size_t)i % 10 : (size_t)pick(10);
            const char *lead = kinds[k].lead[pick((int)lead_count[k])];
            if (pick(4) == 0) {
                add(&s, ONE_OF(names));
                add(&s, " 고객 ");
            }
            if (*lead) {
                add(&s, lead);
                add(&s, pick(3) ? " " : ": ");
            }
            kinds[k].gen(buf);
            /* a form with its own parenthesis is not wrapped in another */
            int paren = pick(10) == 0 && !strchr(buf, ')');
            if (paren)
                add(&s, "(");
            add_labelled(&s, kinds[k].name, buf);
            if (paren)
                add(&s, ")");
            add(&s, ONE_OF(tails));
        }
        printf("%s\t%s\n", s.labels, s.text);
    }
    return ferror(stdout) ? 1 : 0;
}
