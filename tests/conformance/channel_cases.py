"""Random and hostile identities for the channel renderers (SPEC.md section 9),
reproducible from a seed, in the case format of tests/references/channels/README.md."""
from __future__ import annotations

import random

from cases import EMOJI, SCRIPTS

HOSTILE = [
    "</script><script>window.pwned=1</script>", "<!--", "-->", "\u2028", "\u2029", '"', "'", "\\", "\\u003c",
    "&amp;", "\u0000", "\u001f", "\u007f", "/", "%", "%20", "+", "#", "?", "&", "=", ",", " ", "😀", "👩\u200d💻",
]
FIRST_SECOND, LAST_SECOND = -62_135_596_800, 253_402_300_799
URLS = [
    "https://survey.refiner.io/s/abc", "https://survey.refiner.io/s/abc?", "https://survey.refiner.io/s/abc?x=1",
    "https://survey.refiner.io/s/abc?x=1&", "http://localhost:8080/s/abc#done", "https://s.example/s?utm=a%20b#f?g",
    "HTTPS://[::1]:443/p?q#", "https://h.example",
]
NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
RESERVED = {"id", "email", "name", "signature", "identify_verification_signature"}


def text(rng: random.Random, longest: int = 40) -> str:
    pools = list(SCRIPTS.values())
    pieces = []
    for _ in range(rng.randint(0, longest)):
        roll = rng.random()
        if roll < 0.2:
            pieces.append(rng.choice(HOSTILE))
        elif roll < 0.3:
            pieces.append(rng.choice(EMOJI))
        else:
            pieces.append(rng.choice(rng.choice(pools)))
    return "".join(pieces)


def name(rng: random.Random) -> str:
    while True:
        first = rng.choice(NAME_CHARS[:52] + "_")
        candidate = first + "".join(rng.choice(NAME_CHARS) for _ in range(rng.choice([0, 3, 8, 99 if rng.random() < 0.05 else 12])))
        if candidate not in RESERVED:
            return candidate


def value(rng: random.Random) -> dict:
    roll = rng.random()
    if roll < 0.45:
        # Now and then exactly Refiner's limit of 10,000 Unicode scalar values.
        return {"text": text(rng) if rng.random() < 0.98 else (rng.choice(HOSTILE) * 10_000)[:10_000]}
    if roll < 0.65:
        return {"int": str(rng.choice([0, 1, -1, 2147483647, -2147483647, rng.randint(-2147483647, 2147483647)]))}
    if roll < 0.75:
        year = rng.choice([1, 1969, 1970, 2000, 2024, 9999, rng.randint(1, 9999)])
        month = rng.randint(1, 12)
        day = rng.randint(1, 28) if month != 2 or rng.random() < 0.9 else 28
        return {"date": f"{year:04d}-{month:02d}-{day:02d}"}
    if roll < 0.9:
        seconds = rng.choice([0, -1, FIRST_SECOND, LAST_SECOND, rng.randint(FIRST_SECOND, LAST_SECOND)])
        return {"ts_ms": seconds * 1000 + rng.choice([0, 0, 1, 999, rng.randint(0, 999)])}
    return {"null": True}


def named_values(rng: random.Random, most: int) -> list:
    items: dict[str, dict] = {}
    for _ in range(rng.randint(0, most)):
        items[name(rng)] = value(rng)
    return list(items.items())


def identity(rng: random.Random, keys: list[str]) -> dict:
    if rng.random() < 0.7:
        user_id = {"text": text(rng, 30) or "u"}
    else:
        user_id = {"int": str(rng.choice([0, -5, 42, 2**63, -(2**70), rng.randint(-(10**30), 10**30)]))}
    case: dict = {"key": rng.choice(keys), "id": user_id, "url": rng.choice(URLS)}
    for field in ("email", "name"):
        if rng.random() < 0.6:
            case[field] = text(rng, 20)
    case["traits"] = named_values(rng, 6)
    if rng.random() < 0.5:
        case["nonce"] = "".join(rng.choice(NAME_CHARS + "+/=-") for _ in range(rng.choice([1, 22, 44, 256])))
    if rng.random() < 0.5:
        case["locale"] = rng.choice(["en", "fr-CA", "pt_BR", "", text(rng, 5)])
    roll = rng.random()
    if roll < 0.3:
        case["tags"] = text(rng, 10)
    elif roll < 0.6:
        case["tags"] = [t for t in (text(rng, 6).replace(",", "") for _ in range(rng.randint(0, 4))) if t]
    case["response"] = named_values(rng, 3)
    return case


def random_identities(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    keys = ["k", "your-secret-key", "ключ \u00a0 with inner space", "x" * 64, "y" * 65, "🔑" * 40]
    return [identity(rng, keys) for _ in range(n)]
