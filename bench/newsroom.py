"""Generate a newsroom of any size quickly, for the page benchmark.

Sections, sources, authors and tags are made through the ORM; photos through the real
photo code (so their renditions are the ones readers get); articles and their links are
written in bulk, with COPY on PostgreSQL into tables whose secondary indexes and constraints
are made again afterwards, and the search index is built in one statement (on SQLite, its
FTS5 rows in bulk, each distinct text stemmed once).
Every value is derived from the article's number, so the same size gives the same newsroom.
"""

import random
from contextlib import contextmanager
from datetime import timedelta
from io import BytesIO
from itertools import chain, groupby
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from taggit.models import Tag, TaggedItem

from articles.models import Article, ArticleSource, Photo, Rendition, Section, Source
from articles.photos.renditions import ensure_renditions
from articles.photos.storage import rendition_storage
from articles.public.search import CONFIG, plain_text, stems

SECTIONS = ["Politics", "World", "Business", "Sport", "Culture", "Science", "Opinion", "Local"]
SOURCES = ["Reuters", "PAP", "AP", "AFP", "dpa", "EPA", "abcnews.go.com", "BBC"]
TAG_WORDS = [
    "election", "budget", "Łódź", "Gdańsk", "energy", "health", "courts", "climate",
    "transport", "schools", "housing", "trade", "defence", "farming", "football", "film",
]  # fmt: skip
PARAGRAPH = (
    "<p>Negotiators met again on Thursday as the deadline approached, officials said, "
    "with both sides insisting that the remaining differences could be bridged. "
    "“We are not there yet,” one of them told reporters outside the building.</p>"
)
BATCH = 5_000
# Pictures whose renditions are really encoded; the other photos copy theirs (see make_photos).
DISTINCT_PICTURES = 12


def generate(*, articles, photos=200, tags=500, authors=30, seed=1):
    """Add `articles` published articles (and what they need) to the current database."""
    rng = random.Random(seed)
    with transaction.atomic():
        sections = [
            Section.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0]
            for name in SECTIONS
        ]
        sources = [Source.objects.get_or_create(name=name)[0] for name in SOURCES]
        people = make_authors(authors)
        tag_ids = make_tags(tags)
    photo_ids = make_photos(photos, sources)
    with indexes_built_afterwards(Article, Article.authors.through, ArticleSource, TaggedItem):
        first_id = write_articles(articles, sections, people, photo_ids)
        write_links(first_id, articles, people, sources, tag_ids, rng)
        build_search_index(first_id)
    # Fresh statistics, as autovacuum would gather them minutes later: without them the
    # planner guesses, and the first minutes of a benchmark measure the guesses.
    # VACUUM too, as autovacuum would soon after such a load (and would otherwise do in the
    # middle of the measurements): index-only scans need the visibility map it writes. It
    # cannot run inside a transaction (a test's), where ANALYZE alone does. SQLite has no
    # visibility map (and no `VACUUM ANALYZE`): ANALYZE alone there too.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    return first_id


@contextmanager
def indexes_built_afterwards(*models):
    """One transaction in which the models' tables load without their secondary indexes and
    their unique and foreign key constraints; on PostgreSQL they are dropped first and made
    again at the end from their own definitions. A million rows then cost one sort per index
    instead of a million insertions into each, and one join per foreign key instead of a
    million deferred checks at commit. Primary keys, check constraints and the unique
    constraints that foreign keys elsewhere rely on stay."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield
            return
        # Dropping a foreign key alters the referenced table too, which PostgreSQL refuses
        # while a deferred check is pending on it (in a test's transaction, on the photos
        # just made): run the pending checks now.
        connection.check_constraints()
        tables = [model._meta.db_table for model in models]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
                " FROM pg_constraint c WHERE conrelid = ANY(%s::regclass[])"
                " AND (contype = 'f' OR (contype = 'u' AND NOT EXISTS (SELECT FROM pg_constraint f"
                "  WHERE f.contype = 'f' AND f.conindid = c.conindid)))"
                " ORDER BY contype DESC, conrelid, conname",  # unique ones first when made again
                [tables],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i"
                " WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS ("
                "  SELECT FROM pg_constraint WHERE conindid = i.indexrelid)"
                " ORDER BY indrelid, indexrelid",
                [tables],
            )
            indexes = cursor.fetchall()
            for table, name, _ in constraints:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {name}")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in constraints:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")


def quote(name):
    return connection.ops.quote_name(name)


def make_authors(count):
    User = get_user_model()
    people = []
    for n in range(count):
        user, _ = User.objects.get_or_create(
            username=f"reporter{n}",
            defaults={"first_name": f"Reporter{n}", "last_name": "Nowak", "is_staff": True},
        )
        people.append(user)
    return people


def make_tags(count):
    names = [f"{TAG_WORDS[n % len(TAG_WORDS)]} {n}" for n in range(count)]
    existing = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
    Tag.objects.bulk_create(
        Tag(name=name, slug=f"bench-tag-{n}")
        for n, name in enumerate(names)
        if name not in existing
    )
    by_name = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    return [by_name[name] for name in names]


def make_photos(count, sources, distinct=DISTINCT_PICTURES):
    """`count` photos with their renditions. Encoding a photo's renditions takes seconds, so
    only `distinct` pictures are encoded; each further photo is a copy of one of them with
    its own original, its own rendition files and rows, as if it had been uploaded."""
    ids, encoded = [], []
    for n in range(count):
        photo = Photo(
            image=SimpleUploadedFile(f"bench-{n}.jpg", picture(n % distinct), "image/jpeg"),
            credit=f"EPA/PHOTOGRAPHER {n} / POOL MANDATORY CREDIT Dostawca: PAP/EPA.",
            caption=f"Delegaci podczas obrad, zdjęcie {n}",
            alt_text=f"Delegates around a table, picture {n}",
            provider=sources[n % len(sources)],
        )
        photo.save()
        if n < distinct:
            ensure_renditions(photo)
            encoded.append(photo)
        else:
            copy_renditions(encoded[n % distinct], photo)
        ids.append(photo.pk)
    return ids


def copy_renditions(original, photo):
    """`photo` (the same picture as `original`) gets copies of its rendition files and rows."""
    storage = rendition_storage()
    copies = []
    for rendition in Rendition.objects.filter(photo=original):
        name = rendition.file.name.replace(f"/{original.pk}/", f"/{photo.pk}/", 1)
        with storage.open(rendition.file.name) as file:
            name = storage.save(name, file)
        copies.append(
            Rendition(
                photo=photo,
                source_key=rendition.source_key,
                crop=rendition.crop,
                format=rendition.format,
                width=rendition.width,
                height=rendition.height,
                file=name,
            )
        )
    Rendition.objects.bulk_create(copies)


def picture(n):
    """A 1600×900 JPEG that differs per photo, so renditions are real work."""
    image = Image.new("RGB", (1600, 900), ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x = (n * 131 + i * 97) % 1500
        draw.ellipse((x, 80 * (i % 10), x + 160, 80 * (i % 10) + 160), fill=(255, 255 - i * 9, 0))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def has_photo(n, people):
    """Two articles in three have a photo, for every author alike: `n % 3` would leave every
    author whose turn falls on a multiple of three (article n is by author n % authors)
    with none, and their pages without pictures."""
    return (n // len(people)) % 3 != 0


def article_rows(first_id, count, sections, people, photo_ids):
    now = timezone.now()
    for n in range(count):
        pk = first_id + n
        author = people[n % len(people)]
        publish_at = now - timedelta(minutes=7 * (count - n))
        yield {
            "id": pk,
            "headline": f"Talks on the {TAG_WORDS[n % len(TAG_WORDS)]} plan resume, day {pk}",
            "slug": f"talks-resume-day-{pk}",
            "section_id": sections[n % len(sections)].pk,
            "standfirst": "Both sides say the remaining differences could be bridged.",
            "body": PARAGRAPH * (4 + n % 6),
            "byline": f"{author.get_full_name()}, Reuters",
            "photo_id": photo_ids[n % len(photo_ids)]
            if photo_ids and has_photo(n, people)
            else None,
            "status": Article.Status.PUBLISHED,
            "publish_at": publish_at,
            "first_published_at": publish_at,
            "created_at": publish_at,
            "updated_at": publish_at,
            "created_by_id": author.pk,
            "language": "",
        }


def write_articles(count, sections, people, photo_ids):
    first_id = (Article.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    fields = [f for f in Article._meta.concrete_fields if f.name != "search_vector"]
    columns = [f.column for f in fields]
    # Each default is worked out once, not once per row: none of Article's differs per row.
    defaults = {f.attname: f.get_default() for f in fields}
    values = itemgetter(*(f.attname for f in fields))
    rows = (
        values({**defaults, **row})
        for row in article_rows(first_id, count, sections, people, photo_ids)
    )
    if connection.vendor != "postgresql":
        write(Article._meta.db_table, columns, rows)
        return first_id
    # COPY into a scratch table, then one INSERT that adds the search vector: each row is
    # written once (an UPDATE afterwards would leave a dead copy of every article behind,
    # and the database size per article would count it). The generator has only a handful
    # of distinct bodies, most of an article's bytes: the scratch rows carry the body's
    # number instead.
    table = Article._meta.db_table
    body = columns.index("body")
    bodies = {}
    numbered = (
        (*row[:body], bodies.setdefault(row[body], len(bodies)), *row[body + 1 :]) for row in rows
    )
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE bench_article (LIKE {table})")
        cursor.execute("ALTER TABLE bench_article DROP body, ADD body_number integer")
        write("bench_article", [*columns[:body], "body_number", *columns[body + 1 :]], numbered)
        cursor.execute("CREATE TEMP TABLE bench_body (number integer, body text)")
        write("bench_body", ["number", "body"], ((n, text) for text, n in bodies.items()))
        names = ", ".join(quote(c) for c in columns)
        picked = ", ".join("b.body" if c == "body" else f"a.{quote(c)}" for c in columns)
        # The weights and configuration articles.public.search uses (whose byline part also
        # carries the tag names; the generator's never did). Headlines differ per article;
        # standfirsts, bylines and bodies come in a handful, so their parts are worked out
        # once per distinct value. MATERIALIZED: otherwise a CTE is pulled up into the join
        # and its vector worked out again for every article.
        cursor.execute(
            f"WITH b AS MATERIALIZED (SELECT number, body, {part(plain('body'), 'D')} AS vector"
            " FROM bench_body),"
            f" s AS MATERIALIZED (SELECT standfirst, {part('standfirst', 'B')} AS vector"
            " FROM (SELECT DISTINCT standfirst FROM bench_article) d),"
            f" c AS MATERIALIZED (SELECT byline, {part('byline', 'C')} AS vector"
            " FROM (SELECT DISTINCT byline FROM bench_article) d)"
            f" INSERT INTO {table} ({names}, search_vector)"  # noqa: S608
            f" SELECT {picked}, {part('a.headline', 'A')} || s.vector || c.vector || b.vector"
            " FROM bench_article a JOIN b ON b.number = a.body_number"
            " JOIN s ON s.standfirst = a.standfirst JOIN c ON c.byline = a.byline"
        )
        cursor.execute("DROP TABLE bench_article, bench_body")
    reset_sequence(Article)
    return first_id


def part(text, weight):
    return f"setweight(to_tsvector('{CONFIG}', {text}), '{weight}')"


def plain(column):
    return f"regexp_replace({column}, '<[^>]+>', ' ', 'g')"


def write_links(first_id, count, people, sources, tag_ids, rng):
    article_type = ContentType.objects.get_for_model(Article).pk
    authors = Article.authors.through
    write(
        authors._meta.db_table,
        ["article_id", "user_id"],
        ([first_id + n, people[n % len(people)].pk] for n in range(count)),
    )
    write(
        ArticleSource._meta.db_table,
        ["article_id", "source_id", "position"],
        (
            [first_id + n, sources[(n + k) % len(sources)].pk, k + 1]
            for n in range(count)
            for k in range(1 + n % 2)
        ),
    )

    def tags_of(n):
        # A few tags carry a large share of the archive, as real topics do.
        chosen = {tag_ids[int(len(tag_ids) * rng.random() ** 3)] for _ in range(3)}
        return sorted(chosen)

    write(
        TaggedItem._meta.db_table,
        ["tag_id", "content_type_id", "object_id"],
        ([tag, article_type, first_id + n] for n in range(count) for tag in tags_of(n)),
    )
    for model in (authors, ArticleSource, TaggedItem):
        reset_sequence(model)


def write(table, columns, rows):
    """Insert rows fast: COPY on PostgreSQL, batched executemany elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def reset_sequence(model):
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def build_search_index(first_id):
    """On SQLite the rows index_article would write, in bulk; PostgreSQL's vectors were
    written with the rows (write_articles)."""
    if connection.vendor == "sqlite":
        write("article_fts", ["rowid", *FTS_COLUMNS], search_rows(first_id))


FTS_COLUMNS = ["headline", "standfirst", "byline_tags", "body"]


def search_rows(first_id):
    """The FTS5 rows index_article writes for the articles from `first_id` on, from the rows
    it reads. Each distinct text is folded and stemmed once: the generator has a handful of
    bodies, standfirsts, bylines and headline patterns and a few hundred tags, and the
    pure-Python stemmer at every article would take hours for a million. Stems are worked
    out word by word, so those of texts joined by a space are theirs joined: index_article's
    byline and tag names, or a headline's pattern and its number (the article's own)."""
    stemmed_texts, bodies = {}, {}

    def stemmed(text):
        if text not in stemmed_texts:
            stemmed_texts[text] = stems(text)
        return stemmed_texts[text]

    article_type = ContentType.objects.get_for_model(Article).pk
    with connection.cursor() as articles, connection.cursor() as tags:
        articles.execute(
            f"SELECT id, headline, standfirst, byline, body FROM {Article._meta.db_table}"  # noqa: S608
            " WHERE id >= %s ORDER BY id",
            [first_id],
        )
        tags.execute(
            f"SELECT i.object_id, t.name FROM {TaggedItem._meta.db_table} i"  # noqa: S608
            f" JOIN {Tag._meta.db_table} t ON t.id = i.tag_id"
            " WHERE i.content_type_id = %s AND i.object_id >= %s ORDER BY i.object_id, i.id",
            [article_type, first_id],
        )
        tagged = groupby(tags, key=itemgetter(0))
        next_tagged = next(tagged, None)
        for pk, headline, standfirst, byline, body in articles:
            names = []
            if next_tagged is not None and next_tagged[0] == pk:
                names = [name for _, name in next_tagged[1]]
                next_tagged = next(tagged, None)
            if body not in bodies:
                bodies[body] = " ".join(stems(plain_text(body)))
            pattern, _, number = headline.rpartition(" ")
            yield [
                pk,
                " ".join([*stemmed(pattern), *stems(number)]),
                " ".join(stemmed(standfirst)),
                " ".join(chain(stemmed(byline), *map(stemmed, names))),
                bodies[body],
            ]
