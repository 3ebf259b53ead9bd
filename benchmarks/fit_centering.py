"""Fit the per-language mean vectors used for centering, on NTREX **dev** (never test).

Passage side: the mean `passage:` vector of each language's dev documents, chunked exactly as
Ahadi ingests them. Query side: the mean `query:` vector of the dev headlines. The Serbo-Croatian
family (Bosnian, Croatian, Serbian) is pooled as `hbs` and serves Montenegrin too.

    python -m benchmarks.fit_centering [--ntrex PATH]
writes index/data/centering-<model>.json for the configured model (`AHADI_MODEL`; the default
`multilingual-e5-small`, or `multilingual-e5-small-base`). The means' name carries the model's
adapter hash (`index.model.model_identity`): re-fit after a new adapter.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

import numpy as np  # noqa: E402
from haystack import Document  # noqa: E402

from ahadi.config import Settings  # noqa: E402
from benchmarks import ntrex  # noqa: E402
from index.embedding import CENTERING_DIR, Encoder  # noqa: E402
from index.model import load_encoder, model_identity  # noqa: E402
from ingest.chunking import SentenceChunker  # noqa: E402

FAMILY = {"bs": "hbs", "hr": "hbs", "sr": "hbs"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ntrex", type=Path, default=ntrex.DEFAULT_PATH)
    args = parser.parse_args()
    settings = Settings.from_env()
    encoder = Encoder(load_encoder(settings.model, settings.model_cache_dir), centering=None)
    chunker = SentenceChunker()
    records = list(ntrex.load("dev", tuple(ntrex.LANGUAGES), args.ntrex))
    passages, queries = defaultdict(list), defaultdict(list)
    for record in records:
        lang = FAMILY.get(record["lang"], record["lang"])
        chunks = chunker.run([Document(id=record["doc_id"], content=record["text"], meta={"doc_id": record["doc_id"]})])["documents"]
        passages[lang].extend(chunk.content for chunk in chunks)
        queries[lang].append(record["title"])
    means = {"passage": {}, "query": {}}
    for lang in sorted(passages):
        means["passage"][lang] = encoder.passages(passages[lang], [None] * len(passages[lang])).mean(axis=0)
        means["query"][lang] = encoder.queries(queries[lang], [None] * len(queries[lang])).mean(axis=0)
        print(f"{lang}: {len(passages[lang])} passages, {len(queries[lang])} headlines")
    out = CENTERING_DIR / f"centering-{settings.model.replace('/', '__')}.json"
    out.write_text(
        json.dumps(
            {
                "name": f"ntrex-dev-means-v1:{model_identity(settings.model)}",
                "fitted_on": "NTREX-128 dev split (CC BY-SA 4.0), chunked passages and headlines",
                "means": {side: {lang: np.round(v, 6).tolist() for lang, v in by_lang.items()} for side, by_lang in means.items()},
            }
        ),
        encoding="utf-8",
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
