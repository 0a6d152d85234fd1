"""The photo pipeline: what is refused before decoding, and what a published photo carries."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from singleportal.catalog import actions
from singleportal.core.images import process_photo
from singleportal.core.photos import MAX_PHOTOS

from .images import PDF_BYTES, photo_bytes, photo_upload


def _jpeg_with_exif(size=(300, 200), orientation=None, gps=True) -> bytes:
    image = Image.new("RGB", size, (10, 120, 200))
    image.paste((250, 250, 0), (0, 0, size[0] // 3, size[1]))  # a yellow band on the left
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (11.0, 33.0, 0.0), 3: "E", 4: (104.0, 55.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _opened(content_file) -> Image.Image:
    content_file.seek(0)
    return Image.open(io.BytesIO(content_file.read()))


def test_gps_and_every_exif_tag_are_gone_from_the_published_photo():
    raw = _jpeg_with_exif()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the input does carry GPS
    photo = process_photo(SimpleUploadedFile("phone.jpg", raw))
    for output in (photo.image, photo.thumbnail):
        image = _opened(output)
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert "exif" not in image.info and "icc_profile" not in image.info


def test_the_exif_orientation_is_applied_so_the_photo_stands_upright():
    # Orientation 6: the camera was turned; viewers rotate 90 degrees clockwise to show it.
    photo = process_photo(SimpleUploadedFile("turned.jpg", _jpeg_with_exif(orientation=6)))
    assert (photo.width, photo.height) == (200, 300)
    image = _opened(photo.image).convert("RGB")
    # The yellow band that was on the left is now along the top.
    assert image.getpixel((100, 10))[2] < 100 and image.getpixel((100, 290))[2] > 150


def test_large_photo_is_shrunk_to_1600_and_its_thumbnail_to_400_keeping_proportions():
    upload = SimpleUploadedFile("big.jpg", photo_bytes((3200, 2000), fmt="JPEG"))
    photo = process_photo(upload)
    assert (photo.width, photo.height) == (1600, 1000)
    assert (photo.thumbnail_width, photo.thumbnail_height) == (400, 250)
    assert _opened(photo.thumbnail).size == (400, 250)
    assert photo.image.name.endswith(".jpg") and photo.thumbnail.name.endswith("-thumb.jpg")


@pytest.mark.parametrize("fmt", ["PNG", "WEBP", "JPEG"])
def test_png_webp_and_jpeg_photos_are_accepted_and_published_as_jpeg(fmt):
    photo = process_photo(SimpleUploadedFile("x.bin", photo_bytes((64, 48), fmt=fmt)))
    assert _opened(photo.image).format == "JPEG"
    assert (photo.width, photo.height) == (64, 48)


def test_a_transparent_png_is_laid_on_white():
    photo = process_photo(SimpleUploadedFile("clear.png", photo_bytes(colour=(0, 0, 0, 0))))
    assert _opened(photo.image).convert("RGB").getpixel((5, 5)) >= (250, 250, 250)


def test_a_pdf_renamed_jpg_is_refused_and_called_a_pdf():
    upload = SimpleUploadedFile("photo.jpg", PDF_BYTES, content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        process_photo(upload)
    assert refused.value.code == "not_an_image"
    assert "PDF" in refused.value.messages[0]


def test_a_text_file_named_png_is_refused():
    with pytest.raises(ValidationError) as refused:
        process_photo(SimpleUploadedFile("photo.png", b"<html>hello</html>"))
    assert refused.value.code == "not_an_image"


class _NeverRead(io.BytesIO):
    """A file declaring a size and failing if anything tries to read it."""

    def __init__(self, size):
        super().__init__()
        self.size = size

    def read(self, *args):
        raise AssertionError("the file was read")


def test_a_huge_file_is_refused_from_its_declared_size_before_any_byte_is_read(settings):
    settings.PHOTO_UPLOAD_MAX_BYTES = 8 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        process_photo(_NeverRead(50 * 1024 * 1024))
    assert refused.value.code == "too_large"
    assert "50" in refused.value.messages[0] and "8" in refused.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        process_photo(SimpleUploadedFile("empty.jpg", b""))
    assert refused.value.code == "empty"


def test_a_decompression_bomb_is_refused_from_its_header(settings):
    # 20000 x 20000 pixels of one colour compress to a few hundred kilobytes of PNG.
    settings.PHOTO_MAX_PIXELS = 40_000_000
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")
    assert out.tell() < 2 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        process_photo(SimpleUploadedFile("bomb.png", out.getvalue()))
    assert refused.value.code == "too_many_pixels"


def test_a_truncated_jpeg_is_refused_as_damaged():
    raw = photo_bytes((400, 300), fmt="JPEG")
    with pytest.raises(ValidationError) as refused:
        process_photo(SimpleUploadedFile("cut.jpg", raw[: len(raw) // 3]))
    assert refused.value.code == "unreadable"


def test_a_png_header_followed_by_garbage_is_refused_as_damaged():
    with pytest.raises(ValidationError) as refused:
        process_photo(SimpleUploadedFile("fake.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 200))
    assert refused.value.code == "unreadable"


def test_the_upload_helper_makes_a_png_the_pipeline_accepts():
    assert process_photo(photo_upload()).width == 120


def test_a_truncated_jpeg_is_refused_even_after_weasyprint_relaxed_pillow():
    import weasyprint  # noqa: F401  (sets PIL.ImageFile.LOAD_TRUNCATED_IMAGES on import)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    raw = photo_bytes((400, 300), fmt="JPEG")
    with pytest.raises(ValidationError):
        process_photo(SimpleUploadedFile("cut.jpg", raw[:-200]))


def test_a_jpeg_with_bytes_after_its_end_marker_is_accepted():
    raw = photo_bytes((40, 30), fmt="JPEG") + b"\0" * 64
    assert process_photo(SimpleUploadedFile("padded.jpg", raw)).width == 40


def test_a_product_holds_twelve_photos_and_the_thirteenth_is_refused_without_a_file_kept(
    owner, product, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    for number in range(MAX_PHOTOS):
        actions.add_photo(product, by=owner, upload=photo_upload(), alt_en=f"view {number}")
    stored = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        actions.add_photo(product, by=owner, upload=photo_upload(), alt_en="one more")
    assert refused.value.messages == ["At most 12 photos: remove one first."]
    assert product.photos.count() == MAX_PHOTOS
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == stored


def test_a_description_longer_than_its_column_is_refused_by_field(owner, product):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        actions.add_photo(product, by=owner, upload=photo_upload(), alt_km="ក" * 301, alt_en="ok")
    assert refused.value.message_dict == {"alt_km": ["At most 300 characters."]}
    assert not product.photos.exists()
