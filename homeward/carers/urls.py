from django.urls import path

from homeward.carers import views

app_name = "carers"

urlpatterns = [
    path("", views.carer_list, name="carer_list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("new/", views.carer_create, name="carer_create"),
    path("courses/", views.course_list, name="course_list"),
    path("<uuid:household_uuid>/", views.carer_detail, name="carer_detail"),
    path("<uuid:household_uuid>/edit/", views.carer_update, name="carer_update"),
    path("<uuid:household_uuid>/move/", views.carer_move, name="carer_move"),
    path("<uuid:household_uuid>/approve/", views.carer_approve, name="carer_approve"),
    path("<uuid:household_uuid>/terms/", views.terms_set, name="terms_set"),
    path("<uuid:household_uuid>/members/new/", views.member_add, name="member_add"),
    path("<uuid:household_uuid>/checks/new/", views.check_add, name="check_add"),
    path("<uuid:household_uuid>/documents/new/", views.document_add, name="document_add"),
    path("<uuid:household_uuid>/training/new/", views.training_add, name="training_add"),
    path("<uuid:household_uuid>/visits/new/", views.visit_add, name="visit_add"),
    path("<uuid:household_uuid>/reviews/new/", views.review_add, name="review_add"),
    path("<uuid:household_uuid>/home-study/", views.home_study, name="home_study"),
]
