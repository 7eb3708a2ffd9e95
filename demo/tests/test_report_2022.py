"""Specification of issue 20's annual report from the demo's 2022 data set, at a tenth of the
scale for dossiers, payments and the contest (the full-scale run is in bench/README.md): the
generator held to 50% online with its online payments just over the target, the news of 2022
(49 tin, bài, 33 infographics, 90 văn bản) and the 2022 contest, then the propaganda report
written for 2022 says those figures, counted from the data, the Vietnamese way."""

from __future__ import annotations

import datetime
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from docx import Document

from demo.contest_demo import load_contest_demo
from demo.generator import generate_dossiers, generate_online_payments
from dossiers.models import Dossier
from news.demo import load_news_year
from payments.models import ONLINE_METHODS, Payment
from reports import documents, services
from reports.selectors import Scope

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2023, 3, 1, 9, 0, tzinfo=TZ)
DOSSIERS = 3_745  # a tenth of 37.448
PAID_ONLINE_VND = 18_000_000  # a thousandth of 18 tỷ: "hơn 18 triệu đồng"
PARTICIPATIONS = 1_195  # a tenth of 11.950: "gần 1.200"
HEADING = documents.Heading(
    parent_body="Ủy ban nhân dân tỉnh Khánh Hòa",
    body="Văn phòng Ủy ban nhân dân tỉnh",
    number="125/BC-VP",
    place="Khánh Hòa",
    day=datetime.date(2023, 1, 9),
    signer_title="KT. Chánh Văn phòng\nPhó Chánh Văn phòng",
    signer_name="Nguyễn Văn An",
)


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        generate_dossiers(year=2022, count=DOSSIERS, seed=3, now=NOW, online_share=0.5, count_received=True)
        generate_online_payments(year=2022, target_vnd=PAID_ONLINE_VND, seed=3)
        call_command("rebuild_figures", verbosity=0)
        load_news_year(year=2022)
        load_contest_demo(year=2022, participations=PARTICIPATIONS)
        analyst = get_user_model().objects.create(username="chuyen-vien-bao-cao", full_name="Trần Thị Bình")
        written = services.report_write(
            actor=analyst,
            kind="propaganda",
            start=datetime.date(2022, 1, 1),
            end=datetime.date(2022, 12, 31),
            scope=Scope(),
            agency_id=None,
            heading=HEADING,
            pdf=False,
        )
        yield written
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def _text(report: Any) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(bytes(report.docx))).paragraphs)


def test_the_report_counts_the_dossiers_received_and_the_online_share(report):
    assert Dossier.objects.filter(received_at__year=2022).count() <= DOSSIERS
    assert f"Đã có {DOSSIERS // 1000}.{DOSSIERS % 1000:03d} hồ sơ được tiếp nhận" in _text(report)
    assert "tỷ lệ nộp hồ sơ trực tuyến đạt 50%;" in _text(report)


def test_the_online_payments_come_just_over_the_target(report):
    paid = Payment.objects.filter(state="paid", method__in=ONLINE_METHODS, paid_at__year=2022)
    total = sum(paid.values_list("amount_vnd", flat=True))
    assert PAID_ONLINE_VND < total < PAID_ONLINE_VND * 1.1
    assert all(p.dossier.channel == "online" for p in paid.select_related("dossier"))
    assert "thanh toán qua Cổng Dịch vụ công quốc gia là hơn 18 triệu đồng" in _text(report)


def test_the_report_counts_the_news_and_documents_of_2022(report):
    assert "82 tin, bài (trong đó có 49 tin, bài và 33 Infographic) và 90 văn bản" in _text(report)


def test_the_report_counts_the_contest_participations(report):
    assert "Tổ chức 1 cuộc thi trực tuyến, thu hút gần 1.200 lượt người tham gia dự thi." in _text(report)


def test_loading_the_year_again_adds_nothing(report):
    assert load_news_year(year=2022).articles == 0
    assert not load_contest_demo(year=2022, participations=PARTICIPATIONS).created
    assert generate_online_payments(year=2022, target_vnd=PAID_ONLINE_VND) == (0, 0)
