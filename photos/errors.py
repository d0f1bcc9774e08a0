"""The refusals of the photos services, each with its stable code (see config/errors.py)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from config.errors import Conflict, DomainError, Forbidden, NotFound


class PhotoInvalid(DomainError):
    """The file is not an image we take, or the request names no subject we know; `fields` says why."""

    code = "photo_invalid"
    default_message = _("The photo is not valid.")


class PhotoTooLarge(DomainError):
    code = "photo_too_large"
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_message = _("The photo is larger than the platform takes.")


class PhotoNotFound(NotFound):
    code = "photo_not_found"
    default_message = _("There is no such photo.")


class PhotoSubjectNotFound(NotFound):
    code = "photo_subject_not_found"
    default_message = _("There is no such dump or event to attach a photo to.")


class PhotoNotAllowed(Forbidden):
    code = "photo_not_allowed"
    default_message = _("You may not attach a photo to this.")


class NotPhotoCoordinator(Forbidden):
    code = "coordinator_required"
    default_message = _("Only the coordinator of the photo's region may do this.")


class PhotoAlreadyHidden(Conflict):
    code = "photo_hidden"
    default_message = _("The photo is hidden already.")


class PhotosLimited(DomainError):
    code = "too_many_photos"
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_message = _("You have uploaded many photos recently; try again later.")

    def __init__(self, retry_after: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.headers["Retry-After"] = str(retry_after)
