"""A pack written compactly: object streams and a cross-reference stream.

pypdf writes every dictionary of a PDF as plain text and a cross-reference
table of 20 bytes per object. In a pack of letters most objects are small
dictionaries (fonts, their widths, pages), so PDF 1.5 packs them into
compressed object streams and replaces the table with a compressed
cross-reference stream. Streams (pages, fonts, pictures) are copied as they
are; object numbers do not change, so nothing else is rewritten.
"""

import io
import zlib

from pypdf import PdfReader
from pypdf.generic import StreamObject

OBJECTS_PER_STREAM = 200


def _serialize(obj):
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


def _stream_object(number, dictionary, data):
    body = zlib.compress(data, 9)
    head = " ".join(f"/{key} {value}" for key, value in dictionary.items())
    return (
        f"{number} 0 obj\n<< {head} /Filter /FlateDecode /Length {len(body)} >>\nstream\n".encode()
        + body
        + b"\nendstream\nendobj\n"
    )


def with_object_streams(data):
    """``data`` (a PDF without encryption, as pypdf writes it) rewritten with
    object streams and a cross-reference stream."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    trailer = reader.trailer
    size = int(trailer["/Size"])
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    entries = {0: (0, 0, 0xFFFF)}  # number -> (type, field 2, field 3)
    packed = []
    # the objects the file defines (pypdf leaves removed ones as free entries)
    defined = set(reader.xref.get(0, {})) | set(reader.xref_objStm)
    for number in sorted(n for n in defined if 0 < n < size):
        obj = reader.get_object(number)
        if obj is None:
            continue
        if isinstance(obj, StreamObject):
            entries[number] = (1, out.tell(), 0)
            out.write(f"{number} 0 obj\n".encode() + _serialize(obj) + b"\nendobj\n")
        else:
            packed.append((number, _serialize(obj)))
    next_number = size
    for start in range(0, len(packed), OBJECTS_PER_STREAM):
        chunk = packed[start : start + OBJECTS_PER_STREAM]
        stream_number = next_number
        next_number += 1
        header, bodies, offset = [], [], 0
        for index, (number, body) in enumerate(chunk):
            header.append(f"{number} {offset}")
            bodies.append(body)
            offset += len(body) + 1
            entries[number] = (2, stream_number, index)
        head = (" ".join(header) + "\n").encode()
        entries[stream_number] = (1, out.tell(), 0)
        out.write(
            _stream_object(
                stream_number,
                {"Type": "/ObjStm", "N": len(chunk), "First": len(head)},
                head + b"\n".join(bodies) + b"\n",
            )
        )
    xref_number = next_number
    entries[xref_number] = (1, out.tell(), 0)
    total = xref_number + 1
    rows = b"".join(
        bytes([entries.get(n, (0, 0, 0))[0]])
        + entries.get(n, (0, 0, 0))[1].to_bytes(4, "big")
        + entries.get(n, (0, 0, 0))[2].to_bytes(2, "big")
        for n in range(total)
    )
    xref = {"Type": "/XRef", "Size": total, "W": "[1 4 2]"}
    for key in ("/Root", "/Info", "/ID"):
        if key in trailer:
            xref[key[1:]] = _serialize(trailer.raw_get(key)).decode("latin-1")
    start = out.tell()
    out.write(_stream_object(xref_number, xref, rows))
    out.write(f"startxref\n{start}\n%%EOF\n".encode())
    return out.getvalue()
