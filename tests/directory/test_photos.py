"""Profile photos: re-encoded without EXIF, described for screen readers, served to whoever
may see the profile."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from singleportal.directory import actions
from singleportal.directory.models import ProfilePhoto
from tests.directory.conftest import sign_in
from tests.directory.factories import group_profile, user

pytestmark = pytest.mark.django_db


def jpeg_with_exif(size=(2400, 1200)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (180, 40, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneCam"  # Make: any tag would tell about the camera
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("loom.jpg", out.getvalue(), content_type="image/jpeg")


def test_an_owner_adds_a_photo_which_is_resized_without_exif_and_shown(client):
    owner = user()
    profile = group_profile(owner)
    sign_in(client, owner)
    response = client.post(f"/directory/{profile.slug}/photos/",
                           {"photo": jpeg_with_exif(), "alt_km": "កីត្បាញ"})  # fmt: skip
    assert response.status_code == 302
    photo = ProfilePhoto.objects.get(profile=profile)
    assert (photo.width, photo.height) == (1600, 800)
    with photo.image.open("rb") as handle:
        assert not Image.open(handle).getexif()
    client.logout()
    page = client.get(f"/directory/{profile.slug}/").content.decode()
    assert f'src="/directory/photos/{photo.pk}/thumbnail.jpg" alt="កីត្បាញ" lang="km"' in page
    assert 'property="og:image"' in page
    served = client.get(f"/directory/photos/{photo.pk}/full.jpg")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_a_photo_needs_a_description_in_one_language(client):
    owner = user()
    profile = group_profile(owner)
    sign_in(client, owner)
    response = client.post(f"/directory/{profile.slug}/photos/", {"photo": jpeg_with_exif()})
    assert response.status_code == 422
    assert "Describe the photo" in response.content.decode()
    assert not ProfilePhoto.objects.exists()


def test_a_pdf_named_jpg_is_refused_with_the_reason(client):
    owner = user()
    profile = group_profile(owner)
    sign_in(client, owner)
    fake = SimpleUploadedFile("loom.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client.post(f"/directory/{profile.slug}/photos/",
                           {"photo": fake, "alt_en": "A loom"})  # fmt: skip
    assert response.status_code == 422
    assert "This file is a PDF document, not a photo." in response.content.decode()


def test_photos_of_a_hidden_profile_are_not_served_to_the_public(client):
    owner = user()
    profile = group_profile(owner)
    photo = actions.add_photo(profile, by=owner, upload=jpeg_with_exif(), alt_en="A loom")
    actions.update_profile(profile, by=owner, changes={"published": False})
    assert client.get(f"/directory/photos/{photo.pk}/thumbnail.jpg").status_code == 404
    sign_in(client, owner)
    assert client.get(f"/directory/photos/{photo.pk}/thumbnail.jpg").status_code == 200


def test_another_user_cannot_add_or_remove_photos():
    owner = user()
    profile = group_profile(owner)
    photo = actions.add_photo(profile, by=owner, upload=jpeg_with_exif(), alt_en="A loom")
    stranger = user("Stranger")
    with pytest.raises(PermissionDenied):
        actions.add_photo(profile, by=stranger, upload=jpeg_with_exif(), alt_en="Mine")
    with pytest.raises(PermissionDenied):
        actions.remove_photo(profile, by=stranger, photo_id=photo.pk)
    assert ProfilePhoto.objects.count() == 1


def test_an_owner_removes_a_photo_and_its_files(client):
    owner = user()
    profile = group_profile(owner)
    photo = actions.add_photo(profile, by=owner, upload=jpeg_with_exif(), alt_en="A loom")
    path = Path(photo.image.path)
    sign_in(client, owner)
    client.post(f"/directory/{profile.slug}/photos/{photo.pk}/remove/")
    assert not ProfilePhoto.objects.exists()
    assert not path.exists()


def test_a_photo_whose_row_cannot_be_written_leaves_no_file(settings):
    from django.core.exceptions import ValidationError

    owner = user()
    profile = group_profile(owner)
    folder = Path(settings.MEDIA_ROOT) / "directory"
    before = set(folder.iterdir()) if folder.exists() else set()
    with pytest.raises(ValidationError):  # a description longer than the field takes
        actions.add_photo(profile, by=owner, upload=jpeg_with_exif(), alt_en="loom " * 100)
    assert not ProfilePhoto.objects.exists()
    assert (set(folder.iterdir()) if folder.exists() else set()) == before
