"""Log in to a Ponleu server as a browser would, over HTTPS: password, then the first-login
enrolment of an authenticator app (the code computed from the key the page shows), then the
home page. Used by ``make install-check``; prints each step and exits 1 on the first failure.

    python login_check.py URL USERNAME PASSWORD [CA_FILE]
"""

from __future__ import annotations

import base64
import http.cookiejar
import re
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request

from django_otp.oath import totp


def main(url: str, username: str, password: str, ca_file: str | None = None) -> int:
    context = ssl.create_default_context(cafile=ca_file)
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), urllib.request.HTTPCookieProcessor(jar)
    )

    def get(path: str):
        with opener.open(url + path, timeout=30) as response:
            return response.geturl(), response.read().decode("utf-8")

    def post(path: str, fields: dict):
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(url + path, data=data, headers={"Referer": url + path})
        with opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode("utf-8")

    def token(html: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    where, page = get("/accounts/login/")
    print(f"GET  {where}: the login page ({len(page)} bytes)")
    where, page = post(
        "/accounts/login/", {"csrfmiddlewaretoken": token(page), "username": username, "password": password}
    )
    print(f"POST /accounts/login/: password accepted, now at {urllib.parse.urlsplit(where).path}")
    if not where.endswith("/accounts/login/enrol/"):
        print("expected the first-login enrolment of an authenticator app")
        return 1
    key = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    code = f"{totp(secret):06d}"
    where, page = post("/accounts/login/enrol/", {"csrfmiddlewaretoken": token(page), "code": code})
    print(
        f"POST /accounts/login/enrol/: code {code[:2]}.... accepted, recovery codes shown: {'recovery' in page.lower()}"
    )
    # The first administrator belongs to no organisation yet: its first page is the admin site,
    # where it creates the organisations (behind the second factor it just set up).
    where, page = get("/admin/")
    logged_in = "logout" in page
    print(f"GET  {where}: the admin site, logged in as {username}: {logged_in}")
    cookies = sorted(c.name for c in jar)
    print(f"cookies (secure, host-bound): {', '.join(cookies)}")
    return 0 if logged_in else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
