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
            if _sqlite_triggers_in_place(cursor, SQLITE_TRIGGER_NAMES):
                return
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            _create_postgres_triggers(
                cursor,
                POSTGRES_FUNCTIONS,
                [
                    (name, table, f"{when} ON {table} FOR EACH ROW {condition} "
                     f"EXECUTE FUNCTION posts_combination_{function}()")
                    for name, table, when, condition, function in POSTGRES_TRIGGERS
                ],
            )  # fmt: skip
        else:
            raise NotImplementedError(f"No category combinations on {connection.vendor}.")
        if rebuild:
            recount(connection)


def _sqlite_triggers_in_place(cursor, names: list[str]) -> bool:
    placeholders = ", ".join(["%s"] * len(names))
    cursor.execute(
        f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({placeholders})",
        names,
    )
    return cursor.fetchone()[0] == len(names)


def _create_postgres_triggers(cursor, functions: list[str], triggers) -> None:
    """`functions` (CREATE OR REPLACE), then each trigger of (name, table, definition)
    created afresh."""
    for sql in functions:
        cursor.execute(sql)
    for name, table, definition in triggers:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        cursor.execute(f"CREATE TRIGGER {name} {definition}")


def _drop_triggers(connection, sqlite_names, postgres_triggers, postgres_functions) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in sqlite_names:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif connection.vendor == "postgresql":
            for name, table, *_ in postgres_triggers:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            for signature in postgres_functions:
                cursor.execute(f"DROP FUNCTION IF EXISTS {signature}")


def recount(connection) -> None:
    """Both tables counted afresh from the posts and their categories."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM posts_combination")
        cursor.execute("DELETE FROM posts_categoryset")
        cursor.execute(REBUILD[connection.vendor])
        cursor.execute(COUNT_ALL)


def uninstall(connection) -> None:
    _drop_triggers(connection, SQLITE_TRIGGER_NAMES, POSTGRES_TRIGGERS, POSTGRES_FUNCTION_NAMES)


# --- Category bits and the counts by mask (migration 0016_category_masks) ---------------------
#
# Each category gets a bit number, 0 to MAX_BITS - 1, the lowest free one when it is created
# (a trigger on posts_category, so every way of creating one gets it); a category keeps its bit
# for as long as it lives. A key's mask is the sum of 1 << bit over its categories, and
# posts_maskcount holds the combination rows added up by mask, with one counter per kind:
# kept by triggers on posts_combination, so every write that moves a post between combination
# rows moves it here too. A listing's counts are then one pass of the database over these few
# thousand integers (`posts.counts`), no row of them read by Python.
#
# Past MAX_BITS categories, the ones created later have no bit (NULL): their keys' masks leave
# them out, and `posts.counts` counts from the combination rows instead (slower, as correct).
# When a category with a bit is deleted (a merge deletes one too), its bit goes to the oldest
# category without one and posts_maskcount is added up again.

MAX_BITS = 62  # bits 0..61: a mask stays a positive signed 64-bit integer on both databases

# The kinds with a counter in posts_maskcount, in column order. A kind added to `Kind` needs a
# column and an entry here (a test compares the two lists); until then its posts count in `n`
# only, and a filter by kinds goes to the combination rows.
KINDS = ("article", "podcast", "webinar", "video", "event", "quote", "case-study", "report")


def kind_column(kind: str) -> str:
    return "k_" + kind.replace("-", "_")


KIND_COLUMNS = [kind_column(kind) for kind in KINDS]

# --- Packed counts (migration 0018_maskcount_spreads) ----------------------------------------
#
# A listing's counts are sums over posts_maskcount of counts packed three to a 64-bit integer,
# each in FIELD bits (`posts.counts`). A count is at most the number of posts, which is below
# the posts' largest id: below PACKED_LIMIT, no count spills into its neighbour's field.
# The values summed that do not depend on the selection are stored columns of posts_maskcount,
# which the database computes when it writes a row (models.MaskCount): for each group g of
# three category bits, `spread_g`, the row's n in the field of each of the group's bits set in
# its mask; and `kinds_i`, three kinds' counters side by side. Reading them is a sum per
# column, where computing them took a handful of operations per row and column.
FIELD = 21
FIELD_MAX = (1 << FIELD) - 1
PACKED_LIMIT = 1 << FIELD
# x * SPREAD & FIELDS moves bits 0, 1 and 2 of a 3-bit x to bits 0, 21 and 42.
SPREAD = 1 | 1 << (FIELD - 1) | 1 << (2 * FIELD - 2)
FIELDS = 1 | 1 << FIELD | 1 << (2 * FIELD)
GROUPS = (MAX_BITS + 2) // 3
KIND_SUMS = (len(KINDS) + 2) // 3


def spread_column(group: int) -> str:
    return f"spread_{group}"


def kinds_column(index: int) -> str:
    return f"kinds_{index}"


def spread_sql(group: int, *, n: str = "n", chosen: int | None = None) -> str:
    """`n` times the bits of group `group` of `mask` in their fields (an SQL expression), of
    the bits in `chosen` only if given; stored in posts_maskcount as `spread_column(group)`."""
    bits = 7 << (3 * group) if chosen is None else chosen
    return f"{n} * ((((mask & {bits}) >> {3 * group}) & 7) * {SPREAD} & {FIELDS})"


def packed_kinds_sql(index: int) -> str:
    """Kinds 3 * index to 3 * index + 2's counters, each in its field (an SQL expression);
    stored in posts_maskcount as `kinds_column(index)`."""
    parts = [
        f"(CAST({column} AS bigint) << {FIELD * j})" if j else column
        for j, column in enumerate(KIND_COLUMNS[3 * index : 3 * index + 3])
    ]
    return " + ".join(parts)


SQLITE_MASK_TRIGGER_NAMES = [
    "posts_categoryset_mask_insert",
    "posts_categoryset_mask_update",
    "posts_category_bit_insert",
    "posts_category_bit_kept",
    "posts_category_bit_freed",
    "posts_maskcount_insert",
    "posts_maskcount_update",
    "posts_maskcount_moved",
    "posts_maskcount_delete",
]


def sqlite_mask_of(key: str) -> str:
    """The mask of a key ",3,7,15," (an SQL expression, qualified: json_each has a column
    "key" of its own): its categories' bits, added."""
    return (
        "(SELECT coalesce(sum(1 << c.bit), 0) FROM json_each('[' || trim("
        f"{key}, ',') || ']') AS j JOIN posts_category AS c ON c.id = j.value)"
    )


def postgres_mask_of(key: str) -> str:
    return f"posts_mask_of({key})"


def _lowest_free_bit() -> str:
    # 0 if free, else the lowest bit above a taken one that is free; NULL when all are taken.
    return f"""(CASE WHEN NOT EXISTS (SELECT 1 FROM posts_category WHERE bit = 0) THEN 0
        ELSE (SELECT min(c.bit + 1) FROM posts_category AS c WHERE c.bit < {MAX_BITS - 1}
              AND NOT EXISTS (SELECT 1 FROM posts_category AS d WHERE d.bit = c.bit + 1))
        END)"""


def _kind_values(kind: str, delta: str) -> str:
    return ", ".join(f"CASE WHEN {kind} = '{k}' THEN {delta} ELSE 0 END" for k in KINDS)


def _sqlite_add_to_mask(key: str, kind: str, delta: str) -> str:
    columns = ", ".join(KIND_COLUMNS)
    added = ", ".join(f"{c} = {c} + excluded.{c}" for c in KIND_COLUMNS)
    mask = sqlite_mask_of(key)
    return f"""
        INSERT INTO posts_maskcount(mask, n, {columns})
        SELECT {mask}, {delta}, {_kind_values(kind, delta)} WHERE {delta} <> 0
        ON CONFLICT(mask) DO UPDATE SET n = n + excluded.n, {added};
        DELETE FROM posts_maskcount WHERE mask = {mask} AND n = 0;
    """


def _remask(category: str, mask_of) -> str:
    """The stored masks of the posts of `category` (an SQL expression) computed again."""
    return f"""
        UPDATE posts_categoryset SET mask = {mask_of("posts_categoryset.key")}
        WHERE posts_categoryset.key LIKE '%,' || {category} || ',%'
    """


def _count_by_mask(mask_of) -> str:
    """posts_maskcount added up afresh from posts_combination."""
    sums = ", ".join(f"sum(CASE WHEN kind = '{k}' THEN n ELSE 0 END)" for k in KINDS)
    return f"""
        INSERT INTO posts_maskcount(mask, n, {", ".join(KIND_COLUMNS)})
        SELECT mask, sum(n), {sums}
        FROM (SELECT {mask_of("r.key")} AS mask, r.kind, r.n FROM posts_combination AS r) AS found
        GROUP BY mask HAVING sum(n) <> 0
    """


# A post's mask next to its key in posts_categoryset, for the scheduled posts (posts.counts).
SQLITE_MASK_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS posts_categoryset_mask_insert
    AFTER INSERT ON posts_categoryset BEGIN
        UPDATE posts_categoryset SET mask = {sqlite_mask_of("new.key")}
        WHERE post_id = new.post_id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_categoryset_mask_update
    AFTER UPDATE OF key ON posts_categoryset BEGIN
        UPDATE posts_categoryset SET mask = {sqlite_mask_of("new.key")}
        WHERE post_id = new.post_id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_category_bit_insert
    AFTER INSERT ON posts_category WHEN new.bit IS NULL
    BEGIN UPDATE posts_category SET bit = {_lowest_free_bit()} WHERE id = new.id; END""",
    # A bit is for life: a save() from an instance read before the bit was given writes NULL.
    """CREATE TRIGGER IF NOT EXISTS posts_category_bit_kept
    AFTER UPDATE OF bit ON posts_category WHEN old.bit IS NOT NULL AND new.bit IS NOT old.bit
    BEGIN UPDATE posts_category SET bit = old.bit WHERE id = new.id; END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_category_bit_freed
    AFTER DELETE ON posts_category
    WHEN old.bit IS NOT NULL AND EXISTS (SELECT 1 FROM posts_category WHERE bit IS NULL)
    BEGIN
        UPDATE posts_category SET bit = old.bit
        WHERE id = (SELECT min(id) FROM posts_category WHERE bit IS NULL);
        {_remask("(SELECT id FROM posts_category WHERE bit = old.bit)", sqlite_mask_of)};
        DELETE FROM posts_maskcount;
        {_count_by_mask(sqlite_mask_of)};
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_maskcount_insert
    AFTER INSERT ON posts_combination
    BEGIN {_sqlite_add_to_mask("new.key", "new.kind", "new.n")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_maskcount_update
    AFTER UPDATE ON posts_combination WHEN old.key = new.key AND old.kind = new.kind
    BEGIN {_sqlite_add_to_mask("new.key", "new.kind", "new.n - old.n")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_maskcount_moved
    AFTER UPDATE ON posts_combination WHEN old.key <> new.key OR old.kind <> new.kind
    BEGIN {_sqlite_add_to_mask("old.key", "old.kind", "-old.n")}
        {_sqlite_add_to_mask("new.key", "new.kind", "new.n")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_maskcount_delete
    AFTER DELETE ON posts_combination
    BEGIN {_sqlite_add_to_mask("old.key", "old.kind", "-old.n")} END""",
]

POSTGRES_MASK_FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION posts_mask_of(p_key text) RETURNS bigint
    LANGUAGE sql STABLE AS $$
        SELECT coalesce(sum(1::bigint << c.bit), 0)::bigint FROM posts_category AS c
        WHERE c.id = ANY(string_to_array(trim(both ',' from p_key), ',')::bigint[])
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION posts_maskcount_add(p_key text, p_kind text, delta integer)
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        m bigint;
    BEGIN
        IF delta = 0 THEN
            RETURN;
        END IF;
        m := posts_mask_of(p_key);
        INSERT INTO posts_maskcount(mask, n, {", ".join(KIND_COLUMNS)})
        VALUES (m, delta, {_kind_values("p_kind", "delta")})
        ON CONFLICT (mask) DO UPDATE SET n = posts_maskcount.n + excluded.n,
            {", ".join(f"{c} = posts_maskcount.{c} + excluded.{c}" for c in KIND_COLUMNS)};
        DELETE FROM posts_maskcount WHERE mask = m AND n = 0;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION posts_maskcount_combination() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.key = NEW.key AND OLD.kind = NEW.kind THEN
            PERFORM posts_maskcount_add(NEW.key, NEW.kind, NEW.n - OLD.n);
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM posts_maskcount_add(OLD.key, OLD.kind, -OLD.n);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            PERFORM posts_maskcount_add(NEW.key, NEW.kind, NEW.n);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION posts_categoryset_mask() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.mask := posts_mask_of(NEW.key);
        RETURN NEW;
    END $$
    """,
    # Bits are given one transaction at a time (an advisory lock held to its end), so two
    # categories created at once never take the same one.
    f"""
    CREATE OR REPLACE FUNCTION posts_category_bit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF OLD.bit IS NOT NULL THEN
                NEW.bit := OLD.bit;
            END IF;
            RETURN NEW;
        END IF;
        IF NEW.bit IS NULL THEN
            PERFORM pg_advisory_xact_lock(hashtext('posts_category_bit'));
            NEW.bit := {_lowest_free_bit()};
        END IF;
        RETURN NEW;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION posts_category_bit_freed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.bit IS NULL THEN
            RETURN NULL;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('posts_category_bit'));
        UPDATE posts_category SET bit = OLD.bit
        WHERE id = (SELECT min(id) FROM posts_category WHERE bit IS NULL);
        IF FOUND THEN
            {_remask("(SELECT id FROM posts_category WHERE bit = OLD.bit)", postgres_mask_of)};
            DELETE FROM posts_maskcount;
            {_count_by_mask(postgres_mask_of)};
        END IF;
        RETURN NULL;
    END $$
    """,
]
POSTGRES_MASK_TRIGGERS = [
    (
        "posts_categoryset_mask",
        "posts_categoryset",
        "BEFORE INSERT OR UPDATE OF key",
        "FOR EACH ROW",
        "posts_categoryset_mask",
    ),
    (
        "posts_maskcount_combination",
        "posts_combination",
        "AFTER INSERT OR UPDATE OR DELETE",
        "FOR EACH ROW",
        "posts_maskcount_combination",
    ),
    (
        "posts_category_bit",
        "posts_category",
        "BEFORE INSERT OR UPDATE OF bit",
        "FOR EACH ROW",
        "posts_category_bit",
    ),
    (
        "posts_category_bit_freed",
        "posts_category",
        "AFTER DELETE",
        "FOR EACH ROW",
        "posts_category_bit_freed",
    ),
]
POSTGRES_MASK_FUNCTION_NAMES = [
    "posts_categoryset_mask()",
    "posts_category_bit_freed()",
    "posts_category_bit()",
    "posts_maskcount_combination()",
    "posts_maskcount_add(text, text, integer)",
    "posts_mask_of(text)",
]


def install_masks(connection, *, rebuild: bool = True) -> None:
    """Give the categories without a bit one while bits are free, create the triggers and add
    posts_maskcount up afresh (`rebuild`). Run by migration 0016_category_masks and, on SQLite,
    after every `migrate` like `install` (with every trigger in place it does nothing)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if _sqlite_triggers_in_place(cursor, SQLITE_MASK_TRIGGER_NAMES):
                return
            give_bits(connection)
            for sql in SQLITE_MASK_TRIGGERS:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            give_bits(connection)
            _create_postgres_triggers(
                cursor,
                POSTGRES_MASK_FUNCTIONS,
                [
                    (name, table, f"{when} ON {table} {each} EXECUTE FUNCTION {function}()")
                    for name, table, when, each, function in POSTGRES_MASK_TRIGGERS
                ],
            )
        else:
            raise NotImplementedError(f"No category masks on {connection.vendor}.")
        if rebuild:
            recount_masks(connection)


def give_bits(connection) -> None:
    """The lowest free bits to the categories without one, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT bit FROM posts_category WHERE bit IS NOT NULL")
        taken = {bit for (bit,) in cursor.fetchall()}
        cursor.execute("SELECT id FROM posts_category WHERE bit IS NULL ORDER BY id")
        waiting = [pk for (pk,) in cursor.fetchall()]
        free = (bit for bit in range(MAX_BITS) if bit not in taken)
        for pk, bit in zip(waiting, free, strict=False):
            cursor.execute("UPDATE posts_category SET bit = %s WHERE id = %s", [bit, pk])


def recount_masks(connection) -> None:
    """The posts' stored masks computed again, and posts_maskcount added up afresh from the
    combination rows."""
    mask_of = sqlite_mask_of if connection.vendor == "sqlite" else postgres_mask_of
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE posts_categoryset SET mask = {mask_of('posts_categoryset.key')}")
        cursor.execute("DELETE FROM posts_maskcount")
        cursor.execute(_count_by_mask(mask_of))


def uninstall_masks(connection) -> None:
    _drop_triggers(
        connection, SQLITE_MASK_TRIGGER_NAMES, POSTGRES_MASK_TRIGGERS, POSTGRES_MASK_FUNCTION_NAMES
    )
