"""Django admin for accounts and organisations. Roles are the groups; a coordinator needs a region."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from events.services import volunteer_delete
from volunteers.models import Organisation, User
from volunteers.roles import is_admin, validate_coordinator_region


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

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        volunteer_delete(actor=request.user, volunteer=obj, source="admin")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            volunteer_delete(actor=request.user, volunteer=user, source="admin")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "created_at"]
    list_filter = ["kind", "region"]
    search_fields = ["name"]
    list_select_related = ["region"]
    readonly_fields = ["id", "created_at"]
