//! The typed IR: every block with its kind, name, typed attribute values and env overrides.
//!
//! Values are normalised (cpu in millicores, sizes in bytes, durations in milliseconds so that
//! `500ms` is exact, money in micro-USD per month) and carry the source range they came from,
//! for diagnostics and for provenance comments in outputs. References are kept by name here;
//! `check` resolves them against the workspace.

mod lower;
mod reuse;
mod units;

use std::collections::BTreeMap;
use std::fmt;

pub use lower::{is_valid_name, lower_file};
pub use reuse::{lower_file_reusing, LoweringCache};
pub use units::{format_duration, format_size, unit, Dimension};

use plan_diagnostics::shift_range;
use plan_syntax::TextRange;

/// The blocks of one file, in source order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FileIr {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Block {
    pub kind: String,
    pub kind_range: TextRange,
    /// The label: the block's name. `None` for `policy` and for broken input.
    pub name: Option<String>,
    pub name_range: Option<TextRange>,
    pub range: TextRange,
    pub doc: Option<String>,
    /// Attributes in source order; block-as-object sugar (`tags { .. }`) is an attribute too.
    pub attrs: Vec<Attr>,
    /// Nested named blocks: `subnet`, `node_pool`, `option`.
    pub children: Vec<Block>,
    /// Nested `env NAME { .. }` overrides.
    pub overrides: Vec<EnvOverride>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnvOverride {
    pub env: String,
    pub env_range: TextRange,
    pub range: TextRange,
    pub attrs: Vec<Attr>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attr {
    pub name: String,
    pub name_range: TextRange,
    pub value: Value,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Value {
    pub kind: ValueKind,
    pub range: TextRange,
}

impl Attr {
    fn shift(&mut self, delta: i64) {
        self.name_range = shift_range(self.name_range, delta);
        self.value.shift(delta);
    }
}

impl Value {
    fn shift(&mut self, delta: i64) {
        self.range = shift_range(self.range, delta);
        match &mut self.kind {
            ValueKind::Interpolated(parts) => {
                for part in parts {
                    if let InterpolationPart::Value(value) = part {
                        value.shift(delta);
                    }
                }
            }
            ValueKind::Range(low, high) => {
                low.shift(delta);
                high.shift(delta);
            }
            ValueKind::List(items) => items.iter_mut().for_each(|it| it.shift(delta)),
            ValueKind::Map(entries) | ValueKind::Body(entries) => {
                for entry in entries {
                    entry.key_range = shift_range(entry.key_range, delta);
                    entry.value.shift(delta);
                }
            }
            ValueKind::Ref(reference) => {
                reference.name_range = shift_range(reference.name_range, delta);
                if let Some((_, range)) = &mut reference.field {
                    *range = shift_range(*range, delta);
                }
            }
            ValueKind::String(_)
            | ValueKind::Int(_)
            | ValueKind::Float(_)
            | ValueKind::Bool(_)
            | ValueKind::Cpu(_)
            | ValueKind::Size(_)
            | ValueKind::Duration(_)
            | ValueKind::Percent(_)
            | ValueKind::Money(_)
            | ValueKind::Enum(_)
            | ValueKind::Secret(_)
            | ValueKind::Error => {}
        }
    }
}

/// A float that can be compared and hashed bit for bit, so the IR can live in salsa.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct F64(u64);

impl F64 {
    pub fn new(value: f64) -> F64 {
        F64(value.to_bits())
    }

    pub fn get(self) -> f64 {
        f64::from_bits(self.0)
    }
}

impl fmt::Debug for F64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.get())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ValueKind {
    String(String),
    /// A string with `${ .. }` interpolations.
    Interpolated(Vec<InterpolationPart>),
    Int(i64),
    Float(F64),
    Bool(bool),
    /// Millicores.
    Cpu(u64),
    /// Bytes.
    Size(u64),
    /// Milliseconds.
    Duration(u64),
    Percent(F64),
    /// Micro-USD per month (730 hours, 12 months a year).
    Money(i64),
    Range(Box<Value>, Box<Value>),
    List(Vec<Value>),
    /// An object or a map: keys in source order.
    Map(Vec<MapEntry>),
    /// A Terraform body (`terraform { }`): arguments, and nested blocks as entries whose value
    /// is a `Body` too; a block kind may repeat.
    Body(Vec<MapEntry>),
    Enum(String),
    /// Boxed: a reference is the largest variant, and most values are not one.
    Ref(Box<Ref>),
    /// `secret("name")`: only the name, never a value.
    Secret(String),
    /// A value that could not be lowered; the reason has been reported already.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InterpolationPart {
    Text(String),
    Value(Value),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MapEntry {
    pub key: String,
    pub key_range: TextRange,
    pub value: Value,
}

/// A reference by name: `apps`, `orders.url`, `main.public-a`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ref {
    pub name: String,
    pub name_range: TextRange,
    /// An output (`url`) or a nested block (`public-a`).
    pub field: Option<(String, TextRange)>,
    /// The kinds the reference may name; empty for any.
    pub kinds: Vec<String>,
}

impl Block {
    /// Moves every range in the block by `delta` bytes: its item moved as a whole.
    pub fn shift(&mut self, delta: i64) {
        self.kind_range = shift_range(self.kind_range, delta);
        self.name_range = self.name_range.map(|it| shift_range(it, delta));
        self.range = shift_range(self.range, delta);
        for attr in &mut self.attrs {
            attr.shift(delta);
        }
        for child in &mut self.children {
            child.shift(delta);
        }
        for env in &mut self.overrides {
            env.env_range = shift_range(env.env_range, delta);
            env.range = shift_range(env.range, delta);
            for attr in &mut env.attrs {
                attr.shift(delta);
            }
        }
    }

    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|attr| attr.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&Block> {
        self.children.iter().find(|child| child.name.as_deref() == Some(name))
    }

    /// A view of the attribute values in environment `env` that copies nothing unless an
    /// override changes a map (`vars`, `tags`), which is then merged once.
    pub fn env_attrs(&self, env: &str) -> EnvAttrs<'_> {
        let over: &[Attr] = self.overrides.iter().find(|it| it.env == env).map_or(&[], |it| &it.attrs);
        let mut merged = Vec::new();
        for attr in over {
            if let (Some(base), ValueKind::Map(over_entries)) = (self.attr(&attr.name), &attr.value.kind) {
                if let ValueKind::Map(base_entries) = &base.value.kind {
                    let value =
                        Value { kind: ValueKind::Map(merge_maps(base_entries, over_entries)), range: attr.value.range };
                    merged.push((attr.name.as_str(), value));
                }
            }
        }
        EnvAttrs { base: &self.attrs, over, merged }
    }

    /// The attribute values in environment `env`, after applying the block's `env` override:
    /// scalars and lists are replaced, maps and objects merge key by key (LANGUAGE.md §5).
    pub fn attrs_in_env(&self, env: &str) -> BTreeMap<String, Value> {
        let mut attrs: BTreeMap<String, Value> = BTreeMap::new();
        for attr in &self.attrs {
            attrs.entry(attr.name.clone()).or_insert_with(|| attr.value.clone());
        }
        for env_override in self.overrides.iter().filter(|it| it.env == env) {
            for attr in &env_override.attrs {
                let merged = match (attrs.get(&attr.name), &attr.value.kind) {
                    (Some(Value { kind: ValueKind::Map(base), .. }), ValueKind::Map(over)) => {
                        Value { kind: ValueKind::Map(merge_maps(base, over)), range: attr.value.range }
                    }
                    _ => attr.value.clone(),
                };
                attrs.insert(attr.name.clone(), merged);
            }
        }
        attrs
    }
}

/// The values of a block in one environment: the override's value where it sets one (maps
/// merged key by key), the block's own value otherwise.
#[derive(Debug, Clone)]
pub struct EnvAttrs<'a> {
    base: &'a [Attr],
    over: &'a [Attr],
    merged: Vec<(&'a str, Value)>,
}

impl EnvAttrs<'_> {
    pub fn get(&self, name: &str) -> Option<&Value> {
        if let Some((_, value)) = self.merged.iter().find(|(merged, _)| *merged == name) {
            return Some(value);
        }
        if let Some(attr) = self.over.iter().find(|attr| attr.name == name) {
            return Some(&attr.value);
        }
        self.base.iter().find(|attr| attr.name == name).map(|attr| &attr.value)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// Key-by-key merge, `over` winning, keeping the order of `base` and then the new keys.
pub fn merge_maps(base: &[MapEntry], over: &[MapEntry]) -> Vec<MapEntry> {
    let mut merged: Vec<MapEntry> =
        base.iter().map(|entry| over.iter().find(|it| it.key == entry.key).unwrap_or(entry).clone()).collect();
    merged.extend(over.iter().filter(|entry| !base.iter().any(|it| it.key == entry.key)).cloned());
    merged
}

impl Value {
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            ValueKind::Bool(value) => Some(value),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::String(value) | ValueKind::Enum(value) => Some(value),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self.kind {
            ValueKind::Int(value) => Some(value),
            _ => None,
        }
    }

    /// Every reference in this value, interpolations and nested values included.
    pub fn refs(&self) -> Vec<&Ref> {
        let mut acc = Vec::new();
        self.for_each_ref(&mut |reference| acc.push(reference));
        acc
    }

    /// Calls `f` with every reference in this value, without allocating.
    pub fn for_each_ref<'a>(&'a self, f: &mut impl FnMut(&'a Ref)) {
        match &self.kind {
            ValueKind::Ref(reference) => f(reference),
            ValueKind::Range(low, high) => {
                low.for_each_ref(f);
                high.for_each_ref(f);
            }
            ValueKind::List(items) => items.iter().for_each(|it| it.for_each_ref(f)),
            ValueKind::Map(entries) | ValueKind::Body(entries) => {
                entries.iter().for_each(|it| it.value.for_each_ref(f))
            }
            ValueKind::Interpolated(parts) => {
                for part in parts {
                    if let InterpolationPart::Value(value) = part {
                        value.for_each_ref(f);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether a block exists in `env` (`envs = [..]` limits it).
pub fn exists_in(attrs: &EnvAttrs<'_>, env: &str) -> bool {
    match attrs.get("envs").map(|it| &it.kind) {
        Some(ValueKind::List(items)) => {
            items.iter().any(|item| matches!(&item.kind, ValueKind::Ref(r) if r.name == env))
        }
        _ => true,
    }
}
