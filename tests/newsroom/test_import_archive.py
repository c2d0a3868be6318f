"""`manage.py import_feed` on a large archive file: streamed, in batches, resumable, safe."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsroom.models import ImportedPost
from posts.models import Post
from tests.commands import command_output
from tests.newsroom.exports import write_export

ROOT = Path(__file__).resolve().parent.parent.parent
FEEDS = ROOT / "tests" / "data" / "feeds"


def run(*args, **options) -> str:
    return command_output("import_feed", *args, **options)


@pytest.mark.django_db
def test_a_generated_archive_is_imported_completely_in_batches(tmp_path):
    export = write_export(tmp_path / "archive.xml", posts=3000)

    with CaptureQueriesContext(connection) as queries:
        out = run(str(export))

    assert "3,000 entries: 3,000 new, 0 updated, 0 unchanged" in out
    progress = re.findall(r"^([\d,]+) entries read \(\d+%\), ([\d,]+) posts written", out, re.M)
    assert progress == [(f"{n:,}", f"{n:,}") for n in range(500, 3001, 500)]
    assert Post.objects.published().count() == 3000
    assert ImportedPost.objects.count() == 3000
    # Each post kept its old address: the slug is the old one.
    assert Post.objects.filter(slug="archive-post-2999").exists()
    assert "3,000 posts kept their old address" in out
    second = Post.objects.get(slug="archive-post-1")
    assert list(second.categories.values_list("slug", flat=True)) == ["healthcare-sector"]
    assert "“Webinars” (1,000 posts)" in out
    # Queries grow with the batches, not with the entries: keys, categories and slugs are
    # looked up once per batch, posts and their rows inserted in bulk (in chunks on SQLite,
    # which takes at most 999 parameters a query).
    assert len(queries) <= 6 * 45  # 500 posts of ~50 columns: 26 inserts on SQLite


@pytest.mark.django_db
def test_a_second_run_of_a_large_archive_changes_nothing(tmp_path):
    export = write_export(tmp_path / "archive.xml", posts=1200)
    run(str(export))
    before = list(Post.objects.order_by("pk").values_list("pk", "slug", "body", "updated_at"))

    with CaptureQueriesContext(connection) as queries:
        out = run(str(export), "--batch-size", "400")

    assert "1,200 entries: 0 new, 0 updated, 1,200 unchanged, 0 kept" in out
    assert list(Post.objects.order_by("pk").values_list("pk", "slug", "body", "updated_at")) == (
        before
    )
    assert len(queries) <= 3 * 10


@pytest.mark.django_db
def test_hostile_xml_is_refused_before_anything_is_imported(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the machine's secret", encoding="utf-8")
    external = tmp_path / "external.xml"
    external.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY secret SYSTEM "file://{secret}">]>\n'
        "<rss><channel><item><title>&secret;</title><guid>x</guid></item></channel></rss>\n",
        encoding="utf-8",
    )
    parameter = tmp_path / "parameter.xml"
    parameter.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY % dtd SYSTEM "http://127.0.0.1:9/x">'
        " %dtd;]>\n<rss><channel><item><title>A</title></item></channel></rss>\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match=r"declares an entity \(“a”, line 3\).*billion laughs"):
        run(str(FEEDS / "bomb.xml"))
    with pytest.raises(CommandError, match=r"declares an external entity \(“secret”, line 2\)"):
        run(str(external))
    with pytest.raises(CommandError, match=r"declares an external entity \(“dtd”, line 2\)"):
        run(str(parameter))
    assert not Post.objects.exists()


@pytest.mark.django_db
def test_a_file_broken_half_way_keeps_the_entries_before_and_says_where(tmp_path):
    export = write_export(tmp_path / "archive.xml", posts=30)
    text = export.read_text(encoding="utf-8")
    export.write_text(text.replace("<title>Archive post 20:", "<title>Archive post 20 & 21:"))

    with pytest.raises(CommandError, match=r"not well-formed XML: .* at line 24, .* after 20 "):
        run(str(export), "--batch-size", "10")

    assert Post.objects.count() == 20


# ----- interrupted imports, in a subprocess -----


@pytest.fixture
def database_url(tmp_path, transactional_db):
    """A migrated database a subprocess can use: the test database on PostgreSQL; a file on
    SQLite, whose test database lives in this process's memory."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
        return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    manage("migrate", "--noinput", database_url=url)
    return url


def manage(*args: str, database_url: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return env | {"DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}


def import_until(export: Path, *, database_url: str, written: int, stop: signal.Signals):
    """Runs the import in a subprocess and sends it `stop` once `written` posts are saved;
    returns its exit code and output."""
    command = [sys.executable, "manage.py", "import_feed", str(export), "--batch-size", "100"]
    with subprocess.Popen(
        command,
        cwd=ROOT,
        env=_env(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        lines = []
        try:
            for line in process.stdout:
                lines.append(line)
                progress = re.match(r"[\d,]+ entries read .*, ([\d,]+) posts written", line)
                if progress and int(progress[1].replace(",", "")) >= written:
                    process.send_signal(stop)
                    break
            lines += process.stdout.readlines()
            return process.wait(timeout=120), "".join(lines)
        finally:
            if process.poll() is None:
                process.kill()


def test_an_interrupted_import_run_again_gives_every_post_exactly_once(tmp_path, database_url):
    export = write_export(tmp_path / "archive.xml", posts=3000)

    code, out = import_until(export, database_url=database_url, written=300, stop=signal.SIGINT)
    assert code == 130, out
    assert "Interrupted after" in out and "Run the same command again to go on" in out

    # Killed outright, in the middle of a batch: the batch's transaction never commits.
    code, out = import_until(export, database_url=database_url, written=200, stop=signal.SIGKILL)
    assert code == -signal.SIGKILL, out

    out = manage("import_feed", str(export), database_url=database_url)
    summary = re.search(r"3,000 entries: ([\d,]+) new, 0 updated, ([\d,]+) unchanged, 0 kept", out)
    assert summary, out
    new, unchanged = (int(n.replace(",", "")) for n in summary.groups())
    assert new + unchanged == 3000 and unchanged >= 500

    counts = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db.models import Count; "
        "from posts.models import Post, OldAddress; from newsroom.models import ImportedPost; "
        "print(Post.objects.count(), ImportedPost.objects.count(), "
        "Post.objects.values('title').annotate(n=Count('id')).filter(n__gt=1).count(), "
        "Post.objects.filter(slug__startswith='archive-post-').count(), "
        "OldAddress.objects.count())",
        database_url=database_url,
    )
    # 3,000 posts, one record each, no title twice, every one at its old address.
    assert counts.split() == ["3000", "3000", "0", "3000", "0"]
