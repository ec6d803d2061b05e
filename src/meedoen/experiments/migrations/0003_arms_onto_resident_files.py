"""Data: put the arm of everyone randomised before arms reached the file onto their file
(``residents.ExperimentArm``), as ``do_record_consent`` does now: from the day they consented, ended on the
day they stopped (or, for an experiment already closed, the day it was closed)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Participant = apps.get_model("experiments", "Participant")
    ExperimentArm = apps.get_model("residents", "ExperimentArm")
    done = set(ExperimentArm.objects.values_list("participant_id", flat=True))
    participants = (
        Participant.objects.exclude(arm="")
        .filter(status__in=["ingestemd", "teruggetrokken"])
        .select_related("experiment")
    )
    for participant in participants.iterator():
        if participant.pk in done:
            continue
        experiment = participant.experiment
        arms = {arm["code"]: arm for arm in experiment.design.get("arms", [])}
        arm = arms.get(participant.arm, {"name": participant.arm})
        starts_on = participant.answered_on or participant.assigned_at.date()
        ends_on = participant.withdrawn_on if participant.status == "teruggetrokken" else None
        if ends_on is None and experiment.status == "gesloten":
            ends_on = experiment.updated_at.date()
        ExperimentArm.objects.create(
            resident_id=participant.resident_id,
            participant_id=participant.pk,
            experiment_title=experiment.title,
            arm_name=arm["name"],
            voluntary_agreements=bool(arm.get("exempt_from_obligations")),
            review_every_weeks=arm.get("review_every_weeks"),
            starts_on=starts_on,
            ends_on=max(ends_on, starts_on) if ends_on else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("experiments", "0002_arm_never_changes"),
        ("residents", "0005_experiment_arms"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
