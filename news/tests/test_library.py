"""The legal documents library: filters, validity from dates, procedures citing a document."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from catalog.tests.factories import published
from news.demo import load_documents
from news.models import LegalDocument
from news.rules import Validity
from news.selectors import DocumentFilters, documents_filtered
from news.tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date


def document(number: str, **fields) -> LegalDocument:
    fields.setdefault("doc_type", "nghi-dinh")
    fields.setdefault("title", f"Văn bản {number}")
    fields.setdefault("issuer", "Chính phủ")
    fields.setdefault("issued_on", D(2020, 1, 1))
    fields.setdefault("field", "thu-tuc-hanh-chinh")
    fields.setdefault("summary", "Tóm tắt.")
    return LegalDocument.objects.create(number=number, **fields)


def numbers(filters: DocumentFilters) -> set[str]:
    return set(documents_filtered(filters, today=D(2026, 1, 1)).values_list("number", flat=True))


def test_validity_filters_are_computed_from_the_dates():
    document("61/2018/NĐ-CP", issued_on=D(2018, 4, 23), effective_from=D(2018, 6, 21), expires_on=D(2025, 7, 1))
    document("118/2025/NĐ-CP", issued_on=D(2025, 6, 9), effective_from=D(2025, 7, 1))
    document("1/2026/NĐ-CP", issued_on=D(2025, 12, 20), effective_from=D(2026, 2, 1))
    document("45/2020/NĐ-CP", issued_on=D(2020, 4, 8))  # no effective date: in force from issue
    assert numbers(DocumentFilters(hieu_luc=Validity.IN_FORCE)) == {"118/2025/NĐ-CP", "45/2020/NĐ-CP"}
    assert numbers(DocumentFilters(hieu_luc=Validity.EXPIRED)) == {"61/2018/NĐ-CP"}
    assert numbers(DocumentFilters(hieu_luc=Validity.NOT_YET)) == {"1/2026/NĐ-CP"}
    assert LegalDocument.objects.get(number="61/2018/NĐ-CP").validity_on(D(2025, 6, 30)) is Validity.IN_FORCE


def test_filters_by_type_issuer_field_year_and_words_without_diacritics():
    document("61/2018/NĐ-CP", title="Về thực hiện cơ chế một cửa, một cửa liên thông", issued_on=D(2018, 4, 23))
    document("766/QĐ-TTg", doc_type="quyet-dinh", issuer="Thủ tướng Chính phủ", issued_on=D(2022, 6, 23))
    document("42/2022/NĐ-CP", field="chinh-phu-so", issued_on=D(2022, 6, 24))
    assert numbers(DocumentFilters(loai="quyet-dinh")) == {"766/QĐ-TTg"}
    assert numbers(DocumentFilters(co_quan="Thủ tướng Chính phủ")) == {"766/QĐ-TTg"}
    assert numbers(DocumentFilters(linh_vuc="chinh-phu-so")) == {"42/2022/NĐ-CP"}
    assert numbers(DocumentFilters(nam=2022)) == {"766/QĐ-TTg", "42/2022/NĐ-CP"}
    assert numbers(DocumentFilters(q="MOT CUA lien thong")) == {"61/2018/NĐ-CP"}
    assert numbers(DocumentFilters(q="61/2018/nd-cp")) == {"61/2018/NĐ-CP"}


def test_the_query_string_is_read_defensively():
    filters = DocumentFilters.from_query({"loai": "<script>", "nam": "99999", "hieu-luc": "maybe", "q": " x " * 200})
    assert (filters.loai, filters.nam, filters.hieu_luc) == ("", None, "")
    assert len(filters.q) <= 200


def test_dates_must_be_in_order():
    with pytest.raises(ValidationError):
        LegalDocument(
            number="1/2020/NĐ-CP",
            doc_type="nghi-dinh",
            title="x",
            issuer="Chính phủ",
            field="chung",
            summary="x",
            issued_on=D(2020, 5, 1),
            effective_from=D(2020, 4, 1),
        ).full_clean()
    with pytest.raises(ValidationError):
        LegalDocument(
            number="1/2020/NĐ-CP",
            doc_type="nghi-dinh",
            title="x",
            issuer="Chính phủ",
            field="chung",
            summary="x",
            issued_on=D(2020, 5, 1),
            expires_on=D(2020, 5, 1),
        ).full_clean()


def test_the_library_page_lists_and_shows_a_document_with_the_procedures_citing_it():
    version = published("1.001193", "Đăng ký khai sinh")
    version.legal_bases = ["Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ", "Luật Hộ tịch"]
    version.save()
    doc = document(
        "61/2018/NĐ-CP",
        issued_on=D(2018, 4, 23),
        effective_from=D(2018, 6, 21),
        expires_on=D(2025, 7, 1),
        replaced_by="118/2025/NĐ-CP",
    )
    document("161/2018/NĐ-CP", issued_on=D(2018, 12, 29))
    listing = Client().get("/tin-tuc/van-ban/?hieu-luc=expired").content.decode()
    assert "61/2018/NĐ-CP" in listing and "Hết hiệu lực" in listing and "161/2018" not in listing
    page = Client().get(f"/tin-tuc/van-ban/{doc.pk}/").content.decode()
    assert "Đăng ký khai sinh" in page and "/thu-tuc/1.001193/" in page
    assert "118/2025/NĐ-CP" in page and "21/06/2018" in page
    other = LegalDocument.objects.get(number="161/2018/NĐ-CP")
    assert "Đăng ký khai sinh" not in Client().get(f"/tin-tuc/van-ban/{other.pk}/").content.decode()
    assert Client().get("/tin-tuc/van-ban/999999/").status_code == 404


def test_a_procedure_s_page_links_to_the_documents_its_legal_bases_cite():
    f.article_index()  # the section and its library exist
    version = published("1.001193", "Đăng ký khai sinh")
    version.legal_bases = ["Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ", "Luật Hộ tịch"]
    version.save()
    cited = document("61/2018/NĐ-CP", issued_on=D(2018, 4, 23), title="Về thực hiện cơ chế một cửa")
    document("161/2018/NĐ-CP", issued_on=D(2018, 12, 29))
    procedure_page = Client().get("/thu-tuc/1.001193/").content.decode()
    panel_url = "/van-ban-lien-quan/thu-tuc/1.001193/"
    assert f'hx-get="{panel_url}"' in procedure_page
    panel = Client().get(panel_url).content.decode()
    assert f'href="/tin-tuc/van-ban/{cited.pk}/"' in panel and "Về thực hiện cơ chế một cửa" in panel
    assert "161/2018" not in panel
    assert "Chưa có văn bản nào" in Client().get("/van-ban-lien-quan/thu-tuc/9.999999/").content.decode()


def test_the_demo_library_holds_real_texts_once():
    first = load_documents()
    assert first >= 100
    assert load_documents() == 0
    decree = LegalDocument.objects.get(number="61/2018/NĐ-CP")
    assert (decree.issued_on, decree.effective_from, decree.expires_on) == (
        D(2018, 4, 23),
        D(2018, 6, 21),
        D(2025, 7, 1),
    )
    assert LegalDocument.objects.filter(number="02/NQ-CP").count() == 4  # one a year, told apart by date


def test_a_demo_text_replaced_in_the_library_expires_the_day_its_replacement_takes_effect():
    load_documents()
    checked = 0
    for old in LegalDocument.objects.exclude(replaced_by=""):
        new = LegalDocument.objects.filter(number=old.replaced_by).first()
        if new is None:
            continue  # a replacement outside the library
        assert old.expires_on == (new.effective_from or new.issued_on), old.number
        checked += 1
    assert checked >= 10
