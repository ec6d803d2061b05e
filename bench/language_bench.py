"""Speed of the language checker on a 2,000-word text (issue 16: ≤ 20 ms in process).

    .venv/bin/python bench/language_bench.py [--runs 200]

Checks a deterministic 2,000-word Dutch text (plain sentences, municipal jargon, compounds and terms of
the start glossary) with the start glossary, after one warm-up check (which loads the word-frequency
table, ~0.2 s, once per process). Prints median and p95 in milliseconds and writes them into
bench/results/latest.json (merged with other benchmarks' figures)."""

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from meedoen.language import checker, seed  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "latest.json"
TARGET_MS = 20.0
SENTENCES = [
    "U krijgt deze brief van de gemeente.",
    "Wij willen graag met u praten over uw plan.",
    "De klantmanager belt u volgende week op dinsdag.",
    "Onze klanten met een grote afstand tot de arbeidsmarkt krijgen extra begeleiding bij de dagbesteding.",
    "Ingevolge de Participatiewet is het college bevoegd de bijstandsuitkering te verlagen.",
    "Hij is vorige maand uitgevallen, maar hij wil weer beginnen op de dagbestedingslocatie.",
    "De werkverplichting en de sancties staan in de beschikking.",
    "Neem uw paspoort mee naar het stadhuis.",
    "De les valt morgen uit, dus we bellen u.",
    "Zij werkt graag in de moestuin en leert daar samenwerken met collega's.",
    "Ter voorbereiding op de heroverweging wordt de inventarisatie van uw mogelijkheden besproken.",
]


def text_of(words: int, rng: random.Random) -> str:
    parts: list[str] = []
    count = 0
    while count < words:
        sentence = rng.choice(SENTENCES)
        parts.append(sentence)
        count += len(sentence.split())
        if rng.random() < 0.15:
            parts.append("\n\n")
    return " ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    glossary = checker.Glossary(
        checker.Entry(
            row.avoid,
            (row.prefer,),
            row.why,
            tuple(seed.EXCEPTIONS.get(row.avoid, ())),
            tuple(seed.NAMES.get(row.avoid, ())),
        )
        for row in seed.read_seed()
    )
    text = text_of(2000, random.Random(2017))
    started = time.perf_counter()
    report = checker.check(text, glossary)  # warm-up: loads the frequency table
    first_ms = (time.perf_counter() - started) * 1000
    times = []
    for run in range(args.runs):
        # A new text each run, so the word cache of the readability is not all warm.
        variant = text if run % 2 else text_of(2000, random.Random(run))
        started = time.perf_counter()
        checker.check(variant, glossary)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    median = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    words = len(text.split())
    print(
        f"language check, {words} words, {len(report.hits)} hits: first {first_ms:.0f} ms (loads the table)"
    )
    print(f"median {median:.1f} ms, p95 {p95:.1f} ms over {args.runs} runs (target ≤ {TARGET_MS:.0f} ms)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    merged = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    merged["language_check_2000_words"] = {"median_ms": round(median, 2), "p95_ms": round(p95, 2)}
    RESULTS.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
