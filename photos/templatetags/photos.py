"""`{% photo_urls photo as urls %}`: where a page shows a photo (its public files' URLs)."""

from django import template

from photos.models import Photo
from photos.selectors import photo_urls as urls_of

register = template.Library()


@register.simple_tag
def photo_urls(photo: Photo) -> dict[str, str]:
    return urls_of(photo)
