from io import StringIO

import pytest
from django.core.management import call_command

from newsroom.models import FeedSource
from posts.models import Post
from tests.factories import make_post


@pytest.mark.django_db
def test_benchmark_prints_figures_and_leaves_no_data_behind():
    make_post(title="Kept")
    out = StringIO()
    call_command("benchmark", posts=60, repeat=2, feed_entries=25, stdout=out)
    report = out.getvalue()
    assert "Generated data rolled back." in report
    rows = {
        line.split()[0]: line.split()
        for line in report.splitlines()
        if line.startswith(("home", "post"))
    }
    assert rows["home"][1] == "200"
    assert rows["post"][1] == "200"
    feed_304 = next(
        line.split() for line in report.splitlines() if line.startswith("RSS feed, 304")
    )
    assert feed_304[3] == "304"
    assert "61 posts" in report
    assert "first fetch: 25 new" in report
    assert "same feed again: 0 new, 25 unchanged" in report
    assert "answered 304: not modified" in report
    assert list(Post.objects.values_list("title", flat=True)) == ["Kept"]
    assert not FeedSource.objects.exists()
