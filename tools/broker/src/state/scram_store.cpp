#include "state/scram_store.hpp"

#include <nlohmann/json.hpp>

namespace kafkit::broker {
namespace {

std::string to_hex(const std::vector<std::uint8_t>& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (auto b : bytes) {
        out += digits[b >> 4];
        out += digits[b & 0xf];
    }
    return out;
}

std::vector<std::uint8_t> from_hex(const std::string& text) {
    auto nibble = [](char c) { return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10); };
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i + 1 < text.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(nibble(text[i]) << 4 | nibble(text[i + 1])));
    return out;
}

} // namespace

bool scram_store::remove(const std::string& user, std::int8_t mechanism) {
    auto it = users_.find(user);
    if (it == users_.end() || it->second.erase(mechanism) == 0) return false;
    if (it->second.empty()) users_.erase(it);
    return true;
}

bool scram_store::has(const std::string& user, std::int8_t mechanism) const {
    const auto* credentials = find(user);
    return credentials && credentials->contains(mechanism);
}

const scram_store::user_credentials* scram_store::find(const std::string& user) const {
    auto it = users_.find(user);
    return it == users_.end() ? nullptr : &it->second;
}

nlohmann::json scram_store::to_json() const {
    auto doc = nlohmann::json::object();
    for (const auto& [user, credentials] : users_) {
        auto& entries = doc[user] = nlohmann::json::array();
        for (const auto& [mechanism, c] : credentials)
            entries.push_back({{"mechanism", mechanism}, {"iterations", c.iterations}, {"salt", to_hex(c.salt)},
                               {"salted_password", to_hex(c.salted_password)}});
    }
    return doc;
}

void scram_store::load_json(const nlohmann::json& doc) {
    users_.clear();
    for (const auto& [user, entries] : doc.items())
        for (const auto& e : entries)
            upsert(user, e.at("mechanism").get<std::int8_t>(),
                   {e.at("iterations").get<std::int32_t>(), from_hex(e.at("salt").get<std::string>()),
                    from_hex(e.at("salted_password").get<std::string>())});
}

} // namespace kafkit::broker
