"""How long a full garbage collection holds the GIL in a loaded server process, before and after
the heap is frozen (`api.state._settle_heap`, which the API runs once its `Ahadi` is loaded).

Loads what `ahadi serve` loads (settings from the environment, the model, the store under a fresh
temporary data directory, langdetect's profiles), then times `gc.collect()` (a full pass, which
also runs on its own from time to time while requests are served) `--repeats` times, freezes
the heap as the API does, and times it again. Every request waits while a pass runs.

    python -m benchmarks.gc_pauses [--repeats 5]
writes benchmarks/results/gc_pauses.json.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from pathlib import Path


from benchmarks.perf_common import load_average, machine, percentiles, write_result  # noqa: E402


def full_passes(repeats: int) -> dict:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        gc.collect()
        timings.append((time.perf_counter() - started) * 1000)
    return {"full_collection_ms": percentiles(timings), "tracked_objects": len(gc.get_objects())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from api.state import _settle_heap
    from service.facade import Ahadi
    from service.settings import Settings

    result = {"machine": machine(), "load_1m_at_start": round(load_average()[0], 2)}
    with tempfile.TemporaryDirectory(prefix="ahadi-gc-") as data_dir:
        app = Ahadi(Settings.from_env(data_dir=Path(data_dir)))
        app.warm_up()
        result["loaded"] = full_passes(args.repeats)
        _settle_heap()
        result["frozen"] = {**full_passes(args.repeats), "frozen_objects": gc.get_freeze_count()}
        gc.unfreeze()
        app.close()
    result["load_1m_at_end"] = round(load_average()[0], 2)
    print({key: result[key] for key in ("loaded", "frozen")})
    write_result("gc_pauses", result, args.out)


if __name__ == "__main__":
    main()
