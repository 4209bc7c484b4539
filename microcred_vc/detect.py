"""Tell what a wallet was handed: which format, in which envelope.

Detection is by structure, never by file name: a learner's import is whatever
bytes they dropped. The answer names the format the report's first check
shows ("format"), and ``verify``/``convert`` dispatch on it.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from microcred_vc.errors import InvalidJson, UnknownFormat
from microcred_vc.jsonld.limits import DEFAULT_LIMITS, Limits, parse_json

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
UTF8_BOM = b"\xef\xbb\xbf"

VC1 = "https://www.w3.org/2018/credentials/v1"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB2_CONTEXTS = ("https://w3id.org/openbadges/v2", "https://w3id.org/openbadges/v1")
CLR_TYPE = "ClrCredential"
OB3_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"})
EDC_CONTEXT_MARKERS = ("data.europa.eu/snb/model/context", "edc-ap-context", "edc-ap")
#: The ELM class of an EDC, as expanded JSON-LD writes it (no context to shorten it).
EDC_TYPE_IRI = "http://data.europa.eu/snb/model/elm/EuropeanDigitalCredential"
#: The same class in the pre-ELM 3 namespace EDCI's older contexts use (elm: = …/snb/model/).
EDC_TYPE_IRI_OLD = "http://data.europa.eu/snb/model/EuropeanDigitalCredential"
EDC_TYPE_NAMES = frozenset({"EuropeanDigitalCredential", EDC_TYPE_IRI, EDC_TYPE_IRI_OLD})

FORMAT_LABELS = {
    "ob3": "Open Badges 3.0 credential",
    "ob2": "Open Badges 2.0 assertion",
    "ob2-jws": "Open Badges 2.0 signed assertion (JWS)",
    "edc": "Europass European Digital Credential",
    "edc-sealed": "Europass European Digital Credential sealed with JAdES",
    "vc1": "W3C Verifiable Credential 1.1",
    "vc2": "W3C Verifiable Credential 2.0",
    "vp": "W3C Verifiable Presentation",
    "jwt": "JWT-secured Verifiable Credential",
    "png": "baked PNG image",
    "svg": "baked SVG image",
    "edci-xml": "Europass EDCI 1.x XML credential",
    "clr": "Comprehensive Learner Record 2.0",
}

Claim = Callable[[dict[str, Any]], str | None]


@dataclass
class Detected:
    """The format seen and the decoded value (dict for JSON, str for a token, bytes for images)."""

    format: str
    value: Any
    #: The label the format registry gives the format (built-in labels otherwise).
    shown: str | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return self.shown or FORMAT_LABELS.get(self.format, self.format)


def _contexts(doc: dict[str, Any]) -> list[str]:
    ctx = doc.get("@context", [])
    items = ctx if isinstance(ctx, list) else [ctx]
    return [c for c in items if isinstance(c, str)]


def _types(doc: dict[str, Any]) -> list[str]:
    t = doc.get("type", doc.get("@type", []))
    items = t if isinstance(t, list) else [t]
    return [x for x in items if isinstance(x, str)]


def is_sealed(doc: dict[str, Any]) -> bool:
    return "payload" in doc and "signatures" in doc


def is_ob2(doc: dict[str, Any]) -> bool:
    return any(c in OB2_CONTEXTS for c in _contexts(doc)) or "Assertion" in _types(doc)


def is_presentation(doc: dict[str, Any]) -> bool:
    return "VerifiablePresentation" in _types(doc)


def is_edc(doc: dict[str, Any]) -> bool:
    """An EDC compacted (one tree), flattened (``@graph`` of nodes) or expanded (IRIs)."""
    return (
        "EuropeanDigitalCredential" in _types(doc)
        or any(marker in c for c in _contexts(doc) for marker in EDC_CONTEXT_MARKERS)
        or is_edc_graph(doc.get("@graph"))
        or bool(EDC_TYPE_NAMES & set(_types(doc)))
    )


def is_edc_graph(nodes: Any) -> bool:
    """A list of JSON-LD nodes (a ``@graph`` or an expanded document) holding an EDC node.

    Expanded JSON-LD is a JSON array, so detection cannot stop at "not an object":
    an array whose nodes include one typed as an EDC (by term or by IRI) is an EDC.
    Only the top level of the list is looked at (a flattened graph has every node there).
    """
    if not isinstance(nodes, list):
        return False
    return any(
        isinstance(node, dict) and bool(EDC_TYPE_NAMES & set(_types(node))) for node in nodes
    )


def is_clr(doc: dict[str, Any]) -> bool:
    """A CLR 2.0 transcript: claimed before OB 3.0 and plain VCs, whose contexts it lists."""
    return CLR_TYPE in _types(doc)


def is_ob3(doc: dict[str, Any]) -> bool:
    return bool(OB3_TYPES & set(_types(doc)))


def is_vc2(doc: dict[str, Any]) -> bool:
    return VC2 in _contexts(doc)


def is_vc1(doc: dict[str, Any]) -> bool:
    return VC1 in _contexts(doc)


#: Built-in JSON formats in the order they are tried (the format registry declares
#: the same predicates as its formats' ``claims`` hooks, with these priorities).
BUILTIN_CLAIMS: tuple[tuple[str, Callable[[dict[str, Any]], bool]], ...] = (
    ("edc-sealed", is_sealed),
    ("ob2", is_ob2),
    ("vp", is_presentation),
    ("edc", is_edc),
    ("clr", is_clr),
    ("ob3", is_ob3),
    ("vc2", is_vc2),
    ("vc1", is_vc1),
)


def builtin_claim(doc: dict[str, Any]) -> str | None:
    return next((name for name, claims in BUILTIN_CLAIMS if claims(doc)), None)


#: JSON's own names for what a value is, for "a credential is a JSON object; got …".
_JSON_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),  # before int: True is an int in Python
    ((int, float), "a number"),
    (str, "a string"),
    ((list, tuple), "an array"),
    (type(None), "null"),
)


def not_an_object(value: Any) -> UnknownFormat:
    """The error for JSON that is not an object, in words a person knows (issue 18 item 7)."""
    kind = next((name for types, name in _JSON_KINDS if isinstance(value, types)), None)
    got = kind or f"a {type(value).__name__}"
    return UnknownFormat(
        f"a credential is a JSON object; got {got}", code="CREDENTIAL_NOT_AN_OBJECT"
    )


def json_format(doc: Any, claim: Claim | None = None) -> str:
    """The format of an already-parsed JSON document (``claim``: a registry's detection)."""
    if is_edc_graph(doc):  # expanded JSON-LD: an array of nodes, one of them an EDC
        return "edc"
    if not isinstance(doc, dict):
        raise not_an_object(doc)
    name = (claim or builtin_claim)(doc)
    if name is None:
        raise UnknownFormat(
            "not a credential this library knows: no W3C credentials, Open Badges or EDC context"
        )
    return name


def _b64url_json(part: str) -> Any:
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def _token_format(token: str) -> str:
    parts = token.split(".")
    if len(parts) != 3:
        raise UnknownFormat("text is neither JSON nor a compact JWT/JWS")
    try:
        payload = _b64url_json(parts[1])
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnknownFormat(f"compact token payload is not base64url JSON: {exc}") from exc
    if isinstance(payload, dict) and (
        ("recipient" in payload and "badge" in payload)
        or any(c in OB2_CONTEXTS for c in _contexts(payload))
    ):
        return "ob2-jws"
    return "jwt"


def detect(value: Any, claim: Claim | None = None, limits: Limits = DEFAULT_LIMITS) -> Detected:
    """Detect the format of a dict, JSON text, compact JWT/JWS, or PNG/SVG bytes.

    Images and compact tokens are recognised by their bytes; a JSON document is
    claimed by ``claim`` (the format registry's formats) or the built-in order.
    """
    if isinstance(value, dict) or is_edc_graph(value):
        return Detected(json_format(value, claim), value)
    if isinstance(value, bytes | bytearray):
        raw = bytes(value).removeprefix(UTF8_BOM)
        if raw.startswith(PNG_SIGNATURE):
            return Detected("png", raw)
        if raw.lstrip()[:1] == b"<":
            return Detected(xml_format(raw, limits), raw)
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnknownFormat("bytes are neither a PNG, an SVG nor UTF-8 text") from exc
    if isinstance(value, str):
        # A byte-order mark is what Windows editors write first; it is not content.
        text = value.lstrip("\ufeff").strip()
        if text.startswith(("{", "[")):  # an object, or expanded JSON-LD (an array)
            doc = parse_json(text, limits)
            return Detected(json_format(doc, claim), doc)
        if text.startswith("<"):
            raw = text.encode("utf-8")
            return Detected(xml_format(raw, limits), raw)
        if text[:1] in _JSON_SCALAR_STARTS:
            _refuse_json_scalar(text)
        return Detected(_token_format(text), text)
    if isinstance(value, list | tuple | int | float | bool) or value is None:
        raise not_an_object(value)
    raise UnknownFormat(f"cannot read a credential from a {type(value).__name__}")


SVG_NS = "http://www.w3.org/2000/svg"
#: Root namespaces of EDCI 1.x credentials and presentations (the Europass format before ELM 3).
EDCI_XML_NAMESPACES = ("http://data.europa.eu/snb", "http://data.europa.eu/snb/vp")


def xml_root(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[str, str] | None:
    """(namespace, local name) of the first element of XML bytes, or None if unreadable.

    Only the start of the document is parsed, with entities, DTDs and the network
    off (the same settings as the EDCI XML reader), so a hostile file costs nothing.
    """
    import io

    from lxml import etree

    if len(raw) > limits.max_bytes:
        from microcred_vc.errors import InputTooLarge

        raise InputTooLarge(
            f"the XML document is {len(raw)} bytes; the limit is {limits.max_bytes}",
            limit=limits.max_bytes,
        )
    events = etree.iterparse(
        io.BytesIO(raw),
        events=("start",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    try:
        for _, element in events:
            name = etree.QName(element)
            return name.namespace or "", name.localname
    except etree.XMLSyntaxError:
        return None
    return None


def xml_format(raw: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    """XML bytes by their root element: an ``<svg>`` is a (baked) image, an element in
    the EDCI namespace an EDCI 1.x credential; any other XML is refused by name.

    Before, every XML went to the SVG un-baker, which answered "not an SVG" for an
    EDCI credential. An SVG root that merely contains EDCI elements is still an image.
    """
    root = xml_root(raw, limits)
    if root is None:
        if b"<svg" in raw[:4096].lower():
            return "svg"  # broken SVG: let the un-baker say what is wrong with it
        raise UnknownFormat(
            "the bytes start like XML but are not well-formed XML", code="XML_MALFORMED"
        )
    namespace, local = root
    if local == "svg" and namespace in (SVG_NS, ""):
        return "svg"
    if namespace in EDCI_XML_NAMESPACES:
        return "edci-xml"
    shown = f"{{{namespace}}}{local}" if namespace else local
    raise UnknownFormat(
        f"an XML document with root <{shown}>: neither an SVG image nor an EDCI credential "
        f"(root in {EDCI_XML_NAMESPACES[0]})",
        code="XML_ROOT_UNKNOWN",
    )


#: First characters of JSON text that is not an object (a compact token starts
#: with base64url "ey…", so it never parses as JSON).
_JSON_SCALAR_STARTS = frozenset('["-0123456789tfn')


def _refuse_json_scalar(text: str) -> None:
    """Raise the not-an-object error when ``text`` is JSON (an array, string, number…)."""
    try:
        value = parse_json(text)
    except InvalidJson:
        if text[0] in '["':
            raise  # no token starts so: broken JSON, and the parser says where
        return  # not JSON: let the token reader say what it is
    raise not_an_object(value)
