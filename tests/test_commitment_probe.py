"""The learned commitment decision (`ingest.commitments.probe`): its weights, its features, and how
ingestion uses it. The sentences are written for these tests, not taken from the judged pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from haystack import Document

from ingest.commitments import CommitmentExtractor, sentence_units
from ingest.commitments.probe import (LAYERS, LANGUAGE_THRESHOLD, REAL_PAGE_RULES, RULE_VOUCHED_FLOOR, CommitmentProbe, UnitFeatures,
                                      probe_path, save_weights)
from ingest.commitments.rules import RULES_BY_ID, RULES_VERSION
from index.model import ADAPTED_MODEL, BUILTIN_MODEL

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def probe(model_cache) -> CommitmentProbe:
    found = CommitmentProbe.for_model(ADAPTED_MODEL, model_cache)
    assert found is not None, f"no probe weights at {probe_path(ADAPTED_MODEL)}"
    return found


def test_the_shipped_probe_was_trained_on_the_current_rules(probe):
    # Its flags come from the rules: after a rule change, retrain it
    # (python -m benchmarks.commitments_probe --pages-dir DIR --save).
    assert probe.rules_version == RULES_VERSION
    assert probe.features.layers == LAYERS
    assert probe.coef.shape == probe.mean.shape == probe.scale.shape == (2 * 384 + 2,)


def test_the_flags_leave_out_the_rules_written_from_real_pages(tmp_path):
    assert REAL_PAGE_RULES and all(rule_id in RULES_BY_ID for rule_id in REAL_PAGE_RULES)
    features = UnitFeatures(tmp_path)  # the model is loaded only when layer means are asked for
    assert features.classifier.disabled == frozenset(REAL_PAGE_RULES)
    # a real-page rule's sentence: Swedish "satsar på att" (session 17) is no flag
    units = sentence_units("Kommunen satsar på att anställa fler fältassistenter.")
    assert CommitmentExtractor().classifier.classify_units(units, "sv")[0].commitment
    assert features.rule_flags(units, "sv").tolist() == [[0.0, 0.0]]


def test_the_cut_onnx_model_gives_the_torch_models_layers(probe, model_cache):
    import torch

    from index.model import load_encoder

    texts = ["Kommunen ska bygga fler gång- och cykelvägar under 2025.", "Polisi watafanya doria kila usiku."]
    ours = probe.features.layer_means(texts)
    model = load_encoder(ADAPTED_MODEL, model_cache, backend="torch")
    with torch.inference_mode():
        for text, row in zip(texts, ours):
            batch = model.tokenizer(["passage: " + text], return_tensors="pt")
            states = model[0].auto_model(**batch, output_hidden_states=True).hidden_states
            reference = np.concatenate([states[k][0].mean(0).numpy() for k in LAYERS])
            assert np.allclose(row, reference, atol=1e-4)


@pytest.mark.parametrize("language, text, expected", [
    ("en", "We will open two new youth centres in the town centre by next spring.", True),
    ("sv", "Polisen kommer att genomföra trygghetsvandringar i Centrum varje månad under 2025.", True),
    ("sw", "Jeshi la Polisi litaanzisha dawati la jinsia katika kila kituo mwaka huu.", True),
    ("en", "Last year the council installed cameras in three car parks.", False),
    ("sv", "Mötet avslutades klockan 19 och ordföranden tackade alla för deras medverkan.", False),
    ("sw", "Mvua kubwa inatarajiwa kunyesha katika mikoa ya pwani wiki ijayo.", False),
])
def test_it_tells_a_promise_from_a_report_or_a_forecast(probe, language, text, expected):
    units = sentence_units(text)
    assert len(units) == 1
    assert bool(probe.accepts(units, language)[0]) is expected, probe.scores(units, language)


def test_the_extractor_with_a_probe_keeps_the_rules_attributes(probe):
    text = ("Trygghetslöfte 2025\n\nKommunen lovar att:\n\n- Fler vuxna ska röra sig ute på kvällarna i centrum.\n"
            "- Belysningen vid stationen ska förbättras.\n\nFörra året genomfördes fyra möten med föreningarna.")
    doc = Document(id="d", content=text, meta={"doc_id": "d", "language": "sv", "organisations": ["Kommunen"]})
    items = CommitmentExtractor(probe=probe).run([doc])["commitments"]
    contents = [c.content for c in items]
    assert any("Belysningen" in c for c in contents), contents
    assert not any("Förra året" in c for c in contents), contents
    lit = next(c for c in items if "Belysningen" in c.content)
    assert lit.meta["year"] == 2025 and lit.meta["heading"], lit.meta


def test_each_commitment_carries_the_probes_probability_and_the_rules_give_none(probe):
    text = ("Polisen kommer att genomföra trygghetsvandringar i Centrum varje månad under 2025. "
            "Kommunen ska bygga fler gång- och cykelvägar. Mötet avslutades klockan 19.")
    doc = Document(id="d", content=text, meta={"doc_id": "d", "language": "sv"})
    items = CommitmentExtractor(probe=probe).run([doc])["commitments"]
    units = sentence_units(text)
    scores = dict(zip((u.text for u in units), probe.scores(units, "sv").tolist()))
    assert items and all(probe.threshold <= c.meta["confidence"] <= 1 for c in items)
    assert all(c.meta["confidence"] == pytest.approx(scores[c.content], abs=5e-4) for c in items)
    assert all(c.meta["confidence"] is None for c in CommitmentExtractor().run([doc])["commitments"])


def test_the_probe_is_part_of_the_extractors_signature_but_not_of_its_serialised_form(probe):
    with_probe = CommitmentExtractor(probe=probe).to_dict()
    assert with_probe["init_parameters"]["probe"] == probe.identity
    assert CommitmentExtractor().to_dict()["init_parameters"]["probe"] is None
    assert CommitmentExtractor.from_dict(with_probe).probe is None


def test_only_a_model_with_weights_has_a_probe(model_cache, tmp_path):
    assert CommitmentProbe.for_model(BUILTIN_MODEL, model_cache) is None  # trained on the adapted model only
    assert CommitmentProbe.for_model(str(tmp_path), model_cache) is None  # a model of one's own


def test_a_file_that_is_no_probe_is_refused_with_what_it_lacks(tmp_path, model_folder):
    np.savez(tmp_path / "p.npz", mean=np.zeros(3))
    with pytest.raises(ValueError, match="not a commitment probe"):
        CommitmentProbe(tmp_path / "p.npz", model_folder)


def test_saved_weights_score_as_a_logistic_regression(tmp_path, model_folder):
    dims = 2 * 384 + 2
    save_weights(tmp_path / "p.npz", np.zeros(dims), np.ones(dims), np.r_[np.zeros(dims - 2), 4.0, 0.0], -2.0, 0.5, LAYERS)
    probe = CommitmentProbe(tmp_path / "p.npz", model_folder)
    probe.features.layer_means = lambda texts: np.zeros((len(texts), 2 * 384), np.float32)  # only the flags count here
    units = sentence_units("Polisen ska öka närvaron i centrum under 2024. Mötet hölls i går.")
    scores = probe.scores(units, "sv")
    # flag 1 on the first (a rule fires) → sigmoid(4 - 2); flag 0 on the second → sigmoid(-2)
    assert np.allclose(scores, [1 / (1 + np.exp(-2)), 1 / (1 + np.exp(2))], atol=1e-6)
    assert probe.accepts(units, "sv").tolist() == [True, False]


def test_in_swahili_the_rules_vouch_for_a_unit_the_probe_is_unsure_of(tmp_path, model_folder):
    # only the rule flag counts: a unit the rules fire on scores sigmoid(0) = 0.5, under the
    # threshold 0.65 but over the Swahili floor (RULE_VOUCHED_FLOOR); one they do not fire on, sigmoid(-1)
    dims = 2 * 384 + 2
    flag_only = np.r_[np.zeros(dims - 2), 1.0, 0.0]
    save_weights(tmp_path / "p.npz", np.zeros(dims), np.ones(dims), flag_only, -1.0, 0.65, LAYERS)
    probe = CommitmentProbe(tmp_path / "p.npz", model_folder)
    probe.features.layer_means = lambda texts: np.zeros((len(texts), 2 * 384), np.float32)
    swahili = sentence_units("Jeshi la Polisi litaanzisha dawati la jinsia mwaka huu. Mkutano ulifanyika jana.")
    accepted, scores = probe.decide(swahili, "sw")
    assert np.allclose(scores, [0.5, 1 / (1 + np.e)], atol=1e-6)
    assert accepted.tolist() == [True, False]
    assert RULE_VOUCHED_FLOOR["sw"] <= 0.5 < probe.threshold  # the case this test is about
    swedish = sentence_units("Polisen ska öka närvaron i centrum under 2024. Mötet hölls i går.")
    assert probe.scores(swedish, "sv")[0] == pytest.approx(0.5)
    assert probe.accepts(swedish, "sv").tolist() == [False, False]  # no floor in Swedish: the threshold alone


def test_a_swedish_unit_is_a_commitment_from_its_own_threshold(tmp_path, model_folder):
    # every unit scores 0.6 (the intercept alone): over the Swedish threshold, under the pooled 0.65
    dims = 2 * 384 + 2
    save_weights(tmp_path / "p.npz", np.zeros(dims), np.ones(dims), np.zeros(dims), float(np.log(0.6 / 0.4)), 0.65, LAYERS)
    probe = CommitmentProbe(tmp_path / "p.npz", model_folder)
    probe.features.layer_means = lambda texts: np.zeros((len(texts), 2 * 384), np.float32)
    assert LANGUAGE_THRESHOLD["sv"] <= 0.6 < probe.threshold  # the case this test is about
    swedish = sentence_units("Polisen genomför minst två riktade insatser under året.")
    english = sentence_units("The police carry out two targeted operations a year.")
    assert probe.scores(swedish, "sv")[0] == pytest.approx(0.6)
    assert probe.accepts(swedish, "sv").tolist() == [True]
    assert probe.accepts(english, "en").tolist() == [False]


def test_the_thresholds_are_part_of_the_probes_identity(tmp_path, model_folder, monkeypatch):
    # stored documents are extracted again when a threshold moves, as when the weights do
    dims = 2 * 384 + 2
    save_weights(tmp_path / "p.npz", np.zeros(dims), np.ones(dims), np.zeros(dims), 0.0, 0.65, LAYERS)
    probe = CommitmentProbe(tmp_path / "p.npz", model_folder)
    before = probe.identity
    monkeypatch.setitem(LANGUAGE_THRESHOLD, "sv", 0.5)
    assert probe.identity != before


def test_the_rules_vetoes_hold_for_the_probe(tmp_path, model_folder):
    # a probe that accepts every unit (intercept 5): a question and an appeal to the public are still none
    dims = 2 * 384 + 2
    save_weights(tmp_path / "p.npz", np.zeros(dims), np.ones(dims), np.zeros(dims), 5.0, 0.65, LAYERS)
    probe = CommitmentProbe(tmp_path / "p.npz", model_folder)
    probe.features.layer_means = lambda texts: np.zeros((len(texts), 2 * 384), np.float32)
    text = ("The council will repair the lights in the park by June. Will the lights be repaired? "
            "The Mayor urged residents to report broken lights.")
    doc = Document(id="d", content=text, meta={"doc_id": "d", "language": "en"})
    assert probe.accepts(sentence_units(text), "en").all()
    contents = [c.content for c in CommitmentExtractor(probe=probe).run([doc])["commitments"]]
    assert contents == ["The council will repair the lights in the park by June."]


@pytest.mark.parametrize("switch, expected", [(None, True), ("off", False), ("on", True)])
def test_ingestion_uses_the_probe_of_the_bundled_model_unless_switched_off(settings_factory, encoder, monkeypatch,
                                                                          switch, expected):
    from service.facade import Ahadi

    if switch is None:
        monkeypatch.delenv("AHADI_COMMITMENT_PROBE", raising=False)
    else:
        monkeypatch.setenv("AHADI_COMMITMENT_PROBE", switch)
    app = Ahadi(settings_factory(), encoder=encoder)
    try:
        extractor = app.ingestor.prepare.get_component("commitments")
        assert isinstance(extractor.probe, CommitmentProbe) is expected
    finally:
        app.close()


# Run in a fresh interpreter: the background load once failed silently there (two threads
# importing from transformers' lazy package at once), never in a test process that had imported it.
_LOADED_BEFORE_THE_FIRST_DOCUMENT = """
import sys, threading
from pathlib import Path
from service.facade import Ahadi
from service.settings import Settings

app = Ahadi(Settings.from_env(data_dir=Path(sys.argv[1]), model_cache_dir=Path(sys.argv[2])))
features = app.ingestor.prepare.get_component("commitments").probe.features
for thread in threading.enumerate():
    if thread.name == "ahadi-probe-load":
        thread.join(120)
print("loaded" if features.loaded else "not loaded")
"""


def test_ingestion_loads_the_probes_model_before_its_first_document(probe, encoder, model_cache, tmp_path):
    """While the store and the encoder load, not inside the first batch (`ahadi ingest` waits for both)."""
    probe.features.load()  # both models exported into the session's cache first, not inside the child
    env = {k: v for k, v in os.environ.items() if not k.startswith("AHADI_")}
    done = subprocess.run([sys.executable, "-c", _LOADED_BEFORE_THE_FIRST_DOCUMENT, str(tmp_path), str(model_cache)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "loaded", done.stdout[-2000:] + done.stderr[-2000:]


def test_a_model_that_fails_to_load_in_the_background_fails_where_it_is_used(tmp_path):
    features = UnitFeatures(tmp_path)  # no model in this folder
    features.load_in_background().join()
    assert not features.loaded
    with pytest.raises(ValueError, match="Unrecognized model"):
        features.layer_means(["Polisen ska öka närvaron i centrum."])


def test_a_bad_switch_is_refused_with_its_name(settings_factory, monkeypatch):
    monkeypatch.setenv("AHADI_COMMITMENT_PROBE", "sometimes")
    with pytest.raises(Exception, match="AHADI_COMMITMENT_PROBE must be 1/0"):
        settings_factory()
