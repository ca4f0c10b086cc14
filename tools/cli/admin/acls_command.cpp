// `kafkit acls list|create|delete`: kafka-acls.sh's --list, --add and --remove
// (DescribeAcls, CreateAcls, DeleteAcls). A command's bindings or filters are every
// combination of the resources, principals, hosts and operations given.

#include "command_tree.hpp"
#include "kafka_names.hpp"
#include "text_table.hpp"
#include "usage_error.hpp"

#include "kafkit/admin_client.hpp"

#include <memory>
#include <set>

namespace kafkit::admin_cli {
namespace {

using admin::acl_binding;
using admin::acl_binding_filter;

enum class acl_command { list, create, delete_ };

struct acl_flags {
    bool allow = false;
    bool deny = false;
    std::vector<std::string> principals;
    std::vector<std::string> hosts;
    std::vector<std::string> operations;
    std::vector<std::string> topics;
    std::vector<std::string> groups;
    std::vector<std::string> transactional_ids;
    bool cluster = false;
    std::string pattern;
};

struct resource {
    admin::resource_type type;
    std::string name;
};

std::vector<resource> resources_of(const acl_flags& f) {
    std::vector<resource> out;
    for (const auto& t : f.topics) out.push_back({admin::resource_type::topic, t});
    for (const auto& g : f.groups) out.push_back({admin::resource_type::group, g});
    for (const auto& x : f.transactional_ids) out.push_back({admin::resource_type::transactional_id, x});
    if (f.cluster) out.push_back({admin::resource_type::cluster, "kafka-cluster"}); // Kafka's one cluster resource
    return out;
}

std::vector<admin::acl_operation> operations_of(const acl_flags& f) {
    std::vector<admin::acl_operation> out;
    for (const auto& text : f.operations) {
        const auto op = parse_acl_operation(text);
        if (!op) throw usage_error("--operation: unknown operation '" + text + "'");
        out.push_back(*op);
    }
    return out;
}

void check_principals(const acl_flags& f) {
    for (const auto& p : f.principals)
        if (p.find(':') == std::string::npos || p.front() == ':')
            throw usage_error("--principal: TYPE:NAME (User:alice), not '" + p + "'");
}

admin::pattern_type pattern_of(const acl_flags& f, acl_command command, bool named_resource) {
    if (f.pattern.empty()) {
        if (command == acl_command::create) return admin::pattern_type::literal;
        // Deleting by name removes the literal bindings of that name, as kafka-acls.sh --remove.
        return command == acl_command::delete_ && named_resource ? admin::pattern_type::literal : admin::pattern_type::any;
    }
    const auto p = parse_pattern_type(f.pattern);
    if (!p) throw usage_error("--pattern: literal, prefixed, match or any, not '" + f.pattern + "'");
    if (command == acl_command::create && *p != admin::pattern_type::literal && *p != admin::pattern_type::prefixed)
        throw usage_error("--pattern: a binding is literal or prefixed");
    return *p;
}

admin::acl_permission_type permission_of(const acl_flags& f) {
    if (f.allow) return admin::acl_permission_type::allow;
    if (f.deny) return admin::acl_permission_type::deny;
    return admin::acl_permission_type::any;
}

std::string binding_text(const acl_binding& b) {
    return std::string(resource_type_name(b.pattern.type)) + ":" + std::string(pattern_type_name(b.pattern.pattern)) +
           ":" + b.pattern.name + " " + b.entry.principal + "@" + b.entry.host + " " +
           std::string(acl_operation_name(b.entry.operation)) + " " + std::string(permission_name(b.entry.permission));
}

nlohmann::json bindings_json(const std::set<acl_binding>& bindings) {
    auto out = nlohmann::json::array();
    for (const auto& b : bindings)
        out.push_back({{"resource_type", resource_type_name(b.pattern.type)},
                       {"resource_name", b.pattern.name},
                       {"pattern_type", pattern_type_name(b.pattern.pattern)},
                       {"principal", b.entry.principal},
                       {"host", b.entry.host},
                       {"operation", acl_operation_name(b.entry.operation)},
                       {"permission", permission_name(b.entry.permission)}});
    return out;
}

std::string bindings_table(const std::set<acl_binding>& bindings) {
    text_table table({"RESOURCE-TYPE", "RESOURCE-NAME", "PATTERN-TYPE", "PRINCIPAL", "HOST", "OPERATION", "PERMISSION"});
    for (const auto& b : bindings)
        table.add({std::string(resource_type_name(b.pattern.type)), b.pattern.name,
                   std::string(pattern_type_name(b.pattern.pattern)), b.entry.principal, b.entry.host,
                   std::string(acl_operation_name(b.entry.operation)), std::string(permission_name(b.entry.permission))});
    return table.render();
}

void print_bindings(admin_session& s, const char* key, const std::set<acl_binding>& bindings) {
    if (s.json()) s.print_json({{key, bindings_json(bindings)}});
    else if (!bindings.empty()) admin_session::print_text(bindings_table(bindings));
}

/// `values`, or one unset value standing for "any" when it is empty.
std::vector<std::optional<std::string>> or_any(const std::vector<std::string>& values) {
    if (values.empty()) return {std::nullopt};
    return {values.begin(), values.end()};
}

std::vector<acl_binding_filter> filters_of(const acl_flags& f, acl_command command) {
    check_principals(f);
    const auto resources = resources_of(f);
    if (command == acl_command::delete_ && resources.empty() && f.principals.empty())
        throw usage_error("name what to delete: --topic, --group, --cluster, --transactional-id or --principal");
    const auto pattern = pattern_of(f, command, !resources.empty());
    auto operations = operations_of(f);
    if (operations.empty()) operations.push_back(admin::acl_operation::any);
    std::vector<std::optional<resource>> targets(resources.begin(), resources.end());
    if (targets.empty()) targets.emplace_back();
    std::vector<acl_binding_filter> out;
    for (const auto& target : targets)
        for (const auto& principal : or_any(f.principals))
            for (const auto& host : or_any(f.hosts))
                for (auto op : operations) {
                    acl_binding_filter filter;
                    if (target) {
                        filter.type = target->type;
                        filter.name = target->name;
                    }
                    filter.pattern = pattern;
                    filter.principal = principal;
                    filter.host = host;
                    filter.operation = op;
                    filter.permission = permission_of(f);
                    out.push_back(filter);
                }
    return out;
}

int run_list(admin_session& s, const acl_flags& f) {
    std::set<acl_binding> found;
    for (const auto& filter : filters_of(f, acl_command::list)) {
        const auto bindings = s.admin().describe_acls(filter, s.call<admin::acl_options>()).get();
        found.insert(bindings.begin(), bindings.end());
    }
    print_bindings(s, "acls", found);
    return exit_success;
}

int run_create(admin_session& s, const acl_flags& f) {
    check_principals(f);
    if (f.allow == f.deny) throw usage_error("give --allow or --deny");
    if (f.principals.empty()) throw usage_error("give --principal TYPE:NAME (repeatable)");
    const auto operations = operations_of(f);
    if (operations.empty()) throw usage_error("give --operation (repeatable): Read, Write, Create, Describe, All, ...");
    const auto resources = resources_of(f);
    if (resources.empty()) throw usage_error("give --topic, --group, --cluster or --transactional-id");
    const auto pattern = pattern_of(f, acl_command::create, true);
    const std::vector<std::string> hosts = f.hosts.empty() ? std::vector<std::string>{"*"} : f.hosts;
    std::vector<acl_binding> bindings;
    for (const auto& r : resources)
        for (const auto& principal : f.principals)
            for (const auto& host : hosts)
                for (auto op : operations)
                    bindings.push_back({{r.type, r.name, pattern}, {principal, host, op, permission_of(f)}});
    const auto created = s.admin().create_acls(bindings, s.call<admin::acl_options>());
    std::set<acl_binding> done;
    for (const auto& [binding, future] : created.values())
        if (s.succeeded(future, binding_text(binding))) done.insert(binding);
    print_bindings(s, "created", done);
    return exit_success;
}

int run_delete(admin_session& s, const acl_flags& f) {
    const auto deleted = s.admin().delete_acls(filters_of(f, acl_command::delete_), s.call<admin::acl_options>());
    std::set<acl_binding> done;
    for (const auto& [filter, future] : deleted.values())
        if (const auto bindings = s.take(future, "ACL filter")) done.insert(bindings->begin(), bindings->end());
    print_bindings(s, "deleted", done);
    return exit_success;
}

void add_acl_flags(CLI::App& c, acl_flags& f, acl_command command) {
    const bool create = command == acl_command::create;
    auto* allow = c.add_flag("--allow", f.allow, create ? "allow the operations" : "only bindings that allow");
    auto* deny = c.add_flag("--deny", f.deny, create ? "deny the operations" : "only bindings that deny");
    allow->excludes(deny);
    one_per_flag(c.add_option("--principal", f.principals, "TYPE:NAME, e.g. User:alice (repeatable)"));
    one_per_flag(c.add_option("--host", f.hosts, create ? "the host the principal connects from (default *; repeatable)"
                                                        : "the host (repeatable)"));
    one_per_flag(c.add_option("--operation", f.operations,
                              "Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, "
                              "AlterConfigs, IdempotentWrite, All (repeatable)"));
    one_per_flag(c.add_option("--topic", f.topics, "a topic resource (repeatable)"));
    one_per_flag(c.add_option("--group", f.groups, "a consumer group resource (repeatable)"));
    c.add_flag("--cluster", f.cluster, "the cluster resource");
    one_per_flag(c.add_option("--transactional-id", f.transactional_ids, "a transactional id resource (repeatable)"));
    c.add_option("--pattern,--resource-pattern-type", f.pattern,
                 create ? "literal (default) or prefixed: how the resource name matches"
                        : "literal, prefixed, match (the bindings that apply to the name) or any (default for list)");
}

} // namespace

void add_acls_commands(command_tree& tree) {
    CLI::App* acls = tree.add(tree.root(), "acls", "list, create and delete access control lists");

    auto list = std::make_shared<acl_flags>();
    CLI::App* l = tree.add_admin(*acls, "list", "the ACL bindings matching the filters (all without any)",
                                 "kafkit acls list --topic orders --pattern match",
                                 [list](admin_session& s) { return run_list(s, *list); });
    add_acl_flags(*l, *list, acl_command::list);

    auto create = std::make_shared<acl_flags>();
    CLI::App* c = tree.add_admin(*acls, "create", "create ACL bindings",
                                 "kafkit acls create --allow --principal User:alice --operation Read --topic orders",
                                 [create](admin_session& s) { return run_create(s, *create); });
    add_acl_flags(*c, *create, acl_command::create);

    auto del = std::make_shared<acl_flags>();
    CLI::App* d = tree.add_admin(*acls, "delete", "delete the ACL bindings matching the filters",
                                 "kafkit acls delete --principal User:alice --topic orders",
                                 [del](admin_session& s) { return run_delete(s, *del); });
    add_acl_flags(*d, *del, acl_command::delete_);
}

} // namespace kafkit::admin_cli
