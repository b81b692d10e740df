"""Log formatting with no Django imports, so LOGGING can name it before the
apps are loaded."""

import json
import logging


class JsonLineFormatter(logging.Formatter):
    """The record's `audit` dict, with time and level, as one JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname}
        fields.update(getattr(record, "audit", {"message": record.getMessage()}))
        return json.dumps(fields, ensure_ascii=False, default=str)
