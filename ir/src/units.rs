//! Units of quantities (LANGUAGE.md §4): which dimension a unit measures and its scale.

/// What a unit measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    Cpu,
    Size,
    Duration,
    Percent,
}

impl Dimension {
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Cpu => "cpu",
            Dimension::Size => "size",
            Dimension::Duration => "duration",
            Dimension::Percent => "percent",
        }
    }
}

/// The dimension of a unit and how many base units (millicores, bytes, milliseconds,
/// percent) one of it is.
pub fn unit(unit: &str) -> Option<(Dimension, f64)> {
    const KI: f64 = 1024.0;
    Some(match unit {
        "m" => (Dimension::Cpu, 1.0),
        "B" => (Dimension::Size, 1.0),
        "Ki" => (Dimension::Size, KI),
        "Mi" => (Dimension::Size, KI * KI),
        "Gi" => (Dimension::Size, KI * KI * KI),
        "Ti" => (Dimension::Size, KI * KI * KI * KI),
        "Pi" => (Dimension::Size, KI * KI * KI * KI * KI),
        "KB" => (Dimension::Size, 1e3),
        "MB" => (Dimension::Size, 1e6),
        "GB" => (Dimension::Size, 1e9),
        "TB" => (Dimension::Size, 1e12),
        "PB" => (Dimension::Size, 1e15),
        "ms" => (Dimension::Duration, 1.0),
        "s" => (Dimension::Duration, 1e3),
        "min" => (Dimension::Duration, 60e3),
        "h" => (Dimension::Duration, 3600e3),
        "d" => (Dimension::Duration, 86_400e3),
        "%" => (Dimension::Percent, 1.0),
        _ => return None,
    })
}

pub const ALL_UNITS: &str =
    "`m` (millicores); `Ki` `Mi` `Gi` `Ti` `KB` `MB` `GB` `TB` (sizes); `ms` `s` `min` `h` `d` (durations); `%`";

/// The literal a user most likely meant when writing `number unit` where `expected` was wanted.
pub fn likely_literal(number: &str, unit: &str, expected: Dimension) -> Option<String> {
    let found = self::unit(unit)?.0;
    match (found, expected) {
        // `512m` for memory: `m` was meant as mebibytes.
        (Dimension::Cpu, Dimension::Size) => Some(format!("{number}Mi")),
        // `2Gi` for cpu: cores were meant; `500Mi` for cpu: millicores were meant.
        (Dimension::Size, Dimension::Cpu) => match unit {
            "Mi" | "MB" => Some(format!("{number}m")),
            _ => Some(number.to_string()),
        },
        // `5m` for a timeout: minutes were meant.
        (Dimension::Cpu, Dimension::Duration) => Some(format!("{number}min")),
        // `30MB` for a duration: probably minutes.
        (Dimension::Size, Dimension::Duration) if unit == "MB" || unit == "Mi" => Some(format!("{number}min")),
        _ => None,
    }
}

/// A byte count in the largest binary unit that divides it, for messages: `512Mi`.
pub fn format_size(bytes: u64) -> String {
    for (suffix, scale) in [("Ti", 1u64 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)] {
        if bytes >= scale && bytes % scale == 0 {
            return format!("{}{suffix}", bytes / scale);
        }
    }
    format!("{bytes}B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_mistakes_suggest_the_intended_literal() {
        assert_eq!(likely_literal("512", "m", Dimension::Size).as_deref(), Some("512Mi"));
        assert_eq!(likely_literal("2", "Gi", Dimension::Cpu).as_deref(), Some("2"));
        assert_eq!(likely_literal("500", "Mi", Dimension::Cpu).as_deref(), Some("500m"));
        assert_eq!(likely_literal("5", "m", Dimension::Duration).as_deref(), Some("5min"));
        assert_eq!(format_size(512 << 20), "512Mi");
    }
}

/// A duration as a user would write it: `90s`, `5min`, `36h`, `7d`.
pub fn format_duration(ms: u64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "min"), (1_000, "s")];
    match UNITS.iter().find(|(size, _)| ms >= *size && ms % size == 0) {
        Some((size, unit)) => format!("{}{unit}", ms / size),
        None => format!("{ms}ms"),
    }
}
