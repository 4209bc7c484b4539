"""RDF Dataset Canonicalization (RDFC-1.0, W3C Recommendation 2024), our own.

Why our own: signatures over credentials depend on every byte of the
canonical form, and we need a *work budget* that the general-purpose
implementations lack: a crafted graph of symmetric blank nodes (a clique)
makes Hash N-Degree Quads factorial, and a verifier must refuse it quickly
instead of hanging. The budget counts Hash N-Degree Quads calls plus the
permutations tried; exceeding it raises :class:`CanonicalizationBudgetExceeded`.
Hash N-Degree Quads runs on an explicit stack (its recursion is a ``yield``), so a
ring of thousands of blank nodes ends in that error, never in ``RecursionError``.

The algorithm works on quads as four canonical N-Quads term strings
(``""`` = default graph; blank nodes are ``_:label``). Every hash input in
RDFC-1.0 is built from those strings, so working on them directly means no
term object is built or re-serialised in the hot loops, and the common case
(every blank node has a unique first-degree hash) costs one SHA per blank node.

Tie-breaking among equal-path permutations follows the reference
implementations (Steinhaus-Johnson-Trotter order over the sorted list, as in
jsonld.js and pyld), so the issued-identifier maps match the suite's map tests.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence

from microcred_vc.errors import CanonicalizationBudgetExceeded, CanonicalizationError
from microcred_vc.jsonld.budget import PER_CANON_QUAD, spend
from microcred_vc.jsonld.canon_input import SerializedQuad, quads_from_pyld, serialize_terms
from microcred_vc.jsonld.canon_parts import Issuer, hash_factory, permutations
from microcred_vc.jsonld.nquads import Quad, Term, parse_serialized

__all__ = [
    "DEFAULT_MAX_WORK",
    "MAX_DEFAULT_WORK",
    "WORK_PER_SHARED_NODE",
    "canonical_labels",
    "canonical_labels_quads",
    "canonicalize_nquads",
    "canonicalize_quads",
    "quads_from_pyld",
]

#: Work units: a Hash N-Degree Quads call costs 10 + its quads, a permutation
#: 2 + its length. The weights make a unit about the same time (under a
#: microsecond) whatever the graph's shape: cliques, rings, grids, lists. The
#: hardest legitimate rdf-canon suite case needs about 17 000 units; a 10-node
#: clique needs millions.
DEFAULT_MAX_WORK = 50_000
#: Extra default budget per blank node that lacks a unique first-degree hash
#: (an rdf:List of 100 identical values needs about 180 000 units).
WORK_PER_SHARED_NODE = 2_000
#: Ceiling of the default budget: a poison graph of any size ends in well
#: under a second. Pass ``max_work`` explicitly for bigger legitimate graphs.
MAX_DEFAULT_WORK = 400_000

#: Issuer entries copied per work unit (copying a dict entry costs a few ns).
COPY_ENTRIES_PER_UNIT = 8


class _Canonicalizer:
    """State of one RDFC-1.0 run over de-duplicated serialised quads."""

    def __init__(self, quads: Iterable[SerializedQuad], hash_algorithm: str) -> None:
        self.new_hash = hash_factory(hash_algorithm)
        self.quads: list[SerializedQuad] = list(dict.fromkeys(quads))
        self.bnode_quads: dict[str, list[SerializedQuad]] = {}
        bq = self.bnode_quads
        for q in self.quads:
            s, _p, o, g = q
            if s[0] == "_":
                bq.setdefault(s, []).append(q)
            if o[0] == "_" and o != s:
                bq.setdefault(o, []).append(q)
            if g and g[0] == "_" and g != s and g != o:
                bq.setdefault(g, []).append(q)
        self.first_degree: dict[str, str] = {}
        self.related_hashes: dict[str, str] = {}
        self.canon: dict[str, str] = {}
        self.work = 0
        self.max_work = 0

    # -- 4.6 Hash First Degree Quads ---------------------------------------
    def _hash_first_degree(self, ref: str) -> str:
        lines = []
        for s, p, o, g in self.bnode_quads[ref]:
            if s[0] == "_":
                s = "_:a" if s == ref else "_:z"
            if o[0] == "_":
                o = "_:a" if o == ref else "_:z"
            if g:
                if g[0] == "_":
                    g = "_:a" if g == ref else "_:z"
                lines.append(f"{s} {p} {o} {g} .\n")
            else:
                lines.append(f"{s} {p} {o} .\n")
        lines.sort()
        digest = self.new_hash("".join(lines).encode()).hexdigest()
        self.first_degree[ref] = digest
        return digest

    def _spend(self, units: int = 1) -> None:
        self.work += units
        if self.work > self.max_work:
            raise CanonicalizationBudgetExceeded(
                f"RDFC-1.0 work budget of {self.max_work} exceeded: the dataset has too many "
                "indistinguishable blank nodes (possibly a poison graph)",
                max_work=self.max_work,
            )

    # -- 4.7 Hash Related Blank Node ----------------------------------------
    def _hash_related(self, related: str, predicate: str, issuer: Issuer, position: str) -> str:
        ident = self.canon.get(related) or issuer.issued.get(related)
        if ident is None:
            ident = self.first_degree[related]
        data = f"g{ident}" if position == "g" else f"{position}{predicate}{ident}"
        # the same (position, predicate, identifier) recurs across permutations
        got = self.related_hashes.get(data)
        if got is None:
            got = self.related_hashes[data] = self.new_hash(data.encode()).hexdigest()
        return got

    # -- 4.8 Hash N-Degree Quads --------------------------------------------
    def _hash_n_degree(self, ref: str, issuer: Issuer) -> tuple[str, Issuer]:
        """Hash N-Degree Quads without using Python's stack.

        The algorithm recurses once per indistinguishable blank node along a
        chain or ring, so a 1,200-node ring would need 1,200 nested calls (a bare
        RecursionError near 1,000). Each call is instead a generator that
        *yields* the ``(related, issuer)`` it needs hashed and receives the
        result; this loop keeps the generators on a list. Depth then costs only
        memory, and memory is paid for from the work budget (every issuer copy
        is charged its size), so deep graphs end in the budget error.
        """
        stack = [self._hash_n_degree_steps(ref, issuer)]
        answer: tuple[str, Issuer] | None = None
        while True:
            top = stack[-1]
            try:
                request = next(top) if answer is None else top.send(answer)
            except StopIteration as done:
                stack.pop()
                if not stack:
                    return done.value  # type: ignore[no-any-return]
                answer = done.value
                continue
            answer = None
            stack.append(self._hash_n_degree_steps(*request))

    def _hash_n_degree_steps(
        self, ref: str, issuer: Issuer
    ) -> Generator[tuple[str, Issuer], tuple[str, Issuer], tuple[str, Issuer]]:
        """One Hash N-Degree Quads call; ``yield (related, issuer)`` stands for recursion."""
        quads = self.bnode_quads[ref]
        self._spend(10 + len(quads))
        related_by_hash: dict[str, list[str]] = {}
        hash_related = self._hash_related
        for s, p, o, g in quads:
            if s[0] == "_" and s != ref:
                related_by_hash.setdefault(hash_related(s, p, issuer, "s"), []).append(s)
            if o[0] == "_" and o != ref:
                related_by_hash.setdefault(hash_related(o, p, issuer, "o"), []).append(o)
            if g and g[0] == "_" and g != ref:
                related_by_hash.setdefault(hash_related(g, p, issuer, "g"), []).append(g)

        md = self.new_hash()
        canon = self.canon
        for related_hash in sorted(related_by_hash):
            md.update(related_hash.encode())
            chosen_path = ""
            chosen_issuer: Issuer | None = None
            related_list = related_by_hash[related_hash]
            # One permutation (every step along a chain or ring): nobody reads
            # ``issuer`` again (callers hand over their copy and take the result),
            # so it is extended in place -- a ring costs linear, not quadratic,
            # copying per node. Several permutations each get a copy, charged by
            # size (that copy is the memory a pending call holds).
            alone = len(related_list) == 1
            for permutation in permutations(related_list):
                if alone:
                    self._spend(3)
                    issuer_copy = issuer
                else:
                    self._spend(2 + len(related_list) + len(issuer.issued) // COPY_ENTRIES_PER_UNIT)
                    issuer_copy = issuer.copy()
                path = ""
                recursion: list[str] = []
                pruned = False
                for related in permutation:
                    c = canon.get(related)
                    if c is not None:
                        path += c
                    else:
                        if related not in issuer_copy.issued:
                            recursion.append(related)
                        path += issuer_copy.issue(related)
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        pruned = True
                        break
                if pruned:
                    continue
                for related in recursion:
                    result_hash, result_issuer = yield related, issuer_copy
                    path += f"{issuer_copy.issue(related)}<{result_hash}>"
                    issuer_copy = result_issuer
                    if chosen_path and len(path) >= len(chosen_path) and path > chosen_path:
                        pruned = True
                        break
                if pruned:
                    continue
                if not chosen_path or path < chosen_path:
                    chosen_path = path
                    chosen_issuer = issuer_copy
            md.update(chosen_path.encode())
            assert chosen_issuer is not None  # the first permutation is never pruned
            issuer = chosen_issuer
        return md.hexdigest(), issuer

    # -- 4.4 Canonicalization algorithm ---------------------------------------
    def run(self, max_work: int | None) -> dict[str, str]:
        """Issue canonical identifiers; return ``{input _:label: _:c14nN}``."""
        by_hash: dict[str, list[str]] = {}
        for ref in self.bnode_quads:
            by_hash.setdefault(self._hash_first_degree(ref), []).append(ref)
        canon = self.canon
        shared: list[list[str]] = []
        for h in sorted(by_hash):
            group = by_hash[h]
            if len(group) == 1:
                canon[group[0]] = f"_:c14n{len(canon)}"
            else:
                shared.append(group)
        if not shared:
            return canon
        if max_work is None:
            n_shared = sum(len(g) for g in shared)
            max_work = min(MAX_DEFAULT_WORK, DEFAULT_MAX_WORK + WORK_PER_SHARED_NODE * n_shared)
        self.max_work = max_work
        for group in shared:
            results: list[tuple[str, Issuer]] = []
            for ref in group:
                if ref in canon:
                    continue
                temp = Issuer("_:b")
                temp.issue(ref)
                results.append(self._hash_n_degree(ref, temp))
            results.sort(key=lambda r: r[0])
            for _h, issuer in results:
                for existing in issuer.issued:
                    if existing not in canon:
                        canon[existing] = f"_:c14n{len(canon)}"
        return canon

    def serialize(self) -> str:
        canon = self.canon
        lines = []
        for s, p, o, g in self.quads:
            if s[0] == "_":
                s = canon[s]
            if o[0] == "_":
                o = canon[o]
            if g:
                if g[0] == "_":
                    g = canon[g]
                lines.append(f"{s} {p} {o} {g} .\n")
            else:
                lines.append(f"{s} {p} {o} .\n")
        lines.sort()
        return "".join(lines)


def _check_budget(max_work: int | None) -> int | None:
    if max_work is not None and (
        not isinstance(max_work, int) or isinstance(max_work, bool) or max_work < 0
    ):
        raise CanonicalizationError(
            f"max_work must be a non-negative integer or None, not {max_work!r}"
        )
    return max_work


def _run(
    quads: Iterable[SerializedQuad], hash_algorithm: str, max_work: int | None
) -> _Canonicalizer:
    c = _Canonicalizer(quads, hash_algorithm)
    c.run(_check_budget(max_work))
    # the verification-wide budget (a no-op outside one) sees this run's cost too
    spend(c.work + PER_CANON_QUAD * len(c.quads), "RDFC-1.0 canonicalisation")
    return c


def canonicalize_nquads(
    text: str | bytes, *, hash_algorithm: str = "SHA256", max_work: int | None = None
) -> str:
    """Canonical N-Quads (RDFC-1.0) of an N-Quads document.

    ``max_work`` caps the work units (Hash N-Degree Quads calls and permutations,
    weighted by size); ``None`` means ``DEFAULT_MAX_WORK + WORK_PER_SHARED_NODE *
    (blank nodes without a unique first-degree hash)``, at most ``MAX_DEFAULT_WORK``:
    several times the hardest suite case, well under a second for any poison graph.
    Raises ``NQuadsParseError`` on bad input and ``CanonicalizationBudgetExceeded``.
    """
    return _run(parse_serialized(text), hash_algorithm, max_work).serialize()


def canonical_labels(
    text: str | bytes, *, hash_algorithm: str = "SHA256", max_work: int | None = None
) -> dict[str, str]:
    """The issued identifier map: input label (no ``_:``) to canonical label (``c14nN``)."""
    c = _run(parse_serialized(text), hash_algorithm, max_work)
    return {k[2:]: v[2:] for k, v in c.canon.items()}


def canonicalize_quads(
    quads: Iterable[Quad | Sequence[Term | None]],
    *,
    hash_algorithm: str = "SHA256",
    max_work: int | None = None,
) -> str:
    """Canonical N-Quads of already-parsed quads, skipping the text round trip.

    Input shape: an iterable of :class:`~microcred_vc.jsonld.nquads.Quad` (or any
    3- or 4-tuple) ``(subject, predicate, object, graph)`` where subject is
    ``IRI | BlankNode``, predicate ``IRI``, object ``IRI | BlankNode | Literal``
    and graph ``IRI | BlankNode | None`` (``None`` = default graph). Values are
    unescaped; blank node ids have no ``_:``. Duplicate quads count once.
    Use :func:`quads_from_pyld` to get this shape from a pyld ``to_rdf`` dataset.
    """
    return _run(serialize_terms(quads), hash_algorithm, max_work).serialize()


def canonical_labels_quads(
    quads: Iterable[Quad | Sequence[Term | None]],
    *,
    hash_algorithm: str = "SHA256",
    max_work: int | None = None,
) -> dict[str, str]:
    """:func:`canonical_labels` for already-parsed quads."""
    c = _run(serialize_terms(quads), hash_algorithm, max_work)
    return {k[2:]: v[2:] for k, v in c.canon.items()}
