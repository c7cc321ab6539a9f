import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import ponleu.common.clock


def outcomes_from_succeeded(apps, schema_editor):
    LoginAttempt = apps.get_model("accounts", "LoginAttempt")
    LoginAttempt.objects.filter(succeeded=True).update(outcome="ok")
    LoginAttempt.objects.filter(succeeded=False).exclude(username="").update(outcome="wrong")
    LoginAttempt.objects.filter(succeeded=False, username="").update(outcome="unknown")


def succeeded_from_outcomes(apps, schema_editor):
    LoginAttempt = apps.get_model("accounts", "LoginAttempt")
    LoginAttempt.objects.filter(outcome="ok").update(succeeded=True)


def forget_unconfirmed_authenticators(apps, schema_editor):
    # Earlier versions kept one unconfirmed device per user across visits of the enrolment
    # page, so whoever saw its key first could copy it. Enrolment now keeps the key in the
    # session until it is confirmed; no unconfirmed device is ever used again.
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    TOTPDevice.objects.filter(confirmed=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_device_tokens_and_sessions"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RenameField(model_name="user", old_name="failed_logins", new_name="failed_codes"),
        migrations.AddField(
            model_name="loginattempt",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("ok", "right password"),
                    ("wrong", "wrong password"),
                    ("unknown", "no such user"),
                    ("refused", "refused without checking"),
                ],
                default="wrong",
                max_length=10,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(outcomes_from_succeeded, succeeded_from_outcomes),
        migrations.RemoveField(model_name="loginattempt", name="succeeded"),
        migrations.AddIndex(
            model_name="loginattempt",
            index=models.Index(fields=["username", "outcome", "at"], name="loginattempt_user_outcome_at"),
        ),
        migrations.CreateModel(
            name="AddressLockout",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("address", models.CharField(blank=True, max_length=45)),
                ("failures", models.PositiveIntegerField(default=0)),
                ("lockouts", models.PositiveIntegerField(default=0)),
                ("locked_until", models.DateTimeField(blank=True, null=True)),
                ("last_failure_at", models.DateTimeField(default=ponleu.common.clock.now)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="address_lockouts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("user", "address"), name="addresslockout_one_per_user_address")
                ],
            },
        ),
        migrations.CreateModel(
            name="PasswordResetToken",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=ponleu.common.clock.now, editable=False)),
                ("expires_at", models.DateTimeField(editable=False)),
                ("used_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "issued_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="password_resets",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "password reset link",
                "verbose_name_plural": "password reset links",
            },
        ),
        migrations.RunPython(forget_unconfirmed_authenticators, migrations.RunPython.noop),
    ]
