"""Pure rules of digitization and reuse."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from documents import rules


def test_a_document_is_digitized_with_file_type_holder_date_and_confirmation() -> None:
    complete: dict[str, Any] = {
        "has_file": True,
        "document_type": 3,
        "holder": "An",
        "issued_on": datetime.date(2020, 1, 1),
    }
    assert rules.is_digitized(**complete, confirmed=True)
    assert not rules.is_digitized(**complete, confirmed=False)
    for missing in ({"has_file": False}, {"document_type": None}, {"holder": "  "}, {"issued_on": None}):
        assert not rules.is_digitized(**{**complete, **missing}, confirmed=True), missing


def test_a_dossier_is_digitized_when_every_handed_in_document_is() -> None:
    assert rules.dossier_is_digitized([True, True])
    assert not rules.dossier_is_digitized([True, False])
    assert not rules.dossier_is_digitized([])


@pytest.mark.parametrize(
    ("issued", "months", "expected"),
    [
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 8, 29), 6, datetime.date(2025, 2, 28)),
        (datetime.date(2025, 3, 15), 12, datetime.date(2026, 3, 15)),
        (datetime.date(2025, 3, 15), None, None),
        (None, 6, None),
    ],
)
def test_validity_ends_the_same_day_months_later(issued, months, expected) -> None:
    assert rules.valid_until_for(issued, months) == expected


def test_validity_is_inclusive_of_its_last_day() -> None:
    assert rules.is_valid_on(datetime.date(2025, 1, 1), datetime.date(2025, 1, 1))
    assert not rules.is_valid_on(datetime.date(2025, 1, 1), datetime.date(2025, 1, 2))
    assert rules.is_valid_on(None, datetime.date(2099, 1, 1))


def test_the_longest_keyword_decides_the_type_regardless_of_accents_and_case() -> None:
    types = [("generic", ["giấy chứng nhận"]), ("land", ["giấy chứng nhận quyền sử dụng đất", "sổ đỏ"])]
    assert rules.matching_type("Bản sao GIAY CHUNG NHAN QUYEN SU DUNG DAT", types) == "land"
    assert rules.matching_type("Giấy chứng nhận kết hôn", types) == "generic"
    assert rules.matching_type("Sổ đỏ (bản sao)", types) == "land"
    assert rules.matching_type("Tờ khai", types) is None


def test_a_keyword_matches_whole_words_only() -> None:
    assert rules.matching_type("Giấy tờ khác", [("form", ["tờ khai"])]) is None


def test_proposals_read_number_official_date_and_issuer() -> None:
    text = (
        "UỶ BAN NHÂN DÂN XÃ VẠN NINH\nSố: 45/QĐ-UBND\n"
        "Vạn Ninh, ngày 07 tháng 11 năm 2022\nCấp cho ông A sinh ngày 01/02/1990"
    )
    proposal = rules.propose_metadata(text)
    assert proposal.number == "45/QĐ-UBND"
    assert proposal.issued_on == datetime.date(2022, 11, 7)
    assert proposal.issuer == "UỶ BAN NHÂN DÂN XÃ VẠN NINH"
    assert proposal.dates == (datetime.date(2022, 11, 7), datetime.date(1990, 2, 1))
    assert proposal.as_json()["issued_on"] == "2022-11-07"


def test_proposals_skip_impossible_dates_and_may_find_nothing() -> None:
    assert rules.propose_metadata("ngày 31 tháng 02 năm 2022").issued_on is None
    assert rules.propose_metadata("") == rules.Proposal()
