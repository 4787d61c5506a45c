import io

import pytest
from engine.packs import PackDocument, PackError, PackOptions, build_pack, naive_merge
from pdf_render import pixel_difference, render_pages, same_pixels
from pdf_samples import make_pdf, noisy_image
from pypdf import PdfReader, PdfWriter


def letters(count, pages=1):
    return [
        PackDocument(
            f"INV/2026/{n:05d}",
            make_pdf([f"Invoice INV/2026/{n:05d}", f"Amount due: {n * 10}.00 EUR"], pages=pages),
        )
        for n in range(1, count + 1)
    ]


def read(data):
    return PdfReader(io.BytesIO(data))


def with_attachment(data, name, content):
    writer = PdfWriter(clone_from=read(data))
    writer.add_attachment(name, content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pages_in_order_with_one_bookmark_per_document():
    docs = [PackDocument("Reminder", make_pdf(["Payment reminder"], pages=2))] + letters(3)
    data, report = build_pack(docs)
    pack = read(data)
    assert len(pack.pages) == report.pages == 5
    assert [item.title for item in pack.outline] == [
        "Reminder",
        "INV/2026/00001",
        "INV/2026/00002",
        "INV/2026/00003",
    ]
    assert [pack.get_destination_page_number(item) for item in pack.outline] == [0, 2, 3, 4]
    assert "Payment reminder (2)" in pack.pages[1].extract_text()
    assert "Amount due: 30.00 EUR" in pack.pages[4].extract_text()


def test_the_shared_logo_is_stored_once():
    docs = letters(10)
    data, report = build_pack(docs)
    naive = naive_merge(docs)
    logo_refs = {page.images[0].indirect_reference.idnum for page in read(data).pages}
    assert len(logo_refs) == 1
    assert len({p.images[0].indirect_reference.idnum for p in read(naive).pages}) == 10
    assert report.deduplicated
    assert report.size_out < 0.35 * len(naive)
    assert report.size_in == sum(len(d.data) for d in docs)
    assert report.saved_ratio > 0.65


def test_lossless_pack_renders_to_the_same_pixels():
    docs = [PackDocument("Reminder", make_pdf(["Payment reminder", "Total 1,234.50 EUR"]))]
    docs += letters(3, pages=2)
    data, _report = build_pack(docs)
    before = [page for doc in docs for page in render_pages(doc.data)]
    after = render_pages(data)
    assert len(before) == len(after) == 7
    for old, new in zip(before, after, strict=True):
        assert same_pixels(old, new)


def test_embedded_files_links_and_metadata_survive():
    first = make_pdf(
        ["Reminder"], title="Original", author="Compta SA", link="https://pay.example/x"
    )
    invoice = with_attachment(
        make_pdf(["Invoice 1"]), "factur-x.xml", b"<rsm:CrossIndustryInvoice/>"
    )
    other = with_attachment(make_pdf(["Invoice 2"]), "factur-x.xml", b"<rsm:Other/>")
    docs = [
        PackDocument("Reminder", first),
        PackDocument("INV/1", invoice),
        PackDocument("INV/2", other),
    ]
    data, _report = build_pack(docs, PackOptions(title="Reminder R/0001"))
    pack = read(data)
    assert pack.attachments == {
        "factur-x.xml": [b"<rsm:CrossIndustryInvoice/>"],
        "factur-x-2.xml": [b"<rsm:Other/>"],
    }
    assert pack.metadata.title == "Reminder R/0001"
    assert pack.metadata.author == "Compta SA"
    uris = [a.get_object()["/A"]["/URI"] for a in pack.pages[0].get("/Annots", [])]
    assert uris == ["https://pay.example/x"]


def encrypted_pdf():
    writer = PdfWriter(clone_from=read(make_pdf(["secret"])))
    writer.encrypt("user-pw")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


GOOD = make_pdf(["fine"])


@pytest.mark.parametrize(
    "data, code",
    [
        (b"", "pack_empty_document"),
        (b"<html>not a pdf</html>", "pack_not_pdf"),
        ("%PDF-1.4 text, not bytes", "pack_empty_document"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF", "pack_corrupt_pdf"),
        (GOOD[: len(GOOD) // 3], "pack_corrupt_pdf"),
        (encrypted_pdf(), "pack_encrypted_pdf"),
    ],
)
def test_bad_document_is_named_and_nothing_is_built(data, code):
    docs = [PackDocument("Reminder", GOOD), PackDocument("INV/2026/00042", data)]
    with pytest.raises(PackError) as err:
        build_pack(docs)
    assert err.value.code == code
    assert err.value.data["document"] == "INV/2026/00042"


def test_empty_list_is_refused():
    with pytest.raises(PackError) as err:
        build_pack([])
    assert err.value.code == "pack_empty"


def photo_doc():
    return make_pdf(["Delivery photo"], logo=None, photo=noisy_image(1400, 1400, seed=3))


def test_lossy_resamples_sharp_photos_and_stays_close():
    docs = [PackDocument("Photo", photo_doc())]
    lossless, plain = build_pack(docs)
    lossy, report = build_pack(docs, PackOptions(lossy=True, max_dpi=150, jpeg_quality=80))
    assert plain.images_resampled == 0
    assert report.images_resampled == 1
    assert len(lossy) < 0.5 * len(lossless)
    image = read(lossy).pages[0].images[0].image
    assert image.width == 300  # 2 inches at 150 dpi
    for old, new in zip(render_pages(lossless), render_pages(lossy), strict=True):
        assert pixel_difference(old, new) < 0.02  # stated threshold: under 2 % of pixels


def test_lossy_leaves_images_already_small_enough():
    docs = letters(2)  # a 240 px logo printed 120 pt wide: 144 dpi
    lossless, _plain = build_pack(docs)
    lossy, report = build_pack(docs, PackOptions(lossy=True, max_dpi=200, min_image_bytes=0))
    assert report.images_resampled == 0
    assert len(lossy) == len(lossless)


def test_a_kept_original_is_embedded_byte_for_byte():
    original = make_pdf(["Letter before action", "Owed: 380.00 GBP"])
    docs = [PackDocument("Case file", make_pdf(["Case file"]))]
    docs.append(PackDocument("Letter before action / sent", original, keep_original=True))
    data, _report = build_pack(docs + letters(1))
    pack = read(data)
    assert len(pack.pages) == 3
    assert pack.attachments == {"Letter before action _ sent.pdf": [original]}
