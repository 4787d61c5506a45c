"""QR codes for printed letters, drawn as vectors.

A QR code is two colours on a grid. Drawn as a picture it goes through
wkhtmltopdf, which stores every picture as an RGB JPEG: about 11 KB per letter,
lossy, and blurred at the edges a reader needs. Drawn as an SVG of rectangles
it stays vector in the PDF (one ``re`` per rectangle, about 2 KB compressed),
sharp at any resolution.

Rectangles, not one path: a path of touching squares is anti-aliased at every
shared edge and prints faint seams a reader can trip on; rectangles that cover
whole runs of dark modules (merged across rows when they line up) leave none.

The symbol is computed by reportlab's QR encoder (a dependency of Odoo).
"""

import base64
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

from .types import EngineError

QUIET_ZONE = 4  # modules of white around the symbol, as the standard asks


class QRError(EngineError):
    """Text a QR code cannot hold."""


_LEVELS = {
    "L": QRErrorCorrectLevel.L,
    "M": QRErrorCorrectLevel.M,
    "Q": QRErrorCorrectLevel.Q,
    "H": QRErrorCorrectLevel.H,
}


def qr_modules(text, level="M"):
    """The symbol of ``text`` as rows of booleans (True: dark)."""
    if not isinstance(text, str) or not text:
        raise QRError("qr_empty")
    try:
        code = QRCode(None, _LEVELS[level])
        code.addData(text)
        code.make()
    except Exception as err:  # noqa: BLE001 - reportlab says "code length overflow" so
        raise QRError("qr_too_long", detail=str(err)) from err
    size = code.getModuleCount()
    return [[bool(code.isDark(row, col)) for col in range(size)] for row in range(size)]


def qr_rectangles(modules):
    """The dark modules as ``(x, y, width, height)`` rectangles: each row's runs,
    a run merged with the one below it when both start and end together."""
    done = []
    running = {}  # (x, width) -> [x, y, width, height] still growing downwards
    for y, row in enumerate(modules):
        seen = set()
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            key = (start, x - start)
            seen.add(key)
            rect = running.get(key)
            if rect and rect[1] + rect[3] == y:
                rect[3] += 1
            else:
                if rect:
                    done.append(tuple(rect))
                running[key] = [start, y, x - start, 1]
        for key in [k for k in running if k not in seen]:
            done.append(tuple(running.pop(key)))
    done.extend(tuple(rect) for rect in running.values())
    return sorted(done, key=lambda r: (r[1], r[0]))


def qr_svg(text, level="M", title=""):
    """An SVG document drawing the QR code of ``text`` with its quiet zone."""
    modules = qr_modules(text, level)
    side = len(modules) + 2 * QUIET_ZONE
    body = "".join(
        f'<rect x="{x + QUIET_ZONE}" y="{y + QUIET_ZONE}" width="{w}" height="{h}"/>'
        for x, y, w, h in qr_rectangles(modules)
    )
    label = f"<title>{_escape(title)}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" '
        f'shape-rendering="crispEdges">{label}'
        f'<rect width="{side}" height="{side}" fill="#fff"/><g fill="#000">{body}</g></svg>'
    )


def qr_data_uri(text, level="M"):
    """The QR code as a ``data:`` URI for an ``<img src>``."""
    encoded = base64.b64encode(qr_svg(text, level).encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def _escape(text):
    return escape(str(text), {'"': "&quot;"})
