"""One JSON object per log line (``PONLEU_LOG_FORMAT=json``), for journald and log shippers.

Only the fields listed here leave the process: the message, and for requests the route
pattern, method, status, duration and request id. Never a path, query string, form value,
user name or address, so the logs hold no personal data even when shipped elsewhere.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

FIELDS = ("route", "method", "status", "duration_ms", "request_id")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = record.exc_info[0].__name__ if record.exc_info[0] else ""
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
