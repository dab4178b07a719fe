from django import template

from ..photos import renditions

register = template.Library()


@register.inclusion_tag("articles/includes/picture.html")
def picture(photo, sizes, crop="", alt="", lazy=False):
    """A <picture> of the photo's renditions: WebP first, JPEG for older browsers."""
    return {
        "picture": renditions.picture(photo, crop=crop),
        "sizes": sizes,
        "alt": alt,
        "lazy": lazy,
    }
