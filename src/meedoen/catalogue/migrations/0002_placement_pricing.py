from django.db import migrations


class Migration(migrations.Migration):
    """A placement's price gets its iWmo variant and unit; existing prices were per week (inspanningsgericht)."""

    dependencies = [("catalogue", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="placement", name="placement_price_not_negative"),
        migrations.RenameField(model_name="placement", old_name="price_per_week", new_name="price"),
    ]
