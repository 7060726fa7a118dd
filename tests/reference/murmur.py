"""Strings with a chosen MurmurHash3 x86_32 value, found by running the hash backwards.

Every step of MurmurHash3 after the last 4-byte block (xor with the length, the final avalanche)
and the block step itself (multiplications by odd constants, rotations, xors) is a bijection on
32-bit words, so for any prefix whose length is a multiple of 4 there is exactly one 4-byte block
that completes it to a given hash. Enumerating prefixes and keeping the completions whose block is
four lowercase ASCII letters gives word-like strings with the value, e.g. -2**31, which random
search would find once in 2**32 tries. The tests check every string found against scikit-learn's
own ``murmurhash3_32``; nothing here is trusted on its own.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Iterable, Iterator

MASK = 0xFFFFFFFF
C1, C2 = 0xCC9E2D51, 0x1B873593


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & MASK


def _rotr(x: int, r: int) -> int:
    return ((x >> r) | (x << (32 - r))) & MASK


def _inv(c: int) -> int:
    return pow(c, -1, 1 << 32)


def _unxorshift(h: int, s: int) -> int:
    """Inverse of h ^= h >> s."""
    x = h
    for _ in range(32 // s + 1):
        x = h ^ (x >> s)
    return x & MASK


def _unfmix(h: int) -> int:
    h = _unxorshift(h, 16)
    h = (h * _inv(0xC2B2AE35)) & MASK
    h = _unxorshift(h, 13)
    h = (h * _inv(0x85EBCA6B)) & MASK
    return _unxorshift(h, 16)


def _block_state(prefix: bytes, seed: int = 0) -> int:
    assert len(prefix) % 4 == 0
    h = seed
    for i in range(0, len(prefix), 4):
        k = int.from_bytes(prefix[i : i + 4], "little")
        k = (_rotl((k * C1) & MASK, 15) * C2) & MASK
        h ^= k
        h = (_rotl(h, 13) * 5 + 0xE6546B64) & MASK
    return h


def completion(prefix: bytes, target: int, seed: int = 0) -> bytes:
    """The one 4-byte block b with murmurhash3_32(prefix + b, seed) == target (as unsigned)."""
    h_before = _block_state(prefix, seed)
    h_after = _unfmix(target & MASK) ^ (len(prefix) + 4)
    mixed = _rotr(((h_after - 0xE6546B64) * _inv(5)) & MASK, 13) ^ h_before
    k = (_rotr((mixed * _inv(C2)) & MASK, 15) * _inv(C1)) & MASK
    return k.to_bytes(4, "little")


def word_preimages(target: int, prefixes: Iterable[str], limit: int) -> Iterator[str]:
    """Up to ``limit`` strings prefix + four lowercase ASCII letters hashing to ``target``; each
    prefix's UTF-8 length must be a multiple of 4."""
    letters = set(string.ascii_lowercase.encode())
    found = 0
    for prefix in prefixes:
        raw = prefix.encode("utf-8")
        block = completion(raw, target)
        if all(b in letters for b in block):
            yield prefix + block.decode("ascii")
            found += 1
            if found == limit:
                return


def ascii_prefixes() -> Iterator[str]:
    """Every four-letter lowercase ASCII word, in order."""
    return ("".join(t) for t in itertools.product(string.ascii_lowercase, repeat=4))


def unicode_prefixes() -> Iterator[str]:
    """Four two-byte lowercase letters (8 UTF-8 bytes), e.g. 'çğüş', in order."""
    two_byte = "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿāăąćčďđēėęěğģīįıķļľłńņňőœŕřśşšţťūůűųźżžαβγδεζηθικλμνξοπρστυφχψωабвгдежзийклмнопрстуфхцчшщъыьэюя"
    return ("".join(t) for t in itertools.product(two_byte, repeat=4))
