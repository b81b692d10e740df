"""The portal's only settings module.

Every value comes from the environment through the small typed readers in
`shell.env`. With no environment at all the portal runs for development
(SQLite in the checkout, DEBUG on, a throwaway key); with DEBUG=false it
refuses to start until SECRET_KEY and ALLOWED_HOSTS are given.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from shell.env import env_bool, env_int, env_list, env_origin, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

if DEBUG:
    # Only ever used on a developer's machine: production must set its own.
    SECRET_KEY = env_str("SECRET_KEY", default="dev-only-insecure-key-not-for-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required=True)

# The site's own address (https://portal.example.org): every absolute link
# the portal writes (canonical, og:url, JSON-LD, sitemap, API page links,
# download rows, label QR codes) starts with it, whatever Host header or port
# a request came with (portal.addresses). Required in production; in
# development links follow the request.
SITE_URL = env_origin("SITE_URL", required=not DEBUG)

# Where the two source reports live; fixtures cite their paragraphs and the
# citation check reads them from here.
REPORTS_DIR = env_path("REPORTS_DIR", default=BASE_DIR.parent / "shared" / "reports")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "ninja",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "portal",
    "search",
    "craftsmen",
    "exhibits",
    "shell",
    "publish",
]

# The header-setting middleware sits outside WhiteNoise and the page cache,
# so static files, cached pages and early 400s carry the same headers.
MIDDLEWARE = [
    "shell.middleware.PolicyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Outside everything that can answer an /api/ request with an error.
    "api.middleware.ProblemResponsesMiddleware",
    "shell.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache (the same answer on a hit and a miss) and CSRF
    # (a POST to a public page is a 405, not a 403).
    "shell.middleware.PublicMethodsMiddleware",
    "portal.routers.PublicReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.caching.PageCacheMiddleware",
    # Inside the page cache, so a cached page is stored compressed and a
    # hit is not compressed again.
    "portal.caching.PublicGZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shell.urls"
WSGI_APPLICATION = "shell.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shell.context_processors.static_site",
            ],
        },
    },
]

# Whole-page cache: Redis shared by every process when REDIS_URL is set (and
# the site keeps serving, uncached, when Redis is down); a per-process
# memory cache otherwise.
REDIS_URL = env_str("REDIS_URL", default=None)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A page's cache calls each wait at most these 0.2 s for a Redis
            # that does not answer, and after one such wait the circuit
            # breaker (portal/redis_breaker.py) skips Redis for
            # REDIS_BREAKER_SECONDS; errors are ignored (a miss) and logged
            # by the breaker, one line, never a traceback per call.
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
                "IGNORE_EXCEPTIONS": True,
                "REDIS_CLIENT_CLASS": "portal.redis_breaker.BreakerRedis",
                "REDIS_CLIENT_KWARGS": {"breaker_seconds": env_int("REDIS_BREAKER_SECONDS", default=5)},
            },
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", default="portal"),
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}
PAGE_CACHE_ALIAS = "default"
# Each process also keeps the last pages it sent, as sent, and answers them
# before Django builds a request (portal.caching.FrontPageCache, installed in
# shell/wsgi.py). 0 turns it off.
PAGE_FRONT_CACHE_ENTRIES = env_int("PAGE_FRONT_CACHE_ENTRIES", default=500)
PAGE_FRONT_CACHE_ALIAS = "front" if PAGE_FRONT_CACHE_ENTRIES > 0 else None
if PAGE_FRONT_CACHE_ALIAS:
    CACHES[PAGE_FRONT_CACHE_ALIAS] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "front-pages",
        "OPTIONS": {"MAX_ENTRIES": PAGE_FRONT_CACHE_ENTRIES},
    }
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", default=3600)
# A page bigger than this (as sent, compressed or not) is served but not
# cached: with the entry counts above, it bounds each process's copies.
PAGE_CACHE_MAX_BYTES = env_int("PAGE_CACHE_MAX_BYTES", default=512 * 1024)
PAGE_MAX_AGE = env_int("PAGE_MAX_AGE", default=60)
PAGE_STALE_WHILE_REVALIDATE = env_int("PAGE_STALE_WHILE_REVALIDATE", default=300)

# The most options a filter menu offers (portal.filtering.bounded_menus); a
# filter with more links to a page of all its values.
FILTER_OPTIONS_SHOWN = 50

# Database statements give up before gunicorn's worker timeout does, so a
# slow query becomes an error page, not a killed worker.
GUNICORN_TIMEOUT = env_int("GUNICORN_TIMEOUT", default=30)
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", default=(GUNICORN_TIMEOUT - 5) * 1000)
DATABASE_POOL = env_bool("DATABASE_POOL", default=False)
DATABASE_POOL_MIN = env_int("DATABASE_POOL_MIN", default=1)
DATABASE_POOL_MAX = env_int("DATABASE_POOL_MAX", default=4)
# With the database down, a request waits at most this long for a connection
# before the portal answers 503 (shell.views.server_error).
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", default=2)


def _database(url: str, read_only: bool = False) -> dict:
    config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
        options["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
        if read_only:
            options["options"] += " -c default_transaction_read_only=on"
        if DATABASE_POOL:
            # Django's psycopg pool replaces persistent connections. The pool
            # checks a connection before handing it out, so after a database
            # restart no request gets a dead one; the check polls the socket
            # and asks the server only when the socket shows something
            # (shell.dbpool), which saves a round trip on every request.
            # A failed reconnection is retried with exponential backoff (1,
            # 2, 4, 8 s...) for reconnect_timeout: left at psycopg_pool's 300
            # s, a pool that saw the database down for a few seconds could
            # wait another 8 before trying again once it was back. Giving
            # up after the connect timeout instead, the next request starts
            # a fresh attempt at once.
            from shell.dbpool import check_connection

            options["pool"] = {
                "check": check_connection,
                "min_size": DATABASE_POOL_MIN,
                "max_size": DATABASE_POOL_MAX,
                "timeout": DATABASE_CONNECT_TIMEOUT,
                "reconnect_timeout": DATABASE_CONNECT_TIMEOUT,
            }
            config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": _database(env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}

# Public reads may go to a PostgreSQL replica; writes, and reads inside a
# write transaction, stay on the primary (portal.routers).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", default=None)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL) | {"TEST": {"MIRROR": "default"}}

# Public requests read through a least-privilege `reader` alias and cannot
# write (portal.routers). On PostgreSQL it is a role made by
# `manage.py setup_reader_role`, given as DATABASE_READER_URL; without it
# public reads use the writer. On SQLite it is the same file opened
# read-only.
DATABASE_READER_URL = env_str("DATABASE_READER_URL", default=None)


def _reader(default: dict) -> dict | None:
    if DATABASE_READER_URL:
        config = _database(DATABASE_READER_URL, read_only=True)
    elif default["ENGINE"] == "django.db.backends.sqlite3" and str(default["NAME"]) != ":memory:":
        uri = Path(default["NAME"]).resolve().as_uri() + "?mode=ro"
        config = {**default, "NAME": uri, "OPTIONS": {**default.get("OPTIONS", {})}}
    else:
        return None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # mode=ro cannot be undone by the connection; query_only also
        # covers a test's in-memory database, which cannot be opened ro.
        config.setdefault("OPTIONS", {})["init_command"] = "PRAGMA query_only = ON"
    return config | {"TEST": {"MIRROR": "default"}}


if (_reader_config := _reader(DATABASES["default"])) is not None:
    DATABASES["reader"] = _reader_config

# In production on PostgreSQL, public reads through the writer's role are a
# choice to make out loud: without DATABASE_READER_URL the portal refuses to
# start unless ALLOW_WRITER_READS=true.
ALLOW_WRITER_READS = env_bool("ALLOW_WRITER_READS", default=False)
if (
    not DEBUG
    and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and not DATABASE_READER_URL
    and not ALLOW_WRITER_READS
):
    raise ImproperlyConfigured(
        "On PostgreSQL in production, public pages must read through the read-only role: set "
        "DATABASE_READER_URL (make it with `manage.py setup_reader_role`), or set ALLOW_WRITER_READS=true "
        "to let public reads run as the writer (README, Least privilege)."
    )
DATABASE_ROUTERS = ["portal.routers.PortalRouter"]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username and address pair
    # before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# A refused or missing `next` after an admin login goes to the admin's index
# (Django's default, /accounts/profile/, is not a page here).
LOGIN_REDIRECT_URL = "admin:index"

# The admin resists brute force: 5 failed logins for one username from one
# address lock that pair (not everyone behind the address) for a cool-off
# period, answered with 429; every attempt is logged in the admin.
AXES_FAILURE_LIMIT = 5
# No banner on every manage.py command.
AXES_VERBOSE = False
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ADMIN_LOCKOUT_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# A lock ends ADMIN_LOCKOUT_MINUTES after it began: attempts made during it
# are refused without being counted, so they do not push its end back.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The 429 says, in Chinese, when to try again, and Retry-After says it in
# seconds.
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
# How many proxies in front of the portal append to X-Forwarded-For; 0
# trusts only the socket's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)

# Optional TOTP two-factor for the admin (portal.admin_site); enrol with
# `manage.py enrol_totp USERNAME`.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "北疆工匠"

# Spreadsheet imports in the admin (portal.spreadsheets): a bigger file, or
# one with more rows, is refused before any row is imported, so a preview
# always finishes well within the worker timeout.
SPREADSHEET_IMPORT_MAX_ROWS = env_int("SPREADSHEET_IMPORT_MAX_ROWS", default=1000)
SPREADSHEET_IMPORT_MAX_BYTES = env_int("SPREADSHEET_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)

# Only the admin has a session: its cookie is never readable by scripts,
# never sent cross-site, and lasts a working day at most.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = env_int("ADMIN_SESSION_SECONDS", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The public site as files (publish/, `make static`): where they go and the
# address they will be served at (canonical links, sitemap, JSON-LD, the
# QR codes on labels). STATIC_SITE_BUILD is never set from the environment:
# the builder turns it on while it renders, and templates read it as
# `static_site` to offer what works without a server (links to pre-rendered
# filter pages, search in the browser).
STATIC_SITE_DIR = env_path("STATIC_SITE_DIR", default=BASE_DIR / "dist")
STATIC_SITE_URL = env_origin("STATIC_SITE_URL") or "http://127.0.0.1:8000"
STATIC_SITE_BUILD = False

MEDIA_URL = "media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", default=BASE_DIR / "media")

# Full downloads (portal.download_store): built once per content version
# into DOWNLOADS_DIR (one directory shared by every worker of a server),
# in a background thread that a request waits for at most
# DOWNLOADS_WAIT_SECONDS (keep it well under GUNICORN_TIMEOUT) before it
# answers 503 with Retry-After. Filtered exports stop after
# DOWNLOADS_FILTERED_ROW_LIMIT rows, with a row saying so.
DOWNLOADS_DIR = env_path("DOWNLOADS_DIR", default=MEDIA_ROOT / "downloads")
DOWNLOADS_BACKGROUND = env_bool("DOWNLOADS_BACKGROUND", default=True)
# A waiting request holds a worker: a large site's build takes minutes, so
# waiting long only ties up workers; 5 s lets a small site's first request
# get its file at once.
DOWNLOADS_WAIT_SECONDS = env_int("DOWNLOADS_WAIT_SECONDS", default=5)
DOWNLOADS_RETRY_AFTER_SECONDS = env_int("DOWNLOADS_RETRY_AFTER_SECONDS", default=10)
DOWNLOADS_FILTERED_ROW_LIMIT = env_int("DOWNLOADS_FILTERED_ROW_LIMIT", default=10_000)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# HTTPS and response headers. In production the portal sits behind a proxy
# that terminates TLS and says so in X-Forwarded-Proto; HSTS is only sent on
# requests that arrived over HTTPS.
if env_bool("SECURE_PROXY_SSL_HEADER", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The redirect goes to the site's own host, not to whatever Host (and port)
# the plain-HTTP request named.
if SITE_URL and SITE_URL.startswith("https://"):
    SECURE_SSL_HOST = SITE_URL.removeprefix("https://")
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading is a commitment of the whole domain, made by its owner when
# submitting it to browsers' preload lists; off unless asked for, and then
# the deploy check's reminder about it (security.W021) is silenced.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Set on every response by shell.middleware.PolicyHeadersMiddleware: no
# other site may embed the portal's responses (images, JSON, files), and the
# browser features the portal never uses are off for it and anything it
# might embed. Only names Chromium recognises: an unknown one is a console
# warning on every page (Chromium 156 does not know "bluetooth").
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    # FLoC's name, still read by Chromium: opts the site out of it too.
    "interest-cohort",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]
# No inline script or style anywhere (JSON-LD data blocks are not scripts
# that run, so script-src does not apply to them): a fixed policy, the same
# on every response, so cached pages carry it unchanged.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json_lines": {"()": "shell.jsonlog.JsonLineFormatter"}},
    "filters": {"without_traceback": {"()": "shell.jsonlog.WithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "one_line": {"class": "logging.StreamHandler", "filters": ["without_traceback"]},
        "audit": {"class": "logging.StreamHandler", "formatter": "json_lines"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    # Staff logins, failed logins, lockouts and admin edits: one JSON line each.
    "loggers": {
        # Django's default configuration gives "django" a console handler of
        # its own (for DEBUG only) and lets it propagate to the root's too:
        # every request warning was printed twice by the development server.
        # Root's handler alone prints each line once, in development and in
        # production. (Django's mail_admins handler goes too: ADMINS is not set.)
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "portal.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False},
        # A refused Host header: one line, not a traceback per request.
        "django.security.DisallowedHost": {"handlers": ["one_line"], "level": "ERROR", "propagate": False},
    },
}
