from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Give a staff member a TOTP device (replacing any they had) and print its otpauth:// URL "
        "and secret, to add to an authenticator app. Needed before ADMIN_REQUIRE_2FA=true lets them in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if not user.is_staff:
            raise CommandError(f"{username!r} is not staff; the admin is the only place that asks for a code.")
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
        self.stdout.write(f"Add this to {username}'s authenticator app (scan it as a QR code, or type the secret):")
        self.stdout.write(f"  {device.config_url}")
        self.stdout.write(f"  secret: {secret}")
