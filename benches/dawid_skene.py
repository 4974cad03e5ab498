"""The engine against crowd-kit's Dawid-Skene on a simulated dataset.

Each (location, day) is a task, each source a worker, and each claim that
says who holds a place (or that it is contested) on a day a label for that
day's task: `holds X` over its window, `contested` over its window, and
`captured X` for its last day (the state right after it). Denials and
withdrawals name no state and give no label. crowd-kit's `DawidSkene` is
timed alone (its `fit_predict`, not the reading), the engine's whole run
from the JSON file to the JSON report as a process. Both are scored
against the simulator's truth on the same tasks: those with a label.

    pip install crowd-kit
    cargo build --release --examples
    ./target/release/examples/generate --claims 1000000 --truth /tmp/truth-1000000.json > /tmp/sim-1000000.json
    python3 benches/dawid_skene.py /tmp/sim-1000000.json /tmp/truth-1000000.json \\
        --engine ./target/release/frontline
"""

import argparse
import datetime as dt
import json
import subprocess
import tempfile
import time

import pandas as pd
from crowdkit.aggregation import DawidSkene

DAY = dt.timedelta(days=1)


def day_of(text):
    """The UTC day of a date or an RFC 3339 datetime."""
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.timezone.utc).date()


def window(when):
    if isinstance(when, str):
        return day_of(when), day_of(when)
    return day_of(when["from"]), day_of(when["to"])


def labels(document, sides):
    """(task, worker, label) rows: one per claim and day it names a state on."""
    rows = []
    for claim in document["claims"]:
        asserts = claim["asserts"]
        first, last = window(claim["when"])
        if asserts == "contested":
            label, days = "contested", (first, last)
        elif "holds" in asserts:
            label, days = sides.get(asserts["holds"]), (first, last)
        elif "captured" in asserts:
            label, days = sides.get(asserts["captured"]), (last, last)
        else:
            continue
        if label is None:
            continue
        day = days[0]
        while day <= days[1]:
            rows.append((f"{claim['location']}|{day.isoformat()}", claim["source"], label))
            day += DAY
    frame = pd.DataFrame(rows, columns=["task", "worker", "label"])
    # One label per worker and task (the last claim said), as Dawid-Skene expects.
    return frame.drop_duplicates(subset=["task", "worker"], keep="last")


def truth_of(truth, start):
    """task -> true label ("side-N" or "contested")."""
    out = {}
    for location in truth:
        for offset, state in enumerate(location["days"]):
            label = "contested" if state == "contested" else f"side-{state['held']}"
            out[f"{location['location']}|{(start + offset * DAY).isoformat()}"] = label
    return out


def engine_labels(report, tasks):
    """The engine's state at noon UTC of each task's day, from the JSON report."""
    timelines = {entry["location"]: entry["timeline"] for entry in report["locations"]}
    out = {}
    for task in tasks:
        location, day = task.split("|")
        noon = dt.datetime.fromisoformat(day + "T12:00:00+00:00")
        for segment in timelines.get(location, []):
            start = dt.datetime.fromisoformat(segment["from"].replace("Z", "+00:00"))
            end = segment["to"] and dt.datetime.fromisoformat(segment["to"].replace("Z", "+00:00"))
            if start <= noon and (end is None or noon < end):
                out[task] = segment["side"] if segment["state"] == "held" else segment["state"]
                break
    return out


def accuracy(predicted, truth, tasks):
    right = sum(1 for task in tasks if predicted.get(task) == truth.get(task))
    return right / len(tasks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data")
    parser.add_argument("truth")
    parser.add_argument("--engine", required=True, help="the frontline command line (its reconcile subcommand is run)")
    parser.add_argument("--start", default="2014-01-01", help="the simulation's day 0")
    args = parser.parse_args()

    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        began = time.perf_counter()
        subprocess.run([args.engine, "reconcile", args.data, "--format", "json", "--quiet"], stdout=out, check=True)
        engine_seconds = time.perf_counter() - began
        out.seek(0)
        report = json.load(out)

    with open(args.data) as f:
        document = json.load(f)
    with open(args.truth) as f:
        truth = truth_of(json.load(f), dt.date.fromisoformat(args.start))
    sides = {a["id"]: a["id"] for a in document["actors"] if "parent" not in a}
    parents = {a["id"]: a.get("parent") for a in document["actors"]}
    for actor in parents:
        side = actor
        while parents.get(side):
            side = parents[side]
        sides[actor] = side
    frame = labels(document, sides)
    tasks = sorted(set(frame["task"]) & set(truth))

    model = DawidSkene(n_iter=100)
    began = time.perf_counter()
    predicted = model.fit_predict(frame)
    ds_seconds = time.perf_counter() - began

    print(f"claims {len(document['claims'])}, labels {len(frame)}, tasks {len(tasks)}, "
          f"workers {frame['worker'].nunique()}")
    print(f"crowd-kit DawidSkene(n_iter=100) fit_predict: {ds_seconds:.2f} s, "
          f"accuracy {accuracy(predicted.to_dict(), truth, tasks):.4f}")
    print(f"engine JSON to JSON (whole process): {engine_seconds:.2f} s, "
          f"accuracy {accuracy(engine_labels(report, tasks), truth, tasks):.4f}")
    print(f"speed ratio (Dawid-Skene alone / engine whole): {ds_seconds / engine_seconds:.1f}")


if __name__ == "__main__":
    main()
