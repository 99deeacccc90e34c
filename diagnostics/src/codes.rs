//! Every diagnostic code, its kebab-case name, default severity and documentation page.
//!
//! Codes are stable and never reused. The page of a code is `stdlib/docs/<CODE>.md`; a test
//! fails when a code has no page or a page has no code.

use super::Severity;

#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/code_docs.rs"));

impl CodeInfo {
    /// The Markdown documentation page of this code.
    pub fn doc(&self) -> &'static str {
        CODE_DOCS.binary_search_by(|(code, _)| (*code).cmp(self.code)).map_or("", |at| CODE_DOCS[at].1)
    }
}

/// Every documentation page by code, sorted: for the test that every page documents a code.
pub fn documented_codes() -> impl Iterator<Item = &'static str> {
    CODE_DOCS.iter().map(|(code, _)| *code)
}

use Severity::*;

#[rustfmt::skip]
pub const CODES: &[CodeInfo] = &[
    // P0xx: syntax, names and types.
    CodeInfo { code: "P001", name: "syntax-error", severity: Error, summary: "the text does not follow the grammar" },
    CodeInfo { code: "P002", name: "invalid-utf8", severity: Error, summary: "a file is not valid UTF-8" },
    CodeInfo { code: "P003", name: "unknown-kind", severity: Error, summary: "a block kind the catalog does not know" },
    CodeInfo { code: "P004", name: "unknown-attribute", severity: Error, summary: "an attribute the block's kind does not have" },
    CodeInfo { code: "P005", name: "missing-attribute", severity: Error, summary: "a required attribute is not set" },
    CodeInfo { code: "P006", name: "type-mismatch", severity: Error, summary: "a value of the wrong type" },
    CodeInfo { code: "P007", name: "wrong-unit", severity: Error, summary: "a quantity in the unit of another quantity" },
    CodeInfo { code: "P008", name: "unknown-value", severity: Error, summary: "a value that is not one of the allowed values" },
    CodeInfo { code: "P009", name: "undeclared-name", severity: Error, summary: "a reference to a block that is not declared" },
    CodeInfo { code: "P010", name: "wrong-kind-reference", severity: Error, summary: "a reference to a block of the wrong kind" },
    CodeInfo { code: "P011", name: "unknown-output", severity: Error, summary: "a reference to an output the block does not have" },
    CodeInfo { code: "P012", name: "duplicate-name", severity: Error, summary: "two blocks with the same name" },
    CodeInfo { code: "P013", name: "duplicate-attribute", severity: Error, summary: "an attribute set twice in one block" },
    CodeInfo { code: "P014", name: "undeclared-env", severity: Error, summary: "an environment that is not declared" },
    CodeInfo { code: "P015", name: "duplicate-env-override", severity: Error, summary: "two overrides for the same environment in one block" },
    CodeInfo { code: "P016", name: "missing-plan", severity: Error, summary: "a workspace without a `plan` block" },
    CodeInfo { code: "P017", name: "multiple-plans", severity: Error, summary: "a workspace with more than one `plan` block" },
    CodeInfo { code: "P018", name: "inverted-range", severity: Error, summary: "a range whose low end is above its high end" },
    CodeInfo { code: "P019", name: "invalid-name", severity: Error, summary: "a block name that is missing or not an identifier" },
    CodeInfo { code: "P020", name: "misplaced-item", severity: Error, summary: "a block or attribute where it cannot stand" },
    CodeInfo { code: "P021", name: "invalid-literal", severity: Error, summary: "a number, quantity or amount that cannot be read" },
    CodeInfo { code: "P022", name: "unknown-function", severity: Error, summary: "a call to a function that does not exist, or with the wrong arguments" },
    CodeInfo { code: "P023", name: "unknown-code", severity: Error, summary: "a policy names a diagnostic code that does not exist" },
    CodeInfo { code: "P024", name: "ineffective-ignore", severity: Warning, summary: "a `planc:ignore` comment that cannot work or no longer silences anything" },
    CodeInfo { code: "P025", name: "reference-in-plain-string", severity: Error, summary: "an output referenced in an attribute that takes plain text" },
    CodeInfo { code: "P026", name: "ineffective-attribute", severity: Warning, summary: "a value that has no effect because of another value" },
    CodeInfo { code: "P027", name: "invalid-format", severity: Error, summary: "a string that is not in its attribute's format (CIDR block, cron schedule, date, image, path, DNS name, label, taint, tag)" },
    CodeInfo { code: "P028", name: "invalid-rename", severity: Error, summary: "a `renamed_from` that names a block that still exists, the block itself, or no valid name" },
    // SEC1xx: security.
    CodeInfo { code: "P029", name: "duplicate-singleton", severity: Error, summary: "a second `policy` or `monitoring` block, which would be ignored" },
    CodeInfo { code: "SEC101", name: "public-database", severity: Error, summary: "a database reachable from the internet" },
    CodeInfo { code: "SEC102", name: "unpinned-image", severity: Warning, summary: "a container image without a pinned version" },
    CodeInfo { code: "SEC103", name: "public-bucket", severity: Error, summary: "a storage bucket that anyone can read" },
    CodeInfo { code: "SEC104", name: "plaintext-secret", severity: Error, summary: "a secret written as a plain string" },
    CodeInfo { code: "SEC105", name: "gateway-without-waf", severity: Warning, summary: "a production gateway without a web application firewall" },
    CodeInfo { code: "SEC106", name: "tls-disabled", severity: Error, summary: "a gateway that serves plain HTTP" },
    CodeInfo { code: "SEC107", name: "public-cluster-endpoint", severity: Warning, summary: "a Kubernetes API endpoint open to the internet" },
    CodeInfo { code: "SEC108", name: "image-scanning-disabled", severity: Warning, summary: "a registry that does not scan images on push" },
    CodeInfo { code: "SEC109", name: "root-container", severity: Warning, summary: "a container that runs as root" },
    CodeInfo { code: "SEC110", name: "missing-required-tag", severity: Warning, summary: "a resource without a tag the policy requires" },
    CodeInfo { code: "SEC111", name: "flow-logs-disabled", severity: Warning, summary: "a production network without flow logs" },
    CodeInfo { code: "SEC112", name: "public-vm", severity: Warning, summary: "a virtual machine with a public IP address" },
    CodeInfo { code: "SEC113", name: "open-to-internet", severity: Error, summary: "a network rule that opens a database, a cache or SSH to the internet" },
    CodeInfo { code: "SEC114", name: "allow-overlaps-deny", severity: Warning, summary: "a network allow rule whose sources a deny rule blocks" },
    // REL2xx: reliability.
    CodeInfo { code: "SEC115", name: "region-not-allowed", severity: Error, summary: "a resource or a copy of its data in a region the policy does not allow" },
    CodeInfo { code: "REL201", name: "production-database-without-ha", severity: Error, summary: "a production database without a standby" },
    CodeInfo { code: "REL202", name: "short-backup-retention", severity: Error, summary: "a production database keeping backups for less than 7 days" },
    CodeInfo { code: "REL203", name: "single-replica-in-production", severity: Error, summary: "a production workload that can run a single replica" },
    CodeInfo { code: "REL204", name: "missing-health-check", severity: Warning, summary: "a service without liveness or readiness probes" },
    CodeInfo { code: "REL205", name: "unschedulable-workload", severity: Error, summary: "a workload whose requests do not fit on any node of its cluster" },
    CodeInfo { code: "REL206", name: "cluster-over-capacity", severity: Error, summary: "a cluster too small for the workloads placed on it" },
    CodeInfo { code: "REL207", name: "queue-without-dead-letter", severity: Warning, summary: "a queue without a dead-letter queue" },
    CodeInfo { code: "REL208", name: "single-zone-network", severity: Warning, summary: "a production network in a single availability zone" },
    CodeInfo { code: "REL209", name: "job-without-timeout", severity: Warning, summary: "a job that may run forever" },
    CodeInfo { code: "REL210", name: "single-node-cache", severity: Warning, summary: "a production cache with a single node" },
    CodeInfo { code: "REL211", name: "dead-letter-loop", severity: Error, summary: "a queue that is its own dead-letter queue" },
    CodeInfo { code: "REL212", name: "misplaced-workload", severity: Error, summary: "a workload on a node pool of another cluster, or on a cluster whose every pool taints it away" },
    CodeInfo { code: "REL213", name: "impossible-rollout", severity: Error, summary: "an update strategy, autoscaling behaviour or disruption budget that cannot work" },
    CodeInfo { code: "REL214", name: "disruption-blocks-drains", severity: Warning, summary: "a disruption budget that lets no pod be evicted, so node drains hang" },
    CodeInfo { code: "REL215", name: "destroy-on-rename", severity: Warning, summary: "a build that would destroy resources and create the same types under new names, without `moved` blocks (reported by `planc build`)" },
    // COST3xx: cost and budgets.
    CodeInfo { code: "REL216", name: "dr-objective-unmet", severity: Error, summary: "a database, bucket or cache that cannot meet the plan's recovery point or time objective" },
    CodeInfo { code: "REL217", name: "invalid-dr", severity: Error, summary: "a disaster-recovery setting that cannot work: no or the same region, a recovery time the strategy cannot deliver" },
    CodeInfo { code: "COST301", name: "over-budget", severity: Error, summary: "the estimated monthly cost exceeds the budget even at its low end" },
    CodeInfo { code: "COST302", name: "budget-at-risk", severity: Warning, summary: "the estimated monthly cost can exceed the budget at its high end" },
    CodeInfo { code: "COST303", name: "near-budget", severity: Warning, summary: "the estimated monthly cost reaches 80% of the budget" },
    CodeInfo { code: "COST304", name: "unknown-price", severity: Warning, summary: "a resource the price tables cannot price" },
    CodeInfo { code: "COST305", name: "ha-outside-production", severity: Info, summary: "high availability paid for in a non-production environment" },
    // ARCH4xx: architecture patterns.
    CodeInfo { code: "ARCH401", name: "pattern-missing-component", severity: Warning, summary: "the plan's pattern needs a component the plan does not have" },
    CodeInfo { code: "ARCH402", name: "shared-database", severity: Warning, summary: "one database used by several services in a microservices plan" },
    CodeInfo { code: "ARCH403", name: "cluster-without-network", severity: Warning, summary: "a cluster that is not placed in a declared network" },
    CodeInfo { code: "ARCH404", name: "route-to-unexposed-service", severity: Error, summary: "a gateway route to a service that is not exposed" },
    // CAT5xx: catalog.
    CodeInfo { code: "CAT501", name: "unknown-tier", severity: Error, summary: "an instance class or tier the catalog does not know" },
    CodeInfo { code: "CAT502", name: "version-not-offered", severity: Error, summary: "a version the cloud does not offer" },
    CodeInfo { code: "CAT503", name: "not-sold-in-region", severity: Error, summary: "an instance class the cloud does not sell in the region" },
    CodeInfo { code: "CAT504", name: "engine-not-offered", severity: Error, summary: "an engine the cloud does not offer as a managed service" },
    CodeInfo { code: "CAT505", name: "kubernetes-extended-support", severity: Warning, summary: "a Kubernetes version past the provider's standard support" },
    CodeInfo { code: "CAT506", name: "unknown-region", severity: Error, summary: "a region the cloud does not have" },
    CodeInfo { code: "CAT507", name: "runtime-not-offered", severity: Error, summary: "a function runtime the cloud does not offer" },
    CodeInfo { code: "CAT508", name: "unrepresentable-value", severity: Error, summary: "a value the target cloud cannot take as written" },
    CodeInfo { code: "CAT509", name: "not-supported-on-cloud", severity: Error, summary: "an attribute the compiler does not build on this cloud" },
    CodeInfo { code: "CAT510", name: "invalid-terraform", severity: Error, summary: "a `terraform` override or raw resource the provider's schema does not accept" },
    // ADR6xx: decisions.
    CodeInfo { code: "CAT511", name: "invalid-record", severity: Error, summary: "a DNS record no provider accepts: no answer or two, a CNAME at the apex or with several names, a malformed address" },
    CodeInfo { code: "OBS701", name: "unknown-metric", severity: Error, summary: "an alert on a metric the watched block does not have on its cloud" },
    CodeInfo { code: "OBS702", name: "invalid-alert", severity: Error, summary: "an alert without one threshold in its metric's unit, or a `for` the cloud cannot evaluate" },
    CodeInfo { code: "OBS703", name: "needs-prometheus", severity: Error, summary: "an alert or SLO on a workload while Prometheus does not evaluate alerts" },
    CodeInfo { code: "OBS704", name: "alert-without-notify", severity: Warning, summary: "an alert or SLO that notifies nobody" },
    CodeInfo { code: "OBS705", name: "invalid-slo", severity: Error, summary: "an SLO objective, window or target that cannot be built" },
    CodeInfo { code: "OBS706", name: "log-retention-not-offered", severity: Error, summary: "a log retention the cloud's log store does not offer" },
    CodeInfo { code: "MIG801", name: "phase-cycle", severity: Error, summary: "phases of a migration that wait for each other" },
    CodeInfo { code: "MIG802", name: "missing-rollback", severity: Error, summary: "a migration phase before the last rollback point that does not say how it is undone" },
    CodeInfo { code: "MIG803", name: "incompatible-migration", severity: Error, summary: "a migration between blocks of unrelated kinds, or from a block to itself" },
    CodeInfo { code: "MIG804", name: "unused-migration-target", severity: Warning, summary: "a migration to a block that nothing in the plan uses" },
    CodeInfo { code: "MIG805", name: "migration-over-budget", severity: Warning, summary: "an environment over its budget only while a migration runs both sides" },
    CodeInfo { code: "ADR601", name: "chosen-not-an-option", severity: Error, summary: "a decision whose chosen option is missing or is not one of its options" },
    CodeInfo { code: "ADR602", name: "affects-nothing", severity: Error, summary: "a decision that affects a block that does not exist" },
    CodeInfo { code: "ADR603", name: "superseded-without-successor", severity: Error, summary: "a superseded decision that does not name its successor" },
    CodeInfo { code: "ADR604", name: "chosen-not-top-scored", severity: Warning, summary: "a chosen option that is not the top-scored one, without a rationale" },
    CodeInfo { code: "ADR605", name: "duplicate-adr-number", severity: Error, summary: "two decisions with the same ADR number" },
    CodeInfo { code: "ADR606", name: "score-out-of-range", severity: Error, summary: "a weight or score outside 1 to 10" },
    CodeInfo { code: "ADR607", name: "unscored-criterion", severity: Warning, summary: "an option that does not score every criterion, or scores an unknown one" },
];

pub fn code_info(code: &str) -> Option<&'static CodeInfo> {
    // Called for every diagnostic rendered, with a code as the table spells it: look that up
    // in a map. A user's spelling (`planc explain p001`, a name) falls back to the scan.
    static BY_CODE: std::sync::OnceLock<std::collections::HashMap<&'static str, &'static CodeInfo>> =
        std::sync::OnceLock::new();
    let by_code = BY_CODE.get_or_init(|| CODES.iter().map(|info| (info.code, info)).collect());
    if let Some(info) = by_code.get(code) {
        return Some(info);
    }
    CODES.iter().find(|info| info.code.eq_ignore_ascii_case(code) || info.name.eq_ignore_ascii_case(code))
}
