"""The EDC display image is drawn with a font that has a glyph for every EU language."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw

from microcred_vc.errors import FormatError
from microcred_vc.formats.edc import display
from microcred_vc.formats.edc.common import NodeIds
from microcred_vc.model import vocab
from microcred_vc.vocabularies import raw_table, schemes
from tests.example_data import example_micro_credential

#: Words of the issue report and of each EU alphabet's special letters.
SAMPLES = {
    "ga": "Bhaile Átha Cliath — Sonraí sealadacha",
    "el": "Μικροπιστοποιητικό Ελληνική Δημοκρατία",
    "bg": "Микроквалификация, България",
    "mt": "Ċertifikat żgħir — ħ ż ċ għ",
    "ro": "Microcertificare — ș ț ă â î Ș Ț",
    "pl": "Mikropoświadczenie — ą ć ę ł ń ó ś ź ż",
    "cs": "Mikrocertifikát — ě š č ř ž ý á í é ů",
    "hr": "Mikrokvalifikacija — č ć đ š ž",
    "hu": "Mikrotanúsítvány — ő ű",
    "lv": "Mikrokvalifikācija — ā č ē ģ ī ķ ļ ņ š ū ž",
    "lt": "Mikrokredencialas — ą č ę ė į š ų ū ž",
    "de": "Mikro-Qualifikation — ß ä ö ü",
    "da": "Mikrobevis — æ ø å",
    "et": "Mikrokvalifikatsioon — õ ä ö ü š ž",
    "fi": "Mikrotutkinto — ä ö å",
    "fr": "Micro-certification — « é è ê ë ç œ »",
    "sk": "Mikrocertifikát — ľ ĺ ŕ ô ä",
    "sl": "Mikrodokazilo — č š ž",
    "es": "Microcredencial — ñ ¿ ¡",
    "pt": "Microcredencial — ã õ ç",
}


def _countries_in_all_eu_languages() -> list[str]:
    """The EU's own names of its member states in its 24 languages (OP country table)."""
    members = "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU SVK SVN ESP SWE"
    table = schemes()["country"].concepts
    return [label for code in members.split() for label in table[code].values()]


def test_the_display_font_has_every_eu_glyph() -> None:
    """Oracle: the font file's own cmap (read with fontTools, not Pillow), against the
    member-state names the Publications Office publishes in all 24 EU languages
    (countries-skos.rdf, via the table) and the sample words of each alphabet.
    """
    path = display.font_path()
    cmap = TTFont(str(path)).getBestCmap()
    texts = [*SAMPLES.values(), *_countries_in_all_eu_languages()]
    assert len(raw_table()["languages"]) == 24
    missing = sorted(
        {ch for text in texts for ch in text if not ch.isspace()} - set(map(chr, cmap))
    )
    assert not missing, (path, missing)


def test_rendered_card_draws_the_glyphs() -> None:
    """Property: each sample letter draws differently from the font's missing-glyph box
    (what "Sonra□" was), and a card titled in Irish, Greek and Bulgarian renders a PNG.
    """
    font = display.display_font()

    def drawn(ch: str) -> bytes:
        image = Image.new("L", (48, 48))
        ImageDraw.Draw(image).text((8, 8), ch, font=font, fill=255)
        return image.tobytes()

    notdef = drawn("\U0010fffd")
    for ch in "ÁíħżșțΔжő":
        assert drawn(ch) != notdef, ch
    mc = example_micro_credential().model_copy(
        update={"title": {"ga": "Sonraí i mBhaile Átha", "el": "Δεδομένα", "bg": "Данни"}}
    )
    for lang in mc.title:
        png = display.render_card(mc, lang)
        assert Image.open(io.BytesIO(png)).size == (display.WIDTH, display.HEIGHT)


def test_missing_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Property: a configured font that does not exist fails with DISPLAY_FONT_MISSING
    naming the setting, instead of silently drawing boxes."""
    monkeypatch.setenv(display.FONT_ENV, str(tmp_path / "none.ttf"))
    display.font_path.cache_clear()
    try:
        with pytest.raises(FormatError, match=display.FONT_ENV) as info:
            display.font_path()
        assert info.value.code == "DISPLAY_FONT_MISSING"
    finally:
        monkeypatch.delenv(display.FONT_ENV)
        display.font_path.cache_clear()


def test_display_language_concepts_carry_labels() -> None:
    """Oracle: language.xsd labels GLE "Irish" (issue 19: it came out as {"en": "ga"})."""
    mc = example_micro_credential().model_copy(update={"title": {"ga": "Sonraí", "en": "Data"}})
    param = display.display_parameter(mc, NodeIds("urn:uuid:x"))
    assert param["primaryLanguage"]["id"] == vocab.language_iri("ga")
    assert param["primaryLanguage"]["prefLabel"] == {"en": "Irish"}
    assert {c["prefLabel"]["en"] for c in param["language"]} == {"Irish", "English"}
