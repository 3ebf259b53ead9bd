"""langdetect (1.0.9) with a private, seeded factory and its trials computed by numpy.

The factory is Ahadi's own (never langdetect's global ``DetectorFactory``, which other code may
use), seeded so that the same text gets the same answer in every run and every process.
"""

from __future__ import annotations

import threading

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

_factory: DetectorFactory | None = None
_factory_lock = threading.Lock()


def _get_factory() -> DetectorFactory:
    global _factory
    if _factory is None:
        with _factory_lock:
            if _factory is None:
                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.seed = 0  # instance attribute: the global factory is left alone
                # n-gram → per-language probabilities as arrays, for `_ArrayDetector`
                factory.word_lang_prob_map = {w: np.asarray(p) for w, p in factory.word_lang_prob_map.items()}
                _factory = factory
    return _factory


_NORMALIZED_CHARS: dict[str, str] = {}  # langdetect's per-character normalisation, memoised


class _ArrayDetector(Detector):
    """langdetect's detector with its per-step Python work done in blocks by numpy.

    Same algorithm, same random draws, same floating-point operations in the same order (the
    sum stays sequential), so the same answers (`tests/test_language.py`). langdetect runs on every
    search query, and its pure-Python inner loop (a `random.choice`, a dict lookup and a
    55-element update per step, 7 trials of up to 1,000 steps) was a large share of the API's time
    under load (profiles in BENCHMARKS.md section 3).

    The draws: `random.choice(ngrams)` is `getrandbits(k)` repeated until below len(ngrams), and
    each `getrandbits(k)` (k ≤ 32) is the generator's next 32-bit word shifted right by 32 - k. A
    trial reads a block of words at once, keeps those that `choice` would have kept, and when it
    converges the generator is rewound and moved on by exactly the words `choice` would have used,
    so the next trial's `gauss` draw sees the same state as in langdetect.
    """

    _WORDS_PER_DRAW = 256

    def _extract_ngrams(self):
        """langdetect's `_extract_ngrams` and `NGram.add_char`, inlined, with each character's
        normalisation looked up once: the same n-grams in the same order, about twice as fast."""
        known = self.word_lang_prob_map
        normalized = _NORMALIZED_CHARS
        result = []
        grams, capital_word = " ", False
        for ch in self.text:
            ch = normalized.get(ch) or normalized.setdefault(ch, NGram.normalize(ch))
            last = grams[-1]
            if last == " ":
                grams, capital_word = " ", False
                if ch == " ":
                    continue
            elif len(grams) >= 3:
                grams = grams[1:]
            grams += ch
            capital_word = ch.isupper() and (capital_word or last.isupper())
            if capital_word:
                continue
            for n in (1, 2, 3):
                if len(grams) < n:
                    break
                gram = grams[-n:]
                if gram != " " and gram in known:
                    result.append(gram)
        return result

    def _detect_block(self):
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        rows = {gram: row for row, gram in enumerate(dict.fromkeys(ngrams))}
        ngram_rows = np.fromiter(map(rows.__getitem__, ngrams), dtype=np.intp, count=len(ngrams))
        table = np.stack([self.word_lang_prob_map[w] for w in rows])  # distinct n-grams × languages
        self.random.seed(self.seed)
        langprob = np.zeros(len(self.langlist))
        for _ in range(self.n_trial):
            prob = self._init_probability()
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            self._trial(prob, alpha / self.BASE_FREQ, ngram_rows, table)
            langprob += prob / self.n_trial
        self.langprob = langprob

    def _trial(self, prob: np.ndarray, weight: float, ngram_rows: np.ndarray, table: np.ndarray) -> None:
        """One trial's updates of `prob` in place; leaves the generator where langdetect's would be."""
        state = self.random.getstate()
        count = len(ngram_rows)
        shift = 32 - count.bit_length()
        words_read = 0
        positions = np.empty(0, dtype=np.intp)  # of the kept draws, in words from the trial's start
        factors = np.empty((0, table.shape[1]))
        step = 0  # langdetect's i: the update at step i uses the i-th kept draw
        while True:
            if step + 5 >= len(factors):
                words = np.frombuffer(
                    self.random.getrandbits(32 * self._WORDS_PER_DRAW).to_bytes(4 * self._WORDS_PER_DRAW, "little"),
                    dtype="<u4",
                )
                draws = (words >> shift).astype(np.intp)
                kept = np.flatnonzero(draws < count)
                positions = np.concatenate([positions, kept + words_read])
                factors = np.concatenate([factors, weight + table[ngram_rows[draws[kept]]]])
                words_read += self._WORDS_PER_DRAW
                continue
            # langdetect normalises and tests after the updates at steps 0, 5, 10, ...
            if step == 0:
                prob *= factors[0]
                step = 1
            else:
                # The five updates of a stretch in one call, in langdetect's order: a reduction
                # over rows multiplies them in sequence, (((prob · f1) · f2) …) · f5. The row
                # before the stretch is spent and holds `prob` for it.
                factors[step - 1] = prob
                np.multiply.reduce(factors[step - 1 : step + 5], axis=0, out=prob)
                step += 5
            if self._normalize_prob(prob) > self.CONV_THRESHOLD or step - 1 >= self.ITERATION_LIMIT:
                break
        self.random.setstate(state)
        self.random.getrandbits(32 * int(positions[step - 1] + 1))

    def _init_probability(self):
        return np.asarray(super()._init_probability(), dtype=float)

    def _normalize_prob(self, prob):
        # langdetect's sum is a sequential loop; a running sum (accumulate) adds in the same order.
        prob /= np.add.accumulate(prob)[-1]
        return float(np.maximum.reduce(prob))


def langdetect_probabilities(sample: str) -> list[tuple[str, float]]:
    detector = _ArrayDetector(_get_factory())
    detector.append(sample)
    try:
        return [(lang.lang, lang.prob) for lang in detector.get_probabilities()]
    except LangDetectException:
        return []
