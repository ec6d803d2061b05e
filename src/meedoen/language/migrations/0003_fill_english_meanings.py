"""Glossaries seeded before the English column get the seed's English meanings and reasons, for the terms
whose Dutch text is still the seed's own (a text the beheerder changed is left to them). A reason that was
cut at its first comma (the list's commas are not quoted) gets its whole sentence back."""

from django.db import migrations

from meedoen.language import seed


def fill(apps, schema_editor):
    Term = apps.get_model("language", "Term")
    for word, english in seed.MEANINGS_EN.items():
        Term.objects.filter(word=word, meaning=seed.MEANINGS.get(word, ""), meaning_en="").update(meaning_en=english)
    for row in seed.read_seed():
        # Seeded before the reader kept a reason's commas: the reason was cut at its first comma.
        Term.objects.filter(word=row.avoid, why=row.why.split(",")[0].strip()).update(why=row.why)
        english = seed.WHY_EN.get(row.avoid, "")
        Term.objects.filter(word=row.avoid, why=row.why, why_en="").update(why_en=english)


class Migration(migrations.Migration):
    dependencies = [("language", "0002_term_english_meaning")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
