"""Files uploaded to Wagtail's admin (the section's documents and images) go through the
documents app's checks (documents.checks): a PDF is judged by its content (no script, no
attachment, no encryption, within the page and expansion limits), an image is re-encoded without
its metadata (EXIF with a GPS position, camera serials) and refused beyond the pixel limit.
Word and Excel files are kept as they are (the documents app has no check for them), within the
upload size limit. Named by settings.WAGTAILDOCS_DOCUMENT_FORM_BASE and
WAGTAILIMAGES_IMAGE_FORM_BASE."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from documents.checks import IMAGE_TYPES, PDF, Limits, inspect_upload, sniff
from documents.errors import UploadRejected


def _checked(upload: Any, *, images: bool) -> Any:
    """The upload as it may be kept, or a ValidationError saying why not."""
    if upload is None or not hasattr(upload, "read"):
        return upload
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    limits = Limits.from_settings()
    kind = sniff(data)
    if kind is None and not images:
        if len(data) > limits.max_bytes:
            raise forms.ValidationError(str(UploadRejected("too_large", limit=limits.max_bytes // (1024 * 1024))))
        if upload.name.lower().endswith(".pdf"):
            raise forms.ValidationError(str(UploadRejected("malformed")))
        return upload  # .docx, .xlsx: Wagtail's own extension check applies
    if images and kind not in IMAGE_TYPES:
        raise forms.ValidationError(_("Chỉ nhận ảnh JPEG hoặc PNG."))
    if not images and kind != PDF:
        raise forms.ValidationError(str(UploadRejected("unsupported_type")))
    try:
        checked = inspect_upload(data, limits)
    except UploadRejected as refusal:
        raise forms.ValidationError(str(refusal)) from refusal
    if checked.data == data:
        return upload
    return SimpleUploadedFile(upload.name, checked.data, content_type=checked.content_type)


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self) -> Any:
        return _checked(self.cleaned_data.get("file"), images=False)


class CheckedImageForm(BaseImageForm):
    def clean_file(self) -> Any:
        return _checked(self.cleaned_data.get("file"), images=True)
