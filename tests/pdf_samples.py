"""Small real PDFs for the pack tests, drawn with reportlab (which Odoo itself
requires): an embedded TrueType font subset, a shared logo, links, metadata."""

import io
import random

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))  # shipped inside reportlab


def noisy_image(width, height, seed=7):
    """A photo-like image that does not compress well (so sizes mean something)."""
    rnd = random.Random(seed)
    image = Image.frombytes("RGB", (width, height), rnd.randbytes(width * height * 3))
    return image


LOGO = noisy_image(240, 120)


def make_pdf(lines, *, logo=LOGO, pages=1, title="", author="", link="", photo=None):
    """One PDF: the logo on every page, ``lines`` of text, an optional link and an
    optional large ``photo`` printed 2 inches wide."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    if title:
        c.setTitle(title)
    if author:
        c.setAuthor(author)
    for number in range(pages):
        if logo is not None:
            c.drawImage(ImageReader(logo), 40, 760, width=120, height=60)
        c.setFont("Vera", 12)
        y = 720
        for line in lines:
            c.drawString(60, y, f"{line} ({number + 1})")
            y -= 18
        if link:
            c.drawString(60, 200, link)
            c.linkURL(link, (60, 195, 300, 212), relative=0)
        if photo is not None:
            c.drawImage(ImageReader(photo), 60, 300, width=144, height=144)
        c.showPage()
    c.save()
    return out.getvalue()
