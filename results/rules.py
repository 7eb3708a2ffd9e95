"""Plain rules of electronic results: their codes, where the QR code points, what a
verification verdict tells a reader. No I/O."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .signing import Verdict

# Mã kết quả: the dossier code (<agency code>-YYMMDD-NNNN) followed by -KQ<n>.
CODE_PATTERN = re.compile(r"^[0-9A-Za-z._]+-\d{6}-\d{4,}-KQ\d{1,4}$", re.IGNORECASE)
VERIFY_PATH = "/xac-thuc-ket-qua/"


def result_code(dossier_code: str, n: int) -> str:
    """ "000.00.01.H41-251103-0001-KQ1": the n-th result (from 1) of the dossier."""
    if not dossier_code:
        raise ValueError("A dossier without a code has no result code.")
    if n < 1:
        raise ValueError("Results are numbered from 1.")
    return f"{dossier_code}-KQ{n}"


def normalize_code(text: str) -> str | None:
    """What a person typed or a QR code carried, as a result code; None if it cannot be one."""
    value = "".join(text.split())[:100]
    return value if CODE_PATTERN.match(value) else None


def verify_url(code: str, base_url: str) -> str:
    """The public verification page with the code filled in (the QR code on the document)."""
    return f"{base_url.rstrip('/')}{VERIFY_PATH}?ma={quote(code, safe='')}"


VERDICT_MESSAGES: dict[Verdict, Promise] = {
    Verdict.VALID: _("Chữ ký số hợp lệ: văn bản do cơ quan có tên dưới đây ký và không bị thay đổi từ khi ký."),
    Verdict.MODIFIED: _(
        "Chữ ký số đúng với phần văn bản đã ký, nhưng tệp đã bị thêm nội dung sau khi ký. "
        "Phần thêm vào không được ký; hãy dùng bản gốc do cơ quan cấp."
    ),
    Verdict.UNTRUSTED: _(
        "Chữ ký số không do cơ quan nhà nước được công nhận ký (chứng thư số không thuộc tổ chức "
        "chứng thực tin cậy). Văn bản này không phải kết quả hợp lệ."
    ),
    Verdict.ALTERED: _(
        "Chữ ký số không hợp lệ: nội dung tệp đã bị sửa sau khi ký hoặc chữ ký bị hỏng. Văn bản này không còn giá trị."
    ),
    Verdict.UNSIGNED: _("Tệp PDF này không có chữ ký số, nên không phải kết quả điện tử đã ký."),
    Verdict.NOT_PDF: _("Tệp này không phải tệp PDF đọc được. Hãy tải lên đúng tệp kết quả (PDF)."),
}
