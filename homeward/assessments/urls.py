from django.urls import path

from homeward.assessments import views

app_name = "assessments"

urlpatterns = [
    path("cases/<uuid:case_uuid>/", views.case_assessments, name="case_assessments"),
    path("cases/<uuid:case_uuid>/new/", views.assessment_start, name="assessment_start"),
    path("cases/<uuid:case_uuid>/compare/", views.assessment_compare, name="assessment_compare"),
    path("<uuid:assessment_uuid>/", views.assessment_detail, name="assessment_detail"),
    path("<uuid:assessment_uuid>/edit/", views.assessment_edit, name="assessment_edit"),
    path("<uuid:assessment_uuid>/decide/", views.assessment_decide, name="assessment_decide"),
    path("forms/", views.template_list, name="template_list"),
    path("forms/<slug:code>/new-version/", views.template_new_version, name="template_new_version"),
    path("forms/<slug:code>/in-use/", views.template_active, name="template_active"),
]
