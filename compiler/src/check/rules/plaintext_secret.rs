//! SEC104 `plaintext-secret`: a secret written as a plain string.
//!
//! A password in `vars` ends up in the plan's repository and in every generated output.
//! Fix (unsafe: the secret must then be stored): `secret("name")`.

use super::*;
use crate::ir::ValueKind;

pub static RULE: Rule = Rule { code: "SEC104", check: Check::Block(&["service", "worker", "job", "function"], check) };

const SECRET_WORDS: &[&str] =
    &["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL"];

pub fn looks_secret(key: &str) -> bool {
    let key = key.to_ascii_uppercase().replace('-', "_");
    SECRET_WORDS.iter().any(|word| key.contains(word))
}

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let maps = block.attr("vars").map(|it| &it.value).into_iter().chain(
        block.overrides.iter().flat_map(|it| it.attrs.iter()).filter(|it| it.name == "vars").map(|it| &it.value),
    );
    for vars in maps {
        let ValueKind::Map(entries) = &vars.kind else { continue };
        for entry in entries {
            if !looks_secret(&entry.key)
                || !matches!(entry.value.kind, ValueKind::String(_) | ValueKind::Interpolated(_))
            {
                continue;
            }
            let name = entry.key.to_ascii_lowercase().replace('_', "-");
            acc.push(
                diagnostic(
                    "SEC104",
                    format!("`{}` holds a secret as a plain string", entry.key),
                    ctx.path,
                    entry.value.range,
                )
                .label("written in plain text")
                .note("plain strings are committed with the plan and written into every output")
                .help(format!("store the value in the secret store and write `secret(\"{name}\")`"))
                .replace_with(
                    "Use a secret reference",
                    crate::diagnostics::Applicability::Unsafe,
                    format!("secret(\"{name}\")"),
                ),
            );
        }
    }
}
