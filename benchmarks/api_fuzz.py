"""Property-based API testing with Schemathesis: every operation of the OpenAPI schema, in-process (ASGI).

Checks that no request gets a 5xx and that every response matches the schema (status codes,
content types, bodies, headers), and Schemathesis' other default checks (invalid input is
rejected, valid input accepted, auth is not ignored, ...).

    .venv/bin/python -m benchmarks.api_fuzz [--examples 50] [--corpus corpus/]

needs `pip install schemathesis==4.32.5` (not a runtime dependency). It builds the app over a
fresh temporary data directory (the corpus ingested first, the real model) and prints each
failing check with a curl command to reproduce it. `tests/test_api.py` runs it with few examples.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any


# 422s that schema-valid input may rightly get: rules on content that JSON Schema cannot state.
SEMANTIC_422 = {
    "not_indexed": "ingestion found nothing it could index (e.g. text that cleaning empties)",
    "invalid_cursor": "a made-up cursor",
    "unknown_language": "other_languages_only for a text whose language cannot be detected",
}


def _semantic_422(body: Any) -> bool:
    error = body.get("error", {}) if isinstance(body, dict) else {}
    code, message = error.get("code"), str(error.get("message", ""))
    return code in SEMANTIC_422 or (code == "invalid_filter" and "is after date_to" in message)


def fuzz(app: Any, headers: dict[str, str], max_examples: int = 25, negative: bool = True) -> list[dict[str, str]]:
    """Run every operation of `app`'s schema; the failures found (empty when all checks passed).

    Positive cases (schema-valid) must get 2xx, or 4xx for a reason in `SEMANTIC_422`, 401/403/404/429;
    negative cases (schema-invalid, with `negative`) must be rejected with 4xx. Never a 5xx, and
    every response must match the schema.
    """
    import hypothesis
    import schemathesis
    from hypothesis import HealthCheck, settings
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[dict[str, str]] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        strategy = operation.as_strategy(GenerationMode.POSITIVE)
        if negative:
            strategy = strategy | operation.as_strategy(GenerationMode.NEGATIVE)

        @settings(
            max_examples=max_examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
        @hypothesis.given(case=strategy)
        def run(case):
            # Schemathesis' own positive-data check, but knowing this API's documented content rules.
            response = case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
            if case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE and response.status_code == 422:
                body = response.json()
                assert _semantic_422(body), f"schema-valid request rejected: {json.dumps(body, ensure_ascii=False)[:500]}"

        try:
            run()
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001 - Schemathesis raises exception groups; collected, one per operation
            failures.append({"operation": label, "failure": _describe(error)})
    return failures


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return text[:3000] + ("…" if len(text) > 3000 else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=50, help="examples per operation (default 50)")
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1] / "corpus")
    args = parser.parse_args(argv)

    from service.settings import Settings
    from service.facade import Ahadi
    from api.app import create_app
    from api.keys import create_key

    with tempfile.TemporaryDirectory(prefix="ahadi-fuzz-") as data_dir:
        settings = Settings.from_env(data_dir=Path(data_dir))
        key = create_key(settings.data_dir, "fuzz", ["read", "write"])
        with Ahadi(settings) as ahadi:
            ahadi.ingest([args.corpus])
            app = create_app(settings.replace(rate_limit=0), app=ahadi)
            failures = fuzz(app, {"X-API-Key": key}, max_examples=args.examples)
    print(json.dumps(failures, indent=2, ensure_ascii=False) if failures else "no failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
