"""The service catalogue, referrals (sending, answering, inboxes), the report, notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from homeward.access.permissions import Perm, has_perm
from homeward.cases.selectors import active_sharing_consents, case_get
from homeward.core.forms import add_action_errors
from homeward.core.paging import paginate, query_without_page
from homeward.core.requests import actor_of
from homeward.services import actions, selectors
from homeward.services.forms import (
    CatalogueFilterForm,
    NoteForm,
    ProviderForm,
    ReferralFilterForm,
    ReferralForm,
    ReportFilterForm,
    ServiceTypeForm,
    VersionForm,
)
from homeward.services.models import Referral, ReferralStatus
from homeward.services.pipeline import RECEIVER_MOVES, SENDER_MOVES, allowed_moves
from homeward.services.report import referral_report as build_report

# --- the catalogue ---------------------------------------------------------------------------


def provider_list(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    providers = (
        selectors.providers_list(
            request.user,
            q=filters.get("q", ""),
            service_type=filters.get("service_type"),
            area=filters.get("area"),
        )
        if not form.errors
        else selectors.providers_list(request.user).none()
    )
    context = {
        "form": form,
        "page": paginate(request, providers),
        "query": query_without_page(request),
        "can_manage": has_perm(request.user, Perm.SERVICE_MANAGE),
        "can_report": has_perm(request.user, Perm.REPORT_VIEW),
        "can_send": has_perm(request.user, Perm.REFERRAL_SEND),
        "can_receive": has_perm(request.user, Perm.REFERRAL_RESPOND),
        "unread": selectors.unread_count(request.user),
    }
    template = "services/provider_list.html"
    if request.htmx and request.htmx.target == "provider-results":  # type: ignore[attr-defined]
        template += "#results"
    return render(request, template, context)


def provider_detail(request: HttpRequest, provider_uuid: str) -> HttpResponse:
    provider = selectors.provider_get(request.user, provider_uuid)
    context = {
        "provider": provider,
        "can_manage": has_perm(request.user, Perm.SERVICE_MANAGE),
    }
    return render(request, "services/provider_detail.html", context)


def provider_create(request: HttpRequest) -> HttpResponse:
    form = ProviderForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        data, types = form.action_data()
        try:
            provider = actions.provider_create(
                actor=actor_of(request), data=data, service_types=types
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Provider added to the catalogue."))
            return redirect("services:provider_detail", provider_uuid=provider.uuid)
    return render(
        request,
        "services/form.html",
        {"form": form, "title": _("New provider"), "back": "services:provider_list"},
        status=422 if form.errors else 200,
    )


def provider_update(request: HttpRequest, provider_uuid: str) -> HttpResponse:
    provider = selectors.provider_get(request.user, provider_uuid)
    form = ProviderForm(request.POST or None, initial=ProviderForm.initial_for(provider))
    if request.method == "POST" and form.is_valid():
        data, types = form.action_data()
        try:
            actions.provider_update(
                actor=actor_of(request),
                provider=provider,
                version=form.cleaned_data["version"],
                changes=data,
                service_types=types,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Provider saved."))
            return redirect("services:provider_detail", provider_uuid=provider.uuid)
    return render(
        request,
        "services/form.html",
        {"form": form, "title": provider.name, "back": "services:provider_list"},
        status=422 if form.errors else 200,
    )


def service_type_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "services/service_type_list.html",
        {
            "service_types": selectors.service_types(active_only=False),
            "can_manage": has_perm(request.user, Perm.SERVICE_MANAGE),
        },
    )


def service_type_create(request: HttpRequest) -> HttpResponse:
    form = ServiceTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.service_type_create(actor=actor_of(request), data=form.action_data())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Service type added."))
            return redirect("services:service_type_list")
    return render(
        request,
        "services/form.html",
        {"form": form, "title": _("New service type"), "back": "services:service_type_list"},
        status=422 if form.errors else 200,
    )


def service_type_update(request: HttpRequest, code: str) -> HttpResponse:
    service_type = selectors.service_type_get(code)
    form = ServiceTypeForm(
        request.POST or None, instance=service_type, initial={"version": service_type.version}
    )
    form.fields["code"].disabled = True  # consents name it; it never changes
    if request.method == "POST" and form.is_valid():
        try:
            actions.service_type_update(
                actor=actor_of(request),
                service_type=selectors.service_type_get(code),
                version=form.cleaned_data["version"],
                changes=form.action_data(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Service type saved."))
            return redirect("services:service_type_list")
    return render(
        request,
        "services/form.html",
        {"form": form, "title": service_type.display_name, "back": "services:service_type_list"},
        status=422 if form.errors else 200,
    )


# --- referrals -------------------------------------------------------------------------------


def referral_create(request: HttpRequest, case_uuid: str) -> HttpResponse:
    """Step one chooses the service (a GET form); step two the provider, consent and reason."""
    case = case_get(request.user, case_uuid)
    if not selectors.own_children(request.user).filter(pk=case.child_id).exists():
        # Seen through a share (e.g. as a receiving agency): referring it on is not theirs.
        return render(request, "errors/403.html", status=403)
    source = request.POST if request.method == "POST" else request.GET
    code = str(source.get("service_type", ""))[:60]
    service_type = selectors.service_types().filter(code=code).first() if code else None
    providers = (
        selectors.providers_for(service_type, case.child.home_location)
        if service_type is not None
        else selectors.providers_list(request.user).none()
    )
    consents = active_sharing_consents(case.child).filter(working_group__isnull=True)
    form = ReferralForm(
        request.POST or None,
        initial={"service_type": service_type.code if service_type else ""},
        providers=providers,
        consents=consents,
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = actions.referral_send(
                actor=actor_of(request),
                case=case,
                provider=form.cleaned_data["provider"],
                service_type=form.cleaned_data["service_type"],
                reason=form.cleaned_data["reason"],
                consent=form.cleaned_data["consent"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Referral sent to %(provider)s: an answer is due by %(due)s.")
                % {
                    "provider": referral.provider.name,
                    "due": date_format(
                        timezone.localtime(referral.due_at), "SHORT_DATETIME_FORMAT"
                    ),
                },
            )
            return redirect("services:referral_detail", referral_uuid=referral.uuid)
    context = {
        "case": case,
        "child": case.child,
        "form": form,
        "chooser": CatalogueFilterForm(initial={"service_type": code}),
        "service_type": service_type,
        "has_providers": service_type is not None and providers.exists(),
        "has_consents": consents.exists(),
    }
    template = "services/referral_form.html"
    if request.htmx and request.htmx.target == "referral-step":  # type: ignore[attr-defined]
        template += "#step"
    return render(request, template, context, status=422 if form.errors else 200)


def _moves_for(request: HttpRequest, referral: Referral) -> set[str]:
    """The moves this user may make now, for the buttons (the action checks again)."""
    possible = set(allowed_moves(referral.status))
    mine: set[str] = set()
    if has_perm(request.user, Perm.REFERRAL_RESPOND) and selectors.is_receiver(
        request.user, referral
    ):
        mine |= RECEIVER_MOVES
    if has_perm(request.user, Perm.REFERRAL_SEND) and selectors.is_sender(request.user, referral):
        mine |= SENDER_MOVES
    return possible & mine


def referral_detail(request: HttpRequest, referral_uuid: str) -> HttpResponse:
    referral = selectors.referral_get(request.user, referral_uuid)
    moves = _moves_for(request, referral)
    context = {
        "referral": referral,
        "child_visible": bool(selectors.visible_child_ids(request.user, [referral])),
        "is_sender": selectors.is_sender(request.user, referral),
        "history": selectors.referral_history(referral),
        "moves": moves,
        "now": timezone.now(),
        "S": ReferralStatus,
    }
    return render(request, "services/referral_detail.html", context)


def _back(referral: Referral) -> HttpResponse:
    return redirect("services:referral_detail", referral_uuid=referral.uuid)


def _plain_move(
    request: HttpRequest,
    referral_uuid: str,
    action: Callable[..., Referral],
    done: str,
) -> HttpResponse:
    referral = selectors.referral_get(request.user, referral_uuid)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        action(actor=actor_of(request), referral=referral, version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return _back(referral)


@require_POST
def referral_accept(request: HttpRequest, referral_uuid: str) -> HttpResponse:
    return _plain_move(request, referral_uuid, actions.referral_accept, _("Referral accepted."))


@require_POST
def referral_start(request: HttpRequest, referral_uuid: str) -> HttpResponse:
    return _plain_move(request, referral_uuid, actions.referral_start, _("Service started."))


def _note_move(
    request: HttpRequest,
    referral_uuid: str,
    *,
    action: Callable[..., Referral],
    field: str,
    label: Any,
    title: Any,
    done: str,
) -> HttpResponse:
    referral = selectors.referral_get(request.user, referral_uuid)
    form = NoteForm(request.POST or None, label=label, initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        try:
            action(
                actor=actor_of(request),
                referral=referral,
                version=form.cleaned_data["version"],
                **{field: form.cleaned_data["text"]},
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and field in error.error_dict:
                error = ValidationError({"text": error.error_dict.pop(field), **error.error_dict})
            add_action_errors(form, error)
        else:
            messages.success(request, done)
            return _back(referral)
    return render(
        request,
        "services/move_form.html",
        {"form": form, "referral": referral, "title": title},
        status=422 if form.errors else 200,
    )


def referral_decline(request: HttpRequest, referral_uuid: str) -> HttpResponse:
    return _note_move(
        request,
        referral_uuid,
        action=actions.referral_decline,
        field="reason",
        label=gettext_lazy("Reason for declining"),
        title=gettext_lazy("Decline the referral"),
        done=_("Referral declined."),
    )


def referral_complete(request: HttpRequest, referral_uuid: str) -> HttpResponse:
    return _note_move(
        request,
        referral_uuid,
        action=actions.referral_complete,
        field="outcome",
        label=gettext_lazy("Outcome"),
        title=gettext_lazy("Complete the service"),
        done=_("Service completed."),
    )


def referral_withdraw(request: HttpRequest, referral_uuid: str) -> HttpResponse:
    return _note_move(
        request,
        referral_uuid,
        action=actions.referral_withdraw,
        field="reason",
        label=gettext_lazy("Reason for withdrawing"),
        title=gettext_lazy("Withdraw the referral"),
        done=_("Referral withdrawn."),
    )


def _referral_box(request: HttpRequest, *, received: bool) -> HttpResponse:
    form = ReferralFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    base = (
        selectors.referrals_received(request.user)
        if received
        else selectors.referrals_sent(request.user)
    )
    referrals = selectors.referral_list(
        base, status=filters.get("status", ""), overdue=bool(filters.get("overdue"))
    )
    page = paginate(request, referrals)
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "received": received,
        "visible": selectors.visible_child_ids(request.user, list(page.object_list)),
        "can_send": has_perm(request.user, Perm.REFERRAL_SEND),
        "can_receive": has_perm(request.user, Perm.REFERRAL_RESPOND),
        "can_report": has_perm(request.user, Perm.REPORT_VIEW),
        "unread": selectors.unread_count(request.user),
        "now": timezone.now(),
    }
    return render(request, "services/referral_list.html", context)


def referral_inbox(request: HttpRequest) -> HttpResponse:
    """Referrals to the user's agencies: escalated and overdue ones first."""
    return _referral_box(request, received=True)


def referral_sent(request: HttpRequest) -> HttpResponse:
    return _referral_box(request, received=False)


def referral_report(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET or None)
    rows = []
    if form.is_valid() or not request.GET:
        filters: dict[str, Any] = form.cleaned_data if form.is_bound else {}
        rows = build_report(
            since=filters.get("since"),
            until=filters.get("until"),
            agency_code=(filters.get("agency") or "").strip(),
            service_type=filters.get("service_type"),
        )
    return render(
        request,
        "services/report.html",
        {"form": form, "rows": rows},
        status=422 if form.errors else 200,
    )


# --- notifications ---------------------------------------------------------------------------


def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.notifications_for(request.user))
    selectors.notifications_reworded(list(page.object_list))
    return render(
        request,
        "services/notification_list.html",
        {"page": page, "query": query_without_page(request)},
    )


@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (by the record it is about), or all of them."""
    source = request.POST.get("source", "")[:80]
    count = actions.notifications_mark_read(
        user=actor_of(request), source=source or None, everything=not source
    )
    if count:
        messages.success(request, _("Marked as read."))
    return redirect("services:notification_list")
