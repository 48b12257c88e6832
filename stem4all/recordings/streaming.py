"""Serving an uploaded video through Django with HTTP range requests (RFC 9110):
one byte range per request (what video players send), 206 with Content-Range, or 416
with ``bytes */size`` when the range cannot be served."""

from __future__ import annotations

import re

from django.http import HttpResponse, StreamingHttpResponse

CHUNK = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class BadRange(Exception):
    pass


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte positions, inclusive; None for no Range header."""
    if not header:
        return None
    match = RANGE.match(header.strip())
    if not match or size == 0:
        raise BadRange
    first, last = match.groups()
    if first == "" and last == "":
        raise BadRange
    if first == "":
        length = int(last)
        if length == 0:
            raise BadRange
        return max(size - length, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        raise BadRange
    return start, min(end, size - 1)


def _chunks(handle, start: int, length: int):
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def file_response(field_file, *, content_type: str, range_header: str, head: bool = False):
    storage, name = field_file.storage, field_file.name
    size = storage.size(name)
    try:
        byte_range = parse_range(range_header, size)
    except BadRange:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = byte_range if byte_range else (0, size - 1)
    length = end - start + 1 if size else 0
    if head:
        response = HttpResponse(status=206 if byte_range else 200, content_type=content_type)
    else:
        response = StreamingHttpResponse(
            _chunks(storage.open(name, "rb"), start, length),
            status=206 if byte_range else 200,
            content_type=content_type,
        )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response
