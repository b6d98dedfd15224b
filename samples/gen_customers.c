/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen_customers.c - writes a synthetic Korean customer extract as CSV.
 *
 *   gen_customers [--rows N] [--seed S] [--delimiter C]
 *
 * Every value is made up: names, resident registration numbers, phones,
 * addresses and diagnoses only look real, so the file can be shared, used in
 * tests and scaled to gigabytes for benchmarks. Output is UTF-8, LF line
 * ends, one header row, RFC 4180 quoting only where needed. For one seed the
 * output is identical on every run and machine (own PRNG, no libm, fixed
 * reference date 2026-01-01), and --rows N is a prefix of --rows M for N < M.
 *
 * Stand-alone on purpose (libc only): it is a tool for the project, not part
 * of the library.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_ROWS 1000ULL
#define DEFAULT_SEED 1ULL
#define MAX_ROWS 1000000000000ULL /* 10^12: ids stay short, runs stay finite */
#define REF_YEAR 2026             /* ages are whole years at 2026-01-01 */
#define MIN_AGE 18
#define MAX_AGE 90
#define OUT_BUF (1u << 20)
#define ROW_RESERVE 8192u /* a row is far shorter; checked once per row */
#define FIELD_MAX 1024u

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- PRNG: xoshiro256** seeded through splitmix64 ---------------------- */

static uint64_t rng_s[4];

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(void)
{
    uint64_t result = rotl(rng_s[1] * 5, 7) * 9;
    uint64_t t = rng_s[1] << 17;
    rng_s[2] ^= rng_s[0];
    rng_s[3] ^= rng_s[1];
    rng_s[1] ^= rng_s[2];
    rng_s[0] ^= rng_s[3];
    rng_s[2] ^= t;
    rng_s[3] = rotl(rng_s[3], 45);
    return result;
}

static void rng_seed(uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        rng_s[i] = splitmix64(&seed);
}

/* Uniform in [0, n), n < 2^32. Multiply-shift on the top 32 bits: the bias
 * (at most n / 2^32) does not matter for synthetic data and it avoids a
 * division per call. */
static uint32_t below(uint32_t n)
{
    return (uint32_t)(((rng_next() >> 32) * (uint64_t)n) >> 32);
}

/* Returns 1 with probability pct/100. */
static int chance(uint32_t pct)
{
    return below(100) < pct;
}

static double uniform01(void)
{
    return (double)(rng_next() >> 11) * 0x1.0p-53;
}

/* Approximately standard normal (Irwin-Hall, 12 uniforms): no libm needed. */
static double gauss(void)
{
    double s = 0;
    for (int i = 0; i < 12; i++)
        s += uniform01();
    return s - 6.0;
}

/* exp(x) for |x| < 700 by range reduction and a Taylor series, so that the
 * program links without libm and gives the same digits everywhere. */
static double exp_approx(double x)
{
    const double ln2 = 0.69314718055994530942;
    int k = (int)(x / ln2 + (x >= 0 ? 0.5 : -0.5));
    double r = x - k * ln2;
    double term = 1, sum = 1;
    for (int i = 1; i < 16; i++) {
        term *= r / i;
        sum += term;
    }
    for (; k > 0; k--)
        sum *= 2;
    for (; k < 0; k++)
        sum /= 2;
    return sum;
}

/* Index i with probability w[i] / sum(w), from a running-total table. */
static size_t pick_cum(const uint32_t *cum, size_t n)
{
    uint32_t r = below(cum[n - 1]);
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cum[mid] > r)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ---- Tables -------------------------------------------------------------- */

typedef struct syllable {
    const char *hangul;
    const char *roman; /* for e-mail local parts */
    uint32_t weight;   /* family names: share in 0.1 %, roughly the census */
} syllable;

static const syllable family_names[] = {
    {"김", "kim", 215},  {"이", "lee", 147},  {"박", "park", 84},  {"최", "choi", 47},
    {"정", "jung", 43},  {"강", "kang", 24},  {"조", "cho", 21},   {"윤", "yoon", 21},
    {"장", "jang", 20},  {"임", "lim", 17},   {"한", "han", 15},   {"오", "oh", 15},
    {"서", "seo", 15},   {"신", "shin", 15},  {"권", "kwon", 14},  {"황", "hwang", 14},
    {"안", "ahn", 14},   {"송", "song", 13},  {"전", "jeon", 11},  {"홍", "hong", 11},
    {"유", "yoo", 11},   {"고", "ko", 9},     {"문", "moon", 9},   {"양", "yang", 9},
    {"손", "son", 9},    {"배", "bae", 8},    {"백", "baek", 8},   {"허", "heo", 7},
    {"노", "noh", 7},    {"남", "nam", 5},    {"심", "shim", 5},   {"하", "ha", 5},
    {"곽", "kwak", 4},   {"성", "sung", 4},   {"차", "cha", 4},    {"주", "joo", 4},
    {"우", "woo", 4},    {"구", "koo", 4},    {"민", "min", 3},    {"류", "ryu", 3},
    {"나", "na", 3},     {"진", "jin", 3},    {"지", "ji", 3},     {"엄", "eom", 3},
    {"채", "chae", 3},   {"원", "won", 3},    {"천", "chun", 2},   {"방", "bang", 2},
    {"공", "kong", 2},   {"현", "hyun", 2},   {"함", "ham", 2},    {"변", "byun", 2},
    {"염", "yeom", 2},   {"여", "yeo", 2},    {"추", "choo", 1},   {"도", "do", 1},
    {"소", "so", 1},     {"석", "seok", 1},   {"선", "sun", 1},    {"설", "seol", 1},
    {"마", "ma", 1},     {"길", "gil", 1},    {"연", "yeon", 1},   {"위", "wi", 1},
    {"표", "pyo", 1},    {"명", "myung", 1},  {"기", "ki", 1},     {"반", "ban", 1},
    {"왕", "wang", 1},   {"금", "keum", 1},   {"옥", "ok", 1},     {"육", "yook", 1},
    {"인", "in", 1},     {"맹", "maeng", 1},  {"제", "je", 1},     {"모", "mo", 1},
    {"탁", "tak", 1},    {"국", "kook", 1},   {"어", "eo", 1},     {"은", "eun", 1},
    {"편", "pyun", 1},   {"용", "yong", 1},
};

static const syllable given_male[] = {
    {"민", "min", 1},   {"준", "jun", 1},   {"서", "seo", 1},   {"현", "hyun", 1},
    {"우", "woo", 1},   {"진", "jin", 1},   {"호", "ho", 1},    {"성", "sung", 1},
    {"영", "young", 1}, {"수", "soo", 1},   {"동", "dong", 1},  {"훈", "hoon", 1},
    {"재", "jae", 1},   {"석", "seok", 1},  {"지", "ji", 1},    {"건", "gun", 1},
    {"도", "do", 1},    {"윤", "yoon", 1},  {"승", "seung", 1}, {"태", "tae", 1},
    {"상", "sang", 1},  {"철", "chul", 1},  {"용", "yong", 1},  {"기", "ki", 1},
    {"경", "kyung", 1}, {"종", "jong", 1},  {"정", "jung", 1},  {"혁", "hyuk", 1},
    {"규", "kyu", 1},   {"환", "hwan", 1},  {"희", "hee", 1},   {"범", "bum", 1},
    {"찬", "chan", 1},  {"원", "won", 1},   {"인", "in", 1},    {"형", "hyung", 1},
    {"한", "han", 1},   {"주", "joo", 1},   {"하", "ha", 1},    {"빈", "bin", 1},
    {"율", "yul", 1},   {"시", "si", 1},    {"은", "eun", 1},   {"예", "ye", 1},
};

static const syllable given_female[] = {
    {"서", "seo", 1},   {"연", "yeon", 1},  {"지", "ji", 1},    {"민", "min", 1},
    {"수", "soo", 1},   {"윤", "yoon", 1},  {"하", "ha", 1},    {"은", "eun", 1},
    {"유", "yu", 1},    {"아", "a", 1},     {"영", "young", 1}, {"희", "hee", 1},
    {"경", "kyung", 1}, {"미", "mi", 1},    {"정", "jung", 1},  {"숙", "sook", 1},
    {"순", "soon", 1},  {"자", "ja", 1},    {"혜", "hye", 1},   {"진", "jin", 1},
    {"현", "hyun", 1},  {"주", "joo", 1},   {"예", "ye", 1},    {"나", "na", 1},
    {"다", "da", 1},    {"소", "so", 1},    {"채", "chae", 1},  {"원", "won", 1},
    {"선", "sun", 1},   {"란", "ran", 1},   {"옥", "ok", 1},    {"향", "hyang", 1},
    {"림", "rim", 1},   {"빈", "bin", 1},   {"린", "rin", 1},   {"율", "yul", 1},
    {"인", "in", 1},    {"애", "ae", 1},    {"화", "hwa", 1},
};

static const char *const handles[] = {
    "happy", "sky", "blue", "star", "sunny", "moon", "tiger", "jjang", "cutie",
    "dream", "hello", "smile", "lucky", "angel", "cool", "mint", "coffee", "rain",
};

typedef struct domain {
    const char *name;
    uint32_t weight;
} domain;

static const domain domains[] = {
    {"naver.com", 40}, {"gmail.com", 25}, {"daum.net", 12},  {"hanmail.net", 8},
    {"kakao.com", 5},  {"nate.com", 5},   {"hotmail.com", 2}, {"yahoo.co.kr", 1},
    {"korea.kr", 1},
};

/* A 시군구 with its (approximate) range of 5-digit postal codes and some of
 * its 동/읍/면. n_dong = 0 means the name itself is the 동 level (세종). */
typedef struct district {
    const char *name;
    uint32_t zip_lo, zip_hi;
    const char *dong[5];
} district;

typedef struct province {
    const char *name;
    uint32_t weight; /* population in 10,000s */
    const district *districts;
    size_t n_districts;
    int flat;        /* 1: districts are 동/읍 directly (세종) */
} province;

static const district d_seoul[] = {
    {"종로구", 3000, 3199, {"청운동", "혜화동", "사직동", "평창동"}},
    {"중구", 4500, 4699, {"명동", "신당동", "을지로동", "회현동"}},
    {"강남구", 6000, 6399, {"역삼동", "삼성동", "대치동", "논현동", "압구정동"}},
    {"송파구", 5500, 5899, {"잠실동", "가락동", "문정동", "방이동"}},
    {"마포구", 3900, 4199, {"서교동", "합정동", "망원동", "공덕동"}},
    {"노원구", 1600, 1899, {"상계동", "중계동", "하계동", "공릉동"}},
    {"관악구", 8700, 8899, {"신림동", "봉천동", "남현동"}},
    {"강서구", 7500, 7899, {"화곡동", "등촌동", "가양동", "방화동"}},
};
static const district d_busan[] = {
    {"해운대구", 48000, 48199, {"우동", "중동", "좌동", "재송동"}},
    {"부산진구", 47100, 47399, {"부전동", "전포동", "양정동", "범천동"}},
    {"사하구", 49300, 49599, {"하단동", "괴정동", "다대동"}},
    {"동래구", 47700, 47899, {"온천동", "명륜동", "사직동"}},
    {"남구", 48400, 48599, {"대연동", "용호동", "문현동"}},
};
static const district d_daegu[] = {
    {"수성구", 42000, 42299, {"범어동", "만촌동", "황금동", "지산동"}},
    {"달서구", 42600, 42899, {"상인동", "월성동", "이곡동", "본리동"}},
    {"북구", 41400, 41699, {"침산동", "산격동", "복현동"}},
    {"중구", 41900, 41999, {"동인동", "삼덕동", "대봉동"}},
};
static const district d_incheon[] = {
    {"남동구", 21500, 21699, {"구월동", "간석동", "만수동", "논현동"}},
    {"연수구", 21900, 22099, {"송도동", "연수동", "동춘동", "옥련동"}},
    {"부평구", 21300, 21499, {"부평동", "산곡동", "십정동", "삼산동"}},
    {"서구", 22600, 22899, {"검단동", "청라동", "가정동", "석남동"}},
};
static const district d_gwangju[] = {
    {"북구", 61000, 61299, {"용봉동", "운암동", "문흥동", "일곡동"}},
    {"서구", 61900, 62099, {"치평동", "화정동", "농성동", "풍암동"}},
    {"광산구", 62200, 62499, {"수완동", "첨단동", "신가동", "우산동"}},
    {"남구", 61600, 61799, {"봉선동", "주월동", "진월동"}},
};
static const district d_daejeon[] = {
    {"유성구", 34000, 34299, {"봉명동", "궁동", "노은동", "관평동"}},
    {"서구", 35200, 35399, {"둔산동", "탄방동", "월평동", "관저동"}},
    {"중구", 34800, 35099, {"은행동", "대흥동", "문화동", "태평동"}},
    {"동구", 34500, 34699, {"가양동", "용전동", "판암동"}},
};
static const district d_ulsan[] = {
    {"남구", 44600, 44799, {"삼산동", "달동", "신정동", "무거동"}},
    {"중구", 44400, 44599, {"성남동", "태화동", "복산동", "우정동"}},
    {"북구", 44200, 44299, {"화봉동", "농소동", "송정동", "염포동"}},
    {"울주군", 44900, 45099, {"언양읍", "온양읍", "범서읍", "삼남읍"}},
};
static const district d_sejong[] = {
    {"조치원읍", 30000, 30099, {NULL}}, {"한솔동", 30100, 30199, {NULL}},
    {"도담동", 30100, 30199, {NULL}},   {"아름동", 30100, 30199, {NULL}},
    {"종촌동", 30100, 30199, {NULL}},   {"보람동", 30100, 30199, {NULL}},
};
static const district d_gyeonggi[] = {
    {"수원시 영통구", 16500, 16699, {"매탄동", "원천동", "영통동", "망포동"}},
    {"성남시 분당구", 13400, 13699, {"정자동", "서현동", "수내동", "야탑동"}},
    {"고양시 일산동구", 10300, 10499, {"장항동", "마두동", "백석동", "식사동"}},
    {"용인시 수지구", 16800, 16999, {"풍덕천동", "죽전동", "상현동", "성복동"}},
    {"부천시", 14400, 14799, {"중동", "상동", "심곡동", "송내동"}},
    {"화성시", 18200, 18699, {"반송동", "능동", "봉담읍", "향남읍"}},
    {"남양주시", 12000, 12299, {"다산동", "별내동", "화도읍", "진접읍"}},
    {"안산시 단원구", 15300, 15499, {"고잔동", "초지동", "선부동", "와동"}},
    {"평택시", 17700, 18199, {"비전동", "세교동", "송탄동", "안중읍"}},
    {"가평군", 12400, 12499, {"가평읍", "청평면", "설악면", "조종면"}},
};
static const district d_gangwon[] = {
    {"춘천시", 24200, 24499, {"효자동", "석사동", "퇴계동", "후평동"}},
    {"원주시", 26300, 26599, {"단계동", "무실동", "반곡동", "명륜동"}},
    {"강릉시", 25400, 25699, {"교동", "포남동", "주문진읍", "옥천동"}},
    {"홍천군", 25100, 25199, {"홍천읍", "화촌면", "북방면"}},
};
static const district d_chungbuk[] = {
    {"청주시 흥덕구", 28300, 28599, {"복대동", "가경동", "봉명동", "오송읍"}},
    {"청주시 상당구", 28700, 28899, {"용암동", "금천동", "영운동"}},
    {"충주시", 27300, 27599, {"연수동", "교현동", "칠금동", "호암동"}},
    {"제천시", 27100, 27299, {"청전동", "의림동", "장락동"}},
    {"옥천군", 29000, 29099, {"옥천읍", "이원면", "군서면"}},
};
static const district d_chungnam[] = {
    {"천안시 서북구", 31000, 31299, {"쌍용동", "불당동", "백석동", "성정동"}},
    {"아산시", 31400, 31599, {"배방읍", "온양동", "탕정면", "용화동"}},
    {"서산시", 31900, 32099, {"동문동", "석남동", "예천동"}},
    {"공주시", 32500, 32699, {"신관동", "웅진동", "금학동"}},
    {"논산시", 32900, 33099, {"취암동", "부창동", "연무읍"}},
};
static const district d_jeonbuk[] = {
    {"전주시 완산구", 54900, 55099, {"효자동", "서신동", "중화산동", "평화동"}},
    {"전주시 덕진구", 54800, 54899, {"송천동", "인후동", "덕진동", "우아동"}},
    {"군산시", 54000, 54199, {"나운동", "수송동", "조촌동", "소룡동"}},
    {"익산시", 54500, 54699, {"영등동", "부송동", "모현동", "어양동"}},
    {"정읍시", 56100, 56299, {"수성동", "상교동", "연지동"}},
    {"남원시", 55700, 55799, {"도통동", "향교동", "왕정동"}},
};
static const district d_jeonnam[] = {
    {"여수시", 59600, 59899, {"여서동", "문수동", "학동", "돌산읍"}},
    {"순천시", 57900, 58099, {"연향동", "조례동", "왕조동", "해룡면"}},
    {"목포시", 58600, 58799, {"용당동", "상동", "옥암동", "부흥동"}},
    {"나주시", 58200, 58399, {"빛가람동", "송월동", "금남동"}},
    {"해남군", 59000, 59099, {"해남읍", "송지면", "황산면"}},
};
static const district d_gyeongbuk[] = {
    {"포항시 북구", 37500, 37799, {"양덕동", "장성동", "두호동", "흥해읍"}},
    {"포항시 남구", 37800, 37999, {"대이동", "효곡동", "오천읍"}},
    {"구미시", 39100, 39499, {"원평동", "송정동", "인동동", "고아읍"}},
    {"경주시", 38000, 38299, {"황성동", "동천동", "용강동", "안강읍"}},
    {"안동시", 36600, 36799, {"옥동", "용상동", "송하동", "풍산읍"}},
    {"의성군", 37300, 37399, {"의성읍", "안계면", "단촌면"}},
};
static const district d_gyeongnam[] = {
    {"창원시 성산구", 51500, 51599, {"상남동", "반송동", "중앙동", "가음정동"}},
    {"창원시 의창구", 51100, 51299, {"팔용동", "봉림동", "명곡동"}},
    {"김해시", 50800, 51099, {"내외동", "북부동", "진영읍", "활천동"}},
    {"진주시", 52600, 52899, {"평거동", "가호동", "충무공동", "상대동"}},
    {"양산시", 50500, 50699, {"물금읍", "중앙동", "삼성동", "서창동"}},
    {"거제시", 53200, 53399, {"고현동", "옥포동", "아주동"}},
};
static const district d_jeju[] = {
    {"제주시", 63100, 63399, {"노형동", "연동", "이도동", "아라동", "애월읍"}},
    {"서귀포시", 63500, 63644, {"동홍동", "중문동", "대정읍", "성산읍"}},
};

#define PROV(n, w, d, f) {n, w, d, COUNT(d), f}
static const province provinces[] = {
    PROV("서울특별시", 940, d_seoul, 0),
    PROV("부산광역시", 330, d_busan, 0),
    PROV("대구광역시", 237, d_daegu, 0),
    PROV("인천광역시", 300, d_incheon, 0),
    PROV("광주광역시", 142, d_gwangju, 0),
    PROV("대전광역시", 144, d_daejeon, 0),
    PROV("울산광역시", 110, d_ulsan, 0),
    PROV("세종특별자치시", 39, d_sejong, 1),
    PROV("경기도", 1363, d_gyeonggi, 0),
    PROV("강원특별자치도", 153, d_gangwon, 0),
    PROV("충청북도", 159, d_chungbuk, 0),
    PROV("충청남도", 213, d_chungnam, 0),
    PROV("전북특별자치도", 175, d_jeonbuk, 0),
    PROV("전라남도", 180, d_jeonnam, 0),
    PROV("경상북도", 255, d_gyeongbuk, 0),
    PROV("경상남도", 325, d_gyeongnam, 0),
    PROV("제주특별자치도", 67, d_jeju, 0),
};
#undef PROV

static const char *const apartments[] = {
    "래미안", "자이", "힐스테이트", "푸르지오", "e편한세상", "아이파크", "롯데캐슬",
    "더샵", "현대", "주공", "삼성", "한신", "쌍용", "우성", "대림",
};
static const char *const villas[] = {"한솔빌라", "그린빌", "하이츠빌", "성원맨션", "대성연립"};

/* Jobs: the order is also the column order of the weight tables below. */
enum { N_JOBS = 15 };
static const char *const jobs[N_JOBS] = {
    "회사원", "공무원", "교사", "의사", "간호사", "자영업", "학생", "주부",
    "프리랜서", "개발자", "영업직", "농업", "무직", "연구원", "디자이너",
};
/* Relative weight of each job per age band (18-19, 20-24, 25-29, 30-49,
 * 50-64, 65+) ... */
static const uint32_t job_by_age[6][N_JOBS] = {
    {4, 0, 0, 0, 0, 1, 80, 0, 2, 1, 2, 0, 10, 0, 0},
    {25, 3, 1, 0, 4, 2, 40, 1, 5, 5, 5, 0, 8, 0, 1},
    {35, 6, 4, 1, 5, 4, 6, 3, 6, 8, 7, 1, 7, 3, 4},
    {32, 6, 4, 1, 3, 12, 1, 9, 5, 6, 7, 2, 4, 3, 3},
    {20, 5, 3, 1, 2, 20, 0, 14, 4, 2, 6, 6, 8, 2, 1},
    {3, 1, 0, 1, 0, 12, 0, 22, 3, 0, 2, 18, 38, 1, 0},
};
/* ... times a factor per sex, in tenths (주부 and 간호사 are skewed). */
static const uint32_t job_by_sex[2][N_JOBS] = {
    {10, 10, 7, 12, 2, 12, 10, 1, 10, 14, 12, 12, 10, 12, 8},
    {10, 10, 14, 8, 18, 8, 10, 20, 10, 6, 8, 8, 10, 8, 12},
};
/* Income model per job: median in 10,000 KRW, spread (sigma * 100), and the
 * percentage of people reporting no income. */
static const struct {
    uint32_t median, sigma, zero_pct;
} income_model[N_JOBS] = {
    {4200, 45, 2}, {4800, 30, 1}, {5000, 30, 1}, {15000, 50, 1}, {4500, 30, 2},
    {3500, 90, 8}, {300, 80, 75}, {200, 80, 90}, {3000, 80, 8}, {5500, 45, 2},
    {4000, 50, 3}, {2000, 70, 10}, {500, 80, 85}, {5500, 40, 2}, {3800, 45, 4},
};

typedef struct diag {
    const char *code; /* "" = no diagnosis on file */
    uint32_t weight;
} diag;

static const diag diagnoses[] = {
    {"", 35},     {"J06.9", 8}, {"J20.9", 5}, {"J00", 5},   {"I10", 8},   {"E11", 4},
    {"E11.9", 4}, {"E78.5", 4}, {"K21.0", 3}, {"K29.7", 3}, {"M54.5", 4}, {"M17.9", 2},
    {"N39.0", 2}, {"F32.9", 2}, {"F41.1", 1}, {"G43.9", 1}, {"H52.1", 2}, {"L20.9", 2},
    {"J45.9", 2}, {"K52.9", 2}, {"R51", 1},   {"Z00.0", 3}, {"C16.9", 1}, {"C22.0", 1},
    {"I25.1", 1}, {"E03.9", 1}, {"B18.1", 1}, {"S93.4", 2}, {"A09", 2},   {"I63.9", 1},
};

/* Memo templates: \001 stands for a random full name, \002 for a random
 * mobile number: free text in real extracts holds exactly this kind of
 * personal data, which is why rules/customers.rules drops the column. */
typedef struct memo {
    const char *text;
    uint32_t weight;
} memo;

static const memo memos[] = {
    {"", 450},
    {"VIP 고객", 40},
    {"주소 변경 요청", 40},
    {"방문 상담 완료, 재방문 예정", 40},
    {"통화 불가, 문자로 안내함", 40},
    {"고객 요청: \"오전에만 연락\"", 30},
    {"\"우수 고객\" 대상, 쿠폰 발송", 30},
    {"보호자 연락처 \002", 30},
    {"본인 확인 완료 (\001)", 30},
    {"배송 메모: 문 앞에 놓아주세요", 40},
    {"환불 요청, 처리 중", 30},
    {"이메일 수신 거부", 40},
    {"민원 접수; 담당자 배정", 20},
    {"알레르기: 페니실린", 20},
    {"주의: 청각 장애, 문자 선호", 20},
    {"가족 \001 님과 동일 주소", 20},
    {"이전 기록 있음 | 확인 필요", 15},
    {"1차 상담 완료\n2차 상담 예정", 25},
    {"\"긴급\" 재연락 필요,\n담당: \001", 15},
    {"탭\t구분 메모", 5},
};

static uint32_t cum_family[COUNT(family_names)];
static uint32_t cum_domains[COUNT(domains)];
static uint32_t cum_provinces[COUNT(provinces)];
static uint32_t cum_diag[COUNT(diagnoses)];
static uint32_t cum_memo[COUNT(memos)];
static uint32_t cum_age[MAX_AGE - MIN_AGE + 1];

static void init_tables(void)
{
    uint32_t acc = 0;
    for (size_t i = 0; i < COUNT(family_names); i++)
        cum_family[i] = acc += family_names[i].weight;
    acc = 0;
    for (size_t i = 0; i < COUNT(domains); i++)
        cum_domains[i] = acc += domains[i].weight;
    acc = 0;
    for (size_t i = 0; i < COUNT(provinces); i++)
        cum_provinces[i] = acc += provinces[i].weight;
    acc = 0;
    for (size_t i = 0; i < COUNT(diagnoses); i++)
        cum_diag[i] = acc += diagnoses[i].weight;
    acc = 0;
    for (size_t i = 0; i < COUNT(memos); i++)
        cum_memo[i] = acc += memos[i].weight;
    /* Adults spread evenly up to 64, then fewer with every year to 90. */
    acc = 0;
    for (int a = MIN_AGE; a <= MAX_AGE; a++) {
        uint32_t w = a <= 64 ? 26 : (uint32_t)(26 - (a - 64) + 1);
        cum_age[a - MIN_AGE] = acc += w;
    }
}

/* ---- Output -------------------------------------------------------------- */

static char out_buf[OUT_BUF];
static size_t out_len;
static char delim = ',';

static void out_flush(void)
{
    if (out_len && fwrite(out_buf, 1, out_len, stdout) != out_len) {
        fprintf(stderr, "gen_customers: write error: %s\n", strerror(errno));
        exit(1);
    }
    out_len = 0;
}

/* Appends one field, quoted (RFC 4180) only when it holds the delimiter, a
 * quote, CR or LF. The caller reserved room for the whole row. */
static void out_field(const char *s, size_t n)
{
    int quote = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == delim || c == '"' || c == '\n' || c == '\r') {
            quote = 1;
            break;
        }
    }
    if (!quote) {
        memcpy(out_buf + out_len, s, n);
        out_len += n;
        return;
    }
    out_buf[out_len++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            out_buf[out_len++] = '"';
        out_buf[out_len++] = s[i];
    }
    out_buf[out_len++] = '"';
}

/* A field under construction. Bounded: every writer below checks room. */
typedef struct field {
    char b[FIELD_MAX];
    size_t n;
} field;

static void f_mem(field *f, const char *s, size_t n)
{
    if (n > sizeof f->b - f->n)
        n = sizeof f->b - f->n;
    memcpy(f->b + f->n, s, n);
    f->n += n;
}

static void f_str(field *f, const char *s)
{
    f_mem(f, s, strlen(s));
}

static void f_chr(field *f, char c)
{
    f_mem(f, &c, 1);
}

/* Decimal, zero-padded to at least width digits. */
static void f_uint(field *f, uint64_t v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width && n < (int)sizeof tmp)
        tmp[n++] = '0';
    while (n > 0)
        f_chr(f, tmp[--n]);
}

static void f_digits(field *f, int count)
{
    for (int i = 0; i < count; i++)
        f_chr(f, (char)('0' + below(10)));
}

/* Writes the field and its separator, and empties it for the next one. */
static void emit(field *f, int last)
{
    out_field(f->b, f->n);
    out_buf[out_len++] = last ? '\n' : delim;
    f->n = 0;
}

/* ---- Dates (proleptic Gregorian, days since 1970-01-01) ---------------- */

static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* ---- One person ---------------------------------------------------------- */

typedef struct person {
    int male;
    int year;
    unsigned month, day;
    int age;
    size_t family;
    const syllable *given[3];
    int n_given;
    size_t job;
} person;

static void make_person(person *p)
{
    p->male = (int)below(2) == 0;
    /* Age first, then a birth day uniform in that age's window, so that
     * every age 18-90 at 2026-01-01 is reachable and consistent. */
    int a = MIN_AGE + (int)pick_cum(cum_age, COUNT(cum_age));
    int64_t first = days_from_civil(REF_YEAR - a - 1, 1, 2);
    int64_t last = days_from_civil(REF_YEAR - a, 1, 1);
    civil_from_days(first + below((uint32_t)(last - first + 1)), &p->year, &p->month, &p->day);
    p->age = REF_YEAR - p->year - ((p->month > 1 || p->day > 1) ? 1 : 0);

    p->family = pick_cum(cum_family, COUNT(cum_family));
    uint32_t r = below(100);
    p->n_given = r < 3 ? 1 : r < 99 ? 2 : 3;
    const syllable *pool = p->male ? given_male : given_female;
    size_t n_pool = p->male ? COUNT(given_male) : COUNT(given_female);
    for (int i = 0; i < p->n_given; i++)
        p->given[i] = &pool[below((uint32_t)n_pool)];

    int band = p->age < 20 ? 0 : p->age < 25 ? 1 : p->age < 30 ? 2 : p->age < 50 ? 3
             : p->age < 65 ? 4 : 5;
    uint32_t cum[N_JOBS], acc = 0;
    for (size_t j = 0; j < N_JOBS; j++)
        cum[j] = acc += job_by_age[band][j] * job_by_sex[p->male ? 0 : 1][j];
    p->job = pick_cum(cum, N_JOBS);
}

static void f_name(field *f, const person *p)
{
    f_str(f, family_names[p->family].hangul);
    for (int i = 0; i < p->n_given; i++)
        f_str(f, p->given[i]->hangul);
}

/* A random name for memo text (not the row's person). */
static void f_other_name(field *f)
{
    const syllable *pool = chance(50) ? given_male : given_female;
    uint32_t n_pool = pool == given_male ? COUNT(given_male) : COUNT(given_female);
    f_str(f, family_names[pick_cum(cum_family, COUNT(cum_family))].hangul);
    f_str(f, pool[below(n_pool)].hangul);
    f_str(f, pool[below(n_pool)].hangul);
}

static void f_rrn(field *f, const person *p)
{
    int d[13];
    int yy = p->year % 100;
    d[0] = yy / 10;
    d[1] = yy % 10;
    d[2] = (int)p->month / 10;
    d[3] = (int)p->month % 10;
    d[4] = (int)p->day / 10;
    d[5] = (int)p->day % 10;
    d[6] = (p->year < 2000 ? 1 : 3) + (p->male ? 0 : 1);
    for (int i = 7; i < 12; i++)
        d[i] = (int)below(10);
    /* Most numbers carry the pre-2020 check digit; the rest a random last
     * digit, as numbers issued since 2020-10 do (DOMAIN.md). */
    if (chance(80)) {
        static const int w[12] = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
        int sum = 0;
        for (int i = 0; i < 12; i++)
            sum += d[i] * w[i];
        d[12] = (11 - sum % 11) % 10;
    } else {
        d[12] = (int)below(10);
    }
    for (int i = 0; i < 13; i++) {
        if (i == 6)
            f_chr(f, '-');
        f_chr(f, (char)('0' + d[i]));
    }
}

static void f_phone(field *f)
{
    uint32_t r = below(100);
    const char *prefix = r < 94 ? "010" : r < 97 ? "011" : "016";
    /* Old 011/016 numbers may have a 3-digit middle part. */
    int mid = (prefix[2] != '0' && chance(50)) ? 3 : 4;
    int dashes = !chance(5); /* some systems store bare digits */
    f_str(f, prefix);
    if (dashes)
        f_chr(f, '-');
    f_chr(f, (char)('2' + below(8)));
    f_digits(f, mid - 1);
    if (dashes)
        f_chr(f, '-');
    f_digits(f, 4);
}

static void f_email(field *f, const person *p)
{
    size_t start = f->n;
    const char *fam = family_names[p->family].roman;
    switch (below(5)) {
    case 0:
        for (int i = 0; i < p->n_given; i++)
            f_str(f, p->given[i]->roman);
        f_str(f, fam);
        break;
    case 1:
        f_str(f, fam);
        for (int i = 0; i < p->n_given; i++)
            f_str(f, p->given[i]->roman);
        break;
    case 2:
        for (int i = 0; i < p->n_given; i++)
            f_str(f, p->given[i]->roman);
        f_chr(f, '.');
        f_str(f, fam);
        break;
    case 3:
        f_str(f, fam);
        f_chr(f, '_');
        for (int i = 0; i < p->n_given; i++)
            f_chr(f, p->given[i]->roman[0]);
        break;
    default:
        f_str(f, handles[below(COUNT(handles))]);
        f_str(f, handles[below(COUNT(handles))]);
        break;
    }
    uint32_t r = below(10);
    if (r < 5)
        f_uint(f, (uint64_t)(p->year % 100), 2);
    else if (r < 7)
        f_uint(f, below(10000), 0);
    size_t local_end = f->n;
    f_chr(f, '@');
    f_str(f, domains[pick_cum(cum_domains, COUNT(cum_domains))].name);
    /* People type their address in any case; hashing must normalize. */
    r = below(100);
    if (r < 5) {
        f->b[start] = (char)(f->b[start] - 'a' + 'A');
    } else if (r < 7) {
        for (size_t i = start; i < local_end; i++)
            if (f->b[i] >= 'a' && f->b[i] <= 'z')
                f->b[i] = (char)(f->b[i] - 'a' + 'A');
    } else if (r < 9) {
        for (size_t i = local_end + 1; i < f->n; i++)
            if (f->b[i] >= 'a' && f->b[i] <= 'z')
                f->b[i] = (char)(f->b[i] - 'a' + 'A');
    }
}

static void f_date(field *f, const person *p)
{
    f_uint(f, (uint64_t)p->year, 4);
    f_chr(f, '-');
    f_uint(f, p->month, 2);
    f_chr(f, '-');
    f_uint(f, p->day, 2);
}

/* zip and address come from one district so that they agree. */
static void f_zip_address(field *zip, field *addr)
{
    const province *pv = &provinces[pick_cum(cum_provinces, COUNT(cum_provinces))];
    const district *d = &pv->districts[below((uint32_t)pv->n_districts)];
    f_uint(zip, d->zip_lo + below(d->zip_hi - d->zip_lo + 1), 5);

    f_str(addr, pv->name);
    f_chr(addr, ' ');
    f_str(addr, d->name);
    if (!pv->flat) {
        size_t n = 0;
        while (n < COUNT(d->dong) && d->dong[n])
            n++;
        f_chr(addr, ' ');
        f_str(addr, d->dong[below((uint32_t)n)]);
    }
    f_chr(addr, ' ');
    uint32_t r = below(100);
    if (r < 55) {
        f_uint(addr, 1 + below(999), 0);
        if (chance(70)) {
            f_chr(addr, '-');
            f_uint(addr, 1 + below(99), 0);
        }
        if (r < 4) { /* "123-4, 2층": a comma inside the address */
            f_str(addr, ", ");
            f_uint(addr, 1 + below(5), 0);
            f_str(addr, "층");
        }
    } else if (r < 93) {
        f_str(addr, apartments[below(COUNT(apartments))]);
        f_str(addr, "아파트 ");
        f_uint(addr, 101 + below(20), 0);
        f_str(addr, "동 ");
        f_uint(addr, 1 + below(30), 0);
        f_uint(addr, 1 + below(4), 2);
        f_str(addr, "호");
    } else {
        f_str(addr, villas[below(COUNT(villas))]);
        f_chr(addr, ' ');
        f_uint(addr, 1 + below(4), 0);
        f_uint(addr, 1 + below(3), 2);
        f_str(addr, "호");
    }
}

static void f_income(field *f, const person *p)
{
    const uint32_t median = income_model[p->job].median;
    if (chance(income_model[p->job].zero_pct)) {
        f_chr(f, '0');
        return;
    }
    double factor = p->age < 25 ? 0.6 : p->age < 30 ? 0.85 : p->age < 40 ? 1.0
                  : p->age < 55 ? 1.2 : p->age < 65 ? 1.0 : 0.6;
    double v = median * 10000.0 * factor *
               exp_approx(income_model[p->job].sigma / 100.0 * gauss());
    if (v > 5e9)
        v = 5e9;
    uint64_t krw = (uint64_t)(v + 0.5);
    /* Most payroll figures are round; some are exact. */
    uint32_t r = below(10);
    if (r < 6)
        krw = (krw + 5000) / 10000 * 10000;
    else if (r < 9)
        krw = (krw + 500) / 1000 * 1000;
    f_uint(f, krw, 0);
}

static void f_memo(field *f)
{
    for (const char *s = memos[pick_cum(cum_memo, COUNT(cum_memo))].text; *s; s++) {
        if (*s == '\001')
            f_other_name(f);
        else if (*s == '\002')
            f_phone(f);
        else
            f_chr(f, *s);
    }
}

static void write_row(uint64_t row, int id_width)
{
    person p;
    field f, addr;
    f.n = addr.n = 0;
    make_person(&p);

    if (OUT_BUF - out_len < ROW_RESERVE)
        out_flush();

    f_chr(&f, 'C');
    f_uint(&f, row, id_width);
    emit(&f, 0);
    f_name(&f, &p);
    emit(&f, 0);
    f_rrn(&f, &p);
    emit(&f, 0);
    f_phone(&f);
    emit(&f, 0);
    f_email(&f, &p);
    emit(&f, 0);
    f_date(&f, &p);
    emit(&f, 0);
    f_chr(&f, p.male ? 'M' : 'F');
    emit(&f, 0);
    f_uint(&f, (uint64_t)p.age, 0);
    emit(&f, 0);
    f_zip_address(&f, &addr);
    emit(&f, 0);
    emit(&addr, 0);
    f_income(&f, &p);
    emit(&f, 0);
    f_str(&f, jobs[p.job]);
    emit(&f, 0);
    f_str(&f, diagnoses[pick_cum(cum_diag, COUNT(cum_diag))].code);
    emit(&f, 0);
    f_memo(&f);
    emit(&f, 1);
}

static void write_header(void)
{
    static const char *const cols[] = {
        "id", "name", "rrn", "phone", "email", "birth", "sex", "age",
        "zip", "address", "income", "job", "diagnosis", "memo",
    };
    for (size_t i = 0; i < COUNT(cols); i++) {
        out_field(cols[i], strlen(cols[i]));
        out_buf[out_len++] = i + 1 < COUNT(cols) ? delim : '\n';
    }
}

/* ---- Command line -------------------------------------------------------- */

static void usage(FILE *to)
{
    fputs("usage: gen_customers [--rows N] [--seed S] [--delimiter C]\n"
          "  --rows N       data rows after the header (default 1000, 0 = header only)\n"
          "  --seed S       PRNG seed, 0 to 2^64-1 (default 1); same seed, same output\n"
          "  --delimiter C  one ASCII character, or \\t / tab (default ,)\n"
          "Writes a synthetic Korean customer extract (CSV, UTF-8) to stdout.\n",
          to);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_delim(const char *s, char *out)
{
    if (strcmp(s, "\\t") == 0 || strcmp(s, "tab") == 0) {
        *out = '\t';
        return 0;
    }
    unsigned char c = (unsigned char)s[0];
    /* A quote or line break cannot delimit; a non-ASCII byte would split
     * UTF-8 sequences. */
    if (!c || s[1] || c >= 0x80 || c == '"' || c == '\n' || c == '\r')
        return -1;
    *out = (char)c;
    return 0;
}

static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "gen_customers: %s: %s\n", what, arg);
    usage(stderr);
    return 2;
}

int main(int argc, char **argv)
{
    uint64_t rows = DEFAULT_ROWS, seed = DEFAULT_SEED;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "-h") == 0 || strcmp(opt, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        const char *names[] = {"--rows", "--seed", "--delimiter"};
        size_t which = COUNT(names);
        const char *val = NULL;
        for (size_t k = 0; k < COUNT(names); k++) {
            size_t n = strlen(names[k]);
            if (strncmp(opt, names[k], n) == 0 && (opt[n] == '\0' || opt[n] == '=')) {
                which = k;
                val = opt[n] == '=' ? opt + n + 1 : NULL;
                break;
            }
        }
        if (which == COUNT(names))
            return bad_usage("unknown option", opt);
        if (!val) {
            if (i + 1 >= argc)
                return bad_usage("missing value for", opt);
            val = argv[++i];
        }
        int bad = which == 0 ? parse_u64(val, MAX_ROWS, &rows)
                : which == 1 ? parse_u64(val, UINT64_MAX, &seed)
                : parse_delim(val, &delim);
        if (bad)
            return bad_usage(which == 0 ? "--rows needs a whole number from 0 to 10^12"
                             : which == 1 ? "--seed needs a whole number from 0 to 2^64-1"
                             : "--delimiter needs one ASCII character other than a quote or line break",
                             val);
    }

    rng_seed(seed);
    init_tables();
    int id_width = 6;
    for (uint64_t lim = 1000000; rows >= lim && id_width < 13; lim *= 10)
        id_width++;

    write_header();
    for (uint64_t r = 1; r <= rows; r++)
        write_row(r, id_width);
    out_flush();
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        fprintf(stderr, "gen_customers: write error: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
