"""Evidence bundles as zip archives in one fixed shape, so that every byte of the archive is checked.

Members are stored uncompressed (a deflate stream can carry bits that change nothing when flipped),
with fixed timestamps and attributes. `layout_problems` walks the archive's structure and refuses
anything this writer would not have produced: altered header fields, bytes between or after
members, a comment, extra fields, duplicate names. Member contents are checked separately, against
the signed manifest's SHA-256 digests.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from assay.atomic import atomic_write_bytes

DATE_TIME = (1980, 1, 1, 0, 0, 0)
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
_VERSION = 20  # 2.0: stored members, no zip64
_MADE_BY = (3 << 8) | _VERSION  # Unix, 2.0
_EXTERNAL_ATTR = (0o100644 << 16) & 0xFFFFFFFF
_UTF8 = 0x800
_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
MAX_BYTES = 0xFFFFFFFF - (1 << 20)  # no zip64: the whole bundle stays under 4 GiB


def write(path: Path, members: list[tuple[str, bytes]]) -> None:
    """Write the archive (to a temporary name first, renamed into place)."""
    if sum(len(data) for _, data in members) > MAX_BYTES:
        raise ValueError("the bundle would exceed 4 GiB; export a shorter window")
    with atomic_write_bytes(path) as raw, zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_STORED,
                                                          allowZip64=False) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=DATE_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.create_version = _VERSION
            info.extract_version = _VERSION
            info.external_attr = _EXTERNAL_ATTR
            zf.writestr(info, data)


def layout_problems(data: bytes) -> list[str]:
    """What in the archive's structure differs from what `write` produces (empty: nothing)."""
    if len(data) < _END.size:
        return ["the file is too short to be a zip archive"]
    end = _END.unpack_from(data, len(data) - _END.size)
    sig, disk, cd_disk, n_disk, n_total, cd_size, cd_offset, comment_len = end
    if sig != b"PK\x05\x06":
        return ["the archive does not end with a zip end record (bytes were appended, removed or altered)"]
    problems = []
    if disk or cd_disk or n_disk != n_total or comment_len:
        problems.append("the zip end record was altered")
    if cd_offset + cd_size != len(data) - _END.size:
        return [*problems, "the zip central directory is not where the end record says (bytes added or removed)"]
    pos, expected_local, names = cd_offset, 0, set()
    for _ in range(n_total):
        if pos + _CENTRAL.size > cd_offset + cd_size:
            return [*problems, "the zip central directory is truncated"]
        (sig, made_by, needed, flags, method, mtime, mdate, crc, csize, usize, name_len, extra_len, comment_len,
         disk_start, internal, external, offset) = _CENTRAL.unpack_from(data, pos)
        name_bytes = data[pos + _CENTRAL.size: pos + _CENTRAL.size + name_len]
        name = name_bytes.decode("utf-8", "replace")
        pos += _CENTRAL.size + name_len + extra_len + comment_len
        if sig != b"PK\x01\x02":
            return [*problems, "a zip central directory entry was altered"]
        if (made_by, needed, flags & ~_UTF8, method, mtime, mdate, extra_len, comment_len, disk_start, internal,
                external) != (_MADE_BY, _VERSION, 0, 0, _DOS_TIME, _DOS_DATE, 0, 0, 0, 0, _EXTERNAL_ATTR):
            problems.append(f"{name}: its zip directory entry was altered")
        if csize != usize:
            problems.append(f"{name}: its zip directory sizes were altered")
        if name in names:
            problems.append(f"{name}: appears twice in the archive")
        names.add(name)
        if offset != expected_local:
            problems.append(f"{name}: bytes were inserted or removed before it")
            return problems
        if offset + _LOCAL.size > cd_offset:
            return [*problems, f"{name}: its zip header is truncated"]
        (lsig, lneeded, lflags, lmethod, ltime, ldate, lcrc, lcsize, lusize, lname_len,
         lextra_len) = _LOCAL.unpack_from(data, offset)
        lname = data[offset + _LOCAL.size: offset + _LOCAL.size + lname_len]
        if (lsig, lneeded, lflags, lmethod, ltime, ldate, lcrc, lcsize, lusize, lname, lextra_len) != (
                b"PK\x03\x04", needed, flags, method, mtime, mdate, crc, csize, usize, name_bytes, 0):
            problems.append(f"{name}: its zip header was altered")
        start = offset + _LOCAL.size + lname_len + lextra_len
        member = data[start:start + usize]
        if len(member) != usize or start + usize > cd_offset:
            return [*problems, f"{name}: its content is truncated"]
        if zlib.crc32(member) != crc:
            problems.append(f"{name}: its content does not match its zip checksum")
        expected_local = start + usize
    if expected_local != cd_offset:
        problems.append("bytes were inserted after the last member")
    if pos != cd_offset + cd_size:
        problems.append("the zip central directory has extra bytes")
    return problems
