"""Specification of the rules that read published procedure data (catalog.rules)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from catalog.rules import (
    REASON_BELOW_THOUSAND,
    REASON_COUNCIL,
    REASON_COUNCIL_AMOUNT,
    REASON_DISPLAY_CAVEAT,
    REASON_FOREIGN_CURRENCY,
    REASON_FREE_WITH_NOTE,
    REASON_NO_FEE_DATA,
    REASON_OTHER_AMOUNT,
    REASON_PERCENT,
    REASON_TIME_LIMITED,
    REASON_UNSPLITTABLE,
    FeeItemData,
    ProcessingTime,
    is_the_declaration_form,
    parse_channels,
    parse_fees,
    parse_levels,
    parse_processing_time,
    slugify_vi,
    split_agencies,
    split_template_name,
)


def shared_records() -> list[dict]:
    path = settings.SHARED_DATA_DIR / "procedures.json"
    return json.loads(path.read_text(encoding="utf-8"))


# --- Processing time -----------------------------------------------------------------------------


class TestProcessingTime:
    @pytest.mark.parametrize(
        ("text", "days"),
        [
            ("5 Ngày làm việc", 5),
            ("10 ngày làm việc", 10),
            ("05 ngày làm việc", 5),
            ("  3   Ngày   làm việc ", 3),
            ("Trực tuyến: 3 Ngày làm việc; Trực tiếp: 3 Ngày làm việc", 3),
            ("Trực tuyến: 10 Ngày làm việc; Dịch vụ bưu chính: 10 Ngày làm việc; Trực tiếp: 20 Ngày làm việc", 20),
            ("Trực tuyến: 15 Ngày làm việc; Dịch vụ bưu chính: 20 Ngày làm việc; Trực tiếp: 5 Ngày làm việc", 20),
            ("trực tuyến: 2 ngày làm việc", 2),
        ],
    )
    def test_working_days_in_every_channel_are_read_taking_the_longest(self, text, days):
        assert parse_processing_time(text) == ProcessingTime(days, False, "")

    def test_decomposed_unicode_reads_the_same(self):
        assert parse_processing_time(unicodedata.normalize("NFD", "7 Ngày làm việc")).days == 7

    @pytest.mark.parametrize(
        ("text", "reason_part"),
        [
            ("1", "không ghi đơn vị"),
            ("105", "không ghi đơn vị"),
            ("8 Giờ", "giờ"),
            ("10 Ngày", "ngày lịch"),
            ("30 ngày", "ngày lịch"),
            ("6 Tháng", "tháng"),
            ("5 - 7 ngày làm việc", "khoảng"),
            ("Từ 5 đến 7 ngày làm việc", "khoảng"),
            ("Ngay trong ngày", "không đọc được"),
            ("1,5 ngày làm việc", "không đọc được"),
            ("0 ngày làm việc", "không hợp lý"),
            ("Trực tuyến: 20 Ngày; Dịch vụ bưu chính: 20 Ngày; Trực tiếp: 15 Ngày", "ngày lịch"),
            ("Trực tuyến: 1; Dịch vụ bưu chính: 30 Ngày làm việc; Trực tiếp: 20 Ngày làm việc", "không ghi đơn vị"),
            ("Trực tuyến: 7 Ngày làm việc; Dịch vụ bưu chính: 7 Ngày làm việc; Trực tiếp: 17 Ngày", "ngày lịch"),
            ("Trực tiếp: 7 Ngày làm việc; Trực tiếp: 1 Giờ; Trực tiếp: 2 Ngày làm việc", "giờ"),
            ("3 ngày làm việc; Trực tiếp: 5 ngày làm việc", "không tách được"),
        ],
    )
    def test_anything_but_working_days_gives_no_days_and_a_reason(self, text, reason_part):
        result = parse_processing_time(text)
        assert result.days is None
        assert result.needs_review
        assert reason_part in result.reason

    @pytest.mark.parametrize("text", [None, "", "   ", "\x00"])
    def test_missing_time_is_flagged(self, text):
        assert parse_processing_time(text) == ProcessingTime(None, True, "chưa có dữ liệu thời hạn giải quyết")

    def test_several_values_for_one_channel_keep_the_longest_but_ask_for_review(self):
        result = parse_processing_time("Trực tuyến: 1 Ngày làm việc; Trực tuyến: 2 Ngày làm việc")
        assert result.days == 2
        assert result.needs_review
        assert "theo từng trường hợp" in result.reason

    @given(
        st.lists(
            st.tuples(st.sampled_from(["Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính"]), st.integers(1, 400)),
            min_size=1,
            max_size=6,
            unique_by=lambda t: t[0],
        ),
        st.sampled_from(["Ngày làm việc", "ngày làm việc", "NGÀY LÀM VIỆC"]),
    )
    def test_per_channel_working_days_give_their_maximum(self, values, unit):
        text = "; ".join(f"{channel}: {days} {unit}" for channel, days in values)
        result = parse_processing_time(text)
        assert result.days == max(days for _, days in values)
        assert not result.needs_review

    @given(st.text(max_size=80))
    def test_never_guesses_days_from_text_without_working_days(self, text):
        result = parse_processing_time(text)
        if result.days is not None:
            assert re.search(r"ngày\s+làm\s+việc", unicodedata.normalize("NFC", text), re.IGNORECASE)
        assert result.needs_review or result.days is not None

    def test_agrees_with_the_data_wherever_it_gives_days(self):
        """Wherever the parser gives days, they equal the data's processing_days column, and it
        gives days for every record where that column has them."""
        disagreements = []
        for record in shared_records():
            result = parse_processing_time(record["processing_time_text"])
            if result.days != record["processing_days"]:
                disagreements.append((record["code"], record["processing_time_text"], result.days))
        assert disagreements == []


# --- Fees ----------------------------------------------------------------------------------------


class TestFees:
    def test_free_is_a_zero_item_for_every_channel(self):
        assert parse_fees("Miễn phí", False) == parse_fees("Miễn phí")
        result = parse_fees("Miễn phí", False)
        assert result.items == [FeeItemData("", 0, "", "")]
        assert not result.needs_review

    @pytest.mark.parametrize("note", ["Không", "Không có", "không có", "Không quy định.", "Miễn lệ phí"])
    def test_free_with_an_empty_note_is_still_free(self, note):
        result = parse_fees(f"Miễn phí ({note})", False)
        assert result.items == [FeeItemData("", 0)]
        assert not result.needs_review

    @pytest.mark.parametrize(
        ("text", "amount", "unit"),
        [
            ("50,000 Việt Nam Đồng (/di chúc)", 50_000, "di chúc"),
            ("10,000 Việt Nam Đồng (/trường hợp)", 10_000, "trường hợp"),
            ("50.000 đồng", 50_000, ""),
            ("8,000 VNĐ", 8_000, ""),
            (
                "4,500,000 Việt Nam Đồng (Lệ phí: 4.500.000 Đồng (bốn triệu năm trăm nghìn Việt Nam đồng))",
                4_500_000,
                "",
            ),
            ("300,000 Việt Nam Đồng (Phí thực hiện là 300.000 đồng/chứng chỉ)", 300_000, "chứng chỉ"),
            ("230,000 Việt Nam Đồng (Kiểm tra điều kiện cơ sở: 230.000/lần)", 230_000, "lần"),
            ("1000 VNĐ", 1000, ""),
        ],
    )
    def test_amounts_in_vnd_are_read_with_their_unit(self, text, amount, unit):
        result = parse_fees(text, False)
        assert [(i.channel, i.amount_vnd, i.unit) for i in result.items] == [("", amount, unit)]
        assert not result.needs_review

    def test_the_note_is_kept_as_the_description(self):
        (item,) = parse_fees("300,000 VNĐ (Theo quy định cụ thể của Bộ Tài chính.)", False).items
        assert item.description == "Theo quy định cụ thể của Bộ Tài chính."

    def test_per_channel_fees_give_one_item_per_channel(self):
        text = (
            "Trực tuyến: 10,000 Việt Nam Đồng (Trường hợp công dân nộp hồ sơ qua cổng dịch vụ công trực tuyến "
            "thu 10.000 đồng/lần đăng ký.); Dịch vụ bưu chính: Miễn phí; Trực tiếp: 20,000 Việt Nam Đồng"
        )
        result = parse_fees(text, False)
        assert [(i.channel, i.amount_vnd, i.unit) for i in result.items] == [
            ("online", 10_000, "lần đăng ký"),
            ("postal", 0, ""),
            ("in_person", 20_000, ""),
        ]
        assert not result.needs_review

    @pytest.mark.parametrize("text", ["100 VNĐ", "135 VNĐ (Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.)", "50 VNĐ"])
    def test_amounts_below_a_thousand_dong_are_flagged_not_imported(self, text):
        result = parse_fees(text, False)
        assert result.items == []
        assert result.needs_review
        assert REASON_BELOW_THOUSAND in result.reasons

    def test_a_flagged_channel_drops_only_its_own_items(self):
        result = parse_fees("Trực tuyến: Miễn phí; Dịch vụ bưu chính: 100 VNĐ; Trực tiếp: 100 VNĐ", False)
        assert result.items == [FeeItemData("online", 0)]
        assert result.needs_review
        assert f"dịch vụ bưu chính: {REASON_BELOW_THOUSAND}" in result.reasons
        assert f"trực tiếp: {REASON_BELOW_THOUSAND}" in result.reasons

    def test_a_channel_with_one_doubtful_value_gets_no_items(self):
        result = parse_fees("Trực tiếp: 2,000 Việt Nam Đồng (/trang); Trực tiếp: 10 USD (/bản)", False)
        assert result.items == []
        assert result.reasons == [f"trực tiếp: {REASON_FOREIGN_CURRENCY}"]

    @pytest.mark.parametrize(
        "text",
        [
            "Miễn phí (Theo quy định của Hội đồng nhân dân cấp tỉnh)",
            "Miễn phí (Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết định.)",
            "Miễn phí (do Ủy ban nhân dân cấp tỉnh quy định.)",
            "Miễn phí ((Mức lệ phí (nếu có) theo quy định của HĐND cấp tỉnh))",
        ],
    )
    def test_free_with_a_note_that_the_province_sets_the_fee_is_flagged(self, text):
        result = parse_fees(text, False)
        assert result.items == []
        assert result.reasons == [REASON_COUNCIL]

    def test_an_amount_with_a_note_that_the_council_decides_is_flagged(self):
        result = parse_fees("150,000 Việt Nam Đồng (- Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định)", False)
        assert result.items == []
        assert REASON_COUNCIL_AMOUNT in result.reasons

    def test_free_with_any_other_note_is_flagged(self):
        result = parse_fees("Miễn phí (Chưa quy định.)", False)
        assert result.items == []
        assert result.reasons == [REASON_FREE_WITH_NOTE]

    def test_display_caveat_means_no_items_at_all(self):
        result = parse_fees("Trực tuyến: Miễn phí; Trực tiếp: Miễn phí", True)
        assert result.items == []
        assert result.needs_review
        assert REASON_DISPLAY_CAVEAT in result.reasons

    @pytest.mark.parametrize("text", [None, "", "  "])
    def test_unknown_fee_gives_no_items(self, text):
        assert parse_fees(text, False).items == []
        assert parse_fees(text, False).reasons == [REASON_NO_FEE_DATA]

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            (
                "2,000 Việt Nam Đồng (2.000 đồng/trang; từ trang thứ 3 trở lên thu 1.000 đồng/trang)",
                REASON_OTHER_AMOUNT,
            ),
            ("800,000 Việt Nam Đồng (áp dụng mức phí 400.000 đồng/hồ sơ đến hết ngày 31/12/2026)", REASON_OTHER_AMOUNT),
            ("70,000 Việt Nam Đồng (trực tuyến bằng 50% mức thu lệ phí quy định)", REASON_PERCENT),
            ("50,000 VNĐ (Từ ngày 01/7/2025 đến hết ngày 31/12/2026 áp dụng)", REASON_TIME_LIMITED),
            ("10 USD", REASON_FOREIGN_CURRENCY),
        ],
    )
    def test_notes_that_change_the_amount_are_flagged(self, text, reason):
        result = parse_fees(text, False)
        assert result.items == []
        assert reason in result.reasons

    @pytest.mark.parametrize(
        "text",
        [
            "Theo quy định",
            "50000",
            "1,5 triệu đồng",
            "Lệ phí: 50.000 đồng",
            "50.000 đồng (ghi chú (chưa đóng",
            "Miễn phí; Trực tuyến: 50.000 đồng",
        ],
    )
    def test_text_that_cannot_be_read_with_certainty_gives_nothing(self, text):
        result = parse_fees(text, False)
        assert result.items == []
        assert result.needs_review

    def test_unbalanced_or_mixed_channel_text_cannot_be_split(self):
        assert parse_fees("Miễn phí; Trực tuyến: 50.000 đồng", False).reasons == [REASON_UNSPLITTABLE]

    @given(
        st.integers(1000, 10**9), st.sampled_from(["Việt Nam Đồng", "VNĐ", "đồng", "đ"]), st.sampled_from([",", "."])
    )
    def test_any_grouped_amount_round_trips(self, amount, currency, separator):
        text = f"{amount:,}".replace(",", separator) + f" {currency}"
        assert parse_fees(text, False).items == [FeeItemData("", amount)]

    @given(st.text(max_size=120), st.booleans())
    def test_never_emits_an_uncertain_amount(self, text, caveat):
        result = parse_fees(text, caveat)
        for item in result.items:
            assert item.amount_vnd == 0 or item.amount_vnd >= 1000
            assert item.channel in {"", "online", "in_person", "postal"}
        if caveat:
            assert result.items == []
        assert result.needs_review == bool(result.reasons)

    def test_statistics_on_the_shared_data(self):
        """Pin the outcome over the 379 records so that a change in the rules is noticed."""
        outcome = Counter()
        for record in shared_records():
            result = parse_fees(record["fee_text"], record["fee_display_caveat"])
            outcome["clean" if not result.needs_review else "partial" if result.items else "flagged"] += 1
            if record["fee_text"] is None or record["fee_display_caveat"]:
                assert result.items == []
        assert outcome == {"clean": 93, "partial": 8, "flagged": 278}


# --- Documents, levels, channels, slugs, agencies --------------------------------------------------


class TestTemplateNames:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            (
                "Tờ khai theo Nghị định số 151/2025/NĐ-CP;Mẫu số 14",
                ("Tờ khai theo Nghị định số 151/2025/NĐ-CP", "Mẫu số 14"),
            ),
            ("Tờ khai cấp thẻ căn cước (Mẫu TK01)", ("Tờ khai cấp thẻ căn cước", "Mẫu TK01")),
            (
                "Phiếu khai báo tạm trú cho người nước ngoài (mẫu NA17)",
                ("Phiếu khai báo tạm trú cho người nước ngoài", "Mẫu NA17"),
            ),
            (
                "Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp (Dùng cho cá nhân), Mẫu số 01/2025/LLTP;",
                ("Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp (Dùng cho cá nhân)", "Mẫu số 01/2025/LLTP"),
            ),
            (
                "Bản đăng ký theo mẫu tại Phụ lục IV ban hành kèm theo Nghị định số 112/2024/NĐ-CPPhụ lục IV-NĐ 112.",
                (
                    "Bản đăng ký theo mẫu tại Phụ lục IV ban hành kèm theo Nghị định số 112/2024/NĐ-CP",
                    "Phụ lục IV-NĐ 112",
                ),
            ),
            ("Đơn đề nghị hưởng chính sách (theo Mẫu số 04)", ("Đơn đề nghị hưởng chính sách", "Mẫu số 04")),
        ],
    )
    def test_a_glued_template_is_split_off(self, name, expected):
        assert split_template_name(name) == expected

    @pytest.mark.parametrize(
        "name",
        [
            "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất theo Mẫu số 18",
            "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA).",
            "Tờ khai đăng ký khai sinh theo mẫu.",
            "Giấy đề nghị đăng ký doanh nghiệp - Mẫu",
            "Mẫu số 14",
            "Bản vẽ thiết kế, phụ lục 01",
            "Sổ bảo hiểm xã hội;.",
        ],
    )
    def test_a_name_that_only_mentions_a_template_is_left_whole(self, name):
        assert split_template_name(name) == (name.strip(), "")

    @given(st.text(max_size=150))
    def test_splitting_never_loses_words(self, name):
        head, template = split_template_name(name)
        assert len(head) <= len(name) + 1
        if template:
            assert head and template
            assert len(head) + len(template) <= len(unicodedata.normalize("NFC", name)) + 1

    def test_about_one_in_two_hundred_real_names_carry_a_template(self):
        names = [d["name"] for r in shared_records() for d in r["documents_detail"] or []]
        split = [n for n in names if split_template_name(n)[1]]
        assert 5 <= len(split) <= 0.02 * len(names)


class TestLevelsAndChannels:
    def test_levels_are_validated_and_ordered(self):
        assert parse_levels("ministry,province") == ["ministry", "province"]
        assert parse_levels("commune,province,ministry") == ["ministry", "province", "commune"]
        assert parse_levels(" province , province ") == ["province"]
        assert parse_levels(None) == [] and parse_levels("") == []

    @pytest.mark.parametrize("level", ["district", "tỉnh", "province;commune"])
    def test_unknown_levels_are_refused(self, level):
        with pytest.raises(ValueError, match="cấp thực hiện không hợp lệ"):
            parse_levels(level)

    def test_channels_are_mapped_from_their_vietnamese_names(self):
        assert parse_channels(["Trực tiếp", "Dịch vụ bưu chính", "Trực tuyến"]) == ["online", "in_person", "postal"]
        assert parse_channels(["trực tuyến", "Trực tuyến"]) == ["online"]
        assert parse_channels(["online"]) == ["online"]
        assert parse_channels([]) == [] and parse_channels(None) == []

    def test_unknown_channels_are_refused(self):
        with pytest.raises(ValueError, match="cách thức nộp không hợp lệ"):
            parse_channels(["Qua điện thoại"])

    @given(st.permutations(["Trực tuyến", "Trực tiếp", "Dịch vụ bưu chính"]))
    def test_channel_order_does_not_matter(self, labels):
        assert parse_channels(labels) == ["online", "in_person", "postal"]


class TestSlugsAndAgencies:
    @pytest.mark.parametrize(
        ("text", "slug"),
        [
            ("Đất đai", "dat-dai"),
            ("Hộ tịch", "ho-tich"),
            ("Tư pháp khác (con nuôi, quốc tịch, LLTP)", "tu-phap-khac-con-nuoi-quoc-tich-lltp"),
            (unicodedata.normalize("NFD", "Cấp, quản lý căn cước"), "cap-quan-li-can-cuoc"),
        ],
    )
    def test_slugs_fold_vietnamese(self, text, slug):
        assert slugify_vi(text) == slug

    def test_long_slugs_are_cut_at_a_hyphen(self):
        slug = slugify_vi("Ban quản lý khu công nghiệp, khu kinh tế, khu chế xuất, khu công nghệ cao", max_length=30)
        assert len(slug) <= 30 and not slug.endswith("-")
        assert slug.startswith("ban-quan-li-khu-cong-nghiep")

    @given(st.text(max_size=60))
    def test_slugs_are_ascii(self, text):
        assert re.fullmatch(r"[a-z0-9_-]*", slugify_vi(text))

    def test_agencies_are_split_on_semicolons(self):
        assert split_agencies("Sở Tư pháp; Công an tỉnh") == ["Sở Tư pháp", "Công an tỉnh"]
        assert split_agencies(None) == [] and split_agencies("") == []

    def test_a_name_broken_on_its_comma_is_joined_back(self):
        assert split_agencies("Sở Du lịch; Sở Văn hóa; Thể thao và Du lịch") == [
            "Sở Du lịch",
            "Sở Văn hóa, Thể thao và Du lịch",
        ]

    def test_repeats_and_stray_punctuation_are_dropped(self):
        assert split_agencies("Ủy ban nhân dân cấp xã; Ủy ban nhân dân cấp xã") == ["Ủy ban nhân dân cấp xã"]
        assert split_agencies("Sở Nội vụ; Sở Nội Vụ") == ["Sở Nội vụ"]
        assert split_agencies("Sở An toàn thực phẩm -") == ["Sở An toàn thực phẩm"]


@pytest.mark.parametrize(
    ("document", "title", "same"),
    [
        ("Tờ khai đăng ký lại khai sinh theo mẫu, trong đó có cam đoan …", "Tờ khai đăng ký lại khai sinh", True),
        (
            "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA).",
            "Tờ khai thay đổi thông tin cư trú",
            True,
        ),
        (
            "Đề nghị đổi giấy phép lái xe theo mẫu quy định tại Phụ lục XII",
            "Đơn đề nghị đổi, cấp lại giấy phép lái xe",
            True,
        ),
        ("Đơn đăng ký đất đai, tài sản gắn liền với đất", "Đơn đăng ký đất đai, tài sản gắn liền với đất", True),
        (
            "Đơn đề nghị cấp giấy phép sửa chữa, cải tạo công trình theo Mẫu số 1",
            "Đơn đề nghị cấp giấy phép xây dựng",
            False,
        ),
        ("Văn bản ủy quyền thực hiện việc đăng ký khai sinh theo mẫu", "Tờ khai đăng ký khai sinh", False),
        ("Giấy chứng sinh", "Tờ khai đăng ký khai sinh", False),
    ],
)
def test_a_required_document_is_recognised_as_the_e_form_only_when_it_is_that_form(document, title, same):
    assert is_the_declaration_form(document, title) is same
