"""Load the starting catalogue of service types (DOMAIN §7) in four languages."""

from django.db import migrations

from homeward.services.catalogue import service_types_load


def load(apps, schema_editor):
    service_types_load(apps.get_model("services", "ServiceType"))


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
