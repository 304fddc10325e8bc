"""fawang settings: everything comes from environment variables with working defaults.

DATABASE_URL  (default: SQLite in WAL mode at var/fawang.sqlite3)
SECRET_KEY    (default: generated on first run and kept in var/secret_key, which git ignores)
FIELD_KEY     (key for encrypted personal-data fields; else read from FIELD_KEY_FILE, default var/field_key,
               generated on first run: in production keep it apart from the data, README "数据与密钥")
FIELD_OLD_KEYS (comma separated earlier field keys, still accepted for reading; see rotate_field_key)
DEBUG, ALLOWED_HOSTS (comma separated), PORT (read by the Makefile, not here)
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FAWANG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def keep_private(folder: Path) -> None:
    """var/ holds the database, the keys and the uploads (often ID copies): only the service's user may enter it, and
    its files are the user's alone (also those an older version or a copy left readable to others)."""
    try:
        folder.chmod(0o700)
        for path in folder.iterdir():
            if path.is_file() and path.stat().st_mode & 0o077:
                path.chmod(0o600)
    except PermissionError:  # not ours (a read-only checkout, a shared folder): the operator decides
        pass


keep_private(VAR_DIR)

TESTING = "pytest" in sys.modules or os.environ.get("FAWANG_TESTING") == "1"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def kept_secret(name: str, env: str) -> str:
    """A secret from the environment, or one generated once and kept in var/ (never committed)."""
    if value := os.environ.get(env):
        return value
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = kept_secret("secret_key", "SECRET_KEY")
# The field key's file: by default beside the database (fine for a demo); in production FIELD_KEY or a
# FIELD_KEY_FILE outside the data directory and its backups (/etc/fawang/field_key), so that a copy of the data
# alone does not open the personal data in it.
FIELD_KEY_FILE = Path(os.environ.get("FIELD_KEY_FILE") or VAR_DIR / "field_key")
FIELD_ENCRYPTION_KEY = kept_secret(str(FIELD_KEY_FILE), "FIELD_KEY")
FIELD_ENCRYPTION_OLD_KEYS = [k.strip() for k in os.environ.get("FIELD_OLD_KEYS", "").split(",") if k.strip()]
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma separated; fawang/lib/http.py).
# Empty: the client's address is the connection's peer. Behind nginx on the same machine: 127.0.0.1.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]

INSTALLED_APPS = [
    "fawang.accounts",
    "fawang.regions",
    "fawang.orgs",
    "fawang.audit",
    "fawang.calendar",
    "fawang.catalog",
    "fawang.matters",
    "fawang.notify",
    "fawang.console",
    "fawang.portal",
    "fawang.knowledge",
    "fawang.citizens",
    "fawang.info",
    "fawang.frontdesk",
    "fawang.applications",
    "fawang.legalaid",
    "fawang.consult",
    "fawang.hotline",
    "fawang.insights",
    "fawang.mediation",
    "fawang.advisors",
    "fawang.publicity",
    "fawang.notary",
    "fawang.appraisal",
    "fawang.corrections",
    "fawang.resettlement",
    "fawang.apikit",
    "fawang.ops",  # before django_tasks_db: its db_worker command is the supervised one
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "fawang.lib.taskqueue.TaskQueueConfig",  # django_tasks_db, named in Chinese
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    # Refuses an oversized body from its Content-Length before anything reads it (fawang/apikit/limits.py).
    "fawang.apikit.limits.RequestSizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "fawang.lib.headers.SecurityHeadersMiddleware",  # Content-Security-Policy, Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped (the home page's first load 31.5 -> 25.5 KB, its HTML 9.8 -> ~4 KB; bench_lighthouse). Static files
    # never reach it: whitenoise answers them above with its own pre-compressed .br/.gz. BREACH: the CSRF token
    # in pages is masked anew per response and Django pads each gzip stream with random bytes.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "fawang.accounts.middleware.StaffSessionMiddleware",
    "fawang.audit.middleware.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A database too busy to answer in time (a lock wait past its timeout): 503 with Retry-After, not a 500
    # (fawang/apikit/busy.py). Last, so its process_exception sees the view's exception first.
    "fawang.apikit.busy.BusyDatabaseMiddleware",
]

ROOT_URLCONF = "fawang.urls"
WSGI_APPLICATION = "fawang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "fawang.console.context.console",
                "fawang.portal.context.portal",
            ],
        },
    },
]

# SQLite (WAL) by default so a fresh clone runs with no services; PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fawang.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=5000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=134217728;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("FAWANG_TEST_SQLITE", "")}
else:
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("FAWANG_TEST_DB", "test_fawang")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["fawang.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sign-in policy (see fawang/accounts): lockout after repeated failures, idle and absolute expiry.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = 8 * 3600  # one working day at most
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Django's form templates, with <select> written in Python (fawang/lib/formrenderer.py).
FORM_RENDERER = "fawang.lib.formrenderer.FormRenderer"
# Lists count at most this many rows ("超过 2,000 条"); see fawang/lib/paging.py.
LIST_COUNT_CAP = int(os.environ.get("LIST_COUNT_CAP", "2000"))
X_FRAME_OPTIONS = "DENY"
# HTTPS in production (README, "运行与部署"): redirect plain HTTP (the health checks exempt, for the load balancer
# on loopback), HSTS for SECURE_HSTS_SECONDS, and the proxy's X-Forwarded-Proto believed when
# SECURE_PROXY_SSL_HEADER=1 (the proxy must set it on every request, overwriting the client's).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Submitting the domain to the browsers' HSTS preload list binds every subdomain for good: the domain's owner
# decides (SECURE_HSTS_PRELOAD=1), so `check --deploy` does not ask for it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# fawang/lib/headers.py: the defaults there unless these are set (an empty value sends no header).
if "CONTENT_SECURITY_POLICY" in os.environ:
    CONTENT_SECURITY_POLICY = os.environ["CONTENT_SECURITY_POLICY"]
if "PERMISSIONS_POLICY" in os.environ:
    PERMISSIONS_POLICY = os.environ["PERMISSIONS_POLICY"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Working time for time-limit arithmetic (fawang/calendar/workdays.py): a day-counted limit ends at WORKDAY_END
# (民法典 第二百零三条: 有业务时间的，停止业务活动的时间为截止时间); working hours count only WORK_PERIODS.
WORKDAY_START = os.environ.get("WORKDAY_START", "08:30")
WORKDAY_END = os.environ.get("WORKDAY_END", "17:30")
WORK_PERIODS = [("08:30", "12:00"), ("14:30", "17:30")]
# Other processes do not see a calendar edit made here; they reload the table after this many seconds
# (0 = never by age: tests, where everything happens in one process).
WORKCALENDAR_RELOAD_SECONDS = 0 if TESTING else 300
# Reference data read on every page (item and area names of a filter bar, a picker's regions) is remembered per
# process for this many seconds (fawang/lib/memo.py); 0 in tests, where each test rolls its rows back.
REFERENCE_CACHE_SECONDS = 0 if TESTING else int(os.environ.get("REFERENCE_CACHE_SECONDS", "60"))

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# whitenoise warns on every request while the folder is missing (tests, before collectstatic).
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploads (often ID copies) are encrypted at rest with the field key (fawang/lib/encrypted_storage.py).
    "default": {"BACKEND": "fawang.lib.encrypted_storage.EncryptedFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# whitenoise compresses every static file with gzip and brotli at collectstatic; source maps (.map) only reach a
# browser's developer tools, and the API documentation's were 60% of the bytes compressed (about 20 s of CPU at
# every collectstatic): served as they are.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Uploaded files and their folders are the service user's alone.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# One cache shared by every process (throttle counts, fawang/apikit/throttles.py): Redis when REDIS_URL is set,
# else a table in the database (fawang_cache, made by the ops app's migrations; each throttled API request then
# reads and writes a row: with many web processes on SQLite, prefer Redis). Tests in one process use the local
# memory cache, which each test clears; fawang/ops/tests/test_client_address.py runs real processes on the shared ones.
CACHE_TABLE = "fawang_cache"
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "fawang"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}}

# Sessions are kept in the database (the devices page lists a member of the public's live sessions from it) and,
# where the cache is held in memory or Redis, read from the cache: one query less on every signed-in request. With
# the database cache (the embedded default) a cache read is the same query, and a miss would add a write.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.db"
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    else "django.contrib.sessions.backends.cached_db"
)

# Background work: Django's Tasks API with the database backend, no broker needed.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# Input limits (fawang/apikit/limits.py): the largest upload request (all its files together) and other body, and
# the deepest JSON the API accepts.
REQUEST_MAX_UPLOAD_BYTES = int(os.environ.get("REQUEST_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
REQUEST_MAX_BODY_BYTES = int(os.environ.get("REQUEST_MAX_BODY_BYTES", str(2_621_440)))
API_JSON_MAX_DEPTH = 32

# Leases on running tasks and heartbeats (fawang/ops/conf.py): a task whose worker has not beaten for
# TASK_LEASE_SECONDS is queued again; workers beat every WORKER_HEARTBEAT_SECONDS.
TASK_LEASE_SECONDS = int(os.environ.get("TASK_LEASE_SECONDS", "60"))
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10"))
SCHEDULER_INTERVAL_SECONDS = float(os.environ.get("SCHEDULER_INTERVAL_SECONDS", "60"))

# The demo (`make run` sets FAWANG_DEMO=1: it loads the demo data and accounts). Never set it in production.
DEMO = env_bool("FAWANG_DEMO", False)

# One-time codes are shown on the page as well as sent when SMS go nowhere (the local outbox is the SMS sender) and
# this is a development or demo set-up: DEBUG, DEMO, or this setting (fawang.notify.conf.show_codes). With a real
# SMS sender never: the code is what proves the person holds the phone.
NOTIFY_SHOW_CODES_IN_DEV = env_bool("NOTIFY_SHOW_CODES_IN_DEV", False)

# Where the shipped data lives (copied from ../shared/data with its licences; see data/README.md).
DATA_DIR = BASE_DIR / "data"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# REST API v1 (fawang/api): token or session auth, one error format, capped page-number pagination, throttles on
# the default cache, OpenAPI 3 by drf-spectacular with Swagger UI served from the installed package.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "fawang.apikit.auth.TokenAuthentication",
        "fawang.apikit.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["fawang.apikit.auth.IsStaff"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["fawang.apikit.parsers.JSONParser"],  # nesting depth bounded
    "DEFAULT_PAGINATION_CLASS": "fawang.apikit.pagination.CappedPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "fawang.apikit.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "public": os.environ.get("API_RATE_PUBLIC", "120/min"),
        "track": os.environ.get("API_RATE_TRACK", "20/min"),
        "signin": os.environ.get("API_RATE_SIGNIN", "20/min"),
        "citizen": os.environ.get("API_RATE_CITIZEN", "300/min"),
        "staff": os.environ.get("API_RATE_STAFF", "600/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    # ASCII: client generators make the package name from the title (issue 14, item 28).
    "TITLE": "fawang API v1",
    "DESCRIPTION": "法网（fawang）公共法律服务平台接口：公开信息、进度查询（受理编号 + 短信验证码）与工作人员办理事项。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "fawang.apikit.schema.drop_anonymous_security",
        "fawang.apikit.schema.client_friendly",
        "fawang.apikit.schema.document_limits",
    ],
    "ENUM_NAME_OVERRIDES": {
        "MatterStatusEnum": "fawang.matters.models.Matter.Status",
        "ChannelEnum": "fawang.catalog.models.Channel",
        "AppChannelEnum": "fawang.api.citizen_matters.APP_CHANNELS",
        "MatterKindEnum": "fawang.api.citizen_matters.MATTER_KINDS",
        "UnitKindEnum": "fawang.orgs.models.Unit.Kind",
        "ApplicationStatusEnum": "fawang.applications.models.Application.Status",
        "PartyKindEnum": "fawang.applications.choices.PartyKind",
        "PractitionerKindEnum": "fawang.orgs.models.Practitioner.Kind",
        "KnowledgeKindEnum": "fawang.knowledge.models.KnowledgeEntry.Kind",
        "AppointmentStatusEnum": "fawang.frontdesk.models.Appointment.Status",
        "BookingChannelEnum": "fawang.frontdesk.api.APP_CHANNELS",
        "MediationDisputeTypeEnum": "fawang.mediation.choices.DisputeType",
        "MediationPartyRoleEnum": "fawang.mediation.choices.PartyRole",
    },
}
