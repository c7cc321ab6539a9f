"""Key the audit chains: every row and each chain head carry an HMAC under a key of the key ring.

Rows written before this migration were linked with plain SHA-256. They are checked under
that old rule first, in order; an intact chain is then sealed again, row by row, under the
ring's first key (docs/decisions/0005-keyed-audit-chain.md). A chain that does not verify
under the old rule stops the migration, naming the row, so tampering is never re-sealed.
"""

import hashlib
import json

from django.db import migrations, models

OLD_COMMON = (
    "occurred_at", "actor_user_id", "actor_username", "organisation_id", "action", "reason",
    "request_id", "channel", "ip",
)
OLD_CONTENT = {
    "auditevent": (*OLD_COMMON, "target_type", "target_id", "changes"),
    "accessevent": (*OLD_COMMON, "target_type", "target_ids", "query", "allowed", "break_glass"),
}


def _old_link(prev_hash, name, row):
    from ponleu.audit.chain import _normal

    content = {field: _normal(getattr(row, field)) for field in OLD_CONTENT[name]}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(prev_hash.encode() + text.encode()).hexdigest()


def reseal(apps, schema_editor):
    from ponleu.audit import chain, triggers

    connection = schema_editor.connection
    heads = apps.get_model("audit", "ChainHead")
    pending = {name: apps.get_model("audit", name) for name in OLD_CONTENT}
    # On SQLite, adding the columns rebuilt the tables without their triggers; they are
    # installed again below in every case.
    triggers.remove(connection)
    if not any(model.objects.exists() for model in pending.values()):
        triggers.install(connection)
        return
    key_id = chain.signing_key().id
    for name, model in pending.items():
        old_prev = new_prev = chain.GENESIS
        last = None
        for row in model.objects.order_by("id").iterator(chunk_size=2000):
            if row.prev_hash != old_prev or _old_link(old_prev, name, row) != row.hash:
                raise RuntimeError(
                    f"audit_{name} row {row.id} does not verify under the unkeyed chain: the audit trail "
                    "was altered before this upgrade. Investigate it (restore the trail from a backup) "
                    "before migrating; rows are not re-sealed over tampering."
                )
            old_prev = row.hash
            row.key_id = key_id
            row.prev_hash = new_prev
            row.hash = chain.link(new_prev, name, row)
            model.objects.filter(pk=row.pk).update(key_id=key_id, prev_hash=row.prev_hash, hash=row.hash)
            new_prev = row.hash
            last = row
        heads.objects.filter(name=name).delete()
        if last is not None:
            heads.objects.create(
                name=name,
                last_id=last.id,
                last_hash=last.hash,
                key_id=key_id,
                mac=chain.head_mac(name, last.id, last.hash, key_id),
            )
    triggers.install(connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_head")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(default="", max_length=32),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accessevent",
            name="key_id",
            field=models.CharField(default="", max_length=32),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="chainhead",
            name="key_id",
            field=models.CharField(default="", max_length=32),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="chainhead",
            name="mac",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
    ]
