"""Font subsets merged across a pack (engine/pack_fonts.py) and the compact
writing (engine/pack_write.py), on documents printed by wkhtmltopdf itself:
every page renders to the same pixels, the text reads the same, and a glyph
that differs between two documents of the same font is never shared."""

import io
import shutil
import subprocess

import pytest
from engine.pack_fonts import merge_font_subsets
from engine.packs import PackDocument, PackOptions, build_pack, naive_merge
from fontTools.ttLib import TTFont
from pdf_render import render_pages, same_pixels
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject

TEXTS = [
    "Payment reminder: invoice INV/2026/00017, 1,250.00 EUR, due 11/16/2026.",
    "Zahlungserinnerung – Rechnung über 980,00 €; fällig seit 14 Tagen.",
    "Relance : facture réglée ? Quartz, zèbre, œuvre, 42 jours.",
]


def html_pdf(text, tmp_path, name):
    if not shutil.which("wkhtmltopdf"):
        pytest.fail("wkhtmltopdf is required: setup/test installs it")
    html = tmp_path / f"{name}.html"
    html.write_text(
        "<html><head><meta charset='utf-8'></head><body style='font-family:serif'>"
        f"<h1>{text.split(':')[0]}</h1><p>{text}</p><p><b>{text}</b> <i>{text}</i></p>"
        "</body></html>",
        encoding="utf-8",
    )
    out = tmp_path / f"{name}.pdf"
    subprocess.run(["wkhtmltopdf", "-q", str(html), str(out)], capture_output=True, check=False)
    return out.read_bytes()


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fonts")
    return [PackDocument(f"doc{n}", html_pdf(t, tmp, f"doc{n}")) for n, t in enumerate(TEXTS)]


def font_programs(data):
    """The embedded TrueType programs, by object number."""
    reader = PdfReader(io.BytesIO(data))
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for cid_font in font.get("/DescendantFonts", []):
                ref = cid_font.get_object()["/FontDescriptor"].get_object().raw_get("/FontFile2")
                found[ref.idnum] = ref.get_object().get_data()
    return found


def text_of(data):
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def pixels_equal(documents, pack, dpi=72):
    before = [page for doc in documents for page in render_pages(doc.data, dpi=dpi)]
    after = render_pages(pack, dpi=dpi)
    return len(before) == len(after) and all(
        same_pixels(a, b) for a, b in zip(before, after, strict=True)
    )


def test_one_program_per_font_and_the_same_pixels_and_text(documents):
    separate = sum(len(font_programs(doc.data)) for doc in documents)
    data, report = build_pack(documents)
    fonts = font_programs(data)
    assert report.font_programs == (separate, len(fonts))
    assert separate == 3 * len(fonts)  # each document had its own copy of each font
    assert pixels_equal(documents, data, dpi=110)
    assert text_of(data) == [t for doc in documents for t in text_of(doc.data)]
    unmerged, _ = build_pack(documents, PackOptions(merge_fonts=False))
    assert len(data) < len(unmerged) * 0.75
    # each merged program holds the glyphs of all three subsets, each once
    sizes = {
        idnum: TTFont(io.BytesIO(program))["maxp"].numGlyphs for idnum, program in fonts.items()
    }
    for doc in documents:
        for program in font_programs(doc.data).values():
            assert TTFont(io.BytesIO(program))["maxp"].numGlyphs <= max(sizes.values())


def _with_changed_glyph(data):
    """The document with the glyphs of each font drawn narrower (same font
    name, different outlines): what a different version of the font would
    look like."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    done = set()
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = (
                font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            ).get_object()
            stream = descriptor["/FontFile2"].get_object()
            if id(stream) in done:
                continue
            done.add(id(stream))
            program = TTFont(io.BytesIO(stream.get_data()))
            glyf = program["glyf"]
            for name in program.getGlyphOrder():
                if glyf[name].numberOfContours > 0:
                    glyf[name].coordinates.scale((0.6, 1))
            out = io.BytesIO()
            program.save(out)
            stream.set_data(out.getvalue())
            stream[NameObject("/Length1")] = NumberObject(len(out.getvalue()))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_glyph_that_differs_is_kept_apart(documents):
    changed = PackDocument("changed", _with_changed_glyph(documents[0].data))
    docs = [documents[0], changed, documents[1]]
    assert not pixels_equal([documents[0]], changed.data)  # the change shows
    data, report = build_pack(docs)
    assert report.font_programs[1] < report.font_programs[0]
    # each document still draws its own version of the glyph
    assert pixels_equal(docs, data, dpi=110)


def test_the_pack_is_written_with_object_streams(documents):
    data, _report = build_pack(documents)
    assert b"/Type /ObjStm" in data
    assert b"/Type /XRef" in data
    assert b"\nxref\n" not in data  # no plain cross-reference table
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == len(documents)
    assert [item.title for item in reader.outline] == [doc.name for doc in documents]
    assert len(data) < len(naive_merge(documents)) * 0.5


def test_fonts_it_does_not_understand_are_left_alone():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    assert merge_font_subsets(writer) == (0, 0)
