"""Reading a corpus from disk: a folder of text files, a JSON Lines, CSV or Parquet file.

The ``lexsim`` command reads its documents with :func:`read_corpus`; it is just as handy in a
notebook::

    from lexsim.corpus import read_corpus

    ids, texts = read_corpus("articles/")
    X = lexsim.TfidfVectorizer().fit_transform(texts)

:func:`iter_corpus` reads the same files one document at a time, for corpora larger than memory
(the vectorizers fit on an iterator in batches)::

    from lexsim.corpus import iter_corpus

    vec = lexsim.TfidfVectorizer().fit(iter_corpus("archive.jsonl"))
"""

from __future__ import annotations

import codecs
import os
import pathlib
from collections.abc import Iterator
from typing import Callable, Literal, Optional, Union, overload

from . import _corpus_files
from ._corpus_files import (
    CorpusDecodeError,
    CorpusError,
    _check_unique,
    _csv_records,
    _decoded_chunks,
    _read_csv,
    _read_folder,
    _read_jsonl,
    _read_text_file,
    _split_lines,
    _stream_folder,
    _stream_jsonl,
    _stream_text_file,
)
from ._corpus_parquet import _parquet_records, _started

__all__ = ["CorpusDecodeError", "CorpusError", "iter_corpus", "read_corpus", "TEXT_SUFFIXES"]

#: File name endings read from a folder, or as a one-document corpus (compared case-insensitively).
TEXT_SUFFIXES = _corpus_files.TEXT_SUFFIXES
_UNKNOWN_KIND = "{path}: not a folder, a .jsonl, .csv, .parquet, .txt or .md file; cannot tell how to read it"

PathLike = Union[str, "os.PathLike[str]"]
Progress = Callable[[int, int], None]


def read_corpus(
    path: PathLike,
    *,
    text_column: str = "text",
    id_column: Optional[str] = None,
    encoding: str = "utf-8",
    decode_error: str = "strict",
    progress: Optional[Progress] = None,
) -> tuple[list[str], list[str]]:
    """Read documents and their ids from a folder, a ``.jsonl``, ``.csv``, ``.parquet`` or ``.txt`` file.

    Parameters
    ----------
    path : str or path-like
        - a folder: every ``.txt`` and ``.md`` file below it, recursively (hidden files and folders,
          whose names start with ``.``, are left out; symbolic links to folders are not followed);
          a document's id is its path relative to the folder, with ``/`` separators, and documents
          come sorted by id;
        - a ``.jsonl`` file: one JSON object per line; the text is the ``text_column`` field, the id
          the ``id_column`` field (default: the ``id`` field when present, else the 1-based line
          number); blank lines are skipped;
        - a ``.csv`` file: a header row, then one document per row; the text is the ``text_column``
          column, the id the ``id_column`` column (default: the ``id`` column when there is one,
          else the 1-based row number, header not counted);
        - a ``.parquet`` file (needs pyarrow: ``pip install "lexsim[parquet]"``): one document per
          row; the text is the ``text_column`` column (strings, or binary decoded with ``encoding``),
          the id the ``id_column`` column (strings or integers; default: the ``id`` column when
          there is one, else the 1-based row number);
        - a single ``.txt`` or ``.md`` file: a corpus of one document, the whole file, whose id is
          the file's name.
    text_column : str, default='text'
        The JSON field, CSV or Parquet column holding the text.
    id_column : str, default=None
        The JSON field, CSV or Parquet column holding the id (see ``path`` for the default).
    encoding : str, default='utf-8'
        Encoding of the files (Parquet string columns are UTF-8 by definition). A UTF-8 byte order
        mark is dropped.
    decode_error : {'strict', 'replace', 'ignore'}, default='strict'
        What to do with bytes that do not decode: raise a :class:`CorpusError` naming the file and
        byte offset, replace them with U+FFFD, or drop them.
    progress : callable, default=None
        Called as ``progress(done, total)`` while the files of a folder are read.

    Returns
    -------
    ids : list of str
        Unique document ids.
    texts : list of str
        The documents, in the same order.

    Raises
    ------
    CorpusDecodeError
        Text that does not decode, with ``decode_error='strict'`` (a :class:`CorpusError`).
    CorpusError
        A missing path, an unsupported file type, an empty corpus, invalid JSON, a missing field
        or column, a null, or a duplicate id (a ``ValueError``).
    OSError
        A file that exists but cannot be read (the message names it).
    ImportError
        A ``.parquet`` file without pyarrow installed.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.jsonl").write_text('{"text": "Erdogan met Putin"}\\n\\n{"text": "Rain"}\\n')
    >>> read_corpus(folder / "a.jsonl")
    (['1', '3'], ['Erdogan met Putin', 'Rain'])
    """
    if decode_error not in ("strict", "replace", "ignore"):
        raise ValueError(f"decode_error must be 'strict', 'replace' or 'ignore', got {decode_error!r}")
    try:
        "".encode(encoding)
    except LookupError:
        raise CorpusError(f"unknown encoding: {encoding!r}") from None
    p = pathlib.Path(path)
    if not p.exists():
        kind = "broken symbolic link" if p.is_symlink() else "no such file or folder"
        raise CorpusError(f"{kind}: {path}")
    if p.is_dir():
        ids, texts = _read_folder(p, encoding, decode_error, progress)
        where = f"no {' or '.join(TEXT_SUFFIXES)} files in folder {path}"
    else:
        suffix = p.suffix.lower()
        if suffix == ".jsonl":
            ids, texts = _read_jsonl(p, text_column, id_column, encoding, decode_error)
        elif suffix == ".csv":
            ids, texts = _read_csv(p, text_column, id_column, encoding, decode_error)
        elif suffix == ".parquet":
            ids, texts, rows = [], [], []
            for doc_id, doc, row in _parquet_records(p, text_column, id_column, encoding, decode_error, _PARQUET_ROWS):
                ids.append(doc_id)
                texts.append(doc)
                rows.append(row)
            _check_unique(ids, rows, str(p))
        elif suffix in TEXT_SUFFIXES:
            ids, texts = [p.name], [_read_text_file(p, encoding, decode_error)]
        else:
            raise CorpusError(_UNKNOWN_KIND.format(path=path))
        where = f"no documents in {path}"
    if not ids:
        raise CorpusError(f"empty corpus: {where}")
    return ids, texts


#: Bytes read from a file at a time by iter_corpus.
_CHUNK_BYTES = 1 << 20
#: Rows converted to Python at a time from a Parquet file (pyarrow reads a row group at a time).
_PARQUET_ROWS = 1024


@overload
def iter_corpus(
    path: PathLike,
    *,
    text_column: str = ...,
    id_column: Optional[str] = ...,
    encoding: str = ...,
    decode_error: str = ...,
    with_ids: Literal[False] = ...,
) -> Iterator[str]: ...


@overload
def iter_corpus(
    path: PathLike,
    *,
    text_column: str = ...,
    id_column: Optional[str] = ...,
    encoding: str = ...,
    decode_error: str = ...,
    with_ids: Literal[True],
) -> Iterator[tuple[str, str]]: ...


def iter_corpus(
    path: PathLike,
    *,
    text_column: str = "text",
    id_column: Optional[str] = None,
    encoding: str = "utf-8",
    decode_error: str = "strict",
    with_ids: bool = False,
) -> Union[Iterator[str], Iterator[tuple[str, str]]]:
    """Read the documents of a folder, a ``.jsonl``, ``.csv``, ``.parquet`` or ``.txt`` file one at a time.

    The same documents, ids, order and errors as :func:`read_corpus`, without holding the corpus
    in memory: a JSON Lines or CSV file is decoded 1 MiB at a time, a Parquet file read row group
    by row group (its text and id columns only), a folder file by file (its sorted list of file
    names is made first). Give the iterator to a vectorizer's ``fit``,
    ``partial_fit``, ``fit_transform`` or ``transform``, which read iterators in batches.

    Parameters
    ----------
    path : str or path-like
        A folder, a ``.jsonl``, ``.csv`` or ``.parquet`` file, or a ``.txt`` or ``.md`` file read
        as one document (see :func:`read_corpus`).
    text_column, id_column, encoding, decode_error
        As for :func:`read_corpus`.
    with_ids : bool, default=False
        Yield ``(id, text)`` pairs instead of texts. Duplicate ids are then an error, found when
        the second one is reached; to find them the ids seen so far are kept (about 100 bytes per
        document).

    Yields
    ------
    str, or (str, str) with ``with_ids=True``
        Each document's text (or its id and text), in corpus order.

    Raises
    ------
    CorpusError
        A missing path or an unsupported file type (at once); an empty corpus, invalid JSON, a
        missing field or column, or a duplicate id (when reached).
    CorpusDecodeError
        Text that does not decode (when reached).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.jsonl").write_text('{"id": "x", "text": "Erdogan met Putin"}\\n{"id": "y", "text": "Rain"}\\n')
    >>> list(iter_corpus(folder / "a.jsonl"))
    ['Erdogan met Putin', 'Rain']
    >>> list(iter_corpus(folder / "a.jsonl", with_ids=True))
    [('x', 'Erdogan met Putin'), ('y', 'Rain')]
    """
    return _iter_corpus(path, text_column, id_column, encoding, decode_error, with_ids, _CHUNK_BYTES)


def _iter_corpus(
    path: PathLike,
    text_column: str,
    id_column: Optional[str],
    encoding: str,
    decode_error: str,
    with_ids: bool,
    chunk_bytes: int,
) -> Iterator:
    # Checked now, not at the first next(): a wrong path fails where it is given.
    if decode_error not in ("strict", "replace", "ignore"):
        raise ValueError(f"decode_error must be 'strict', 'replace' or 'ignore', got {decode_error!r}")
    try:
        codecs.getincrementaldecoder(encoding)
    except LookupError:
        raise CorpusError(f"unknown encoding: {encoding!r}") from None
    p = pathlib.Path(path)
    if not p.exists():
        kind = "broken symbolic link" if p.is_symlink() else "no such file or folder"
        raise CorpusError(f"{kind}: {path}")
    where = str(p)
    if p.is_dir():
        records = _stream_folder(p, encoding, decode_error)
        empty = f"no {' or '.join(TEXT_SUFFIXES)} files in folder {path}"
    else:
        suffix = p.suffix.lower()
        if suffix == ".jsonl":
            records = _stream_jsonl(p, text_column, id_column, encoding, decode_error, chunk_bytes)
        elif suffix == ".csv":
            lines = _split_lines(_decoded_chunks(p, where, encoding, decode_error, chunk_bytes), keepends=True)
            records = _csv_records(lines, where, text_column, id_column)
        elif suffix == ".parquet":
            # Opened now, so a missing pyarrow, a damaged file or a missing column fail here.
            records = _parquet_records(p, text_column, id_column, encoding, decode_error, _PARQUET_ROWS)
            records = _started(records)
        elif suffix in TEXT_SUFFIXES:
            records = _stream_text_file(p, encoding, decode_error)
        else:
            raise CorpusError(_UNKNOWN_KIND.format(path=path))
        empty = f"no documents in {path}"
    return _yield_records(records, with_ids, where, empty)


def _yield_records(records: Iterator[tuple[str, str, str]], with_ids: bool, source: str, empty: str) -> Iterator:
    seen: dict[str, str] = {}
    any_record = False
    for doc_id, doc, where in records:
        any_record = True
        if with_ids:
            if doc_id in seen:
                raise CorpusError(f"{source}: duplicate id {doc_id!r} ({seen[doc_id]} and {where})")
            seen[doc_id] = where
            yield doc_id, doc
        else:
            yield doc
    if not any_record:
        raise CorpusError(f"empty corpus: {empty}")
