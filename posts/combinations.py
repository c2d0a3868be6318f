"""Category combinations: the published posts counted by (set of categories, kind), kept by the
database itself so that listing counts never read the posts.

Two tables (models `CategorySet` and `Combination`) and triggers, on SQLite and PostgreSQL:

- `posts_categoryset`: each post's categories as a key ",3,7,15," (ids ascending), rewritten by
  triggers on posts_taggedpost whenever one of its rows is inserted, deleted or changed.
- `posts_combination`: for each (key, kind), the number of posts with status "published" and a
  date, scheduled ones included. Triggers on posts_post move a post between rows when its
  status, date (set or not) or kind changes, or when it is created or deleted; the posts_taggedpost
  triggers move it when its categories change.

Triggers, not signals or model code, because every write path must keep the counts right:
`Post.save`, queryset `update()` and `delete()`, `bulk_create`, the bulk category actions,
category merges and deletions (cascades), imports, the benchmark generator and raw SQL. A post
whose date is still to come is in its row already; readers' counts subtract the few scheduled
posts at read time (`posts.counts`), so a post joins the counts when its time comes with nobody
acting.

Decrements use the key stored in posts_categoryset, never one recomputed, so a count can never
drift even if two computations of a key listed the ids in different orders.

This module imports nothing of `posts.models`; migration 0014_combinations and `posts.apps`
call `install`.
"""

from __future__ import annotations

COUNTED = "{row}.status = 'published' AND {row}.published_at IS NOT NULL"

SQLITE_TRIGGER_NAMES = [
    "posts_combination_post_insert",
    "posts_combination_post_delete",
    "posts_combination_post_update",
    "posts_combination_tag_insert",
    "posts_combination_tag_delete",
    "posts_combination_tag_update",
    "posts_combination_tag_moved",
]


def _sqlite_stored_key(post: str) -> str:
    return f"coalesce((SELECT key FROM posts_categoryset WHERE post_id = {post}), ',')"


def _sqlite_refresh(post: str) -> str:
    """Statements that move post `post` (an SQL expression) to the row of its categories as
    they are now: out of the row of its stored key, new key, into the row of the new key."""
    stored = _sqlite_stored_key(post)
    counted_kind = (
        f"(SELECT kind FROM posts_post AS p WHERE p.id = {post} AND {COUNTED.format(row='p')})"
    )
    current_key = (
        "coalesce(',' || (SELECT group_concat(tag_id, ',') FROM (SELECT tag_id FROM "
        f"posts_taggedpost WHERE content_object_id = {post} ORDER BY tag_id)) || ',', ',')"
    )
    return f"""
        UPDATE posts_combination SET n = n - 1 WHERE key = {stored} AND kind = {counted_kind};
        DELETE FROM posts_combination
        WHERE key = {stored} AND kind = {counted_kind} AND n <= 0;
        INSERT INTO posts_categoryset(post_id, key) SELECT id, {current_key}
        FROM posts_post WHERE id = {post}
        ON CONFLICT(post_id) DO UPDATE SET key = excluded.key;
        INSERT INTO posts_combination(key, kind, n) SELECT {stored}, kind, 1
        FROM posts_post AS p WHERE p.id = {post} AND {COUNTED.format(row="p")}
        ON CONFLICT(key, kind) DO UPDATE SET n = n + 1;
    """


def _sqlite_leave(row: str) -> str:
    stored = _sqlite_stored_key(f"{row}.id")
    counted = COUNTED.format(row=row)
    return f"""
        UPDATE posts_combination SET n = n - 1
        WHERE {counted} AND key = {stored} AND kind = {row}.kind;
        DELETE FROM posts_combination WHERE {counted} AND key = {stored} AND kind = {row}.kind
        AND n <= 0;
    """


def _sqlite_join(row: str) -> str:
    return f"""
        INSERT INTO posts_combination(key, kind, n)
        SELECT {_sqlite_stored_key(f"{row}.id")}, {row}.kind, 1 WHERE {COUNTED.format(row=row)}
        ON CONFLICT(key, kind) DO UPDATE SET n = n + 1;
    """


# Only a change that moves a post between rows: its save() writes every column each time.
CHANGED = (
    "old.status IS NOT new.status OR old.kind IS NOT new.kind "
    "OR (old.published_at IS NULL) IS NOT (new.published_at IS NULL)"
)

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS posts_combination_post_insert
    AFTER INSERT ON posts_post BEGIN {_sqlite_join("new")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_combination_post_delete
    AFTER DELETE ON posts_post BEGIN {_sqlite_leave("old")}
        DELETE FROM posts_categoryset WHERE post_id = old.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_combination_post_update
    AFTER UPDATE OF status, published_at, kind ON posts_post WHEN {CHANGED}
    BEGIN {_sqlite_leave("old")} {_sqlite_join("new")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_combination_tag_insert
    AFTER INSERT ON posts_taggedpost BEGIN {_sqlite_refresh("new.content_object_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_combination_tag_delete
    AFTER DELETE ON posts_taggedpost BEGIN {_sqlite_refresh("old.content_object_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_combination_tag_update
    AFTER UPDATE OF tag_id, content_object_id ON posts_taggedpost
    BEGIN {_sqlite_refresh("new.content_object_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_combination_tag_moved
    AFTER UPDATE OF content_object_id ON posts_taggedpost
    WHEN old.content_object_id IS NOT new.content_object_id
    BEGIN {_sqlite_refresh("old.content_object_id")} END""",
]

POSTGRES_FUNCTIONS = [
    # Add `delta` posts to a row; a row that reaches 0 goes.
    """
    CREATE OR REPLACE FUNCTION posts_combination_add(p_key text, p_kind text, delta integer)
    RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        IF delta > 0 THEN
            INSERT INTO posts_combination(key, kind, n) VALUES (p_key, p_kind, delta)
            ON CONFLICT (key, kind) DO UPDATE SET n = posts_combination.n + excluded.n;
        ELSE
            UPDATE posts_combination SET n = n + delta WHERE key = p_key AND kind = p_kind;
            DELETE FROM posts_combination WHERE key = p_key AND kind = p_kind AND n <= 0;
        END IF;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION posts_combination_post() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        stored text;
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE')
                AND OLD.status = 'published' AND OLD.published_at IS NOT NULL THEN
            SELECT key INTO stored FROM posts_categoryset WHERE post_id = OLD.id;
            PERFORM posts_combination_add(coalesce(stored, ','), OLD.kind, -1);
        END IF;
        IF TG_OP = 'DELETE' THEN
            DELETE FROM posts_categoryset WHERE post_id = OLD.id;
            RETURN NULL;
        END IF;
        IF NEW.status = 'published' AND NEW.published_at IS NOT NULL THEN
            SELECT key INTO stored FROM posts_categoryset WHERE post_id = NEW.id;
            PERFORM posts_combination_add(coalesce(stored, ','), NEW.kind, 1);
        END IF;
        RETURN NULL;
    END $$
    """,
    # The post's row is locked first (FOR NO KEY UPDATE, which the foreign key checks of other
    # transactions' category rows do not wait for): two transactions changing one post's
    # categories at once take turns, and the second reads the key the first wrote.
    """
    CREATE OR REPLACE FUNCTION posts_combination_refresh(post bigint)
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        post_kind text;
        counted boolean;
        stored text;
        fresh text;
    BEGIN
        SELECT kind, status = 'published' AND published_at IS NOT NULL INTO post_kind, counted
        FROM posts_post WHERE id = post FOR NO KEY UPDATE;
        IF NOT FOUND THEN
            RETURN;
        END IF;
        SELECT key INTO stored FROM posts_categoryset WHERE post_id = post;
        SELECT coalesce(',' || string_agg(tag_id::text, ',' ORDER BY tag_id) || ',', ',')
        INTO fresh FROM posts_taggedpost WHERE content_object_id = post;
        IF fresh = coalesce(stored, ',') THEN
            RETURN;
        END IF;
        INSERT INTO posts_categoryset(post_id, key) VALUES (post, fresh)
        ON CONFLICT (post_id) DO UPDATE SET key = excluded.key;
        IF counted THEN
            PERFORM posts_combination_add(coalesce(stored, ','), post_kind, -1);
            PERFORM posts_combination_add(fresh, post_kind, 1);
        END IF;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION posts_combination_tag() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM posts_combination_refresh(OLD.content_object_id);
        END IF;
        IF TG_OP = 'INSERT'
                OR (TG_OP = 'UPDATE' AND NEW.content_object_id <> OLD.content_object_id) THEN
            PERFORM posts_combination_refresh(NEW.content_object_id);
        END IF;
        RETURN NULL;
    END $$
    """,
]
POSTGRES_TRIGGERS = [
    ("posts_combination_post", "posts_post", "AFTER INSERT OR DELETE", "", "post"),
    (
        "posts_combination_post_update",
        "posts_post",
        "AFTER UPDATE OF status, published_at, kind",
        "WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.kind IS DISTINCT FROM NEW.kind "
        "OR (OLD.published_at IS NULL) <> (NEW.published_at IS NULL))",
        "post",
    ),
    (
        "posts_combination_tag",
        "posts_taggedpost",
        "AFTER INSERT OR DELETE OR UPDATE OF tag_id, content_object_id",
        "",
        "tag",
    ),
]
POSTGRES_FUNCTION_NAMES = [
    "posts_combination_tag()",
    "posts_combination_refresh(bigint)",
    "posts_combination_post()",
    "posts_combination_add(text, text, integer)",
]

REBUILD = {
    "sqlite": """
        INSERT INTO posts_categoryset(post_id, key)
        SELECT content_object_id, ',' || group_concat(tag_id, ',') || ','
        FROM (SELECT content_object_id, tag_id FROM posts_taggedpost
              ORDER BY content_object_id, tag_id)
        GROUP BY content_object_id
    """,
    "postgresql": """
        INSERT INTO posts_categoryset(post_id, key)
        SELECT content_object_id, ',' || string_agg(tag_id::text, ',' ORDER BY tag_id) || ','
        FROM posts_taggedpost GROUP BY content_object_id
    """,
}
COUNT_ALL = f"""
    INSERT INTO posts_combination(key, kind, n)
    SELECT coalesce(s.key, ','), p.kind, count(*)
    FROM posts_post AS p LEFT JOIN posts_categoryset AS s ON s.post_id = p.id
    WHERE {COUNTED.format(row="p")}
    GROUP BY coalesce(s.key, ','), p.kind
"""


def install(connection, *, rebuild: bool = True) -> None:
    """Create the triggers and fill both tables from the posts (`rebuild`).

    Run by migration 0014_combinations, and after every `migrate` on SQLite (posts.apps): a
    later migration that rebuilds posts_post or posts_taggedpost (copy, drop, rename) drops
    their triggers with the old table. Then they come back and both tables are counted afresh,
    since writes made without them are not in the counts. With every trigger in place it does
    nothing. PostgreSQL keeps triggers across table changes.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ("
                + ", ".join(["%s"] * len(SQLITE_TRIGGER_NAMES))
                + ")",
                SQLITE_TRIGGER_NAMES,
            )
            if cursor.fetchone()[0] == len(SQLITE_TRIGGER_NAMES):
                return
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            for sql in POSTGRES_FUNCTIONS:
                cursor.execute(sql)
            for name, table, when, condition, function in POSTGRES_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW {condition} "
                    f"EXECUTE FUNCTION posts_combination_{function}()"
                )
        else:
            raise NotImplementedError(f"No category combinations on {connection.vendor}.")
        if rebuild:
            recount(connection)


def recount(connection) -> None:
    """Both tables counted afresh from the posts and their categories."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM posts_combination")
        cursor.execute("DELETE FROM posts_categoryset")
        cursor.execute(REBUILD[connection.vendor])
        cursor.execute(COUNT_ALL)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGER_NAMES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            for name, table, *_ in POSTGRES_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            for signature in POSTGRES_FUNCTION_NAMES:
                cursor.execute(f"DROP FUNCTION IF EXISTS {signature}")
