from django import template

from ..models import Article

register = template.Library()


@register.simple_tag(takes_context=True)
def review_queue_count(context):
    """How many articles the person looking may review."""
    user = context["request"].user
    return Article.objects.in_review_queue().visible_to(user).count()
