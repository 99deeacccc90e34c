//! Suggestions by shape, not spelling: for a class the catalog does not know on a cloud, the
//! classes of that cloud closest to what was meant.
//!
//! What was meant is the class of that name on another cloud (a transcription: `m5.xlarge` on
//! azure), else the known class nearest in spelling (a typo: `m5.xlarg`). Candidates keep its
//! CPU architecture and are burstable only if it is; they rank by the same category in the
//! nearest generation (`m5` → `m6i`, not `c6i`), then by vCPUs and memory, then by price.

use super::pricing::{is_burstable, PriceBook, PricedClass, CLOUDS};

/// The suggestions for one unknown class.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestions {
    /// Best first.
    pub classes: Vec<String>,
    /// What the suggestions were ranked around, for the diagnostic's note.
    pub basis: Option<String>,
    /// Whether the first suggestion is what was meant with some confidence (a near spelling),
    /// rather than the nearest shape.
    pub spelling: bool,
}

/// What a class is: its series category and generation, and its size.
#[derive(Debug, Clone)]
struct Shape {
    category: String,
    generation: u32,
    vcpu: f64,
    memory_gib: f64,
    arch: Option<String>,
    burstable: bool,
}

/// `m6i.large` → ("m", 6); `n1-highcpu-16` → ("highcpu", 1); `Standard_D4s_v5` → ("D", 5);
/// `db.r6g.large` → ("r", 6); `cache.m7g.large` → ("m", 7).
fn category_and_generation(name: &str) -> (String, u32) {
    let digits = |text: &str| text.chars().filter(|it| it.is_ascii_digit()).collect::<String>().parse().unwrap_or(0);
    if let Some(rest) =
        name.strip_prefix("Standard_").or_else(|| name.strip_prefix("Basic_")).or_else(|| name.strip_prefix("Premium_"))
    {
        let category: String = rest.chars().take_while(|it| it.is_ascii_alphabetic()).collect();
        let generation = rest.rsplit_once("_v").map_or(1, |(_, version)| digits(version));
        return (category, generation);
    }
    if name.contains('.') {
        let family = name.trim_start_matches("db.").trim_start_matches("cache.").split('.').next().unwrap_or("");
        let category: String = family.chars().take_while(|it| it.is_ascii_alphabetic()).collect();
        let generation = family[category.len()..].chars().take_while(|it| it.is_ascii_digit()).collect::<String>();
        return (category, generation.parse().unwrap_or(0));
    }
    // GCE and Cloud SQL: `n2d-highmem-4`, `db-n1-standard-2`.
    let parts: Vec<&str> = name.trim_start_matches("db-").split('-').collect();
    let category =
        if parts.len() >= 3 { parts[1].to_string() } else { parts.first().copied().unwrap_or("").to_string() };
    (category, parts.first().map_or(0, |series| digits(series)))
}

/// What a series is for, across clouds: AWS `m`, Azure `D` and GCE `standard` are general
/// purpose; `c`, `F`, `highcpu` compute; `r`, `E`, `highmem` memory; `x`, `M`, `megamem`,
/// `ultramem` large memory; `t`, `B` burstable.
fn purpose(category: &str) -> Option<&'static str> {
    Some(match category {
        "m" | "D" | "standard" => "general",
        "c" | "F" | "highcpu" => "compute",
        "r" | "E" | "highmem" => "memory",
        "x" | "M" | "megamem" | "ultramem" => "large memory",
        "t" | "B" => "burstable",
        _ => return None,
    })
}

fn same_purpose(a: &str, b: &str) -> bool {
    a == b || purpose(a).is_some_and(|it| Some(it) == purpose(b))
}

/// The family a size belongs to: `db.m6g` (`db.m6g.large`), `n1-highcpu` (`n1-highcpu-16`),
/// `Standard_D#s_v5` (`Standard_D4s_v5`).
fn family_key(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("Standard_") {
        let letters: String = rest.chars().take_while(|it| it.is_ascii_alphabetic()).collect();
        let tail = rest[letters.len()..].trim_start_matches(|it: char| it.is_ascii_digit());
        return format!("Standard_{letters}#{tail}");
    }
    match name.rsplit_once('.').or_else(|| name.rsplit_once('-')) {
        Some((family, _)) => family.to_string(),
        None => name.to_string(),
    }
}

/// The architecture an AWS name says, where a table does not: a `g` in the family's suffix is
/// Graviton (`db.r6g.large`, `cache.m7g.large`), as AWS names them.
fn aws_arch(name: &str) -> Option<String> {
    let family = name.trim_start_matches("db.").trim_start_matches("cache.").split('.').next()?;
    if !name.contains('.') {
        return None;
    }
    let suffix = family
        .trim_start_matches(|it: char| it.is_ascii_alphabetic())
        .trim_start_matches(|it: char| it.is_ascii_digit());
    Some(if suffix.contains('g') { "arm64" } else { "x86_64" }.to_string())
}

fn shape_of(name: &str, class: &PricedClass) -> Option<Shape> {
    let (category, generation) = category_and_generation(name);
    Some(Shape {
        category,
        generation,
        vcpu: class.vcpu?,
        memory_gib: class.memory_gib?,
        arch: class.arch.clone().or_else(|| aws_arch(name)),
        burstable: is_burstable(name.trim_start_matches("db.").trim_start_matches("cache.")),
    })
}

/// The classes of `table` on `cloud` for the unknown `name`, best first, at most `count`.
pub fn suggest(book: &PriceBook, cloud: &str, table: &[&str], name: &str, count: usize) -> Suggestions {
    let Some(prices) = book.cloud(cloud) else {
        return Suggestions { classes: Vec::new(), basis: None, spelling: false };
    };
    let known = prices.class_names(table);
    // A transcription: the same name on another cloud.
    let elsewhere = CLOUDS.iter().filter(|other| **other != cloud).find_map(|other| {
        let class = book.cloud(other)?.class(table, name)?;
        Some((other, shape_of(name, &class)?))
    });
    // A typo: the nearest name in spelling, when it is near.
    let lower = name.to_ascii_lowercase();
    let near = known
        .iter()
        .map(|it| (plan_diagnostics::edit_distance(&lower, &it.to_ascii_lowercase()), *it))
        .min()
        .filter(|(distance, _)| *distance <= (name.len() / 4).max(2));
    // A size the family does not have (`db.m6g.medium`): the family's size nearest in spelling,
    // the cheaper on a tie.
    let family = family_key(name);
    let in_family = known
        .iter()
        .filter(|it| family_key(it) == family)
        .filter_map(|it| {
            Some((
                plan_diagnostics::edit_distance(&lower, &it.to_ascii_lowercase()),
                prices.class(table, it)?.hourly,
                *it,
            ))
        })
        .min()
        .map(|(_, _, it)| it);
    let near = in_family.map(|it| (0, it)).or(near);
    let (intended, basis, spelling) = match (elsewhere, near) {
        (Some((other, shape)), _) => {
            let basis = format!(
                "`{name}` is a class on {other} ({} vCPU, {} GiB{}); these are the {cloud} classes of that shape",
                shape.vcpu,
                shape.memory_gib,
                shape.arch.as_deref().map(|it| format!(", {it}")).unwrap_or_default()
            );
            (shape, Some(basis), false)
        }
        (None, Some((_, spelled))) => match prices.class(table, spelled).and_then(|class| shape_of(spelled, &class)) {
            Some(shape) => (shape, None, true),
            None => return by_spelling(&known, name, count),
        },
        (None, None) => return by_spelling(&known, name, count),
    };
    let mut ranked: Vec<((u8, u8, i64, u32, i128), &str)> = Vec::new();
    for candidate in &known {
        let Some(class) = prices.class(table, candidate) else { continue };
        let Some(shape) = shape_of(candidate, &class) else { continue };
        // Never another architecture, and burstable only for burstable.
        let arch_differs = intended.arch.is_some() && shape.arch.is_some() && shape.arch != intended.arch;
        let burst_differs = shape.burstable && !intended.burstable;
        if arch_differs || burst_differs {
            continue;
        }
        let spelled = u8::from(!(spelling && near.is_some_and(|(_, it)| it == *candidate)));
        let category = u8::from(!same_purpose(&shape.category, &intended.category));
        // Generations compare within a cloud; across clouds, the newest is preferred.
        let generation =
            if basis.is_some() { u32::MAX - shape.generation } else { shape.generation.abs_diff(intended.generation) };
        // Distance in shape: how far apart vCPUs and memory are, in tenths of a doubling.
        let distance =
            ((shape.vcpu / intended.vcpu).log2().abs() + (shape.memory_gib / intended.memory_gib).log2().abs()) * 10.0;
        let price = class.hourly.pico();
        // Rank: the spelling match, the same purpose, the nearest shape, the nearest (or, across
        // clouds, newest) generation, the lowest price.
        ranked.push(((spelled, category, distance.round() as i64, generation, price), candidate));
    }
    ranked.sort();
    Suggestions { classes: ranked.into_iter().take(count).map(|(_, it)| it.to_string()).collect(), basis, spelling }
}

fn by_spelling(known: &[&str], name: &str, count: usize) -> Suggestions {
    let lower = name.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> =
        known.iter().map(|it| (plan_diagnostics::edit_distance(&lower, &it.to_ascii_lowercase()), *it)).collect();
    scored.sort();
    Suggestions {
        classes: scored.into_iter().take(count).map(|(_, it)| it.to_string()).collect(),
        basis: None,
        spelling: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggest_compute(cloud: &str, name: &str) -> Suggestions {
        suggest(PriceBook::builtin(), cloud, &["compute"], name, 5)
    }

    #[test]
    fn categories_and_generations_are_read_from_the_names() {
        assert_eq!(category_and_generation("m6i.large"), ("m".into(), 6));
        assert_eq!(category_and_generation("n1-highcpu-16"), ("highcpu".into(), 1));
        assert_eq!(category_and_generation("Standard_D4s_v5"), ("D".into(), 5));
        assert_eq!(category_and_generation("db.r6g.large"), ("r".into(), 6));
    }

    #[test]
    fn a_size_the_family_lacks_suggests_the_family_first() {
        let found = suggest(PriceBook::builtin(), "aws", &["database", "postgres"], "db.m6g.medium", 5);
        assert!(found.classes[0].starts_with("db.m6g."), "{found:?}");
        assert_eq!(family_key("Standard_D4s_v5"), family_key("Standard_D16s_v5"));
        assert_eq!(family_key("n1-highcpu-16"), "n1-highcpu");
    }

    #[test]
    fn a_typo_keeps_its_family_and_architecture() {
        let found = suggest_compute("aws", "m5.xlarg");
        assert!(found.spelling);
        assert_eq!(found.classes[0], "m5.xlarge");
        // Never Graviton (m6g, m7g) for an x86 class, nor a burstable t3.
        for class in &found.classes {
            assert!(!class.contains("g.") && !class.starts_with('t'), "{found:?}");
        }
    }

    #[test]
    fn a_class_of_another_cloud_is_translated_by_shape() {
        // n1-highcpu-2 is a gcp class: 2 vCPU, 1.8 GiB. On aws, compute-optimised classes come
        // first, never a memory-optimised one.
        let found = suggest_compute("aws", "n1-highcpu-2");
        assert!(found.basis.as_deref().is_some_and(|it| it.contains("a class on gcp")), "{found:?}");
        assert!(found.classes[0].starts_with("c"), "compute-optimised first: {found:?}");
        assert!(!found.classes.iter().any(|it| it.starts_with('r') || it.starts_with('x')), "{found:?}");
        // m5.xlarge on azure: 4 vCPU, 16 GiB x86 D-series, not the Arm Dps.
        let found = suggest_compute("azure", "m5.xlarge");
        assert!(found.classes[0].starts_with("Standard_D4"), "{found:?}");
        assert!(!found.classes.iter().any(|it| it.contains("ps_") || it.starts_with("Standard_B")), "{found:?}");
        // A gcp highcpu type on gcp itself, misspelt: a highcpu type, never highmem.
        let found = suggest_compute("gcp", "n1-highcpu-3");
        assert!(found.classes.iter().all(|it| !it.contains("highmem")), "{found:?}");
        assert!(found.classes[0].contains("highcpu"), "{found:?}");
    }
}
