"""Photos made in code for the catalogue tests (no files are shipped or downloaded)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def photo_bytes(
    size: tuple[int, int] = (120, 80),
    fmt: str = "PNG",
    colour: tuple[int, int, int] = (180, 40, 60),
    **save_options,
) -> bytes:
    out = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, colour).save(out, fmt, **save_options)
    return out.getvalue()


def photo_upload(name: str = "photo.png", **kwargs) -> SimpleUploadedFile:
    fmt = kwargs.pop("fmt", "JPEG" if name.endswith((".jpg", ".jpeg")) else "PNG")
    return SimpleUploadedFile(name, photo_bytes(fmt=fmt, **kwargs), content_type="image/png")


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
