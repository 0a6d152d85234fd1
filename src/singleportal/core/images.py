"""Uploaded photos made safe to publish: checked, turned upright, resized, re-encoded.

`process_photo(upload)` is the one way a photo enters the portal (product photos, profile
photos). What it refuses, and why, in the order it checks:

1. an empty file, or one larger than `PHOTO_UPLOAD_MAX_BYTES` (default 8 MB): refused from the
   size the upload declares, before a byte is decoded;
2. content that is not JPEG, PNG or WebP by its first bytes (the file name and the browser's
   content type are ignored: a PDF renamed .jpg is a PDF);
3. a header announcing more than `PHOTO_MAX_PIXELS` pixels (default 40 million): a
   "decompression bomb" (a small file that would need gigabytes once decoded), refused after
   reading only the header;
4. a file Pillow's `verify()` finds broken, or that fails to decode.

What comes out is re-encoded as JPEG from the pixels alone, so no EXIF, GPS, XMP or comment
survives; the EXIF orientation is applied first so that the photo stands as the camera saw it.
The full image is at most 1600 px on its long side, the thumbnail 400 px.
"""

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import IO, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

FULL_LONG_SIDE = 1600
THUMBNAIL_LONG_SIDE = 400
JPEG_QUALITY = 85

# Magic bytes of the accepted formats, and of formats people often send by mistake (so the
# refusal can say what the file really is).
_ACCEPTED = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
_PDF = b"%PDF-"


class Upload(Protocol):
    """What Django's UploadedFile offers and process_photo needs."""

    size: int | None

    def seek(self, offset: int, whence: int = 0) -> int: ...
    def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class ProcessedPhoto:
    """A publishable photo: JPEG bytes of the full image and its thumbnail, and their sizes.

    `image` and `thumbnail` are ContentFiles named `<uuid>.jpg` and `<uuid>-thumb.jpg`, ready
    for `FieldFile.save(name, file)` or `default_storage.save(folder + name, file)`.
    """

    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int
    thumbnail_width: int
    thumbnail_height: int
    content_type: str = "image/jpeg"


def max_bytes() -> int:
    return settings.PHOTO_UPLOAD_MAX_BYTES


def max_pixels() -> int:
    return settings.PHOTO_MAX_PIXELS


def sniff_image(head: bytes) -> str | None:
    """The Pillow format name the first bytes prove (JPEG, PNG, WEBP), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _declared_size(upload: Upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:  # a plain file object: its length from the end, still without decoding
        size = upload.seek(0, io.SEEK_END)
        upload.seek(0)
    return int(size)


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):.0f}"


def _refuse_unless_acceptable(upload: Upload) -> str:
    size = _declared_size(upload)
    if size == 0:
        raise ValidationError(_("The photo file is empty."), code="empty")
    limit = max_bytes()
    if size > limit:
        raise ValidationError(
            _("The photo is %(size)s MB; photos may be at most %(limit)s MB.")
            % {"size": _megabytes(size), "limit": _megabytes(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff_image(head)
    if kind is None:
        if head.startswith(_PDF):
            raise ValidationError(
                _("This file is a PDF document, not a photo. Send a JPEG, PNG or WebP photo."),
                code="not_an_image",
            )
        raise ValidationError(
            _("This file is not a photo the portal accepts. Send a JPEG, PNG or WebP photo."),
            code="not_an_image",
        )
    return kind


def _jpeg_is_complete(data: bytes) -> bool:
    """True when an end-of-image marker follows the last scan.

    Pillow would say the same while decoding, but WeasyPrint sets Pillow's process-wide
    LOAD_TRUNCATED_IMAGES on import, after which a cut JPEG decodes as a grey-bottomed photo.
    Inside a scan every 0xFF byte is followed by 0x00, so an FF D9 after the last FF DA (start of
    scan) is the real end; one inside an embedded EXIF thumbnail comes before it.
    """
    last_scan = data.rfind(b"\xff\xda")
    return last_scan != -1 and data.find(b"\xff\xd9", last_scan) != -1


def _unreadable() -> ValidationError:
    return ValidationError(
        _("The photo could not be read: the file is damaged or incomplete."), code="unreadable"
    )


def _open(data: bytes, expected: str) -> Image.Image:
    """Open `data`, refusing bombs and broken files; the image is not decoded yet."""
    if expected == "JPEG" and not _jpeg_is_complete(data):
        raise _unreadable()
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; here both refuse.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=[expected])
            width, height = probe.size
            if width * height > max_pixels():
                raise Image.DecompressionBombError
            probe.verify()
            image = Image.open(io.BytesIO(data), formats=[expected])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _(
                "The photo is too large in pixels to be processed safely "
                "(at most %(limit)s million pixels)."
            )
            % {"limit": max_pixels() // 1_000_000},
            code="too_many_pixels",
        ) from None
    except (OSError, SyntaxError, ValueError, Image.UnidentifiedImageError):
        raise _unreadable() from None
    return image


def _as_rgb(image: Image.Image) -> Image.Image:
    """Pixels only, in RGB; transparency laid on white (JPEG has no alpha)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # No exif=, no icc_profile=: the new file carries nothing but pixels.
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _shrunk(image: Image.Image, long_side: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    return copy


def process_photo(upload: Upload | IO[bytes]) -> ProcessedPhoto:
    """Check and re-encode an uploaded photo; ValidationError saying what is wrong otherwise."""
    kind = _refuse_unless_acceptable(upload)  # type: ignore[arg-type]
    data = upload.read()
    image = _open(data, kind)
    try:
        upright = ImageOps.exif_transpose(image)
        pixels = _as_rgb(upright)
    except (OSError, SyntaxError, ValueError):
        raise _unreadable() from None
    full = _shrunk(pixels, FULL_LONG_SIDE)
    thumb = _shrunk(pixels, THUMBNAIL_LONG_SIDE)
    stem = uuid.uuid4().hex
    return ProcessedPhoto(
        image=ContentFile(_encode(full), name=f"{stem}.jpg"),
        thumbnail=ContentFile(_encode(thumb), name=f"{stem}-thumb.jpg"),
        width=full.width,
        height=full.height,
        thumbnail_width=thumb.width,
        thumbnail_height=thumb.height,
    )
