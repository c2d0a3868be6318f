"""System checks of our own, shown by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def client_address_behind_proxy(app_configs, **kwargs):
    # Behind a proxy every request comes from the proxy's address: the sign-in pause per
    # address (posts.login_throttle) would then lock out everyone at once, or no one.
    if settings.SECURE_PROXY_SSL_HEADER and settings.ADMIN_LOGIN_CLIENT_IP_HEADER == "REMOTE_ADDR":
        return [
            Warning(
                "The hub runs behind a proxy (SECURE_PROXY_SSL_HEADER is set) but takes the "
                "client's address from REMOTE_ADDR, which is the proxy's: the sign-in pause per "
                "address would pause every editor at once.",
                hint="Set ADMIN_LOGIN_CLIENT_IP_HEADER to the header your proxy sets, e.g. "
                "HTTP_X_REAL_IP or HTTP_X_FORWARDED_FOR.",
                id="cxhub.W001",
            )
        ]
    return []
