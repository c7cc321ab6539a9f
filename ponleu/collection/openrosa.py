"""The OpenRosa 1.0 wire format: headers and the XML bodies the server answers with.

Form list (OpenRosa Form List API), manifest (``xmlns="http://openrosa.org/xforms/xformsManifest"``)
and the submission response (``<OpenRosaResponse>`` with a ``<message nature="...">``).
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr  # noqa: S406 - escaping output, nothing is parsed

from django.http import HttpResponse

VERSION = "1.0"
# Largest request body a device may post; ODK Collect splits bigger submissions into several
# posts of at most this size.
ACCEPT_CONTENT_LENGTH = 10 * 1024 * 1024
XML_TYPE = "text/xml; charset=utf-8"
REALM = "Ponleu"


def respond(body: str = "", *, status: int = 200, content_type: str = XML_TYPE) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-OpenRosa-Version"] = VERSION
    response["X-OpenRosa-Accept-Content-Length"] = str(ACCEPT_CONTENT_LENGTH)
    return response


def message(text: str, *, status: int, nature: str = "") -> HttpResponse:
    attribute = f" nature={quoteattr(nature)}" if nature else ""
    body = (
        '<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
        f"<message{attribute}>{escape(text)}</message></OpenRosaResponse>"
    )
    return respond(body, status=status)


def challenge() -> HttpResponse:
    response = message("Authentication required.", status=401)
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def form_list(entries) -> str:
    """``entries``: dicts with form_id, name, version, md5, download_url, manifest_url (or None)."""
    parts = ['<xforms xmlns="http://openrosa.org/xforms/xformsList">']
    for entry in entries:
        parts.append(
            "<xform>"
            f"<formID>{escape(entry['form_id'])}</formID>"
            f"<name>{escape(entry['name'])}</name>"
            f"<version>{escape(entry['version'])}</version>"
            f"<hash>md5:{entry['md5']}</hash>"
            f"<downloadUrl>{escape(entry['download_url'])}</downloadUrl>"
            + (
                f"<manifestUrl>{escape(entry['manifest_url'])}</manifestUrl>"
                if entry.get("manifest_url")
                else ""
            )
            + "</xform>"
        )
    parts.append("</xforms>")
    return "".join(parts)


def manifest(files) -> str:
    """``files``: dicts with filename, md5, download_url."""
    parts = ['<manifest xmlns="http://openrosa.org/xforms/xformsManifest">']
    for item in files:
        parts.append(
            "<mediaFile>"
            f"<filename>{escape(item['filename'])}</filename>"
            f"<hash>md5:{item['md5']}</hash>"
            f"<downloadUrl>{escape(item['download_url'])}</downloadUrl>"
            "</mediaFile>"
        )
    parts.append("</manifest>")
    return "".join(parts)
