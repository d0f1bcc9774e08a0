from django.urls import path

from volunteers.api import organisations, roles, signup, views

# str, not uuid: a malformed id answers with the JSON `…_not_found`, not Django's HTML 404.
urlpatterns = [
    path("auth/token/", views.TokenCreateView.as_view(), name="auth-token"),
    path("auth/signup/", signup.SignupView.as_view(), name="auth-signup"),
    path("auth/email/verify/", signup.EmailVerifyView.as_view(), name="auth-email-verify"),
    path("me/", views.MeView.as_view(), name="me"),
    path("organisations/", organisations.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<str:organisation_id>/",
        organisations.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/<str:organisation_id>/members/",
        organisations.OrganisationMemberListView.as_view(),
        name="organisation-members",
    ),
    path(
        "organisations/<str:organisation_id>/members/<str:volunteer_id>/",
        organisations.OrganisationMemberView.as_view(),
        name="organisation-member",
    ),
    path("volunteers/", roles.VolunteerListView.as_view(), name="volunteer-list"),
    path("volunteers/<str:volunteer_id>/", roles.VolunteerDetailView.as_view(), name="volunteer-detail"),
    path("volunteers/<str:volunteer_id>/roles/", roles.RoleGrantView.as_view(), name="role-grant"),
    path("volunteers/<str:volunteer_id>/roles/<str:role>/", roles.RoleRevokeView.as_view(), name="role-revoke"),
]
