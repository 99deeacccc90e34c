//! Terraform expressions as Plan values: what evaluates (literals, `var.x` with a value,
//! locals, `jsonencode` of literals) becomes a Plan literal; a reference to an imported
//! resource becomes a Plan reference; anything else is refused with the reason, and the
//! caller reports it.

use std::collections::BTreeMap;

use hcl::eval::Context;
use hcl::expr::{TemplateExpr, Traversal, TraversalOperator};
use hcl::template::Element;
use hcl::{Expression, Value};

/// What a Terraform resource became, for references to it.
#[derive(Debug, Clone)]
pub enum Target {
    /// A raw `terraform NAME { }` block: every attribute can be referred to.
    Raw { name: String },
    /// A Plan block of a kind, from a resource or module call of `type`: only its outputs
    /// can be referred to.
    Modelled { name: String, kind: &'static str, r#type: String },
    /// Part of what a Plan block generates (a subnet of a network, a node group's IAM role).
    Absorbed { owner: String, kind: &'static str },
    /// Not imported (a resource of a provider Plan does not emit).
    Skipped,
}

/// The Plan output a Terraform attribute of a modelled resource is, by resource type.
const OUTPUTS: &[(&str, &str, &str)] = &[
    ("aws_db_instance", "address", "host"),
    ("aws_db_instance", "port", "port"),
    ("aws_docdb_cluster", "endpoint", "host"),
    ("aws_docdb_cluster", "port", "port"),
    ("aws_vpc", "id", "id"),
    ("aws_eks_cluster", "endpoint", "endpoint"),
    ("aws_eks_cluster", "name", "name"),
    ("aws_eks_cluster", "id", "name"),
    ("aws_s3_bucket", "id", "name"),
    ("aws_s3_bucket", "bucket", "name"),
    ("aws_sqs_queue", "id", "url"),
    ("aws_sqs_queue", "url", "url"),
    ("aws_elasticache_replication_group", "primary_endpoint_address", "host"),
    ("aws_elasticache_replication_group", "port", "port"),
    ("azurerm_virtual_network", "id", "id"),
    ("azurerm_kubernetes_cluster", "name", "name"),
    ("azurerm_kubernetes_cluster", "private_fqdn", "endpoint"),
    ("azurerm_postgresql_flexible_server", "fqdn", "host"),
    ("azurerm_mysql_flexible_server", "fqdn", "host"),
    ("google_compute_network", "id", "id"),
    ("google_container_cluster", "endpoint", "endpoint"),
    ("google_container_cluster", "name", "name"),
    ("google_sql_database_instance", "private_ip_address", "host"),
    ("google_storage_bucket", "name", "name"),
    ("google_storage_bucket", "url", "url"),
    // The outputs of the registry modules `kinds` reads.
    ("module:vpc", "vpc_id", "id"),
    ("module:eks", "cluster_name", "name"),
    ("module:eks", "cluster_endpoint", "endpoint"),
    ("module:rds", "db_instance_address", "host"),
    ("module:rds", "db_instance_port", "port"),
    ("module:s3-bucket", "s3_bucket_id", "name"),
];

pub struct Translator<'a> {
    pub context: Context<'static>,
    /// What each imported resource address became.
    pub targets: &'a BTreeMap<String, Target>,
}

impl Translator<'_> {
    /// The value, when the expression needs nothing but variables, locals and literals.
    pub fn eval(&self, expression: &Expression) -> Option<Value> {
        super::read::evaluate(expression, &self.context)
    }

    pub fn string(&self, expression: &Expression) -> Option<String> {
        match self.eval(expression)? {
            Value::String(text) => Some(text),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        }
    }

    pub fn int(&self, expression: &Expression) -> Option<i64> {
        match self.eval(expression)? {
            Value::Number(number) => number.as_i64(),
            Value::String(text) => text.parse().ok(),
            _ => None,
        }
    }

    pub fn bool(&self, expression: &Expression) -> Option<bool> {
        match self.eval(expression)? {
            Value::Bool(value) => Some(value),
            Value::String(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// The Plan expression for a Terraform one, or why there is none. A value nested deeper
    /// than [`MAX_VALUE_NESTING`] brackets is refused: with the blocks around it, Plan could not
    /// read it back.
    pub fn value(&self, expression: &Expression) -> Result<String, String> {
        let value = self.translate(expression)?;
        let depth = nesting(&value);
        if depth > MAX_VALUE_NESTING {
            return Err(format!(
                "the value nests {depth} levels of brackets deep, and import writes at most {MAX_VALUE_NESTING}"
            ));
        }
        Ok(value)
    }

    fn translate(&self, expression: &Expression) -> Result<String, String> {
        if let Some(value) = self.eval(expression) {
            return literal(&value);
        }
        match expression {
            Expression::Traversal(traversal) => self.reference(traversal),
            Expression::Parenthesis(inner) => self.translate(inner),
            Expression::Array(items) => {
                let items = items.iter().map(|it| self.translate(it)).collect::<Result<Vec<_>, _>>()?;
                Ok(format!("[{}]", items.join(", ")))
            }
            Expression::Object(entries) => {
                let mut parts = Vec::new();
                for (key, value) in entries.iter() {
                    let key = match key {
                        hcl::ObjectKey::Identifier(key) => key.to_string(),
                        hcl::ObjectKey::Expression(key) => {
                            self.string(key).ok_or_else(|| format!("the key `{}` is not a literal", text(key)))?
                        }
                        _ => return Err("an object key Plan cannot read".into()),
                    };
                    parts.push(format!("{} = {}", object_key(&key), self.translate(value)?));
                }
                Ok(format!("{{ {} }}", parts.join("  ")))
            }
            Expression::TemplateExpr(template) => self.template(template),
            other => Err(self.why_not(other)),
        }
    }

    /// Why an expression has no Plan value: the first thing in it that does not evaluate.
    fn why_not(&self, expression: &Expression) -> String {
        let written = text(expression);
        if let Some(root) = first_unknown_root(expression, &self.context) {
            return root;
        }
        format!("`{written}` is computed in Terraform, and Plan keeps only literals and references")
    }

    fn template(&self, template: &TemplateExpr) -> Result<String, String> {
        let parsed = hcl::Template::from_expr(template).map_err(|error| error.to_string())?;
        let mut out = String::from("\"");
        for element in parsed.elements() {
            match element {
                Element::Literal(piece) => out.push_str(&escape(piece)),
                Element::Interpolation(interpolation) => {
                    let expression = &interpolation.expr;
                    match self.eval(expression) {
                        Some(Value::String(piece)) => out.push_str(&escape(&piece)),
                        Some(Value::Number(number)) => out.push_str(&number.to_string()),
                        Some(Value::Bool(value)) => out.push_str(&value.to_string()),
                        _ => match expression {
                            Expression::Traversal(traversal) => {
                                out.push_str(&format!("${{{}}}", self.reference(traversal)?))
                            }
                            other => return Err(self.why_not(other)),
                        },
                    }
                }
                Element::Directive(_) => {
                    return Err("a template with `%{ }` directives over computed values".into());
                }
            }
        }
        out.push('"');
        Ok(out)
    }

    /// `TYPE.NAME.ATTR` as a Plan reference.
    pub fn reference(&self, traversal: &Traversal) -> Result<String, String> {
        let written = text(&Expression::Traversal(Box::new(traversal.clone())));
        let Expression::Variable(root) = &traversal.expr else {
            return Err(format!("`{written}` is computed in Terraform"));
        };
        let root = root.as_str();
        let attrs: Vec<&str> = traversal
            .operators
            .iter()
            .map_while(|it| match it {
                TraversalOperator::GetAttr(name) => Some(name.as_str()),
                _ => None,
            })
            .collect();
        match root {
            "var" => {
                return Err(format!(
                    "`{written}` has no value here: give the variable a default or a value in terraform.tfvars"
                ))
            }
            "local" => return Err(format!("`{written}` is computed from resources or data sources")),
            "data" => return Err(format!("`{written}` is a data source, and Plan has none")),
            "count" | "each" | "self" | "path" | "terraform" => {
                return Err(format!("`{written}` exists only inside Terraform"))
            }
            _ => {}
        }
        let (Some(name), Some(attr)) = (attrs.first(), attrs.get(1)) else {
            return Err(format!("`{written}` is not a reference to one resource's attribute"));
        };
        if attrs.len() != traversal.operators.len() || attrs.len() > 2 {
            return Err(format!("`{written}` reaches into an attribute; Plan refers to whole attributes only"));
        }
        let address = format!("{root}.{name}");
        match self.targets.get(&address) {
            Some(Target::Raw { name }) => Ok(format!("{name}.{attr}")),
            Some(Target::Modelled { name, kind, r#type }) => {
                match OUTPUTS.iter().find(|(ty, from, _)| ty == r#type && from == attr) {
                    Some((_, _, output)) => Ok(format!("{name}.{output}")),
                    None => Err(format!("`{written}`: Plan's `{kind}` `{name}` has no output for `{attr}`")),
                }
            }
            Some(Target::Absorbed { owner, kind }) => {
                Err(format!("`{written}` is generated by Plan as part of {kind} `{owner}`"))
            }
            Some(Target::Skipped) => Err(format!("`{written}` was not imported")),
            None => Err(format!("`{written}` is not in the imported files")),
        }
    }
}

/// The first variable, local, data source or resource in an expression that has no value.
fn first_unknown_root(expression: &Expression, context: &Context<'_>) -> Option<String> {
    let mut found = None;
    visit(expression, &mut |it| {
        if found.is_none() {
            if let Expression::Traversal(traversal) = it {
                if super::read::evaluate(&traversal.expr, context).is_none()
                    || super::read::evaluate(it, context).is_none()
                {
                    found = Some(format!("`{}` has no value Plan can keep", text(it)));
                }
            }
        }
    });
    found
}

fn visit(expression: &Expression, f: &mut dyn FnMut(&Expression)) {
    f(expression);
    match expression {
        Expression::Array(items) => items.iter().for_each(|it| visit(it, f)),
        Expression::Object(entries) => entries.values().for_each(|it| visit(it, f)),
        Expression::Parenthesis(inner) => visit(inner, f),
        Expression::FuncCall(call) => call.args.iter().for_each(|it| visit(it, f)),
        Expression::Conditional(conditional) => {
            visit(&conditional.cond_expr, f);
            visit(&conditional.true_expr, f);
            visit(&conditional.false_expr, f);
        }
        _ => {}
    }
}

/// An expression as Terraform would print it, for reports and comments.
pub fn text(expression: &Expression) -> String {
    let written = hcl::format::to_string(expression).unwrap_or_else(|_| "(an expression)".into());
    let one_line: String = written.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 120 {
        format!("{}…", one_line.chars().take(117).collect::<String>())
    } else {
        one_line
    }
}

/// How deep a written value may nest in brackets. It sits in a Plan block's `terraform { }`
/// under at most `MAX_BLOCK_NESTING` nested blocks, and Plan reads 64 levels in all
/// (`plan_syntax::limits::MAX_NESTING`); Terraform's own values nest a few levels.
pub const MAX_VALUE_NESTING: usize = 40;
/// How deep nested blocks (`ingress { }` in a security group) are written in a `terraform { }`.
pub const MAX_BLOCK_NESTING: usize = 20;

/// The deepest bracket nesting of written Plan text, strings skipped. A value's own depth can
/// exceed what Terraform's parser allows: `jsondecode` builds values of any depth.
pub fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' | b'(' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// A value as a Plan literal.
pub fn literal(value: &Value) -> Result<String, String> {
    Ok(match value {
        Value::Null => return Err("`null`".into()),
        Value::Bool(value) => value.to_string(),
        Value::Number(number) => decimal(number)?,
        Value::String(text) => format!("\"{}\"", escape(text)),
        Value::Array(items) => format!("[{}]", items.iter().map(literal).collect::<Result<Vec<_>, _>>()?.join(", ")),
        Value::Object(entries) => {
            let parts = entries
                .iter()
                .map(|(key, value)| Ok(format!("{} = {}", object_key(key), literal(value)?)))
                .collect::<Result<Vec<_>, String>>()?;
            format!("{{ {} }}", parts.join("  "))
        }
    })
}

/// A number as Plan writes it: digits with an optional fraction, never an exponent (`1e30` and
/// `1.5e-7` are not Plan numbers). Integers beyond 2^53 that hcl-rs read as floats have lost
/// digits already, so they are refused rather than written rounded.
fn decimal(number: &hcl::Number) -> Result<String, String> {
    if number.is_i64() || number.is_u64() {
        return Ok(number.to_string());
    }
    let float = number.as_f64().filter(|it| it.is_finite()).ok_or_else(|| format!("the number `{number}`"))?;
    if float.fract() == 0.0 && float.abs() >= 9_007_199_254_740_992.0 {
        return Err(format!("`{number}` is beyond the integers a float holds exactly, and would be written rounded"));
    }
    // Rust writes floats in full decimal notation, with the fewest digits that read back equal.
    Ok(format!("{float}"))
}

/// A map key: bare when it is a Plan identifier, quoted otherwise.
pub fn object_key(key: &str) -> String {
    let mut chars = key.chars();
    let identifier = matches!(chars.next(), Some(first) if first.is_ascii_alphabetic() || first == '_')
        && chars.all(|it| it.is_ascii_alphanumeric() || it == '_' || it == '-')
        && !key.ends_with('-')
        && key != "true"
        && key != "false";
    if identifier {
        key.to_string()
    } else {
        format!("\"{}\"", escape(key))
    }
}

/// Text inside a one-line Plan string.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            ch if ch.is_control() => out.push_str(&format!("\\u{{{:x}}}", ch as u32)),
            ch => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn translator(targets: &BTreeMap<String, Target>) -> Translator<'_> {
        let mut module = super::super::read::Module::default();
        module.variables.insert("size".into(), Value::from("t3.large"));
        Translator { context: super::super::read::context(&module), targets }
    }

    fn expression(text: &str) -> Expression {
        text.parse().unwrap_or(Expression::Null)
    }

    #[test]
    fn literals_variables_and_jsonencode_become_plan_literals() {
        let targets = BTreeMap::new();
        let t = translator(&targets);
        assert_eq!(t.value(&expression("var.size")), Ok("\"t3.large\"".into()));
        assert_eq!(
            t.value(&expression("{ Name = \"a\", \"kubernetes.io/role\" = 1 }")),
            Ok("{ Name = \"a\"  \"kubernetes.io/role\" = 1 }".into())
        );
        assert_eq!(t.value(&expression("jsonencode({ a = [1] })")), Ok("\"{\\\"a\\\":[1]}\"".into()));
        assert_eq!(t.value(&expression("1.5e-7")), Ok("0.00000015".into()));
        assert_eq!(t.value(&expression("2e3")), Ok("2000".into()));
        assert_eq!(t.value(&expression("-0.25")), Ok("-0.25".into()));
        assert!(t.value(&expression("123456789012345678901234567890")).is_err_and(|it| it.contains("rounded")));
        assert_eq!(t.value(&expression("\"${var.size}-x\"")), Ok("\"t3.large-x\"".into()));
    }

    #[test]
    fn references_follow_what_the_resource_became() {
        let mut targets = BTreeMap::new();
        targets.insert(
            "aws_vpc.main".to_string(),
            Target::Modelled { name: "main".into(), kind: "network", r#type: "aws_vpc".into() },
        );
        targets.insert("aws_iam_role.r".to_string(), Target::Raw { name: "r".into() });
        targets.insert("aws_subnet.a".to_string(), Target::Absorbed { owner: "main".into(), kind: "network" });
        let t = translator(&targets);
        assert_eq!(t.value(&expression("aws_vpc.main.id")), Ok("main.id".into()));
        assert_eq!(t.value(&expression("aws_iam_role.r.arn")), Ok("r.arn".into()));
        assert_eq!(t.value(&expression("\"arn:${aws_iam_role.r.name}\"")), Ok("\"arn:${r.name}\"".into()));
        assert!(t.value(&expression("aws_subnet.a.id")).is_err_and(|it| it.contains("generated by Plan")));
        assert!(t.value(&expression("aws_vpc.main.arn")).is_err_and(|it| it.contains("no output")));
        assert!(t.value(&expression("data.aws_ami.x.id")).is_err_and(|it| it.contains("data source")));
        assert!(t.value(&expression("var.missing")).is_err());
    }

    #[test]
    fn strings_escape_what_plan_would_read_as_syntax() {
        assert_eq!(escape("a\"b\\c\n${x}"), "a\\\"b\\\\c\\n\\${x}");
    }
}
