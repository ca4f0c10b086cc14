// The scripts are three lookup functions generated from the tree, each a `case` on the
// command path typed so far (" topics create"): the subcommands there, the flags there, and
// which of those flags take a value; a small fixed driver walks the words typed, skipping
// flag values, and offers subcommands or flags.

#include "completion_script.hpp"

#include <CLI/CLI.hpp>

#include <vector>

namespace kafkit::admin_cli {
namespace {

struct entry {
    std::string name;
    std::string description;
};

struct node {
    std::string path; ///< " topics create"; "" for the root
    std::vector<entry> commands;
    std::vector<entry> flags;
    std::vector<std::string> valued_flags;
};

void collect(const CLI::App& app, const std::string& path, std::vector<node>& out) {
    node n;
    n.path = path;
    const auto subs = app.get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); });
    for (const auto* sub : subs) n.commands.push_back({sub->get_name(), sub->get_description()});
    for (const auto* opt : app.get_options([](const CLI::Option* o) { return o->nonpositional(); })) {
        std::vector<std::string> names;
        for (const auto& s : opt->get_snames()) names.push_back("-" + s);
        for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
        for (const auto& name : names) {
            n.flags.push_back({name, opt->get_description()});
            if (opt->get_expected_max() > 0) n.valued_flags.push_back(name); // flags expect 0 values
        }
    }
    out.push_back(std::move(n));
    for (const auto* sub : subs) collect(*sub, path + " " + sub->get_name(), out);
}

std::string single_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += "'\\''";
        else if (c == '\n') out += ' ';
        else out += c;
    }
    return out + "'";
}

std::string words(const std::vector<entry>& entries) {
    std::string out;
    for (const auto& e : entries) out += (out.empty() ? "" : " ") + e.name;
    return out;
}

std::string words(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
    return out;
}

/// The words as one single-quoted shell word; nothing when there are none.
template <class List>
std::string quoted_words(const List& list) {
    return list.empty() ? std::string() : single_quoted(words(list));
}

/// `name() { case "$1" in "PATH") printf '%s\n' VALUE;; ... esac; }` with one value per node.
template <class Value>
std::string lookup(const std::string& name, const std::vector<node>& nodes, Value value) {
    std::string out = name + "() {\n    case \"$1\" in\n";
    for (const auto& n : nodes) {
        const std::string v = value(n);
        if (!v.empty()) out += "        \"" + n.path + "\") printf '%s\\n' " + v + " ;;\n";
    }
    return out + "    esac\n}\n";
}

/// zsh's _describe wants "name:description"; a ':' inside the name is escaped.
std::string described(const std::vector<entry>& entries) {
    std::string out;
    for (const auto& e : entries) {
        std::string name;
        for (char c : e.name) name += c == ':' ? std::string("\\:") : std::string(1, c);
        out += (out.empty() ? "" : " ") + single_quoted(name + ":" + e.description);
    }
    return out;
}

std::string shared_lookups(const std::vector<node>& nodes, bool with_descriptions) {
    std::string out;
    out += lookup("_kafkit_commands", nodes, [](const node& n) { return quoted_words(n.commands); });
    out += lookup("_kafkit_valued_flags", nodes, [](const node& n) { return quoted_words(n.valued_flags); });
    if (with_descriptions) {
        out += lookup("_kafkit_command_descriptions", nodes, [](const node& n) { return described(n.commands); });
        out += lookup("_kafkit_flag_descriptions", nodes, [](const node& n) { return described(n.flags); });
    } else {
        out += lookup("_kafkit_flags", nodes, [](const node& n) { return quoted_words(n.flags); });
    }
    return out;
}

// Walks COMP_WORDS/words up to the cursor: a word naming a subcommand of the path so far
// extends it; a flag that takes a value skips the next word.
const char* const walk = R"sh(    local cmdpath="" i w
    for ((i = FIRST; i < LAST; i++)); do
        w="${WORDS[i]}"
        if [[ " $(_kafkit_valued_flags "$cmdpath") " == *" $w "* ]]; then
            ((i++))
        elif [[ " $(_kafkit_commands "$cmdpath") " == *" $w "* ]]; then
            cmdpath="$cmdpath $w"
        fi
    done
)sh";

std::string walk_for(const std::string& first, const std::string& last, const std::string& words_var) {
    std::string out = walk;
    auto replace = [&](const std::string& from, const std::string& to) {
        for (auto at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size())) out.replace(at, from.size(), to);
    };
    replace("FIRST", first);
    replace("LAST", last);
    replace("WORDS", words_var);
    return out;
}

} // namespace

std::string bash_completion(const CLI::App& root, const std::string& program) {
    std::vector<node> nodes;
    collect(root, "", nodes);
    std::string out = "# bash completion for " + program + ", generated by `" + program +
                      " completion bash`.\n# Load it with: source <(" + program + " completion bash)\n";
    out += shared_lookups(nodes, false);
    out += "_kafkit() {\n    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n";
    out += walk_for("1", "COMP_CWORD", "COMP_WORDS");
    out += R"sh(    # After a flag that takes a value: nothing of ours (-o default offers file names).
    if [[ " $(_kafkit_valued_flags "$cmdpath") " == *" $prev "* ]]; then
        COMPREPLY=()
        return 0
    fi
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$(_kafkit_flags "$cmdpath")" -- "$cur"))
    else
        COMPREPLY=($(compgen -W "$(_kafkit_commands "$cmdpath")" -- "$cur"))
    fi
}
)sh";
    out += "complete -o default -F _kafkit " + program + "\n";
    return out;
}

std::string zsh_completion(const CLI::App& root, const std::string& program) {
    std::vector<node> nodes;
    collect(root, "", nodes);
    std::string out = "#compdef " + program + "\n# zsh completion for " + program + ", generated by `" + program +
                      " completion zsh`.\n# Load it with: source <(" + program +
                      " completion zsh), or save it as _" + program + " in a directory of $fpath.\n";
    out += shared_lookups(nodes, true);
    out += "_kafkit() {\n";
    out += walk_for("2", "CURRENT", "words");
    out += R"sh(    if [[ " $(_kafkit_valued_flags "$cmdpath") " == *" ${words[CURRENT-1]} "* ]]; then
        _files
        return
    fi
    local -a choices
    if [[ "${words[CURRENT]}" == -* ]]; then
        choices=(${(f)"$(_kafkit_flag_descriptions "$cmdpath")"})
        _describe -t flags 'flag' choices
    else
        choices=(${(f)"$(_kafkit_command_descriptions "$cmdpath")"})
        (( ${#choices} )) && _describe -t commands 'command' choices || _files
    fi
}
if [[ "${funcstack[1]}" == "_kafkit" ]]; then
    _kafkit "$@"
else
    compdef _kafkit )sh" + program + R"sh(
fi
)sh";
    return out;
}

} // namespace kafkit::admin_cli
