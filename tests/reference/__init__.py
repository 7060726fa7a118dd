"""Slow, obviously correct reference implementations the tests compare lexsim with.

Each is written from the definition (a formula, a brute-force search, a loop over every pair),
never from lexsim's code, and is kept short enough to check by reading. The tests import them as
``reference.<module>`` (tests/python/conftest.py puts tests/ on sys.path):

- ``murmur``: strings with a chosen MurmurHash3 value (the hash run backwards), for HashingVectorizer
- ``similarity``: dense cosines, brute-force top-k, pairs at a threshold and connected components
- ``search``: cosine and BM25 scores from their formulas (every bm25s variant) and the ranking rule
- ``grouping``: the neighbour graph method='leiden' groups, and Newman's modularity
- ``keyterms``: term occurrences (count, first position) counted in Python
"""
