"""Pages of a PDF as pictures, to check that a pack looks exactly like its
documents (used by the tests and the benchmark; poppler's ``pdftoppm``)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageChops


def render_pages(data, dpi=40):
    """Every page of a PDF as an RGB PIL image."""
    if not shutil.which("pdftoppm"):
        raise RuntimeError("pdftoppm (poppler-utils) is required: setup/test installs it")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(src), str(Path(tmp) / "p")], check=True
        )
        files = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return [Image.open(f).convert("RGB").copy() for f in files]


def pixel_difference(first, second, tolerance=24):
    """Share of the pixels that differ by more than ``tolerance`` on a 0-255
    scale (0.0: identical; 1.0 when the sizes differ)."""
    if first.size != second.size:
        return 1.0
    diff = ImageChops.difference(first, second).convert("L")
    changed = sum(1 for value in diff.getdata() if value > tolerance)
    return changed / (first.size[0] * first.size[1])


def same_pixels(first, second):
    return first.size == second.size and ImageChops.difference(first, second).getbbox() is None
