"""Hand-built PDFs for the deposit tests: real text on each page, or one content stream shared by
every page (the pathological file of issue 9, defect 10)."""

from __future__ import annotations

import io
import zlib


def _pdf(page_streams: list[int], streams: list[bytes]) -> bytes:
    """A PDF whose page ``i`` shows content stream number ``page_streams[i]`` of ``streams``."""
    pages = len(page_streams)
    first_stream = 4
    first_page = first_stream + len(streams)
    kids = " ".join(f"{first_page + i} 0 R" for i in range(pages))
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for ops in streams:
        data = zlib.compress(ops, 9)
        bodies.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
    for stream in page_streams:
        bodies.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (first_stream + stream)
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref))
    return out.getvalue()


def shared_stream_pdf(pages: int = 16, operators: int = 20_000) -> bytes:
    """``pages`` pages sharing one compressed content stream of ``operators`` operators (a few KB)."""
    ops = b"BT\n/F1 12 Tf\n" + b"(a) Tj\n" * (operators - 3) + b"ET\n"
    return _pdf([0] * pages, [ops])


def text_pdf(pages: int, chars_per_page: int = 100) -> bytes:
    """``pages`` pages, each with its own stream showing ``chars_per_page`` letters."""
    line = b"BT\n/F1 12 Tf\n72 720 Td\n(" + b"x" * chars_per_page + b") Tj\nET\n"
    return _pdf(list(range(pages)), [line] * pages)
