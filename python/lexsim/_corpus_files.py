"""Reading the files of a corpus for lexsim.corpus: folders of text files, JSON Lines and CSV,
whole or as a stream of records; and the corpus errors, which are lexsim.corpus's."""

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
from typing import Callable, Optional

#: File name endings read from a folder, or as a one-document corpus (lexsim.corpus.TEXT_SUFFIXES).
TEXT_SUFFIXES = (".txt", ".md")


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


# Documented, raised and pickled as lexsim.corpus's (the module that exports them).
CorpusError.__module__ = CorpusDecodeError.__module__ = "lexsim.corpus"


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
    root: pathlib.Path, encoding: str, decode_error: str, progress: Optional[Callable[[int, int], None]]
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
