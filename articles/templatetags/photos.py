from django import template

from articles import images

register = template.Library()


@register.inclusion_tag("articles/includes/picture.html")
def picture(photo, sizes, crop="", alt="", lazy=False):
    """A <picture> of the photo's renditions: WebP first, JPEG for older browsers."""
    return {"picture": images.picture(photo, crop=crop), "sizes": sizes, "alt": alt, "lazy": lazy}
