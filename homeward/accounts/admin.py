from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from homeward.accounts.models import Agency, Membership, Team, User


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class HomewardUserAdmin(UserAdmin):  # type: ignore[type-arg]
    inlines = [MembershipInline]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "code", "kind", "parent", "area"]
    list_filter = ["kind"]
    search_fields = ["name", "name_latin", "code"]
    readonly_fields = ["path"]
    autocomplete_fields = ["parent"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "agency"]
    search_fields = ["name"]
