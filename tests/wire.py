"""Wire items written by the tests themselves: NINJS 2.x dictionaries and NewsML-G2 text."""

import json

from articles.wire.files import ingest_bytes


def ninjs(uri="urn:newsroom-test:budget", version="1", **fields):
    item = {
        "uri": uri,
        "type": "text",
        "version": version,
        "versioncreated": "2026-11-27T08:00:00Z",
        "language": "pl",
        "headlines": [{"role": "main", "value": "Sejm passes the budget"}],
        "descriptions": [{"role": "summary", "value": "The vote was 240 to 200."}],
        "bodies": [{"role": "html", "contenttype": "text/html", "value": "<p>The vote.</p>"}],
        "by": "Anna Nowak, PAP",
        "copyrightholder": "PAP",
        "subjects": [
            {"name": "Politics", "uri": "http://cv.iptc.org/newscodes/mediatopic/11000000"}
        ],
    }
    item.update(fields)
    return item


def ingest_ninjs(*items, name="item.json"):
    data = items[0] if len(items) == 1 else list(items)
    return ingest_bytes(json.dumps(data).encode(), name=name)


def ingest_xml(text, name="item.xml"):
    return ingest_bytes(text.encode(), name=name)
