vcl 4.1;
# Varnish in front of the newsroom (Debian: apt-get install varnish varnish-modules).
#
# - Caches what the site marks public (Cache-Control s-maxage, stale-while-revalidate), for
#   readers without a session; anyone with a session cookie (staff, preview links) or a flash
#   message passes straight to Django, as do /admin/ and non-GET requests.
# - Purges: `PURGE <path>` drops one address; `PURGE` with an `xkey-purge: k1 k2` header
#   drops every page tagged with any of those keys (the site's `xkey` response header).
#   Only from the addresses in the `purgers` ACL. The site sends them when
#   FRONT_CACHE_URLS=http://<this varnish> is set (articles.public.cache.purge_keys).
#
# Set the backend below to where gunicorn listens (see README, "Front cache").

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone + " objects"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/admin/") {
        return (pass);
    }
    # A session or a flash message: this visitor's pages are personal.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Readers' other cookies (csrftoken, analytics) change nothing on a public page.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Never keep a response that sets a cookie or that the site marked private.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # The site's s-maxage and stale-while-revalidate set ttl and grace (builtin rules);
    # pages without s-maxage are not kept.
    if (beresp.http.Cache-Control !~ "s-maxage") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
    }
    return (deliver);
}

sub vcl_deliver {
    # The keys are for this cache, not for browsers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    if (obj.hits > 0) {
        set resp.http.X-Front-Cache = "hit";
    } else {
        set resp.http.X-Front-Cache = "miss";
    }
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason;
        return (deliver);
    }
}
