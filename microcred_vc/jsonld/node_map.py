"""pyld's Node Map Generation with linear-time de-duplication (issue #16 V5).

pyld adds every value of a property with ``allowDuplicate=False``, and its
duplicate check (``JsonLdProcessor.has_value``) compares the new value with
every value already there: a credential with n tags costs n²/2 comparisons
(4,000 tags took 6.5 s, 20,000 never finished) while every size limit holds.

:class:`NodeMapProcessor` keeps pyld's algorithm step for step (adapted from
pyld 3.3's ``_create_node_map``, BSD-3-Clause) but answers "is this value
already there?" from a set of hashable keys per (node, property). The key of a
value is equal exactly when pyld's ``compare_values`` says the values are
equal, so the node map, and everything built from it, is byte-identical
(``tests/jsonld/test_node_map.py`` compares both on random documents). Values
whose equality a key cannot express (a NaN somewhere inside) fall back to
pyld's own scan.
"""

from __future__ import annotations

import math
from typing import Any

from pyld import jsonld as _pyld

_add_value = _pyld.JsonLdProcessor.add_value
_compare = _pyld.JsonLdProcessor.compare_values
_ARRAY = {"propertyIsArray": True}
_NEVER_EQUAL = object()  # key of values pyld never finds equal to anything
_NO_KEY = None  # a value only pyld's own comparison can judge


def _nested_key(value: Any) -> Any:
    """Key with Python ``==`` semantics for a JSON literal (nested 1 == 1.0 == True)."""
    if isinstance(value, dict | _pyld.frozendict):
        items = []
        for k, v in value.items():
            key = _nested_key(v)
            if key is _NO_KEY:
                return _NO_KEY
            items.append((k, key))
        return ("D", frozenset(items))
    if isinstance(value, list):
        keys = []
        for v in value:
            key = _nested_key(v)
            if key is _NO_KEY:
                return _NO_KEY
            keys.append(key)
        return ("L", tuple(keys))
    if isinstance(value, float) and math.isnan(value):
        return _NO_KEY  # [nan] == [nan] only for the same float object
    if value is None:
        return ("N",)
    return value


def value_key(value: Any) -> Any:
    """A hashable key equal for two values exactly when pyld's ``compare_values`` is.

    ``compare_values``: primitives are equal when ``==`` and, if either is a
    bool, of the same type; ``@value`` objects when ``@type``, ``@language``,
    ``@index`` match and the ``@value`` compares as a primitive; other objects
    when they share a non-null ``@id``; nothing else is ever equal.
    """
    if isinstance(value, dict | _pyld.frozendict):
        if "@value" in value:
            inner = value["@value"]
            if isinstance(inner, bool):
                literal: Any = ("B", inner)
            elif isinstance(inner, float) and math.isnan(inner):
                return _NEVER_EQUAL  # nan == nan is False for pyld too
            elif isinstance(inner, dict | list | _pyld.frozendict):
                nested = _nested_key(inner)
                if nested is _NO_KEY:
                    return _NO_KEY
                literal = ("J", nested)
            else:
                literal = ("P", inner)
            meta = (value.get("@type"), value.get("@language"), value.get("@index"))
            if not all(m is None or isinstance(m, str) for m in meta):
                return _NO_KEY
            return ("V", meta, literal)
        ident = value.get("@id")
        if ident is None:
            return _NEVER_EQUAL
        return ("I", ident) if isinstance(ident, str) else _NO_KEY
    if isinstance(value, bool):
        return ("B", value)
    if isinstance(value, float) and math.isnan(value):
        return _NEVER_EQUAL
    if isinstance(value, str | int | float) or value is None:
        return ("P", value)
    return _NO_KEY


class _Seen:
    """The keys of one node property's values, kept in step with the list."""

    __slots__ = ("count", "keys", "unkeyed", "values")

    def __init__(self, values: list[Any]) -> None:
        self.values = values
        self.keys: set[Any] = set()
        self.unkeyed = False
        self.count = 0
        self.catch_up()

    def catch_up(self) -> None:
        """Index values other code paths appended (``@list`` objects, pyld's own adds)."""
        values = self.values
        while self.count < len(values):
            key = value_key(values[self.count])
            if key is _NO_KEY:
                self.unkeyed = True
            elif key is not _NEVER_EQUAL:
                self.keys.add(key)
            self.count += 1


class NodeMapProcessor(_pyld.JsonLdProcessor):
    """pyld's processor whose node map generation de-duplicates in linear time."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._seen: dict[tuple[int, str], _Seen] = {}

    def _add_unique(self, subject: dict[str, Any], prop: str, value: Any) -> None:
        """``add_value(subject, prop, value, propertyIsArray, allowDuplicate=False)``."""
        values = subject.get(prop)
        if values is not None and not isinstance(values, list):
            _add_value(subject, prop, value, {"propertyIsArray": True, "allowDuplicate": False})
            return
        if values is None:
            subject[prop] = values = []
        seen = self._seen.get((id(subject), prop))
        if seen is None or seen.values is not values:
            seen = self._seen[(id(subject), prop)] = _Seen(values)
        else:
            seen.catch_up()
        key = value_key(value)
        if key is _NO_KEY or seen.unkeyed:
            if any(_compare(value, v) for v in values):
                return
        elif key in seen.keys:
            return
        values.append(value)
        if key is _NO_KEY:
            seen.unkeyed = True
        elif key is not _NEVER_EQUAL:
            seen.keys.add(key)
        seen.count += 1

    def _create_node_map(
        self,
        input_: Any,
        graph_map: dict[str, Any],
        active_graph: str,
        issuer: Any,
        active_subject: Any = None,
        active_property: Any = None,
        list_: Any = None,
    ) -> None:
        """pyld's ``_create_node_map`` with the duplicate checks going through a set.

        Identical to pyld 3.3 otherwise (same recursion, same order, same errors),
        so the node map -- and the blank node labels issued -- do not change.
        """
        if isinstance(input_, list):
            for e in input_:
                self._create_node_map(
                    e, graph_map, active_graph, issuer, active_subject, active_property, list_
                )
            return
        subject_node = (
            graph_map.setdefault(active_graph, {}).get(active_subject)
            if isinstance(active_subject, str)
            else None
        )
        if "@type" in input_:
            for type_ in input_["@type"]:
                if type_.startswith("_:"):
                    issuer.get_id(type_)
        if _pyld._is_value(input_):
            if "@type" in input_:
                type_ = input_["@type"]
                if type_.startswith("_:"):
                    type_ = input_["@type"] = issuer.get_id(type_)
            if list_:
                list_["@list"].append(input_)
            elif subject_node:
                self._add_unique(subject_node, active_property, input_)
            return
        if _pyld._is_list(input_):
            o: dict[str, Any] = {"@list": []}
            self._create_node_map(
                input_["@list"], graph_map, active_graph, issuer, active_subject, active_property, o
            )
            if list_:
                list_["@list"].append(o)
            elif subject_node:
                _add_value(subject_node, active_property, o, {**_ARRAY, "allowDuplicate": True})
            return
        id_ = input_.get("@id")
        if _pyld._is_bnode(input_):
            id_ = issuer.get_id(id_)
        node = graph_map.setdefault(active_graph, {}).setdefault(id_, {"@id": id_})
        if _pyld._is_object(active_subject):
            self._add_unique(node, active_property, active_subject)
        elif active_property:
            reference = {"@id": id_}
            if list_:
                list_["@list"].append(reference)
            elif subject_node:
                self._add_unique(subject_node, active_property, reference)
        self._node_properties(input_, node, id_, graph_map, active_graph, issuer)

    def _node_properties(
        self,
        input_: dict[str, Any],
        node: dict[str, Any],
        id_: Any,
        graph_map: dict[str, Any],
        active_graph: str,
        issuer: Any,
    ) -> None:
        """The property loop of pyld's ``_create_node_map`` (split out for length)."""
        for prop, objects in sorted(input_.items()):
            if prop == "@id":
                continue
            if prop == "@reverse":
                referenced_node = {"@id": id_}
                for reverse_property, items in input_["@reverse"].items():
                    for item in items:
                        self._create_node_map(
                            item,
                            graph_map,
                            active_graph,
                            issuer,
                            active_subject=referenced_node,
                            active_property=reverse_property,
                        )
                continue
            if prop == "@graph":
                graph_map.setdefault(id_, {})
                g = active_graph if active_graph == "@merged" else id_
                self._create_node_map(objects, graph_map, g, issuer)
                continue
            if prop == "@included":
                self._create_node_map(objects, graph_map, active_graph, issuer)
                continue
            if prop != "@type" and _pyld._is_keyword(prop):
                if (
                    prop == "@index"
                    and "@index" in node
                    and (
                        input_["@index"] != node["@index"]
                        or input_["@index"]["@id"] != node["@index"]["@id"]
                    )
                ):
                    raise _pyld.JsonLdError(
                        "Invalid JSON-LD syntax; conflicting @index property  detected.",
                        "jsonld.SyntaxError",
                        {"node": node},
                        code="conflicting indexes",
                    )
                node[prop] = input_[prop]
                continue
            if prop.startswith("_:"):
                prop = issuer.get_id(prop)
            if len(objects) == 0:
                _add_value(node, prop, [], dict(_ARRAY))
                continue
            for o in objects:
                if prop == "@type":
                    self._add_unique(node, prop, issuer.get_id(o) if o.startswith("_:") else o)
                else:
                    self._create_node_map(
                        o,
                        graph_map,
                        active_graph,
                        issuer,
                        active_subject=id_,
                        active_property=prop,
                    )
