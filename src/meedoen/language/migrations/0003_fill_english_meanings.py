"""Glossaries seeded before the English column get the seed's English meanings and reasons, for the terms
whose Dutch text is still the seed's own (a text the beheerder changed is left to them)."""

from django.db import migrations

from meedoen.language import seed


def fill(apps, schema_editor):
    Term = apps.get_model("language", "Term")
    for word, english in seed.MEANINGS_EN.items():
        Term.objects.filter(word=word, meaning=seed.MEANINGS.get(word, ""), meaning_en="").update(meaning_en=english)
    reasons = {row.avoid: row.why for row in seed.read_seed()}
    for word, english in seed.WHY_EN.items():
        Term.objects.filter(word=word, why=reasons.get(word, ""), why_en="").update(why_en=english)


class Migration(migrations.Migration):
    dependencies = [("language", "0002_term_english_meaning")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
