from django.urls import path, register_converter

from frontend.views import (
    about,
    attendance,
    calendars,
    certificates,
    coordinator,
    dumps,
    emails,
    errata,
    offline,
    organisations,
    organiser,
    public,
    sharing,
    survival,
    volunteer,
)
from frontend.views.api_docs import ApiDocsView
from frontend.views.maps import basemap, with_map


class LanguageConverter:
    """One of the interface's languages, as in `preview.kk.png`: any other is no address of ours."""

    regex = "kk|ru|en"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LanguageConverter, "language")

urlpatterns = [
    # public
    path("", public.home, name="home"),
    path("events/", with_map(public.events), name="events"),
    path("events/<uuid:event_id>/", public.event, name="event"),
    path("events/<uuid:event_id>/calendar.ics", calendars.event_ics, name="event-calendar"),
    path("events/<uuid:event_id>/preview.<language:language>.png", sharing.event_preview, name="event-preview"),
    path("events/<uuid:event_id>/poster/", sharing.event_poster, name="event-poster"),
    path("preview.<language:language>.png", sharing.site_preview, name="site-preview"),
    path("calendar/<str:token>.ics", calendars.feed, name="calendar-feed"),
    # A certificate's public check: the form to type a code, and the page its QR code opens.
    path("certificates/", certificates.check, name="certificate-check"),
    path("certificates/<str:certificate_code>/", certificates.verify, name="certificate-verify"),
    path("unsubscribe/<str:token>/", emails.unsubscribe, name="unsubscribe"),
    # The dump registry (issue 17): the list with the liquidation rates, a dump's page, reporting one.
    path("dumps/", with_map(dumps.dump_list), name="dumps"),
    path("dumps/report/", with_map(dumps.dump_report), name="dump-report"),
    path("dumps/<uuid:dump_id>/", dumps.dump_page, name="dump"),
    path("dumps/<uuid:dump_id>/link/", dumps.dump_link, name="dump-link"),
    path("dumps/<uuid:dump_id>/liquidate/", dumps.dump_liquidate, name="dump-liquidate"),
    # the basemap operations supply (TAZA_MAP_PMTILES), by byte ranges, at its version's address
    path("maps/basemap/<slug:version>.pmtiles", basemap, name="map-basemap"),
    path("regions/", public.regions, name="regions"),
    path("regions/<str:code>/", public.region, name="region"),
    path("campaigns/<uuid:campaign_id>/", public.campaign, name="campaign"),
    path("open-data/", public.open_data, name="open-data"),
    path("open-data/errata/", errata.errata, name="errata"),
    path("organisations/", organisations.organisations, name="organisations"),
    path("organisations/<uuid:organisation_id>/", organisations.organisation, name="organisation"),
    path("volunteers/", organisations.volunteers, name="volunteers"),
    path("privacy/", about.privacy, name="privacy"),
    path("terms/", about.terms, name="terms"),
    path("accessibility/", about.accessibility, name="accessibility"),
    path("contact/", about.contact, name="contact"),
    path("help/", about.help_page, name="help"),
    path("language/", volunteer.language, name="language"),
    path("sw.js", offline.service_worker, name="service-worker"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    # volunteers
    path("events/<uuid:event_id>/register/", volunteer.register, name="event-register"),
    path("events/<uuid:event_id>/check-in/", attendance.checkin_code, name="event-checkin-code"),
    path("me/registrations/<uuid:registration_id>/cancel/", volunteer.cancel, name="registration-cancel"),
    path("me/events/", volunteer.my_events, name="my-events"),
    path("me/passes/<uuid:registration_id>/", volunteer.event_pass, name="pass"),
    path("me/certificate/", volunteer.certificate, name="certificate"),
    path("me/certificate.json", volunteer.certificate_download, name="certificate-download"),
    path("me/profile/", volunteer.profile, name="profile"),
    path("me/profile/emails/", emails.choices_save, name="email-choices"),
    path("me/profile/certificate/", certificates.name_choice_save, name="certificate-name-choice"),
    path("me/profile/calendar/reset/", calendars.feed_reset, name="calendar-reset"),
    path("me/delete/", volunteer.delete_account, name="account-delete-page"),
    # organisers
    path("organise/", organiser.index, name="organise"),
    path("organise/events/new/", with_map(organiser.event_new), name="organise-new"),
    path("organise/events/<uuid:event_id>/", organiser.console, name="organise-event"),
    path("organise/events/<uuid:event_id>/edit/", with_map(organiser.event_edit_page), name="organise-edit"),
    path("organise/events/<uuid:event_id>/reschedule/", organiser.event_reschedule_page, name="organise-reschedule"),
    path("organise/events/<uuid:event_id>/cancel/", organiser.event_cancel_page, name="organise-cancel"),
    path(
        "organise/events/<uuid:event_id>/change/withdraw/",
        organiser.event_change_withdraw_page,
        name="organise-change-withdraw",
    ),
    path("organise/events/<uuid:event_id>/roster/", organiser.roster_fragment, name="organise-roster"),
    path("organise/events/<uuid:event_id>/check-in-qr.svg", attendance.checkin_qr, name="checkin-qr"),
    path("organise/events/<uuid:event_id>/checkin/roster/", organiser.checkin_roster, name="checkin-roster-page"),
    path("organise/events/<uuid:event_id>/checkin/pass/", organiser.checkin_pass, name="checkin-pass-page"),
    path(
        "organise/events/<uuid:event_id>/checkin/<uuid:checkin_id>/undo/",
        organiser.checkin_undo_page,
        name="checkin-undo-page",
    ),
    path("organise/events/<uuid:event_id>/result/", organiser.result, name="organise-result"),
    path("organise/events/<uuid:event_id>/photos/", organiser.result_photos, name="organise-photos"),
    path("organise/events/<uuid:event_id>/survival/", survival.survival_check_page, name="organise-survival"),
    # coordinators
    path("coordinate/", coordinator.worklist, name="coordinate"),
    path("coordinate/dumps/<uuid:dump_id>/<str:decision>/", dumps.dump_decide, name="coordinate-dump"),
    path("coordinate/events/<uuid:event_id>/approve/", coordinator.approve, name="coordinate-approve"),
    path("coordinate/events/<uuid:event_id>/reject/", coordinator.reject, name="coordinate-reject"),
    path("coordinate/events/<uuid:event_id>/verify/", coordinator.verify, name="coordinate-verify"),
    path("coordinate/photos/<uuid:photo_id>/hide/", coordinator.photo_hide, name="coordinate-photo-hide"),
    path(
        "coordinate/events/<uuid:event_id>/change/approve/",
        coordinator.change_approve,
        name="coordinate-change-approve",
    ),
    path(
        "coordinate/events/<uuid:event_id>/change/reject/", coordinator.change_reject, name="coordinate-change-reject"
    ),
]
