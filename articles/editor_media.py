"""Admin pages with the body editor: its import map is an inline script, so it runs only with
the request's Content-Security-Policy nonce."""

from js_asset import Media


class BodyEditorMediaMixin:
    """For every ModelAdmin whose form carries a prose editor field."""

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)
