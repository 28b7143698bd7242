from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from homeward.accounts.actions import agency_save
from homeward.accounts.models import Agency, Membership, Team, User, WorkingGroup
from homeward.audit.actions import audit_record, diff
from homeward.audit.models import AuditAction

ACCESS_FIELDS = ["is_active", "is_staff", "is_superuser"]


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class HomewardUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Users and their roles; every change of access reaches the audit trail."""

    inlines = [MembershipInline]

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        before = {f: form.initial.get(f) for f in ACCESS_FIELDS} if change else {}
        super().save_model(request, obj, form, change)
        changed = diff(before, {f: getattr(obj, f) for f in ACCESS_FIELDS})
        if changed:
            audit_record(
                actor=request.user, action=AuditAction.PERMISSION_CHANGE, obj=obj, changes=changed
            )

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Any],
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is not Membership:
            return
        for membership in formset.new_objects:
            _record(request, membership, [None, _describe(membership)])
        for membership, _fields in formset.changed_objects:
            _record(request, membership, ["…", _describe(membership)])
        for membership in formset.deleted_objects:
            _record(request, membership, [_describe(membership), None])


def _describe(membership: Model) -> str:
    return f"{membership.role}@{membership.agency.code}"  # type: ignore[attr-defined]


def _record(request: HttpRequest, membership: Model, values: list[Any]) -> None:
    audit_record(
        actor=request.user,
        action=AuditAction.PERMISSION_CHANGE,
        obj=membership.user,  # type: ignore[attr-defined]
        changes={"membership": values},
    )


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "code", "kind", "parent", "area"]
    list_filter = ["kind"]
    search_fields = ["name", "name_latin", "code"]
    readonly_fields = ["path"]
    autocomplete_fields = ["parent"]

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        agency_save(actor=request.user, agency=obj)  # type: ignore[arg-type]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "agency"]
    search_fields = ["name"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "area"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
