"""Random conformance cases, reproducible from a seed: text from many scripts,
raw bytes, integers up to and past 2^64, ids and keys of every length from 1 to
300 bytes with extra weight around the SHA-256 block boundary."""
from __future__ import annotations

import random

PADDING = b" \t\r\n"
BOUNDARY_LENGTHS = [55, 56, 63, 64, 65]
SCRIPTS = {
    "latin": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-_@+|",
    "accents": "áéíóúàèìòùâêîôûäëïöüçñøåæœßÁÉÍÓÚÇÑ",
    "cjk": "山田太郎花子東京大阪中国語日本語한국어김민준",
    "rtl": "مرحبابالعالمשלוםעולם\u200f\u200e",
    "combining": "e\u0301a\u0308o\u0302n\u0303\u0323\u0307",
    "controls": "\u0000\u0001\u001f\u007f\t\n\r\u0085\u2028",
}
EMOJI = ["😀", "👍🏽", "👩\u200d💻", "👨\u200d👩\u200d👧\u200d👦", "🇩🇪", "🧑🏿\u200d🚀", "❤️"]


def weighted_length(rng: random.Random) -> int:
    """1..300, with extra weight on the lengths around one 64-byte block."""
    if rng.random() < 0.3:
        return rng.choice(BOUNDARY_LENGTHS) + rng.choice([0, 0, 64])
    return rng.randint(1, 300)


def text_of_length(rng: random.Random, length: int) -> str:
    pools = list(SCRIPTS.values())
    chars: list[str] = []
    size = 0
    while size < length:
        piece = rng.choice(EMOJI) if rng.random() < 0.1 else rng.choice(rng.choice(pools))
        chars.append(piece)
        size += len(piece.encode("utf-8"))
    text = "".join(chars)
    while len(text.encode("utf-8")) > length and len(text) > 1:
        text = text[:-1]
    return text


def random_key(rng: random.Random, length: int) -> dict:
    while True:
        if rng.random() < 0.5:
            key = bytes(rng.randrange(256) for _ in range(length))
            tagged = {"hex": key.hex()}
        else:
            text = text_of_length(rng, length)
            key = text.encode("utf-8")
            tagged = {"text": text}
        if key and key[0] not in PADDING and key[-1] not in PADDING:
            return tagged


def key_pool(rng: random.Random) -> list[dict]:
    """Every length from 1 to 300, plus more keys around the block boundary and past it."""
    lengths = list(range(1, 301)) + BOUNDARY_LENGTHS * 4 + [128, 129, 200, 1000]
    return [random_key(rng, n) for n in lengths]


def random_id(rng: random.Random) -> dict:
    kind = rng.random()
    if kind < 0.45:
        return {"text": text_of_length(rng, weighted_length(rng))}
    if kind < 0.75:
        return {"hex": bytes(rng.randrange(256) for _ in range(weighted_length(rng))).hex()}
    magnitude = rng.choice([2**31, 2**53, 2**63, 2**64, 2**65, 2**128, 10**40])
    return {"int": str(rng.randint(-magnitude, magnitude))}


def random_cases(count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    keys = key_pool(rng)
    return [{"key": rng.choice(keys), "id": random_id(rng)} for _ in range(count)]
