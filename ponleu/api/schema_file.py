"""The golden OpenAPI schema: ``ponleu/api/openapi.json``, the API as clients see it.

``tests/test_openapi_golden.py`` fails when the API changes and this file does not; regenerate
it with ``make openapi`` (``ponleu openapi --write``) and review the diff with the change."""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import translation
from ninja.responses import NinjaJSONEncoder

GOLDEN = Path(__file__).resolve().parent / "openapi.json"


def openapi_text() -> str:
    """The schema as the server documents it, in English, as stable JSON text."""
    from ponleu.api.router import api  # the router imports every app's api module: read lazily

    with translation.override("en"):
        schema = api.get_openapi_schema()
    # Through JSON once as the server sends it (status codes become text), then in a stable order.
    served = json.loads(json.dumps(schema, cls=NinjaJSONEncoder))
    return json.dumps(served, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
