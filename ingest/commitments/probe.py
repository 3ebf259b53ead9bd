"""The learned commitment decision: a logistic regression ("probe") on the encoder's middle layers.

Rules written from one pair of real-page pools at a time lifted those pools and changed the next,
unseen ones by almost nothing, five versions in a row; a decision learned from every judged unit
at once carried over (BENCHMARKS.md, session 18). Tense, mood and person, which separate a pledge
from a report, a forecast or a rule, are read from layers 6 and 8 of the bundled model better than
from its final vector.

What the probe reads of a sentence unit: the token means of those layers (fp32, "passage: " + the
unit alone; `index.onnx` exports the cut model once) and two flags, whether the rules fire on the
unit and on the unit before it (a lead-in). The flags come from the rules **not** written from
real pages (`REAL_PAGE_RULES` switched off): those were written from the pools the probe is
trained on, so with them it would learn to trust rules that were in sample and carry over no
better than they do.

The weights are trained by `python -m benchmarks.commitments_probe --pages-dir DIR --save` and kept
per model in `ingest/data/commitment-probe-<model>.npz`; a model without such a file has no probe,
and its commitments are the rules' alone. A probe was trained on the flags of one rules version,
so it names that version, and a test fails when the rules move on without a retrained probe.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ingest.commitments.classifier import CommitmentClassifier
from ingest.commitments.languages import rule_language
from ingest.commitments.rules import REAL_PAGES_DEV, REAL_PAGES_SEEN, RULES, RULES_VERSION
from ingest.commitments.units import Unit

PROBE_DIR = Path(__file__).resolve().parents[1] / "data"
#: The rules written from the real pages' errors: the probe's flags are read without them.
REAL_PAGE_RULES = tuple(r.id for r in RULES if r.origin & {REAL_PAGES_DEV, REAL_PAGES_SEEN})
#: Longer units are cut: a sentence's tense and person stand in its first words.
MAX_UNIT_TOKENS = 256
#: The hidden layers the probe reads (of 12).
LAYERS = (6, 8)
#: Languages whose rules vouch for a unit the probe is unsure of: where the rules it reads as a flag
#: fire on a unit, the unit is a commitment when the probe scores it at least this floor. On the
#: Swahili dev pages the probe alone passed over futures and taskings those rules name ("Msako huo
#: utaongozwa na …", "Kamera hizo zitafungwa …"); on the English ones the same union cost more
#: precision than it gave recall (BENCHMARKS.md, "Session 29").
RULE_VOUCHED_FLOOR = {"sw": 0.4}
#: Thresholds of languages the pooled one does not fit: a Swedish unit is a commitment from this
#: score up. Chosen on the dev pools the probe was not trained on (`sealed27` … `sealed38`), where
#: the Swedish pledges it passed over outnumbered the non-commitments it would take; for BCMS,
#: English and Persian the pooled threshold did as well there, and Swahili did best with its floor
#: (BENCHMARKS.md, "Session 30").
LANGUAGE_THRESHOLD = {"sv": 0.55}


def probe_path(model: str) -> Path:
    return PROBE_DIR / f"commitment-probe-{model.replace('/', '__')}.npz"


class UnitFeatures:
    """What the probe reads of each sentence unit of a document: the token means of `layers` of the
    model, then the two rule flags (unit, unit before)."""

    def __init__(self, model_folder: Path, layers: Sequence[int] = LAYERS) -> None:
        self.model_folder = Path(model_folder)
        self.layers = tuple(int(k) for k in layers)
        self.classifier = CommitmentClassifier(disabled=REAL_PAGE_RULES)
        self._encoder: Any = None
        self._loading = threading.Lock()

    def load(self) -> None:
        """Export (once) and load the cut model; `layer_means` does it on first use."""
        if self._encoder is None:
            with self._loading:
                if self._encoder is None:
                    from index.onnx import OnnxSentenceEncoder

                    encoder = OnnxSentenceEncoder(self.model_folder, "onnx", layers=self.layers)
                    encoder.max_seq_length = MAX_UNIT_TOKENS
                    self._encoder = encoder

    @property
    def loaded(self) -> bool:
        return self._encoder is not None

    def load_in_background(self) -> threading.Thread:
        """`load` in a daemon thread, so the model loads while the caller loads others. A failure
        is not reported there: the first `layer_means` loads again and raises it."""
        # The imports happen here, first: transformers' lazy package fails a thread that imports
        # from it while another thread is importing it ("cannot import name 'AutoTokenizer'").
        import onnxruntime  # noqa: F401
        from transformers import AutoTokenizer  # noqa: F401

        from index.onnx import OnnxSentenceEncoder  # noqa: F401

        def load_quietly() -> None:
            try:
                self.load()
            except Exception:  # noqa: BLE001 - raised again, to the caller, by the first layer_means
                pass

        thread = threading.Thread(target=load_quietly, name="ahadi-probe-load", daemon=True)
        thread.start()
        return thread

    def layer_means(self, texts: list[str]) -> np.ndarray:
        self.load()
        if not texts:
            return np.zeros((0, int(self._encoder.get_embedding_dimension())), np.float32)
        return self._encoder.encode(texts, prompt_name="passage")

    def rule_flags(self, units: Sequence[Unit], language: str | None) -> np.ndarray:
        hit = np.array([d.commitment for d in self.classifier.classify_units(units, language)], dtype=np.float32)
        before = np.r_[np.float32(0.0), hit[:-1]] if len(hit) else hit
        return np.stack([hit, before], axis=1).reshape(len(hit), 2)

    def __call__(self, units: Sequence[Unit], language: str | None) -> np.ndarray:
        return np.concatenate([self.layer_means([u.text for u in units]), self.rule_flags(units, language)], axis=1)


class CommitmentProbe:
    """Scores sentence units; `accepts` says which are commitments.

    ### Usage example
    ```python
    probe = CommitmentProbe.for_model("multilingual-e5-small-adapted", cache_dir)  # None without weights
    probe.accepts(sentence_units(text), "sv")  # one bool per unit
    ```
    """

    def __init__(self, weights: Path, model_folder: Path) -> None:
        """
        :param weights: an ``.npz`` written by `save_weights`.
        :param model_folder: the sentence-transformers folder of the model the weights were trained on.
        :raises ValueError: when the file lacks a field.
        """
        with np.load(weights) as data:
            missing = {"mean", "scale", "coef", "intercept", "threshold", "layers", "rules_version"} - set(data.files)
            if missing:
                raise ValueError(f"{weights}: not a commitment probe (missing {sorted(missing)})")
            self.mean, self.scale, self.coef = data["mean"], data["scale"], data["coef"]
            self.intercept, self.threshold = float(data["intercept"]), float(data["threshold"])
            layers = tuple(int(k) for k in data["layers"])
            self.rules_version = str(data["rules_version"])
        self.weights = Path(weights)
        self.features = UnitFeatures(model_folder, layers)

    @classmethod
    def for_model(cls, model: str, cache_dir: Path) -> "CommitmentProbe | None":
        """The probe trained for `model` (a bundled model), or None when there is none."""
        from index.model import is_bundled, prepare_builtin_model

        path = probe_path(model)
        if not is_bundled(model) or not path.is_file():
            return None
        return cls(path, prepare_builtin_model(cache_dir, model=model))

    @property
    def identity(self) -> str:
        """What its decisions depend on (part of the ingestion signature): the weights and the
        per-language thresholds and floors."""
        digest = hashlib.sha256(self.weights.read_bytes()).hexdigest()[:12]
        policy = ",".join(f"{lang}>={value}" for lang, value in sorted(LANGUAGE_THRESHOLD.items())) + ";" + \
            ",".join(f"{lang}~{value}" for lang, value in sorted(RULE_VOUCHED_FLOOR.items()))
        return f"{self.weights.name}:{digest}:{policy}"

    def decide(self, units: Sequence[Unit], language: str | None) -> tuple[np.ndarray, np.ndarray]:
        """Which units are commitments, and the probability the probe gives each: a unit scored at
        least `threshold` (or its language's `LANGUAGE_THRESHOLD`) is one, and so, in a language of
        `RULE_VOUCHED_FLOOR`, is a unit the rules fire on that is scored at least the language's floor."""
        if not units:
            return np.zeros(0, bool), np.zeros(0, np.float32)
        features = self.features(units, language)
        scores = 1.0 / (1.0 + np.exp(-(((features - self.mean) / self.scale) @ self.coef + self.intercept)))
        group = rule_language(language, " ".join(u.text for u in units[:20]))[0]
        accepted = scores >= LANGUAGE_THRESHOLD.get(group, self.threshold)
        floor = RULE_VOUCHED_FLOOR.get(group)
        if floor is not None:
            accepted |= (features[:, -2] > 0) & (scores >= floor)  # the flag that the rules fire on the unit
        return accepted, scores

    def scores(self, units: Sequence[Unit], language: str | None) -> np.ndarray:
        """The probability that each unit is a commitment."""
        return self.decide(units, language)[1]

    def accepts(self, units: Sequence[Unit], language: str | None) -> np.ndarray:
        """Which units are commitments (`decide`)."""
        return self.decide(units, language)[0]


def save_weights(path: Path, mean: np.ndarray, scale: np.ndarray, coef: np.ndarray, intercept: float,
                 threshold: float, layers: Sequence[int]) -> None:
    """Write a probe (a standardised logistic regression) for `CommitmentProbe`."""
    np.savez(path, mean=np.asarray(mean, np.float32), scale=np.asarray(scale, np.float32),
             coef=np.asarray(coef, np.float32), intercept=np.float32(intercept), threshold=np.float32(threshold),
             layers=np.asarray(layers, np.int64), rules_version=np.asarray(RULES_VERSION))
