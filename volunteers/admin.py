"""Django admin for accounts and organisations. Roles are the groups; a coordinator needs a region.

The admin ticks role groups as before, but the organiser, coordinator and admin roles are facts:
on save, the difference between the roles held and the roles ticked (and a coordinator's new
region) goes through `role_grant` and `role_revoke`, as the API's grants do, with the admin as
actor. Other groups are saved as Django saves them.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from config.languages import LANGUAGES
from events.services import volunteer_delete
from ledger.admin import show_projections_to
from volunteers.facts import POWERS
from volunteers.models import Organisation, User
from volunteers.roles import Role, is_admin, validate_coordinator_region
from volunteers.services import role_grant, role_revoke

# Every projection's table in the admin (ledger.admin.ReadOnlyAdmin) is shown to admins, the role.
show_projections_to(is_admin)


class AdminUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def clean(self) -> dict:
        cleaned = super().clean()
        # Groups are edited directly here, so the rule role_grant enforces is checked here too.
        roles = [group.name for group in cleaned.get("groups") or []]
        try:
            validate_coordinator_region(roles=roles, coordinator_region=cleaned.get("coordinator_region"))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class AdminUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("email",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    ordering = ["email"]
    list_display = ["email", "display_name", "region", "organisation", "coordinator_region", "is_staff", "is_active"]
    list_filter = ["groups", "is_staff", "is_active", "region"]
    search_fields = ["email", "display_name", "first_name", "last_name", "phone"]
    list_select_related = ["region", "organisation", "coordinator_region"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["volunteer_id", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password", "volunteer_id"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "display_name",
                    "first_name",
                    "last_name",
                    "phone",
                    "birth_date",
                    "region",
                    "organisation",
                    "language",
                    "show_on_leaderboards",
                ]
            },
        ),
        (_("Roles"), {"fields": ["groups", "coordinator_region"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

    # Deleting a person here is erasing them, through the one erasure service (places at events to
    # come given back with the waitlist promoted, attendance kept, the admin log scrubbed), on the
    # delete page and in the "delete selected" action alike. Only admins erase other people.
    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return is_admin(request.user) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        # The region coordinated moves with the coordinator role (save_related), not with the row.
        obj.coordinator_region_id = (
            User.objects.values_list("coordinator_region", flat=True).get(pk=obj.pk) if change else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        user = form.instance
        held = set(user.groups.filter(name__in=POWERS).values_list("name", flat=True))
        wanted = held
        if "groups" in form.cleaned_data:
            ticked = list(form.cleaned_data["groups"])
            wanted = {group.name for group in ticked if group.name in POWERS}
            # Django sets the other groups; the powers stay as they are for the services to move.
            form.cleaned_data["groups"] = [group for group in ticked if group.name not in POWERS] + list(
                user.groups.filter(name__in=POWERS)
            )
        super().save_related(request, form, formsets, change)
        for role in (Role(name) for name in POWERS):
            if role.value in wanted:
                # Records nothing when the role (and the region coordinated) is already held.
                region = form.cleaned_data.get("coordinator_region") if role is Role.COORDINATOR else None
                role_grant(user=user, role=role, region=region, actor=request.user)
            elif role.value in held:
                role_revoke(user=user, role=role, actor=request.user)

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        volunteer_delete(actor=request.user, volunteer=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            volunteer_delete(actor=request.user, volunteer=user)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name_kk", "name_ru", "name_en", "kind", "region"]

    def clean(self) -> dict:
        """A name in one language at least, as the API's rule (volunteers.services.organisation_create)."""
        data = super().clean()
        for lang in LANGUAGES:
            data[f"name_{lang}"] = " ".join((data.get(f"name_{lang}") or "").split())
        if not any(data[f"name_{lang}"] for lang in LANGUAGES):
            self.add_error("name_kk", _("Write it in at least one language: Kazakh, Russian or English."))
        return data


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ["__str__", "kind", "region", "created_at"]
    list_filter = ["kind", "region"]
    search_fields = ["name_kk", "name_ru", "name_en"]
    list_select_related = ["region"]
    readonly_fields = ["id", "created_at"]
