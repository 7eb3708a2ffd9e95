"""The common document types people hand in (loại giấy tờ), with the words that name them in the
catalog's required documents. Administrators add more in the admin. Loaded by migration 0002
and again by ``document_types_seed`` (tests that empty the database, demo data)."""

from __future__ import annotations

TYPES: list[tuple[str, str, int | None, str]] = [
    (
        "can-cuoc",
        "Thẻ Căn cước, Căn cước công dân",
        None,
        "căn cước công dân\ncăn cước\nchứng minh nhân dân\nthẻ căn cước",
    ),
    ("ho-chieu", "Hộ chiếu", None, "hộ chiếu"),
    ("giay-khai-sinh", "Giấy khai sinh", None, "giấy khai sinh\ntrích lục khai sinh"),
    ("giay-chung-nhan-ket-hon", "Giấy chứng nhận kết hôn", None, "giấy chứng nhận kết hôn\ntrích lục kết hôn"),
    ("giay-chung-tu", "Giấy chứng tử", None, "giấy chứng tử\ntrích lục khai tử"),
    (
        "xac-nhan-tinh-trang-hon-nhan",
        "Giấy xác nhận tình trạng hôn nhân",
        6,
        "giấy xác nhận tình trạng hôn nhân\nxác nhận tình trạng hôn nhân",
    ),
    (
        "xac-nhan-cu-tru",
        "Giấy xác nhận thông tin về cư trú",
        None,
        "xác nhận thông tin về cư trú\nxác nhận cư trú\nsổ hộ khẩu",
    ),
    (
        "giay-chung-nhan-qsdd",
        "Giấy chứng nhận quyền sử dụng đất",
        None,
        "giấy chứng nhận quyền sử dụng đất\nsổ đỏ\nsổ hồng\ngiấy chứng nhận quyền sở hữu nhà ở",
    ),
    (
        "dang-ky-doanh-nghiep",
        "Giấy chứng nhận đăng ký doanh nghiệp",
        None,
        "giấy chứng nhận đăng ký doanh nghiệp\ngiấy chứng nhận đăng ký hộ kinh doanh\nđăng ký kinh doanh",
    ),
    ("giay-phep-lai-xe", "Giấy phép lái xe", None, "giấy phép lái xe"),
    ("giay-phep-xay-dung", "Giấy phép xây dựng", None, "giấy phép xây dựng"),
    ("van-bang", "Văn bằng, chứng chỉ", None, "bằng tốt nghiệp\nvăn bằng\nchứng chỉ"),
    ("giay-kham-suc-khoe", "Giấy khám sức khỏe", 12, "giấy khám sức khỏe\ngiấy chứng nhận sức khỏe"),
    ("phieu-ly-lich-tu-phap", "Phiếu lý lịch tư pháp", 6, "phiếu lý lịch tư pháp\nlý lịch tư pháp"),
    ("to-khai", "Tờ khai, đơn đề nghị", None, "tờ khai\nđơn đề nghị\nđơn xin"),
]


def document_types_seed(model: type | None = None) -> None:
    """Creates the common types that are missing (idempotent; never changes an edited type)."""
    if model is None:
        from .models import DocumentType

        model = DocumentType
    for code, name, months, keywords in TYPES:
        model._default_manager.get_or_create(  # type: ignore[attr-defined]
            code=code, defaults={"name": name, "valid_months": months, "keywords": keywords}
        )
