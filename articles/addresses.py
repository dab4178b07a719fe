"""Reader-page addresses, reversed once per process: a front page links hundreds of them
(each card's article, section and every rendition in its srcset), and Django's `reverse`
walks the URLconf each time. The address depends only on the view, its arguments and the
script prefix, which are the cache key; a changed URLconf (tests) empties the cache."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse

# Enough for the cards and photos a busy site shows within minutes; old ones fall out.
REMEMBERED = 50_000


@lru_cache(maxsize=REMEMBERED)
def reversed_address(prefix, name, arguments):
    return reverse(name, kwargs=dict(arguments))


def address(name, **kwargs):
    """`reverse(name, kwargs=kwargs)`, remembered."""
    return reversed_address(get_script_prefix(), name, tuple(sorted(kwargs.items())))


@receiver(setting_changed, dispatch_uid="addresses_forget_on_urlconf_change")
def forget(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        reversed_address.cache_clear()
