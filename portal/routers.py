"""Send reads to the replica and everything else to the primary."""

from django.db import connections


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        # Inside a write transaction the primary has what the replica may
        # not have yet: read your own writes.
        if connections["default"].in_atomic_block:
            return "default"
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
