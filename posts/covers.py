"""Cover images: accept JPEG, PNG or WebP within a size limit, scale to card width, re-encode.

Re-encoding every upload also drops EXIF metadata (camera, GPS position) that readers have no
business seeing, and turns a file that merely claims to be an image into a real one or an error.
"""

from __future__ import annotations

import io
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Checked from the header, before any pixel is decoded. PNG and WebP decode at full size (4
# bytes a pixel): 25 megapixels (a 6000 by 4000 photo) keeps a worker under about 150 MB. A
# JPEG decodes already scaled down by up to 8 (Image.draft), so a 12000 by 8000 photo is fine.
MAX_PIXELS = {"JPEG": 100_000_000, "PNG": 25_000_000, "WEBP": 25_000_000}


def max_upload_bytes() -> int:
    return settings.COVER_MAX_UPLOAD_MB * 1024 * 1024


def check_size(size: int) -> None:
    if size > max_upload_bytes():
        raise ValidationError(
            f"The image is {size / 1024 / 1024:.1f} MB; the most the hub accepts is "
            f"{settings.COVER_MAX_UPLOAD_MB} MB. Save it smaller (a 1600 px wide JPEG is plenty)."
        )


def prepare_cover(data: bytes, name: str) -> ContentFile:
    """A validated, resized, re-encoded copy of an uploaded or fetched image."""
    check_size(len(data))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = image.format
            if kind not in FORMATS:
                raise ValidationError(
                    f"This is a {kind or 'unknown'} image; upload a JPEG, PNG or WebP instead."
                )
            if image.width * image.height > MAX_PIXELS[kind]:
                megapixels = MAX_PIXELS[kind] // 1_000_000
                raise ValidationError(
                    f"The image is {image.width} by {image.height} pixels, more than the "
                    f"{megapixels} megapixels the hub processes for a {kind} cover. Scale it "
                    "down first (a cover needs no more than 2400 pixels across)."
                )
            # EXIF orientations 5 to 8 turn the image by 90°: its height becomes the width.
            turned = image.getexif().get(ExifTags.Base.Orientation, 1) in {5, 6, 7, 8}
            if kind == "JPEG":
                # Decode at the smallest scale (1/2, 1/4, 1/8) that is still wide enough.
                w, h = image.size
                wanted = max(1, settings.COVER_WIDTH)
                image.draft(
                    None, (w * wanted // h, wanted) if turned else (wanted, h * wanted // w)
                )
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "This file is not an image the hub can read; upload a JPEG, PNG or WebP."
        ) from None
    except (OSError, SyntaxError, ValueError):  # truncated or corrupt image data
        raise ValidationError("The image file is damaged or incomplete; export it again.") from None

    # Shrink in place, by whole factors first (reducing_gap), and only then turn it upright.
    width = image.height if turned else image.width
    if width > settings.COVER_WIDTH:
        box = (
            (image.width, settings.COVER_WIDTH) if turned else (settings.COVER_WIDTH, image.height)
        )
        image.thumbnail(box, Image.Resampling.LANCZOS, reducing_gap=3.0)
    ImageOps.exif_transpose(image, in_place=True)
    if kind == "JPEG" and image.mode not in {"RGB", "L"}:
        image = image.convert("RGB")
    elif kind != "JPEG" and image.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
        image = image.convert("RGBA")
    out = io.BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True, "progressive": True},
               "WEBP": {"quality": 85}, "PNG": {"optimize": True}}[kind]  # fmt: skip
    image.save(out, format=kind, **options)
    stem = slugify(PurePath(name).stem)[:80] or "cover"
    return ContentFile(out.getvalue(), name=f"{stem}.{FORMATS[kind]}")
