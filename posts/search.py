"""Full-text search on both databases: the index, the queries that read it, and highlighting.

PostgreSQL keeps a stored generated tsvector column `posts_post.search_vector` (English
stemming; title weighted A, excerpt B, body C) with a GIN index. SQLite keeps an FTS5 table
`posts_post_fts` (porter stemming, external content) filled by triggers on posts_post. Both are
created by migration 0010_search and maintained by the database on every write, including
bulk_create, queryset update() and delete() and raw SQL, so no write path can forget them.

The reader's words never reach either query language as syntax: each word becomes a quoted
FTS5 string (a phrase of its tokens), and PostgreSQL reads them with plainto_tsquery, which
knows no operators. All words must match (AND), as before. Neither model field nor model state
knows the index: `PostQuerySet.search()` is the only reader.

This module imports nothing of `posts.models`; the migration and `posts.apps` use `install`.
"""

from __future__ import annotations

import html
import re

from django.db.models import BooleanField, F, Func, Value
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

FTS_TABLE = "posts_post_fts"
# bm25 weights of the FTS5 columns title, excerpt, body (SQLite), and ts_rank_cd weights of the
# classes D, C (body), B (excerpt), A (title) (PostgreSQL): a title match counts most.
SQLITE_WEIGHTS = "10.0, 4.0, 1.0"
POSTGRES_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"

SQLITE_TRIGGERS = [
    # External content: the index forgets a row by being told the values it indexed.
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON posts_post BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, excerpt, body)
        VALUES (new.id, new.title, new.excerpt, new.body);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON posts_post BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, excerpt, body)
        VALUES ('delete', old.id, old.title, old.excerpt, old.body);
    END
    """,
    # Only a change of the indexed text re-indexes: publishing a post or touching updated_at
    # (bulk category changes) costs the index nothing.
    f"""
    CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update
    AFTER UPDATE OF id, title, excerpt, body ON posts_post BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, excerpt, body)
        VALUES ('delete', old.id, old.title, old.excerpt, old.body);
        INSERT INTO {FTS_TABLE}(rowid, title, excerpt, body)
        VALUES (new.id, new.title, new.excerpt, new.body);
    END
    """,
]
TRIGGER_NAMES = [f"{FTS_TABLE}_insert", f"{FTS_TABLE}_delete", f"{FTS_TABLE}_update"]

POSTGRES_COLUMN = """
    ALTER TABLE posts_post ADD COLUMN IF NOT EXISTS search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(excerpt, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
    ) STORED
"""
POSTGRES_INDEX = "CREATE INDEX IF NOT EXISTS post_search ON posts_post USING gin (search_vector)"


def install(connection) -> None:
    """Create the search index of this database if it is missing, and fill it.

    Run by migration 0010_search, and after every `migrate` (posts.apps): on SQLite, a later
    migration that alters posts_post rebuilds the table (copy, drop, rename), and dropping the
    old table drops its triggers with it. Here they come back and the index is rebuilt once.
    On PostgreSQL a later change of the type of title, excerpt or body must drop and re-add the
    generated column around it (PostgreSQL refuses to alter a column one depends on).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_COLUMN)
            cursor.execute(POSTGRES_INDEX)
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') "
                "AND name IN (%s, %s, %s, %s)",
                [FTS_TABLE, *TRIGGER_NAMES],
            )
            present = {name for (name,) in cursor.fetchall()}
            if present == {FTS_TABLE, *TRIGGER_NAMES}:
                return
            cursor.execute(
                f"""
                CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
                    title, excerpt, body,
                    content='posts_post', content_rowid='id',
                    tokenize='porter unicode61 remove_diacritics 2'
                )
                """
            )
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS post_search")
            cursor.execute("ALTER TABLE posts_post DROP COLUMN IF EXISTS search_vector")
        elif connection.vendor == "sqlite":
            for name in TRIGGER_NAMES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


# --- Queries ----------------------------------------------------------------------------------

WORD = re.compile(r"\w")
# The most matches a search ranks by relevance; with more, they come newest first
# (`posts.filters.Listing.ranked`): ranking costs some 10 to 40 µs per match, so 1,000 keeps
# it to tens of milliseconds. A reader narrows a search with another word or a filter.
RANK_LIMIT = 1000
# The most matches a search counts (`posts.filters.SearchCounts`): its total, and the counts
# beside the categories and kinds, are exact up to this many matches. Past it, the page says
# "more than 1,000", lists the newest 1,000, and its counts are of the first 1,000 matches the
# index gives (labelled as such), the way search engines stop counting: counting every match
# of a common word reads a share of the archive.
COUNT_LIMIT = 1000


def usable_terms(terms) -> list[str]:
    """The terms that can match anything: with at least one letter or digit. "--", "*" or an
    emoji alone index as nothing on either database, so they take no part."""
    return [term for term in terms if WORD.search(term)]


def fts5_query(terms) -> str:
    """An FTS5 MATCH expression that is all data: each term a quoted string (its tokens as one
    phrase, so "don't" is "don t"), all of them required. No operator, column filter, prefix
    star or NEAR group of the reader's survives quoting."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def matching_ids(vendor: str, terms: list[str]) -> RawSQL:
    """A subquery of the ids of posts containing every term. It names no outer table, so it is
    safe inside any other query (the category counts use the selection as a subquery)."""
    if vendor == "postgresql":
        return RawSQL(
            "SELECT id FROM posts_post "
            "WHERE search_vector @@ plainto_tsquery('english'::regconfig, %s)",
            [" ".join(terms)],
        )
    if vendor == "sqlite":
        return RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts5_query(terms)]
        )
    raise NotImplementedError(f"No full-text search on {vendor}.")


def each_post_matches(vendor: str, terms: list[str]):
    """A condition on each post that it contains every term, tested post by post: for a walk of
    the posts newest first over a search with many matches (`PostQuerySet.search`), which
    stops after a page. On SQLite an EXISTS seeking the post's row of the FTS5 index; the
    plain IN would first list every match of a common word. PostgreSQL chooses for itself."""
    if vendor == "sqlite":
        return Func(
            F("pk"),
            Value(fts5_query(terms)),
            template=(
                f"EXISTS (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE}.rowid = %(expressions)s)"
            ),
            arg_joiner=f" AND {FTS_TABLE} MATCH ",
            output_field=BooleanField(),
        )
    return None


def each_post_listed(vendor: str, terms: list[str]):
    """A condition on each post that it is among the matches, listed once: for a walk of the
    posts newest first over a search whose matches are a smaller share of the posts. On SQLite
    FTS5 lists them (12,500 ids: 0.5 ms) and each post walked is looked up in that list, where
    `each_post_matches` seeks the index once per post (~55 µs: 0.5 s to reach the 1,000th
    match of a word in one post in eight). The unary plus keeps SQLite on the posts' index for
    the order, not on the list (which it would then sort). PostgreSQL chooses for itself."""
    if vendor == "sqlite":
        return Func(
            F("pk"),
            Value(fts5_query(terms)),
            template="+%(expressions)s)",
            arg_joiner=f" IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ",
            output_field=BooleanField(),
        )
    return None


def joined_extra(vendor: str, terms: list[str]) -> dict:
    """`QuerySet.extra()` arguments that keep the posts containing every term, read from the
    index as it goes: one FTS5 query joined by rowid (so that a LIMIT stops it early, where
    IN would list every match first), or the stored vector on PostgreSQL. For the top-level
    query only: it names `posts_post`."""
    if vendor == "postgresql":
        query = "plainto_tsquery('english'::regconfig, %s)"
        return {
            "where": [f'"posts_post"."search_vector" @@ {query}'],
            "params": [" ".join(terms)],
        }
    if vendor == "sqlite":
        return {
            "tables": [FTS_TABLE],
            "where": [f'+{FTS_TABLE}.rowid = "posts_post"."id"', f"{FTS_TABLE} MATCH %s"],
            "params": [fts5_query(terms)],
        }
    raise NotImplementedError(f"No full-text search on {vendor}.")


def ranked_extra(vendor: str, terms: list[str]) -> dict:
    """`QuerySet.extra()` arguments that keep the posts containing every term and select their
    relevance as `search_rank` (higher is better), read in the same pass as the match: one
    FTS5 query joined by rowid (bm25 needs its table in the FROM clause), or the stored vector
    on PostgreSQL. For the top-level query of a listing page only: it names `posts_post`."""
    extra = joined_extra(vendor, terms)
    if vendor == "postgresql":
        query = "plainto_tsquery('english'::regconfig, %s)"
        extra["select"] = {
            "search_rank": f"ts_rank_cd('{POSTGRES_WEIGHTS}', "
            f'"posts_post"."search_vector", {query})'
        }
        extra["select_params"] = [" ".join(terms)]
    else:
        # bm25 is lower for a better match.
        extra["select"] = {"search_rank": f"-bm25({FTS_TABLE}, {SQLITE_WEIGHTS})"}
    return extra


# --- Highlighting -----------------------------------------------------------------------------

# Endings taken off a search word and allowed back on a word of the text, so that "maps" marks
# "mapping" and "measure" marks "measuring": a rough English stemmer, for marking only (the
# databases' own stemmers decide what matches). Words of three letters or fewer are marked
# only as they are, so that "a" does not mark every word that begins with an a.
SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ers", "er", "es",
            "ed", "ys", "ly", "al", "s", "e", "y")  # fmt: skip
MIN_STEM = 3
ENDINGS = "(?:" + "|".join(SUFFIXES) + ")?"
VOWELS = "aeiou"


def stem(word: str) -> str:
    word = word.casefold()
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def word_pattern(token: str) -> str:
    """A regular expression for the words of a text that a search token stands for."""
    if len(token) <= MIN_STEM:
        return re.escape(token.casefold())
    base = stem(token)
    bases = {base}
    if base[-1] not in VOWELS:
        bases.add(base + base[-1])  # map → mapping
    if len(base) > MIN_STEM and base[-1] == base[-2] and base[-1] not in VOWELS:
        bases.add(base[:-1])  # mapp(ing) → maps
    return "(?:" + "|".join(map(re.escape, sorted(bases))) + ")" + ENDINGS


def highlight_pattern(terms) -> re.Pattern | None:
    """The words of a text to mark for these search terms ("journey-mapping" stands for
    "journey" and "mapping"); None when nothing can be marked."""
    tokens = {token for term in terms for token in re.findall(r"\w+", term)}
    if not tokens:
        return None
    alternatives = sorted((word_pattern(t) for t in tokens), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def highlight(text: str, terms) -> SafeString:
    """`text` (plain text) escaped for HTML, with the words that match a search term in
    <mark>. Marks are placed on the plain text and every piece is escaped, so a term can never
    land inside an entity or a tag."""
    text = str(text)
    pattern = highlight_pattern(terms) if terms else None
    if pattern is None:
        return mark_safe(html.escape(text))  # escaped here
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(html.escape(text[last : match.start()]))
        pieces.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    pieces.append(html.escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece escaped above
