"""Reading the vectorizers' input: documents in a collection, an iterator read in batches, Arrow
data, files or file objects; decoding bytes as ``input``, ``encoding`` and ``decode_error`` say,
with errors naming the document and byte offset.

``_Input`` is the second layer of ``_BaseVectorizer`` (see :mod:`lexsim._params`).
"""

from __future__ import annotations

import codecs
import math
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Optional, Union

import numpy as np

from . import _arrow
from ._params import _Params

Document = Union[str, bytes]


def _is_nan(doc: Any) -> bool:
    return isinstance(doc, float) and math.isnan(doc)


class _Input(_Params):
    """Documents in, as the core reads them (the second layer of ``_BaseVectorizer``)."""

    def _utf8_passthrough(self) -> bool:
        return codecs.lookup(self.encoding).name == "utf-8"

    def decode(self, doc: Any) -> str:
        """Decode one input item to ``str`` as scikit-learn does (``input``, ``encoding``, ``decode_error``).

        Parameters
        ----------
        doc : str, bytes, path or file
            The item, read according to ``input``.

        Returns
        -------
        str
            The document text.
        """
        if self.input == "filename":
            with open(doc, "rb") as fh:
                doc = fh.read()
        elif self.input == "file":
            doc = doc.read()
        return self._decode_content(doc)

    def _decode_content(self, doc: Any) -> str:
        """decode() for an item already read (the contents of a file, whatever ``input`` says)."""
        if isinstance(doc, bytes):
            doc = doc.decode(self.encoding, self.decode_error)
        if doc is np.nan or (isinstance(doc, float) and math.isnan(doc)):
            raise ValueError("np.nan is an invalid document, expected byte or unicode string.")
        return doc

    @staticmethod
    def _is_stream(raw_documents: Any) -> bool:
        """Iterators and generators (no len) are read in batches; sized collections and Arrow data as a whole."""
        return (
            isinstance(raw_documents, Iterable)
            and not isinstance(raw_documents, (str, bytes))
            and not hasattr(raw_documents, "__len__")
            and _arrow.arrow_source(raw_documents) is None
        )

    def _stream_batches(self, raw_documents: Iterable[Any], terms: bool) -> Callable[[], Optional[list]]:
        """A function that returns the next batch of an iterator's documents, or None at the end.

        A batch is about ``_batch_bytes`` of text as Python holds it (with its terms, when they are
        made in Python); only the current batch is in memory. Items are read (``input``) and
        checked one by one, and errors name the item's position in the whole input.
        """
        items: Iterator[Any] = iter(raw_documents)
        analyze = self._build_analyzer(read_input=False) if terms else None
        decode = not self._utf8_passthrough()
        read = self.input != "content"
        limit = self._batch_bytes
        getsizeof = sys.getsizeof
        position = 0  # documents in the batches before this one

        def bad(doc: Any, i: int) -> Exception:
            if isinstance(doc, float) and math.isnan(doc):
                return ValueError(f"np.nan is an invalid document, expected byte or unicode string (document {i}).")
            return TypeError(f"document {i} is {type(doc).__name__}, expected str or bytes")

        def next_batch() -> Optional[list]:
            nonlocal position
            batch: list = []
            append = batch.append
            size = 0
            if analyze is None and not read and not decode:  # the common case, kept lean
                for doc in items:
                    if type(doc) is not str and not isinstance(doc, (str, bytes)):
                        raise bad(doc, position + len(batch))
                    append(doc)
                    size += getsizeof(doc)
                    if size >= limit:
                        break
            else:
                any_object = self._takes_any_document()
                for item in items:
                    i = position + len(batch)
                    doc = self._read_item(item) if read else item
                    if not isinstance(doc, (str, bytes)) and not (any_object and not _is_nan(doc)):
                        raise bad(doc, i)
                    if analyze is not None:
                        found = self._analyze_one(analyze, doc, i)
                        append(found)
                        size += getsizeof(doc) + 64 * len(found)
                    else:
                        if decode and isinstance(doc, bytes):
                            doc = self._decode_bytes(i, doc)
                        append(doc)
                        size += getsizeof(doc)
                    if size >= limit:
                        break
            position += len(batch)
            return batch or None

        return next_batch

    def _documents(self, raw_documents: Any, native: bool = False) -> Any:
        """The input as a list of str/bytes the core reads (bytes are UTF-8, decoded by the core).

        Arrow data (see ``lexsim._arrow``) is read from its buffers; with ``native`` (the core
        analyses the text) and nothing to decode in Python, the core reads those buffers as they
        are (an ``ArrowDocuments``), otherwise a ``str`` (or ``bytes``) is made per document.
        """
        if isinstance(raw_documents, (str, bytes)):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        arrow = _arrow.read(raw_documents)
        if arrow is not None:
            if native and self.input == "content" and (not arrow.binary or self._utf8_passthrough()):
                return arrow
            # Arrow strings are UTF-8 whatever `encoding` says; binary values are bytes, decoded below.
            raw_documents = arrow.to_list(self.decode_error)
        if not isinstance(raw_documents, Iterable):
            raise TypeError(f"Iterable over raw text documents expected, got {type(raw_documents).__name__}.")
        docs = raw_documents if type(raw_documents) is list else list(raw_documents)
        if self.input != "content":
            docs = [self._read_item(d) for d in docs]
        if not self._utf8_passthrough():
            docs = [self._decode_bytes(i, d) if isinstance(d, bytes) else d for i, d in enumerate(docs)]
        return docs

    def _decode_bytes(self, i: int, data: bytes) -> str:
        try:
            return data.decode(self.encoding, self.decode_error)
        except UnicodeDecodeError as e:
            raise UnicodeDecodeError(
                e.encoding, e.object, e.start, e.end, f"{e.reason} (document {i}, byte offset {e.start})"
            ) from None

    def _takes_any_document(self) -> bool:
        """Whether documents may be any object: a user's preprocessor or analyzer reads them (as in
        scikit-learn, where a preprocessor may take dicts); otherwise they must be str or bytes."""
        return self.preprocessor is not None or callable(self.analyzer)

    def _analyze_all(self, docs: list) -> list:
        """Terms of every document (already read) through the Python analyzer, naming the document on errors."""
        analyze = self._build_analyzer(read_input=False)
        any_object = self._takes_any_document()
        out = []
        for i, d in enumerate(docs):
            if not isinstance(d, (str, bytes)) and not (any_object and not _is_nan(d)):
                if isinstance(d, float) and math.isnan(d):
                    raise ValueError(f"np.nan is an invalid document, expected byte or unicode string (document {i}).")
                raise TypeError(f"document {i} is {type(d).__name__}, expected str or bytes")
            out.append(self._analyze_one(analyze, d, i))
        return out

    @staticmethod
    def _analyze_one(analyze: Callable[[Any], list], doc: Any, i: int) -> list:
        try:
            return [str(t) for t in analyze(doc)]
        except UnicodeDecodeError as e:
            raise UnicodeDecodeError(
                e.encoding, e.object, e.start, e.end, f"{e.reason} (document {i}, byte offset {e.start})"
            ) from None

    def _read_item(self, item: Any) -> Union[str, bytes]:
        if self.input == "filename":
            with open(item, "rb") as fh:
                return fh.read()
        data = item.read()
        if not isinstance(data, (str, bytes)):
            raise TypeError(f"file object returned {type(data).__name__} from read(), expected str or bytes")
        return data

    def _explain_type_error(self, docs: Any, error: TypeError) -> Exception:
        if not isinstance(docs, list):  # Arrow data has no NaN documents
            return error
        for i, d in enumerate(docs):
            if isinstance(d, float) and math.isnan(d):
                return ValueError(f"np.nan is an invalid document, expected byte or unicode string (document {i}).")
        return error
