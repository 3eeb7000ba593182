"""Hashing has one home: bytes and files give the same digest, files read in chunks."""

from __future__ import annotations

import hashlib

from koreasec_data import hashes
from koreasec_data.hashes import file_sha256, sha256_of


def test_a_file_larger_than_a_chunk_hashes_as_its_bytes(tmp_path):
    data = bytes(range(256)) * (hashes.CHUNK // 256 * 3 + 7)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    assert len(data) > 3 * hashes.CHUNK
    assert file_sha256(path) == sha256_of(data) == hashlib.sha256(data).hexdigest()


def test_a_different_byte_gives_a_different_digest(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"koreasec")
    before = file_sha256(path)
    path.write_bytes(b"koreaseC")
    assert file_sha256(path) != before
