"""Every answer has a Content-Security-Policy without inline scripts, and a Permissions-Policy."""

import pytest
from django.urls import reverse

from cxhub.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize(
    "url",
    ["/", "/category/cx-design/", "/post/no-such-post/", "/feed/", "/feed.json", "/subscribe/",
     "/healthz", reverse("admin:login")],
)  # fmt: skip
def test_pages_feeds_and_admin_carry_the_policies(client, url):
    response = client.get(url)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_no_inline_script_is_allowed():
    policy = directives(CONTENT_SECURITY_POLICY)
    for name in ("script-src", "default-src"):
        assert "'unsafe-inline'" not in policy[name]
        assert "'unsafe-eval'" not in policy[name]


def test_reader_templates_hold_no_inline_script(settings):
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    offenders = []
    for template in [*root.glob("templates/**/*.html"), *root.glob("*/templates/**/*.html")]:
        text = template.read_text()
        for marker in ("<script>", '<script type="text/javascript">', " onclick=", " onload="):
            if marker in text:
                offenders.append(f"{template.relative_to(root)}: {marker.strip()}")
    assert offenders == []
