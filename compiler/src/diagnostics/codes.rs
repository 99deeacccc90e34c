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

impl CodeInfo {
    /// The Markdown documentation page of this code.
    pub fn doc(&self) -> &'static str {
        crate::catalog::stdlib_file(&format!("docs/{}.md", self.code)).unwrap_or("")
    }
}

use Severity::*;

pub const CODES: &[CodeInfo] = &[
    CodeInfo { code: "P001", name: "syntax-error", severity: Error, summary: "the text does not follow the grammar" },
    CodeInfo { code: "P002", name: "invalid-utf8", severity: Error, summary: "a file is not valid UTF-8" },
    CodeInfo { code: "P003", name: "unknown-kind", severity: Error, summary: "a block kind the catalog does not know" },
    CodeInfo {
        code: "P004",
        name: "unknown-attribute",
        severity: Error,
        summary: "an attribute the block's kind does not have",
    },
    CodeInfo { code: "P005", name: "missing-attribute", severity: Error, summary: "a required attribute is not set" },
    CodeInfo { code: "P006", name: "type-mismatch", severity: Error, summary: "a value of the wrong type" },
    CodeInfo {
        code: "P007",
        name: "wrong-unit",
        severity: Error,
        summary: "a quantity in the unit of another quantity",
    },
    CodeInfo {
        code: "P008",
        name: "unknown-value",
        severity: Error,
        summary: "a value that is not one of the allowed values",
    },
    CodeInfo {
        code: "P009",
        name: "undeclared-name",
        severity: Error,
        summary: "a reference to a block that is not declared",
    },
    CodeInfo {
        code: "P010",
        name: "wrong-kind-reference",
        severity: Error,
        summary: "a reference to a block of the wrong kind",
    },
    CodeInfo {
        code: "P011",
        name: "unknown-output",
        severity: Error,
        summary: "a reference to an output the block does not have",
    },
    CodeInfo { code: "P012", name: "duplicate-name", severity: Error, summary: "two blocks with the same name" },
    CodeInfo {
        code: "P013",
        name: "duplicate-attribute",
        severity: Error,
        summary: "an attribute set twice in one block",
    },
    CodeInfo { code: "P014", name: "undeclared-env", severity: Error, summary: "an environment that is not declared" },
    CodeInfo {
        code: "P015",
        name: "duplicate-env-override",
        severity: Error,
        summary: "two overrides for the same environment in one block",
    },
    CodeInfo { code: "P016", name: "missing-plan", severity: Error, summary: "a workspace without a `plan` block" },
    CodeInfo {
        code: "P017",
        name: "multiple-plans",
        severity: Error,
        summary: "a workspace with more than one `plan` block",
    },
    CodeInfo {
        code: "P018",
        name: "inverted-range",
        severity: Error,
        summary: "a range whose low end is above its high end",
    },
    CodeInfo {
        code: "P019",
        name: "invalid-name",
        severity: Error,
        summary: "a block name that is missing or not an identifier",
    },
    CodeInfo {
        code: "P020",
        name: "misplaced-item",
        severity: Error,
        summary: "a block or attribute where it cannot stand",
    },
    CodeInfo {
        code: "P021",
        name: "invalid-literal",
        severity: Error,
        summary: "a number, quantity or amount that cannot be read",
    },
    CodeInfo {
        code: "P022",
        name: "unknown-function",
        severity: Error,
        summary: "a call to a function that does not exist, or with the wrong arguments",
    },
];

pub fn code_info(code: &str) -> Option<&'static CodeInfo> {
    let code = code.to_ascii_uppercase();
    CODES.iter().find(|info| info.code == code || info.name == code.to_ascii_lowercase())
}
