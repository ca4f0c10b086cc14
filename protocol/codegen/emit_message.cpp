#include "emit_message.hpp"

#include "naming.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace kafkit::codegen {
namespace {

// Member names the generated code uses itself; a schema field may not take them.
const std::set<std::string> reserved_members = {"unknown_tags", "write", "read", "for_each_field"};
// ...and the constants of a top-level message.
const std::set<std::string> reserved_top_level = {
    "api_key", "min_version", "max_version", "first_flexible_version", "schema_name"};

std::string primitive_cpp_type(const std::string& type) {
    static const std::map<std::string, std::string> types = {
        {"bool", "bool"},         {"int8", "std::int8_t"},    {"int16", "std::int16_t"},
        {"uint16", "std::uint16_t"}, {"int32", "std::int32_t"}, {"uint32", "std::uint32_t"},
        {"int64", "std::int64_t"}, {"float64", "double"},     {"string", "std::string"},
        {"bytes", "bytes_view"},  {"records", "bytes_view"},  {"uuid", "uuid"}};
    return types.at(type);
}

std::size_t min_wire_size(const std::string& type) {
    static const std::map<std::string, std::size_t> sizes = {
        {"bool", 1}, {"int8", 1}, {"int16", 2}, {"uint16", 2}, {"int32", 4}, {"uint32", 4},
        {"int64", 8}, {"float64", 8}, {"uuid", 16}};
    auto it = sizes.find(type);
    return it == sizes.end() ? 1 : it->second;
}

bool is_string_like(const std::string& type) {
    return type == "string" || type == "bytes" || type == "records";
}

std::string quote(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

class message_emitter {
public:
    explicit message_emitter(const message_spec& m) : m_(m), cpp_name_(snake_case(m.name)) {}

    emitted_message run() {
        for (const auto& f : m_.fields)
            if (reserved_top_level.count(snake_case(f.name)))
                throw std::runtime_error(m_.name + ": field " + f.name + " takes a reserved member name");
        collect_field_names(m_.fields);
        for (const auto& cs : m_.common_structs) collect_field_names(cs.fields);
        for (const auto& cs : m_.common_structs) register_struct(cs.name, cs.fields);
        register_inline_structs(m_.fields);
        for (const auto& cs : m_.common_structs) order_struct(cs.name);
        for (const auto& f : m_.fields) order_field(f);

        std::ostringstream decl;
        decl << "struct " << cpp_name_ << " {\n";
        decl << "    static constexpr std::int16_t api_key = " << m_.api_key.value_or(-1) << ";\n";
        decl << "    static constexpr std::int16_t min_version = " << m_.valid_versions.lo << ";\n";
        decl << "    static constexpr std::int16_t max_version = " << m_.valid_versions.hi << ";\n";
        decl << "    static constexpr std::int16_t first_flexible_version = "
             << (m_.flexible_versions.empty() ? -1 : m_.flexible_versions.lo) << ";\n";
        decl << "    static constexpr const char* schema_name = " << quote(m_.name) << ";\n\n";
        std::ostringstream defs;
        for (const auto& name : order_) {
            emit_struct_declaration(decl, type_names_.at(name), *structs_.at(name), "    ");
            emit_struct_definitions(defs, cpp_name_ + "::" + type_names_.at(name), *structs_.at(name));
        }
        emit_struct_body(decl, cpp_name_, m_.fields, "    ");
        decl << "};\n";
        emit_struct_definitions(defs, cpp_name_, m_.fields);
        return {cpp_name_, decl.str(), defs.str()};
    }

private:
    // ---- structure ----------------------------------------------------------------------

    void collect_field_names(const std::vector<field_spec>& fields) {
        for (const auto& f : fields) {
            std::string name = snake_case(f.name);
            if (reserved_members.count(name))
                throw std::runtime_error(m_.name + ": field " + f.name + " takes a reserved member name");
            field_names_.insert(name);
            collect_field_names(f.fields);
        }
    }

    void register_struct(const std::string& name, const std::vector<field_spec>& fields) {
        if (structs_.count(name)) throw std::runtime_error(m_.name + ": struct " + name + " defined twice");
        structs_[name] = &fields;
        std::string cpp = snake_case(name);
        if (field_names_.count(cpp) || cpp == cpp_name_) cpp += "_struct";
        type_names_[name] = cpp;
    }

    void register_inline_structs(const std::vector<field_spec>& fields) {
        for (const auto& f : fields) {
            if (!f.fields.empty()) {
                register_struct(f.element_type(), f.fields);
                register_inline_structs(f.fields);
            }
        }
    }

    void order_struct(const std::string& name) {
        if (std::find(order_.begin(), order_.end(), name) != order_.end()) return;
        if (!structs_.count(name)) throw std::runtime_error(m_.name + ": unknown type " + name);
        if (!visiting_.insert(name).second) throw std::runtime_error(m_.name + ": recursive struct " + name);
        for (const auto& f : *structs_.at(name)) order_field(f);
        visiting_.erase(name);
        order_.push_back(name);
    }

    void order_field(const field_spec& f) {
        if (!is_primitive(f.element_type())) order_struct(f.element_type());
    }

    // Members are reached through `this`, so a field named like a local (a schema field
    // "Version" vs the `version` parameter) cannot be shadowed.
    static std::string member(const field_spec& f) { return "this->" + snake_case(f.name); }

    // ---- types and values ---------------------------------------------------------------

    [[nodiscard]] bool is_struct(const field_spec& f) const { return !is_primitive(f.element_type()); }
    [[nodiscard]] bool nullable(const field_spec& f) const {
        return !f.nullable_versions.intersect(f.versions).empty();
    }
    [[nodiscard]] bool default_is_null(const field_spec& f) const {
        return f.default_value && *f.default_value == "null";
    }

    [[nodiscard]] std::string element_cpp_type(const field_spec& f) const {
        return is_struct(f) ? type_names_.at(f.element_type()) : primitive_cpp_type(f.element_type());
    }
    [[nodiscard]] std::string value_cpp_type(const field_spec& f) const {
        return f.is_array() ? "std::vector<" + element_cpp_type(f) + ">" : element_cpp_type(f);
    }
    [[nodiscard]] std::string cpp_type(const field_spec& f) const {
        return nullable(f) ? "std::optional<" + value_cpp_type(f) + ">" : value_cpp_type(f);
    }

    // The initializer of a field's default value, or "" for a value-initialized one.
    [[nodiscard]] std::string default_initializer(const field_spec& f) const {
        const std::string& type = f.type;
        if (nullable(f)) {
            if (default_is_null(f) || type == "records") return "";
            if (type == "string" && f.default_value && !f.default_value->empty())
                return "std::string(" + quote(*f.default_value) + ")";
            return value_cpp_type(f) + "{}";
        }
        if (default_is_null(f))
            throw std::runtime_error(m_.name + ": field " + f.name + " defaults to null but is not nullable");
        if (f.is_array() || is_struct(f) || type == "bytes" || type == "records" || type == "uuid") return "";
        if (type == "string") return f.default_value && !f.default_value->empty() ? quote(*f.default_value) : "";
        if (type == "bool") {
            std::string v = f.default_value.value_or("false");
            std::transform(v.begin(), v.end(), v.begin(), ::tolower);
            if (v != "true" && v != "false") throw std::runtime_error(m_.name + ": bad bool default for " + f.name);
            return v;
        }
        std::string v = f.default_value.value_or("0");
        if (v.empty()) v = "0";
        if (type == "float64" && v.find('.') == std::string::npos && v.find('e') == std::string::npos) v += ".0";
        return v;
    }

    [[nodiscard]] std::string is_default(const field_spec& f, const std::string& expr) const {
        return "(" + expr + " == " + cpp_type(f) + "{" + default_initializer(f) + "})";
    }

    // A C++ condition on `version` for a range, relative to the message's valid versions.
    [[nodiscard]] std::string cond(const version_range& r) const {
        version_range in = r.intersect(m_.valid_versions);
        if (in.empty()) return "false";
        const bool lo = in.lo > m_.valid_versions.lo;
        const bool hi = in.hi < m_.valid_versions.hi;
        if (lo && hi) return "(version >= " + std::to_string(in.lo) + " && version <= " + std::to_string(in.hi) + ")";
        if (lo) return "version >= " + std::to_string(in.lo);
        if (hi) return "version <= " + std::to_string(in.hi);
        return "true";
    }
    [[nodiscard]] std::string nullable_cond(const field_spec& f) const { return cond(f.nullable_versions); }
    [[nodiscard]] bool null_always_allowed(const field_spec& f) const {
        return f.nullable_versions.covers(f.versions.intersect(m_.valid_versions));
    }
    [[nodiscard]] std::string flex_expr(const field_spec& f, bool tagged) const {
        if (tagged) return "true";
        return f.flexible_versions ? cond(*f.flexible_versions) : "flexible";
    }

    // ---- declarations -------------------------------------------------------------------

    void emit_struct_declaration(std::ostream& out, const std::string& name,
                                 const std::vector<field_spec>& fields, const std::string& indent) {
        out << indent << "struct " << name << " {\n";
        emit_struct_body(out, name, fields, indent + "    ");
        out << indent << "};\n\n";
    }

    void emit_struct_body(std::ostream& out, const std::string& name, const std::vector<field_spec>& fields,
                          const std::string& in) {
        for (const auto& f : fields) {
            std::string init = default_initializer(f);
            out << in << cpp_type(f) << " " << snake_case(f.name);
            if (!init.empty()) out << " = " << init;
            out << ";\n";
        }
        out << in << "unknown_tagged_fields unknown_tags;\n\n";
        out << in << "template <class Sink>\n" << in << "void write(Sink& sink, std::int16_t version) const;\n";
        out << in << "void read(wire_reader& reader, std::int16_t version);\n\n";
        out << in << "template <class Self, class Visitor>\n";
        out << in << "static void for_each_field([[maybe_unused]] Self& self, [[maybe_unused]] std::int16_t version, "
                     "[[maybe_unused]] Visitor&& visit) {\n";
        for (const auto& f : fields) {
            std::string present = cond(f.versions);
            std::string call = "visit(field_info{" + quote(f.name) + ", " + (nullable(f) ? nullable_cond(f) : "false") +
                               ", " + (f.is_tagged() ? "true" : "false") + ", " + (f.ignorable ? "true" : "false") + ", " +
                               (f.type == "records" ? "true" : "false") + "}, self." + snake_case(f.name) + ");";
            if (present == "true") {
                out << in << "    " << call << "\n";
            } else if (present != "false") {
                out << in << "    if (" << present << ") " << call << "\n";
            }
        }
        out << in << "}\n\n";
        out << in << "friend bool operator==(const " << name << "&, const " << name << "&) = default;\n";
    }

    // ---- writing ------------------------------------------------------------------------

    void emit_write_value(std::ostream& out, const field_spec& f, const std::string& x, const std::string& sink,
                          const std::string& flex, const std::string& in) const {
        const std::string null_check =
            null_always_allowed(f) ? "" : "if (!(" + nullable_cond(f) + ")) " + sink + ".fail(errc::invalid_field_value); ";
        if (f.is_array()) {
            const std::string items = nullable(f) ? "(*" + x + ")" : x;
            if (nullable(f)) out << in << "if (" << x << ") {\n";
            else out << in << "{\n";
            out << in << "    " << sink << ".write_length(static_cast<std::int64_t>(" << items << ".size()), " << flex
                << ", true);\n";
            out << in << "    for (const auto& item : " << items << ") ";
            if (is_struct(f)) out << "item.write(" << sink << ", version);\n";
            else emit_write_primitive(out, f.element_type(), "item", sink, flex);
            out << in << "}";
            if (nullable(f)) {
                out << " else {\n";
                if (!null_check.empty()) out << in << "    " << null_check << "\n";
                out << in << "    " << sink << ".write_length(-1, " << flex << ", true);\n" << in << "}";
            }
            out << "\n";
        } else if (is_struct(f)) {
            if (nullable(f)) {
                out << in << "if (" << x << ") {\n" << in << "    " << sink << ".write_int8(1);\n";
                out << in << "    " << x << "->write(" << sink << ", version);\n";
                out << in << "} else {\n";
                if (!null_check.empty()) out << in << "    " << null_check << "\n";
                out << in << "    " << sink << ".write_int8(-1);\n" << in << "}\n";
            } else {
                out << in << x << ".write(" << sink << ", version);\n";
            }
        } else if (is_string_like(f.type)) {
            const std::string kind = f.type == "string" ? "string" : "bytes";
            if (nullable(f)) {
                if (!null_check.empty()) out << in << "if (!" << x << ") { " << null_check << "}\n";
                out << in << sink << ".write_nullable_" << kind << "(" << x << ", " << flex << ");\n";
            } else {
                out << in << sink << ".write_" << kind << "(" << x << ", " << flex << ");\n";
            }
        } else {
            out << in;
            emit_write_primitive(out, f.type, x, sink, flex);
        }
    }

    static void emit_write_primitive(std::ostream& out, const std::string& type, const std::string& x,
                                     const std::string& sink, const std::string& flex) {
        if (type == "string") out << sink << ".write_string(" << x << ", " << flex << ");\n";
        else if (type == "bytes" || type == "records") out << sink << ".write_bytes(" << x << ", " << flex << ");\n";
        else out << sink << ".write_" << type << "(" << x << ");\n";
    }

    // A field the version lacks must hold its default, unless the schema lets it be dropped.
    void emit_absent_check(std::ostream& out, const field_spec& f, const std::string& present) const {
        if (f.ignorable || present == "true") return;
        const std::string check = "!" + is_default(f, member(f));
        out << "    if (" << (present == "false" ? check : "!(" + present + ") && " + check)
            << ") sink.fail(errc::invalid_field_value);\n";
    }

    void emit_write(std::ostream& out, const std::string& qualified, const std::vector<field_spec>& fields) const {
        out << "template <class Sink>\n";
        out << "void " << qualified << "::write(Sink& sink, [[maybe_unused]] std::int16_t version) const {\n";
        out << "    [[maybe_unused]] const bool flexible = " << cond(m_.flexible_versions) << ";\n";
        std::vector<const field_spec*> tagged;
        for (const auto& f : fields) {
            const std::string x = member(f);
            if (f.is_tagged()) {
                tagged.push_back(&f);
                emit_absent_check(out, f, cond(f.tagged_versions));
                continue;
            }
            const std::string present = cond(f.versions);
            if (present == "true") {
                emit_write_value(out, f, x, "sink", flex_expr(f, false), "    ");
            } else if (present == "false") {
                emit_absent_check(out, f, present);
            } else {
                out << "    if (" << present << ") {\n";
                emit_write_value(out, f, x, "sink", flex_expr(f, false), "        ");
                if (f.ignorable) {
                    out << "    }\n";
                } else {
                    out << "    } else if (!" << is_default(f, x) << ") {\n        sink.fail(errc::invalid_field_value);\n    }\n";
                }
            }
        }
        if (cond(m_.flexible_versions) == "false") {
            out << "}\n\n";
            return;
        }
        if (tagged.empty()) {
            out << "    if (flexible) detail::write_unknown_tags(sink, unknown_tags);\n}\n\n";
            return;
        }
        std::sort(tagged.begin(), tagged.end(), [](auto* a, auto* b) { return *a->tag < *b->tag; });
        out << "    if (flexible) {\n";
        out << "        std::uint32_t tag_count = static_cast<std::uint32_t>(unknown_tags.size());\n";
        for (const auto* f : tagged) {
            const std::string has = "has_" + snake_case(f->name);
            out << "        const bool " << has << " = " << cond(f->tagged_versions) << " && !" << is_default(*f, member(*f)) << ";\n";
            out << "        tag_count += " << has << " ? 1 : 0;\n";
        }
        out << "        sink.write_uvarint(tag_count);\n";
        out << "        std::size_t next_unknown = 0;\n";
        for (const auto* f : tagged) {
            out << "        next_unknown = detail::write_unknown_tags_below(sink, unknown_tags, next_unknown, " << *f->tag << ");\n";
            out << "        if (has_" << snake_case(f->name) << ") {\n";
            out << "            detail::write_tagged_field(sink, " << *f->tag << ", [&](auto& tagged_sink) {\n";
            emit_write_value(out, *f, member(*f), "tagged_sink", "true", "                ");
            out << "            });\n        }\n";
        }
        out << "        detail::write_unknown_tags_below(sink, unknown_tags, next_unknown, 0x100000000ULL);\n";
        out << "    }\n}\n\n";
    }

    // ---- reading ------------------------------------------------------------------------

    void emit_read_value(std::ostream& out, const field_spec& f, const std::string& x, const std::string& r,
                         const std::string& flex, const std::string& in) const {
        const std::string null_check =
            null_always_allowed(f) ? "" : "if (!(" + nullable_cond(f) + ")) " + r + ".fail(errc::malformed_frame); ";
        if (f.is_array()) {
            out << in << "{\n";
            out << in << "    const std::int64_t count = detail::read_array_length(" << r << ", " << flex << ", "
                << min_wire_size(f.element_type()) << ");\n";
            if (nullable(f)) {
                out << in << "    if (count < 0) {\n";
                if (!null_check.empty()) out << in << "        " << null_check << "\n";
                out << in << "        " << x << ".reset();\n";
                out << in << "    } else {\n" << in << "        auto& items = " << x << ".emplace();\n";
            } else {
                out << in << "    if (count < 0) {\n" << in << "        " << r << ".fail(errc::malformed_frame);\n";
                out << in << "    } else {\n" << in << "        auto& items = " << x << ";\n";
            }
            out << in << "        items.clear();\n";
            out << in << "        items.reserve(static_cast<std::size_t>(std::min<std::int64_t>(count, 1024)));\n";
            out << in << "        for (std::int64_t i = 0; i < count && " << r << ".ok(); ++i) ";
            if (is_struct(f)) out << "items.emplace_back().read(" << r << ", version);\n";
            else out << "items.push_back(" << read_primitive(f.element_type(), r, flex) << ");\n";
            out << in << "    }\n" << in << "}\n";
        } else if (is_struct(f)) {
            if (nullable(f)) {
                out << in << "if (" << r << ".read_int8() < 0) {\n";
                if (!null_check.empty()) out << in << "    " << null_check << "\n";
                out << in << "    " << x << ".reset();\n";
                // Assigned rather than emplace()d: clang rejects emplace() of a nested struct with
                // member initializers (its constructibility was fixed while the outer struct was
                // still incomplete).
                out << in << "} else {\n" << in << "    " << x << " = " << element_cpp_type(f) << "{};\n";
                out << in << "    " << x << "->read(" << r << ", version);\n" << in << "}\n";
            } else {
                out << in << x << ".read(" << r << ", version);\n";
            }
        } else if (is_string_like(f.type) && nullable(f)) {
            const std::string kind = f.type == "string" ? "string" : "bytes";
            out << in << x << " = " << r << ".read_nullable_" << kind << "(" << flex << ");\n";
            if (!null_check.empty()) out << in << "if (!" << x << ") { " << null_check << "}\n";
        } else {
            out << in << x << " = " << read_primitive(f.type, r, flex) << ";\n";
        }
    }

    static std::string read_primitive(const std::string& type, const std::string& r, const std::string& flex) {
        if (type == "string") return r + ".read_string(" + flex + ")";
        if (type == "bytes" || type == "records") return r + ".read_bytes(" + flex + ")";
        return r + ".read_" + type + "()";
    }

    void emit_read(std::ostream& out, const std::string& qualified, const std::vector<field_spec>& fields) const {
        out << "void " << qualified << "::read(wire_reader& reader, [[maybe_unused]] std::int16_t version) {\n";
        out << "    [[maybe_unused]] const bool flexible = " << cond(m_.flexible_versions) << ";\n";
        std::vector<const field_spec*> tagged;
        for (const auto& f : fields) {
            if (f.is_tagged()) {
                tagged.push_back(&f);
                continue;
            }
            const std::string present = cond(f.versions);
            if (present == "true") {
                emit_read_value(out, f, member(f), "reader", flex_expr(f, false), "    ");
            } else if (present != "false") {
                out << "    if (" << present << ") {\n";
                emit_read_value(out, f, member(f), "reader", flex_expr(f, false), "        ");
                out << "    }\n";
            }
        }
        if (cond(m_.flexible_versions) != "false" && tagged.empty()) {
            out << "    if (flexible) detail::read_unknown_tags(reader, unknown_tags);\n";
        } else if (cond(m_.flexible_versions) != "false") {
            out << "    if (flexible) {\n";
            out << "        const std::uint32_t tag_count = reader.read_uvarint();\n";
            out << "        for (std::uint32_t i = 0; i < tag_count && reader.ok(); ++i) {\n";
            out << "            const std::uint32_t tag = reader.read_uvarint();\n";
            out << "            const bytes_view data = reader.read_raw(reader.read_uvarint());\n";
            out << "            if (!reader.ok()) break;\n";
            {
                out << "            wire_reader field_reader(data);\n";
                out << "            switch (tag) {\n";
                for (const auto* f : tagged) {
                    out << "            case " << *f->tag << ":\n";
                    out << "                if (" << cond(f->tagged_versions) << ") {\n";
                    emit_read_value(out, *f, member(*f), "field_reader", "true", "                    ");
                    out << "                    if (!field_reader.ok() || !field_reader.at_end()) reader.fail(errc::malformed_frame);\n";
                    out << "                    continue;\n                }\n                break;\n";
                }
                out << "            default:\n                break;\n            }\n";
            }
            out << "            unknown_tags.push_back({tag, data});\n";
            out << "        }\n    }\n";
        }
        out << "}\n\n";
    }

    void emit_struct_definitions(std::ostream& out, const std::string& qualified, const std::vector<field_spec>& fields) {
        emit_write(out, qualified, fields);
        emit_read(out, qualified, fields);
        out << "template void " << qualified << "::write<size_counter>(size_counter&, std::int16_t) const;\n";
        out << "template void " << qualified << "::write<wire_writer>(wire_writer&, std::int16_t) const;\n\n";
    }

    const message_spec& m_;
    std::string cpp_name_;
    std::set<std::string> field_names_;
    std::map<std::string, const std::vector<field_spec>*> structs_;
    std::map<std::string, std::string> type_names_;
    std::vector<std::string> order_;
    std::set<std::string> visiting_;
};

} // namespace

emitted_message emit_message(const message_spec& message) { return message_emitter(message).run(); }

} // namespace kafkit::codegen
