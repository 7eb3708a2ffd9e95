"""Upload checks: a file is judged by its content, never by its name."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image
from pypdf import PdfReader

from documents.checks import JPEG, PDF, PNG, TIFF, Limits, inspect_upload, sanitize_name, sniff
from documents.errors import UploadRejected

from . import samples


def refused(data: bytes, limits: Limits | None = None) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(data, limits)
    return caught.value


# --- What a file is ----------------------------------------------------------------------------


def test_the_four_accepted_types_are_recognized_by_their_content() -> None:
    tiff = io.BytesIO()
    samples.scan_image(["TIFF"]).save(tiff, format="TIFF")
    assert inspect_upload(samples.pdf()).content_type == PDF
    assert inspect_upload(samples.jpeg()).content_type == JPEG
    assert inspect_upload(samples.png()).content_type == PNG
    assert inspect_upload(tiff.getvalue()).content_type == TIFF


def test_a_web_page_named_like_a_pdf_is_refused_as_not_a_document() -> None:
    error = refused(b"<html><script>alert(1)</script></html>")
    assert error.code == "unsupported_type"
    assert "Chỉ nhận tệp PDF, JPEG, PNG hoặc TIFF" in error.message


def test_a_program_is_refused_whatever_its_name() -> None:
    assert refused(b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 100).code == "unsupported_type"
    assert sniff(b"PK\x03\x04") is None


def test_a_file_that_starts_like_a_pdf_but_is_not_one_is_refused_as_broken() -> None:
    assert refused(b"%PDF-1.7\nthis is not a PDF at all" * 10).code == "malformed"


def test_a_file_that_starts_like_a_jpeg_but_is_not_one_is_refused_as_broken() -> None:
    assert refused(b"\xff\xd8\xff\xe0" + b"garbage" * 50).code == "malformed"


def test_a_truncated_photo_is_refused() -> None:
    photo = samples.jpeg()
    assert refused(photo[: len(photo) // 2]).code == "malformed"


def test_an_empty_file_is_refused() -> None:
    assert refused(b"").code == "empty"


def test_a_file_over_the_size_limit_is_refused_with_the_limit_in_megabytes() -> None:
    error = refused(samples.pdf(), Limits(max_bytes=1000))
    assert error.code == "too_large"
    assert error.message == "Tệp quá lớn (tối đa 0 MB)."
    assert "20 MB" in refused(b"x" * (20 * 1024 * 1024 + 1)).message


# --- PDFs --------------------------------------------------------------------------------------


def test_a_plain_pdf_is_kept_as_it_is_with_its_page_count() -> None:
    data = samples.pdf(pages=3)
    checked = inspect_upload(data)
    assert checked.data == data
    assert checked.page_count == 3
    assert checked.extension == ".pdf"


def test_an_encrypted_pdf_is_refused() -> None:
    error = refused(samples.encrypted_pdf())
    assert error.code == "encrypted"
    assert "mật khẩu" in error.message


@pytest.mark.parametrize(
    "make",
    [
        samples.javascript_pdf,
        samples.open_action_javascript_pdf,
        samples.launch_pdf,
        samples.attachment_pdf,
    ],
    ids=["document-javascript", "open-action-javascript-hex-escaped", "launch-action", "embedded-file"],
)
def test_a_pdf_carrying_scripts_launch_actions_or_attachments_is_refused(make) -> None:
    assert refused(make()).code == "active_content"


def test_a_pdf_with_harmless_catalog_entries_passes() -> None:
    assert inspect_upload(samples.pdf_with_metadata_dict()).page_count == 1


def test_a_ten_thousand_page_pdf_is_refused_quickly() -> None:
    data = samples.many_pages_pdf(10_000)
    assert len(PdfReader(io.BytesIO(data)).pages) == 10_000  # a real PDF, not a pretend one
    started = time.perf_counter()
    error = refused(data)
    assert error.code == "too_many_pages"
    assert error.message == "Tệp có quá nhiều trang (tối đa 200 trang)."
    assert time.perf_counter() - started < 2


def test_a_pdf_whose_page_count_lies_is_counted_for_real() -> None:
    data = samples.many_pages_pdf(300).replace(b"/Count 300", b"/Count 1  ")
    assert refused(data).code == "too_many_pages"


def test_a_pdf_stream_that_inflates_beyond_the_limit_is_refused_as_a_bomb() -> None:
    bomb = samples.flate_bomb_pdf(64 * 1024 * 1024)
    assert len(bomb) < 200 * 1024
    error = refused(bomb, Limits(max_expanded_bytes=16 * 1024 * 1024))
    assert error.code == "expands_too_much"


def test_a_pdf_stream_within_the_limit_passes() -> None:
    assert inspect_upload(samples.flate_bomb_pdf(4 * 1024 * 1024), Limits(max_expanded_bytes=16 * 1024 * 1024))


# --- Images ------------------------------------------------------------------------------------


def test_a_png_claiming_ten_billion_pixels_is_refused_without_being_decoded() -> None:
    bomb = samples.png_bomb()
    assert len(bomb) < 10_000
    started = time.perf_counter()
    error = refused(bomb)
    assert error.code == "too_many_pixels"
    assert "64 triệu điểm ảnh" in error.message
    assert time.perf_counter() - started < 1


def test_gps_position_and_camera_serial_are_stripped_from_a_photo() -> None:
    photo = samples.jpeg(exif=samples.gps_exif())
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)  # the sample does carry GPS
    checked = inspect_upload(photo)
    cleaned = Image.open(io.BytesIO(checked.data))
    assert not cleaned.getexif()
    assert b"R58M12345" not in checked.data and b"Samsung" not in checked.data
    assert cleaned.size == Image.open(io.BytesIO(photo)).size


def test_stripping_keeps_the_picture_unchanged() -> None:
    photo = samples.jpeg(exif=samples.gps_exif())
    before = Image.open(io.BytesIO(photo)).convert("L")
    after = Image.open(io.BytesIO(inspect_upload(photo).data)).convert("L")
    assert before.tobytes() == after.tobytes()


def test_data_hidden_after_the_end_of_a_photo_is_dropped() -> None:
    photo = samples.jpeg()
    checked = inspect_upload(photo + b"PK\x03\x04 a zip hidden after the picture")
    assert checked.data.endswith(b"\xff\xd9")
    assert b"PK\x03\x04" not in checked.data


def test_a_photo_turned_by_its_exif_orientation_is_stored_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    exif[0x010F] = "Samsung"
    photo = samples.jpeg(Image.new("L", (400, 200), 255), exif=exif)
    cleaned = Image.open(io.BytesIO(inspect_upload(photo).data))
    assert cleaned.size == (200, 400)
    assert not cleaned.getexif()


def test_text_and_exif_chunks_are_stripped_from_a_png() -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Nguyễn Văn An 0905123456")
    data = samples.png(pnginfo=info, exif=samples.gps_exif())
    checked = inspect_upload(data)
    assert b"0905123456" not in checked.data and b"eXIf" not in checked.data and b"tEXt" not in checked.data
    assert Image.open(io.BytesIO(checked.data)).tobytes() == Image.open(io.BytesIO(data)).tobytes()


def test_gps_tags_are_stripped_from_a_scanner_tiff_of_two_pages() -> None:
    pages = [samples.scan_image(["Trang 1"], size=(300, 400)), samples.scan_image(["Trang 2"], size=(300, 400))]
    out = io.BytesIO()
    pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:], exif=samples.gps_exif(), dpi=(150, 150))
    checked = inspect_upload(out.getvalue())
    assert checked.page_count == 2
    cleaned = Image.open(io.BytesIO(checked.data))
    assert not cleaned.getexif().get_ifd(0x8825) and 0x010F not in cleaned.getexif()
    assert b"R58M12345" not in checked.data


# --- Names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\An\\Giấy khai sinh.pdf", "Giấy khai sinh.pdf"),
        ("..hidden.pdf", "hidden.pdf"),
        ("a<b>c:d|e?.pdf", "a_b_c_d_e_.pdf"),
        ("dong\nmoi\x00.pdf", "dong_moi_.pdf"),
        ("", "tep"),
        ("/", "tep"),
    ],
)
def test_names_lose_their_folders_and_unsafe_characters(given: str, expected: str) -> None:
    assert sanitize_name(given) == expected


def test_names_are_nfc_and_bounded() -> None:
    decomposed = "Gia\u0301y khai sinh.pdf"  # "Giáy" written with a combining accent, as phones send
    assert sanitize_name(decomposed) == "Giáy khai sinh.pdf"
    long = sanitize_name("ả" * 500 + ".pdf")
    assert len(long) == 120 and long.endswith(".pdf")


def test_the_real_extension_replaces_the_claimed_one() -> None:
    assert sanitize_name("anh-chup.jpg", extension=".pdf") == "anh-chup.pdf"
    assert sanitize_name("khong-duoi", extension=".png") == "khong-duoi.png"
