"""Trained models as stored bytes: signed with a key derived from the installation's secret,
loaded once per process and kept in memory by digest.

A model file is a pickle; the engine refuses to load one whose HMAC does not match, so a row
changed in the database cannot run code here. Changing SECRET_KEY means training again.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from .engine import model as engine_model

_CACHE: dict[str, engine_model.TrainedModel] = {}
_CACHE_LIMIT = 8


def signing_key() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), b"ponleu-early-warning-model", hashlib.sha256).digest()


def dump(trained: engine_model.TrainedModel) -> tuple[bytes, str]:
    data = engine_model.dumps(trained, key=signing_key())
    return data, hashlib.sha256(data).hexdigest()


def load(data: bytes, digest: str) -> engine_model.TrainedModel:
    found = _CACHE.get(digest)
    if found is None:
        found = engine_model.loads(bytes(data), key=signing_key())
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[digest] = found
    return found
