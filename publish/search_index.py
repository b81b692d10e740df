"""The search index of the static build: the live search's own documents
and tokens, written as small JSON files that static/js/static-search.js
reads, so a search in the browser finds exactly what the live search
finds (tests/publish/test_static_search.py holds both to it).

What a query may need, and nothing else, is fetched:

- `search/index/manifest.json`: the kinds, the number of documents, the
  shard counts, the synonyms (each expansion already turned into terms by
  portal.text.query_terms) and the folder of this version's files,
  `search/index/<digest>/`, named by a digest of their content (a new
  build with other data writes another folder: no stale mix in a cache).
- `terms/<n>.json`: the postings, sharded by an FNV-1a hash of the key.
  The keys are the tokens the live index stores (SearchDocument's `head`,
  `pinyin` and `body`, as portal.text made them: nothing is analysed
  again here), and the prefixes a query can ask for:
    `=ab`   a Chinese bigram (a phrase's part; a two-character query),
    `<c`    every token starting with c, for a prefix query of at most
            PREFIX_KEYS characters (a single character, a short word),
    `~word` a Latin token longer than PREFIX_KEYS, in the shard of its
            first PREFIX_KEYS characters (`<` + them), so a longer prefix
            query reads one shard and takes the tokens starting with it.
  A posting list is the documents' numbers (their rank in id order, which
  is result order) as gaps, each gap × 2 + 1 when the token is in the
  record's name or its pinyin (the name match that ranks first).
- `positions/<n>.json`: for each bigram, where it stands in each document
  (token index × 4 + column: 0 name, 1 pinyin, 2 the rest), read only for
  a phrase of three or more characters, whose bigrams must be adjacent in
  one column, as FTS5 and PostgreSQL's `<->` require.
- `docs/<n>.json`: what a result shows, DOCS_PER_FILE documents a file (a page of results reads a few small files):
  kind, address, both titles, the start of both descriptions.
- in the manifest, `fold`: the traditional characters (and others
  portal.text.normalize turns into another character) that a query may
  contain, each with what normalize() makes of it, for those that can
  change what a query finds (a few KB: in the manifest, it costs no
  second round trip before the shards).

The output is deterministic: sorted keys, no timestamps."""

from __future__ import annotations

import gzip
import hashlib
import json
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Callable

from portal.models import SearchDocument, Synonym
from portal.text import ANALYZER_VERSION, is_cjk, normalize, query_terms
from search.kinds import KINDS

INDEX_DIR = "search/index"
DOCS_PER_FILE = 32
# Prefix queries of up to this many characters have a posting list of their own.
PREFIX_KEYS = 3
# Shards are sized to about this many bytes of JSON (before gzip).
SHARD_BYTES = 24_000
# How much of a description a result keeps for its snippet.
SNIPPET_CHARS = 240
COLUMNS = ("head", "pinyin", "body")
FORMAT = 1


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes (static-search.js has the same)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value ^= byte
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def route(key: str) -> str:
    """The string whose hash places a key in a shard: a long Latin token
    goes with its short prefix."""
    if key.startswith("~"):
        return "<" + key[1 : 1 + PREFIX_KEYS]
    return key


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _shard_count(total_bytes: int) -> int:
    count = 1
    while total_bytes / count > SHARD_BYTES:
        count *= 2
    return count


def _gaps(numbers: list[int]) -> list[int]:
    out, last = [], 0
    for number in numbers:
        out.append(number - last)
        last = number
    return out


def collect(documents, kinds: list[str]) -> tuple[list[list], dict[str, array], dict[str, array]]:
    """(what each result shows, key → its posting list, bigram → its
    positions) from SearchDocument rows in id order. Kept as flat arrays
    while collecting (a hundred thousand documents hold tens of millions
    of positions): a posting is number × 2 (+1 in the name), a position a
    (number, token index × 4 + column) pair; both come in document order."""
    shown: list[list] = []
    postings: dict[str, array] = defaultdict(lambda: array("Q"))
    positions: dict[str, array] = defaultdict(lambda: array("Q"))
    for number, document in enumerate(documents):
        shown.append(
            [
                kinds.index(document["kind"]),
                document["path"],
                document["title"],
                document["title_en"],
                _start_of(document["text"]),
                _start_of(document["text_en"]),
            ]
        )
        for column, name in enumerate(COLUMNS):
            in_name = 1 if column < 2 else 0
            for index, token in enumerate(document[name].split()):
                keys = []
                if is_cjk(token):
                    keys.append("<" + token[0])
                    if len(token) > 1:
                        keys.append("=" + token)
                        positions[token].extend((number, index * 4 + column))
                else:
                    keys.extend("<" + token[:length] for length in range(1, min(len(token), PREFIX_KEYS) + 1))
                    if len(token) > PREFIX_KEYS:
                        keys.append("~" + token)
                for key in keys:
                    found = postings[key]
                    if found and found[-1] >> 1 == number:
                        found[-1] |= in_name
                    else:
                        found.append(number * 2 + in_name)
    return shown, postings, positions


def _encode_postings(found: array) -> list[int]:
    """Gaps between the document numbers, × 2 (+1 in the name)."""
    out, last = [], 0
    for value in found:
        number = value >> 1
        out.append((number - last) * 2 + (value & 1))
        last = number
    return out


def _encode_positions(pairs: array) -> list[int]:
    """[document gap, how many, position gaps…] for each document."""
    by_document: dict[int, list[int]] = defaultdict(list)
    for i in range(0, len(pairs), 2):
        by_document[pairs[i]].append(pairs[i + 1])
    out: list[int] = []
    last = 0
    for number in sorted(by_document):
        places = sorted(by_document[number])
        out += [number - last, len(places), *_gaps(places)]
        last = number
    return out


def _sharded(entries: dict[str, list[int]], by: Callable[[str], str]) -> list[dict[str, list[int]]]:
    size = sum(len(key) + 4 + len(_dump(value)) for key, value in entries.items())
    count = _shard_count(size)
    shards: list[dict[str, list[int]]] = [{} for _ in range(count)]
    for key, value in entries.items():
        shards[fnv1a(by(key)) % count][key] = value
    return shards


def fold_table(characters: set[str]) -> dict[str, str]:
    """What normalize() makes of each character a query could hold (after
    NFKC and lowercasing, which the browser does itself) when it differs,
    for the characters that matter: those whose result, or themselves,
    occur in the index or a synonym. A character neither in the index nor
    turned into one that is finds nothing either way."""
    table = {}
    for block in (
        (0x3400, 0x4DC0),
        (0x4E00, 0xA000),
        (0xF900, 0xFB00),
        (0x20000, 0x2A6E0),
        (0x2A700, 0x2EBF0),
        (0x30000, 0x31350),
    ):
        for code in range(*block):
            char = unicodedata.normalize("NFKC", chr(code)).lower()
            if len(char) != 1:
                continue
            folded = normalize(char)
            if folded != char and (char in characters or any(c in characters for c in folded)):
                table[char] = folded
    return table


def _synonyms() -> dict[str, list[list[dict]]]:
    """Normalized term → the terms of each expansion (parse() looks the
    query's terms up here)."""
    table: dict[str, list[list[dict]]] = {}
    for term, expansion in Synonym.objects.order_by("term", "pk").values_list("term", "expansion"):
        terms = query_terms(expansion)
        if terms:
            table.setdefault(normalize(term), []).append(
                [{"text": t.text, "tokens": list(t.tokens), "prefix": t.prefix} for t in terms]
            )
    return table


def index_files(queryset=None) -> dict[str, bytes]:
    """The index: relative path (under the site root) → content."""
    queryset = SearchDocument.objects.all() if queryset is None else queryset
    rows = queryset.order_by("id").values(
        "id", "kind", "path", "title", "title_en", "text", "text_en", "head", "pinyin", "body"
    )
    kinds = [kind.key for kind in KINDS]
    docs, postings, positions = collect(rows.iterator(chunk_size=2000), kinds)
    files: dict[str, bytes] = {}
    for start in range(0, len(docs), DOCS_PER_FILE):
        files[f"docs/{start // DOCS_PER_FILE}.json"] = _dump(docs[start : start + DOCS_PER_FILE])
    terms = _sharded({key: _encode_postings(found) for key, found in postings.items()}, route)
    for number, shard in enumerate(terms):
        files[f"terms/{number}.json"] = _dump(shard)
    places = _sharded({key: _encode_positions(found) for key, found in positions.items()}, lambda key: "=" + key)
    for number, shard in enumerate(places):
        files[f"positions/{number}.json"] = _dump(shard)
    characters = {char for key in postings for char in key[1:] if is_cjk(char)}
    synonyms = _synonyms()
    characters |= {char for key in synonyms for char in key}
    fold = fold_table(characters)
    digest = hashlib.sha256(_dump([synonyms, fold]))
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name] + b"\0")
    version = digest.hexdigest()[:16]
    # The documents are in kind order: a kind is a range of numbers.
    counts = [sum(1 for doc in docs if doc[0] == order) for order in range(len(kinds))]
    manifest = {
        "format": FORMAT,
        "analyzer": ANALYZER_VERSION,
        "version": version,
        "folder": version,
        "documents": len(docs),
        "docs_per_file": DOCS_PER_FILE,
        "kinds": kinds,
        "kind_counts": counts,
        "term_shards": len(terms),
        "position_shards": len(places),
        "prefix_keys": PREFIX_KEYS,
        "synonyms": synonyms,
        "fold": fold,
    }
    out = {f"{INDEX_DIR}/{version}/{name}": content for name, content in files.items()}
    out[f"{INDEX_DIR}/manifest.json"] = _dump(manifest)
    return out


def _start_of(text: str) -> str:
    text = " ".join(text.split())
    return text[:SNIPPET_CHARS]


def write_search_index(build) -> None:
    """The build step (publish.build.STEPS)."""
    for relative, content in sorted(index_files().items()):
        build.write(relative, content)


def gzip_size(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=9, mtime=0))
