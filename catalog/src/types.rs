//! Attribute types as the catalog writes them (`range<cpu>`, `map<string | ref<*> | secret>`).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ty {
    String,
    Int,
    Float,
    Bool,
    Cpu,
    Size,
    Duration,
    Percent,
    Money,
    Secret,
    Range(Box<Ty>),
    List(Box<Ty>),
    Map(Box<Ty>),
    /// Fixed fields, listed on the attribute.
    Object,
    /// A Terraform body, checked against the provider's schema instead of the catalog:
    /// arguments of any plain value and nested blocks (`terraform { }`, `args { }`).
    Hcl,
    /// A bare name whose meaning a rule checks against the block it depends on (an alert's
    /// `metric`, checked against the catalog's metrics of its target's kind).
    Name,
    Enum(Vec<String>),
    /// A reference to a block of one of these kinds; empty means any resource.
    Ref(Vec<String>),
    Union(Vec<Ty>),
}

impl Ty {
    /// Parses a type expression; `values` are the variants of any `enum` in it.
    pub fn parse(text: &str, values: &[String]) -> Result<Ty, String> {
        let parts = split_top_level(text, '|');
        if parts.len() > 1 {
            return Ok(Ty::Union(parts.iter().map(|part| Ty::parse(part, values)).collect::<Result<_, _>>()?));
        }
        let text = text.trim();
        if let Some((outer, inner)) = text.strip_suffix('>').and_then(|it| it.split_once('<')) {
            return Ok(match outer.trim() {
                "range" => Ty::Range(Box::new(Ty::parse(inner, values)?)),
                "list" => Ty::List(Box::new(Ty::parse(inner, values)?)),
                "map" => Ty::Map(Box::new(Ty::parse(inner, values)?)),
                "ref" => Ty::Ref(
                    inner
                        .split(',')
                        .map(str::trim)
                        .filter(|kind| *kind != "*" && !kind.is_empty())
                        .map(String::from)
                        .collect(),
                ),
                other => return Err(format!("unknown type constructor `{other}`")),
            });
        }
        Ok(match text {
            "string" => Ty::String,
            "int" => Ty::Int,
            "float" => Ty::Float,
            "bool" => Ty::Bool,
            "cpu" => Ty::Cpu,
            "size" => Ty::Size,
            "duration" => Ty::Duration,
            "percent" => Ty::Percent,
            "money" => Ty::Money,
            "secret" => Ty::Secret,
            "object" => Ty::Object,
            "hcl" => Ty::Hcl,
            "name" => Ty::Name,
            "enum" if values.is_empty() => return Err("an `enum` needs `values`".into()),
            "enum" => Ty::Enum(values.to_vec()),
            other => return Err(format!("unknown type `{other}`")),
        })
    }

    /// A literal of this type, for "expected ..., e.g. ..." messages.
    pub fn example(&self) -> String {
        match self {
            Ty::String => "\"text\"".into(),
            Ty::Int => "3".into(),
            Ty::Float => "0.5".into(),
            Ty::Bool => "true".into(),
            Ty::Cpu => "500m".into(),
            Ty::Size => "512Mi".into(),
            Ty::Duration => "30s".into(),
            Ty::Percent => "70%".into(),
            Ty::Money => "$400/mo".into(),
            Ty::Secret => "secret(\"name\")".into(),
            Ty::Range(inner) => match **inner {
                Ty::Int => "2..6".into(),
                Ty::Cpu => "250m..1".into(),
                Ty::Size => "512Mi..1Gi".into(),
                _ => format!("{}..{}", inner.example(), inner.example()),
            },
            Ty::List(inner) => format!("[{}]", inner.example()),
            Ty::Map(inner) => format!("{{ key = {} }}", inner.example()),
            Ty::Object | Ty::Hcl => "{ ... }".into(),
            Ty::Name => "cpu".into(),
            Ty::Enum(values) => values.first().cloned().unwrap_or_default(),
            Ty::Ref(kinds) => match kinds.first() {
                Some(kind) => format!("the name of a `{kind}` block"),
                None => "the name of a block".into(),
            },
            Ty::Union(options) => options.first().map(Ty::example).unwrap_or_default(),
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::String => f.write_str("string"),
            Ty::Int => f.write_str("int"),
            Ty::Float => f.write_str("float"),
            Ty::Bool => f.write_str("bool"),
            Ty::Cpu => f.write_str("cpu"),
            Ty::Size => f.write_str("size"),
            Ty::Duration => f.write_str("duration"),
            Ty::Percent => f.write_str("percent"),
            Ty::Money => f.write_str("money"),
            Ty::Secret => f.write_str("secret"),
            Ty::Range(inner) => write!(f, "range<{inner}>"),
            Ty::List(inner) => write!(f, "list<{inner}>"),
            Ty::Map(inner) => write!(f, "map<{inner}>"),
            Ty::Object => f.write_str("object"),
            Ty::Hcl => f.write_str("Terraform body"),
            Ty::Name => f.write_str("name"),
            Ty::Enum(values) => {
                let shown: Vec<_> = values.iter().map(|it| format!("`{it}`")).collect();
                write!(f, "one of {}", shown.join(", "))
            }
            Ty::Ref(kinds) if kinds.is_empty() => f.write_str("a reference to a block"),
            Ty::Ref(kinds) => {
                let shown: Vec<_> = kinds.iter().map(|it| format!("`{it}`")).collect();
                write!(f, "a reference to a {} block", shown.join(" or "))
            }
            Ty::Union(options) => {
                let shown: Vec<_> = options.iter().map(|it| it.to_string()).collect();
                f.write_str(&shown.join(" or "))
            }
        }
    }
}

fn split_top_level(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (index, ch) in text.char_indices() {
        match ch {
            '<' => depth += 1,
            '>' => depth -= 1,
            _ if ch == separator && depth == 0 => {
                parts.push(&text[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_and_union_types_parse() {
        let ty = Ty::parse("map<string | ref<*> | secret>", &[]).unwrap();
        assert_eq!(ty, Ty::Map(Box::new(Ty::Union(vec![Ty::String, Ty::Ref(vec![]), Ty::Secret]))));
        let ty = Ty::parse("enum | ref<queue,topic> | string", &["http".into()]).unwrap();
        assert_eq!(ty.to_string(), "one of `http` or a reference to a `queue` or `topic` block or string");
    }
}
