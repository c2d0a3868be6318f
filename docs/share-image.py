"""Draws static/img/share.png, the 1200×630 picture sharing cards show for pages without a cover.

Run once from the project folder (`.venv/bin/python docs/share-image.py`) and commit the PNG;
the site never draws it at run time. Colours are those of static/css/hub.css.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

INK, PAPER, ACCENT = "#1d2430", "#ffffff", "#0b5cad"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
TEXT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

image = Image.new("RGB", (1200, 630), INK)
draw = ImageDraw.Draw(image)
draw.rectangle((0, 590, 1200, 630), fill=ACCENT)
draw.text((80, 200), "CX Inspiration Hub", font=ImageFont.truetype(FONT, 88), fill=PAPER)
draw.text(
    (80, 340),
    "Customer-experience inspiration\nfor pharma and life sciences",
    font=ImageFont.truetype(TEXT_FONT, 44),
    fill="#d5dbe3",
    spacing=14,
)
target = Path(__file__).resolve().parent.parent / "static" / "img" / "share.png"
image.save(target, optimize=True)
print(f"Wrote {target}")
