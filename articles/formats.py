"""How people and times are written out, the same way in every desk and on every surface."""


def display_name(user):
    """A person as readers and colleagues see them: full name, else the login name."""
    return user.get_full_name() or user.get_username()


def iso(moment):
    """A time in ISO 8601 for data (revisions, the API), or None for no time."""
    return moment.isoformat() if moment else None
