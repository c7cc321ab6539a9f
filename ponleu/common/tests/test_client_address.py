"""The client address: X-Forwarded-For is read only from a trusted proxy, from the right."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from ponleu.common.client_address import ForwardingHeadersMiddleware, client_ip

PROXIES = ["10.0.0.0/24", "2001:db8:ffff::/48"]


def _request(remote="10.0.0.2", forwarded=None, **headers):
    meta = {"REMOTE_ADDR": remote, **headers}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says():
    assert client_ip(_request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


@override_settings(PONLEU_TRUSTED_PROXIES=PROXIES)
@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        # One proxy: the address it appended is the client.
        ("10.0.0.2", "203.0.113.5", "203.0.113.5"),
        # Whatever the client wrote itself stays on the left and is ignored.
        ("10.0.0.2", "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        # Two trusted proxies in a row: the right-most hop that is not one of them.
        ("10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        # A peer that is not a trusted proxy cannot name another client.
        ("198.51.100.7", "203.0.113.5", "198.51.100.7"),
        # No header from a trusted proxy: the proxy itself (a health check on the host).
        ("10.0.0.2", None, "10.0.0.2"),
        ("10.0.0.2", "", "10.0.0.2"),
        # Garbage where the client's address should be: the last hop a proxy vouched for.
        ("10.0.0.2", "203.0.113.5, not-an-address", "10.0.0.2"),
        ("10.0.0.2", "not-an-address, 203.0.113.5", "203.0.113.5"),
        # Ports and IPv6 as proxies may write them; IPv4 seen through an IPv6 socket.
        ("10.0.0.2", "203.0.113.5:51234", "203.0.113.5"),
        ("2001:db8:ffff::1", "[2001:db8:1::7]:443", "2001:db8:1::7"),
        ("2001:db8:ffff::1", "2001:DB8:1:0::7", "2001:db8:1::7"),
        ("::ffff:10.0.0.2", "203.0.113.5", "203.0.113.5"),
        # Every hop trusted (a request from inside): the left-most, as far as it goes.
        ("10.0.0.2", "10.0.0.3, 10.0.0.4", "10.0.0.3"),
    ],
)
def test_behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client(remote, forwarded, client):
    assert client_ip(_request(remote, forwarded)) == client


def test_no_peer_address_is_no_address():
    assert client_ip(_request("")) is None
    assert client_ip(_request("unix-socket")) is None


def _after_middleware(request) -> dict:
    seen = {}

    def view(request):
        seen.update(request.META)
        return HttpResponse()

    ForwardingHeadersMiddleware(view)(request)
    return seen


def test_forwarding_headers_of_anyone_but_a_trusted_proxy_are_dropped():
    headers = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_FORWARDED": "for=1.2.3.4"}
    seen = _after_middleware(_request("198.51.100.7", "203.0.113.5", **headers))
    assert not {"HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_FORWARDED"} & set(seen)
    with override_settings(PONLEU_TRUSTED_PROXIES=PROXIES):
        seen = _after_middleware(_request("198.51.100.7", "203.0.113.5", **headers))
        assert "HTTP_X_FORWARDED_PROTO" not in seen
        seen = _after_middleware(_request("10.0.0.2", "203.0.113.5", **headers))
        assert seen["HTTP_X_FORWARDED_PROTO"] == "https"
        assert seen["HTTP_X_FORWARDED_FOR"] == "203.0.113.5"


@pytest.mark.django_db
@override_settings(
    PONLEU_TRUSTED_PROXIES=PROXIES, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)
def test_only_a_trusted_proxy_can_say_the_request_came_over_https(client):
    """Through the whole middleware stack: a direct client claiming HTTPS is redirected."""
    with override_settings(SECURE_SSL_REDIRECT=True):
        direct = client.get(reverse("web:health"), REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_PROTO="https")
        proxied = client.get(reverse("web:health"), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_PROTO="https")
    assert direct.status_code == 301
    assert proxied.status_code != 301
