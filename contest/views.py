"""Trang người dự thi: the list of contests and their rounds, a contest with its rules, registering
(VNeID, or a phone confirmed by a one-time code sent by SMS), taking a round (answers saved as they
are chosen, a countdown from the server's end time), submitting, the result with the answers
explained once the round has ended, and the leaderboard with masked names.

Views are thin: they read through ``selectors``, write through ``services`` and turn every
``errors.ContestError`` into a localized page (or, for htmx, a fragment) with its status.

A participant who registered by phone has no account: this browser's session remembers which
participant it confirmed, per contest (``SESSION_KEY``)."""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import selectors, services
from .errors import ContestError, InvalidChoice, NotFound, NotRegistered, PhoneCodeInvalid, ResultNotYet
from .forms import AnswerForm, PhoneCodeForm, PredictionForm, RegistrationForm
from .models import Attempt, Contest, ContestKind, Participant
from .rules import AttemptState, Group, RoundPhase
from .visitors import remember as _remember
from .visitors import visitor_participant

PENDING_KEY = "contest.pending"  # the registration waiting for its phone code


# --- Plumbing -----------------------------------------------------------------------------------


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def refusal(request: HttpRequest, error: ContestError, *, back: str | None = None) -> HttpResponse:
    """The localized page (or htmx fragment) of a refusal; nothing was changed."""
    if _is_htmx(request):
        response = render(request, "contest/_refusal.html", {"error": error}, status=error.status)
        return response
    return render(request, "contest/error.html", {"error": error, "back": back}, status=error.status)


def contest_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ContestError as error:
            return refusal(request, error, back=reverse("contest:list"))

    return wrapped


def _signed_in_with_id(request: HttpRequest) -> bool:
    return bool(request.user.is_authenticated and getattr(request.user, "personal_id", None))


# --- Contests -----------------------------------------------------------------------------------


@require_GET
def contest_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    contests = []
    for contest in selectors.published_contests():
        cards = selectors.round_cards(contest.rounds.all(), now)
        contests.append({"contest": contest, "rounds": cards})
    return render(request, "contest/list.html", {"contests": contests, "now": now})


@require_GET
@never_cache
@contest_errors
def contest_detail(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    contest = selectors.contest_by_slug(slug)
    if contest.kind == ContestKind.INITIATIVE:
        from .initiative_views import initiative_detail

        return initiative_detail(request, contest)
    rounds = list(contest.rounds.all())
    participant = visitor_participant(request, contest)
    attempts = selectors.attempts_of(participant, rounds) if participant else {}
    cards = []
    for card in selectors.round_cards(rounds, now):
        mine = attempts.get(card.round.pk, [])
        open_attempt = next((a for a in mine if a.state == AttemptState.OPEN and a.ends_at > now), None)
        finished = [a for a in mine if a.state != AttemptState.OPEN]
        cards.append(
            {
                "card": card,
                "open_attempt": open_attempt,
                "finished": finished,
                "can_start": card.phase == RoundPhase.OPEN
                and open_attempt is None
                and len(mine) < card.round.attempts_allowed,
            }
        )
    return render(
        request,
        "contest/detail.html",
        {"contest": contest, "cards": cards, "participant": participant, "now": now},
    )


# --- Registering --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
@contest_errors
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """Đăng ký dự thi: with VNeID (signed in: no phone needed), or with a phone confirmed by a
    one-time code (then ``confirm``)."""
    now = timezone.now()
    contest = selectors.contest_by_slug(slug)
    if visitor_participant(request, contest) is not None:
        messages.info(request, _("Bạn đã đăng ký dự thi cuộc thi này."))
        return redirect("contest:detail", slug=contest.slug)
    with_id = _signed_in_with_id(request)
    if request.method == "POST":
        form = RegistrationForm(request.POST, with_phone=not with_id)
        if form.is_valid():
            data = form.cleaned_data
            registration = services.Registration(
                full_name=data["full_name"],
                birth_date=data["birth_date"],
                commune_id=data["commune"].pk,
                group=data["group"],
            )
            if with_id:
                participant, _created = services.participant_register(
                    contest=contest, registration=registration, now=now, user=request.user
                )
                _remember(request, participant)
                messages.success(request, _("Đăng ký dự thi thành công. Chúc bạn thi tốt!"))
                return redirect("contest:detail", slug=contest.slug)
            try:
                services.phone_code_send(phone=data["phone"], now=now)
            except ContestError as error:  # a code asked for again too soon
                form.add_error("phone", error.message)
            else:
                request.session[PENDING_KEY] = {
                    "contest": contest.pk,
                    "full_name": data["full_name"],
                    "birth_date": data["birth_date"].isoformat(),
                    "commune": data["commune"].pk,
                    "group": data["group"],
                    "phone": data["phone"],
                }
                return redirect("contest:confirm", slug=contest.slug)
    else:
        initial: dict[str, Any] = {}
        if request.user.is_authenticated:
            initial = {
                "full_name": getattr(request.user, "full_name", ""),
                "birth_date": getattr(request.user, "birth_date", None),
            }
        form = RegistrationForm(initial=initial, with_phone=not with_id)
    return render(
        request,
        "contest/register.html",
        {"contest": contest, "form": form, "with_id": with_id, "sign_in_next": request.path},
    )


@require_http_methods(["GET", "POST"])
@never_cache
@contest_errors
def confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Nhập mã xác nhận: the code sent to the phone; once right, the participant is registered
    (or found, when this phone registered before) and remembered in this browser."""
    now = timezone.now()
    contest = selectors.contest_by_slug(slug)
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("contest") != contest.pk:
        messages.info(request, _("Vui lòng điền thông tin đăng ký trước."))
        return redirect("contest:register", slug=contest.slug)
    phone = str(pending["phone"])
    form = PhoneCodeForm(request.POST if request.method == "POST" and "resend" not in request.POST else None)
    if request.method == "POST" and "resend" in request.POST:
        try:
            services.phone_code_send(phone=phone, now=now)
        except ContestError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã gửi lại mã xác nhận."))
        return redirect("contest:confirm", slug=contest.slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_code_confirm(phone=phone, code=form.cleaned_data["code"].strip(), now=now)
        except PhoneCodeInvalid as error:
            form.add_error("code", error.message)
        else:
            registration = services.Registration(
                full_name=pending["full_name"],
                birth_date=datetime.date.fromisoformat(pending["birth_date"]),
                commune_id=int(pending["commune"]),
                group=pending["group"],
            )
            participant, created = services.participant_register(
                contest=contest, registration=registration, now=now, phone=phone
            )
            request.session.cycle_key()
            request.session.pop(PENDING_KEY, None)
            _remember(request, participant)
            if created:
                messages.success(request, _("Đăng ký dự thi thành công. Chúc bạn thi tốt!"))
            else:
                messages.info(
                    request, _("Số điện thoại này đã đăng ký trước đây; bạn tiếp tục dự thi với thông tin đã đăng ký.")
                )
            return redirect("contest:detail", slug=contest.slug)
    return render(
        request,
        "contest/confirm.html",
        {"contest": contest, "form": form, "phone_end": phone[-3:]},
    )


# --- Taking a round -----------------------------------------------------------------------------


@require_POST
@contest_errors
def round_start(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Bắt đầu làm bài: the server fixes the end time now; an open attempt is resumed."""
    now = timezone.now()
    contest = selectors.contest_by_slug(slug)
    round_ = selectors.round_of(contest, number)
    participant = visitor_participant(request, contest)
    if participant is None:
        raise NotRegistered()
    attempt, _started = services.attempt_start(round_=round_, participant=participant, now=now)
    return redirect("contest:attempt", public_id=attempt.public_id)


def _attempt_for(request: HttpRequest, public_id: str) -> tuple[Any, Participant]:
    """The visitor's attempt (NotFound for anybody else's, or a tampered id)."""
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        raise NotFound() from None
    contest_id = Attempt.objects.filter(public_id=key).values_list("round__contest_id", flat=True).first()
    if contest_id is None:
        raise NotFound()
    contest = Contest.objects.get(pk=contest_id)
    participant = visitor_participant(request, contest)
    attempt = selectors.attempt_of(key, participant)
    assert participant is not None
    return attempt, participant


@require_GET
@never_cache
@contest_errors
def attempt(request: HttpRequest, public_id: str) -> HttpResponse:
    """Bài thi: every question on one page, each answer saved as it is chosen, the countdown from
    the server's end time; no right answer is in the page. A finished attempt shows its result."""
    now = timezone.now()
    found, _participant = _attempt_for(request, public_id)
    if found.state != AttemptState.OPEN:
        return redirect("contest:result", public_id=found.public_id)
    view = selectors.taker_view(found, now)
    return render(
        request,
        "contest/attempt.html",
        {"view": view, "round": found.round, "contest": found.round.contest, "attempt": found},
    )


@require_POST
@contest_errors
def answer(request: HttpRequest, public_id: str) -> HttpResponse:
    """Lưu câu trả lời (idempotent: the same ``seq`` again, or an older one, changes nothing)."""
    now = timezone.now()
    found, participant = _attempt_for(request, public_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise InvalidChoice()
    data = form.cleaned_data
    saved = services.answer_save(
        public_id=found.public_id,
        participant=participant,
        question_id=data["question"],
        chosen=data["choice"],
        seq=data["seq"],
        now=now,
    )
    if _is_htmx(request):
        return render(request, "contest/_saved.html", {"saved": saved, "now": now})
    messages.success(request, _("Đã lưu câu trả lời."))
    return redirect(reverse("contest:attempt", kwargs={"public_id": found.public_id}) + f"#cau-{data['question']}")


@require_POST
@contest_errors
def prediction(request: HttpRequest, public_id: str) -> HttpResponse:
    now = timezone.now()
    found, participant = _attempt_for(request, public_id)
    form = PredictionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["prediction"] is None:
        if _is_htmx(request):
            return render(request, "contest/_prediction_error.html", {"form": form}, status=400)
        messages.error(request, _("Dự đoán là một số nguyên không âm."))
    else:
        services.prediction_save(
            public_id=found.public_id, participant=participant, prediction=form.cleaned_data["prediction"], now=now
        )
        if _is_htmx(request):
            return render(request, "contest/_saved.html", {"saved": None, "now": now})
        messages.success(request, _("Đã lưu dự đoán."))
    return redirect(reverse("contest:attempt", kwargs={"public_id": found.public_id}) + "#du-doan")


@require_POST
@contest_errors
def submit(request: HttpRequest, public_id: str) -> HttpResponse:
    """Nộp bài: scored from the saved answers; submitting twice answers with the first."""
    now = timezone.now()
    found, participant = _attempt_for(request, public_id)
    form = PredictionForm(request.POST)
    guess = form.cleaned_data["prediction"] if form.is_valid() else None
    done = services.attempt_submit(public_id=found.public_id, participant=participant, now=now, prediction=guess)
    messages.success(request, _("Bạn đã nộp bài. Cảm ơn bạn đã tham gia!"))
    return redirect("contest:result", public_id=done.public_id)


@require_GET
@never_cache
@contest_errors
def result(request: HttpRequest, public_id: str) -> HttpResponse:
    now = timezone.now()
    found, _participant = _attempt_for(request, public_id)
    if found.state == AttemptState.OPEN:
        return redirect("contest:attempt", public_id=found.public_id)
    outcome = selectors.result_of(found, now)
    return render(
        request,
        "contest/result.html",
        {"result": outcome, "round": found.round, "contest": found.round.contest, "attempt": found},
    )


@require_GET
@contest_errors
def leaderboard(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Bảng xếp hạng of a ranked round (names masked), 50 a page, and its prize winners."""
    contest = selectors.contest_by_slug(slug)
    round_ = selectors.round_of(contest, number)
    if round_.ranked_at is None:
        raise ResultNotYet()
    count, _first = selectors.leaderboard(round_, limit=1)
    paginator = Paginator(range(count), 50)
    page = paginator.get_page(request.GET.get("trang"))
    _count, rows = selectors.leaderboard(round_, limit=50, offset=page.start_index() - 1 if count else 0)
    _n, winners = selectors.leaderboard(round_, limit=100, prizes_only=True)
    return render(
        request,
        "contest/leaderboard.html",
        {"contest": contest, "round": round_, "rows": rows, "page": page, "winners": winners, "count": count},
    )


@require_GET
@never_cache
@contest_errors
def certificate(request: HttpRequest, public_id: str) -> HttpResponse:
    """Giấy chứng nhận (PDF) of the visitor's participation in a round, once it is ranked; a
    prize certificate for a winner."""
    from .certificates import certificate_for, render_certificate

    found, _participant = _attempt_for(request, public_id)
    content = render_certificate(certificate_for(found))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="giay-chung-nhan-{found.round.contest.slug}-vong-{found.round.number}.pdf"'
    )
    return response


AGE_BAND_LABELS = {
    "<18": _lazy("Dưới 18 tuổi"),
    "18-30": _lazy("Từ 18 đến 30 tuổi"),
    "31-45": _lazy("Từ 31 đến 45 tuổi"),
    "46-60": _lazy("Từ 46 đến 60 tuổi"),
    ">60": _lazy("Trên 60 tuổi"),
    "?": _lazy("Không rõ"),
}


def _share(value: int, total: int) -> str:
    return f"{value * 100 / total:.1f}%".replace(".", ",") if total else "—"


def _chart(key: str, title: str, column: str, counts: dict[str, str | int], labels: dict[str, Any]) -> dict[str, Any]:
    total = sum(int(v) for v in counts.values())
    rows = [
        {"label": str(labels.get(k, k)), "value": int(v), "share": _share(int(v), total)} for k, v in counts.items()
    ]
    return {
        "id": key,
        "data_id": f"{key}-data",
        "title": title,
        "column": column,
        "rows": rows,
        "data": {"labels": [r["label"] for r in rows], "values": [r["value"] for r in rows]},
    }


@require_GET
@contest_errors
def participation(request: HttpRequest, slug: str) -> HttpResponse:
    """Số liệu tham gia of a contest, or of one of its rounds (``?vong=N``): participants by
    commune, group and age band, each as a bar chart with the same figures in a table beside."""
    contest = selectors.contest_by_slug(slug)
    rounds = list(contest.rounds.all())
    round_ = None
    number = request.GET.get("vong", "")
    if number:
        if not number.isdigit() or len(number) > 4:
            raise NotFound()
        round_ = selectors.round_of(contest, int(number))
    figures = selectors.participation(contest_id=contest.pk, round_ids=[round_.pk] if round_ is not None else None)
    groups = dict(Group.choices)
    charts = [
        _chart("by-group", _("Theo đối tượng dự thi"), _("Đối tượng"), dict(figures.by_group), groups),
        _chart("by-age", _("Theo độ tuổi"), _("Độ tuổi"), dict(figures.by_age_band), dict(AGE_BAND_LABELS)),
        _chart("by-commune", _("Theo xã, phường"), _("Xã, phường"), dict(figures.by_commune), {}),
    ]
    return render(
        request,
        "contest/participation.html",
        {"contest": contest, "rounds": rounds, "round": round_, "figures": figures, "charts": charts},
    )
