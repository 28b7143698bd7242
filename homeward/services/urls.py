from django.urls import path

from homeward.services import views

app_name = "services"

urlpatterns = [
    path("", views.provider_list, name="provider_list"),
    path("providers/new/", views.provider_create, name="provider_create"),
    path("providers/<uuid:provider_uuid>/", views.provider_detail, name="provider_detail"),
    path("providers/<uuid:provider_uuid>/edit/", views.provider_update, name="provider_update"),
    path("types/", views.service_type_list, name="service_type_list"),
    path("types/new/", views.service_type_create, name="service_type_create"),
    path("types/<slug:code>/edit/", views.service_type_update, name="service_type_update"),
    path("cases/<uuid:case_uuid>/refer/", views.referral_create, name="referral_create"),
    path("referrals/received/", views.referral_inbox, name="referral_inbox"),
    path("referrals/sent/", views.referral_sent, name="referral_sent"),
    path("referrals/<uuid:referral_uuid>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:referral_uuid>/accept/", views.referral_accept, name="referral_accept"),
    path(
        "referrals/<uuid:referral_uuid>/decline/", views.referral_decline, name="referral_decline"
    ),
    path("referrals/<uuid:referral_uuid>/start/", views.referral_start, name="referral_start"),
    path(
        "referrals/<uuid:referral_uuid>/complete/",
        views.referral_complete,
        name="referral_complete",
    ),
    path(
        "referrals/<uuid:referral_uuid>/withdraw/",
        views.referral_withdraw,
        name="referral_withdraw",
    ),
    path("report/", views.referral_report, name="referral_report"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read, name="notification_read"),
]
