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
Statistics are fitted per model on NTREX dev passages by `benchmarks/fit_centering.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.languages import family_of

CALIBRATION_DIR = Path(__file__).parent / "data"


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
    """Turns raw cosines into per-language z-scores for one model."""

    name: str
    stats: dict[str, LanguageStats]

    @classmethod
    def fit(cls, name: str, vectors_by_language: dict[str, np.ndarray], rank: int = 32) -> "ScoreCalibration":
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
        return cls(name, stats)

    def save(self, path: Path) -> None:
        arrays = {"name": np.array(self.name)}
        for language, s in self.stats.items():
            arrays.update({f"{language}.mean": s.mean, f"{language}.basis": s.basis, f"{language}.variances": s.variances,
                           f"{language}.residual": np.array(s.residual, dtype=np.float32)})
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> "ScoreCalibration":
        with np.load(path) as data:
            languages = sorted({key.split(".")[0] for key in data.files if key != "name"})
            stats = {
                language: LanguageStats(
                    data[f"{language}.mean"], data[f"{language}.basis"], data[f"{language}.variances"], float(data[f"{language}.residual"])
                )
                for language in languages
            }
            return cls(str(data["name"]), stats)

    @classmethod
    def for_model(cls, model: str) -> "ScoreCalibration | None":
        """The bundled statistics fitted for `model`, or None when none were fitted for it."""
        path = CALIBRATION_DIR / f"calibration-{model.replace('/', '__')}.npz"
        return cls.load(path) if path.exists() else None

    def _stats(self, language: str | None) -> LanguageStats | None:
        if language in self.stats:
            return self.stats[language]
        return self.stats.get(family_of(language))

    def scores(self, query: np.ndarray, cosines: list[float], languages: list[str | None]) -> list[float]:
        """Each cosine as a z-score for its passage's language; a language without statistics is
        scored against the average of the known ones."""
        query = np.asarray(query, dtype=np.float32)[None, :]
        moments: dict[str | None, tuple[float, float]] = {}
        for language in set(languages):
            stats = self._stats(language)
            if stats is not None:
                mean, deviation = stats.moments(query)
                moments[language] = (float(mean[0]), float(deviation[0]))
        if not moments:
            return list(cosines)
        fallback = tuple(float(np.mean(values)) for values in zip(*moments.values()))
        return [(cosine - moments.get(language, fallback)[0]) / moments.get(language, fallback)[1]
                for cosine, language in zip(cosines, languages)]
