"""Demo catalog data for ``manage.py load_demo``, on top of the imported real procedures: which
province agencies play each published implementing agency, life events (sự kiện đời sống), an
estimate of how much each procedure is used, and search synonyms. Every function can run again
without changing anything."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery

from common.text import fold
from org.demo import OrgDemo
from org.models import Agency

from . import rules
from .models import ImplementingAgency, LifeEvent, Procedure, ProcedureVersion, SearchSynonym
from .services import procedure_version_set_working_days

# --- Implementing agencies → the province's agencies -----------------------------------------------

COMMUNE_PEOPLES_COMMITTEES = "*communes"
COMMUNE_POLICE = "*commune_police"

# Published names (compared folded) → keys of org.demo agencies, or all communes' committees or
# police. Central bodies, schools and private organizations are not the province's agencies.
AGENCY_LINKS: dict[str, list[str]] = {
    COMMUNE_PEOPLES_COMMITTEES: [
        "Ủy ban nhân dân cấp xã",
        "UBND cấp xã",
        "Ủy ban nhân dân xã",
        "Chủ tịch Ủy ban nhân dân xã",
        "Chủ tịch UBND cấp xã",
        "Cơ quan quản lý đất đai cấp xã",
    ],
    COMMUNE_POLICE: ["Công an cấp Xã"],
    "ubnd_tinh": [
        "Ủy ban nhân dân cấp tỉnh",
        "Chủ tịch ủy ban nhân dân cấp tỉnh",
        "Ủy ban nhân dân tỉnh và thành phố trực thuộc Trung ương",
    ],
    "tu_phap": ["Sở Tư pháp", "Giám đốc Sở Tư pháp"],
    "tai_chinh": ["Sở Tài chính", "Sở Tài chính các tỉnh, thành phố"],
    "xay_dung": ["Sở Xây dựng", "Bộ phận Một cửa Sở Xây dựng"],
    "y_te": ["Sở Y tế", "Cơ quan chuyên môn về y tế thuộc Ủy ban nhân dân cấp tỉnh"],
    "cong_an_tinh": [
        "Công an tỉnh",
        "Công an cấp Tỉnh",
        "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        "Phòng cảnh sát quản lý hành chính về trật tự xã hội",
        "Phòng quản lý xuất nhập cảnh",
        "Phòng xuất nhập cảnh",
    ],
    "nong_nghiep_moi_truong": [
        "Sở Nông nghiệp và Môi trường",
        "Cơ quan có chức năng quản lý đất đai cấp tỉnh",
        "Chi cục Kiểm lâm",
        "Cơ quan quản lý chuyên ngành thú y cấp tỉnh",
        "Bộ phận Một cửa Sở Nông nghiệp và Phát triển nông thôn",
    ],
    "vp_dang_ky_dat_dai": ["Văn phòng đăng ký đất đai", "Chi nhánh Văn phòng đăng ký đất đai"],
    "noi_vu": ["Sở Nội vụ"],
    "giao_duc": ["Sở Giáo dục và Đào tạo", "Sở Giáo dục đào tạo"],
    "cong_thuong": ["Sở Công thương", "Bộ phận Một cửa Sở Công thương"],
    "van_hoa": [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Văn hóa và Thể thao",
        "Sở Du lịch",
        "Cơ quan chuyên môn về thể dục, thể thao thuộc Ủy ban nhân dân cấp tỉnh",
    ],
    "khoa_hoc_cong_nghe": ["Cơ quan chuyên môn về khoa học và công nghệ thuộc UBND cấp tỉnh"],
    "bhxh_tinh": ["Bảo hiểm xã hội tỉnh", "Bảo hiểm xã hội cấp Tỉnh"],
}


def link_implementing_agencies(org: OrgDemo) -> int:
    """Link each published implementing agency to the demo province's agencies that play it.
    Returns the number of implementing agencies linked."""
    targets: dict[str, list[Agency]] = {}
    for key, names in AGENCY_LINKS.items():
        if key == COMMUNE_PEOPLES_COMMITTEES:
            agencies = list(org.commune_agencies.values())
        elif key == COMMUNE_POLICE:
            agencies = list(org.commune_police.values())
        else:
            agencies = [org.agencies[key]]
        for name in names:
            targets[fold(name)] = agencies
    linked = 0
    for implementing in ImplementingAgency.objects.prefetch_related("agencies"):
        wanted = targets.get(fold(implementing.name))
        if wanted is None:
            continue
        linked += 1
        if {a.pk for a in implementing.agencies.all()} != {a.pk for a in wanted}:
            implementing.agencies.set(wanted)
    return linked


# --- The newest version of each procedure, for matching names and categories -------------------


@dataclass(frozen=True)
class _Entry:
    procedure_id: int
    name: str  # folded, with spaces around for whole-word matching
    category: str


def _entries() -> list[_Entry]:
    newest = (
        ProcedureVersion.objects.filter(procedure=OuterRef("procedure"))
        .order_by("-decision__effective_on", "-id")
        .values("id")[:1]
    )
    rows = ProcedureVersion.objects.filter(id=Subquery(newest)).values_list(
        "procedure_id", "name", "field__category__name"
    )
    return [_Entry(pid, f" {fold(name)} ", category or "") for pid, name, category in rows]


def _has(entry: _Entry, phrases: Iterable[str]) -> bool:
    return any(f" {fold(p)} " in entry.name for p in phrases)


# --- Life events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LifeEventRule:
    name: str
    description: str
    categories: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()


LIFE_EVENTS: tuple[LifeEventRule, ...] = (
    LifeEventRule(
        "Khai sinh, nuôi con",
        "Đăng ký khai sinh, nhận cha mẹ con, nhận con nuôi, giám hộ, chế độ thai sản, thẻ cho trẻ em.",
        phrases=("khai sinh", "nhận cha, mẹ, con", "con nuôi", "thai sản", "giám hộ", "dưới 14 tuổi", "trẻ em"),
        excluded=("trẻ em mẫu giáo", "trẻ em mầm non", "trẻ em nhà trẻ"),
    ),
    LifeEventRule(
        "Kết hôn, gia đình",
        "Đăng ký kết hôn, xác nhận tình trạng hôn nhân, ghi chú ly hôn, nhận cha mẹ con, tách hộ.",
        phrases=("kết hôn", "tình trạng hôn nhân", "ly hôn", "nhận cha, mẹ, con", "tách hộ"),
    ),
    LifeEventRule(
        "Cư trú, giấy tờ tùy thân",
        "Thường trú, tạm trú, thẻ căn cước, định danh điện tử, hộ chiếu.",
        categories=("Cư trú", "Căn cước, định danh điện tử", "Xuất nhập cảnh"),
        phrases=("hộ chiếu",),
    ),
    LifeEventRule(
        "Lái xe, phương tiện",
        "Giấy phép lái xe, đăng ký xe và biển số, vận tải.",
        phrases=(
            "giấy phép lái xe",
            "bằng lái xe",
            "đăng ký xe",
            "biển số xe",
            "xe tập lái",
            "dạy thực hành lái xe",
            "phù hiệu cho xe",
            "vận tải",
        ),
    ),
    LifeEventRule(
        "Đất đai, nhà ở, xây dựng",
        "Giấy chứng nhận quyền sử dụng đất, biến động đất đai, giấy phép xây dựng, nhà ở xã hội.",
        categories=(
            "Đất đai",
            "Xây dựng",
            "Nhà ở, kinh doanh bất động sản, kiến trúc",
            "Thuế, tài chính đất đai (cá nhân)",
        ),
        phrases=("biện pháp bảo đảm bằng quyền sử dụng đất", "nhà ở riêng lẻ"),
    ),
    LifeEventRule(
        "Kinh doanh, doanh nghiệp, đầu tư",
        "Thành lập và thay đổi doanh nghiệp, hộ kinh doanh, hợp tác xã, dự án đầu tư, điều kiện kinh doanh.",
        categories=("Đăng ký doanh nghiệp", "Hộ kinh doanh", "Hợp tác xã, tổ hợp tác", "Đầu tư", "Công thương"),
        phrases=("kinh doanh",),
    ),
    LifeEventRule(
        "Việc làm, lao động nước ngoài",
        "Giấy phép lao động cho người nước ngoài, trợ cấp thất nghiệp, hỗ trợ việc làm và học nghề.",
        categories=("Lao động, việc làm",),
        phrases=("người lao động có thu nhập thấp",),
    ),
    LifeEventRule(
        "Khi có người qua đời",
        "Đăng ký khai tử, trợ cấp mai táng và tuất, di chúc và di sản.",
        phrases=("khai tử", "mai táng", "tuất", "di chúc", "phân chia di sản", "nhận di sản"),
    ),
    LifeEventRule(
        "Chứng thực, công chứng, tư pháp",
        "Chứng thực bản sao, chữ ký, giao dịch; lý lịch tư pháp; quốc tịch; luật sư, công chứng, trợ giúp pháp lý.",
        categories=(
            "Chứng thực",
            "Tư pháp khác (con nuôi, quốc tịch, LLTP, BPBĐ, luật sư, công chứng, TGPL, hòa giải)",
        ),
        phrases=("cải chính", "xác nhận thông tin hộ tịch"),
    ),
    LifeEventRule(
        "Sức khỏe, bảo hiểm",
        "Bảo hiểm xã hội, bảo hiểm y tế, khám chữa bệnh, ốm đau, hưu trí.",
        categories=("Bảo hiểm xã hội, bảo hiểm y tế",),
        phrases=("bảo hiểm y tế", "khám bệnh, chữa bệnh", "tiêm chủng", "hưu trí", "bệnh nghề nghiệp"),
    ),
    LifeEventRule(
        "Học tập",
        "Tuyển sinh, văn bằng, học phí, học bổng và hỗ trợ học tập, giáo dục nghề nghiệp.",
        categories=("Giáo dục, đào tạo",),
        phrases=("kỹ năng nghề", "đào tạo nghề"),
        excluded=("luật sư",),
    ),
)


def _matches(rule: LifeEventRule, entry: _Entry) -> bool:
    if rule.excluded and _has(entry, rule.excluded):
        return False
    return entry.category in rule.categories or _has(entry, rule.phrases)


def seed_life_events() -> dict[str, int]:
    """Create the life events and link each to its procedures. Returns the count per event."""
    entries = _entries()
    counts: dict[str, int] = {}
    for position, rule in enumerate(LIFE_EVENTS, start=1):
        event = LifeEvent.objects.filter(name=rule.name).first()
        values = {
            "slug": rules.slugify_vi(rule.name, max_length=120),
            "description": rule.description,
            "position": position,
        }
        if event is None:
            event = LifeEvent.objects.create(name=rule.name, **values)
        elif any(getattr(event, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(event, key, value)
            event.save()
        wanted = {e.procedure_id for e in entries if _matches(rule, e)}
        if set(event.procedures.values_list("pk", flat=True)) != wanted:
            event.procedures.set(wanted)
        counts[rule.name] = len(wanted)
    return counts


# --- Popularity ------------------------------------------------------------------------------------

# Dossiers a year, a demo estimate for a province of about two million people: what people do
# most (copies, residence, identity cards, civil status) first. The first matching phrase wins,
# so rare variants come before the common procedure they name.
POPULARITY_BY_PHRASE: tuple[tuple[str, int], ...] = (
    ("yếu tố nước ngoài", 150),
    ("khu vực biên giới", 30),
    ("lưu động", 80),
    ("đăng ký lại", 300),
    ("thực hiện tại cấp tỉnh", 3000),
    ("liên thông", 8000),
    ("kết hợp đăng ký nhận cha, mẹ, con", 800),
    ("người đã có hồ sơ, giấy tờ cá nhân", 500),
    ("chứng thực bản sao", 60000),
    ("chứng thực chữ ký người dịch", 3000),
    ("chứng thực chữ ký", 20000),
    ("xóa đăng ký thường trú", 4000),
    ("xóa đăng ký tạm trú", 4000),
    ("khai báo thông tin về cư trú", 1500),
    ("diện tích bình quân nhà ở", 500),
    ("thẻ căn cước", 25000),
    ("đăng ký tạm trú", 20000),
    ("đăng ký thường trú", 15000),
    ("xác nhận thông tin về cư trú", 12000),
    ("đăng ký khai sinh", 12000),
    ("trích lục hộ tịch", 10000),
    ("tình trạng hôn nhân", 9000),
    ("thẻ bảo hiểm y tế", 8000),
    ("giấy phép lái xe", 8000),
    ("đăng ký kết hôn", 7000),
    ("biển số xe", 6000),
    ("lý lịch tư pháp", 6000),
    ("hộ chiếu", 6000),
    ("đăng ký khai tử", 5000),
    ("bảo hiểm xã hội một lần", 5000),
    ("chứng thực giao dịch", 5000),
    ("thất nghiệp", 4000),
    ("thai sản", 4000),
    ("cấp đổi giấy chứng nhận quyền sử dụng đất", 3000),
    ("hộ kinh doanh", 3000),
    ("khai báo tạm vắng", 3000),
    ("gia hạn tạm trú", 3000),
    ("tách hộ", 2000),
    ("cải chính", 2000),
    ("giấy phép xây dựng", 1500),
    ("đăng ký thành lập", 1200),
    ("nhận cha, mẹ, con", 800),
)
POPULARITY_BY_CATEGORY: dict[str, int] = {
    "Chứng thực": 3000,
    "Căn cước, định danh điện tử": 3000,
    "Cư trú": 2000,
    "Bảo hiểm xã hội, bảo hiểm y tế": 2000,
    "Đất đai": 1200,
    "Giao thông (GPLX, đăng ký xe, đường bộ)": 800,
    "Đăng ký doanh nghiệp": 600,
    "Hộ tịch": 500,
    "Lao động, việc làm": 500,
    "Giáo dục, đào tạo": 400,
    "Xây dựng": 300,
}
POPULARITY_DEFAULT = 100


def estimated_popularity(name: str, category: str) -> int:
    """The demo estimate of dossiers a year for a procedure with this name and category."""
    entry = _Entry(0, f" {fold(name)} ", category)
    for phrase, value in POPULARITY_BY_PHRASE:
        if _has(entry, (phrase,)):
            return value
    return POPULARITY_BY_CATEGORY.get(category, POPULARITY_DEFAULT)


def estimate_popularity() -> int:
    """Give every procedure still without a figure (0) the demo estimate; a figure set otherwise
    (from real dossiers) is kept. Returns the number of procedures updated."""
    entries = {e.procedure_id: e for e in _entries()}
    updated = 0
    for procedure in Procedure.objects.filter(popularity=0, pk__in=entries):
        entry = entries[procedure.pk]
        value = estimated_popularity(entry.name.strip(), entry.category)
        Procedure.objects.filter(pk=procedure.pk).update(popularity=value)
        updated += 1
    return updated


# --- Search synonyms -------------------------------------------------------------------------------

# Each group: words citizens use that mean the same thing. Only real synonyms (abbreviations,
# colloquial names, old names), never a hint towards one procedure.
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("vi", "cmnd, cccd, căn cước, căn cước công dân, chứng minh nhân dân, thẻ căn cước"),
    ("vi", "sổ đỏ, sổ hồng, giấy chứng nhận quyền sử dụng đất"),
    ("vi", "hộ khẩu, thường trú, sổ hộ khẩu"),
    ("vi", "nhập hộ khẩu, đăng ký thường trú"),
    ("vi", "cắt hộ khẩu, xóa hộ khẩu, xóa đăng ký thường trú"),
    ("vi", "tách hộ khẩu, tách hộ"),
    ("vi", "bằng lái, bằng lái xe, gplx, giấy phép lái xe"),
    ("vi", "giấy phép kinh doanh, đăng ký kinh doanh, đăng ký hộ kinh doanh, hộ kinh doanh"),
    ("vi", "passport, hộ chiếu"),
    ("vi", "visa, thị thực"),
    ("vi", "công chứng, chứng thực"),
    ("vi", "độc thân, xác nhận tình trạng hôn nhân, tình trạng hôn nhân"),
    ("vi", "báo tử, khai tử"),
    ("vi", "bhxh, bảo hiểm xã hội"),
    ("vi", "bhyt, bảo hiểm y tế"),
    ("vi", "bhtn, bảo hiểm thất nghiệp"),
    ("vi", "tiền thất nghiệp, trợ cấp thất nghiệp"),
    ("vi", "rút bhxh, rút bảo hiểm xã hội, hưởng bảo hiểm xã hội một lần"),
    ("vi", "lương hưu, hưu trí"),
    ("vi", "vneid, định danh điện tử, tài khoản định danh điện tử"),
    ("vi", "mức 2, mức độ 2, mức độ 02"),
    ("vi", "giấy phép xây dựng, xin phép xây dựng, gpxd"),
    ("vi", "làm giấy khai sinh, khai sinh"),
    ("vi", "đăng ký kết hôn, làm giấy đăng ký kết hôn, giấy chứng nhận kết hôn"),
    ("vi", "ct07, xác nhận cư trú, giấy xác nhận cư trú, xác nhận thông tin về cư trú"),
    ("vi", "sang tên xe, thay đổi chủ xe"),
    ("vi", "làm lại, cấp lại"),
    ("vi", "mua bán đất, chuyển nhượng quyền sử dụng đất"),
    ("vi", "ủy ban xã, ubnd xã, ủy ban nhân dân xã, ủy ban nhân dân cấp xã"),
    ("vi", "tnhh, trách nhiệm hữu hạn"),
    ("vi", "lý lịch tư pháp, lltp"),
    ("vi", "work permit, giấy phép lao động"),
    ("en", "driving licence, driving license, driver's license, driver license, driving permit"),
    ("en", "ID card, identity card, citizen ID, citizen identity card"),
    ("en", "work permit, labour permit, labor permit"),
    ("en", "passport, travel document"),
    ("en", "renewal, renew, exchange"),
    ("en", "replacement, replace, reissue, re-issuance, reissuance"),
    ("en", "certified copy, certification of copies, attested copy"),
    ("en", "residence registration, residency registration"),
    ("en", "marital status certificate, certificate of marital status, single status certificate"),
    ("en", "household business, family business, family shop, small shop"),
    ("en", "notarized copy, notarised copy, certification of copies"),
    ("en", "get married, marriage registration"),
    ("en", "criminal record, judicial record, police clearance"),
    ("en", "unemployment allowance, unemployment benefits, unemployment benefit, jobless benefit"),
    ("en", "newborn, new baby, birth"),
    ("en", "register, registration"),
    ("en", "single status, unmarried, marital status"),
    ("en", "visa, visas, entry visa"),
    ("zh-hans", "驾照, 驾驶证"),
    ("zh-hans", "补办, 补发"),
    ("zh-hans", "换证, 换发"),
    ("zh-hans", "单身证明, 未婚证明, 婚姻状况确认书"),
    ("zh-hans", "土地证, 红本, 土地使用权"),
    ("zh-hans", "暂住证, 暂住"),
    ("zh-hans", "个体户, 个体工商户"),
    ("zh-hans", "注册, 登记"),
    ("zh-hans", "出生证明, 出生证, 出生登记"),
    ("zh-hans", "死亡证明, 死亡登记"),
    ("zh-hans", "结婚证, 结婚登记"),
    ("ko", "출생신고, 출생 등록"),
    ("ko", "혼인신고, 혼인 등록"),
    ("ko", "사망신고, 사망 등록"),
    ("ko", "갱신, 교체 발급, 교환 발급"),
    ("ko", "미혼증명서, 독신증명서, 혼인 상태 확인서"),
    ("ko", "공증, 인증"),
    ("ko", "개인사업자, 개인 사업자"),
    ("ja", "出生届, 出生登録"),
    ("ja", "婚姻届, 婚姻登録"),
    ("ja", "死亡届, 死亡登録"),
    ("ja", "再発行, 再交付"),
    ("ja", "独身証明書, 婚姻要件具備証明書, 婚姻状況確認書"),
    ("ja", "開業, 設立"),
)


def seed_synonyms() -> int:
    """Create the synonym groups that are not there yet. Returns how many were created."""
    created = 0
    for language, phrases in SYNONYMS:
        _, was_created = SearchSynonym.objects.get_or_create(language=language, phrases=phrases)
        created += was_created
    return created


# --- Working days a controller confirmed ------------------------------------------------------------

# The most used procedures whose published time gives no unit ("1", "3") or none at all: the
# province's controller confirmed them in working days from the law that sets them, so that they
# can take online dossiers with a due date. (Procedure code, working days, why.)
CONFIRMED_WORKING_DAYS: tuple[tuple[str, int, str], ...] = (
    (
        "1.001193",
        1,
        "Luật Hộ tịch 2014, Điều 16: khai sinh ngay trong ngày (nhận sau 15 giờ: ngày làm việc tiếp theo).",
    ),
    ("1.000894", 1, "Luật Hộ tịch 2014, Điều 18: đăng ký kết hôn ngay sau khi nhận đủ giấy tờ."),
    ("1.000656", 1, "Luật Hộ tịch 2014, Điều 34: đăng ký khai tử ngay sau khi nhận đủ giấy tờ."),
    ("1.004873", 3, "Nghị định 123/2015/NĐ-CP, Điều 22: xác nhận tình trạng hôn nhân trong 03 ngày làm việc."),
    ("2.000815", 1, "Nghị định 23/2015/NĐ-CP, Điều 7: chứng thực trong ngày cơ quan tiếp nhận yêu cầu."),
    ("2.000884", 1, "Nghị định 23/2015/NĐ-CP, Điều 7: chứng thực trong ngày cơ quan tiếp nhận yêu cầu."),
    ("2.000635", 1, "Luật Hộ tịch 2014, Điều 64: cấp bản sao trích lục hộ tịch ngay khi nhận yêu cầu."),
)


def confirm_working_days(*, actor: Any = None) -> int:
    """Apply ``CONFIRMED_WORKING_DAYS`` to the public versions still without working days."""
    changed = 0
    for code, days, reason in CONFIRMED_WORKING_DAYS:
        for version in ProcedureVersion.objects.filter(procedure__code=code, processing_days__isnull=True):
            procedure_version_set_working_days(version=version, days=days, actor=actor, reason=reason)
            changed += 1
    return changed
