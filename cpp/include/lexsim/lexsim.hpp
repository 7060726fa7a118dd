#pragma once
// lexsim: Unicode-aware TF-IDF vectors and cosine similarity with scikit-learn parity.

#include "lexsim/analyzer.hpp"
#include "lexsim/corpus_counts.hpp"
#include "lexsim/enums.hpp"
#include "lexsim/errors.hpp"
#include "lexsim/hashing.hpp"
#include "lexsim/interrupt.hpp"
#include "lexsim/model_io.hpp"
#include "lexsim/occurrences.hpp"
#include "lexsim/search.hpp"
#include "lexsim/similarity.hpp"
#include "lexsim/sparse.hpp"
#include "lexsim/tfidf.hpp"
#include "lexsim/threads.hpp"
#include "lexsim/vectorizer.hpp"
#include "lexsim/version.hpp"
#include "lexsim/vocabulary.hpp"
