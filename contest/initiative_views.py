"""Trang cuộc thi sáng kiến, giải pháp cải cách hành chính: the contest with its window and rubric;
staff submitting an initiative (officers signed in with both steps); the panel's judges scoring
each initiative blind (by its code, never its author) against the weighted rubric; the
published results with the winning initiatives in full.

Views are thin: reads through ``selectors``, writes through ``services``; every
``errors.ContestError`` becomes the contest's localized refusal page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.officer_views import officer_required
from documents.services import file_read
from org.models import Membership

from . import selectors, services
from .errors import InitiativeInvalid, NotFound, SubmissionsClosed
from .forms import InitiativeForm, ScorecardForm
from .models import Contest, ContestKind
from .views import contest_errors


def _initiative_contest(slug: str) -> Contest:
    contest = selectors.contest_by_slug(slug)
    if contest.kind != ContestKind.INITIATIVE:
        raise NotFound()
    return contest


def initiative_detail(request: HttpRequest, contest: Contest) -> HttpResponse:
    """The contest's page when it is an initiative contest (called by ``views.contest_detail``)."""
    now = timezone.now()
    return render(
        request,
        "contest/initiative_detail.html",
        {
            "contest": contest,
            "stage": selectors.initiative_stage(contest, now),
            "criteria": selectors.criteria_of(contest),
            "mine": selectors.initiatives_of_author(contest, request.user),
            "judge": selectors.judge_of(contest, request.user),
        },
    )


def _unit_of(user: Any) -> str:
    today = timezone.localdate()
    membership = (
        Membership.objects.filter(user=user, valid_from__lte=today)
        .exclude(valid_to__lt=today)
        .select_related("agency")
        .first()
    )
    return membership.agency.name if membership is not None else ""


@require_http_methods(["GET", "POST"])
@never_cache
@officer_required
@contest_errors
def initiative_submit(request: HttpRequest, slug: str) -> HttpResponse:
    """Gửi sáng kiến (cán bộ, công chức, viên chức), within the contest's window."""
    now = timezone.now()
    contest = _initiative_contest(slug)
    if not selectors.initiative_stage(contest, now).submissions_open:
        raise SubmissionsClosed()
    if request.method == "POST":
        form = InitiativeForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            draft = services.InitiativeDraft(
                title=data["title"],
                problem=data["problem"],
                solution=data["solution"],
                expected_effect=data["expected_effect"],
                author_unit=data["author_unit"],
            )
            uploads = [services.Upload(f, f.name) for f in data["attachments"]]
            try:
                initiative = services.initiative_submit(
                    contest=contest, author=request.user, draft=draft, uploads=uploads, now=now
                )
            except InitiativeInvalid as refused:
                for field, message in refused.problems.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("Đã gửi sáng kiến “%(title)s”, mã %(code)s.")
                    % {"title": initiative.title, "code": initiative.code},
                )
                return redirect("contest:detail", slug=contest.slug)
    else:
        form = InitiativeForm(initial={"author_unit": _unit_of(request.user)})
    return render(request, "contest/initiative_submit.html", {"contest": contest, "form": form})


def _judge(request: HttpRequest, contest: Contest) -> Any:
    judge = selectors.judge_of(contest, request.user)
    if judge is None:
        raise NotFound()
    return judge


@require_GET
@never_cache
@officer_required
@contest_errors
def judging_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Chấm sáng kiến: the initiatives by code, each with the judge's own scorecard, if any."""
    now = timezone.now()
    contest = _initiative_contest(slug)
    judge = _judge(request, contest)
    items = selectors.judging_list(contest, judge)
    return render(
        request,
        "contest/judging_list.html",
        {
            "contest": contest,
            "items": items,
            "stage": selectors.initiative_stage(contest, now),
            "done": sum(1 for i in items if i.card is not None or i.own),
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
@officer_required
@contest_errors
def judging_score(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Phiếu chấm of one initiative: its content (no author), the rubric with its weights; saved
    whole, replaced when saved again, until the organiser ranks."""
    now = timezone.now()
    contest = _initiative_contest(slug)
    judge = _judge(request, contest)
    initiative, blind = selectors.blind_initiative(contest, judge, code)
    criteria = selectors.criteria_of(contest)
    initial: dict[str, Any] = {}
    if blind.card is not None:
        initial = {f"criterion_{k}": v for k, v in blind.card.points.items()} | {"comment": blind.card.comment}
    form = ScorecardForm(request.POST if request.method == "POST" else None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            card = services.scorecard_save(
                initiative=initiative,
                user=request.user,
                points=form.points(),
                comment=form.cleaned_data["comment"],
                now=now,
            )
        except InitiativeInvalid as refused:
            for field, message in refused.problems.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Đã lưu phiếu chấm sáng kiến %(code)s: %(score)s điểm.")
                % {"code": initiative.code, "score": f"{card.score:.2f}".replace(".", ",")},
            )
            return redirect("contest:judging", slug=contest.slug)
    return render(
        request,
        "contest/judging_score.html",
        {
            "contest": contest,
            "item": blind,
            "form": form,
            "stage": selectors.initiative_stage(contest, now),
            "total_weight": sum(c.weight for c in criteria),
        },
    )


@require_GET
@contest_errors
def attachment(request: HttpRequest, slug: str, code: str, attachment_id: int) -> HttpResponse:
    """Tệp đính kèm: for the author, the panel, or anybody once the initiative is a published winner."""
    contest = _initiative_contest(slug)
    found = selectors.attachment_for(contest, code, attachment_id, request.user)
    response = HttpResponse(file_read(found.file), content_type=found.file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{code}-{found.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@contest_errors
def results(request: HttpRequest, slug: str) -> HttpResponse:
    """Kết quả cuộc thi sáng kiến, once published: the ranking with authors and their units."""
    contest = _initiative_contest(slug)
    ranked = selectors.initiative_results(contest)
    return render(
        request,
        "contest/initiative_results.html",
        {"contest": contest, "ranked": ranked, "winners": [i for i in ranked if i.prize]},
    )


@require_GET
@contest_errors
def winner(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """A winning initiative in full, once the results are published."""
    contest = _initiative_contest(slug)
    initiative = selectors.published_winner(contest, code)
    return render(
        request,
        "contest/initiative_show.html",
        {"contest": contest, "initiative": initiative, "attachments": list(initiative.attachments.all())},
    )
