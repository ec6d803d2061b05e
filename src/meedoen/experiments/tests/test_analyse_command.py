"""``meedoen experiment analyse``: the table, the JSON and the errors with exit code 2."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from django.core.management import CommandError, call_command


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    rng = np.random.default_rng(5)
    n = 200
    data = pd.DataFrame(
        {
            "groep": rng.choice(["regulier", "eigen_regie", "intensief"], n),
            "leeftijd": rng.integers(18, 65, n),
            "gemeente": rng.choice(["Apeldoorn", "Epe"], n),
        }
    )
    data["werk"] = (rng.random(n) < 0.2 + 0.15 * (data["groep"] == "eigen_regie")).astype(int)
    path = tmp_path / "experiment.csv"
    data.to_csv(path, index=False)
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    call_command("experiment", "analyse", *args)
    return capsys.readouterr().out


def test_json_has_one_object_per_arm_with_the_named_fields(
    csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(
        capsys,
        "--data",
        str(csv_file),
        "--arm",
        "groep",
        "--control",
        "regulier",
        "--outcome",
        "werk",
        "--json",
    )
    rows = json.loads(out)
    assert [row["arm"] for row in rows] == ["eigen_regie", "intensief"]
    for key in ("arm", "effect", "se", "ci_low", "ci_high", "p", "n_treated", "n_control"):
        assert key in rows[0]
    data = pd.read_csv(csv_file)
    own = smf.ols("werk ~ C(groep, Treatment('regulier'))", data).fit(cov_type="HC2", use_t=True)
    assert rows[0]["effect"] == pytest.approx(own.params["C(groep, Treatment('regulier'))[T.eigen_regie]"])
    assert rows[0]["se"] == pytest.approx(own.bse["C(groep, Treatment('regulier'))[T.eigen_regie]"])


def test_table_with_covariates_strata_and_randomisation_inference(
    csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(
        capsys, "--data", str(csv_file), "--arm", "groep", "--control", "regulier", "--outcome", "werk",
        "--covariates", "leeftijd", "--strata", "gemeente", "--permutations", "200", "--seed", "1",
    )  # fmt: skip
    assert "Lin-correctie voor leeftijd" in out
    assert "vaste effecten per stratum (gemeente)" in out
    assert "eigen_regie" in out and "p_loting" in out
    assert "Uitval werk: regulier 0/" in out


def test_a_cluster_column_gives_cluster_robust_errors(
    csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(
        capsys,
        "--data",
        str(csv_file),
        "--arm",
        "groep",
        "--control",
        "regulier",
        "--outcome",
        "werk",
        "--cluster",
        "gemeente",
    )
    assert "clustergevoelige standaardfouten (gemeente)" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--outcome", "inkomen"], "'inkomen' staat niet in"),
        (["--outcome", "gemeente"], "'gemeente' moet getallen bevatten"),
        (["--outcome", "werk", "--control", "niemand"], "'niemand' komt niet voor in de kolom 'groep'"),
        (["--outcome", "werk", "--se", "cluster"], "clusterkolom"),
    ],
)
def test_bad_input_names_the_column_with_exit_code_2(csv_file: Path, args: list[str], words: str) -> None:
    control = [] if "--control" in args else ["--control", "regulier"]
    with pytest.raises(CommandError, match=words) as caught:
        call_command("experiment", "analyse", "--data", str(csv_file), "--arm", "groep", *control, *args)
    assert caught.value.returncode == 2


def test_an_arm_with_one_value_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("groep,werk\nregulier,1\nregulier,0\n")
    with pytest.raises(CommandError, match="'groep' heeft maar één waarde") as caught:
        call_command(
            "experiment",
            "analyse",
            "--data",
            str(path),
            "--arm",
            "groep",
            "--control",
            "regulier",
            "--outcome",
            "werk",
        )
    assert caught.value.returncode == 2


def test_the_console_script_exits_with_2_and_prints_the_dutch_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("groep,werk\nregulier,1\neigen_regie,veel\n")
    done = subprocess.run(  # noqa: S603 - our own console entry point
        [sys.executable, "-c", "from meedoen.cli import main; main()", "experiment", "analyse",
         "--data", str(path), "--arm", "groep", "--control", "regulier", "--outcome", "werk"],
        capture_output=True, text=True, check=False,
        env={"DJANGO_SETTINGS_MODULE": "meedoen.settings.test", "PYTHONPATH": "src", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 2
    assert "'werk' moet getallen bevatten; 'veel' is geen getal" in done.stderr
