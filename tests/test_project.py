"""Project-wide guards."""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


# The checks of a JSONField (Report.credits) ask the database whether it
# supports JSON.
@pytest.mark.django_db
def test_the_system_checks_pass():
    call_command("check", fail_level="WARNING")
