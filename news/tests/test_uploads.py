"""Files uploaded in Wagtail's admin go through the documents app's checks: a PDF with a script
is refused, an image keeps no GPS position, a file that is not what its name says is refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

from documents.tests import samples

pytestmark = pytest.mark.django_db


def _document_form(name: str, data: bytes):
    form_class = get_document_form(get_document_model())
    return form_class(
        data={"title": "Văn bản", "collection": Collection.get_first_root_node().pk},
        files={"file": SimpleUploadedFile(name, data)},
    )


def _image_form(name: str, data: bytes):
    form_class = get_image_form(get_image_model())
    return form_class(
        data={"title": "Ảnh", "collection": Collection.get_first_root_node().pk},
        files={"file": SimpleUploadedFile(name, data)},
    )


def test_a_plain_pdf_is_kept_and_one_with_a_script_or_a_disguise_is_refused():
    assert _document_form("qd-1.pdf", samples.pdf()).is_valid()
    with_script = _document_form("qd-2.pdf", samples.javascript_pdf())
    assert not with_script.is_valid() and "mã lệnh" in str(with_script.errors["file"])
    disguised = _document_form("qd-3.pdf", b"MZ\x90\x00 not a pdf")
    assert not disguised.is_valid()


def test_an_image_is_kept_without_its_gps_position():
    form = _image_form("anh.jpg", samples.jpeg(exif=samples.gps_exif()))
    assert form.is_valid(), form.errors
    image = form.save()
    with image.file.open("rb") as f:
        kept = PILImage.open(io.BytesIO(f.read()))
        assert not kept.getexif().get_ifd(0x8825)


def test_a_pdf_is_not_an_image():
    form = _image_form("anh.png", samples.pdf())
    assert not form.is_valid()
