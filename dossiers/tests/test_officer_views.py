"""The officers' pages: queues with their dashboard, the dossier page with a form for every action
the officer may take now, the counter's registration, and the slips issued and kept."""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.services import catalog_revision_bump
from dossiers import services
from dossiers.models import Dossier, DossierEvent, DossierSlip, ProcessingStep
from dossiers.rules import Action, ResultDelivery, State
from org.models import Role
from org.tests.factories import admin_login, officer
from workdays.selectors import work_calendar

from .factories import World, submitted, walk_to, world

pytestmark = pytest.mark.django_db
QUEUES = "/can-bo/ho-so/"
CHANGED = "Hồ sơ đã thay đổi, vui lòng tải lại."


def signed_in(user: Any) -> Client:
    client = Client()
    admin_login(client, user)
    return client


def page_of(dossier: Dossier) -> str:
    return reverse("dossiers:officer_dossier", args=[dossier.pk])


def act(client: Client, dossier: Dossier, action: str, version: int | None = None, **data: Any) -> Any:
    fields = {f"{action}-{key}": value for key, value in data.items()}
    fields[f"{action}-version"] = dossier.version if version is None else version
    return client.post(reverse("dossiers:officer_act", args=[dossier.pk, action]), fields)


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def next_working_day(after: datetime.date) -> datetime.date:
    calendar = work_calendar()
    day = after + datetime.timedelta(days=1)
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


# --- Queues and dashboard ----------------------------------------------------------------------


def test_officers_who_have_not_signed_in_with_their_second_factor_are_sent_to_sign_in(w: World) -> None:
    client = Client()
    client.force_login(w.counter)
    response = client.get(QUEUES)
    assert response.status_code == 302 and response["Location"].startswith("/can-bo/dang-nhap/")


def test_the_counter_lands_on_dossiers_to_receive_with_the_counts_of_every_queue(w: World) -> None:
    for state in (State.SUBMITTED, State.SUBMITTED, State.RECEIVED, State.DONE, State.SUPPLEMENT_REQUESTED):
        walk_to(w, state)
    page = text(signed_in(w.counter).get(QUEUES))
    counts = dict(re.findall(r'data-queue="(\w+)"> <span class="queue-count">(\d+)</span>', page))
    assert counts == {"to_receive": "3", "to_process": "0", "to_approve": "0", "to_return": "1", "waiting": "1"}
    assert '<h2 id="queue-title">Chờ tiếp nhận</h2>' in page
    assert page.count('class="queue-item') == 3
    waiting = Dossier.objects.filter(state=State.SUBMITTED).values_list("code", flat=True)
    assert all(code and code in page for code in waiting) and w.citizen.full_name in page
    assert "Đăng ký hồ sơ nộp trực tiếp, qua bưu chính" in page


def test_the_least_time_left_comes_first_and_deadlines_are_written_out(w: World) -> None:
    today = timezone.localdate()
    overdue, soon, later = (walk_to(w, State.RECEIVED) for _ in range(3))
    Dossier.objects.filter(pk=soon.pk).update(due_on=next_working_day(today))
    Dossier.objects.filter(pk=later.pk).update(due_on=today + datetime.timedelta(days=30))
    page = text(signed_in(w.counter).get(QUEUES, {"hang-doi": "to_receive"}))
    assert page.index(str(overdue.code)) < page.index(str(soon.code)) < page.index(str(later.code))
    first, second, third = page.split('<li class="queue-item')[1:4]
    assert "is-overdue" in first and "Quá hạn</span>" in first and re.search(r"Quá hạn \d+ ngày làm việc", first)
    assert "is-due-soon" in second and "Sắp đến hạn</span>" in second and "sắp đến hạn" in second
    assert "is-" not in third.split(">")[0] and re.search(r"Còn \d+ ngày làm việc\s*<", third)


def test_filters_by_code_by_name_typed_without_diacritics_by_procedure_and_by_state(w: World) -> None:
    one = walk_to(w, State.RECEIVED)
    two = walk_to(w, State.SUBMITTED)
    Dossier.objects.filter(pk=two.pk).update(applicant_name="Nguyễn Thị Hoà", applicant_folded="nguyen thi hoa")
    other = world()
    other_procedure = services.dossier_submit(applicant=w.citizen, intake=w.intake(), now=timezone.now())[0]
    client = signed_in(w.counter)

    def found(**query: str) -> set[int]:
        page = text(client.get(QUEUES, {"hang-doi": "to_receive", **query}))
        return {int(pk) for pk in re.findall(r'href="/can-bo/ho-so/(\d+)/"', page)}

    assert found(q=str(one.code)[-8:].lower()) == {one.pk}
    assert found(q="nguyen thi hoa") == found(q="NGUYỄN THỊ HÒA") == {two.pk}
    assert found(**{"trang-thai": "received"}) == {one.pk}
    assert found(**{"thu-tuc": w.version.procedure.code}) == {one.pk, two.pk, other_procedure.pk}
    assert found(**{"thu-tuc": other.version.procedure.code}) == set()
    assert "Không có hồ sơ nào khớp bộ lọc." in text(client.get(QUEUES, {"q": "khong-co-ai"}))


def test_queues_page(w: World) -> None:
    made = [walk_to(w, State.SUBMITTED) for _ in range(23)]
    client = signed_in(w.counter)
    first = text(client.get(QUEUES))
    second = text(client.get(QUEUES, {"hang-doi": "to_receive", "trang": "2"}))
    assert first.count('class="queue-item') == 20 and second.count('class="queue-item') == 3
    assert "trang 1/2" in first and 'rel="next"' in first and 'rel="prev"' in second
    shown = set(re.findall(r'href="/can-bo/ho-so/(\d+)/"', first + second))
    assert shown == {str(d.pk) for d in made}


def _queue_queries(client: Client, queue: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(QUEUES, {"hang-doi": queue})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("queue", ["to_receive", "to_process", "waiting"])
def test_a_queue_page_runs_the_same_queries_for_5_and_50_dossiers(w: World, queue: str, django_assert_num_queries):
    user = w.processor if queue == "to_process" else w.counter
    state = {"to_receive": State.RECEIVED, "to_process": State.IN_PROGRESS, "waiting": State.SUPPLEMENT_REQUESTED}
    client = signed_in(user)
    client.get(QUEUES)  # the session's first request touches it once
    for _ in range(5):
        walk_to(w, state[queue])
    # session, user, second factor; roles, procedures of the filter; count and page of the queue,
    # the working-day calendar; the five counts of the dashboard
    few = _queue_queries(client, queue)
    for _ in range(45):
        walk_to(w, state[queue])
    assert _queue_queries(client, queue) == few <= 13
    page = client.get(QUEUES, {"hang-doi": queue})
    assert text(page).count('class="queue-item') == 20


def test_the_procedure_filter_follows_changes_to_the_catalog(w: World) -> None:
    client = signed_in(w.counter)
    assert f"{w.version.procedure.code} — {w.version.name}" in text(client.get(QUEUES))
    w.version.name = "Đăng ký khai sinh (tên mới)"
    w.version.save()
    assert f"{w.version.procedure.code} — Đăng ký khai sinh (tên mới)" not in text(client.get(QUEUES))
    catalog_revision_bump()  # as every write of the catalog's services does
    assert f"{w.version.procedure.code} — Đăng ký khai sinh (tên mới)" in text(client.get(QUEUES))


# --- The dossier page ------------------------------------------------------------------------


def test_another_agency_s_officer_gets_404_on_the_page_and_its_actions(w: World) -> None:
    d = walk_to(w, State.SUBMITTED)
    other = world()
    client = signed_in(other.counter)
    assert client.get(page_of(d)).status_code == 404
    assert act(client, d, "receive").status_code == 404
    assert fresh(d).state == State.SUBMITTED


def test_the_page_shows_the_dossier_its_history_and_its_remaining_time(w: World) -> None:
    d = walk_to(w, State.IN_PROGRESS)
    page = text(signed_in(w.processor).get(page_of(d)))
    assert f"Hồ sơ {d.code}" in page and w.version.name in page and w.citizen.personal_id in page
    assert "Tờ khai theo mẫu — Bản chính, số lượng 1" in page
    timeline = page.split('id="timeline"')[1]
    assert [a for a in re.findall(r'data-action="(\w+)"', timeline)] == ["submit", "receive", "assign"]
    assert "Quá hạn" in page  # due 06/11/2025
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in page
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page


@pytest.mark.parametrize(
    ("role", "state", "expected"),
    [
        ("counter", State.SUBMITTED, ["receive", "refuse_intake", "request_supplement", "withdraw"]),
        ("counter", State.RECEIVED, ["assign", "withdraw"]),
        ("processor", State.IN_PROGRESS, ["request_supplement", "forward", "request_payment", "extend"]),
        ("leader", State.IN_PROGRESS, ["forward", "stop", "approve", "refuse", "extend"]),
        ("counter", State.DONE, ["result_ready", "return_result"]),
        ("processor", State.RETURNED, []),
    ],
)
def test_every_action_the_officer_may_take_now_has_its_form(w: World, role: str, state: State, expected: list[str]):
    d = walk_to(w, state)
    Dossier.objects.filter(pk=d.pk).update(due_on=timezone.localdate() + datetime.timedelta(days=30))
    page = text(signed_in(getattr(w, role)).get(page_of(d)))
    assert re.findall(r'<details class="action" id="thao-tac-(\w+)"', page) == expected
    if not expected:
        assert "Bạn không có thao tác nào với hồ sơ ở bước này." in page


def test_the_counter_receives_and_the_receipt_is_issued_once_and_reprinted_as_issued(
    w: World, django_capture_on_commit_callbacks
) -> None:
    d = submitted(w, now=timezone.now())
    client = signed_in(w.counter)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client, d, "receive", note="Đủ thành phần")
    assert response.status_code == 302 and response["Location"].startswith(page_of(d))
    d = fresh(d)
    assert d.state == State.RECEIVED and d.code
    (slip,) = DossierSlip.objects.filter(dossier=d)
    stored = slip.file.read()
    assert slip.kind == "receipt" and hashlib.sha256(stored).hexdigest() == slip.sha256
    assert len(str(slip.file.name).rsplit("/", 1)[1]) >= 32  # a name nobody guesses
    page = text(client.get(page_of(d)))
    assert "Đã thực hiện: Tiếp nhận hồ sơ." in page and f"?ban={slip.pk}" in page
    for _ in range(2):
        pdf = client.get(reverse("dossiers:slip", args=[d.pk, "receipt"]))
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content == stored
    assert DossierSlip.objects.count() == 1


def test_a_slip_issued_before_the_worker_ran_is_stored_at_the_first_print(w: World) -> None:
    d = walk_to(w, State.SUPPLEMENT_REQUESTED)
    client = signed_in(w.processor)
    assert DossierSlip.objects.count() == 0
    first = client.get(reverse("dossiers:slip", args=[d.pk, "supplement"]))
    again = client.get(reverse("dossiers:slip", args=[d.pk, "supplement"]))
    assert first.status_code == 200 and first.content == again.content
    (slip,) = DossierSlip.objects.all()
    assert slip.event.action == Action.REQUEST_SUPPLEMENT
    assert client.get(reverse("dossiers:slip", args=[d.pk, "stop"])).status_code == 404
    assert client.get(reverse("dossiers:slip", args=[d.pk, "receipt"]) + "?ban=999999").status_code == 404


def test_two_officers_on_one_dossier_one_wins_the_other_is_told_to_reload(w: World) -> None:
    d = walk_to(w, State.SUBMITTED)
    colleague = officer("tiepnhan.khac", {w.agency: [Role.COUNTER_OFFICER]})
    seen = d.version
    assert act(signed_in(w.counter), d, "receive", version=seen).status_code == 302
    response = act(signed_in(colleague), d, "refuse_intake", version=seen, reason="Không thuộc thẩm quyền")
    assert response.status_code == 409
    page = text(response)
    assert CHANGED in page and 'role="alert"' in page
    d = fresh(d)
    assert d.state == State.RECEIVED
    assert list(d.events.values_list("action", flat=True)) == ["submit", "receive"]


def test_bad_input_is_explained_next_to_its_form_and_nothing_is_saved(w: World) -> None:
    d = walk_to(w, State.SUBMITTED)
    client = signed_in(w.counter)
    response = act(client, d, "refuse_intake", reason="   ")
    assert response.status_code == 422
    page = text(response)
    assert '<details class="action" id="thao-tac-refuse_intake" open>' in page
    assert "Trường này là bắt buộc." in page or "Cần ghi lý do từ chối tiếp nhận." in page
    supplement = act(client, d, "request_supplement")
    assert supplement.status_code == 422
    assert "Cần liệt kê đầy đủ những giấy tờ, nội dung cần bổ sung." in text(supplement)
    assert fresh(d).state == State.SUBMITTED and fresh(d).events.count() == 1


def test_a_step_the_rules_refuse_is_explained(w: World) -> None:
    d = walk_to(w, State.IN_PROGRESS)  # due 06/11/2025, long past
    response = act(signed_in(w.processor), d, "extend", new_due_on="2025-11-20", apology="Xin lỗi ông bà")
    assert response.status_code == 409
    extend = text(response).split('id="thao-tac-extend" open>')[1].split("</details>")[0]
    assert "Phiếu xin lỗi và hẹn lại ngày trả phải gửi chậm nhất ngày 05/11/2025" in extend  # next to its form
    assert not fresh(d).extended


def test_an_action_the_officer_s_role_does_not_allow_is_refused(w: World) -> None:
    d = walk_to(w, State.IN_PROGRESS)
    response = act(signed_in(w.processor), d, "approve")
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác “Phê duyệt” với hồ sơ này." in text(response)
    assert fresh(d).state == State.IN_PROGRESS


def test_forwarding_proposes_the_people_of_the_procedure_s_next_step(w: World) -> None:
    head = officer("truongphong", {w.agency: [Role.LEADER]}, full_name="Trưởng Phòng")
    ProcessingStep.objects.create(
        procedure=w.version.procedure, order=1, name="Chuyên viên", role=Role.PROCESSING_OFFICER
    )
    ProcessingStep.objects.create(procedure=w.version.procedure, order=2, name="Trưởng phòng", role=Role.LEADER)
    ProcessingStep.objects.create(procedure=w.version.procedure, order=3, name="Lãnh đạo cơ quan", role=Role.LEADER)
    d = walk_to(w, State.IN_PROGRESS)
    page = text(signed_in(w.processor).get(page_of(d)))
    forward = page.split('id="thao-tac-forward"')[1].split("</details>")[0]
    selected = re.search(r'<option value="(\d+)" selected>', forward)
    assert selected is not None and int(selected.group(1)) in {head.pk, w.leader.pk}
    assert "Chuyên viên thẩm định" not in page and "— Chuyên viên" in page  # the configured step's name
    assert act(signed_in(w.processor), d, "forward", to=head.pk, note="Kính trình").status_code == 302
    d = fresh(d)
    assert d.assignee == head
    page = text(signed_in(head).get(page_of(d)))
    assert "Trưởng Phòng — Trưởng phòng" in page
    assert 'id="thao-tac-return_step"' in page
    assert act(signed_in(head), d, "return_step", reason="Bổ sung ý kiến thẩm định").status_code == 302
    assert fresh(d).assignee == w.processor


def test_from_assignment_to_the_result_returned_by_post(w: World) -> None:
    d = walk_to(w, State.RECEIVED)
    counter, processor, leader = signed_in(w.counter), signed_in(w.processor), signed_in(w.leader)
    assert act(counter, d, "assign", to=w.processor.pk).status_code == 302
    assert (
        act(
            processor,
            fresh(d),
            "request_payment",
            override_vnd="50000",
            override_reason="Mức thu theo biểu phí của tỉnh",
        ).status_code
        == 302
    )
    assert act(counter, fresh(d), "mark_paid", receipt_number="BL-0001").status_code == 302
    assert act(processor, fresh(d), "forward", to=w.leader.pk).status_code == 302
    assert act(leader, fresh(d), "refuse", reasons="Thiếu điều kiện A\nThiếu điều kiện B").status_code == 302
    assert act(counter, fresh(d), "result_ready").status_code == 302
    no_number = act(counter, fresh(d), "return_result", method="post")
    assert no_number.status_code == 422 and "Cần ghi số hiệu bưu gửi" in text(no_number)
    assert act(counter, fresh(d), "return_result", method="post", tracking_number="EB123456789VN").status_code == 302
    d = fresh(d)
    assert (d.state, d.outcome, d.result_returned_by, d.postal_tracking_number) == (
        State.RETURNED,
        "refused",
        ResultDelivery.POST,
        "EB123456789VN",
    )
    page = text(counter.get(page_of(d)))
    assert "Thiếu điều kiện B" in page and "50.000 đồng" in page and "EB123456789VN" in page
    assert list(DossierEvent.objects.filter(dossier=d).values_list("action", flat=True)) == [
        "submit",
        "receive",
        "assign",
        "request_payment",
        "mark_paid",
        "forward",
        "refuse",
        "result_ready",
        "return_result",
    ]


# --- The counter's registration --------------------------------------------------------------


def test_the_counter_registers_a_paper_dossier_with_the_checklist(w: World) -> None:
    client = signed_in(w.counter)
    pick = text(client.get(reverse("dossiers:officer_register"), {"tim": w.version.procedure.code}))
    assert f"?thu-tuc={w.version.procedure.code}" in pick
    url = reverse("dossiers:officer_register") + f"?thu-tuc={w.version.procedure.code}"
    form = text(client.get(url))
    document = w.version.documents.get()
    assert "Tờ khai theo mẫu" in form and "Yêu cầu: 1 bản chính, 0 bản sao" in form
    data = {
        "name": "Lê Văn Giấy",
        "personal_id": "056090123456",
        "phone": "0905 123 456",
        "address": "5 Lý Tự Trọng, Nha Trang",
        "agency": w.agency.pk,
        "unit": w.unit.pk,
        "channel": "postal",
        "result_delivery": "post",
        f"doc_{document.pk}_form": "certified_copy",
        f"doc_{document.pk}_quantity": "2",
    }
    bad = client.post(url, {**data, "personal_id": "12345"})
    assert bad.status_code == 422 and "Số định danh cá nhân phải gồm đúng 12 chữ số." in text(bad)
    assert not Dossier.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert (d.state, d.channel, d.applicant_name, d.applicant_folded) == (
        State.SUBMITTED,
        "postal",
        "Lê Văn Giấy",
        "le van giay",
    )
    assert list(d.documents.values_list("handed_in", "quantity")) == [("certified_copy", 2)]
    page = text(client.get(response["Location"]))
    assert "Đã đăng ký hồ sơ." in page and 'id="thao-tac-receive"' in page


def test_only_counter_officers_register_and_only_their_agencies_procedures(w: World) -> None:
    assert signed_in(w.processor).get(reverse("dossiers:officer_register")).status_code == 404
    other = world()
    url = reverse("dossiers:officer_register") + f"?thu-tuc={other.version.procedure.code}"
    assert signed_in(w.counter).get(url).status_code == 404
