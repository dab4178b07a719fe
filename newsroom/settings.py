"""Settings for the newsroom CMS, driven by environment variables.

Local defaults are safe: DEBUG is off unless set, and with DEBUG off the site refuses to
start without a SECRET_KEY. See README.md for every variable.
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# Sessions, password reset links and signed preview links are only as safe as this key.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT_CHARACTERS = 10


def weak_secret_key(key):
    """Short, few distinct characters (low entropy), or Django's development placeholder."""
    return (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_DISTINCT_CHARACTERS
        or key.startswith("django-insecure-")
    )


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Set DEBUG=1 for local development, or export a long random SECRET_KEY."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 (DEBUG only)
elif not DEBUG and weak_secret_key(SECRET_KEY):
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak for DEBUG off: use at least {SECRET_KEY_MIN_LENGTH} random "
        f"characters (at least {SECRET_KEY_MIN_DISTINCT_CHARACTERS} different ones), not a "
        "'django-insecure-' key. Make one with: python -c \"import secrets; "
        'print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Serve static files with WhiteNoise under runserver too, so dev matches production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "django_prose_editor",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "articles",
]

MIDDLEWARE = [
    # First: every response, a health probe's too, carries its request id and is counted.
    "newsroom.observability.RequestIdMiddleware",
    "newsroom.metrics.MetricsMiddleware",
    # Before anything reads the Host header: load balancers probe by address.
    "newsroom.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.routers.ReplicaReadsMiddleware",
    # Before sessions: a cached page for a reader without a session costs no session lookup.
    "articles.public.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "newsroom.sessions.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"

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
                "articles.public.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# No DATABASE_URL: an SQLite file under var/, so one command runs the site.
# postgres://user:password@host:port/name: PostgreSQL through psycopg 3.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the writer work at once; foreign keys are on by default.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Read replicas (newsroom.routers): reader pages read from a healthy replica; writes, the
# admin and signed-in staff use the primary. Migrations run on the primary only.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS")):
    _alias = f"replica_{_number}"
    DATABASES[_alias] = dj_database_url.parse(
        _url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    if DATABASES[_alias]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that does not answer is skipped, not waited for.
        DATABASES[_alias]["OPTIONS"] = {"connect_timeout": 2}
    # Tests read the primary's test database through the replica alias.
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["newsroom.routers.ReplicaRouter"]
# The site's queries are short: PostgreSQL's JIT, which compiles any plan costed over its
# threshold (a count or a listing over a large archive), spent 50-120 ms compiling queries
# that then ran in less. Off on the site's own connections.
for _connection in DATABASES.values():
    if _connection["ENGINE"] == "django.db.backends.postgresql":
        _connection.setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A replica whose replay is further behind than this (seconds) is skipped...
DATABASE_REPLICA_MAX_LAG = float(os.environ.get("DATABASE_REPLICA_MAX_LAG", "30"))
# ...and each replica is probed at most this often (seconds), not per query.
DATABASE_REPLICA_CHECK_SECONDS = float(os.environ.get("DATABASE_REPLICA_CHECK_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Warsaw")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded originals are kept outside MEDIA_ROOT: readers only ever get re-encoded renditions.
PHOTO_ORIGINALS_ROOT = Path(os.environ.get("PHOTO_ORIGINALS_ROOT", BASE_DIR / "var" / "originals"))
# Renditions are made at upload, long before an embargo lifts: they are kept outside
# MEDIA_ROOT and served through a view that shows them to readers only once an article
# using the photo is live. Never serve this folder from the web server.
PHOTO_RENDITIONS_ROOT = Path(
    os.environ.get("PHOTO_RENDITIONS_ROOT", BASE_DIR / "var" / "renditions")
)
# How long browsers and shared caches may keep a public rendition: an unpublished
# article's photo disappears from caches within this time.
PHOTO_PUBLIC_CACHE_SECONDS = int(os.environ.get("PHOTO_PUBLIC_CACHE_SECONDS", "300"))
PHOTO_MAX_UPLOAD_BYTES = int(os.environ.get("PHOTO_MAX_UPLOAD_BYTES", 25 * 1024 * 1024))
# Decompression bombs: a small file can declare a huge canvas.
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 50_000_000))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); plain files in DEBUG.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# Photo files in S3-compatible object storage (django-storages), off by default:
#   MEDIA_STORAGE_URL=s3://bucket/prefix?endpoint_url=https://s3.example.net&region=eu-1
# Renditions go under <prefix>/renditions/, originals under <prefix>/originals/ (or in the
# bucket named by &originals_bucket=, which should be a private one). Every object is written
# private: readers reach renditions through the checked rendition view (and the front cache
# in front of it), never by a bucket URL, and originals have no URL at all. Credentials come
# from boto3's usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, instance roles).
PHOTO_OBJECT_STORAGE = None
if os.environ.get("MEDIA_STORAGE_URL"):
    _storage_url = urlsplit(os.environ["MEDIA_STORAGE_URL"])
    _storage_query = dict(parse_qsl(_storage_url.query))
    if _storage_url.scheme != "s3" or not _storage_url.netloc:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must look like s3://bucket/prefix?endpoint_url=https://..., "
            f"not {_storage_url.scheme or 'no scheme'}://{_storage_url.netloc}."
        )
    PHOTO_OBJECT_STORAGE = {
        "bucket": _storage_url.netloc,
        "prefix": _storage_url.path.strip("/"),
        "originals_bucket": _storage_query.get("originals_bucket") or _storage_url.netloc,
        "endpoint_url": _storage_query.get("endpoint_url") or None,
        "region_name": _storage_query.get("region") or None,
    }

# Work that does not belong in a request (renditions, feed polls, search entries, purges,
# large wire imports) is a task of Django's Tasks framework (the django-tasks backport).
# By default tasks run inline, so `make run` needs nothing; NEWSROOM_TASKS_BACKEND=database
# queues them in the database for `manage.py db_worker` processes (as many as you like).
NEWSROOM_TASKS_BACKEND = os.environ.get("NEWSROOM_TASKS_BACKEND") or "immediate"
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if NEWSROOM_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"NEWSROOM_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, "
        f"not {NEWSROOM_TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[NEWSROOM_TASKS_BACKEND]}}
# A failed queued task is tried again after 30 s, 60 s, 120 s... up to this many attempts.
NEWSROOM_TASK_MAX_ATTEMPTS = int(os.environ.get("NEWSROOM_TASK_MAX_ATTEMPTS", "5"))
NEWSROOM_TASK_RETRY_SECONDS = float(os.environ.get("NEWSROOM_TASK_RETRY_SECONDS", "30"))
# `manage.py requeue_stalled_tasks` puts back tasks running longer than this (their worker
# died mid-run); every task is idempotent, so running one twice is safe.
NEWSROOM_TASK_STALLED_SECONDS = int(os.environ.get("NEWSROOM_TASK_STALLED_SECONDS", "900"))

# Rendered reader pages (articles.public.middleware) and the site's navigation and banner
# (articles.public.cache.site_chrome): kept in files under var/ by default, shared by every
# worker process on the machine, so a purge made by one reaches them all; in Redis when
# REDIS_URL is set, shared by every machine. A process-local cache would let the other
# workers serve an unpublished article until it expired. The folder is per database, so a
# benchmark's or another site's pages never mix with these; it is the deployment's own (a
# shared /tmp would let another local user plant entries, which are pickles).
# Redis being down never stops the site: pages are then served uncached (newsroom.cache).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    PAGES_CACHE = {
        "BACKEND": "newsroom.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "pages",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
else:
    _database = DATABASES["default"]
    _database_key = ":".join(
        str(_database.get(part, "")) for part in ("ENGINE", "HOST", "PORT", "NAME")
    )
    PAGES_CACHE = {
        "BACKEND": "newsroom.cache.PagesFileCache",
        "LOCATION": os.environ.get(
            "PAGE_CACHE_DIR",
            str(
                BASE_DIR
                / "var"
                / "page-cache"
                / hashlib.sha256(_database_key.encode()).hexdigest()[:16]
            ),
        ),
        # Pages run to tens of kilobytes: this bounds the folder (about 200 MB).
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsroom",
    },
    "pages": PAGES_CACHE,
}
# With several worker processes, set REDIS_URL so they share one cache: who has an article
# open, the autosave throttle and staff sessions (cached_db) are kept there. The same
# fail-open backend as the pages: with Redis down, reads miss and the desk carries on.
if REDIS_URL:
    CACHES["default"] = {**PAGES_CACHE, "KEY_PREFIX": "newsroom"}
# On in production: readers' pages are kept until a change purges them. Off with DEBUG.
NEWSROOM_PAGE_CACHE = env_bool("PAGE_CACHE", not DEBUG)
# What every reader gets alike is read once and kept until a purge or the next change due by
# time, even when pages are rendered each time: the navigation and banner on every page,
# the API list's count, each article's card (articles.public.cache.kept). Off with DEBUG.
NEWSROOM_SITE_CACHE = env_bool("SITE_CACHE", not DEBUG)
# How long shared caches (and the page cache) keep a page at most, and how long a front
# cache may serve it stale while fetching a fresh one. Purges act at once either way.
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
NEWSROOM_PAGE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "30"))
# Varnish instances to send purges to, e.g. http://127.0.0.1:6081 (deploy/varnish/).
FRONT_CACHE_URLS = env_list("FRONT_CACHE_URLS")

# Security: strict unless DEBUG. Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER=1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
# Staff sessions end after this long without a request (a working day by default); activity
# moves the end (newsroom.sessions), so nobody is logged out mid-shift.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(8 * 60 * 60)))
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy, enforced on every page: scripts, styles, images and fonts come
# from this site only, and an inline script runs only with the request's nonce (the body
# editor's import map). An injected <script> or onerror= handler is refused by the browser.
# The body editor (Tiptap, in django-prose-editor 0.28) adds one fixed <style> element with
# no way to pass it a nonce: its hash is allowed. tests/test_browser_csp.py notices a change.
PROSE_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, PROSE_EDITOR_STYLE_HASH],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failures for one username, or
# from one address, sign-in is refused for LOGIN_LOCKOUT_MINUTES. Failures during the
# lockout do not extend it, so nobody can keep an editor out by retrying; an administrator
# clears a lockout in the admin (Access attempts) or with `manage.py axes_reset_username`.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a reverse proxy every request comes from the proxy's address: name how many
# proxies append to X-Forwarded-For, or one person's typos would lock out the whole desk.
NEWSROOM_TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"

# Redis (REDIS_URL): sessions are kept in the cache and in the database (cached_db), so a
# staff session survives a web restart and, with Redis down (the cache fails open), is read
# from the database. Sign-in throttling stays in the database (django-axes' cache handler
# would lose the admin's list of lockouts and, with a fail-open cache, stop throttling while
# Redis is down).
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "default"

# Logs: one JSON object a line (LOG_FORMAT=json, the default with DEBUG off) or plain text;
# each record carries the id of the request it belongs to (newsroom.observability).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsroom.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "newsroom.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Prometheus scrapes /metrics over plain HTTP (health probes never reach the redirect).
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]
# /metrics (newsroom.metrics): with a token, only `Authorization: Bearer <token>`; without
# one, only requests made straight to the loopback address, never through a proxy.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# The newsroom's own settings.
NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "The Daily Wire")
# Two-factor sign-in (django-otp, TOTP): REQUIRE_2FA=1 makes editors and superusers enter a
# code from an authenticator app before they reach the desk.
NEWSROOM_REQUIRE_2FA = env_bool("REQUIRE_2FA")
OTP_TOTP_ISSUER = NEWSROOM_NAME
# What search engines and link previews say about the site as a whole.
NEWSROOM_DESCRIPTION = os.environ.get(
    "NEWSROOM_DESCRIPTION", f"News, analysis and photos from {NEWSROOM_NAME}."
)
# The publisher logo for structured data: a static file, at most 600x60 pixels.
NEWSROOM_LOGO = os.environ.get("NEWSROOM_LOGO", "img/logo.png")
NEWSROOM_MORE_IN_COUNT = 5
NEWSROOM_SECTION_PAGE_SIZE = 20
NEWSROOM_RELATED_COUNT = 5
NEWSROOM_FEED_SIZE = 30
# Articles per sitemap file; the index links as many files as needed.
NEWSROOM_SITEMAP_SIZE = 5000

TAGGIT_CASE_INSENSITIVE = True
# Preview links for people without an account expire after this many hours.
NEWSROOM_PREVIEW_LINK_HOURS = int(os.environ.get("NEWSROOM_PREVIEW_LINK_HOURS", "48"))
# How often a reader's open live page asks for new entries.
NEWSROOM_LIVE_POLL_SECONDS = int(os.environ.get("NEWSROOM_LIVE_POLL_SECONDS", "15"))

# The wire desk: larger files are refused before they are read, so none is loaded whole.
WIRE_MAX_FILE_BYTES = int(os.environ.get("WIRE_MAX_FILE_BYTES", str(20 * 1024 * 1024)))
# Polling RSS/Atom feeds (manage.py ingest_feeds): each feed's total deadline in seconds
# (connecting, redirects and reading), its size cap, the entries read from it, and how
# many feeds are fetched at once.
WIRE_FEED_TIMEOUT = float(os.environ.get("WIRE_FEED_TIMEOUT", "10"))
WIRE_FEED_MAX_BYTES = int(os.environ.get("WIRE_FEED_MAX_BYTES", str(5 * 1024 * 1024)))
WIRE_FEED_MAX_ENTRIES = int(os.environ.get("WIRE_FEED_MAX_ENTRIES", "200"))
WIRE_FEED_WORKERS = int(os.environ.get("WIRE_FEED_WORKERS", "4"))
# Wire pictures sent as a URL only are fetched from these agency hosts (ALLOWED_HOSTS
# syntax: ".tt.se" for a domain and its subdomains), within this deadline in seconds.
WIRE_PICTURE_HOSTS = [
    host.strip() for host in os.environ.get("WIRE_PICTURE_HOSTS", "").split(",") if host.strip()
]
WIRE_PICTURE_TIMEOUT = float(os.environ.get("WIRE_PICTURE_TIMEOUT", "30"))
# The desk fetches only public addresses; these host names may be internal (in-house feeds).
WIRE_FETCH_INTERNAL_HOSTS = [
    host.strip()
    for host in os.environ.get("WIRE_FETCH_INTERNAL_HOSTS", "").split(",")
    if host.strip()
]
# The NINJS API: articles per page.
NEWSROOM_API_PAGE_SIZE = 50

# Content credentials (C2PA). Renditions are signed with the newsroom's key and certificate
# chain (PEM), given in the environment or as files; `make demo` writes a throwaway demo pair
# under var/c2pa-demo/, the default with DEBUG on.
NEWSROOM_C2PA_SIGNING = env_bool("NEWSROOM_C2PA_SIGNING", True)
C2PA_DEMO_DIR = BASE_DIR / "var" / "c2pa-demo"
NEWSROOM_C2PA_KEY = os.environ.get("NEWSROOM_C2PA_KEY", "")
NEWSROOM_C2PA_CERT = os.environ.get("NEWSROOM_C2PA_CERT", "")
NEWSROOM_C2PA_KEY_FILE = os.environ.get("NEWSROOM_C2PA_KEY_FILE") or (
    str(C2PA_DEMO_DIR / "demo-only-private-key.pem") if DEBUG else ""
)
NEWSROOM_C2PA_CERT_FILE = os.environ.get("NEWSROOM_C2PA_CERT_FILE") or (
    str(C2PA_DEMO_DIR / "demo-only-certificate-chain.pem") if DEBUG else ""
)
# An RFC 3161 time-stamp authority keeps signatures checkable after the certificate expires.
NEWSROOM_C2PA_TSA_URL = os.environ.get("NEWSROOM_C2PA_TSA_URL", "")
# Root certificates (PEM) whose signers the desk trusts, e.g. the C2PA trust list.
NEWSROOM_C2PA_TRUST_ANCHORS = os.environ.get("NEWSROOM_C2PA_TRUST_ANCHORS", "")
if NEWSROOM_C2PA_TRUST_ANCHORS and not Path(NEWSROOM_C2PA_TRUST_ANCHORS).is_file():
    raise ImproperlyConfigured(
        f"NEWSROOM_C2PA_TRUST_ANCHORS names {NEWSROOM_C2PA_TRUST_ANCHORS}, which is not a file."
    )
if NEWSROOM_C2PA_SIGNING and not DEBUG:
    _missing = [
        name
        for name, text, path in (
            ("key", NEWSROOM_C2PA_KEY, NEWSROOM_C2PA_KEY_FILE),
            ("certificate chain", NEWSROOM_C2PA_CERT, NEWSROOM_C2PA_CERT_FILE),
        )
        if not text and not (path and Path(path).is_file())
    ]
    if _missing:
        raise ImproperlyConfigured(
            f"Content credentials: no signing {' or '.join(_missing)} found. Set "
            "NEWSROOM_C2PA_KEY_FILE and NEWSROOM_C2PA_CERT_FILE (or NEWSROOM_C2PA_KEY and "
            "NEWSROOM_C2PA_CERT), or turn signing off with NEWSROOM_C2PA_SIGNING=0."
        )
# Writing in the desk: the article form keeps each person's typing as an autosave this often
# (and on leaving the page), and refuses more autosaves a minute than typing ever sends.
NEWSROOM_AUTOSAVE_SECONDS = int(os.environ.get("AUTOSAVE_SECONDS", "5"))
NEWSROOM_AUTOSAVES_PER_MINUTE = int(os.environ.get("AUTOSAVES_PER_MINUTE", "40"))
# Who else has an article open: a heartbeat this often; silent this long means gone. Kept in
# the default cache (see REDIS_URL above).
NEWSROOM_PRESENCE_HEARTBEAT_SECONDS = int(os.environ.get("PRESENCE_HEARTBEAT_SECONDS", "15"))
NEWSROOM_PRESENCE_TIMEOUT_SECONDS = int(os.environ.get("PRESENCE_TIMEOUT_SECONDS", "45"))
