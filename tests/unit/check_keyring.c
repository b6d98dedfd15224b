/* SPDX-License-Identifier: Apache-2.0 */
/*
 * check_keyring.c - key files (formats, permissions, refusals), the
 * fingerprint, key_mac against the RFC 4231 vectors and OpenSSL's one-shot
 * HMAC(), concurrent key_mac use, and keygen.
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "deid_limits.h"
#include "keyring.h"
#include "scratch.h"

/* Key 00 01 .. 1f; its fingerprint worked out with
 * printf 'deid key fingerprint' | openssl dgst -sha256 -mac HMAC \
 *     -macopt hexkey:000102...1f  (first 16 hex digits). */
#define KEY_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define KEY_HEX_UPPER "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
#define KEY_FP "19ef16b41d65211d"

static char tmpdir[64];
static char pathbuf[512];

static void setup(void)
{
    strcpy(tmpdir, "/tmp/deid_keyring_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
    scratch_remove_tree(tmpdir);
}

static const char *tpath(const char *name)
{
    snprintf(pathbuf, sizeof pathbuf, "%s/%s", tmpdir, name);
    return pathbuf;
}

/* Writes a file in the temp dir with exactly mode; returns its path. */
static const char *put(const char *name, const void *data, size_t len, mode_t mode)
{
    const char *p = tpath(name);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    ck_assert_int_eq(fchmod(fd, mode), 0);
    close(fd);
    return p;
}

static const char *put_str(const char *name, const char *text, mode_t mode)
{
    return put(name, text, strlen(text), mode);
}

static void fp_of(const void *key, size_t len, char out[17])
{
    unsigned char md[32];
    unsigned int n = 0;
    const char *msg = "deid key fingerprint";
    ck_assert_ptr_nonnull(HMAC(EVP_sha256(), key, (int)len, (const unsigned char *)msg,
                               strlen(msg), md, &n));
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Loads path as "k" into a fresh ring; returns the status, fills e. */
static deid_status load_one(const char *path, deid_error *e)
{
    keyring *r = keyring_new();
    ck_assert_ptr_nonnull(r);
    deid_status st = keyring_load(r, "k", path, e);
    ck_assert_uint_eq(keyring_count(r), st == DEID_OK ? 1 : 0);
    keyring_free(r);
    return st;
}

/* ---- loading ---- */

START_TEST(test_load_hex)
{
    keyring *r = keyring_new();
    deid_error e;
    ck_assert_int_eq(keyring_load(r, "main", put_str("a.key", KEY_HEX "\n", 0600), &e), DEID_OK);
    ck_assert_int_eq(keyring_load(r, "upper", put_str("b.key", KEY_HEX_UPPER "\r\n", 0600), &e),
                     DEID_OK);
    ck_assert_int_eq(keyring_load(r, "bare", put_str("c.key", KEY_HEX, 0400), &e), DEID_OK);
    unsigned char raw[32];
    for (int i = 0; i < 32; i++)
        raw[i] = (unsigned char)i;
    ck_assert_int_eq(keyring_load(r, "raw", put("d.key", raw, 32, 0600), &e), DEID_OK);
    ck_assert_uint_eq(keyring_count(r), 4);
    /* All four are the same key 00..1f. */
    for (size_t i = 0; i < 4; i++)
        ck_assert_str_eq(key_fingerprint(keyring_at(r, i)), KEY_FP);
    char fp[17];
    fp_of(raw, 32, fp);
    ck_assert_str_eq(fp, KEY_FP);
    ck_assert_str_eq(key_name(keyring_find(r, "upper")), "upper");
    ck_assert_ptr_eq(keyring_find(r, "raw"), keyring_at(r, 3));
    ck_assert_ptr_null(keyring_find(r, "nope"));
    ck_assert_ptr_null(keyring_at(r, 4));
    keyring_free(r);
}
END_TEST

static unsigned char size_raw[70];
static char size_hex[2 * 70 + 1];

/* Hex text of the first n bytes of size_raw (0x80, 0x81, ...). */
static const char *hex_of(size_t n)
{
    for (size_t i = 0; i < 70; i++)
        size_raw[i] = (unsigned char)(0x80 + i);
    for (size_t i = 0; i < n; i++)
        snprintf(size_hex + 2 * i, 3, "%02x", size_raw[i]);
    size_hex[2 * n] = '\0';
    return size_hex;
}

/* Issue 12, finding 5: a key is 32 bytes, in hex, base64 or raw; other
 * lengths are refused with the count (16..64 bytes used to pass). */
START_TEST(test_load_sizes)
{
    deid_error e;
    ck_assert_int_eq(load_one(put_str("h32", hex_of(32), 0600), &e), DEID_OK);
    ck_assert_int_eq(load_one(put("r32", size_raw, 32, 0600), &e), DEID_OK);

    ck_assert_int_eq(load_one(put_str("h16", hex_of(16), 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "has 32 hex digits; a key is exactly 64 (32 bytes)"));
    ck_assert_ptr_nonnull(strstr(e.message, tpath("h16")));
    ck_assert_ptr_nonnull(strstr(e.message, "deid keygen"));
    ck_assert_int_eq(load_one(put_str("h31", hex_of(31), 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "has 62 hex digits"));
    ck_assert_int_eq(load_one(put_str("h33", hex_of(33), 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "has 66 hex digits"));
    ck_assert_int_eq(load_one(put_str("h64", hex_of(64), 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "has 128 hex digits"));
    ck_assert_int_eq(load_one(put("r16", size_raw, 16, 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "has 16 bytes; a raw key is exactly 32 bytes"));
    ck_assert_int_eq(load_one(put("r31", size_raw, 31, 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "has 31 bytes"));
    ck_assert_int_eq(load_one(put("r33", size_raw, 33, 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "has 33 bytes"));
    ck_assert_int_eq(load_one(put("r64", size_raw, 64, 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "has 64 bytes"));
    /* Raw bytes are taken whole: a raw key whose last byte is '\n' keeps it. */
    unsigned char nl[32];
    memcpy(nl, size_raw, 32);
    nl[31] = '\n';
    keyring *r = keyring_new();
    ck_assert_int_eq(keyring_load(r, "h", put_str("h32b", hex_of(32), 0600), &e), DEID_OK);
    ck_assert_int_eq(keyring_load(r, "r", put("r32b", size_raw, 32, 0600), &e), DEID_OK);
    ck_assert_int_eq(keyring_load(r, "nl", put("nl", nl, 32, 0600), &e), DEID_OK);
    char fp[17];
    fp_of(size_raw, 32, fp);
    ck_assert_str_eq(key_fingerprint(keyring_find(r, "h")), fp);
    ck_assert_str_eq(key_fingerprint(keyring_find(r, "r")), fp);
    fp_of(nl, 32, fp);
    ck_assert_str_eq(key_fingerprint(keyring_find(r, "nl")), fp);
    keyring_free(r);
}
END_TEST

/* The same key 00..1f as hex with a UTF-8 BOM, and as base64 (standard
 * with and without '=', URL-safe), all with the fingerprint of the raw
 * bytes. Base64 of 00..1f worked out with
 *     printf '000102...1f' | xxd -r -p | base64  */
#define KEY_B64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
START_TEST(test_load_forms)
{
    deid_error e;
    keyring *r = keyring_new();
    ck_assert_int_eq(keyring_load(r, "bom", put_str("bom", "\xEF\xBB\xBF" KEY_HEX "\r\n", 0600), &e),
                     DEID_OK);
    ck_assert_int_eq(keyring_load(r, "b64", put_str("b64", KEY_B64 "\n", 0600), &e), DEID_OK);
    char nopad[] = KEY_B64;
    nopad[43] = '\0';
    ck_assert_int_eq(keyring_load(r, "nopad", put_str("nopad", nopad, 0600), &e), DEID_OK);
    ck_assert_int_eq(keyring_load(r, "bomb64", put_str("bomb64", "\xEF\xBB\xBF" KEY_B64, 0600), &e),
                     DEID_OK);
    for (size_t i = 0; i < keyring_count(r); i++)
        ck_assert_str_eq(key_fingerprint(keyring_at(r, i)), KEY_FP);
    /* URL-safe alphabet: fb ef .. gives '+' (62) and ff .. gives '/' (63),
     * written as '-' and '_'. */
    unsigned char raw[32];
    for (int i = 0; i < 32; i++)
        raw[i] = (unsigned char)(0xfb + 37 * i);
    raw[0] = 0xfb, raw[1] = 0xef, raw[3] = 0xff, raw[4] = 0xff;
    char b64[45];
    EVP_EncodeBlock((unsigned char *)b64, raw, 32);
    for (char *c = b64; *c; c++)
        *c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
    ck_assert_ptr_nonnull(strchr(b64, '-'));
    ck_assert_ptr_nonnull(strchr(b64, '_'));
    ck_assert_int_eq(keyring_load(r, "url", put_str("url", b64, 0600), &e), DEID_OK);
    char fp[17];
    fp_of(raw, 32, fp);
    ck_assert_str_eq(key_fingerprint(keyring_find(r, "url")), fp);
    keyring_free(r);

    /* A BOM before a short hex key gives the digit count, not a byte count
     * of the file. */
    ck_assert_int_eq(load_one(put_str("bomshort", "\xEF\xBB\xBF" "00112233445566778899aabbccddeeff\n", 0600), &e),
                     DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "has 32 hex digits"));
    /* base64 of 31 or 33 bytes, and '=' padding in the wrong place */
    ck_assert_int_eq(load_one(put_str("b31", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==", 0600), &e),
                     DEID_E_RULES);
    ck_assert_int_eq(load_one(put_str("b33", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g", 0600), &e),
                     DEID_E_RULES);
    ck_assert_int_eq(load_one(put_str("beq", "=AECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", 0600), &e),
                     DEID_E_RULES);
    /* spare bits of the last digit set: not the canonical encoding */
    ck_assert_int_eq(load_one(put_str("bspare", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9", 0600), &e),
                     DEID_E_RULES);
}
END_TEST

/* Weak keys: all zero in every form, patterns, passphrases of 32 bytes in
 * any script; each message points to deid keygen and shows no key byte. */
START_TEST(test_load_weak)
{
    deid_error e;
    unsigned char zero[32] = {0};
    ck_assert_int_eq(load_one(put("z.raw", zero, 32, 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "not random"));
    ck_assert_ptr_nonnull(strstr(e.message, "only 1 distinct"));
    ck_assert_ptr_nonnull(strstr(e.message, "deid keygen"));
    char zhex[65];
    memset(zhex, '0', 64);
    zhex[64] = '\0';
    ck_assert_int_eq(load_one(put_str("z.hex", zhex, 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "not random"));
    ck_assert_int_eq(load_one(put_str("z.b64", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 0600), &e),
                     DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "not random"));
    /* 15 distinct values: refused; 16: accepted (the bound). */
    unsigned char pat[32];
    for (int i = 0; i < 32; i++)
        pat[i] = (unsigned char)(0x80 + i % 15);
    ck_assert_int_eq(load_one(put("p15", pat, 32, 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "only 15 distinct"));
    for (int i = 0; i < 32; i++)
        pat[i] = (unsigned char)(0x80 + i % 16);
    ck_assert_int_eq(load_one(put("p16", pat, 32, 0600), &e), DEID_OK);
    /* "비밀번호는123456입니다!!" and an ASCII passphrase are 32 bytes of text */
    const char *ko = "\xEB\xB9\x84\xEB\xB0\x80\xEB\xB2\x88\xED\x98\xB8\xEB\x8A\x94"
                     "123456\xEC\x9E\x85\xEB\x8B\x88\xEB\x8B\xA4!!";
    ck_assert_uint_eq(strlen(ko), 32);
    ck_assert_int_eq(load_one(put_str("ko", ko, 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "passphrase is not a key"));
    ck_assert_ptr_null(strstr(e.message, "123456"));
    /* the Korean passphrase of the issue: 34 bytes with its newline */
    char ko_nl[40];
    snprintf(ko_nl, sizeof ko_nl, "%s\n", ko);
    ck_assert_int_eq(load_one(put_str("ko_nl", ko_nl, 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "passphrase is not a key"));
    ck_assert_int_eq(load_one(put_str("en", "correct horse battery staple 123", 0600), &e),
                     DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "passphrase is not a key"));
}
END_TEST

START_TEST(test_load_bad_text)
{
    deid_error e;
    /* A typo in a hex key: text, so it must not be taken as 65 raw bytes,
     * and the message must not show the contents. */
    char typo[] = KEY_HEX "\n";
    typo[10] = 'g';
    ck_assert_int_eq(load_one(put_str("typo", typo, 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "not hex"));
    ck_assert_ptr_null(strstr(e.message, "0001020304"));
    /* the typo with its neighbours, not "g0" alone: the scratch path in the
     * message is random and may hold that pair */
    char around[8];
    memcpy(around, typo + 7, 7);
    around[7] = '\0';
    ck_assert_ptr_null(strstr(e.message, around));

    ck_assert_int_eq(load_one(put_str("odd", KEY_HEX "0\n", 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "odd number of hex digits (65)"));

    ck_assert_int_eq(load_one(put_str("pass", "correct horse battery staple 123", 0600), &e),
                     DEID_E_RULES);
    ck_assert_ptr_null(strstr(e.message, "horse"));

    /* Only one trailing newline is allowed; spaces are not trimmed. */
    ck_assert_int_eq(load_one(put_str("nn", KEY_HEX "\n\n", 0600), &e), DEID_E_RULES);
    ck_assert_int_eq(load_one(put_str("sp", KEY_HEX " \n", 0600), &e), DEID_E_RULES);
    ck_assert_int_eq(load_one(put_str("lead", " " KEY_HEX, 0600), &e), DEID_E_RULES);
    ck_assert_int_eq(load_one(put_str("cr", KEY_HEX "\r", 0600), &e), DEID_E_RULES);

    ck_assert_int_eq(load_one(put_str("empty", "", 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "is empty"));
    ck_assert_int_eq(load_one(put_str("nl", "\n", 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "is empty"));
    ck_assert_int_eq(load_one(put_str("crnl", "\r\n", 0600), &e), DEID_E_RULES);
}
END_TEST

START_TEST(test_load_permissions)
{
    deid_error e;
    const char *p = put_str("world.key", KEY_HEX "\n", 0644);
    ck_assert_int_eq(load_one(p, &e), DEID_E_RULES);
    char want[700];
    snprintf(want, sizeof want, "key file %s is readable by group or others; run: chmod 600 %s",
             p, p);
    ck_assert_str_eq(e.message, want);
    ck_assert_ptr_null(strstr(e.message, KEY_HEX));

    ck_assert_int_eq(load_one(put_str("g.key", KEY_HEX "\n", 0640), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "readable by group or others"));
    ck_assert_int_eq(load_one(put_str("o.key", KEY_HEX "\n", 0604), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "readable by group or others"));
    ck_assert_int_eq(load_one(put_str("gw.key", KEY_HEX "\n", 0620), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "writable by group or others"));
    ck_assert_int_eq(load_one(put_str("ox.key", KEY_HEX "\n", 0601), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "chmod 600"));
    /* Owner-only bits of any kind are fine. */
    ck_assert_int_eq(load_one(put_str("ux.key", KEY_HEX "\n", 0700), &e), DEID_OK);
    ck_assert_int_eq(load_one(put_str("ro.key", KEY_HEX "\n", 0400), &e), DEID_OK);
}
END_TEST

START_TEST(test_load_not_a_file)
{
    deid_error e;
    ck_assert_int_eq(load_one(tpath("missing.key"), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "does not exist"));
    ck_assert_int_eq(load_one(tpath("nodir/x.key"), &e), DEID_E_RULES);

    ck_assert_int_eq(mkdir(tpath("d"), 0700), 0);
    ck_assert_int_eq(load_one(tpath("d"), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "is a directory"));

    /* A FIFO nobody writes to must be refused, not waited on. */
    ck_assert_int_eq(mkfifo(tpath("fifo"), 0600), 0);
    ck_assert_int_eq(load_one(tpath("fifo"), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "not a regular file"));

    ck_assert_int_eq(load_one("/dev/null", &e), DEID_E_RULES);

    static char big[DEID_MAX_KEY_FILE_BYTES + 1];
    memset(big, 0x80, sizeof big);
    ck_assert_int_eq(load_one(put("big", big, sizeof big, 0600), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "larger than 4096 bytes"));
}
END_TEST

START_TEST(test_load_symlink)
{
    /* Decision: symbolic links are followed; the target's mode counts. */
    deid_error e;
    char target[512];
    snprintf(target, sizeof target, "%s", put_str("real.key", KEY_HEX "\n", 0600));
    ck_assert_int_eq(symlink(target, tpath("link.key")), 0);
    keyring *r = keyring_new();
    ck_assert_int_eq(keyring_load(r, "k", tpath("link.key"), &e), DEID_OK);
    ck_assert_str_eq(key_fingerprint(keyring_find(r, "k")), KEY_FP);
    keyring_free(r);
    ck_assert_int_eq(chmod(target, 0644), 0);
    ck_assert_int_eq(load_one(tpath("link.key"), &e), DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "chmod 600"));
}
END_TEST

START_TEST(test_names)
{
    deid_error e;
    keyring *r = keyring_new();
    const char *p = put_str("a.key", KEY_HEX "\n", 0600);
    ck_assert_int_eq(keyring_load(r, "main", p, &e), DEID_OK);
    ck_assert_int_eq(keyring_load(r, "main", p, &e), DEID_E_RULES);
    ck_assert_str_eq(e.message, "key \"main\" is declared twice");
    ck_assert_int_eq(keyring_add_raw(r, "main", "0123456789abcdef", 16, &e), DEID_E_RULES);
    ck_assert_int_eq(keyring_load(r, "", p, &e), DEID_E_RULES);
    char longname[DEID_MAX_NAME_BYTES + 2];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    ck_assert_int_eq(keyring_load(r, longname, p, &e), DEID_E_RULES);
    ck_assert_int_eq(keyring_add_raw(r, "zero", "", 0, &e), DEID_E_RULES);
    ck_assert_uint_eq(keyring_count(r), 1);
    keyring_free(r);
}
END_TEST

START_TEST(test_max_keys)
{
    deid_error e;
    keyring *r = keyring_new();
    char name[16];
    for (unsigned i = 0; i < DEID_MAX_KEYS; i++) {
        snprintf(name, sizeof name, "k%u", i);
        ck_assert_int_eq(keyring_add_raw(r, name, name, strlen(name), &e), DEID_OK);
    }
    ck_assert_int_eq(keyring_load(r, "one-more", put_str("a.key", KEY_HEX "\n", 0600), &e),
                     DEID_E_RULES);
    ck_assert_ptr_nonnull(strstr(e.message, "more than 64 keys"));
    ck_assert_uint_eq(keyring_count(r), DEID_MAX_KEYS);
    /* fingerprints of raw keys agree with HMAC() too */
    char fp[17];
    fp_of("k7", 2, fp);
    ck_assert_str_eq(key_fingerprint(keyring_find(r, "k7")), fp);
    keyring_free(r);
    keyring_free(NULL);
    key_mac_free(NULL);
}
END_TEST

/* ---- key_mac ---- */

typedef struct vector {
    unsigned char key[131];
    size_t key_len;
    const char *data; /* hex or text */
    size_t data_len;
    const char *mac_hex;
} vector;

static void unhex(const char *h, unsigned char *out)
{
    for (size_t i = 0; h[2 * i]; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        out[i] = (unsigned char)v;
    }
}

/* RFC 4231 section 4, HMAC-SHA-256 results of test cases 1-7 (case 5 is
 * truncated to 128 bits in the RFC). */
static void rfc4231(int tc, unsigned char *key, size_t *key_len, unsigned char *data,
                    size_t *data_len, const char **mac_hex)
{
    switch (tc) {
    case 1:
        memset(key, 0x0b, *key_len = 20);
        memcpy(data, "Hi There", *data_len = 8);
        *mac_hex = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
        break;
    case 2:
        memcpy(key, "Jefe", *key_len = 4);
        memcpy(data, "what do ya want for nothing?", *data_len = 28);
        *mac_hex = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        break;
    case 3:
        memset(key, 0xaa, *key_len = 20);
        memset(data, 0xdd, *data_len = 50);
        *mac_hex = "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe";
        break;
    case 4:
        for (int i = 0; i < 25; i++)
            key[i] = (unsigned char)(i + 1);
        *key_len = 25;
        memset(data, 0xcd, *data_len = 50);
        *mac_hex = "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b";
        break;
    case 5:
        memset(key, 0x0c, *key_len = 20);
        memcpy(data, "Test With Truncation", *data_len = 20);
        *mac_hex = "a3b6167473100ee06e0c796c2955552b";
        break;
    case 6:
        memset(key, 0xaa, *key_len = 131);
        memcpy(data, "Test Using Larger Than Block-Size Key - Hash Key First", *data_len = 54);
        *mac_hex = "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54";
        break;
    default: {
        memset(key, 0xaa, *key_len = 131);
        const char *t = "This is a test using a larger than block-size key and a larger than "
                        "block-size data. The key needs to be hashed before being used by the "
                        "HMAC algorithm.";
        memcpy(data, t, *data_len = strlen(t));
        *mac_hex = "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2";
        break;
    }
    }
}

START_TEST(test_mac_rfc4231)
{
    int tc = _i;
    unsigned char key[131], data[200], want[32];
    size_t key_len, data_len;
    const char *mac_hex;
    rfc4231(tc, key, &key_len, data, &data_len, &mac_hex);
    unhex(mac_hex, want);
    size_t want_len = strlen(mac_hex) / 2;

    deid_error e;
    keyring *r = keyring_new();
    ck_assert_int_eq(keyring_add_raw(r, "k", key, key_len, &e), DEID_OK);
    const deid_key *k = keyring_find(r, "k");
    /* Every split between the absorbed prefix and up to two parts. */
    for (size_t cut = 0; cut <= data_len; cut++) {
        key_mac *m = key_mac_new(k, data, cut);
        ck_assert_ptr_nonnull(m);
        unsigned char out[32];
        size_t mid = cut + (data_len - cut) / 3;
        const void *parts[3] = {data + cut, data + mid, NULL};
        size_t lens[3] = {mid - cut, data_len - mid, 0};
        ck_assert_int_eq(key_mac_compute(m, parts, lens, 3, out), 0);
        ck_assert_mem_eq(out, want, want_len);
        const void *one[1] = {data + cut};
        size_t one_len[1] = {data_len - cut};
        memset(out, 0, sizeof out);
        ck_assert_int_eq(key_mac_compute(m, one, one_len, 1, out), 0);
        ck_assert_mem_eq(out, want, want_len);
        key_mac_free(m);
    }
    keyring_free(r);
}
END_TEST

START_TEST(test_mac_vs_hmac)
{
    static const size_t key_lens[] = {1, 16, 32, 55, 63, 64, 65, 100, 131, 200};
    unsigned char key[200], msg[300];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (unsigned char)(i * 37 + 11);
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)(i * 101 + 7);
    for (size_t ki = 0; ki < sizeof key_lens / sizeof key_lens[0]; ki++) {
        deid_error e;
        keyring *r = keyring_new();
        ck_assert_int_eq(keyring_add_raw(r, "k", key, key_lens[ki], &e), DEID_OK);
        for (size_t plen = 0; plen <= 130; plen += 13) {
            key_mac *m = key_mac_new(keyring_find(r, "k"), msg, plen);
            ck_assert_ptr_nonnull(m);
            for (size_t tail = 0; tail + plen <= sizeof msg; tail += 17) {
                unsigned char want[32], got[32];
                unsigned int n = 0;
                HMAC(EVP_sha256(), key, (int)key_lens[ki], msg, plen + tail, want, &n);
                const void *parts[1] = {msg + plen};
                ck_assert_int_eq(key_mac_compute(m, parts, &tail, 1, got), 0);
                ck_assert_mem_eq(got, want, 32);
            }
            key_mac_free(m);
        }
        keyring_free(r);
    }
}
END_TEST

typedef struct worker {
    const key_mac *mac;
    const unsigned char *key;
    int seed;
    int bad;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < 3000; i++) {
        unsigned char msg[40], want[32], got[32];
        unsigned char full[44] = {'p', 'r', 'e', '!'};
        size_t len = (size_t)(i % 40);
        for (size_t j = 0; j < len; j++)
            msg[j] = (unsigned char)(w->seed * 31 + i + (int)j);
        memcpy(full + 4, msg, len);
        unsigned int n = 0;
        HMAC(EVP_sha256(), w->key, 32, full, 4 + len, want, &n);
        const void *parts[1] = {msg};
        if (key_mac_compute(w->mac, parts, &len, 1, got) != 0 || memcmp(got, want, 32) != 0)
            w->bad++;
    }
    return NULL;
}

START_TEST(test_mac_threads)
{
    unsigned char key[32];
    for (int i = 0; i < 32; i++)
        key[i] = (unsigned char)(200 - i);
    deid_error e;
    keyring *r = keyring_new();
    ck_assert_int_eq(keyring_add_raw(r, "k", key, 32, &e), DEID_OK);
    key_mac *m = key_mac_new(keyring_find(r, "k"), "pre!", 4);
    ck_assert_ptr_nonnull(m);
    pthread_t th[4];
    worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){m, key, i, 0};
        ck_assert_int_eq(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(w[i].bad, 0);
    }
    key_mac_free(m);
    keyring_free(r);
}
END_TEST

/* ---- keygen ---- */

static size_t read_all(const char *p, char *buf, size_t cap)
{
    FILE *f = fopen(p, "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

START_TEST(test_keygen)
{
    deid_error e;
    mode_t old = umask(0); /* the file must still be 0600 */
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s", tpath("new.key"));
    snprintf(p2, sizeof p2, "%s", tpath("other.key"));
    ck_assert_int_eq(keyring_generate_file(p1, &e), DEID_OK);
    ck_assert_int_eq(deid_keygen(p2, &e), DEID_OK);
    umask(old);

    struct stat sb;
    ck_assert_int_eq(stat(p1, &sb), 0);
    ck_assert_uint_eq(sb.st_mode & 07777, 0600);
    ck_assert_int_eq(sb.st_size, 65);
    char a[100], b[100];
    ck_assert_uint_eq(read_all(p1, a, sizeof a), 65);
    ck_assert_uint_eq(read_all(p2, b, sizeof b), 65);
    a[65] = b[65] = '\0';
    ck_assert_int_eq(a[64], '\n');
    for (int i = 0; i < 64; i++)
        ck_assert_msg((a[i] >= '0' && a[i] <= '9') || (a[i] >= 'a' && a[i] <= 'f'),
                      "byte %d is not a lowercase hex digit", i);
    ck_assert_int_ne(memcmp(a, b, 64), 0);

    keyring *r = keyring_new();
    ck_assert_int_eq(keyring_load(r, "new", p1, &e), DEID_OK);
    unsigned char key[32];
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(a + 2 * i, "%2x", &v);
        key[i] = (unsigned char)v;
    }
    char fp[17];
    fp_of(key, 32, fp);
    ck_assert_str_eq(key_fingerprint(keyring_find(r, "new")), fp);
    keyring_free(r);

    /* Refuses to overwrite, and leaves the file alone. */
    ck_assert_int_eq(keyring_generate_file(p1, &e), DEID_E_IO);
    char want[700];
    snprintf(want, sizeof want, "%s exists; refusing to overwrite", p1);
    ck_assert_str_eq(e.message, want);
    ck_assert_uint_eq(read_all(p1, b, sizeof b), 65);
    ck_assert_int_eq(memcmp(a, b, 65), 0);
    ck_assert_int_eq(deid_keygen(p1, &e), DEID_E_IO);

    /* A dangling symlink is not followed to create a file elsewhere. */
    char elsewhere[512];
    snprintf(elsewhere, sizeof elsewhere, "%s", tpath("elsewhere"));
    ck_assert_int_eq(symlink(elsewhere, tpath("dangling")), 0);
    ck_assert_int_eq(keyring_generate_file(tpath("dangling"), &e), DEID_E_IO);
    ck_assert_ptr_nonnull(strstr(e.message, "exists; refusing to overwrite"));
    ck_assert_int_ne(access(elsewhere, F_OK), 0);

    ck_assert_int_eq(keyring_generate_file(tpath("no/such/dir.key"), &e), DEID_E_IO);
    ck_assert_ptr_nonnull(strstr(e.message, "cannot create"));
    ck_assert_int_eq(keyring_generate_file("", &e), DEID_E_USAGE);
}
END_TEST

Suite *keyring_suite(void); /* called by check_main.c */
Suite *keyring_suite(void)
{
    Suite *s = suite_create("keyring");
    TCase *tc = tcase_create("load");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_load_hex);
    tcase_add_test(tc, test_load_sizes);
    tcase_add_test(tc, test_load_forms);
    tcase_add_test(tc, test_load_weak);
    tcase_add_test(tc, test_load_bad_text);
    tcase_add_test(tc, test_load_permissions);
    tcase_add_test(tc, test_load_not_a_file);
    tcase_add_test(tc, test_load_symlink);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_max_keys);
    tcase_add_test(tc, test_keygen);
    suite_add_tcase(s, tc);

    TCase *tm = tcase_create("mac");
    tcase_add_loop_test(tm, test_mac_rfc4231, 1, 8);
    tcase_add_test(tm, test_mac_vs_hmac);
    tcase_add_test(tm, test_mac_threads);
    tcase_set_timeout(tm, 30);
    suite_add_tcase(s, tm);
    return s;
}
