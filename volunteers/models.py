"""Accounts and personal data: the only place a volunteer's name, email, phone and birth date live."""

import secrets
from datetime import date

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from config.languages import LANGUAGES, Written, in_language, written_in
from ledger.ids import uuid7


def calendar_token_new() -> str:
    return secrets.token_urlsafe(32)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class Organisation(models.Model):
    """A school, university eco-club, NGO, company or akimat department that organisers act for."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("school")
        UNIVERSITY = "university", _("university")
        NGO = "ngo", _("NGO")
        COMPANY = "company", _("company")
        AKIMAT = "akimat", _("akimat department")

    # The id is what facts carry; it is public and never reused.
    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    # The name as written, in one language or more ("" where not written); `name` reads it in the
    # reader's language, else the first written in the order kk, ru, en (config/languages.py).
    name_kk = models.CharField(_("name in Kazakh"), max_length=200, blank=True)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "reference.Region", on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_kk", "name_ru", "name_en", "id"]
        # Events are shown under the organisation's name: two of one name in a region would be one,
        # in whichever language a reader reads it.
        constraints = [
            models.UniqueConstraint(
                Lower(f"name_{lang}"),
                "region",
                condition=~Q(**{f"name_{lang}": ""}),
                name=f"volunteers_organisation_name_{lang}_in_region",
            )
            for lang in LANGUAGES
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.written_names)

    @property
    def written_names(self) -> Written:
        """{language: name}, only the languages written."""
        return written_in({lang: getattr(self, f"name_{lang}") for lang in LANGUAGES})


class User(AbstractUser):
    """A person with an account. Facts refer to them only by `volunteer_id`."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    volunteer_id = models.UUIDField(_("volunteer id"), default=uuid7, unique=True, editable=False)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    region = models.ForeignKey(
        "reference.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("home region"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    coordinator_region = models.ForeignKey(
        "reference.Region",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinators",
        verbose_name=_("region coordinated"),
        help_text=_("For coordinators: the one region whose events and results they verify."),
    )
    language = models.CharField(_("language"), max_length=5, blank=True)
    show_on_leaderboards = models.BooleanField(_("show me on leaderboards"), default=False)
    # Whether the public page that checks the person's certificates shows their name (certificates/):
    # off until they choose it, as their name is on no other public page unless they choose that too.
    certificate_shows_name = models.BooleanField(_("show my name where my certificates are checked"), default=False)
    # Which emails the person wants (profile page, or one click on an email's unsubscribe link).
    emails_confirmations = models.BooleanField(_("confirmations of my registrations"), default=True)
    emails_reminders = models.BooleanField(_("reminders before my events"), default=True)
    emails_changes = models.BooleanField(_("changes of time or place and cancellations"), default=True)
    emails_verification = models.BooleanField(_("the coordinator's decision on my results"), default=True)
    # The secret in the address of the person's calendar feed (/calendar/<token>.ics); a reset
    # replaces it, and the old address answers 404.
    calendar_token = models.CharField(max_length=64, unique=True, default=calendar_token_new, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.display_name or self.email

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))
