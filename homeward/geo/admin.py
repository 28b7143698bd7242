from django.contrib import admin

from homeward.geo.models import Location


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name_local", "name_latin", "level", "iso_code"]
    list_filter = ["level"]
    search_fields = ["code", "name_local", "name_ru", "name_latin"]
    readonly_fields = ["path", "parent", "level", "code"]
