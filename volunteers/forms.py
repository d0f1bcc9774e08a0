"""The extra fields of the sign-up form."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reference.models import Region
from volunteers.models import User
from volunteers.services import volunteer_profile_update


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS); allauth adds email and password."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        help_text=_("Shown to organisers of the events you join, and on leaderboards if you allow it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    region = forms.ModelChoiceField(
        label=_("Home region"),
        queryset=Region.objects.order_by("code"),
        required=False,
        empty_label=_("Choose later"),
    )

    def signup(self, request, user: User) -> None:
        volunteer_profile_update(
            user=user,
            display_name=self.cleaned_data["display_name"],
            region=self.cleaned_data["region"],
            language=(get_language() or "")[:5],
        )
