"""Why an upload is refused (tệp bị từ chối): a stable code for the API and tests, and a message
in plain Vietnamese for the person who sent it."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MESSAGES: dict[str, Promise] = {
    "empty": _("Tệp trống, hãy chọn lại tệp."),
    "too_large": _("Tệp quá lớn (tối đa %(limit)s MB)."),
    "unsupported_type": _("Chỉ nhận tệp PDF, JPEG, PNG hoặc TIFF; nội dung tệp này không thuộc các loại đó."),
    "malformed": _("Tệp bị hỏng hoặc không đọc được, hãy quét hoặc xuất lại tệp."),
    "encrypted": _("Tệp PDF có mật khẩu hoặc bị mã hóa; hãy gửi bản không đặt mật khẩu."),
    "active_content": _("Tệp PDF có chứa mã lệnh, tệp đính kèm hoặc lệnh tự chạy nên không được nhận."),
    "too_many_pages": _("Tệp có quá nhiều trang (tối đa %(limit)s trang)."),
    "too_many_pixels": _("Ảnh quá lớn (tối đa %(limit)s triệu điểm ảnh); hãy quét ở độ phân giải thấp hơn."),
    "expands_too_much": _("Tệp giải nén ra dữ liệu quá lớn, có dấu hiệu tệp độc hại nên không được nhận."),
    "infected": _("Tệp có dấu hiệu nhiễm mã độc nên không được nhận."),
    "scanner_unavailable": _("Chưa kiểm tra được mã độc cho tệp; hãy thử lại sau ít phút."),
}


class UploadRejected(Exception):
    """A file that may not be stored. ``code`` is one of ``MESSAGES``; ``message`` is the
    localized sentence to show (it never repeats the file's content)."""

    def __init__(self, code: str, message: str | None = None, **params: object) -> None:
        if code not in MESSAGES:
            raise ValueError(f"Unknown upload refusal code {code!r}")
        self.code = code
        self.params = params
        if message is None:
            message = str(MESSAGES[code]) % params if params else str(MESSAGES[code])
        self.message = message
        # The sender's name for the file, sanitized, when known: "which file" in a list of several.
        self.file_name = ""
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
