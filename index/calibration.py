"""Per-language score calibration: a passage's score in standard deviations above a typical passage
of its own language, for this query.

Centering removes most of the model's language offset, but not all of it: a query's cosine with
passages of some languages is still higher, or spread wider, than with others, so the raw ranking
of a mixed index still leans towards those languages and a raw score means different things for
different languages. The score of query q with a random passage p of language L has mean
`q·m_L` and variance `qᵀ Σ_L q`, where m_L and Σ_L are the mean and covariance of L's centred
passage vectors. Dividing each hit's excess over that mean by that deviation puts every language
on one scale (per-language z-normalisation of a query's scores), and the scale does not depend on
the index: a score of 4 means the same in a five-document corpus and in a million passages.

Σ_L is kept as its top `rank` principal directions plus one residual variance for the rest.
Statistics are fitted per model on NTREX dev passages by `benchmarks/fit_centering.py`, once for
passages and once for sections (`ingest.chunking.SECTION_WORDS`): longer texts score differently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.languages import family_of

CALIBRATION_DIR = Path(__file__).parent / "data"
_SECTION_PREFIX = "section:"


@dataclass(frozen=True)
class LanguageStats:
    """Mean, principal directions (rows), their variances and the residual variance of one language."""

    mean: np.ndarray
    basis: np.ndarray
    variances: np.ndarray
    residual: float

    def moments(self, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(mean, standard deviation) of each query's score with a random passage of this language."""
        projected = queries @ self.basis.T
        explained = (projected**2 * self.variances).sum(axis=1)
        rest = np.maximum((queries**2).sum(axis=1) - (projected**2).sum(axis=1), 0.0) * self.residual
        return queries @ self.mean, np.sqrt(np.maximum(explained + rest, 1e-12))


@dataclass(frozen=True)
class ScoreCalibration:
    """Turns raw cosines into per-language z-scores for one model: `stats` for passages,
    `section_stats` for sections (empty when none were fitted)."""

    name: str
    stats: dict[str, LanguageStats]
    section_stats: dict[str, LanguageStats] = field(default_factory=dict)

    @classmethod
    def fit(
        cls, name: str, vectors_by_language: dict[str, np.ndarray], rank: int = 32, sections_by_language: dict[str, np.ndarray] | None = None
    ) -> "ScoreCalibration":
        return cls(name, _fit_stats(vectors_by_language, rank), _fit_stats(sections_by_language or {}, rank))

    @property
    def has_sections(self) -> bool:
        return bool(self.section_stats)

    def save(self, path: Path) -> None:
        arrays = {"name": np.array(self.name)}
        for prefix, stats in (("", self.stats), (_SECTION_PREFIX, self.section_stats)):
            for language, s in stats.items():
                key = f"{prefix}{language}"
                arrays.update({f"{key}.mean": s.mean, f"{key}.basis": s.basis, f"{key}.variances": s.variances,
                               f"{key}.residual": np.array(s.residual, dtype=np.float32)})
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> "ScoreCalibration":
        with np.load(path) as data:
            keys = sorted({key.rsplit(".", 1)[0] for key in data.files if key != "name"})
            stats = {
                key: LanguageStats(data[f"{key}.mean"], data[f"{key}.basis"], data[f"{key}.variances"], float(data[f"{key}.residual"]))
                for key in keys
            }
            passages = {key: value for key, value in stats.items() if not key.startswith(_SECTION_PREFIX)}
            sections = {key[len(_SECTION_PREFIX):]: value for key, value in stats.items() if key.startswith(_SECTION_PREFIX)}
            return cls(str(data["name"]), passages, sections)

    @classmethod
    def for_model(cls, model: str) -> "ScoreCalibration | None":
        """The bundled statistics fitted for `model`, or None when none were fitted for it."""
        path = CALIBRATION_DIR / f"calibration-{model.replace('/', '__')}.npz"
        return cls.load(path) if path.exists() else None

    def scores(self, query: np.ndarray, cosines: list[float], languages: list[str | None], sections: bool = False) -> list[float]:
        """Each cosine as a z-score for its passage's (or, with `sections`, section's) language; a
        language without statistics is scored against the average of the known ones."""
        by_language = self.section_stats if sections else self.stats
        query = np.asarray(query, dtype=np.float32)[None, :]
        moments: dict[str | None, tuple[float, float]] = {}
        for language in set(languages):
            stats = by_language.get(language) or by_language.get(family_of(language))
            if stats is not None:
                mean, deviation = stats.moments(query)
                moments[language] = (float(mean[0]), float(deviation[0]))
        if not moments:
            return list(cosines)
        fallback = tuple(float(np.mean(values)) for values in zip(*moments.values()))
        return [(cosine - moments.get(language, fallback)[0]) / moments.get(language, fallback)[1]
                for cosine, language in zip(cosines, languages)]


def _fit_stats(vectors_by_language: dict[str, np.ndarray], rank: int) -> dict[str, LanguageStats]:
    stats = {}
    for language, vectors in vectors_by_language.items():
        vectors = np.asarray(vectors, dtype=np.float64)
        mean = vectors.mean(axis=0)
        deviations = vectors - mean
        covariance = deviations.T @ deviations / max(len(vectors) - 1, 1)
        values, directions = np.linalg.eigh(covariance)
        order = np.argsort(values)[::-1]
        values, directions = values[order], directions[:, order]
        kept = min(rank, len(values))
        residual = float(values[kept:].mean()) if kept < len(values) else 0.0
        stats[language] = LanguageStats(
            mean.astype(np.float32), directions[:, :kept].T.astype(np.float32), values[:kept].astype(np.float32), residual
        )
    return stats
