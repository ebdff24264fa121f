"""SQLCipher 4 pages decrypted by hand, so a scan sees every byte a page holds.

A query sees only live rows; a canary in a free page, in the unused part of a page, or in
an old frame of the WAL would escape it. These helpers decrypt every page of a database
file (or of a WAL, or of a backup's database part) with the raw data key, ignoring each
page's HMAC: AES-256-CBC, page size 4096, 80 bytes reserved at the end of each page (16 of
IV, 64 of HMAC-SHA512), the first 16 bytes of page 1 are the file's salt.
"""

from __future__ import annotations

import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
SALT = 16
WAL_HEADER = 32
FRAME_HEADER = 24


def decrypt_page(key: bytes, page: bytes, number: int) -> bytes:
    start = SALT if number == 1 else 0
    body, iv = page[start : PAGE - RESERVE], page[PAGE - RESERVE : PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def decrypt_database(key: bytes, data: bytes) -> bytes:
    """Every page of a database file, decrypted and joined."""
    pages = len(data) // PAGE
    return b"".join(decrypt_page(key, data[i * PAGE : (i + 1) * PAGE], i + 1) for i in range(pages))


def decrypt_wal(key: bytes, data: bytes) -> bytes:
    """Every frame's page in a WAL file, decrypted and joined (stale frames included)."""
    found = []
    offset = WAL_HEADER
    while offset + FRAME_HEADER + PAGE <= len(data):
        (number,) = struct.unpack(">I", data[offset : offset + 4])
        page = data[offset + FRAME_HEADER : offset + FRAME_HEADER + PAGE]
        if number:
            found.append(decrypt_page(key, page, number))
        offset += FRAME_HEADER + PAGE
    return b"".join(found)
