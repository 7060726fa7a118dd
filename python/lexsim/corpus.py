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
import csv
import io
import json
import os
import pathlib
import stat
import sys
from collections.abc import Iterable, Iterator
from typing import Any, Callable, Literal, Optional, Union, overload

__all__ = ["CorpusDecodeError", "CorpusError", "iter_corpus", "read_corpus", "TEXT_SUFFIXES"]

#: File name endings read from a folder, or as a one-document corpus (compared case-insensitively).
TEXT_SUFFIXES = (".txt", ".md")
_UNKNOWN_KIND = "{path}: not a folder, a .jsonl, .csv, .parquet, .txt or .md file; cannot tell how to read it"

PathLike = Union[str, "os.PathLike[str]"]
Progress = Callable[[int, int], None]


class CorpusError(ValueError):
    """A corpus that cannot be read: missing, empty, malformed, or with duplicate ids.

    The message names the file (and the line, row or byte offset) and is meant to be shown as is.
    """


class CorpusDecodeError(CorpusError):
    """Text that does not decode with the corpus's encoding (``decode_error='strict'``).

    Attributes
    ----------
    file : str
        The file.
    byte_offset : int
        Where in the file the first bad byte is.
    """

    def __init__(self, message: str, file: str, byte_offset: int) -> None:
        super().__init__(message)
        self.file = file
        self.byte_offset = byte_offset


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


# ---------------------------------------------------------------------------- helpers


def _decode(data: bytes, where: str, encoding: str, decode_error: str) -> str:
    try:
        text = data.decode(encoding, decode_error)
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise CorpusDecodeError(
            f"{where}: not valid {encoding} at byte offset {e.start} (line {line}): {e.reason}", where, e.start
        ) from None
    # A byte order mark is not text; in a CSV it would also glue itself to the first column name.
    return text[1:] if text.startswith("\ufeff") else text


def _read_bytes(path: pathlib.Path, where: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except IsADirectoryError:
        raise CorpusError(f"cannot read {where}: it is a folder") from None
    except OSError as e:  # permission, I/O error, a dangling link...: name the file, not a traceback
        reason = e.strerror or type(e).__name__
        raise OSError(e.errno, f"cannot read {where}: {reason}") from None


def _check_unique(ids: list[str], where: list[str], source: str) -> None:
    first: dict[str, int] = {}
    for n, i in enumerate(ids):
        seen = first.setdefault(i, n)
        if seen != n:
            raise CorpusError(f"{source}: duplicate id {i!r} ({where[seen]} and {where[n]})")


def _as_id(value: object) -> Optional[str]:
    """A usable id: a string or an integer (bool and the rest are refused)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


# ---------------------------------------------------------------------------- readers


def _folder_files(root: pathlib.Path) -> list[tuple[str, pathlib.Path]]:
    """(id, path) of a folder's text files, sorted by id."""
    found: list[tuple[str, pathlib.Path]] = []
    for folder, dirs, files in os.walk(root, onerror=_raise):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = pathlib.Path(folder).relative_to(root)
        for name in files:
            if name.startswith(".") or not name.lower().endswith(TEXT_SUFFIXES):
                continue
            found.append(((rel / name).as_posix(), pathlib.Path(folder) / name))
    # Sorted by id so that the order (and every result) is the same on every file system.
    found.sort(key=lambda item: item[0])
    return found


def _read_text_file(file: pathlib.Path, encoding: str, decode_error: str) -> str:
    try:
        regular = stat.S_ISREG(os.stat(file).st_mode)
    except OSError:
        regular = True  # a dangling link, say: let the read below report it
    if not regular:  # a FIFO named x.txt would block the read forever
        raise CorpusError(f"cannot read {file}: not a regular file")
    return _decode(_read_bytes(file, str(file)), str(file), encoding, decode_error)


def _read_folder(
    root: pathlib.Path, encoding: str, decode_error: str, progress: Optional[Progress]
) -> tuple[list[str], list[str]]:
    found = _folder_files(root)
    ids, texts = [], []
    for n, (doc_id, file) in enumerate(found):
        texts.append(_read_text_file(file, encoding, decode_error))
        ids.append(doc_id)
        if progress is not None:
            progress(n + 1, len(found))
    return ids, texts


def _raise(error: OSError) -> None:
    reason = error.strerror or type(error).__name__
    raise OSError(error.errno, f"cannot read folder {error.filename}: {reason}")


def _jsonl_record(line: str, number: int, where: str, text_column: str, id_column: Optional[str]) -> tuple[str, str]:
    """(id, text) of one non-blank line of a JSON Lines file."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise CorpusError(f"{where}, line {number}: invalid JSON ({e.msg}, column {e.colno})") from None
    if not isinstance(record, dict):
        raise CorpusError(f"{where}, line {number}: expected a JSON object, got {type(record).__name__}")
    if text_column not in record:
        raise CorpusError(f"{where}, line {number}: no {text_column!r} field")
    doc = record[text_column]
    if not isinstance(doc, str):
        raise CorpusError(
            f"{where}, line {number}: the {text_column!r} field must be a string, got {type(doc).__name__}"
        )
    if id_column is not None:
        if id_column not in record:
            raise CorpusError(f"{where}, line {number}: no {id_column!r} field")
        doc_id = _as_id(record[id_column])
    elif "id" in record:
        doc_id = _as_id(record["id"])
    else:
        doc_id = str(number)
    if doc_id is None:
        name = id_column or "id"
        raise CorpusError(f"{where}, line {number}: the {name!r} field must be a string or an integer")
    return doc_id, doc


def _read_jsonl(
    path: pathlib.Path, text_column: str, id_column: Optional[str], encoding: str, decode_error: str
) -> tuple[list[str], list[str]]:
    where = str(path)
    text = _decode(_read_bytes(path, where), where, encoding, decode_error)
    ids, texts, lines = [], [], []
    # Split on "\n" only: str.splitlines() would also split at U+2028 and friends, which JSON
    # allows unescaped inside strings.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        doc_id, doc = _jsonl_record(line, number, where, text_column, id_column)
        ids.append(doc_id)
        texts.append(doc)
        lines.append(f"line {number}")
    _check_unique(ids, lines, where)
    return ids, texts


def _csv_records(
    lines: Iterable[str], where: str, text_column: str, id_column: Optional[str]
) -> Iterator[tuple[str, str, str]]:
    """(id, text, "line N") of each row of CSV text given as lines that keep their line endings."""
    # The csv module refuses fields over 128 KiB by default; articles can be longer. The limit is
    # process-wide, so it is put back afterwards.
    old_limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        reader = csv.reader(lines)
        try:
            header = next(reader, None)
            if header is None:
                raise CorpusError(f"empty corpus: {where} is empty (no header row)")
            columns = {name: n for n, name in reversed(list(enumerate(header)))}
            if text_column not in columns:
                raise CorpusError(f"{where}: no column {text_column!r} (columns: {', '.join(map(repr, header))})")
            if id_column is not None and id_column not in columns:
                raise CorpusError(f"{where}: no column {id_column!r} (columns: {', '.join(map(repr, header))})")
            if id_column is None and "id" in columns:  # as a JSON Lines file's "id" field is
                id_column = "id"
            t, c = columns[text_column], columns.get(id_column) if id_column is not None else None
            number = 0
            for row in reader:
                if not row:  # a blank line
                    continue
                number += 1
                line = reader.line_num
                if len(row) != len(header):
                    raise CorpusError(f"{where}, line {line}: {len(row)} fields where the header has {len(header)}")
                doc_id = row[c] if c is not None else str(number)
                yield doc_id, row[t], f"line {line}"
        except csv.Error as e:
            raise CorpusError(f"{where}, line {reader.line_num}: malformed CSV ({e})") from None
    finally:
        csv.field_size_limit(old_limit)


def _read_csv(
    path: pathlib.Path, text_column: str, id_column: Optional[str], encoding: str, decode_error: str
) -> tuple[list[str], list[str]]:
    where = str(path)
    text = _decode(_read_bytes(path, where), where, encoding, decode_error)
    ids, texts, rows = [], [], []
    for doc_id, doc, row in _csv_records(io.StringIO(text, newline=""), where, text_column, id_column):
        ids.append(doc_id)
        texts.append(doc)
        rows.append(row)
    _check_unique(ids, rows, where)
    return ids, texts


# ---------------------------------------------------------------------------- streaming

#: Bytes read from a file at a time by iter_corpus.
_CHUNK_BYTES = 1 << 20


def _decoded_chunks(
    path: pathlib.Path, where: str, encoding: str, decode_error: str, chunk_bytes: int
) -> Iterator[str]:
    """A file's text, decoded piece by piece; errors name the byte offset and line in the file, as _decode's do."""
    decoder = codecs.getincrementaldecoder(encoding)(decode_error)
    offset = 0  # bytes read before `data`
    newlines = 0  # newline bytes before `data`
    first = True
    try:
        fh = open(path, "rb")
    except IsADirectoryError:
        raise CorpusError(f"cannot read {where}: it is a folder") from None
    except OSError as e:
        raise OSError(e.errno, f"cannot read {where}: {e.strerror or type(e).__name__}") from None
    with fh:
        while True:
            try:
                data = fh.read(chunk_bytes)
            except OSError as e:
                raise OSError(e.errno, f"cannot read {where}: {e.strerror or type(e).__name__}") from None
            pending = len(decoder.getstate()[0])  # bytes of a character split across reads
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError as e:
                at = offset - pending + e.start
                line = newlines + data.count(b"\n", 0, max(0, at - offset)) + 1
                raise CorpusDecodeError(
                    f"{where}: not valid {encoding} at byte offset {at} (line {line}): {e.reason}", where, at
                ) from None
            if first and text:
                first = False
                if text.startswith("\ufeff"):  # a byte order mark is not text
                    text = text[1:]
            if text:
                yield text
            if not data:
                return
            offset += len(data)
            newlines += data.count(b"\n")


def _split_lines(chunks: Iterator[str], keepends: bool) -> Iterator[str]:
    """The lines of a text given in pieces, split at "\n" only (as str.split("\n"), not splitlines())."""
    pending: list[str] = []
    for text in chunks:
        parts = text.split("\n")
        if len(parts) == 1:
            pending.append(text)
            continue
        end = "\n" if keepends else ""
        pending.append(parts[0])
        yield "".join(pending) + end
        for part in parts[1:-1]:
            yield part + end
        pending = [parts[-1]]
    rest = "".join(pending)
    if rest or not keepends:
        yield rest


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


def _stream_jsonl(
    path: pathlib.Path, text_column: str, id_column: Optional[str], encoding: str, decode_error: str, chunk_bytes: int
) -> Iterator[tuple[str, str, str]]:
    where = str(path)
    lines = _split_lines(_decoded_chunks(path, where, encoding, decode_error, chunk_bytes), keepends=False)
    for number, line in enumerate(lines, start=1):
        if line.strip():
            doc_id, doc = _jsonl_record(line, number, where, text_column, id_column)
            yield doc_id, doc, f"line {number}"


def _stream_text_file(path: pathlib.Path, encoding: str, decode_error: str) -> Iterator[tuple[str, str, str]]:
    yield path.name, _read_text_file(path, encoding, decode_error), str(path)


def _stream_folder(root: pathlib.Path, encoding: str, decode_error: str) -> Iterator[tuple[str, str, str]]:
    for doc_id, file in _folder_files(root):
        yield doc_id, _read_text_file(file, encoding, decode_error), str(file)


# ---------------------------------------------------------------------------- Parquet

#: Rows converted to Python at a time from a Parquet file (pyarrow reads a row group at a time).
_PARQUET_ROWS = 1024


def _started(records: Iterator[tuple[str, str, str]]) -> Iterator[tuple[str, str, str]]:
    """``records`` with its first item already read (and so its set-up errors already raised)."""
    first = next(records, None)

    def rest() -> Iterator[tuple[str, str, str]]:
        if first is not None:
            yield first
            yield from records

    return rest()


def _parquet_records(
    path: pathlib.Path, text_column: str, id_column: Optional[str], encoding: str, decode_error: str, batch_rows: int
) -> Iterator[tuple[str, str, str]]:
    """(id, text, "row N") of each row of a Parquet file, read batch by batch (only the columns used)."""
    where = str(path)
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError(
            f'reading {where} needs pyarrow, which is not installed: pip install "lexsim[parquet]"'
        ) from None
    try:
        file = pq.ParquetFile(path)
        names = list(file.schema_arrow.names)
    except OSError as e:  # permission, I/O error...: name the file
        raise OSError(e.errno, f"cannot read {where}: {e.strerror or e}") from None
    except Exception as e:  # pyarrow's ArrowInvalid (a ValueError) and friends: not Parquet, damaged
        raise CorpusError(f"{where}: not a readable Parquet file ({_first_line(e)})") from None
    listed = ", ".join(map(repr, names))
    if text_column not in names:
        raise CorpusError(f"{where}: no column {text_column!r} (columns: {listed})")
    if id_column is not None and id_column not in names:
        raise CorpusError(f"{where}: no column {id_column!r} (columns: {listed})")
    if id_column is None and "id" in names:  # as a JSON Lines file's "id" field is
        id_column = "id"
    columns = [text_column] + ([id_column] if id_column is not None and id_column != text_column else [])
    row = 0  # rows before this batch
    try:
        with file:
            for batch in file.iter_batches(batch_size=batch_rows, columns=columns):
                texts = _parquet_texts(batch.column(0), row, where, text_column, encoding, decode_error)
                if id_column is None:
                    ids = [str(row + n + 1) for n in range(len(texts))]
                else:
                    ids = _parquet_ids(batch.column(columns.index(id_column)).to_pylist(), row, where, id_column)
                for n, (doc_id, doc) in enumerate(zip(ids, texts)):
                    yield doc_id, doc, f"row {row + n + 1}"
                row += len(texts)
    except (CorpusError, OSError):
        raise
    except Exception as e:  # a damaged row group, found when it is read
        if type(e).__module__.split(".", 1)[0] != "pyarrow":
            raise
        raise CorpusError(f"{where}: not a readable Parquet file ({_first_line(e)})") from None


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def _parquet_texts(column: Any, row: int, where: str, name: str, encoding: str, decode_error: str) -> list[str]:
    """A batch's texts, read through lexsim's Arrow reader (strings are UTF-8; binary is decoded)."""
    from . import _core

    if column.null_count:
        first = column.is_null().to_pylist().index(True)
        raise CorpusError(f"{where}, row {row + first + 1}: the {name!r} column is null")
    try:
        docs = _core.ArrowDocuments(column)
    except TypeError as e:
        raise CorpusError(f"{where}: the {name!r} column must hold text: {e}") from None
    try:
        values = docs.to_list(decode_error)
    except UnicodeDecodeError as e:
        n = row + int(getattr(e, "document", 0)) + 1
        raise CorpusDecodeError(
            f"{where}, row {n}: the {name!r} column is not valid UTF-8 at byte offset {e.start} of the value",
            where,
            e.start,
        ) from None
    if not docs.binary:
        return values
    out = []
    for n, value in enumerate(values):
        try:
            out.append(value.decode(encoding, decode_error))
        except UnicodeDecodeError as e:
            raise CorpusDecodeError(
                f"{where}, row {row + n + 1}: the {name!r} column is not valid {encoding} at byte offset {e.start} "
                "of the value",
                where,
                e.start,
            ) from None
    return out


def _parquet_ids(values: list, row: int, where: str, name: str) -> list[str]:
    out = []
    for n, value in enumerate(values):
        doc_id = _as_id(value)
        if doc_id is None:
            raise CorpusError(
                f"{where}, row {row + n + 1}: the {name!r} column must be a string or an integer, "
                f"got {'null' if value is None else type(value).__name__}"
            )
        out.append(doc_id)
    return out
