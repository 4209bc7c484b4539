"""The contexts we ship mean exactly what the official files mean.

We author every file in ``contexts/`` ourselves (own layout, ordering and prefix use), so a
typo would silently change what a signed credential says. Each context is therefore proven
equivalent to the official file in ``FIXTURES/contexts`` in two independent ways:

(a) a document that uses every term the *official* context defines — at top level, as a
    type, and inside every type-scoped and property-scoped context, with values of the
    shape each definition expects — expands (and converts to N-Quads) identically under
    the official file and under ours;
(b) the processed active contexts agree term by term (IRI, reverse, type coercion,
    container, language, direction, index, nest, prefix flag, protection), recursing into
    every scoped context processed on top of its parent.

pyld is used directly here on purpose: the oracle must not depend on the library's own
loader or safe mode.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from tests.fixture_paths import FIXTURES, REPO

OFFICIAL_DIR = FIXTURES / "contexts"
OURS_DIR = REPO / "contexts"
OFFICIAL_INDEX: dict[str, str] = json.loads((OFFICIAL_DIR / "INDEX.json").read_text("utf-8"))
OURS_INDEX: dict[str, str] = json.loads((OURS_DIR / "index.json").read_text("utf-8"))

OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB303_VALIDATOR = (
    OFFICIAL_DIR
    / "alternates"
    / "purl.imsglobal.org_spec_ob_v3p0_context-3.0.3.json.1edtech-validator-variant.json"
)
# We serve the 1EdTech-validator 3.0.3 (a strict superset of the spec-repo file, see
# contexts/README.md); these are the only terms it may add.
OB303_EXTRA_TERMS = frozenset({"endorsementJwt", "jti"})

EDC = "http://data.europa.eu/snb/model/context/edc-ap"
EDC_ALIASES = (
    "http://dev.everisdx.io/datamodel/test/edc-ap-context.jsonld",
    "http://dev.everisdx.io/datamodel/edc-ap-context.jsonld",
)

# Imported by the official OB v1 context; the fixtures hold the spec repository's file next
# to that context (ob_v2p0/v1/legacy-v1.json) though INDEX.json does not list it.
LEGACY_V1 = "https://w3id.org/openbadges/legacy-v1"
EXTRA_OFFICIAL = {LEGACY_V1: FIXTURES / "ob2" / "spec-schemas" / "v1" / "legacy-v1.json"}
OFFICIAL_URLS = sorted({*OFFICIAL_INDEX, *EXTRA_OFFICIAL})

# Contexts that official files import but that neither side ships. Both loaders serve the
# same empty stand-in, so the comparison covers exactly the terms of the file under test.
# (ODRL used to be one; it is now shipped and proven like the others.)
EXTERNAL_STUBS: dict[str, Any] = {}

EX = "https://example.org/test#"
CHILD = EX + "child"  # an absolute IRI property that holds nested test nodes
UNDEFINED_PROP = "zzUndefinedProperty"  # exercises @vocab (or is dropped on both sides)
UNDEFINED_TYPE = "ZzUndefinedType"
MAX_DEPTH = 6
DEF_KEYS = (
    "@id",
    "reverse",
    "@type",
    "@language",
    "@direction",
    "@index",
    "@nest",
    "_prefix",
    "protected",
)


def _read(path: Any) -> Any:
    return json.loads(path.read_text("utf-8"))


def official_documents() -> dict[str, Any]:
    docs = {url: _read(OFFICIAL_DIR / name) for url, name in OFFICIAL_INDEX.items()}
    docs.update({url: _read(path) for url, path in EXTRA_OFFICIAL.items()})
    docs[OB303 + "#validator"] = _read(OB303_VALIDATOR)
    return docs


def our_documents() -> dict[str, Any]:
    return {url: _read(OURS_DIR / name) for url, name in OURS_INDEX.items()}


OFFICIAL_DOCS = official_documents()


class StaticLoader:
    """A pyld document loader over an in-memory URL → document table (test only)."""

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self.documents = {**EXTERNAL_STUBS, **documents}

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        if url not in self.documents:
            raise LookupError(f"context not served by the test loader: {url}")
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": copy.deepcopy(self.documents[url]),
        }


def _options(loader: StaticLoader) -> dict[str, Any]:
    # A fresh resolver per operation: pyld's shared cache must never hand one side's
    # context to the other.
    return {
        "documentLoader": loader,
        "contextResolver": ContextResolver({}, loader),
        "processingMode": "json-ld-1.1",
    }


_PROC = jsonld.JsonLdProcessor()


def active_context(url: str, loader: StaticLoader) -> Mapping[str, Any]:
    options = _options(loader)
    initial = _PROC.process_context({}, None, options)
    return _PROC.process_context(initial, url, options)


def scoped(
    active: Mapping[str, Any], local: Any, loader: StaticLoader, *, type_scoped: bool
) -> Mapping[str, Any]:
    """Apply a term's scoped context the way expansion does (pyld has no public hook)."""
    return _PROC._process_context(
        active,
        local,
        _options(loader),
        override_protected=not type_scoped,
        propagate=not type_scoped,
    )


# --------------------------------------------------------------------------- (b) definitions


def _definition(defn: Mapping[str, Any]) -> dict[str, Any]:
    out = {key: defn[key] for key in DEF_KEYS if key in defn}
    out["@container"] = sorted(defn.get("@container") or [])
    return out


def compare_active(
    official: Mapping[str, Any],
    ours: Mapping[str, Any],
    off_loader: StaticLoader,
    our_loader: StaticLoader,
    path: str = "",
    depth: int = 0,
    recurse_into: Iterable[str] | None = None,
) -> list[str]:
    """Every difference between two active contexts, recursing into scoped contexts.

    Below the top level only the terms a scoped context declares itself are recursed into;
    the inherited ones were already compared one level up (and recursing into them again
    would grow exponentially).
    """
    diffs = []
    for key in ("@vocab", "@base", "@language", "@direction"):
        if official.get(key) != ours.get(key):
            diffs.append(f"{path}{key}: {official.get(key)!r} != {ours.get(key)!r}")
    if ("previousContext" in official) != ("previousContext" in ours):
        diffs.append(f"{path}@propagate differs")
    off_map, our_map = official["mappings"], ours["mappings"]
    recurse = set(off_map) | set(our_map) if recurse_into is None else set(recurse_into)
    for term in sorted(set(off_map) | set(our_map)):
        where = f"{path}{term}"
        if term not in our_map or term not in off_map:
            side = "ours" if term not in our_map else "official"
            diffs.append(f"{where}: missing from {side}")
            continue
        a, b = off_map[term], our_map[term]
        if _definition(a) != _definition(b):
            diffs.append(f"{where}: {_definition(a)} != {_definition(b)}")
        if ("@context" in a) != ("@context" in b):
            diffs.append(f"{where}: scoped context present on one side only")
        elif "@context" in a and depth < MAX_DEPTH and term in recurse:
            local = set(_local_terms(a["@context"])) | set(_local_terms(b["@context"]))
            for type_scoped in (False, True):
                try:
                    sa = scoped(official, a["@context"], off_loader, type_scoped=type_scoped)
                except jsonld.JsonLdError as exc:
                    sa = exc
                try:
                    sb = scoped(ours, b["@context"], our_loader, type_scoped=type_scoped)
                except jsonld.JsonLdError as exc:
                    sb = exc
                label = f"{where}/@context[{'type' if type_scoped else 'property'}]/"
                if isinstance(sa, Exception) or isinstance(sb, Exception):
                    if type(sa) is not type(sb):
                        diffs.append(f"{label}: processing differs: {sa!r} vs {sb!r}")
                    continue
                diffs += compare_active(
                    sa, sb, off_loader, our_loader, label, depth + 1, recurse_into=local
                )
    return diffs


# --------------------------------------------------------------------------- (a) documents


def _local_terms(local: Any) -> list[str]:
    """The terms a (scoped) context itself declares, in file order."""
    items = local if isinstance(local, list) else [local]
    terms: list[str] = []
    for item in items:
        if isinstance(item, Mapping):
            terms += [k for k in item if not k.startswith("@") and k not in terms]
    return terms


def _alias(active: Mapping[str, Any], keyword: str) -> str:
    for term, defn in active["mappings"].items():
        if defn and defn.get("@id") == keyword and not defn.get("reverse"):
            return term
    return keyword


def _is_class(term: str) -> bool:
    return term[:1].isupper()


class EveryTermDocument:
    """Builds, from the official active context, a document that uses every term."""

    def __init__(self, loader: StaticLoader) -> None:
        self.loader = loader
        self.used_iris: set[str] = set()
        self.counter = 0

    def _iri(self, path: str) -> str:
        self.counter += 1
        return f"https://example.org/v/{self.counter}/{path}"

    def node(
        self,
        active: Mapping[str, Any],
        terms: Iterable[str],
        path: str,
        depth: int,
        *,
        node_type: str | None = None,
        type_scoped_active: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A node using ``terms``; a typed node's own terms come from its type scope."""
        inner = type_scoped_active or active
        out: dict[str, Any] = {_alias(inner, "@id"): self._iri(path)}
        types: list[str] = [node_type] if node_type else [UNDEFINED_TYPE]
        children: list[dict[str, Any]] = []
        for term in terms:
            defn = inner["mappings"].get(term)
            if defn is None:
                continue
            iri = defn.get("@id")
            if isinstance(iri, str) and iri.startswith("@"):
                continue  # keyword aliases are used as keys of every node
            if isinstance(iri, str) and ":" in iri and not defn.get("reverse"):
                self.used_iris.add(iri)
            if _is_class(term) and node_type is None and depth < MAX_DEPTH:
                child = self.typed_node(active, term, f"{path}{term}/", depth + 1)
                if child is not None:
                    children.append(child)
            elif _is_class(term) and "@context" not in defn:
                types.append(term)
            out[term] = self.value(inner, term, defn, f"{path}{term}/", depth)
        out[_alias(inner, "@type")] = types
        out[UNDEFINED_PROP] = f"undefined at {path}"
        if children:
            out[CHILD] = children
        return out

    def typed_node(
        self, active: Mapping[str, Any], term: str, path: str, depth: int
    ) -> dict[str, Any] | None:
        defn = active["mappings"][term]
        if "@context" not in defn:
            return {_alias(active, "@id"): self._iri(path), _alias(active, "@type"): term}
        type_active = scoped(active, defn["@context"], self.loader, type_scoped=True)
        local = _local_terms(defn["@context"])
        return self.node(active, local, path, depth, node_type=term, type_scoped_active=type_active)

    def value(
        self, active: Mapping[str, Any], term: str, defn: Mapping[str, Any], path: str, depth: int
    ) -> Any:
        container = set(defn.get("@container") or [])
        coercion = defn.get("@type")
        values: list[Any]
        if "@context" in defn and depth < MAX_DEPTH:
            inner = scoped(active, defn["@context"], self.loader, type_scoped=False)
            local = _local_terms(defn["@context"])
            values = [self.node(inner, local, path, depth + 1)]
            if coercion == "@vocab":
                values += [
                    t for t in local if not str(inner["mappings"][t].get("@id")).startswith("@")
                ]
        elif coercion in ("@id", "@vocab"):
            values = [self._iri(path), {"@id": self._iri(path)}]
            if coercion == "@vocab":
                values.append("zzUndefinedVocabValue")
        elif coercion == "@json":
            values = [{"json": [1, "two", True, None], "path": path}]
        elif coercion is not None:
            values = [f"typed literal {path}"]
        else:
            values = [f"plain {path}", {"@value": f"lang {path}", "@language": "en"}, 7, True]
        if "@language" in container:
            return {"en": f"en {path}", "fr": [f"fr {path}", f"fr2 {path}"]}
        if container & {"@id", "@type"} or ("@graph" in container and "@context" not in defn):
            node = values[0] if isinstance(values[0], dict) and "@value" not in values[0] else {}
            node = {**node, EX + "p": f"graph member {path}"}
            if "@id" in container:
                return {self._iri(path): node}
            if "@type" in container:
                return {UNDEFINED_TYPE: node}
            return [node]
        if "@index" in container:
            return {"index-a": values}
        if "@list" in container:
            return values + values
        return values


def every_term_document(url: str, loader: StaticLoader) -> tuple[dict[str, Any], set[str]]:
    active = active_context(url, loader)
    builder = EveryTermDocument(loader)
    root = builder.node(active, list(active["mappings"]), "", 0)
    return {"@context": url, **root}, builder.used_iris


def expand(doc: Any, loader: StaticLoader) -> Any:
    return jsonld.expand(copy.deepcopy(doc), _options(loader))


def nquads(doc: Any, loader: StaticLoader) -> list[str]:
    options = {**_options(loader), "format": "application/n-quads"}
    return sorted(jsonld.to_rdf(copy.deepcopy(doc), options).splitlines())


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, indent=1)


def equivalence_diffs(url: str, official: StaticLoader, ours: StaticLoader) -> list[str]:
    """Differences found by (a) and (b); empty means equivalent."""
    diffs = compare_active(active_context(url, official), active_context(url, ours), official, ours)
    doc, _ = every_term_document(url, official)
    if _canonical(expand(doc, official)) != _canonical(expand(doc, ours)):
        diffs.append("expanded every-term document differs")
    if nquads(doc, official) != nquads(doc, ours):
        diffs.append("N-Quads of the every-term document differ")
    return diffs


OURS_DOCS = our_documents()
OFFICIAL_LOADER = StaticLoader(OFFICIAL_DOCS)
OURS_LOADER = StaticLoader(OURS_DOCS)


def _oracle_loader(url: str) -> StaticLoader:
    """The official side for ``url``; for OB 3.0.3 the validator variant we serve."""
    if url == OB303:
        return StaticLoader({**OFFICIAL_DOCS, OB303: OFFICIAL_DOCS[OB303 + "#validator"]})
    return OFFICIAL_LOADER


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("url", OFFICIAL_URLS, ids=OFFICIAL_URLS)
def test_every_term_expands_identically(url: str) -> None:
    if url not in OURS_INDEX:
        pytest.fail(f"no context of ours for {url}")
    official = _oracle_loader(url)
    doc, used = every_term_document(url, official)
    off_expanded = expand(doc, official)
    our_expanded = expand(doc, OURS_LOADER)
    assert _canonical(our_expanded) == _canonical(off_expanded)
    assert nquads(doc, OURS_LOADER) == nquads(doc, official)
    # The generated document really exercises the definitions: every absolute term IRI
    # appears in the expanded output.
    text = json.dumps(off_expanded)
    missing = sorted(iri for iri in used if json.dumps(iri) not in text)
    assert not missing, f"generator did not exercise {missing}"


@pytest.mark.parametrize("url", OFFICIAL_URLS, ids=OFFICIAL_URLS)
def test_term_definitions_match(url: str) -> None:
    official = _oracle_loader(url)
    diffs = compare_active(
        active_context(url, official), active_context(url, OURS_LOADER), official, OURS_LOADER
    )
    assert diffs == []


def test_ob303_is_spec_file_plus_validator_terms() -> None:
    """The 3.0.3 we serve changes nothing the spec-repo file defines; it only adds terms."""
    spec = OFFICIAL_LOADER
    diffs = compare_active(
        active_context(OB303, spec), active_context(OB303, OURS_LOADER), spec, OURS_LOADER
    )
    # The two extra terms are inherited inside every scoped context too; nothing else differs.
    assert diffs and all(d.endswith(": missing from official") for d in diffs), diffs
    extra = {d.split(":")[0].rsplit("/", 1)[-1] for d in diffs}
    assert extra == OB303_EXTRA_TERMS
    doc, _ = every_term_document(OB303, spec)
    assert _canonical(expand(doc, OURS_LOADER)) == _canonical(expand(doc, spec))


def test_every_official_url_is_served() -> None:
    assert sorted(set(OFFICIAL_INDEX) - set(OURS_INDEX)) == []


@pytest.mark.parametrize("alias", EDC_ALIASES)
def test_edc_development_aliases_serve_the_edc_context(alias: str) -> None:
    assert OURS_INDEX[alias] == OURS_INDEX[EDC]


def test_every_file_is_json_and_indexed() -> None:
    files = {p.name for p in OURS_DIR.iterdir() if p.is_file() and p.name != "README.md"}
    files.discard("index.json")
    for name in sorted(files):
        doc = _read(OURS_DIR / name)
        assert isinstance(doc, dict) and "@context" in doc, name
    assert files == set(OURS_INDEX.values())
    for url in OURS_INDEX:
        assert url.startswith(("https://", "http://")), url


def test_readme_names_every_file() -> None:
    readme = (OURS_DIR / "README.md").read_text("utf-8")
    for url, name in OURS_INDEX.items():
        assert name in readme and url in readme, name


# --------------------------------------------------------------------------- the oracle can fail


def _mutations(raw: Any) -> list[tuple[str, Callable[[dict[str, Any]], None]]]:
    ctx = raw["@context"]
    ctx = ctx if isinstance(ctx, dict) else next(c for c in ctx[::-1] if isinstance(c, dict))
    out: list[tuple[str, Callable[[dict[str, Any]], None]]] = []
    for term, value in ctx.items():
        if term.startswith("@") or value in ("@id", "@type"):
            continue

        def retarget(c: dict[str, Any], t: str = term) -> None:
            v = c[t]
            c[t] = {**v, "@id": EX + "mutated"} if isinstance(v, dict) else EX + "mutated"

        def recoerce(c: dict[str, Any], t: str = term) -> None:
            v = c[t] if isinstance(c[t], dict) else {"@id": c[t]}
            c[t] = {**v, "@type": "@json" if v.get("@type") != "@json" else "@id"}

        out += [(f"{term}:@id", retarget), (f"{term}:@type", recoerce)]
        if isinstance(value, dict) and "@container" in value:

            def uncontain(c: dict[str, Any], t: str = term) -> None:
                c[t] = {k: v for k, v in c[t].items() if k != "@container"}

            out.append((f"{term}:@container", uncontain))
    return out


def _top(raw: dict[str, Any]) -> dict[str, Any]:
    ctx = raw["@context"]
    return ctx if isinstance(ctx, dict) else next(c for c in ctx[::-1] if isinstance(c, dict))


MUTABLE_URLS = sorted(u for u in OFFICIAL_URLS if _mutations(OURS_DOCS.get(u, {"@context": {}})))


@settings(max_examples=20)
@given(data=st.data())
def test_a_changed_definition_is_detected(data: st.DataObject) -> None:
    url = data.draw(st.sampled_from(MUTABLE_URLS), label="url")
    raw = copy.deepcopy(OURS_DOCS[url])
    name, mutate = data.draw(st.sampled_from(_mutations(raw)), label="mutation")
    mutate(_top(raw))
    broken = StaticLoader({**OURS_DOCS, url: raw})
    try:
        diffs = equivalence_diffs(url, _oracle_loader(url), broken)
    except jsonld.JsonLdError:
        return  # the changed context no longer even processes (e.g. protected redefinition)
    assert diffs, f"{url} {name} went unnoticed"


# --------------------------------------------------------------------------- EDCI dev aliases


def _edc_dev_alias_fixtures() -> list[Any]:
    found = []
    for path in sorted((FIXTURES / "edc").rglob("*.json*")):
        try:
            doc = _read(path)
        except (ValueError, UnicodeDecodeError):
            continue
        ctx = doc.get("@context") if isinstance(doc, dict) else None
        if any(c in EDC_ALIASES for c in (ctx if isinstance(ctx, list) else [ctx])):
            found.append(path)
    return found


EDC_DEV_FIXTURES = _edc_dev_alias_fixtures()


def _terms_in_scope(raw: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """All terms a context declares at any depth, and those that are language maps."""
    terms: set[str] = set()
    language_maps: set[str] = set()
    for term, value in raw.items():
        terms.add(term)
        if isinstance(value, Mapping):
            if value.get("@container") == "@language":
                language_maps.add(term)
            if isinstance(value.get("@context"), Mapping):
                inner, inner_maps = _terms_in_scope(value["@context"])
                terms |= inner
                language_maps |= inner_maps
    return terms, language_maps


def test_edc_dev_alias_fixtures_exist() -> None:
    assert len(EDC_DEV_FIXTURES) >= 3


@pytest.mark.parametrize("path", EDC_DEV_FIXTURES, ids=[p.name for p in EDC_DEV_FIXTURES])
def test_edc_context_covers_dev_alias_credentials(path: Any) -> None:
    """Serving the EDC context at the EDCI development URLs loses no property."""
    doc = _read(path)
    terms, language_maps = set(), set()
    for url in doc["@context"]:
        raw = _top(OURS_DOCS[EDC if url in EDC_ALIASES else url])
        t, m = _terms_in_scope(raw)
        terms |= t
        language_maps |= m
    unknown: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key, inner in value.items():
                if key == "@context":
                    continue
                if not key.startswith("@") and ":" not in key and key not in terms:
                    unknown.add(key)
                if key not in language_maps:
                    walk(inner)

    walk(doc)
    assert unknown == set()


# --------------------------------------------------------------------------- real documents


def _context_urls(value: Any, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "@context":
                items = inner if isinstance(inner, list) else [inner]
                found |= {c for c in items if isinstance(c, str)}
            _context_urls(inner, found)
    elif isinstance(value, list):
        for item in value:
            _context_urls(item, found)
    return found


def _fixture_documents() -> list[Any]:
    """Every JSON(-LD) fixture outside contexts/ whose contexts we all serve."""
    served = set(OURS_INDEX) | set(EXTERNAL_STUBS)
    out = []
    for path in sorted(FIXTURES.rglob("*.json*")):
        if "contexts" in path.relative_to(FIXTURES).parts:
            continue
        try:
            doc = _read(path)
        except (ValueError, UnicodeDecodeError):
            continue
        urls = _context_urls(doc, set())
        if urls and urls <= served:
            out.append(path)
    return out


FIXTURE_DOCUMENTS = _fixture_documents()
FIXTURE_ORACLE = StaticLoader(
    {
        **OFFICIAL_DOCS,
        OB303: OFFICIAL_DOCS[OB303 + "#validator"],
        **{alias: OFFICIAL_DOCS[EDC] for alias in EDC_ALIASES},
    }
)


def _nquads_or_error(doc: Any, loader: StaticLoader) -> list[str] | str:
    try:
        return nquads(doc, loader)
    except jsonld.JsonLdError as exc:
        return f"error: {exc.code or exc.type}"
    except KeyError as exc:  # pyld 3.3 fails this way on a null @vocab; same on both sides
        return f"pyld KeyError: {exc}"


def test_fixture_documents_found() -> None:
    assert len(FIXTURE_DOCUMENTS) >= 200


@pytest.mark.parametrize(
    "path", FIXTURE_DOCUMENTS, ids=[str(p.relative_to(FIXTURES)) for p in FIXTURE_DOCUMENTS]
)
def test_fixture_document_converts_identically(path: Any) -> None:
    """Real credentials mix contexts (protected terms across files, imports, scoping):
    each official fixture gives the same N-Quads (or the same error) with ours."""
    doc = _read(path)
    assert _nquads_or_error(doc, OURS_LOADER) == _nquads_or_error(doc, FIXTURE_ORACLE)
