"""Crash test: a real `ahadi ingest` (subprocess, real model) SIGKILLed at random moments, repeatedly.

One data directory takes every run. Before run i the input folder is rewritten as revision i
(every document changes, and so does its number of sentences), so each run replaces every
document. Two ways of choosing the moment, alternating:

- ``write``: at a random write operation of the store. The child is the real CLI
  (``ahadi.cli.main``) started as ``python -m benchmarks.crash_test --child ...``, which only
  reports each write operation of the store (upsert, set payload, delete) on a pipe and waits
  for a go-ahead before doing it; the parent picks one uniformly among a run's write operations,
  lets the child start it, waits a random 0-3 ms and SIGKILLs the child from outside. The child
  cannot get past the start of the next operation, so the kill lands inside that step of the
  commit protocol or right after it (pending passages written, the commit point, passages
  switched live, old version deleted, record marked clean).
- ``time``: the plain ``ahadi ingest`` console script, killed at a random delay after it opened
  the index (its model is loaded then), from 0 to 1.1 × a clean ingestion's duration. Realistic,
  but most such kills land while the model is embedding, when nothing is being written.

After every kill the index must: open (its recovery finishing or discarding the interrupted
commit), hold no pending passage and no dirty record, hold every document whole (live parts ==
the record's chunk_count, all of the record's version, chunk indexes 0..n-1, offsets giving
the part's text in the record's text, no orphan part), still hold every document that was there
before the run (nothing lost), and answer a search (dense and hybrid) whose hits are all live
parts of stored documents. After the last kill a complete `ahadi ingest` of the final revision
must give the same documents, versions and chunk counts as a clean ingestion into an empty
directory, and a second one must change nothing.

    .venv/bin/python -m benchmarks.crash_test [--runs 20] [--documents 60] [--seed 1] [--mode both|write|time]

writes benchmarks/results/crash_test.json and exits 1 when any check failed. The functions
here are also what tests/test_reliability.py runs, with 3 kills.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from collections import Counter
from typing import Any, Callable


ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "crash_test.json"
AHADI = Path(sys.executable).with_name("ahadi")
FINAL_REVISION = 999
SEARCH_QUERY = "How do police and the municipality cooperate on safety patrols?"

# Short sentences in the five languages: documents of a few sentences keep the model's work per
# run small, so most of a run's time is the write path the test is about.
SENTENCES = {
    "sv": [
        "Polisen och kommunen har undertecknat ett medborgarlöfte för {r}.",
        "Under {y} ska {n} trygghetsvandringar genomföras.",
        "Arbetet mot våld i nära relationer ska stärkas.",
        "Kommunen ansvarar för belysningen i parkerna.",
    ],
    "en": [
        "The police and the council signed a partnership agreement for {r}.",
        "In {y} the council will hold {n} community patrols.",
        "Work against domestic abuse will be strengthened.",
        "The council is responsible for lighting in parks.",
    ],
    "sw": [
        "Polisi na halmashauri wamesaini makubaliano ya ushirikiano kwa {r}.",
        "Mwaka {y} doria {n} za jamii zitafanyika.",
        "Kazi dhidi ya ukatili wa kijinsia itaimarishwa.",
        "Halmashauri inawajibika kwa taa katika bustani.",
    ],
    "fa": [
        "پلیس و شهرداری توافقنامه همکاری برای {r} امضا کردند.",
        "در سال {y} تعداد {n} گشت محله برگزار می‌شود.",
        "مبارزه با خشونت خانگی تقویت می‌شود.",
        "شهرداری مسئول روشنایی پارک‌ها است.",
    ],
    "cnr": [
        "Policija i opština potpisale su sporazum o saradnji za {r}.",
        "Tokom {y}. godine biće organizovano {n} patrola.",
        "Rad protiv nasilja u porodici biće ojačan.",
        "Opština je odgovorna za rasvjetu u parkovima.",
    ],
}
REGIONS = ["Gotland", "Värnamo", "Surrey", "Berane", "Narmak", "Mombasa", "Kisumu", "Nikšić"]


# ------------------------------------------------------------------------------- input
def write_documents(folder: Path, count: int, revision: int, seed: int = 0) -> list[str]:
    """(Re)write `count` small documents as `revision` (same ids, new texts); returns their ids.

    Each revision changes every document and draws its number of sentences (1-4) anew, so a
    replaced document usually has another number of passages and commitments.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}:{revision}")
    languages = list(SENTENCES)
    ids = []
    for i in range(count):
        language = languages[i % len(languages)]
        sentences = [
            rng.choice(SENTENCES[language]).format(r=rng.choice(REGIONS), y=rng.randint(2015, 2025), n=rng.randint(2, 40))
            for _ in range(rng.randint(1, 4))
        ]
        doc_id = f"doc{i:04d}"
        (folder / f"{doc_id}.txt").write_text(" ".join(sentences) + f"\n\nRev. {revision}.\n", encoding="utf-8")
        ids.append(doc_id)
    return ids


# ------------------------------------------------------------------------------- checks
def open_inspected(index: Path, dimension: int):
    """Open the embedded store, noting what its recovery found (pending parts, dirty records)."""
    from index.store.edge import EdgeStore

    class InspectedStore(EdgeStore):
        found: dict[str, int] = {}

        def recover(self) -> int:
            self.found = {
                "pending_parts": self._count({"state": "pending"}),
                "dirty_records": self._count({"kind": "document", "dirty": 1}),
            }
            self.found["finished_commits"] = super().recover()
            return self.found["finished_commits"]

    return InspectedStore(index, dimension)


def check_integrity(store) -> dict[str, Any]:
    """Every document whole, nothing pending or dirty, no orphan or duplicate part.

    Returns ``{"documents", "parts", "problems": [...]}``; no problems means the index is sound.
    """
    problems: list[str] = []
    pending = store._count({"state": "pending"})
    if pending:
        problems.append(f"{pending} pending parts after recovery")
    dirty = store._count({"kind": "document", "dirty": 1})
    if dirty:
        problems.append(f"{dirty} dirty document records after recovery")
    documents = 0
    expected_parts = 0
    for record in store.iter_documents():
        documents += 1
        doc_id, version, text = record["doc_id"], record["version"], record.get("text") or ""
        parts = []
        offset = None
        while True:
            hits, offset = store._scroll({"doc_id": doc_id}, limit=256, offset=offset)
            parts.extend(hit.payload for hit in hits if hit.payload.get("kind") != "document")
            if offset is None:
                break
        expected_parts += int(record.get("chunk_count") or 0)
        if len(parts) != record.get("chunk_count"):
            problems.append(f"{doc_id}: {len(parts)} parts stored, its record says {record.get('chunk_count')}")
        versions = {p.get("version") for p in parts}
        if versions - {version}:
            problems.append(f"{doc_id}: parts of versions {sorted(map(str, versions))}, record is {version}")
        states = {p.get("state") for p in parts}
        if states - {"live"}:
            problems.append(f"{doc_id}: parts in states {sorted(map(str, states))}")
        for kind in {p.get("kind") for p in parts}:
            indexes = sorted(p.get("chunk_index") for p in parts if p.get("kind") == kind)
            if indexes != list(range(len(indexes))):
                problems.append(f"{doc_id}: {kind} indexes {indexes[:10]} are not 0..{len(indexes) - 1}")
        if not any(p.get("kind") == "chunk" for p in parts):
            problems.append(f"{doc_id}: no passage")
        for p in parts:
            start, end = p.get("start"), p.get("end")
            # Sections keep only their offsets (index/writer.py); every other part its text too.
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)) or (
                p.get("kind") != "section" and text[start:end] != p.get("text")
            ):
                problems.append(f"{doc_id}#{p.get('chunk_index')} ({p.get('kind')}): offsets {start}-{end} do not give its text")
                break
    total = store._count({})
    if total != documents + expected_parts:
        problems.append(f"{total} points stored, {documents} records + {expected_parts} parts expected (orphans or duplicates)")
    return {"documents": documents, "parts": expected_parts, "problems": problems}


def check_search(store, encoder) -> list[str]:
    """A search answers, and each hit is a live part of a stored document at its current version."""
    from index.search import Searcher
    from index.sparse import SparseEncoder

    problems = []
    searcher = Searcher(store, encoder, SparseEncoder())
    for mode in ("dense", "hybrid"):
        results = searcher.search(SEARCH_QUERY, top_k=10, mode=mode, group_by_document=False)
        if store.count_documents() and not results:
            problems.append(f"{mode} search found nothing in a non-empty index")
        for result in results:
            record = store.document(result.doc_id)
            live = {c["chunk_index"]: c["text"] for c in store.chunks(result.doc_id)} if record else {}
            if live.get(result.chunk_index) != result.text:
                problems.append(f"{mode} hit {result.chunk_id} is not a live passage of a stored document")
    return problems


def versions_of(store) -> dict[str, tuple[str, int]]:
    return {r["doc_id"]: (r["version"], int(r.get("chunk_count") or 0)) for r in store.iter_documents()}


# ------------------------------------------------------------------------------- one run
def ingest_command(data_dir: Path, folder: Path) -> list[str]:
    return [str(AHADI), "--data-dir", str(data_dir), "ingest", str(folder), "--quiet", "--json"]


def subprocess_env(model_cache_dir: Path) -> dict[str, str]:
    env = {**os.environ, "HAYSTACK_TELEMETRY_ENABLED": "False", "AHADI_MODEL_CACHE_DIR": str(model_cache_dir)}
    env.pop("AHADI_QDRANT_URL", None)
    env.pop("AHADI_DATA_DIR", None)
    return env


def _has_index_open(pid: int, wal: str) -> bool:
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(wal):
                    return True
            except OSError:
                continue
    except OSError:
        return False
    return False


def child_command(data_dir: Path, folder: Path) -> list[str]:
    """The real CLI, in a child that reports the store's write operations (see `_child`)."""
    return [sys.executable, "-m", "benchmarks.crash_test", "--child", "--data-dir", str(data_dir), "ingest", str(folder), "--quiet", "--json"]


def _wait_until_open(process: subprocess.Popen, wal: str, started: float, ready_timeout: float) -> float:
    while not _has_index_open(process.pid, wal):
        if process.poll() is not None:
            break
        if time.monotonic() - started > ready_timeout:
            raise TimeoutError(f"the ingestion did not open the index within {ready_timeout} s")
        time.sleep(0.02)
    return time.monotonic() - started


def run_and_kill(command: list[str], env: dict[str, str], data_dir: Path, delay: float | None, log: Path, ready_timeout: float = 600) -> dict[str, Any]:
    """Start `command`; once it has the index open, wait `delay` seconds and SIGKILL it.

    `delay=None` lets it finish. Returns outcome ("killed" or "finished"), exit code, and times.
    """
    wal = str((data_dir / "index" / "wal").resolve())
    started = time.monotonic()
    with open(log, "wb") as err:
        process = subprocess.Popen(command, env=env, stdout=err, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            ready = _wait_until_open(process, wal, started, ready_timeout)
            outcome = "finished"
            if delay is not None and process.poll() is None:
                try:
                    process.wait(timeout=delay)
                except subprocess.TimeoutExpired:
                    os.kill(process.pid, signal.SIGKILL)
                    outcome = "killed"
            code = process.wait(timeout=None if delay is not None else 1800)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    return {"outcome": outcome, "exit_code": code, "ready_seconds": round(ready, 2), "seconds": round(time.monotonic() - started, 2)}


def run_and_kill_at_write(
    data_dir: Path, folder: Path, env: dict[str, str], target: int | None, extra_delay: float, log: Path
) -> dict[str, Any]:
    """Run the CLI in a reporting child; SIGKILL it `extra_delay` s after letting it start write
    operation number `target` (1-based, counted from the index being open). The child waits for
    a go-ahead before each write operation, so it cannot get past the start of the next one: the
    kill lands inside operation `target` or right after it. `target=None` lets it finish.
    Also returns how many write operations it reported and which one was hit."""
    report_read, report_write = os.pipe()
    go_read, go_write = os.pipe()
    started = time.monotonic()
    reported: list[str] = []
    outcome = "finished"
    ready = None
    with open(log, "wb") as err:
        process = subprocess.Popen(
            child_command(data_dir, folder),
            env={**env, "AHADI_CRASH_FDS": f"{report_write},{go_read}"},
            stdout=err, stderr=subprocess.STDOUT, cwd=ROOT, pass_fds=(report_write, go_read),
        )
        os.close(report_write)
        os.close(go_read)
        try:
            with os.fdopen(report_read, "rb", buffering=0) as reports, os.fdopen(go_write, "wb", buffering=0) as go:
                for raw in iter(reports.readline, b""):
                    number, _, operation = raw.decode().strip().partition(" ")
                    if number == "0":
                        ready = time.monotonic() - started
                        continue
                    reported.append(operation)
                    go.write(b"g")
                    if target is not None and int(number) >= target:
                        time.sleep(extra_delay)
                        os.kill(process.pid, signal.SIGKILL)
                        outcome = "killed"
                        break
            code = process.wait(timeout=1800)
        except BrokenPipeError:
            code = process.wait(timeout=1800)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    return {
        "outcome": outcome,
        "exit_code": code,
        "ready_seconds": round(ready or 0.0, 2),
        "seconds": round(time.monotonic() - started, 2),
        "write_operations": len(reported),
        "killed_at_operation": reported[-1] if outcome == "killed" else None,
    }


def _child(argv: list[str]) -> int:
    """The real `ahadi` CLI. Once the store is open ("0 open"), before each write operation of the
    store it reports "<n> <operation>" on the first fd of $AHADI_CRASH_FDS and waits for one byte
    on the second: the parent decides when it goes on, and kills it at the step it chose."""
    from index.store.edge import EdgeStore

    fd, go = (int(x) for x in os.environ["AHADI_CRASH_FDS"].split(","))
    state = {"open": False, "n": 0}

    def traced(name: str):
        original = getattr(EdgeStore, name)

        def wrapper(self, *args, **kwargs):
            if state["open"]:
                state["n"] += 1
                what = name
                if name == "_upsert" and args and args[0] and args[0][0][2].get("kind") == "document":
                    what = "_upsert(record: commit point)"
                elif name == "_upsert":
                    what = "_upsert(pending parts)"
                elif name == "_set_payload" and args and args[1].get("state") == "live":
                    what = "_set_payload(parts live)"
                elif name == "_set_payload" and args and "dirty" in args[1]:
                    what = "_set_payload(record clean)"
                elif name == "_delete":
                    what = "_delete(old version)"
                os.write(fd, f"{state['n']} {what}\n".encode())
                if not os.read(go, 1):
                    os._exit(3)  # the parent went away
            return original(self, *args, **kwargs)

        return wrapper

    for name in ("_upsert", "_set_payload", "_delete"):
        setattr(EdgeStore, name, traced(name))
    opened = EdgeStore.__init__

    def traced_init(self, *args, **kwargs):
        opened(self, *args, **kwargs)
        state["open"] = True
        os.write(fd, b"0 open\n")

    EdgeStore.__init__ = traced_init
    from ahadi.cli import main as cli_main

    return cli_main(argv)


# ------------------------------------------------------------------------------- the cycle
def crash_cycle(
    work: Path,
    encoder,
    model_cache_dir: Path,
    modes: list[str],
    documents: int,
    seed: int,
    reference: dict[str, Any],
    finish: Callable[[Path, Path], dict[str, Any]],
    choose: Callable[[int, str, random.Random], float | int] | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """One killed ingestion per entry of `modes` ("write" or "time") into one data directory,
    checks after each, then `finish` (a complete ingestion of the final revision, as a
    subprocess or in-process) compared with `reference`: ``{"versions": {doc_id: (version,
    chunk_count)}, "seconds": a clean ingestion's time after opening the index, "writes": its
    number of write operations}``. `choose(run, mode, rng)` gives the write operation to kill
    at (1-based) or the delay in seconds; by default uniform over the whole run."""
    data_dir, folder = work / "data", work / "input"
    index = data_dir / "index"
    env = subprocess_env(model_cache_dir)
    rng = random.Random(seed)
    span = max(reference["seconds"], 0.5) * 1.1

    def uniform(run: int, mode: str, r: random.Random) -> float | int:
        return r.randint(1, max(1, reference["writes"])) if mode == "write" else r.uniform(0, span)

    choose = choose or uniform
    kills = []
    for run, mode in enumerate(modes):
        write_documents(folder, documents, revision=run, seed=seed)
        before = {}
        if (index / "wal").exists():
            store = open_inspected(index, encoder.dimension)
            before = versions_of(store)
            store.close()
        log = work / f"run{run}.log"
        if mode == "write":
            target = int(choose(run, mode, rng))
            extra = round(rng.uniform(0, 0.003), 4)
            result = run_and_kill_at_write(data_dir, folder, env, target, extra, log)
            entry: dict[str, Any] = {"run": run, "mode": mode, "target_operation": target, "extra_delay_seconds": extra, **result}
        else:
            delay = round(float(choose(run, mode, rng)), 3)
            result = run_and_kill(ingest_command(data_dir, folder), env, data_dir, delay, log)
            entry = {"run": run, "mode": mode, "delay_seconds": delay, **result}
        if result["outcome"] == "finished" and result["exit_code"] != 0:
            entry["log_tail"] = log.read_text(errors="replace")[-2000:]
        opened_at = time.monotonic()
        try:
            store = open_inspected(index, encoder.dimension)
        except Exception as error:  # noqa: BLE001 - a store that does not open is the worst finding
            entry.update(opened=False, problems=[f"the index does not open: {type(error).__name__}: {error}"])
            kills.append(entry)
            say(f"run {run}: index does not open: {error}")
            continue
        try:
            entry["opened"] = True
            entry["open_seconds"] = round(time.monotonic() - opened_at, 2)
            entry["recovery"] = dict(store.found)
            integrity = check_integrity(store)
            after = versions_of(store)
            lost = sorted(set(before) - set(after))
            problems = integrity["problems"] + [f"{doc} was stored before the run and is gone" for doc in lost]
            if result["outcome"] == "finished" and result["exit_code"] != 0:
                problems.append(f"the ingestion exited with {result['exit_code']} without being killed")
            problems += check_search(store, encoder)
            entry.update(
                documents_before=len(before),
                documents_after=integrity["documents"],
                replaced=sum(1 for d, v in after.items() if d in before and before[d] != v),
                added=sum(1 for d in after if d not in before),
                lost=len(lost),
                problems=problems,
            )
        finally:
            store.close()
        kills.append(entry)
        where = f"at write {entry.get('target_operation')} {entry.get('killed_at_operation') or ''}" if mode == "write" else f"after {entry.get('delay_seconds')} s"
        say(
            f"run {run} ({mode}): {entry['outcome']} {where}; recovery {entry['recovery']}; "
            f"{entry['documents_after']} documents ({entry['added']} added, {entry['replaced']} replaced); "
            f"{len(entry['problems'])} problems"
        )

    write_documents(folder, documents, revision=FINAL_REVISION, seed=seed)
    first = finish(data_dir, folder)
    second = finish(data_dir, folder)
    store = open_inspected(index, encoder.dimension)
    try:
        integrity = check_integrity(store)
        final_versions = versions_of(store)
        problems = list(integrity["problems"])
        expected = {doc: tuple(v) for doc, v in reference["versions"].items()}
        if final_versions != expected:
            missing = sorted(set(expected) - set(final_versions))
            extra = sorted(set(final_versions) - set(expected))
            differ = sorted(d for d in set(expected) & set(final_versions) if expected[d] != final_versions[d])
            problems.append(f"after re-running: {len(missing)} missing, {len(extra)} extra, {len(differ)} differing from a clean ingestion ({(missing + extra + differ)[:5]})")
        if len(final_versions) != documents:
            problems.append(f"{len(final_versions)} documents stored for {documents} input files")
        if first.get("skipped"):
            problems.append(f"the re-run skipped {first['skipped'][:3]}")
        if second.get("written"):
            problems.append(f"a second re-run rewrote {len(second['written'])} unchanged documents")
        problems += check_search(store, encoder)
        final = {
            "documents": len(final_versions),
            "parts": integrity["parts"],
            "rerun_written": len(first.get("written", [])),
            "rerun_unchanged": len(first.get("unchanged", [])),
            "second_rerun_written": len(second.get("written", [])),
            "same_as_clean_ingestion": final_versions == expected,
            "problems": problems,
        }
    finally:
        store.close()
    return {
        "runs": len(modes),
        "modes": dict(Counter(modes)),
        "documents": documents,
        "seed": seed,
        "reference_ingest_seconds": round(reference["seconds"], 2),
        "reference_write_operations": reference["writes"],
        "summary": summarize(kills, final),
        "kills": kills,
        "final": final,
    }


def summarize(kills: list[dict[str, Any]], final: dict[str, Any]) -> dict[str, Any]:
    """The figures of a crash cycle: where the kills landed, what recovery did, what was lost."""
    killed = [k for k in kills if k["outcome"] == "killed"]
    recovery = [k.get("recovery") or {} for k in kills]
    before_commit = [r for r in recovery if r.get("pending_parts") and not r.get("dirty_records")]
    after_commit = [r for r in recovery if r.get("dirty_records")]
    return {
        "killed": len(killed),
        "killed_by_mode": dict(Counter(k["mode"] for k in killed)),
        "finished_before_kill": len(kills) - len(killed),
        "killed_at_operation": dict(Counter(k["killed_at_operation"] for k in killed if k.get("killed_at_operation"))),
        "kills_mid_commit": len(before_commit) + len(after_commit),
        "kills_mid_commit_by_mode": dict(Counter(k["mode"] for k, r in zip(kills, recovery) if r.get("pending_parts") or r.get("dirty_records"))),
        "kills_before_commit_point": len(before_commit),
        "pending_parts_discarded": sum(r["pending_parts"] for r in before_commit),
        "kills_after_commit_point": len(after_commit),
        "commits_finished_by_recovery": sum(r.get("finished_commits", 0) for r in recovery),
        "index_failed_to_open": sum(1 for k in kills if not k.get("opened")),
        "runs_with_problems": sum(1 for k in kills if k.get("problems")),
        "documents_lost": sum(k.get("lost", 0) for k in kills),
        "final_problems": len(final["problems"]),
    }


def failures(result: dict[str, Any]) -> list[str]:
    """Every problem found, one line each (empty: nothing lost, nothing broken)."""
    found = [f"run {k['run']}: {p}" for k in result["kills"] for p in k.get("problems", [])]
    found += [f"final: {p}" for p in result["final"]["problems"]]
    return found


# ------------------------------------------------------------------------------- the script
def _subprocess_finish(env: dict[str, str], work: Path) -> Callable[[Path, Path], dict[str, Any]]:
    def finish(data_dir: Path, folder: Path) -> dict[str, Any]:
        done = subprocess.run(ingest_command(data_dir, folder), env=env, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            raise RuntimeError(f"the re-run failed ({done.returncode}): {done.stderr[-2000:]}")
        return json.loads(done.stdout)

    return finish


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20, help="killed ingestions (default 20)")
    parser.add_argument("--documents", type=int, default=60, help="documents in the input folder (default 60)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the documents and of the kill moments")
    parser.add_argument("--mode", choices=("both", "write", "time"), default="both", help="how kills are timed (default: alternate)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    from service.settings import Settings
    from index.embedding import Encoder, LanguageCentering
    from index.model import load_encoder

    settings = Settings.from_env()
    started = time.monotonic()
    encoder = Encoder(load_encoder(settings.model, settings.model_cache_dir, backend=settings.encoder_backend), LanguageCentering.for_model(settings.model))
    modes = [("write", "time")[i % 2] if args.mode == "both" else args.mode for i in range(args.runs)]
    with tempfile.TemporaryDirectory(prefix="ahadi-crash-") as tmp:
        work = Path(tmp)
        env = subprocess_env(settings.model_cache_dir)
        # Reference: a clean ingestion of the final revision by the reporting child, never killed:
        # its time after opening the index and its number of write operations are what kills are drawn from.
        write_documents(work / "clean-input", args.documents, revision=FINAL_REVISION, seed=args.seed)
        clean = run_and_kill_at_write(work / "clean", work / "clean-input", env, None, 0.0, work / "clean.log")
        if clean["exit_code"] != 0:
            print((work / "clean.log").read_text(errors="replace")[-3000:], file=sys.stderr)
            return 2
        store = open_inspected(work / "clean" / "index", encoder.dimension)
        reference = {"versions": versions_of(store), "seconds": clean["seconds"] - clean["ready_seconds"], "writes": clean["write_operations"]}
        store.close()
        print(
            f"clean ingestion: {len(reference['versions'])} documents, {reference['writes']} write operations, "
            f"{reference['seconds']:.1f} s after a {clean['ready_seconds']:.1f} s start",
            file=sys.stderr,
        )
        result = crash_cycle(
            work, encoder, settings.model_cache_dir, modes, args.documents, args.seed, reference,
            finish=_subprocess_finish(env, work), say=lambda line: print(line, file=sys.stderr),
        )
    result["process_start_seconds"] = clean["ready_seconds"]
    result["wall_seconds"] = round(time.monotonic() - started, 1)
    result["command"] = " ".join(["python -m benchmarks.crash_test", *argv])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    found = failures(result)
    print(json.dumps(result["summary"], indent=2), file=sys.stderr)
    print("\n".join(found) if found else "nothing lost, nothing broken", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
