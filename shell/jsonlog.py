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


class WithoutTraceback(logging.Filter):
    """Keep a record's message and drop its traceback: for errors that say
    all there is in one line and that anyone can cause at will (a request
    with a Host the site does not serve), so a probe cannot fill the log
    with stacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True
