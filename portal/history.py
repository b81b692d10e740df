"""Edit history helpers shared by migrations."""


def snapshot_current_relations(app_label: str, model_name: str, field_names: list[str]):
    """A migration step for when many-to-many relations start being
    versioned: the versions written before hold no relations, so give each
    record's latest version (which is the record as it is now) its current
    relations. Older versions stay without them."""

    def forwards(apps, schema_editor):
        db = schema_editor.connection.alias
        model = apps.get_model(app_label, model_name)
        history = apps.get_model(app_label, f"Historical{model_name}")
        latest: dict[int, tuple[int, str]] = {}
        versions = history.objects.using(db).order_by("history_date", "history_id")
        for record_id, history_id, kind in versions.values_list("id", "history_id", "history_type").iterator():
            latest[record_id] = (history_id, kind)
        for name in field_names:
            field = model._meta.get_field(name)
            through = field.remote_field.through
            m2m_history = apps.get_model(app_label, f"Historical{model_name}_{name}")
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            rows = []
            relations = through.objects.using(db).values_list("pk", f"{source}_id", f"{target}_id")
            for row_id, source_id, target_id in relations.iterator():
                version = latest.get(source_id)
                if version is not None and version[1] != "-":
                    ids = {"id": row_id, "history_id": version[0], f"{source}_id": source_id, f"{target}_id": target_id}
                    rows.append(m2m_history(**ids))
            m2m_history.objects.using(db).bulk_create(rows, batch_size=1000)

    return forwards
