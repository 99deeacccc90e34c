//! String formats the catalog gives attributes (`format = "cidr4"`): what a cloud, Kubernetes or
//! the ADR numbering would reject or misread if it were passed through as written.
//!
//! Each check returns why a text is not in its format; lowering reports it as P027 with an
//! example of a valid value, so `check` catches what `apply` would otherwise fail on.

use std::net::Ipv4Addr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An IPv4 network in CIDR notation with its host bits zero: `10.0.0.0/16`.
    Cidr4,
    /// A five-field cron schedule or a macro such as `@daily`, as a Kubernetes CronJob takes it.
    Cron,
    /// A calendar date `YYYY-MM-DD`.
    Date,
    /// A container image reference: `registry/path:tag` or `path@sha256:…`.
    Image,
    /// An HTTP path for a probe: starts with `/`, no spaces, quotes or control characters.
    HttpPath,
    /// A DNS name (optionally starting with `*.`): `api.shop.example`.
    Hostname,
    /// A Kubernetes label map: qualified-name keys, values of at most 63 characters.
    Label,
    /// A Kubernetes taint: `key=value:Effect` or `key:Effect`.
    Taint,
    /// A cloud tag map: keys of at most 128 characters, values of at most 256, no control
    /// characters.
    Tag,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        Some(match text {
            "cidr4" => Format::Cidr4,
            "cron" => Format::Cron,
            "date" => Format::Date,
            "image" => Format::Image,
            "http_path" => Format::HttpPath,
            "hostname" => Format::Hostname,
            "label" => Format::Label,
            "taint" => Format::Taint,
            "tag" => Format::Tag,
            _ => return None,
        })
    }

    /// What a value of this format is, for messages: "an IPv4 CIDR block".
    pub fn what(self) -> &'static str {
        match self {
            Format::Cidr4 => "an IPv4 CIDR block",
            Format::Cron => "a cron schedule",
            Format::Date => "a date",
            Format::Image => "a container image reference",
            Format::HttpPath => "an HTTP path",
            Format::Hostname => "a DNS name",
            Format::Label => "a Kubernetes label",
            Format::Taint => "a Kubernetes taint",
            Format::Tag => "a tag",
        }
    }

    pub fn example(self) -> &'static str {
        match self {
            Format::Cidr4 => "\"10.0.0.0/16\"",
            Format::Cron => "\"0 3 * * *\" (minute hour day-of-month month day-of-week)",
            Format::Date => "\"2026-01-20\"",
            Format::Image => "\"ghcr.io/acme/api:1.4.2\"",
            Format::HttpPath => "\"/healthz\"",
            Format::Hostname => "\"api.shop.example\"",
            Format::Label => "workload = \"batch\"",
            Format::Taint => "\"workload=batch:NoSchedule\"",
            Format::Tag => "team = \"payments\"",
        }
    }

    /// Why `text` is not in this format, or `None` when it is. Map formats check values here
    /// and keys with [`Format::check_key`].
    pub fn check(self, text: &str) -> Option<String> {
        if let Some(ch) = text.chars().find(|it| it.is_control()) {
            return Some(format!("it holds the control character {}", ch.escape_default()));
        }
        match self {
            Format::Cidr4 => cidr4(text),
            Format::Cron => cron(text),
            Format::Date => date(text),
            Format::Image => image(text),
            Format::HttpPath => http_path(text),
            Format::Hostname => hostname(text),
            Format::Label => (text.chars().count() > 63).then(|| "a label value is at most 63 characters".into()),
            Format::Taint => taint(text),
            Format::Tag => (text.chars().count() > 256).then(|| "a tag value is at most 256 characters".into()),
        }
    }

    /// Why a map key is not valid for this format (labels and tags).
    pub fn check_key(self, key: &str) -> Option<String> {
        if let Some(ch) = key.chars().find(|it| it.is_control()) {
            return Some(format!("the key holds the control character {}", ch.escape_default()));
        }
        match self {
            Format::Label => label_key(key),
            Format::Tag if key.is_empty() => Some("a tag key cannot be empty".into()),
            Format::Tag if key.chars().count() > 128 => Some("a tag key is at most 128 characters".into()),
            _ => None,
        }
    }
}

/// The IPv4 network of a CIDR block, when it is one: (address, prefix length).
pub fn parse_cidr4(text: &str) -> Option<(Ipv4Addr, u8)> {
    let (address, prefix) = text.split_once('/')?;
    let address: Ipv4Addr = address.parse().ok()?;
    let prefix: u8 = prefix.parse().ok().filter(|it| *it <= 32)?;
    Some((address, prefix))
}

/// The mask of a prefix length.
pub fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix))
    }
}

fn cidr4(text: &str) -> Option<String> {
    let Some((address, prefix)) = text.split_once('/') else {
        return Some("a CIDR block is an address and a prefix length, `address/prefix`".into());
    };
    if address.contains(':') {
        return Some("it is an IPv6 block; networks and subnets take IPv4 blocks".into());
    }
    let Ok(ip) = address.parse::<Ipv4Addr>() else {
        return Some(format!("`{address}` is not an IPv4 address (four numbers from 0 to 255)"));
    };
    let Some(prefix) = prefix.parse::<u8>().ok().filter(|it| *it <= 32) else {
        return Some(format!("`/{prefix}` is not a prefix length from /0 to /32"));
    };
    let network = u32::from(ip) & mask(prefix);
    if network != u32::from(ip) {
        return Some(format!("its host bits are set: the network is `{}/{prefix}`", Ipv4Addr::from(network)));
    }
    None
}

fn cron(text: &str) -> Option<String> {
    const MACROS: &[&str] = &["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
    let text = text.trim();
    if text.starts_with('@') {
        return (!MACROS.contains(&text)).then(|| format!("the macros are {}", MACROS.join(", ")));
    }
    let fields: Vec<&str> = text.split_whitespace().collect();
    if fields.len() != 5 {
        return Some(format!("it has {} fields; a schedule has 5", fields.len()));
    }
    const MONTHS: &[&str] = &["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
    let specs: [(&str, u32, u32, &[&str]); 5] = [
        ("minute", 0, 59, &[]),
        ("hour", 0, 23, &[]),
        ("day of the month", 1, 31, &[]),
        ("month", 1, 12, MONTHS),
        ("day of the week", 0, 7, DAYS),
    ];
    for (field, (name, low, high, names)) in fields.iter().zip(specs) {
        let number = |part: &str| -> Option<u32> {
            if let Some(index) = names.iter().position(|it| it.eq_ignore_ascii_case(part)) {
                return Some(index as u32 + low);
            }
            part.parse::<u32>().ok().filter(|it| (low..=high).contains(it))
        };
        for item in field.split(',') {
            let (range, step) = match item.split_once('/') {
                Some((range, step)) => (range, Some(step)),
                None => (item, None),
            };
            if let Some(step) = step {
                if !step.parse::<u32>().is_ok_and(|it| it > 0) {
                    return Some(format!("`{field}`: the step `/{step}` of the {name} is not a positive number"));
                }
            }
            let ok = match range {
                "*" | "?" => true,
                _ => match range.split_once('-') {
                    Some((a, b)) => matches!((number(a), number(b)), (Some(a), Some(b)) if a <= b),
                    None => number(range).is_some(),
                },
            };
            if !ok {
                return Some(format!("`{field}` is not a {name} from {low} to {high}"));
            }
        }
    }
    None
}

fn date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('-').collect();
    let valid_digits = parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(len, part)| part.len() == *len && part.bytes().all(|b| b.is_ascii_digit()));
    if !valid_digits {
        return Some("a date is written `YYYY-MM-DD`".into());
    }
    let (year, month, day): (u32, u32, u32) =
        (parts[0].parse().unwrap_or(0), parts[1].parse().unwrap_or(0), parts[2].parse().unwrap_or(0));
    if !(1..=12).contains(&month) {
        return Some(format!("there is no month {month}"));
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (day == 0 || day > days).then(|| format!("{year}-{month:02} has {days} days"))
}

fn image(text: &str) -> Option<String> {
    if text.is_empty() {
        return Some("it is empty".into());
    }
    if let Some(ch) = text.chars().find(|it| it.is_whitespace() || matches!(it, '"' | '\'' | '\\' | '$' | '`')) {
        return Some(format!("it holds `{}`", ch.escape_default()));
    }
    let (name, digest) = match text.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (text, None),
    };
    if let Some(digest) = digest {
        let valid = digest.split_once(':').is_some_and(|(algorithm, hex)| {
            !algorithm.is_empty() && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
        });
        if !valid {
            return Some(format!("`@{digest}` is not a digest such as `@sha256:<64 hex digits>`"));
        }
    }
    // A tag follows the last `:` after the last `/` (a `:` before it is a registry port).
    let last_slash = name.rfind('/').map_or(0, |it| it + 1);
    let (path, tag) = match name[last_slash..].rfind(':') {
        Some(colon) => (&name[..last_slash + colon], Some(&name[last_slash + colon + 1..])),
        None => (name, None),
    };
    if let Some(tag) = tag {
        let valid = !tag.is_empty()
            && tag.len() <= 128
            && tag.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            && !tag.starts_with(['.', '-']);
        if !valid {
            return Some(format!("`:{tag}` is not a tag (letters, digits, `_`, `.` and `-`, at most 128)"));
        }
    }
    let mut components = path.split('/');
    let first = components.next().unwrap_or("");
    // The first component is a registry when it has a `.` or `:` or is `localhost`.
    let registry = path.contains('/') && (first.contains(['.', ':']) || first == "localhost");
    let repository: Vec<&str> = if registry { components.collect() } else { path.split('/').collect() };
    if repository.is_empty() {
        return Some("it names a registry but no repository".into());
    }
    for component in repository {
        let valid = !component.is_empty()
            && component
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'-'))
            && component.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && component.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric());
        if !valid {
            return Some(format!(
                "`{component}` is not a repository path component (lowercase letters, digits and `.`, `_`, `-` between them)"
            ));
        }
    }
    None
}

fn http_path(text: &str) -> Option<String> {
    if !text.starts_with('/') {
        return Some("a path starts with `/`".into());
    }
    text.chars()
        .find(|it| it.is_whitespace() || matches!(it, '"' | '\'' | '\\' | '<' | '>' | '`'))
        .map(|ch| format!("it holds `{}`", ch.escape_default()))
}

fn hostname(text: &str) -> Option<String> {
    let name = text.strip_prefix("*.").unwrap_or(text);
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() {
        return Some("it is empty".into());
    }
    if name.len() > 253 {
        return Some("a DNS name is at most 253 characters".into());
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Some("it has an empty label (`..`)".into());
        }
        if label.len() > 63 {
            return Some(format!("`{label}` is longer than 63 characters"));
        }
        let valid = label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !valid {
            return Some(format!("`{label}` is not a DNS label (letters, digits and `-` between them)"));
        }
    }
    None
}

/// A Kubernetes qualified name: `[prefix/]name`, name at most 63 characters.
fn label_key(key: &str) -> Option<String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        if let Some(reason) = hostname(prefix) {
            return Some(format!("the prefix `{prefix}` is not a DNS name: {reason}"));
        }
    }
    let valid = !name.is_empty()
        && name.len() <= 63
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && name.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && name.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric());
    (!valid).then(|| {
        format!("`{name}` is not a label name (at most 63 letters, digits, `-`, `_` or `.`, starting and ending alphanumeric)")
    })
}

fn taint(text: &str) -> Option<String> {
    let Some((key_value, effect)) = text.rsplit_once(':') else {
        return Some("a taint is `key=value:Effect`".into());
    };
    if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
        return Some(format!("`{effect}` is not an effect: NoSchedule, PreferNoSchedule or NoExecute"));
    }
    let (key, value) = match key_value.split_once('=') {
        Some((key, value)) => (key, Some(value)),
        None => (key_value, None),
    };
    if let Some(reason) = label_key(key) {
        return Some(format!("the key: {reason}"));
    }
    match value {
        Some(value) if value.len() > 63 => Some("the value is at most 63 characters".into()),
        Some(value) if !value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) => {
            Some(format!("`{value}` is not a label value"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_accepts_the_valid_and_names_what_is_wrong() {
        let cases: &[(Format, &str, bool)] = &[
            (Format::Cidr4, "10.0.0.0/16", true),
            (Format::Cidr4, "10.0.0.0/99", false),
            (Format::Cidr4, "300.0.0.0/8", false),
            (Format::Cidr4, "fd00::/8", false),
            (Format::Cidr4, "10.0.0.1/16", false),
            (Format::Cron, "0 3 * * *", true),
            (Format::Cron, "*/15 0-6 1,15 JAN-MAR mon-fri", true),
            (Format::Cron, "@daily", true),
            (Format::Cron, "not a cron", false),
            (Format::Cron, "1 2 3 4 5 6 7 8 9", false),
            (Format::Cron, "99 99 99 99 99", false),
            (Format::Date, "2026-01-20", true),
            (Format::Date, "2024-02-29", true),
            (Format::Date, "2026-02-30", false),
            (Format::Date, "", false),
            (Format::Image, "ghcr.io/acme/api:1.4.2", true),
            (
                Format::Image,
                "localhost:5000/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                true,
            ),
            (Format::Image, "nginx", true),
            (Format::Image, "ghcr.io/acme/api:1.0\nevil", false),
            (Format::Image, "ghcr.io/Acme/api:1", false),
            (Format::HttpPath, "/healthz", true),
            (Format::HttpPath, "/health\"z", false),
            (Format::HttpPath, "healthz", false),
            (Format::Hostname, "api.shop.example", true),
            (Format::Hostname, "*.shop.example", true),
            (Format::Hostname, "api shop", false),
            (Format::Hostname, "-bad.example", false),
            (Format::Taint, "workload=batch:NoSchedule", true),
            (Format::Taint, "dedicated:NoExecute", true),
            (Format::Taint, "workload=batch", false),
            (Format::Taint, "workload=batch:Never", false),
        ];
        for (format, text, valid) in cases {
            assert_eq!(format.check(text).is_none(), *valid, "{format:?} {text:?}: {:?}", format.check(text));
        }
        assert!(Format::Label.check_key("app.kubernetes.io/name").is_none());
        assert!(Format::Label.check_key("bad\nkey").is_some());
        assert!(Format::Label.check_key("-bad").is_some());
        assert!(Format::Tag.check_key("cost_center").is_none());
        assert_eq!(Format::Cidr4.check("10.0.0.1/16").unwrap(), "its host bits are set: the network is `10.0.0.0/16`");
    }
}
