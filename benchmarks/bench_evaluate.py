"""Evaluation speed, as ratios to baselines measured in the same run.

    python benchmarks/bench_evaluate.py [--entities N] [--quick]

Figures printed:
- *engine per entity*: ``evaluate()`` of the Yunnan set on one entity (coercion, every item,
  statuses, gaps, report model), over many synthetic entities.
- *baseline per entity*: the same measure and condition expressions compiled once with
  Python's own ``compile()`` and run with ``eval`` on already-typed values — unsafe, and only
  the speed limit of evaluating these expressions at all.
- *load once*: loading and compiling the criteria set, which happens once per run.
No figure here is asserted by a test; speed goals are read off the ratios.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from engine.data import DataFile, MeasuredValue, load_data
from engine.evaluator import evaluate
from engine.loader import load_path
from engine.resources import bundled_criteria_dir

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "baoshan_2016.yaml"


def synthetic_entities(base: DataFile, count: int, seed: int = 7) -> list[DataFile]:
    """``count`` entities like ``base``, each number scaled by a random factor."""
    rng = random.Random(seed)
    entities = []
    for index in range(count):
        values = {}
        for name, given in base.values.items():
            value = given.value
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = round(value * rng.uniform(0.85, 1.15), 2)
            values[name] = MeasuredValue(value=value, source=given.source)
        entity = base.entity.model_copy(update={"name": f"entity-{index}"})
        entities.append(DataFile(entity=entity, values=values))
    return entities


def best_of(repeats: int, run: Callable[[], None]) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="few entities, for CI")
    args = parser.parse_args()
    count = 200 if args.quick else args.entities
    repeats = 3 if args.quick else 5

    load_seconds = best_of(repeats, lambda: load_path(bundled_criteria_dir() / "yunnan_2014"))
    criteria = load_path(bundled_criteria_dir() / "yunnan_2014")
    entities = synthetic_entities(load_data(EXAMPLE, criteria), count)

    def engine() -> None:
        for data in entities:
            evaluate(criteria, data)

    code = [
        compile(expression.text, f"<{compiled.id}>", "eval")
        for compiled in criteria.items
        for expression in (compiled.measure, compiled.condition)
        if expression is not None
    ]
    typed = [
        {name: given.value for name, given in data.values.items() if given.value is not None}
        for data in entities
    ]

    def baseline() -> None:
        for values in typed:
            for compiled_code in code:
                with suppress(NameError, ZeroDivisionError, TypeError):
                    eval(compiled_code, {"__builtins__": {}}, values)

    engine_seconds = best_of(repeats, engine)
    baseline_seconds = best_of(repeats, baseline)
    per_entity = engine_seconds / count * 1e6
    per_entity_baseline = baseline_seconds / count * 1e6
    checks = len(criteria.items)
    print(f"criteria set: yunnan_2014 ({checks} items, {len(code)} expressions), {count} entities")
    print(f"load once:            {load_seconds * 1e3:8.2f} ms")
    print(f"engine per entity:    {per_entity:8.1f} µs  ({per_entity / checks:.2f} µs per item)")
    print(f"baseline per entity:  {per_entity_baseline:8.1f} µs  (Python compile()/eval, unsafe)")
    print(f"ratio engine/baseline: {per_entity / per_entity_baseline:7.1f}x")
    print(f"ratio load/entity:     {load_seconds / (engine_seconds / count):7.1f} entities")


if __name__ == "__main__":
    main()
