"""The peers the answer engine is benchmarked against: what a team would otherwise pick for search.

* `PostgresFTS`: PostgreSQL full-text search with the built-in 'dutch' configuration (snowball stemmer,
  stop words), field weights through `setweight` (A/A/B/C) and `ts_rank_cd` ranking.
* `SqliteFTS5`: SQLite FTS5 with the `unicode61 remove_diacritics 2` tokenizer and column-weighted `bm25`.
  FTS5 has no Dutch stemmer and no stop words: that is this peer's honest limitation, kept as is.

People ask in natural language, so both peers search with an OR of the question's own terms (AND semantics
would find almost nothing) and rank the documents that match at least one term.

Run the self-check with `PYTHONPATH=src .venv/bin/python -m bench.peers` (PostgreSQL on 127.0.0.1:5432).
"""

import contextlib
import os
import re
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from psycopg.rows import TupleRow

# The editable install has no py.typed: with MYPYPATH=src mypy checks Document fully, without it Document is Any.
from antwoord.answers.engine.index import Document  # type: ignore[import-untyped,unused-ignore]

FIELDS = ("question", "alternatives", "keywords", "body")


class Peer(Protocol):
    name: str

    def build(self, documents: Sequence[Document]) -> None: ...

    def search(
        self, question: str, partitions: Sequence[str], limit: int = 10
    ) -> list[tuple[str, float]]: ...

    def close(self) -> None: ...


def _clean(text: str) -> str:
    """Text both databases accept: no NUL characters (PostgreSQL text cannot hold them) and no lone
    surrogates (they cannot be encoded as UTF-8)."""
    if "\x00" in text:
        text = text.replace("\x00", " ")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


# --- PostgreSQL full-text search --------------------------------------------------------------------------

DATABASE = "antwoord_bench_peer"

_SCHEMA = """
CREATE TABLE documents (
    key text PRIMARY KEY,
    partition text NOT NULL,
    question text NOT NULL DEFAULT '',
    alternatives text NOT NULL DEFAULT '',
    keywords text NOT NULL DEFAULT '',
    body text NOT NULL DEFAULT '',
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch', question), 'A')
        || setweight(to_tsvector('dutch', alternatives), 'A')
        || setweight(to_tsvector('dutch', keywords), 'B')
        || setweight(to_tsvector('dutch', body), 'C')
    ) STORED
)
"""

# The OR query is built in SQL from the lexemes of the question's own tsvector. Each lexeme is quoted for
# the tsquery input syntax (backslashes and quotes doubled) and the text is cast to tsquery, so the lexemes
# are taken as they are and never parsed or stemmed a second time. No lexemes: string_agg gives NULL, the
# query is NULL and `@@` matches nothing. The question is a parameter, never part of the SQL text.
_QUERY = """
(SELECT string_agg('''' || replace(replace(lexeme, '\\', '\\\\'), '''', '''''') || '''', ' | ')::tsquery
 FROM unnest(to_tsvector('dutch', %(question)s)))
"""

_SEARCH = f"""
SELECT d.key, ts_rank_cd(d.tsv, q.query) AS score
FROM documents AS d, {_QUERY} AS q(query)
WHERE d.tsv @@ q.query AND d.partition = ANY(%(partitions)s)
ORDER BY score DESC, d.key
LIMIT %(limit)s
"""


class PostgresFTS:
    """PostgreSQL full-text search in a database of its own, `antwoord_bench_peer`."""

    name = "postgres-fts"

    def __init__(self, dsn: str = "host=127.0.0.1 port=5432 user=postgres dbname=postgres") -> None:
        self.dsn = dsn
        self.database_dsn = make_conninfo(dsn, dbname=DATABASE)
        self._connection: psycopg.Connection[TupleRow] | None = None

    def _drop_database(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))

    def build(self, documents: Sequence[Document]) -> None:
        self.close()  # also drops a database left behind by an earlier run
        with psycopg.connect(self.dsn, autocommit=True) as admin:
            database = sql.Identifier(DATABASE)
            admin.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(database))
        with psycopg.connect(self.database_dsn, autocommit=True) as connection:
            connection.execute(_SCHEMA)
        # to_tsvector (the stored column) is the expensive part of loading: COPY in parallel, one connection
        # and one contiguous slice of the documents per CPU (at most four).
        workers = max(1, min(4, os.cpu_count() or 1, len(documents) // 10_000))
        size = max(1, -(-len(documents) // workers))
        with ThreadPoolExecutor(workers) as pool:
            slices = [documents[start : start + size] for start in range(0, len(documents), size)]
            for future in [pool.submit(self._copy, part) for part in slices]:
                future.result()
        with psycopg.connect(self.database_dsn, autocommit=True) as connection:
            connection.execute("SET maintenance_work_mem = '512MB'")
            connection.execute("CREATE INDEX documents_tsv ON documents USING gin (tsv)")
            connection.execute("CREATE INDEX documents_partition ON documents (partition)")
            connection.execute("VACUUM ANALYZE documents")
        self._connection = psycopg.connect(self.database_dsn, autocommit=True)

    def _copy(self, documents: Sequence[Document]) -> None:
        columns = "key, partition, question, alternatives, keywords, body"
        with (
            psycopg.connect(self.database_dsn) as connection,
            connection.cursor() as cursor,
            cursor.copy(f"COPY documents ({columns}) FROM STDIN") as copy,
        ):
            for document in documents:
                copy.write_row(
                    (
                        _clean(document.key),
                        _clean(document.partition),
                        *(_clean(document.fields.get(name) or "") for name in FIELDS),
                    )
                )

    def search(self, question: str, partitions: Sequence[str], limit: int = 10) -> list[tuple[str, float]]:
        if self._connection is None:
            raise RuntimeError("PostgresFTS.search before build")
        question = _clean(question)
        if not question.strip() or not partitions or limit <= 0:
            return []
        parameters = {"question": question, "partitions": [_clean(p) for p in partitions], "limit": limit}
        try:
            rows = self._connection.execute(_SEARCH, parameters).fetchall()
        except psycopg.errors.ProgramLimitExceeded:  # a question too long for a tsvector (over 1 MB)
            return []
        return [(str(key), float(score)) for key, score in rows]

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._drop_database()


# --- SQLite FTS5 ------------------------------------------------------------------------------------------

# The tokens unicode61 keeps by default: runs of letters and numbers (categories L*, N*, Co).
_TOKEN = re.compile(r"[^\W_]+")


def fts5_query(question: str) -> str:
    """An OR of the question's distinct tokens, each one double-quoted: a string in FTS5 syntax, so nothing
    in the question (quotes, OR, NEAR(, *, column filters) can act as query syntax."""
    distinct = {
        token.lower(): token for token in reversed(_TOKEN.findall(question))
    }  # FTS5 folds case itself
    return " OR ".join('"' + token.replace('"', '""') + '"' for token in reversed(distinct.values()))


class SqliteFTS5:
    """SQLite FTS5, one virtual table; the partition is an UNINDEXED column filtered after the match."""

    name = "sqlite-fts5"

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._created_file = False

    def build(self, documents: Sequence[Document]) -> None:
        self.close()
        in_memory = self.path == ":memory:" or self.path.startswith("file::memory:")
        self._created_file = not in_memory and not os.path.exists(self.path)
        connection = sqlite3.connect(self.path, check_same_thread=False)
        self._connection = connection
        with connection:
            connection.execute("DROP TABLE IF EXISTS documents")
            connection.execute(
                "CREATE VIRTUAL TABLE documents USING fts5("
                "question, alternatives, keywords, body, partition UNINDEXED, key UNINDEXED, "
                "tokenize = 'unicode61 remove_diacritics 2')"
            )
            connection.executemany(
                "INSERT INTO documents (question, alternatives, keywords, body, partition, key) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (
                        *(_clean(document.fields.get(name) or "") for name in FIELDS),
                        _clean(document.partition),
                        _clean(document.key),
                    )
                    for document in documents
                ),
            )
            connection.execute("INSERT INTO documents (documents) VALUES ('optimize')")

    def search(self, question: str, partitions: Sequence[str], limit: int = 10) -> list[tuple[str, float]]:
        if self._connection is None:
            raise RuntimeError("SqliteFTS5.search before build")
        query = fts5_query(_clean(question))
        partitions = list(dict.fromkeys(_clean(p) for p in partitions))
        if not query or not partitions or limit <= 0:
            return []
        placeholders = ", ".join("?" * len(partitions))
        rows = self._connection.execute(
            "SELECT key, bm25(documents, 3.0, 2.5, 1.5, 1.0) AS rank FROM documents "
            f"WHERE documents MATCH ? AND partition IN ({placeholders}) "
            "ORDER BY rank, key LIMIT ?",
            (query, *partitions, limit),
        ).fetchall()
        return [(str(key), -float(rank)) for key, rank in rows]

    def close(self) -> None:
        if self._connection is None:
            return
        with contextlib.suppress(sqlite3.Error), self._connection:
            self._connection.execute("DROP TABLE IF EXISTS documents")
        self._connection.close()
        self._connection = None
        if self._created_file:
            for suffix in ("", "-journal", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self.path + suffix)
            self._created_file = False


# --- self-check -------------------------------------------------------------------------------------------


def _self_check() -> None:
    documents = [
        Document(
            key="article:paspoort",
            kind="article",
            partition="national",
            fields={
                "question": "Hoe vraag ik een paspoort aan?",
                "alternatives": "paspoort aanvragen\nnieuw reisdocument",
                "keywords": "reisdocument identiteitsbewijs",
                "body": "U vraagt een paspoort aan bij de gemeente waar u woont. Neem een pasfoto mee.",
            },
        ),
        Document(
            key="article:kinderbijslag",
            kind="article",
            partition="national",
            fields={
                "question": "Wanneer krijg ik kinderbijslag?",
                "body": "De SVB betaalt kinderbijslag voor kinderen tot 18 jaar.",
            },
        ),
        Document(
            key="offering:gm0518:parkeervergunning",
            kind="offering",
            partition="gm0518",
            fields={
                "question": "Hoe vraag ik een parkeervergunning aan in Den Haag?",
                "keywords": "parkeren bewonersvergunning",
                "body": "Bewoners van Den Haag kunnen een parkeervergunning aanvragen via Mijn Den Haag.",
            },
            for_ondernemer=True,
        ),
        Document(
            key="offering:gm0518:afval",
            kind="offering",
            partition="gm0518",
            fields={
                "question": "Wanneer wordt het grofvuil opgehaald?",
                "body": "Maak een afspraak voor grofvuil.",
            },
        ),
        Document(
            key="offering:gm0363:paspoort",
            kind="offering",
            partition="gm0363",
            fields={
                "question": "Paspoort aanvragen in Amsterdam",
                "body": "Maak een afspraak op het stadsloket om uw paspoort aan te vragen. Café-vrij.",
            },
        ),
    ]
    questions = [
        "ik wil een nieuw paspoort aanvragen",
        "wanneer komen ze het grofvuil ophalen",
        "parkeervergunningen",
        "cafe",
        "",
        "   ",
        '"paspoort',
        "paspoort OR grofvuil",
        "NEAR(paspoort grofvuil) body:paspoort *",
        "'; drop table documents; --",
        "paspoort 😀🇳🇱 \x00 \ud800 it's a\\b",
        "paspoort " + "x" * 10_000,
        " ".join(["paspoort", *(f"woord{i}" for i in range(1_500))]),
    ]
    peers: list[Peer] = [PostgresFTS(), SqliteFTS5()]
    for peer in peers:
        peer.build(documents)
        try:
            print(f"== {peer.name}")
            for question in questions:
                for partitions in (["national", "gm0518"], ["national", "gm0363"]):
                    results = peer.search(question, partitions, limit=5)
                    assert all(
                        key.split(":")[1] in partitions or key.startswith("article:") for key, _ in results
                    )
                    shown = " ".join(f"{key}={score:.3g}" for key, score in results)
                    print(f"{question[:40]!r:44} {'+'.join(partitions):18} {shown}")
            assert peer.search("paspoort", ["gm0518"]) == []
            assert peer.search("paspoort", ["national", "gm0363"])[0][0] in {
                "article:paspoort",
                "offering:gm0363:paspoort",
            }
        finally:
            peer.close()
    print("ok")


if __name__ == "__main__":
    _self_check()
