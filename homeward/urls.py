from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from homeward.api.api import api
from homeward.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("homeward.accounts.urls")),
    path("children/", include("homeward.registry.urls")),
    path("institutions/", include("homeward.institutions.urls")),
    path("cases/", include("homeward.cases.urls")),
    path("plans/", include("homeward.plans.urls")),
    path("assessments/", include("homeward.assessments.urls")),
    path("care/", include("homeward.care.urls")),
    path("carers/", include("homeward.carers.urls")),
    path("matching/", include("homeward.matching.urls")),
    path("services/", include("homeward.services.urls")),
    path("indicators/", include("homeward.indicators.urls")),
    path("imports/", include("homeward.imports.urls")),
    path("exports/", include("homeward.exports.urls")),
    path("access/", include("homeward.access.urls")),
    path("audit/", include("homeward.audit.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler404 = "homeward.core.views.not_found"
handler500 = "homeward.core.views.server_error"
