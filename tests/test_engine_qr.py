"""The letters' QR code (engine/qr.py): the rectangles draw exactly the symbol,
and a real QR reader (zbarimg, Debian's zbar-tools) reads back the text."""

import base64
import shutil
import subprocess

import pytest
from engine.qr import QUIET_ZONE, QRError, qr_data_uri, qr_modules, qr_rectangles, qr_svg
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

SCALE = 6  # pixels per module


def draw(modules, rectangles):
    side = len(modules) + 2 * QUIET_ZONE
    image = Image.new("1", (side * SCALE, side * SCALE), 1)
    pen = ImageDraw.Draw(image)
    for x, y, w, h in rectangles:
        x0, y0 = (x + QUIET_ZONE) * SCALE, (y + QUIET_ZONE) * SCALE
        pen.rectangle([x0, y0, x0 + w * SCALE - 1, y0 + h * SCALE - 1], fill=0)
    return image


def read_qr(image, tmp_path):
    path = tmp_path / "qr.png"
    image.save(path)
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
        capture_output=True,
        check=False,
    )
    return result.stdout.decode().rstrip("\n")


def covered(modules, rectangles):
    """Each module's count of rectangles covering it."""
    counts = [[0] * len(row) for row in modules]
    for x, y, w, h in rectangles:
        for row in range(y, y + h):
            for col in range(x, x + w):
                counts[row][col] += 1
    return counts


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/my/payments",
        "https://erp.example.com/my/payments/42?access_token=0123456789abcdef0123456789abcdef"
        "&exp=1893456000&company=3",
        "https://example.com/" + "x" * 400,
        "A",
    ],
    ids=["short", "signed-link", "long", "one-letter"],
)
def test_a_qr_reader_reads_back_the_text(text, tmp_path):
    if not shutil.which("zbarimg"):
        pytest.fail("zbarimg (zbar-tools) is required: setup/test installs it")
    modules = qr_modules(text)
    assert read_qr(draw(modules, qr_rectangles(modules)), tmp_path) == text


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=300)
)
def test_the_rectangles_cover_each_dark_module_once_and_nothing_else(text):
    modules = qr_modules(text)
    counts = covered(modules, qr_rectangles(modules))
    for row, dark_row in zip(counts, modules, strict=True):
        assert row == [1 if dark else 0 for dark in dark_row]


def test_runs_that_line_up_are_merged_across_rows():
    modules = qr_modules("https://example.com/my/payments")
    rectangles = qr_rectangles(modules)
    runs = sum(
        1
        for row in modules
        for col, dark in enumerate(row)
        if dark and (col == 0 or not row[col - 1])
    )
    # the finder patterns' sides alone line up over 5 rows each
    assert len(rectangles) < runs
    assert any(h > 1 for _x, _y, _w, h in rectangles)


def test_svg_and_data_uri():
    svg = qr_svg("https://example.com/<&>", title='Pay "now" <here>')
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<title>Pay &quot;now&quot; &lt;here&gt;</title>" in svg
    assert 'shape-rendering="crispEdges"' in svg
    uri = qr_data_uri("https://example.com/")
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == qr_svg("https://example.com/")


@pytest.mark.parametrize("text", ["", None, "x" * 5000], ids=["empty", "none", "too-long"])
def test_what_no_qr_code_can_hold_is_refused(text):
    with pytest.raises(QRError):
        qr_modules(text)
