"""Thời hạn giải quyết per channel, and why a procedure without working days is not offered
online until a controller sets them (a dossier without a due date has no appointment)."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from accounts.tests.officers import sign_in_verified
from catalog.rules import offered_online, parse_processing_time, working_days_for
from catalog.selectors import awaiting_working_days
from catalog.services import procedure_version_set_working_days

from .factories import published


def test_the_days_published_per_channel_are_kept_per_channel() -> None:
    time = parse_processing_time(
        "Trực tuyến: 8 Ngày làm việc; Dịch vụ bưu chính: 18 Ngày làm việc; Trực tiếp: 18 Ngày làm việc"
    )
    assert time.days == 18
    assert time.by_channel == {"online": 8, "in_person": 18, "postal": 18}


def test_unlabelled_days_hold_for_every_channel() -> None:
    assert parse_processing_time("5 Ngày làm việc").by_channel == {"online": 5, "in_person": 5, "postal": 5}


def test_text_without_working_days_gives_no_days_for_any_channel() -> None:
    for text in ("1", "20 Ngày", "Trực tuyến: 7 Ngày; Trực tiếp: 7 Ngày", ""):
        assert parse_processing_time(text).by_channel == {}


def test_a_dossier_is_given_the_days_of_the_channel_it_came_by() -> None:
    by_channel = {"online": 8, "in_person": 18}
    assert working_days_for("online", by_channel, 18) == 8
    assert working_days_for("counter", by_channel, 18) == 18
    assert working_days_for("in_person", by_channel, 18) == 18
    # A channel the text does not name gets the procedure's single time.
    assert working_days_for("postal", by_channel, 18) == 18
    assert working_days_for("online", {}, None) is None


@given(
    st.sampled_from(["full", "partial", "none"]),
    st.lists(st.sampled_from(["online", "in_person", "postal"]), unique=True),
    st.one_of(st.none(), st.integers(1, 400)),
)
def test_nothing_is_offered_online_without_working_days_for_it(
    level: str, channels: list[str], days: int | None
) -> None:
    offered = offered_online(online_level=level, channels=channels, online_days=days)
    assert offered == (level != "none" and "online" in channels and days is not None)


@pytest.mark.django_db
def test_the_controllers_list_shows_those_waiting_the_most_used_first(client: Client, django_user_model) -> None:
    rare = published("9.000001", "Thủ tục ít dùng", processing_days=None, processing_time_text="1")
    common = published("9.000002", "Thủ tục dùng nhiều", processing_days=None, processing_time_text="3")
    published("9.000003", "Thủ tục có thời hạn")
    published("9.000004", "Thủ tục không trực tuyến", processing_days=None, online_level="none")
    rare.procedure.popularity, common.procedure.popularity = 10, 5000
    rare.procedure.save()
    common.procedure.save()
    assert list(awaiting_working_days()) == [common, rare]

    controller = django_user_model.objects.create_superuser("kiemsoat", "ks@example.vn", "mat-khau-rat-dai-2026")
    sign_in_verified(client, controller)
    page = client.get("/admin/catalog/procedureversion/?awaiting_days=1").content.decode()
    assert page.index("Thủ tục dùng nhiều") < page.index("Thủ tục ít dùng")
    assert "Thủ tục có thời hạn" not in page and "Thủ tục không trực tuyến" not in page

    procedure_version_set_working_days(version=common, days=3, actor=controller, reason="Nghị định 123/2015, Điều 22")
    common.refresh_from_db()
    assert common.offered_online and list(awaiting_working_days()) == [rare]
    last = common.history.first()
    assert last.history_user == controller and last.history_change_reason == "Nghị định 123/2015, Điều 22"


@pytest.mark.django_db
def test_the_procedure_page_offers_online_submission_only_with_working_days(client: Client) -> None:
    waiting = published("9.000011", "Thủ tục chờ thời hạn", processing_days=None, processing_time_text="1")
    page = client.get(f"/thu-tuc/{waiting.procedure.code}/").content.decode()
    assert "Nộp hồ sơ trực tuyến" not in page and "tạm chưa nhận hồ sơ trực tuyến" in page
    ready = published(
        "9.000012",
        "Thủ tục có thời hạn theo cách nộp",
        processing_days=18,
        days_by_channel={"online": 8, "in_person": 18},
        processing_time_text="Trực tuyến: 8 Ngày làm việc; Trực tiếp: 18 Ngày làm việc",
    )
    page = client.get(f"/thu-tuc/{ready.procedure.code}/").content.decode()
    assert "Nộp hồ sơ trực tuyến" in page
    assert "Trực tuyến: 8 ngày làm việc" in page and "Trực tiếp: 18 ngày làm việc" in page
