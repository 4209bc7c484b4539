"""Offline-first JSON-LD document loader.

A verifier that fetches whatever ``@context`` a credential names hands control
of the meaning of every term to whoever controls that URL (and leaks, to that
host, which credential is being checked). So contexts come from the project's
own ``contexts/`` folder and folders the caller adds, through an index of URL →
file; remote loading is off unless the caller opts in, and even then only URLs
under an allow-list of prefixes (matched on the normalised URL, by whole path
segments: ``…/allowed/../secret`` is not under ``…/allowed/``), with a timeout,
a whole-request deadline, a size cap, limited redirects and (by default) no
private, loopback, link-local or other non-global addresses.

Each loader owns a cache of *processed* contexts (handed to pyld's context
resolver by :mod:`microcred_vc.jsonld.expand`), so signing a thousand
credentials processes the OB3 context once, and two loaders with different
views of a URL never see each other's cache.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from microcred_vc import net
from microcred_vc.errors import (
    AddressNotAllowed,
    ContextLoadError,
    ContextNotAllowed,
    NetworkDisabled,
    NetworkError,
)
from microcred_vc.net import UrlRejected, fetch_bytes, normalise_url, url_under_prefix

RemoteDocument = dict[str, Any]

INDEX_NAMES = ("index.json", "INDEX.json")


def contexts_dir() -> Path:
    """The contexts shipped with the library: inside the wheel, or the repo's folder."""
    packaged = Path(__file__).resolve().parents[1] / "_contexts"
    if (packaged / "index.json").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "contexts"


def _read_index(folder: Path) -> dict[str, Path]:
    for name in INDEX_NAMES:
        index_path = folder / name
        if index_path.is_file():
            try:
                index = json.loads(index_path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ContextLoadError(
                    f"context index {index_path} is not valid JSON: {exc}"
                ) from exc
            if not isinstance(index, dict):
                raise ContextLoadError(f"context index {index_path} must map URLs to file names")
            return {str(url): folder / str(fname) for url, fname in index.items()}
    raise ContextLoadError(f"no index.json in context folder {folder}")


@lru_cache(maxsize=256)
def _read_json_file(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ContextLoadError(f"context file {path} could not be read: {exc}") from exc


class DocumentLoader:
    """Serve JSON-LD documents by URL from local folders, optionally from the network.

    ``loader(url, options)`` returns pyld's remote-document shape. Documents are
    returned as deep copies so no caller can alter what the next caller sees.
    """

    def __init__(
        self,
        extra_dirs: Iterable[str | Path] = (),
        *,
        allow_remote: bool = False,
        allowed_prefixes: Iterable[str] = (),
        timeout: float = 10.0,
        max_bytes: int = 1_000_000,
        block_private: bool = True,
        deadline: float | None = None,
        documents: Mapping[str, Any] | None = None,
        include_builtin: bool = True,
    ) -> None:
        self._index: dict[str, Path] = {}
        if include_builtin:
            self._index.update(_read_index(contexts_dir()))
        for folder in extra_dirs:
            self._index.update(_read_index(Path(folder)))
        self._documents: dict[str, Any] = dict(documents or {})
        self.allow_remote = allow_remote
        self.allowed_prefixes = tuple(allowed_prefixes)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.block_private = block_private
        #: seconds for a whole fetch, redirects included (None: timeout x 3)
        self.deadline = deadline
        self._remote_cache: dict[str, Any] = {}
        self._lock = threading.Lock()
        #: processed-context cache handed to pyld's ContextResolver (see expand.py)
        self.context_cache: Any = None

    # -- configuration -------------------------------------------------------
    def add_document(self, url: str, document: Any) -> None:
        """Serve ``document`` for ``url`` (tests, private contexts, did documents)."""
        self._documents[url] = document
        self.context_cache = None

    def add_folder(self, folder: str | Path) -> None:
        """Add a folder with an ``index.json`` mapping URLs to files in it."""
        self._index.update(_read_index(Path(folder)))
        self.context_cache = None

    def known_urls(self) -> list[str]:
        return sorted(set(self._index) | set(self._documents))

    # -- loading -------------------------------------------------------------
    def load(self, url: str) -> Any:
        """The JSON document for ``url`` (a private copy)."""
        if url in self._documents:
            return copy.deepcopy(self._documents[url])
        # Context URLs are compared without a fragment; a trailing '#' is common.
        base_url = url.split("#", 1)[0]
        path = self._index.get(url) or self._index.get(base_url)
        if path is not None:
            return copy.deepcopy(_read_json_file(path))
        if not self.allow_remote:
            raise ContextNotAllowed(
                f"context {url} is not one the library knows, and remote loading is off; "
                "add it with DocumentLoader(extra_dirs=...) or opt in to remote loading",
                url=url,
            )
        self._check_prefix(base_url)
        # what was checked is what is fetched and cached: the normal form
        target = str(normalise_url(base_url))
        with self._lock:
            if target in self._remote_cache:
                return copy.deepcopy(self._remote_cache[target])
        document = self._fetch(target)
        with self._lock:
            self._remote_cache[target] = document
        return copy.deepcopy(document)

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> RemoteDocument:
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": self.load(url),
            # 'static' lets pyld keep the processed context in this loader's cache
            "tag": "static",
        }

    # -- network -------------------------------------------------------------
    def _check_prefix(self, url: str) -> None:
        """``url`` (normalised) must lie under an allowed prefix, on segment boundaries."""
        try:
            normalise_url(url)
        except UrlRejected as exc:
            raise ContextNotAllowed(f"context {url} cannot be allowed: {exc}", url=url) from exc
        if not any(url_under_prefix(url, prefix) for prefix in self.allowed_prefixes):
            raise ContextNotAllowed(f"context {url} is not under an allowed URL prefix", url=url)

    def _check_url(self, url: str) -> None:
        """Run on the URL and on every redirect target before it is requested."""
        self._check_prefix(url)
        if self.block_private and not net._address_is_public(normalise_url(url).host):
            raise AddressNotAllowed(
                f"context {url} resolves to a private, loopback or link-local address", url=url
            )

    def _fetch(self, url: str) -> Any:
        try:
            body = fetch_bytes(
                url,
                timeout=self.timeout,
                max_bytes=self.max_bytes,
                check_url=self._check_url,
                headers={"Accept": "application/ld+json, application/json"},
                deadline=self.deadline,
                block_private=self.block_private,
            )
        except NetworkError as exc:
            if "status" in exc.details:
                raise ContextLoadError(
                    f"context {url}: HTTP {exc.details['status']}", url=url
                ) from exc
            raise
        try:
            return json.loads(body)
        except ValueError as exc:
            raise ContextLoadError(f"context {url} is not valid JSON: {exc}", url=url) from exc


_default: DocumentLoader | None = None
_default_lock = threading.Lock()


def default_loader() -> DocumentLoader:
    """The shared offline loader (built once; its processed-context cache is shared)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = DocumentLoader()
        return _default


def network_disabled(url: str) -> NetworkDisabled:
    """The error every offline-by-default component raises for a URL it may not fetch."""
    return NetworkDisabled(f"network access is disabled; cannot fetch {url}", url=url)


LoaderLike = DocumentLoader | Callable[[str, Mapping[str, Any] | None], RemoteDocument]
