"""Document packs: several PDFs merged into one small file that looks exactly
like the originals.

Odoo prints each report on its own, so every PDF carries its own copy of the
same logo, fonts and form objects. A pack merges the documents in order (one
bookmark per document), merges the subsets of each font into one program
(``pack_fonts.py``), then removes the objects that are identical across
them, drops what nothing refers to any more and compresses the page content
streams. That is lossless: every page renders to the same pixels. Embedded
files (the Factur-X XML Odoo puts into invoices), the first document's metadata
and links are kept; text stays extractable.

An optional lossy step re-encodes large photos above a resolution limit at their
printed size (JPEG, quality floor), only when that makes the image smaller.

Works with the pypdf installed here (7.x) and older pypdf releases (3.x to 6.x
spell a few methods differently; without ``compress_identical_objects`` the
pack is merged and compressed but not de-duplicated, and says so).
"""

import inspect
import io
import math
import time
import zlib
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from .pack_fonts import merge_font_subsets
from .pack_write import with_object_streams
from .types import EngineError

# pypdf raises its own errors for broken files, but a damaged stream can also
# surface as one of these while pages are decoded.
_READ_ERRORS = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, zlib.error)

PDF_MAGIC = b"%PDF-"


class PackError(EngineError):
    """A document that cannot go into a pack (``document`` names it)."""


@dataclass(frozen=True)
class PackDocument:
    name: str  # the bookmark: "Reminder", "INV/2026/00010"...
    data: bytes
    # also embed the document's own file, byte for byte (e.g. a letter as it
    # was sent, for evidence): the pack's pages are rewritten, this file is not
    keep_original: bool = False


@dataclass(frozen=True)
class PackOptions:
    title: str = ""
    lossy: bool = False
    max_dpi: int = 200  # lossy: images sharper than this at their printed size
    jpeg_quality: int = 75  # lossy: never re-encoded below this quality
    min_image_bytes: int = 20_000  # lossy: smaller images are not worth it
    merge_fonts: bool = True  # one program per font across the pack (pack_fonts.py)


@dataclass(frozen=True)
class PackReport:
    documents: int
    pages: int
    size_in: int  # the documents' sizes added up
    size_out: int
    seconds: float
    deduplicated: bool
    images_resampled: int = 0
    font_programs: tuple = (0, 0)  # embedded font programs before and after merging

    @property
    def saved_ratio(self):
        """Share of ``size_in`` saved (0.8 = the pack is 80 % smaller)."""
        return 1 - self.size_out / self.size_in if self.size_in else 0.0


def _open(document):
    data = document.data
    if not isinstance(data, bytes | bytearray) or not data:
        raise PackError("pack_empty_document", document=document.name)
    if PDF_MAGIC not in bytes(data[:1024]):
        raise PackError("pack_not_pdf", document=document.name)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        if not encrypted:
            pages = len(reader.pages)
            for page in reader.pages:  # decode every page once: broken streams fail here
                page.get_contents()
    except _READ_ERRORS as err:
        raise PackError("pack_corrupt_pdf", document=document.name, detail=str(err)) from err
    if encrypted:
        raise PackError("pack_encrypted_pdf", document=document.name)
    if not pages:
        raise PackError("pack_corrupt_pdf", document=document.name, detail="no page")
    return reader


def _unique(name, taken):
    if name not in taken:
        return name
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, dot + ext) if dot else (name, "")
    n = 2
    while f"{stem}-{n}{ext}" in taken:
        n += 1
    return f"{stem}-{n}{ext}"


def _file_name(name):
    """A file name for an embedded document (no path separators)."""
    safe = "".join(ch if ch.isalnum() or ch in " ._-" else "_" for ch in name).strip() or "document"
    return safe if safe.lower().endswith(".pdf") else f"{safe}.pdf"


def _copy_attachments(reader, writer, taken):
    for name, contents in reader.attachments.items():
        for content in contents:
            unique = _unique(name, taken)
            taken.add(unique)
            writer.add_attachment(unique, content)


def _deduplicate(writer):
    method = getattr(writer, "compress_identical_objects", None)
    if method is None:
        return False
    params = inspect.signature(method).parameters
    if "remove_duplicates" in params:
        method(remove_duplicates=True, remove_unreferenced=True)
    else:  # pypdf 4.x - 6.x
        method(remove_identicals=True, remove_orphans=True)
    return True


def _merge(documents, options):
    if not documents:
        raise PackError("pack_empty")
    readers = [(document, _open(document)) for document in documents]
    writer = PdfWriter()
    attachment_names = set()
    for document, reader in readers:
        try:
            writer.append(reader, outline_item=document.name)
            _copy_attachments(reader, writer, attachment_names)
            if document.keep_original:
                unique = _unique(_file_name(document.name), attachment_names)
                attachment_names.add(unique)
                writer.add_attachment(unique, document.data)
        except _READ_ERRORS as err:
            raise PackError("pack_corrupt_pdf", document=document.name, detail=str(err)) from err
    metadata = {
        key: value
        for key, value in (readers[0][1].metadata or {}).items()
        if isinstance(value, str)
    }
    if options.title:
        metadata["/Title"] = options.title
    if metadata:
        writer.add_metadata(metadata)
    writer.page_mode = "/UseOutlines"
    return writer


def _serialize(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def naive_merge(documents):
    """The documents appended one after the other, nothing shared nor compressed:
    what a plain merge gives (the benchmark's baseline)."""
    writer = _merge(documents, PackOptions())
    return _serialize(writer)


def build_pack(documents, options=None):
    """Merge ``documents`` (a list of :class:`PackDocument`) into one PDF.

    Returns ``(pdf_bytes, PackReport)``. Raises :class:`PackError` naming the
    first document that is empty, not a PDF, encrypted or broken; nothing is
    produced then.
    """
    options = options or PackOptions()
    started = time.perf_counter()
    writer = _merge(documents, options)
    resampled = _resample_images(writer, options) if options.lossy else 0
    fonts = merge_font_subsets(writer) if options.merge_fonts else (0, 0)
    for page in writer.pages:
        page.compress_content_streams(level=9)
    deduplicated = _deduplicate(writer)
    data = with_object_streams(_serialize(writer))
    report = PackReport(
        documents=len(documents),
        pages=len(writer.pages),
        size_in=sum(len(d.data) for d in documents),
        size_out=len(data),
        seconds=time.perf_counter() - started,
        deduplicated=deduplicated,
        images_resampled=resampled,
        font_programs=fonts,
    )
    return data, report


# -- lossy step -------------------------------------------------------------


def _placed_sizes(page):
    """Largest printed size (points) of each image XObject drawn on the page,
    read from the transformation matrix in force at each ``Do``."""
    sizes = {}

    def visit(operator, operands, cm, tm):
        if operator == b"Do" and operands:
            width = math.hypot(cm[0], cm[1])
            height = math.hypot(cm[2], cm[3])
            name = str(operands[0])
            old = sizes.get(name, (0.0, 0.0))
            sizes[name] = (max(old[0], width), max(old[1], height))

    page.extract_text(visitor_operand_before=visit)
    return sizes


def _jpeg(image, quality):
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def _resample_images(writer, options):
    """Re-encode opaque RGB/grey images above ``max_dpi`` at their printed size,
    keeping the original whenever the result is not smaller."""
    from PIL import Image  # Pillow comes with pypdf's image support

    done = 0
    seen = set()
    for page in writer.pages:
        placed = _placed_sizes(page)
        for image_file in page.images:
            ref = image_file.indirect_reference
            key = ref.idnum if ref is not None else None
            if key is None or key in seen:
                continue
            seen.add(key)
            stream = ref.get_object()
            raw = getattr(stream, "_data", b"") or b""
            if len(raw) < options.min_image_bytes or "/SMask" in stream or "/Mask" in stream:
                continue
            printed = placed.get(image_file.name.rsplit(".", 1)[0]) or placed.get(
                "/" + image_file.name.rsplit(".", 1)[0]
            )
            image = image_file.image
            if not printed or image is None or image.mode not in ("RGB", "L"):
                continue
            width_in = printed[0] / 72 or 1
            dpi = image.width / width_in
            if dpi <= options.max_dpi:
                continue
            scale = options.max_dpi / dpi
            size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
            smaller = image.resize(size, Image.Resampling.LANCZOS)
            encoded = _jpeg(smaller, max(options.jpeg_quality, 1))
            if len(encoded) >= len(raw):
                continue
            image_file.replace(smaller, quality=max(options.jpeg_quality, 1))
            done += 1
    return done
