"""Photos in an S3-compatible bucket, the way production keeps them (TAZA_PHOTO_STORAGE=s3 through
django-storages), against a real S3 server started here: moto's server mode on a free port. The
upload goes through the API, the task makes the public files, and the public object read back
from the bucket has no metadata; the original stays under its private prefix."""

from __future__ import annotations

import io
import json
import socket
import sys
import uuid

import pytest
from PIL import Image

from photos.models import PhotoFile
from tests.live import LiveProcess, django_env, free_port, run_python
from tests.photos.conftest import GPS, TAKEN, jpeg, upload

boto3 = pytest.importorskip("boto3", reason="boto3 is in requirements.txt; install it to run the S3 tests")
pytest.importorskip("moto.server", reason="moto[server] is in requirements.txt; install it to run the S3 tests")

pytestmark = pytest.mark.django_db
KEYS = {"access_key": "taza-test", "secret_key": "taza-test-secret"}


class MotoServer(LiveProcess):
    """moto's S3-compatible server on a free port, holding everything in memory."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)], env=django_env()
        )

    def is_ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False


@pytest.fixture(scope="module")
def s3_server():
    with MotoServer() as server:
        yield server


@pytest.fixture
def bucket(s3_server, settings):
    """A new bucket, and both photo storages in it as the s3 settings make them (config/settings/base.py)."""
    name = f"taza-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3", endpoint_url=s3_server.url, region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"], aws_secret_access_key=KEYS["secret_key"],
    )  # fmt: skip
    client.create_bucket(Bucket=name)
    common = {
        "bucket_name": name,
        "endpoint_url": s3_server.url,
        "region_name": "us-east-1",
        "file_overwrite": True,
        **KEYS,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**common, "location": "originals"}},
        "photos_public": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**common, "location": "public", "querystring_auth": False},
        },
    }
    return client, name


def test_an_upload_is_stored_in_the_bucket_and_its_public_object_has_no_metadata(
    bucket, client_for, organiser, event, committing
):
    client, name = bucket
    with committing():
        answer = client_for(organiser).post(
            "/api/v1/photos/",
            {"file": upload(jpeg(size=(2000, 1500), gps=GPS, taken=TAKEN)), "subject": "result",
             "subject_id": str(event.id), "role": "after"},
            format="multipart",
        )  # fmt: skip
    assert answer.status_code == 201, answer.json()
    photo_id = answer.json()["id"]

    keys = sorted(item["Key"] for item in client.list_objects_v2(Bucket=name)["Contents"])
    assert keys == [f"originals/{photo_id}.jpg", f"public/{photo_id}-thumb.jpg", f"public/{photo_id}.jpg"]
    public = client.get_object(Bucket=name, Key=f"public/{photo_id}.jpg")["Body"].read()
    image = Image.open(io.BytesIO(public))
    assert (image.format, image.size, dict(image.getexif())) == ("JPEG", (1600, 1200), {})
    assert "exif" not in image.info and b"TestCam" not in public
    original = client.get_object(Bucket=name, Key=f"originals/{photo_id}.jpg")["Body"].read()
    assert Image.open(io.BytesIO(original)).getexif()[0x010F] == "TestCam"  # the original is kept as sent
    assert PhotoFile.objects.get(pk=photo_id).latitude == 51.1283

    # the public address is the bucket's, with no signature: a public prefix or a CDN serves it
    listed = client_for(None).get("/api/v1/photos/", {"subject_id": str(event.id)}).json()["results"]
    assert listed[0]["url"] == f"{client.meta.endpoint_url}/{name}/public/{photo_id}.jpg"


def test_the_environment_selects_the_s3_storages():
    env = django_env(
        TAZA_PHOTO_STORAGE="s3",
        TAZA_PHOTO_S3_BUCKET="taza-photos",
        TAZA_PHOTO_S3_ENDPOINT_URL="https://s3.example.kz",
        TAZA_PHOTO_S3_ACCESS_KEY_ID="key",
        TAZA_PHOTO_S3_SECRET_ACCESS_KEY="secret",
        TAZA_PHOTO_S3_PUBLIC_DOMAIN="photos.example.kz",
    )
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({**{k: settings.STORAGES[k] for k in ('photos', 'photos_public')}, "
        "'img-src': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
    )
    done = run_python(code, env=env)
    assert done.returncode == 0, done.stderr
    storages = json.loads(done.stdout)
    assert storages["photos"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "taza-photos",
            "endpoint_url": "https://s3.example.kz",
            "region_name": None,
            "access_key": "key",
            "secret_key": "secret",
            "file_overwrite": True,
            "location": "originals",
        },
    }
    assert storages["photos_public"]["OPTIONS"] == {
        **storages["photos"]["OPTIONS"],
        "location": "public",
        "querystring_auth": False,
        "custom_domain": "photos.example.kz",
    }
    assert storages["img-src"] == ["'self'", "data:", "https://photos.example.kz"]  # the pages may show them
