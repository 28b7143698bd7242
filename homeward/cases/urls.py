from django.urls import path

from homeward.cases import views

app_name = "cases"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("my-work/<slug:group>/", views.task_list, name="task_list"),
    path("team/", views.my_team, name="my_team"),
    path("<uuid:case_uuid>/", views.case_detail, name="case_detail"),
    path("<uuid:case_uuid>/chronology/", views.case_chronology, name="case_chronology"),
    path("<uuid:case_uuid>/move/", views.case_move, name="case_move"),
    path("<uuid:case_uuid>/risk/", views.case_risk, name="case_risk"),
    path("<uuid:case_uuid>/notes/new/", views.case_note_add, name="case_note_add"),
    path("<uuid:case_uuid>/close/", views.case_closure_request, name="case_closure_request"),
    path("<uuid:case_uuid>/close/decide/", views.case_closure_decide, name="case_closure_decide"),
    path("<uuid:case_uuid>/reopen/", views.case_reopen, name="case_reopen"),
    path("tasks/<uuid:task_uuid>/done/", views.task_complete, name="task_complete"),
    path("<uuid:case_uuid>/attachments/new/", views.attachment_add, name="attachment_add"),
    path(
        "attachments/<uuid:attachment_uuid>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("<uuid:case_uuid>/conferences/new/", views.conference_add, name="conference_add"),
    path("children/<uuid:child_uuid>/consents/new/", views.consent_create, name="consent_create"),
    path("consents/<uuid:consent_uuid>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
