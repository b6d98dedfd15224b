#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""ff1_ref.py - an independent FF1 (NIST SP 800-38G, Algorithms 7 and 8)
written straight from the spec with Python integers and the `cryptography`
package's AES, used to work out the expected values in
tests/unit/check_fpe.c. It shares no code with engine/ff1.c and takes none
of its shortcuts (it converts with NUM_radix / STR_radix in every round and
runs the whole CBC-MAC each time).

Run: python3 tests/unit/data/fpe/ff1_ref.py   (prints the vectors)
"""
import hashlib
import math

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives import hashes


def ciph(key, block):
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def prf(key, x):
    y = bytes(16)
    for j in range(0, len(x), 16):
        y = ciph(key, bytes(a ^ b for a, b in zip(y, x[j:j + 16])))
    return y


def num_radix(xs, radix):
    v = 0
    for d in xs:
        v = v * radix + d
    return v


def str_radix(v, radix, m):
    out = [0] * m
    for i in range(m - 1, -1, -1):
        out[i] = v % radix
        v //= radix
    return out


def ff1(key, radix, tweak, xs, decrypt=False):
    n = len(xs)
    t = len(tweak)
    u = n // 2
    v = n - u
    a, b = list(xs[:u]), list(xs[u:])
    # ceil(v * log2(radix)) exactly: bit length of radix^v - 1
    bits = (radix ** v - 1).bit_length()
    bb = (bits + 7) // 8
    d = 4 * ((bb + 3) // 4) + 4
    p = bytes([1, 2, 1]) + radix.to_bytes(3, "big") + bytes([10, u % 256]) + \
        n.to_bytes(4, "big") + t.to_bytes(4, "big")
    rounds = range(9, -1, -1) if decrypt else range(10)
    for i in rounds:
        src = a if decrypt else b
        q = tweak + bytes((-t - bb - 1) % 16) + bytes([i]) + \
            num_radix(src, radix).to_bytes(bb, "big")
        r = prf(key, p + q)
        s = r
        for j in range(1, math.ceil(d / 16)):
            s += ciph(key, bytes(x ^ y for x, y in zip(r, j.to_bytes(16, "big"))))
        y = int.from_bytes(s[:d], "big")
        m = u if i % 2 == 0 else v
        if decrypt:
            c = (num_radix(b, radix) - y) % radix ** m
            b, a = a, str_radix(c, radix, m)
        else:
            c = (num_radix(a, radix) + y) % radix ** m
            a, b = b, str_radix(c, radix, m)
    return a + b


def derive(key_file_bytes):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"deid fpe ff1 aes-256 v1").derive(key_file_bytes)


def fpe(key_file_bytes, alphabet, domain, value, decrypt=False):
    """The `fpe` transform: alphabet characters encrypted, others kept."""
    key = derive(key_file_bytes)
    pos = [i for i, ch in enumerate(value) if ch in alphabet]
    xs = [alphabet.index(value[i]) for i in pos]
    ys = ff1(key, len(alphabet), domain.encode(), xs, decrypt)
    out = list(value)
    for i, d in zip(pos, ys):
        out[i] = alphabet[d]
    return "".join(out)


DIGITS = "0123456789"
ALNUM = "0123456789abcdefghijklmnopqrstuvwxyz"
ALNUM62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
HEX = "0123456789abcdef"


def main():
    k256 = bytes.fromhex("2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94")
    # NIST sample 9, as a check of this script
    assert "".join(ALNUM[d] for d in ff1(k256, 36, bytes.fromhex("3737373770717273373737"),
                                         [ALNUM.index(c) for c in "0123456789abcdefghi"])) \
        == "xs8a0azh2avyalyzuwd"

    # core vectors past the NIST samples (key k256)
    tweak256 = bytes(range(256))
    xs = [i % 62 for i in range(100)]
    print("core radix 62, n 100, 256-byte tweak:",
          "".join(ALNUM62[d] for d in ff1(k256, 62, tweak256, xs)))
    xs = [i % 2 for i in range(20)]
    print("core radix 2, n 20, tweak 'ab':", "".join(str(d) for d in ff1(k256, 2, b"ab", xs)))
    xs = [(7 * i) % 256 for i in range(3)]
    print("core radix 256, n 3, empty tweak:", bytes(ff1(k256, 256, b"", xs)).hex())
    xs = [i % 10 for i in range(4096)]
    out = bytes(ff1(k256, 10, b"long", xs))
    print("core radix 10, n 4096, tweak 'long': sha256 of numerals:", hashlib.sha256(out).hexdigest())
    xs = [i % 10 for i in range(6)]
    print("core radix 10, n 6, tweak 'x':", "".join(str(d) for d in ff1(k256, 10, b"x", xs)))

    # the transform: key file bytes 00 01 .. 1f
    kf = bytes(range(32))
    print("rrn digits:", fpe(kf, DIGITS, "rrn", "900101-1234567"))
    print("phone digits:", fpe(kf, DIGITS, "phone", "010-1234-5678"))
    print("alnum:", fpe(kf, ALNUM, "code", "ab12-CD-xyz9"))
    print("ALNUM:", fpe(kf, ALNUM62, "code", "Ab12zZ"))
    print("hex:", fpe(kf, HEX, "mac", "00:1a:2b:3c:4d:5e"))
    print("custom:", fpe(kf, "ACGT", "dna", "GATTACA-CAT-GG"))
    print("hangul domain:", fpe(kf, DIGITS, "\ud64d\uae38\ub3d9", "1234567"))


if __name__ == "__main__":
    main()
