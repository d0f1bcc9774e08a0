"""What the photos app does to images, with Pillow alone: an upload read and checked, its
perceptual hash, the public derivatives stripped of every metadata, and the location and time
the camera wrote in its EXIF (kept for the coordinator, never published).

Pure: bytes in, values out; no storage, no database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import warnings
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps

from photos.errors import PhotoInvalid, PhotoTooLarge

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}  # HEIC is not taken: phones send JPEG on upload
# What a broken or hostile file makes Pillow raise while reading it: each is a refusal, never a 500.
_UNREADABLE = (OSError, ValueError, SyntaxError, EOFError, TypeError, IndexError, KeyError, ZeroDivisionError)


@dataclass(frozen=True)
class Upload:
    """An upload checked: an image of a format we take, within the size and pixel limits."""

    content: bytes
    format: str  # FORMATS
    width: int  # after the EXIF orientation
    height: int
    digest: str  # sha256 of the bytes
    dhash: str  # 16 hex digits

    @property
    def extension(self) -> str:
        return FORMATS[self.format]


def read_upload(content: bytes, *, field: str = "file") -> Upload:
    """The upload checked, or a refusal naming `field`: larger than TAZA_PHOTO_MAX_BYTES (413
    `photo_too_large`), not an image of FORMATS, or more than TAZA_PHOTO_MAX_PIXELS pixels (a
    decompression bomb is refused from its header, before a pixel is decoded)."""
    if len(content) > settings.TAZA_PHOTO_MAX_BYTES:
        raise too_large(field)
    if not content:
        raise PhotoInvalid(fields={field: [_("The file is empty.")]})
    not_an_image = PhotoInvalid(fields={field: [_("The file is not a JPEG, PNG or WebP image.")]})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                kind, (width, height) = image.format, image.size
                _within_pixels(width, height, field)
                if kind not in FORMATS:
                    raise not_an_image
                image.verify()
            with Image.open(io.BytesIO(content)) as image:
                dhash = difference_hash(image)
                if image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8):
                    width, height = height, width
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoInvalid(fields={field: [_pixels_message()]}) from None
    except _UNREADABLE:
        raise not_an_image from None
    return Upload(
        content=content,
        format=kind,
        width=width,
        height=height,
        digest=hashlib.sha256(content).hexdigest(),
        dhash=dhash,
    )


def too_large(field: str) -> PhotoTooLarge:
    megabytes = settings.TAZA_PHOTO_MAX_BYTES / 2**20
    return PhotoTooLarge(fields={field: [_("A photo may be at most %(mb)s MB.") % {"mb": f"{megabytes:g}"}]})


def _pixels_message() -> str:
    return _("A photo may have at most %(mp)s million pixels.") % {"mp": settings.TAZA_PHOTO_MAX_PIXELS // 10**6}


def _within_pixels(width: int, height: int, field: str) -> None:
    if width * height > settings.TAZA_PHOTO_MAX_PIXELS or width < 1 or height < 1:
        raise PhotoInvalid(fields={field: [_pixels_message()]})


def difference_hash(image: Image.Image) -> str:
    """The 64-bit dHash: the image upright, in grey, shrunk to 9 x 8; each bit says whether a pixel
    is brighter than its right neighbour. Resizing, re-encoding and metadata change few bits; another
    scene changes about half. 16 hex digits."""
    if image.format == "JPEG":
        image.draft("L", (64, 64))  # decode at a fraction of the size: the hash needs 72 pixels
    grey = ImageOps.exif_transpose(image).convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = grey.tobytes()
    value = 0
    for row in range(8):
        for column in range(8):
            left, right = pixels[row * 9 + column], pixels[row * 9 + column + 1]
            value = (value << 1) | (left > right)
    return f"{value:016x}"


def hamming(a: str, b: str) -> int:
    """How many of the 64 bits of two dHashes differ."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


@dataclass(frozen=True)
class Derivatives:
    public: bytes  # JPEG, longest side at most TAZA_PHOTO_PUBLIC_SIDE, no metadata at all
    thumbnail: bytes  # JPEG, longest side at most TAZA_PHOTO_THUMBNAIL_SIDE, no metadata
    width: int
    height: int
    taken_at: dt.datetime | None  # from the EXIF: for the coordinator only
    latitude: float | None
    longitude: float | None


def derivatives(content: bytes) -> Derivatives:
    """The public image and its thumbnail, upright (the EXIF orientation applied to the pixels),
    re-encoded from the pixels alone into a new image: no EXIF, GPS, XMP, ICC profile or comment
    can ride along. The EXIF location and time are returned beside them."""
    with Image.open(io.BytesIO(content)) as image:
        exif = image.getexif()
        latitude, longitude = location(exif)
        taken = taken_at(exif)
        upright = _rgb(ImageOps.exif_transpose(image))
    large = _encoded(upright, settings.TAZA_PHOTO_PUBLIC_SIDE)
    small = _encoded(upright, settings.TAZA_PHOTO_THUMBNAIL_SIDE)
    return Derivatives(large[0], small[0], large[1], large[2], taken, latitude, longitude)


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def _encoded(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    resized = image.copy()
    resized.thumbnail((side, side), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", resized.size)  # a new image: its `info` is empty, whatever the original's
    clean.paste(resized)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), clean.width, clean.height


def location(exif: Image.Exif) -> tuple[float | None, float | None]:
    """The GPS latitude and longitude of the EXIF, in degrees, or (None, None)."""
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef), "S")
        lon = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef), "W")
    except (*_UNREADABLE, AttributeError):
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return round(lat, 6), round(lon, 6)


def _degrees(value, ref, negative: str) -> float:
    degrees, minutes, seconds = (float(part) for part in value)
    total = degrees + minutes / 60 + seconds / 3600
    ref = ref.decode() if isinstance(ref, bytes) else ref
    return -total if str(ref or "").strip().upper() == negative else total


def taken_at(exif: Image.Exif) -> dt.datetime | None:
    """When the photo was taken (DateTimeOriginal, else DateTime), with the camera's offset when it
    wrote one, else read in the platform's time zone (config/days.py: where the campaigns run)."""
    try:
        inner = exif.get_ifd(ExifTags.IFD.Exif)
    except _UNREADABLE:
        inner = {}
    raw = inner.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    offset = inner.get(ExifTags.Base.OffsetTimeOriginal)
    try:
        moment = dt.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except (ValueError, TypeError):
        return None
    if offset:
        try:
            return moment.replace(tzinfo=dt.datetime.strptime(str(offset).strip("\x00 "), "%z").tzinfo)
        except ValueError:
            pass
    return moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
