"""Accounts for tests, created the way allauth leaves them after sign-up (and confirmation)."""

from allauth.account.models import EmailAddress

from volunteers.models import User

PASSWORD = "kokterek-2026-taza"


def user_create(*, email: str, verified: bool = True, display_name: str = "", password: str = PASSWORD) -> User:
    user = User.objects.create_user(email=email, password=password, display_name=display_name)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user
