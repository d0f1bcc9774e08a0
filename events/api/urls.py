from django.urls import path

from events.api import checkins, events, registrations, results, survival

# str, not uuid: a malformed id answers with the JSON `event_not_found`, not Django's HTML 404.
app_name = "events-api"

urlpatterns = [
    path("events/", events.EventListView.as_view(), name="event-list"),
    path("event-changes/", events.PendingEventChangeListView.as_view(), name="pending-change-list"),
    path("events/<str:event_id>/", events.EventDetailView.as_view(), name="event-detail"),
    path("events/<str:event_id>/approve/", events.EventApproveView.as_view(), name="event-approve"),
    path("events/<str:event_id>/reject/", events.EventRejectView.as_view(), name="event-reject"),
    path("events/<str:event_id>/reschedule/", events.EventRescheduleView.as_view(), name="event-reschedule"),
    path("events/<str:event_id>/cancel/", events.EventCancelView.as_view(), name="event-cancel"),
    path("events/<str:event_id>/change/approve/", events.EventChangeApproveView.as_view(), name="change-approve"),
    path("events/<str:event_id>/change/reject/", events.EventChangeRejectView.as_view(), name="change-reject"),
    path("events/<str:event_id>/change/withdraw/", events.EventChangeWithdrawView.as_view(), name="change-withdraw"),
    path("events/<str:event_id>/roster/", events.EventRosterView.as_view(), name="event-roster"),
    path(
        "events/<str:event_id>/registrations/",
        registrations.EventRegistrationView.as_view(),
        name="event-register",
    ),
    path("events/<str:event_id>/checkins/", checkins.CheckInListView.as_view(), name="checkin-list"),
    path("events/<str:event_id>/checkins/pass/", checkins.PassCheckInView.as_view(), name="checkin-pass"),
    path("events/<str:event_id>/checkins/roster/", checkins.RosterCheckInView.as_view(), name="checkin-roster"),
    path("events/<str:event_id>/checkins/code/", checkins.CodeCheckInView.as_view(), name="checkin-code"),
    path("events/<str:event_id>/checkins/upload/", checkins.CheckInUploadView.as_view(), name="checkin-upload"),
    path(
        "events/<str:event_id>/checkins/<str:checkin_id>/undo/",
        checkins.CheckInUndoView.as_view(),
        name="checkin-undo",
    ),
    path("events/<str:event_id>/checkouts/", checkins.CheckOutView.as_view(), name="checkout"),
    path("events/<str:event_id>/result/", results.ResultView.as_view(), name="result"),
    path("events/<str:event_id>/result/verify/", results.ResultVerifyView.as_view(), name="result-verify"),
    path("events/<str:event_id>/survival-checks/", survival.SurvivalCheckListView.as_view(), name="survival-checks"),
    path("registrations/", registrations.RegistrationListView.as_view(), name="registration-list"),
    path(
        "registrations/<str:registration_id>/",
        registrations.RegistrationDetailView.as_view(),
        name="registration-detail",
    ),
    path(
        "registrations/<str:registration_id>/cancel/",
        registrations.RegistrationCancelView.as_view(),
        name="registration-cancel",
    ),
    path(
        "registrations/<str:registration_id>/pass/",
        registrations.RegistrationPassView.as_view(),
        name="registration-pass",
    ),
    path(
        "registrations/<str:registration_id>/pass.svg",
        registrations.RegistrationPassSvgView.as_view(),
        name="registration-pass-svg",
    ),
    path("account/delete/", registrations.AccountDeleteView.as_view(), name="account-delete"),
]
