from django.contrib import admin

from homeward.institutions.models import Institution


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Configuration of institutions; their residents are child data and stay out of admin."""

    list_display = ["name", "code", "kind", "capacity", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_latin", "code"]
    readonly_fields = ["uuid", "version"]
