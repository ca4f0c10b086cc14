#pragma once
// Test support: where the shared protocol corpus is, and reading its files.

#include "kafkit/codec/corpus.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace kafkit::codec::testing {

/// ../shared/protocol-corpus, as the build saw it.
inline std::filesystem::path corpus_dir() { return std::filesystem::path(KAFKIT_SHARED_DIR) / "protocol-corpus"; }

/// Whether the corpus is there; says so visibly when it is not, so a skip is never silent.
inline bool corpus_available() {
    if (std::filesystem::is_directory(corpus_dir())) return true;
    WARN_MESSAGE(false, "protocol corpus not found at " << corpus_dir().string() << ": skipped");
    return false;
}

/// Every frame of a corpus file; a file that cannot be read, or an unreadable line, fails
/// the calling test.
inline std::vector<corpus_frame> read_frames(const std::string& name) {
    const auto path = (corpus_dir() / name).string();
    auto file = read_corpus_file(path);
    REQUIRE_MESSAGE(file.has_value(), "cannot read " << path);
    for (const auto& problem : file->problems) FAIL_CHECK(problem);
    return std::move(file->frames);
}

} // namespace kafkit::codec::testing
