"""One font program per font in a pack.

wkhtmltopdf embeds in every PDF its own subset of each font it uses (as a
CIDFontType2: the subset's glyphs renumbered 1, 2, 3... and the page text in
those numbers). Fifty letters carry fifty copies of mostly the same glyphs.

This step merges the subsets of one font across the pack into one TrueType
program (fontTools) holding each distinct glyph once. Each document's font
keeps its own text, widths and ``ToUnicode`` map; only a ``CIDToGIDMap`` is
added that sends its glyph numbers to the merged program's. The page content
is not touched, so pages render to the same pixels and text stays extractable.

Two glyphs are the same when their outlines, instructions and metrics are
(composite glyphs: the same components placed the same way), so subsets of
different versions of a font still merge correctly, sharing only what is
identical. Fonts this step does not understand (no ``glyf`` table, vertical
metrics, glyph-indexed tables it would have to rewrite, an existing glyph map)
are left as they are.
"""

import copy
import hashlib
import io
import logging
from collections import defaultdict

from pypdf.generic import DecodedStreamObject, NameObject, NumberObject

try:
    from fontTools.ttLib import TTFont, TTLibError
except ImportError:  # pragma: no cover - fontTools is in requirements.txt
    TTFont = None
    TTLibError = Exception

# tables a subset may have that this step carries over unchanged or rebuilds
_GLYPH_TABLES = {"glyf", "loca", "hmtx", "maxp", "hhea", "head", "post", "cmap"}
_SHARED_TABLES = ("cvt ", "fpgm", "prep", "gasp")  # must be equal to share a program
_KNOWN_TABLES = _GLYPH_TABLES | set(_SHARED_TABLES) | {"OS/2", "name", "GlyphOrder"}


def available():
    return TTFont is not None


def merge_font_subsets(writer):
    """Merge the TrueType subsets of each font in ``writer`` (a pypdf
    ``PdfWriter``). Returns ``(programs before, programs after)``."""
    if TTFont is None:
        return 0, 0
    # wkhtmltopdf leaves the fonts' creation dates at 0, which fontTools remarks on
    logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
    groups = defaultdict(list)
    seen = set()
    programs = set()
    for page in writer.pages:
        for font in _type0_fonts(page.get("/Resources"), set()):
            found = _subset(font, seen)
            if found:
                key, entry = found
                groups[key].append(entry)
                programs.add(entry.program_id)
    merged = 0
    for entries in groups.values():
        if len({entry.program_id for entry in entries}) > 1:
            merged += _merge_group(writer, entries)
    return len(programs), len(programs) - merged


class _Entry:
    __slots__ = ("cid_font", "descriptor", "font", "program_id")

    def __init__(self, cid_font, descriptor, font, program_id):
        self.cid_font = cid_font
        self.descriptor = descriptor
        self.font = font
        self.program_id = program_id


def _type0_fonts(resources, visited):
    """The Type0 font dictionaries of ``resources`` and of the forms it draws."""
    if resources is None:
        return
    resources = resources.get_object()
    key = id(resources)
    if key in visited:
        return
    visited.add(key)
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if font.get("/Subtype") == "/Type0":
            yield font
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from _type0_fonts(xobject.get("/Resources"), visited)


def _subset(font, seen):
    """``(group key, _Entry)`` for a TrueType CID font this step can merge."""
    descendants = font.get("/DescendantFonts")
    if not descendants:
        return None
    cid_font = descendants[0].get_object()
    if id(cid_font) in seen or cid_font.get("/Subtype") != "/CIDFontType2":
        return None
    seen.add(id(cid_font))
    if cid_font.get("/CIDToGIDMap", "/Identity") != "/Identity":
        return None
    descriptor = cid_font.get("/FontDescriptor")
    stream_ref = descriptor and descriptor.get_object().raw_get("/FontFile2")
    if stream_ref is None or not hasattr(stream_ref, "idnum"):
        return None
    descriptor = descriptor.get_object()
    try:
        font_file = TTFont(
            io.BytesIO(stream_ref.get_object().get_data()), lazy=False, recalcTimestamp=False
        )
    except (TTLibError, ValueError, KeyError, TypeError, AssertionError, OSError, EOFError):
        return None
    tables = set(font_file.keys())
    if "glyf" not in tables or not tables <= _KNOWN_TABLES:
        return None
    shared = hashlib.sha256()
    for tag in _SHARED_TABLES:
        shared.update(tag.encode() + (font_file.getTableData(tag) if tag in tables else b"-"))
    name = str(cid_font.get("/BaseFont", "")).split("+")[-1]
    key = (name, font_file["head"].unitsPerEm, shared.hexdigest())
    return key, _Entry(cid_font, descriptor, font_file, stream_ref.idnum)


def _signature(font, name, memo):
    """What a glyph looks like, independent of its number in the subset."""
    if name in memo:
        return memo[name]
    glyph = font["glyf"][name]
    metrics = tuple(font["hmtx"][name])
    if glyph.isComposite():
        parts = tuple(
            (
                _signature(font, part.glyphName, memo),
                part.x,
                part.y,
                part.flags,
                tuple(map(tuple, getattr(part, "transform", ()) or ())),
            )
            for part in glyph.components
        )
        body = ("composite", parts)
    elif glyph.numberOfContours == 0:
        body = ("empty",)
    else:
        body = (
            "simple",
            tuple(glyph.coordinates),
            bytes(glyph.flags),
            tuple(glyph.endPtsOfContours),
        )
    program = glyph.program.getBytecode() if hasattr(glyph, "program") else b""
    memo[name] = hashlib.sha256(repr((body, metrics, program)).encode()).digest()
    return memo[name]


def _merge_group(writer, entries):
    """Merge one font's subsets; returns how many programs went away."""
    base = entries[0].font
    order = list(base.getGlyphOrder())
    by_signature = {}
    memo = {}
    for name in order:
        by_signature.setdefault(_signature(base, name, memo), name)
    glyf = base["glyf"]
    hmtx = base["hmtx"]
    maps = {}  # program id -> [merged glyph id per local glyph id]
    position = {name: gid for gid, name in enumerate(order)}

    def adopt(font, name, memo):
        signature = _signature(font, name, memo)
        if signature in by_signature:
            return by_signature[signature]
        glyph = copy.deepcopy(font["glyf"][name])
        if glyph.isComposite():
            for part in glyph.components:
                part.glyphName = adopt(font, part.glyphName, memo)
        new_name = f"pfp{len(order):05d}"
        glyf.glyphs[new_name] = glyph
        hmtx.metrics[new_name] = tuple(font["hmtx"][name])
        position[new_name] = len(order)
        order.append(new_name)
        by_signature[signature] = new_name
        return new_name

    for entry in entries[1:]:
        if entry.program_id in maps or entry.program_id == entries[0].program_id:
            continue
        local = {}
        maps[entry.program_id] = [
            position[adopt(entry.font, name, local)] for name in entry.font.getGlyphOrder()
        ]
    if len(order) > 0xFFFF:  # more glyphs than a font can number: leave them apart
        return 0
    base.setGlyphOrder(order)
    glyf.glyphOrder = order
    out = io.BytesIO()
    base.save(out)
    program = out.getvalue()
    stream = DecodedStreamObject()
    stream.set_data(program)
    stream[NameObject("/Length1")] = NumberObject(len(program))
    program_ref = writer._add_object(stream.flate_encode())
    font_name = entries[0].descriptor.get("/FontName")
    for entry in entries:
        entry.descriptor[NameObject("/FontFile2")] = program_ref
        # one program, one name (the subset tags differed); the CIDSet listed
        # the glyphs of one subset and is optional outside PDF/A, which a
        # merged pack is not: without both, the descriptors are one object
        if font_name is not None:
            entry.descriptor[NameObject("/FontName")] = font_name
        entry.descriptor.pop("/CIDSet", None)
        mapping = maps.get(entry.program_id)
        if mapping and mapping != list(range(len(mapping))):
            gid_map = DecodedStreamObject()
            gid_map.set_data(b"".join(gid.to_bytes(2, "big") for gid in mapping))
            entry.cid_font[NameObject("/CIDToGIDMap")] = writer._add_object(gid_map.flate_encode())
    return len({entry.program_id for entry in entries}) - 1
