from io import StringIO

import pytest
from django.core.management import call_command

from posts.models import Post
from tests.factories import make_post


@pytest.mark.django_db
def test_benchmark_prints_figures_and_leaves_no_data_behind():
    make_post(title="Kept")
    out = StringIO()
    call_command("benchmark", posts=60, repeat=2, stdout=out)
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
    assert list(Post.objects.values_list("title", flat=True)) == ["Kept"]
