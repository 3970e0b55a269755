"""The shared test cases: inputs only. Expected signatures are added by
generate.py from the reference implementations, never from this project.

A value is tagged: {"text": str} (UTF-8), {"hex": str} (raw bytes), {"int": str}
(an integer, as decimal text so JSON readers keep every digit), or, in the
rejected section, host values such as {"float": "1.5"}, {"bool": true},
{"null": null}, {"lone_surrogate": "d800"}, {"unsafe_js_number": "9007199254740992"}.
"""
from __future__ import annotations

import random

DEMO_KEY = "demo-secret-key-do-not-use-in-production"
RFC_KEY_131 = {"hex": "aa" * 131}


def text(s: str) -> dict:
    return {"text": s}


def raw(b: bytes) -> dict:
    return {"hex": b.hex()}


def integer(n: int) -> dict:
    return {"int": str(n)}


def rfc4231() -> list[dict]:
    # RFC 4231 section 4, full-length HMAC-SHA-256 outputs (case 5 untruncated).
    return [
        {"name": "RFC 4231 case 1", "secret": raw(b"\x0b" * 20), "user_id": text("Hi There")},
        {"name": "RFC 4231 case 2", "secret": text("Jefe"), "user_id": text("what do ya want for nothing?")},
        {"name": "RFC 4231 case 3", "secret": raw(b"\xaa" * 20), "user_id": raw(b"\xdd" * 50)},
        {"name": "RFC 4231 case 4", "secret": raw(bytes(range(1, 26))), "user_id": raw(b"\xcd" * 50)},
        {"name": "RFC 4231 case 5 (full length)", "secret": raw(b"\x0c" * 20), "user_id": text("Test With Truncation")},
        {"name": "RFC 4231 case 6", "secret": RFC_KEY_131,
         "user_id": text("Test Using Larger Than Block-Size Key - Hash Key First")},
        {"name": "RFC 4231 case 7", "secret": RFC_KEY_131,
         "user_id": text("This is a test using a larger than block-size key and a larger than block-size data. "
                         "The key needs to be hashed before being used by the HMAC algorithm.")},
    ]


def refiner_ids() -> list[dict]:
    ids = [
        "1", "42", "12345", "00042", "user_42", "user-1234567", "jane.doe@example.com",
        "Jane.Doe+refiner@Example.COM", "auth0|5f7c8ec7c33c6c004bbafe82", "google-oauth2|109876543210987654321",
        "email|6453b1f2a1c4e5f6a7b8c9d0", "samlp|acme|jdoe", "550e8400-e29b-41d4-a716-446655440000",
        "F47AC10B-58CC-4372-A567-0E02B2C3D479", "{8a1b2c3d-4e5f-6789-abcd-ef0123456789}",
        "gid://shopify/Customer/7234567890", "cus_NffrFeUfNV2Hib", "https://example.com/users/42",
        "user id with spaces", " leading space", "trailing space ", "tab\tinside", "line\nbreak",
        "semi;colon,comma=equals&amp", "quote\"apostrophe'backslash\\", "percent%20encoded",
    ]
    return [{"name": f"refiner id {i}: {s!r}", "secret": text(DEMO_KEY), "user_id": text(s)} for i, s in enumerate(ids)]


def integers() -> list[dict]:
    values = [0, 1, -1, -5, 42, 2**31 - 1, -(2**31), 2**32, 2**53 - 1, 2**53, 2**53 + 1, -(2**53 - 1),
              2**63 - 1, -(2**63), 2**63, 2**64 - 1, 2**64, -(2**64), 10**30, -(10**40),
              2**127 - 1, -(2**127), 2**127, -(2**127) - 1, 2**128, 3**200, -(7**150)]
    return [{"name": f"integer {n}", "secret": text(DEMO_KEY), "user_id": integer(n)} for n in values]


def unicode_ids() -> list[dict]:
    ids = {
        "accents NFC": "Jos\u00e9 Zo\u00eb M\u00fcller",
        "accents NFD (not normalized)": "Jose\u0301 Zoe\u0308 Mu\u0308ller",
        "CJK": "山田太郎", "Korean": "김민준", "Japanese kana": "やまだ タロウ",
        "Arabic (RTL)": "مرحبا بالعالم", "Hebrew (RTL)": "שלום", "RTL mark": "\u200fabc\u200e",
        "emoji": "😀", "emoji ZWJ family": "👨\u200d👩\u200d👧\u200d👦", "emoji ZWJ technologist": "👩\u200d💻",
        "emoji skin tone": "👍🏽", "flag": "🇩🇪", "combining marks": "a\u0308\u0301\u0323",
        "zalgo": "Z\u0351\u036b\u0343a\u0352l\u0363g\u0351o", "NUL inside": "a\u0000b", "only NUL": "\u0000",
        "control characters": "\u0001\u001f\u007f", "BOM": "\ufeffuser", "replacement char": "\ufffd",
        "max code point": "\U0010ffff", "Devanagari": "नमस्ते", "Thai": "สวัสดี", "Greek": "Ελληνικά",
        "Cyrillic": "Иван Петров", "fullwidth digits": "１２３", "NBSP": "\u00a0",
    }
    return [{"name": f"unicode {k}", "secret": text(DEMO_KEY), "user_id": text(v)} for k, v in ids.items()]


def boundaries() -> list[dict]:
    cases = []
    for n in [1, 2, 54, 55, 56, 57, 63, 64, 65, 118, 119, 120, 127, 128, 129, 200, 1000, 4096]:
        cases.append({"name": f"ASCII id of {n} bytes", "secret": text(DEMO_KEY), "user_id": text("x" * n)})
    for n in [55, 56, 63, 64, 65]:
        # 'é' is 2 bytes: a multi-byte character straddles the boundary.
        s = "é" * (n // 2) + "a" * (n % 2)
        cases.append({"name": f"two-byte chars, {n} bytes", "secret": text(DEMO_KEY), "user_id": text(s)})
    for n in [1, 2, 20, 32, 55, 56, 63, 64, 65, 100, 128, 131, 200, 1000]:
        cases.append({"name": f"key of {n} bytes", "secret": text("k" * n), "user_id": text("user_42")})
    cases.append({"name": "key of 64 multibyte bytes", "secret": text("ü" * 32), "user_id": text("user_42")})
    cases.append({"name": "key of 65 bytes, 4-byte chars", "secret": text("😀" * 16 + "!"), "user_id": text("42")})
    return cases


def binary() -> list[dict]:
    keys = [bytes(range(256)), b"\x00key", b"key\x00", b"\xff" * 64, b"\x80\x81\x82", bytes(range(1, 65))]
    ids = [b"\xff\xfe", b"\x00", b"\x00\x00\x00", b"\xc3\x28", b"\xed\xa0\x80", b"\xe9t\xe9", bytes(range(256))]
    cases = [{"name": f"binary key {i}", "secret": raw(k), "user_id": text("user_42")} for i, k in enumerate(keys)]
    cases += [{"name": f"binary id {i}", "secret": text(DEMO_KEY), "user_id": raw(b)} for i, b in enumerate(ids)]
    cases += [
        {"name": "key with inner whitespace", "secret": text("sk live\tkey\nwith inner space"), "user_id": text("42")},
        {"name": "key ending in NBSP (not stripped)", "secret": text("key\u00a0"), "user_id": text("42")},
        {"name": "key ending in vertical tab (allowed)", "secret": text("key\u000b"), "user_id": text("42")},
        {"name": "key that looks like hex (not decoded)", "secret": text("0b" * 20), "user_id": text("Hi There")},
        {"name": "key that looks like base64 (not decoded)", "secret": text("c2VjcmV0LWtleQ=="), "user_id": text("42")},
    ]
    return cases


def random_cases(count: int = 40, seed: int = 20261127) -> list[dict]:
    rng = random.Random(seed)
    alphabet = "abcXYZ019 _-@.|éü山😀\u0301\u0000"
    cases = []
    for i in range(count):
        key = bytes(rng.randrange(33, 127) for _ in range(rng.choice([8, 32, 63, 64, 65, 90])))
        if i % 3 == 0:
            uid = raw(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 140))))
        else:
            uid = text("".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 80))))
        cases.append({"name": f"random {i}", "secret": raw(key), "user_id": uid})
    return cases


def cases() -> list[dict]:
    return rfc4231() + refiner_ids() + integers() + unicode_ids() + boundaries() + binary() + random_cases()


# Inputs that must be rejected. "expect" maps each implementation to the error it
# raises; an implementation that is not listed does not have such a value.
ALL_BINDINGS = ("python", "node", "ruby")


def rejected() -> list[dict]:
    key, uid = text(DEMO_KEY), text("user_42")
    every = {"core": "InvalidSecret", "python": "InvalidSecret", "node": "InvalidSecret", "ruby": "InvalidSecret"}
    bad_id = {"core": "InvalidUserId", "python": "InvalidUserId", "node": "InvalidUserId", "ruby": "InvalidUserId"}
    type_error = {b: "TypeError" for b in ALL_BINDINGS}
    out = [
        {"name": "empty secret (text)", "secret": text(""), "user_id": uid, "expect": every},
        {"name": "empty secret (bytes)", "secret": raw(b""), "user_id": uid, "expect": every},
    ]
    for label, s in [("leading space", " key"), ("trailing space", "key "), ("trailing LF", "key\n"),
                     ("trailing CRLF", "key\r\n"), ("leading tab", "\tkey"), ("trailing CR", "key\r"),
                     ("only a newline", "\n")]:
        out.append({"name": f"secret with {label}", "secret": text(s), "user_id": uid, "expect": every})
    out.append({"name": "binary secret ending in LF", "secret": raw(b"\x01\x02\n"), "user_id": uid, "expect": every})
    out += [
        {"name": "empty user id (text)", "secret": key, "user_id": text(""), "expect": bad_id},
        {"name": "empty user id (bytes)", "secret": key, "user_id": raw(b""), "expect": bad_id},
        {"name": "user id float", "secret": key, "user_id": {"float": "1.5"}, "expect": type_error},
        {"name": "user id float with integral value", "secret": key, "user_id": {"float": "42.0"},
         "expect": {"python": "TypeError", "ruby": "TypeError"}},
        {"name": "user id NaN", "secret": key, "user_id": {"float": "NaN"}, "expect": type_error},
        {"name": "user id Infinity", "secret": key, "user_id": {"float": "Infinity"}, "expect": type_error},
        {"name": "user id true", "secret": key, "user_id": {"bool": True}, "expect": type_error},
        {"name": "user id false", "secret": key, "user_id": {"bool": False}, "expect": type_error},
        {"name": "user id null/None/nil", "secret": key, "user_id": {"null": None}, "expect": type_error},
        {"name": "user id list", "secret": key, "user_id": {"list": ["42"]}, "expect": type_error},
        {"name": "user id lone surrogate", "secret": key, "user_id": {"lone_surrogate": "d800"},
         "expect": {"python": "InvalidUserId"}},
        {"name": "user id unsafe JS number 2^53", "secret": key, "user_id": {"unsafe_js_number": "9007199254740992"},
         "expect": {"node": "TypeError"}},
        {"name": "secret as integer", "secret": {"int": "12345"}, "user_id": uid, "expect": type_error},
        {"name": "secret null", "secret": {"null": None}, "user_id": uid, "expect": type_error},
    ]
    return out
