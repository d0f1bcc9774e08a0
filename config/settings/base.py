"""Settings shared by every environment; everything that differs comes from the environment."""

from pathlib import Path

import environ
from csp import constants as csp
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))
# After .env is read: a TAZA_VAR_DIR there counts like one in the environment.
VAR_DIR = Path(env.str("TAZA_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Database -------------------------------------------------------------------------------
# The embedded default is SQLite in var/; production and CI set DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'taza.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web, worker and beat processes read while one writes; IMMEDIATE takes the
    # write lock at BEGIN so two writers queue instead of deadlocking on a lock upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode (platform/DEPLOY.md): consecutive transactions of one
    # connection may run on different server connections, so nothing may outlive a transaction on
    # the server: no prepared statement (PgBouncer before 1.21 does not carry them over), no
    # cursor WITH HOLD (the ORM's .iterator() outside a transaction).
    if env.bool("DATABASE_PGBOUNCER", default=False):
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# Streaming replicas for the public read side (config/replicas.py): one URL or several, comma-separated;
# aliases replica_0, replica_1, … Tests mirror them onto the test database.
for _number, _url in enumerate(env.list("DATABASE_REPLICA_URL", default=[])):
    DATABASES[f"replica_{_number}"] = {
        **env.db_url_config(_url),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # A replica that does not answer is set aside quickly, and its reads go to the primary.
            "connect_timeout": env.int("DATABASE_REPLICA_CONNECT_TIMEOUT", default=2),
            **{k: v for k, v in DATABASES["default"].get("OPTIONS", {}).items() if k == "prepare_threshold"},
        },
        "DISABLE_SERVER_SIDE_CURSORS": DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS", False),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.replicas.ReplicaRouter"]
# A replica further behind the primary than this is not read (seconds); its lag and reachability are
# checked at most this often per process; one that failed is tried again after this long; a client
# that wrote reads the primary for this long (its next pages show what it did).
TAZA_REPLICA_MAX_LAG_SECONDS = env.float("TAZA_REPLICA_MAX_LAG_SECONDS", default=5.0)
TAZA_REPLICA_CHECK_SECONDS = env.float("TAZA_REPLICA_CHECK_SECONDS", default=1.0)
TAZA_REPLICA_RETRY_SECONDS = env.float("TAZA_REPLICA_RETRY_SECONDS", default=10.0)
TAZA_REPLICA_PIN_SECONDS = env.int("TAZA_REPLICA_PIN_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker and results -------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            # Redis, with the process's memory standing in while Redis is lost (config/cache.py).
            "BACKEND": "config.cache.RedisCacheWithFallback",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "taza",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # Shared by web, worker and beat processes of the embedded default.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Applications ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    # Its headless API signs volunteers up and verifies their email for the API (volunteers/api/signup.py).
    "allauth.headless",
    "ledger",
    "outbox",
    "reference",
    "volunteers",
    "campaigns",
    "events",
    # Illegal dumps: reported or imported from space monitoring, confirmed, cleared by events (dumps/README.md).
    "dumps",
    # Photos as evidence of dumps and results: stored through STORAGES, stripped of metadata (photos/README.md).
    "photos",
    "stats",
    # The Merkle log of the public facts, its signed checkpoints and proofs (transparency/README.md).
    "transparency",
    # The open-data releases, the DCAT catalogue and the errata log (opendata/README.md).
    "opendata",
    # Volunteers' certificates: issued once per content, signed, checked by anyone (certificates/README.md).
    "certificates",
    # The regional view: other instances' public logs mirrored, verified, and folded (regional/README.md).
    "regional",
    # The demo and the seed history, appended through the services and the ledger (manage.py demo_load).
    "demo",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database outage raised by a view is a 503 (JSON under /api/, a static page elsewhere), not a 500;
    # handler500 in config/urls.py does the same for one raised by a middleware below.
    "config.unavailable.DatabaseUnavailableMiddleware",
    # The request's id, as meta.correlation_id of the facts it appends and in X-Request-ID.
    "ledger.context.RequestOriginMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "frontend.errors.RefusalPageMiddleware",
    # Last, so it wraps only the view: the public read side's views read a replica (config/replicas.py).
    "config.replicas.PublicReadSideMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The site's own look for allauth's pages: frontend/templates is searched before allauth's.
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- The client's address behind the proxy ---------------------------------------------------------------
# How many proxies in front of gunicorn append to X-Forwarded-For (config/client_ip.py): the client is
# the address the outermost of them saw. 0 ignores the header (development, no proxy). Every limit per
# address reads it: allauth's sign-in limits (volunteers/adapter.py) and DRF's throttles (NUM_PROXIES).
TAZA_TRUSTED_PROXY_COUNT = env.int("TAZA_TRUSTED_PROXY_COUNT", default=0)

# --- Accounts (django-allauth) -------------------------------------------------------------------
AUTH_USER_MODEL = "volunteers.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "volunteers.forms.SignupForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so they are visible and tunable.
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",  # a rate, not a secret  # nosec B105
    "reset_password_from_key": "20/m/ip",  # a rate, not a secret  # nosec B105
    "change_password": "5/m/user",  # a rate, not a secret  # nosec B105
}
# Counts the limits above per client address as our proxies saw it, and answers them 429 with Retry-After.
ACCOUNT_ADAPTER = "volunteers.adapter.AccountAdapter"
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Taza] "
# allauth's headless API, as apps use it (no browser cookies): /api/v1/auth/signup/ and email/verify/ run
# its views behind this API's error format, so its URLs are not mounted (volunteers/api/signup.py).
HEADLESS_CLIENTS = ("app",)

# Everything the platform sends goes through the outbox (outbox/): recorded with the facts, sent by
# the worker. In development the console backend prints each email in the worker's output.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Taza <no-reply@taza.local>")
# Where people write about the platform, their account or their data (the contact and privacy pages).
TAZA_CONTACT_EMAIL = env("TAZA_CONTACT_EMAIL", default="help@taza.local")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
# A mail server that does not answer holds one message's row for this long, never a worker for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# A message the mail server could not take is tried again after 10 s, 20 s, 40 s … at most 15 min
# apart, for two days; then it is marked failed (outbox/sender.py).
TAZA_OUTBOX_RETRY_BASE_SECONDS = env.int("TAZA_OUTBOX_RETRY_BASE_SECONDS", default=10)
TAZA_OUTBOX_RETRY_MAX_SECONDS = env.int("TAZA_OUTBOX_RETRY_MAX_SECONDS", default=900)
TAZA_OUTBOX_GIVE_UP_HOURS = env.int("TAZA_OUTBOX_GIVE_UP_HOURS", default=48)
# How long a queued send keeps further recordings from queueing another (beat looks every 10 s anyway).
TAZA_OUTBOX_QUEUE_DEBOUNCE_SECONDS = env.int("TAZA_OUTBOX_QUEUE_DEBOUNCE_SECONDS", default=10)

# --- Internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Almaty"
# The countries this instance serves (ISO 3166-1 alpha-2, of reference/data/countries.csv): their
# regions are created and are the API's enum of regions. An event's local time is its country's zone.
TAZA_COUNTRIES = env.list("TAZA_COUNTRIES", default=["KZ"])
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "taza_language"
# Django ships no Kazakh date and number formats; the site's own are in frontend/formats/.
FORMAT_MODULE_PATH = ["frontend.formats"]

# --- Static files ------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Photos (photos/): the originals, with their EXIF, kept private ("photos"); the public derivatives,
# resized and stripped of every metadata ("photos_public"). In var/ by default; TAZA_PHOTO_STORAGE=s3
# keeps both in an S3-compatible bucket through django-storages (the README's configuration).
TAZA_PHOTO_STORAGE = env.str("TAZA_PHOTO_STORAGE", default="filesystem")
if TAZA_PHOTO_STORAGE == "s3":
    _photo_s3 = {
        "bucket_name": env.str("TAZA_PHOTO_S3_BUCKET"),
        "endpoint_url": env.str("TAZA_PHOTO_S3_ENDPOINT_URL", default=None),
        "region_name": env.str("TAZA_PHOTO_S3_REGION", default=None),
        "access_key": env.str("TAZA_PHOTO_S3_ACCESS_KEY_ID", default=None),
        "secret_key": env.str("TAZA_PHOTO_S3_SECRET_ACCESS_KEY", default=None),
        "file_overwrite": True,
    }
    PHOTO_STORAGES = {
        "photos": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_photo_s3, "location": "originals"}},
        "photos_public": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_photo_s3,
                "location": "public",
                # Plain URLs (the bucket's public prefix or a CDN in front of it), not signed ones.
                "querystring_auth": False,
                "custom_domain": env.str("TAZA_PHOTO_S3_PUBLIC_DOMAIN", default=None),
            },
        },
    }
else:
    PHOTO_STORAGES = {
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(VAR_DIR / "photos" / "originals"), "base_url": "/nowhere/"},
        },
        "photos_public": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(VAR_DIR / "photos" / "public"), "base_url": "/photos/"},
        },
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    **PHOTO_STORAGES,
}

# --- API ---------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its challenge makes an anonymous request to a members' endpoint a 401 with
    # `WWW-Authenticate: Token` (session authentication has no challenge, so DRF would say 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # DRF's JSON parser with deep nesting refused as a parse error (config/parsers.py).
    # JSON only: the schema's types are JSON's, and bodies are read as typed (config/strict.py).
    "DEFAULT_PARSER_CLASSES": ["config.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "config.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.errors.api_exception_handler",
    # The same rule as config/client_ip.py; DRF's default (None) would trust the whole header.
    "NUM_PROXIES": TAZA_TRUSTED_PROXY_COUNT,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Taza API",
    "DESCRIPTION": (
        "Public participation in national environmental campaigns: campaigns, events, "
        "registrations, check-ins, results, verification, totals and the public fact feed."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No deep links: Swagger UI puts them as links inside the operation's toggle button, which nests
    # one control in another (axe: nested-interactive); the operations are listed by tag all the same.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.openapi.document_shared_answers",
    ],
    # Several models have a "status" or "kind" with their own choices; each gets a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": "events.models.Event.Status",
        "RegistrationStatusEnum": "events.models.Registration.Status",
        "ResultStatusEnum": "events.models.Result.Status",
        "EventChangeStatusEnum": "events.models.EventChange.Status",
        "EventKindEnum": "campaigns.facts.EVENT_KINDS",
        "CampaignStatusEnum": "campaigns.models.Campaign.Status",
        "OrganisationKindEnum": "volunteers.models.Organisation.Kind",
        "RegionCodeEnum": "reference.regions.REGION_CODES",
        "DumpStatusEnum": "dumps.models.Dump.Status",
        "MirrorStatusEnum": "regional.models.InstanceMirror.Status",
        "DumpSizeEnum": "dumps.facts.SIZES",
        "WasteKindEnum": "dumps.facts.DUMP_WASTE_KINDS",
        "PhotoRoleEnum": "photos.facts.ROLES",
        "PhotoSubjectEnum": "photos.facts.SUBJECTS",
    },
}

# --- The maps: from the platform itself (frontend/views/maps.py) ----------------------------------------
# By default a map is the country's outline (bundled) and its points: no request leaves the site.
# A basemap is a PMTiles archive that operations supply (platform/DEPLOY.md), served by the site with
# HTTP ranges; or else an online tile server, only when named here: then the pages with a map, and
# only they, allow its origin in the CSP's img-src. One host, no `{s}` subdomains.
TAZA_MAP_PMTILES = env("TAZA_MAP_PMTILES", default="")
TAZA_MAP_TILE_URL = env("TAZA_MAP_TILE_URL", default="")
# Shown on the map under a basemap (its data's licence asks for it), as plain text.
TAZA_MAP_ATTRIBUTION = env("TAZA_MAP_ATTRIBUTION", default="© OpenStreetMap contributors")

# --- Content-Security-Policy (django-csp) -----------------------------------------------------------------
# No inline script, style or event handler anywhere, no eval: the pages, the admin and the API docs load
# only the site's own files (frontend/static, the admin's, drf-spectacular-sidecar's Swagger UI).
# img-src allows data: for the SVG icons inside Swagger UI's stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "font-src": [csp.SELF],
        "worker-src": [csp.SELF],
        "manifest-src": [csp.SELF],
        "form-action": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
    },
}
# Photos kept in a bucket are shown from its public host (a CDN's, else the endpoint's): img-src allows it.
if TAZA_PHOTO_STORAGE == "s3":
    from urllib.parse import urlsplit as _urlsplit

    _photo_host = PHOTO_STORAGES["photos_public"]["OPTIONS"]["custom_domain"]
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"https://{_photo_host}"
        if _photo_host
        else "{0.scheme}://{0.netloc}".format(_urlsplit(_photo_s3["endpoint_url"]))
        if _photo_s3["endpoint_url"]
        else f"https://{_photo_s3['bucket_name']}.s3.amazonaws.com"
    )

# --- Celery ---------------------------------------------------------------------------------------------
# With REDIS_URL: Redis is broker and result store. Without it (the embedded default) the broker is
# kombu's filesystem transport in var/, so a real worker and beat still run with nothing installed.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # kombu's Redis transport with the fix that keeps a worker alive when Redis is lost under load.
    CELERY_BROKER_TRANSPORT = "config.redis_broker:Transport"
    CELERY_RESULT_BACKEND = REDIS_URL
    # Losing Redis must not end a worker (platform/DEPLOY.md): ping idle connections before use, time
    # out instead of hanging on a dead peer, and retry forever (Celery's default gives up after 100).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "health_check_interval": 10,
        "socket_connect_timeout": 5,
        "socket_timeout": 30,
        "retry_on_timeout": True,
    }
    CELERY_REDIS_BACKEND_HEALTH_CHECK_INTERVAL = 10
    CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
    CELERY_BROKER_CONNECTION_MAX_RETRIES = None
    # A task with late acknowledgement running when the connection drops cannot be acknowledged any
    # more and is redelivered; cancelling it (Celery 6's default) keeps it from also running to the end.
    CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
else:
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_URL = "filesystem://localhost/"  # the host is ignored; naming one silences a warning
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
        # Where fanout bindings live (remote control: `celery inspect`, /healthz); kombu's
        # default is ./control in whatever directory the process was started from.
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery' / 'results'}"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# No task may hang a worker's process for ever (a stuck SMTP or database connection): at the soft limit
# the task gets SoftTimeLimitExceeded and can stop cleanly (the catch-up keeps its committed batches and
# schedules the rest); at the hard limit the pool kills and replaces the process (prefork pool only).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# Celery logs through LOGGING (config/celery_app.py connects setup_logging), not handlers of its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# How long a queued catch-up keeps further appends from queueing another one.
LEDGER_CATCH_UP_DEBOUNCE_SECONDS = env.int("LEDGER_CATCH_UP_DEBOUNCE_SECONDS", default=10)
# An `occurred_at` this far ahead of the server's clock is refused (a phone whose clock is off).
LEDGER_MAX_CLOCK_SKEW_SECONDS = env.int("LEDGER_MAX_CLOCK_SKEW_SECONDS", default=300)
# Stats: a region within this fraction behind the pace of time still counts as on track; a web
# process reads the totals' position at most this often (seconds).
STATS_PLAN_TOLERANCE = env.float("STATS_PLAN_TOLERANCE", default=0.10)
STATS_POSITION_TTL = env.float("STATS_POSITION_TTL", default=1.0)
# What a worker queues for itself each time it connects to the broker (config/celery_app.py).
TAZA_WORKER_ON_CONNECT_TASKS = [
    "ledger.catch_up_projections",
    "outbox.send_due",
    # A checkpoint of the log at start (make run publishes one), not at beat's first tick.
    "transparency.publish_checkpoint",
]
CELERY_BEAT_SCHEDULE: dict = {
    # Appends schedule a catch-up themselves; this is the safety net for a lost task or broker restart
    # (a writer that could not reach the broker queues nothing for a few seconds: config/queueing.py).
    # An idle catch-up is one indexed query per projection.
    "ledger-catch-up": {"task": "ledger.catch_up_projections", "schedule": 10.0},
    # Sends are queued after each commit that records messages; this retries and sweeps up the rest.
    "outbox-send-due": {"task": "outbox.send_due", "schedule": 10.0},
    # Photos whose processing task was lost (a broker down at the upload) are processed here (photos/tasks.py).
    "photos-process-waiting": {"task": "photos.process_waiting", "schedule": 60.0},
    # The totals count an event once it has started and credit time once it has ended: this folds
    # in the events whose start or end passed since the last fold (stats/crediting.py).
    "stats-credit-totals": {"task": "stats.credit_totals", "schedule": 10.0},
    # Reminders before events (TAZA_REMINDER_HOURS): a late or repeated run sends each once.
    "events-record-reminders": {"task": "events.record_reminders", "schedule": 60.0},
    # A planting's survival check due (a season, a year, three years on): one email per event and label.
    "events-record-survival-reminders": {"task": "events.record_survival_reminders", "schedule": 3600.0},
    # A signed checkpoint of the transparency log whenever it grew, at most this often; an idle run
    # signs nothing (the latest checkpoint stands), so one is published at least daily while facts come in.
    "transparency-publish-checkpoint": {
        "task": "transparency.publish_checkpoint",
        "schedule": float(env.int("TAZA_LOG_CHECKPOINT_SECONDS", default=300)),
    },
    # The day's open-data release; hourly, because a release is made once a day and the first run of
    # the day makes it (opendata/release.py): a beat down at midnight still releases that day.
    "opendata-make-release": {"task": "opendata.make_release", "schedule": 3600.0},
    # The regional view's mirror step, one task per configured instance (none configured: nothing to do).
    "regional-mirror-instances": {
        "task": "regional.mirror_instances",
        "schedule": float(env.int("TAZA_REGIONAL_MIRROR_SECONDS", default=60)),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Open data: the daily release (opendata/) -------------------------------------------------------
# The licence of the releases and the catalogue, an SPDX id (opendata/licenses.py lists the known ones).
TAZA_OPEN_DATA_LICENSE = env.str("TAZA_OPEN_DATA_LICENSE", default="CC-BY-4.0")
# Where releases are kept unless STORAGES["opendata"] names another storage (S3, …).
TAZA_OPEN_DATA_DIR = env.str("TAZA_OPEN_DATA_DIR", default=str(VAR_DIR / "open-data"))

# --- Events: check-in window, waitlist, plausibility of results ----------------------------------------
# Check-in opens this long before an event starts and closes this long after it ends.
TAZA_CHECKIN_OPENS_MINUTES_BEFORE = env.int("TAZA_CHECKIN_OPENS_MINUTES_BEFORE", default=60)
TAZA_CHECKIN_CLOSES_MINUTES_AFTER = env.int("TAZA_CHECKIN_CLOSES_MINUTES_AFTER", default=60)
TAZA_EVENT_CAPACITY_MAX = env.int("TAZA_EVENT_CAPACITY_MAX", default=10000)
# An event is one gathering: a clean-up day, a weekend of planting. Longer drives are several events.
TAZA_EVENT_MAX_DAYS = env.int("TAZA_EVENT_MAX_DAYS", default=7)
# A campaign is a drive of a season or a year, planned at most this far ahead.
TAZA_CAMPAIGN_MAX_DAYS = env.int("TAZA_CAMPAIGN_MAX_DAYS", default=366)
TAZA_CAMPAIGN_PLANNED_AHEAD_DAYS = env.int("TAZA_CAMPAIGN_PLANNED_AHEAD_DAYS", default=730)
# Beyond capacity volunteers wait in line, up to this many; then the event is full and closed.
TAZA_EVENT_WAITLIST_MAX = env.int("TAZA_EVENT_WAITLIST_MAX", default=200)
# Registered volunteers are reminded this many hours before an event starts (events/reminders.py).
TAZA_REMINDER_HOURS = tuple(env.list("TAZA_REMINDER_HOURS", cast=int, default=[24, 2]))
# Above these figures per participant (checked in + head-count) a result needs a justification.
TAZA_RESULT_MAX_WASTE_KG_PER_PARTICIPANT = env.int("TAZA_RESULT_MAX_WASTE_KG_PER_PARTICIPANT", default=500)
TAZA_RESULT_MAX_TREES_PER_PARTICIPANT = env.int("TAZA_RESULT_MAX_TREES_PER_PARTICIPANT", default=100)
TAZA_RESULT_MAX_AREA_HA_PER_PARTICIPANT = env.int("TAZA_RESULT_MAX_AREA_HA_PER_PARTICIPANT", default=5)
# Illegal dumps (dumps/): a report this close to an open dump is offered as the same dump; how many
# dumps one person may report in an hour and in a day (counted from the reports recorded).
TAZA_DUMP_SAME_PLACE_METRES = env.int("TAZA_DUMP_SAME_PLACE_METRES", default=50)
TAZA_DUMP_REPORTS_PER_HOUR = env.int("TAZA_DUMP_REPORTS_PER_HOUR", default=5)
TAZA_DUMP_REPORTS_PER_DAY = env.int("TAZA_DUMP_REPORTS_PER_DAY", default=20)
# Photos (photos/): the largest file and image taken, the public derivatives' longest sides, how many
# one person may upload in an hour and a day, and the coordinator's signals: the same photo when two
# 64-bit perceptual hashes differ in at most this many bits, far when taken beyond this from the event.
TAZA_PHOTO_MAX_BYTES = env.int("TAZA_PHOTO_MAX_BYTES", default=12 * 2**20)
TAZA_PHOTO_MAX_PIXELS = env.int("TAZA_PHOTO_MAX_PIXELS", default=50_000_000)
TAZA_PHOTO_PUBLIC_SIDE = env.int("TAZA_PHOTO_PUBLIC_SIDE", default=1600)
TAZA_PHOTO_THUMBNAIL_SIDE = env.int("TAZA_PHOTO_THUMBNAIL_SIDE", default=320)
TAZA_PHOTO_UPLOADS_PER_HOUR = env.int("TAZA_PHOTO_UPLOADS_PER_HOUR", default=30)
TAZA_PHOTO_UPLOADS_PER_DAY = env.int("TAZA_PHOTO_UPLOADS_PER_DAY", default=100)
TAZA_PHOTO_SAME_HAMMING = env.int("TAZA_PHOTO_SAME_HAMMING", default=6)
TAZA_PHOTO_FAR_KM = env.float("TAZA_PHOTO_FAR_KM", default=5.0)

# --- Open data ---------------------------------------------------------------------------------------
# The key of the volunteers' pseudonyms in the public feed (ledger/public.py): one per event, unlinkable
# across events without it. Empty: derived from SECRET_KEY. Set it once and keep it: a new key changes
# the public form of every fact already published (and rotating SECRET_KEY would, when it is empty).
TAZA_PSEUDONYM_KEY = env("TAZA_PSEUDONYM_KEY", default="")
# The transparency log (transparency/README.md): its origin, the first line of every checkpoint and the
# name of its key; the Ed25519 key that signs checkpoints (PRIVATE+KEY+… or a 64-hex-digit seed; empty:
# derived from SECRET_KEY, see transparency/signing.py). Set both once and keep them: a new origin or key
# is a new log to every witness and auditor.
TAZA_LOG_ORIGIN = env("TAZA_LOG_ORIGIN", default="taza.local/log")
TAZA_LOG_SIGNING_KEY = env("TAZA_LOG_SIGNING_KEY", default="")
# Volunteers' certificates (certificates/README.md): the name of the key that signs them and the key
# (PRIVATE+KEY+… or a 64-hex-digit seed; empty: derived from SECRET_KEY, see certificates/keys.py), a key
# of its own, not the log's. Set both once and keep them: every certificate printed is checked with them.
TAZA_CERTIFICATE_KEY_NAME = env("TAZA_CERTIFICATE_KEY_NAME", default="taza.local/certificates")
TAZA_CERTIFICATE_SIGNING_KEY = env("TAZA_CERTIFICATE_SIGNING_KEY", default="")
# Codes that name no certificate, per client address (allauth's rate format): past it, every look-up
# from there answers 429 until the window lets it again, so codes cannot be tried by the thousand.
TAZA_CERTIFICATE_GUESSES = env("TAZA_CERTIFICATE_GUESSES", default="10/m/ip,50/h/ip")
# The witnesses whose cosignatures the platform takes (POST /api/v1/log/cosignatures/), each by the verifier key
# its `manage.py witness` printed on its first run (name+keyid+key), comma-separated.
TAZA_LOG_WITNESSES = env.list("TAZA_LOG_WITNESSES", default=[])

# --- The regional view (regional/README.md) ------------------------------------------------------------
# The national instances it mirrors: a JSON list of {"country", "url", "log_key"}, or the path of a file
# holding one (regional/instances.py); how often beat runs a mirror step; facts per feed request; how old an
# instance's latest checkpoint may be before it counts as silent; how long to wait for an instance's answer.
TAZA_REGIONAL_INSTANCES = env.str("TAZA_REGIONAL_INSTANCES", default="")
TAZA_REGIONAL_MIRROR_SECONDS = env.int("TAZA_REGIONAL_MIRROR_SECONDS", default=60)
TAZA_REGIONAL_PAGE = env.int("TAZA_REGIONAL_PAGE", default=1000)
TAZA_REGIONAL_SILENT_SECONDS = env.int("TAZA_REGIONAL_SILENT_SECONDS", default=2 * 24 * 3600)
TAZA_REGIONAL_TIMEOUT_SECONDS = env.float("TAZA_REGIONAL_TIMEOUT_SECONDS", default=30.0)

# --- Logging -----------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
