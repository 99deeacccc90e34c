//! SEC104 `plaintext-secret`: a secret written as a plain string.
//!
//! A password in `vars` ends up in the plan's repository and in every generated output.
//! Found by the variable's name (`DB_PASSWORD`) and, as secret scanners do, by the value
//! itself: a URL with a password, and the well-known token formats.
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

/// What kind of credential a value is, when its form gives it away.
pub fn credential_in(value: &str) -> Option<&'static str> {
    let token = |rest: &str, min: usize| {
        rest.len() >= min && rest.bytes().take(min).all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
    };
    if let Some((_, after)) = value.split_once("://") {
        let authority = after.split(['/', '?', '#']).next().unwrap_or("");
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            if userinfo.split_once(':').is_some_and(|(_, password)| !password.is_empty()) {
                return Some("a URL with a password");
            }
        }
    }
    const PREFIXED: &[(&str, usize, &str)] = &[
        ("sk_live_", 16, "a Stripe secret key"),
        ("rk_live_", 16, "a Stripe restricted key"),
        ("sk_test_", 16, "a Stripe test secret key"),
        ("ghp_", 36, "a GitHub personal access token"),
        ("gho_", 36, "a GitHub OAuth token"),
        ("ghu_", 36, "a GitHub user-to-server token"),
        ("ghs_", 36, "a GitHub server-to-server token"),
        ("ghr_", 36, "a GitHub refresh token"),
        ("github_pat_", 22, "a GitHub fine-grained token"),
        ("glpat-", 20, "a GitLab personal access token"),
        ("xoxb-", 10, "a Slack bot token"),
        ("xoxp-", 10, "a Slack user token"),
        ("xoxa-", 10, "a Slack app token"),
        ("npm_", 36, "an npm access token"),
        ("AIza", 35, "a Google API key"),
        ("sk-", 32, "an API secret key"),
    ];
    for word in value.split(|ch: char| ch.is_whitespace() || matches!(ch, '"' | '\'' | '=' | ',' | ';')) {
        for (prefix, min, what) in PREFIXED {
            if word.strip_prefix(prefix).is_some_and(|rest| token(rest, *min)) {
                return Some(what);
            }
        }
        // AWS access key IDs: AKIA (long-term) or ASIA (temporary) and 16 upper-case characters.
        if (word.starts_with("AKIA") || word.starts_with("ASIA"))
            && word.len() == 20
            && word.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Some("an AWS access key ID");
        }
    }
    if let Some(rest) = value.trim_start().strip_prefix("Bearer ").or_else(|| value.trim_start().strip_prefix("Basic "))
    {
        if rest.trim().len() >= 16 {
            return Some("an HTTP authorization credential");
        }
    }
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY") {
        return Some("a private key");
    }
    None
}

fn check(ctx: &RuleCtx<'_>, block: &Block, acc: &mut Vec<Diagnostic>) {
    let maps = block.attr("vars").map(|it| &it.value).into_iter().chain(
        block.overrides.iter().flat_map(|it| it.attrs.iter()).filter(|it| it.name == "vars").map(|it| &it.value),
    );
    for vars in maps {
        let ValueKind::Map(entries) = &vars.kind else { continue };
        for entry in entries {
            let by_value = match &entry.value.kind {
                ValueKind::String(text) => credential_in(text),
                _ => None,
            };
            let by_name = looks_secret(&entry.key)
                && matches!(entry.value.kind, ValueKind::String(_) | ValueKind::Interpolated(_));
            if !by_name && by_value.is_none() {
                continue;
            }
            let name = entry.key.to_ascii_lowercase().replace('_', "-");
            let message = match by_value {
                Some(what) => format!("`{}` holds {what} as a plain string", entry.key),
                None => format!("`{}` holds a secret as a plain string", entry.key),
            };
            acc.push(
                diagnostic("SEC104", message, ctx.path, entry.value.range)
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

#[cfg(test)]
mod tests {
    use super::credential_in;

    #[test]
    fn credentials_are_found_by_their_form() {
        let found = [
            ("postgres://app:hunter2@db.internal:5432/orders", "a URL with a password"),
            ("redis://:s3cret@cache:6379", "a URL with a password"),
            ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "a Stripe secret key"),
            ("ghp_0123456789abcdefghijABCDEFGHIJ012345", "a GitHub personal access token"),
            ("AKIAIOSFODNN7EXAMPLE", "an AWS access key ID"),
            ("Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", "an HTTP authorization credential"),
            ("xoxb-1234567890-abcdef", "a Slack bot token"),
            ("-----BEGIN RSA PRIVATE KEY-----\nMIIE", "a private key"),
        ];
        for (value, what) in found {
            assert_eq!(credential_in(value), Some(what), "{value}");
        }
        for value in ["https://api.example.com/v1", "postgres://app@db/orders", "AKIA", "sk_live_", "Bearer x", "debug"]
        {
            assert_eq!(credential_in(value), None, "{value}");
        }
    }
}
