//! Reading a Terraform root module: its `.tf` files parsed with hcl-rs, sorted into resources,
//! data sources, module calls, variables, locals, providers and outputs, and the values of
//! variables (defaults, then `terraform.tfvars` and `*.auto.tfvars`) and locals that are
//! literals. A file that does not parse contributes nothing, and its error says where.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use hcl::{Body, Expression, Value};

/// The deepest bracket nesting read: hcl-rs parses recursively, so deeper input would
/// overflow the stack instead of being an error.
const MAX_DEPTH: usize = 128;
/// The largest file read, as `planc check` allows.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A `resource` or `data` block.
pub struct Resource {
    pub r#type: String,
    pub name: String,
    /// The file it was read from, relative to its input path.
    pub file: String,
    pub body: Body,
}

impl Resource {
    /// `TYPE.NAME`, or `module.NAME` for a module call (whose type is `module:KEY`).
    pub fn address(&self) -> String {
        match self.r#type.starts_with("module:") {
            true => format!("module.{}", self.name),
            false => format!("{}.{}", self.r#type, self.name),
        }
    }
}

/// The registry modules whose inputs `kinds` reads, by key: (key, registry source, GitHub
/// repository). Sources from <https://registry.terraform.io/namespaces/terraform-aws-modules>.
const KNOWN_MODULES: &[(&str, &str, &str)] = &[
    ("vpc", "terraform-aws-modules/vpc/aws", "terraform-aws-modules/terraform-aws-vpc"),
    ("eks", "terraform-aws-modules/eks/aws", "terraform-aws-modules/terraform-aws-eks"),
    ("rds", "terraform-aws-modules/rds/aws", "terraform-aws-modules/terraform-aws-rds"),
    ("s3-bucket", "terraform-aws-modules/s3-bucket/aws", "terraform-aws-modules/terraform-aws-s3-bucket"),
];

/// The key of a module source `kinds` knows: a registry address, or a Git URL of the
/// module's repository; a submodule (`//modules/...`) is another module.
fn known_module(source: &str) -> Option<&'static str> {
    let source = source.split('?').next().unwrap_or_default();
    let source = source.strip_prefix("registry.terraform.io/").unwrap_or(source);
    let path = source.split_once("://").map_or(source, |it| it.1);
    if path.contains("//") {
        return None;
    }
    let path = path.trim_end_matches(".git").trim_end_matches('/');
    KNOWN_MODULES
        .iter()
        .find(|(_, registry, repository)| path == *registry || path.ends_with(&format!("github.com/{repository}")))
        .map(|(key, _, _)| *key)
}

/// Something read that has no place in a Plan workspace, listed in the report.
pub struct Skipped {
    pub address: String,
    pub file: String,
    pub why: String,
}

/// A Terraform root module, as far as it parsed.
#[derive(Default)]
pub struct Module {
    pub resources: Vec<Resource>,
    pub data: Vec<Resource>,
    pub skipped: Vec<Skipped>,
    /// `provider` blocks, by local name (the first of each name).
    pub providers: BTreeMap<String, Body>,
    /// Variables and locals that evaluate to a value, for `var.x` and `local.x`.
    pub variables: BTreeMap<String, Value>,
    pub locals: BTreeMap<String, Value>,
    /// Files that did not parse, each error with its file and line.
    pub errors: Vec<String>,
    /// The files read, in order.
    pub files: Vec<String>,
    /// How many `.tf` files parsed.
    pub parsed: usize,
}

/// One input file: its name (as the report shows it) and text, or why it could not be read.
pub struct Source {
    pub name: String,
    pub text: Result<String, String>,
    /// A `terraform.tfvars` or `*.auto.tfvars` file rather than a `.tf` file.
    pub tfvars: bool,
}

/// The files of every path: a directory's `.tf` files (not its subdirectories, as Terraform
/// does) and its `terraform.tfvars` and `*.auto.tfvars`, or a single `.tf` file.
pub fn sources(paths: &[PathBuf]) -> Result<Vec<Source>, String> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|error| format!("{}: {error}", path.display()))?;
        if metadata.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|error| format!("{}: {error}", path.display()))?;
            let mut names: Vec<PathBuf> = entries.filter_map(|it| it.ok().map(|it| it.path())).collect();
            names.sort();
            for file in names {
                let name = file.file_name().and_then(|it| it.to_str()).unwrap_or_default().to_string();
                if name.ends_with(".tf") && file.is_file() {
                    files.push((file, false));
                } else if (name == "terraform.tfvars" || name.ends_with(".auto.tfvars")) && file.is_file() {
                    files.push((file, true));
                }
            }
        } else if metadata.is_file() {
            files.push((path.clone(), false));
        } else {
            return Err(format!("{}: not a file or directory", path.display()));
        }
    }
    if !files.iter().any(|(_, tfvars)| !tfvars) {
        return Err("no `.tf` files to import: name a Terraform root module's directory or its files".into());
    }
    Ok(files
        .into_iter()
        .map(|(path, tfvars)| Source { name: display_name(&path), text: read_text(&path), tfvars })
        .collect())
}

/// Reads the sources: `.tf` files in order, then tfvars, whose values win over defaults as
/// in Terraform.
pub fn read(sources: &[Source]) -> Module {
    let mut module = Module::default();
    let mut variable_defaults = BTreeMap::new();
    let mut locals = Vec::new();
    for source in sources.iter().filter(|it| !it.tfvars) {
        module.files.push(source.name.clone());
        match source.text.as_deref().map_err(String::clone).and_then(parse) {
            Ok(body) => {
                module.parsed += 1;
                collect(&mut module, &source.name, body, &mut variable_defaults, &mut locals);
            }
            Err(error) => module.errors.push(format!("{}: {error}", source.name)),
        }
    }
    for source in sources.iter().filter(|it| it.tfvars) {
        match source.text.as_deref().map_err(String::clone).and_then(parse) {
            Ok(body) => {
                for attribute in body.attributes() {
                    variable_defaults.insert(attribute.key.to_string(), attribute.expr.clone());
                }
            }
            Err(error) => module.errors.push(format!("{}: {error}", source.name)),
        }
    }
    evaluate_values(&mut module, variable_defaults, locals);
    module
}

/// The file's name as the report shows it. Files of the same name from two inputs both go to
/// the `.plan` file of that name.
fn display_name(path: &Path) -> String {
    path.file_name().and_then(|it| it.to_str()).map(str::to_string).unwrap_or_else(|| path.display().to_string())
}

fn read_text(path: &Path) -> Result<String, String> {
    let metadata = std::fs::metadata(path).map_err(|error| error.to_string())?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!("larger than {} MiB; not read", MAX_FILE_BYTES / 1024 / 1024));
    }
    std::fs::read_to_string(path).map_err(|error| error.to_string())
}

/// Parses HCL text, refusing nesting deeper than `MAX_DEPTH` before hcl-rs sees it.
pub fn parse(text: &str) -> Result<Body, String> {
    if let Some(line) = too_deep(text) {
        return Err(format!("line {line}: brackets nest deeper than {MAX_DEPTH} levels; not read"));
    }
    hcl::parse(text).map_err(|error| match error {
        hcl::Error::Parse(error) => format!(
            "line {}, column {}: {}",
            error.location().line(),
            error.location().column(),
            error.message().lines().next().unwrap_or("syntax error")
        ),
        other => other.to_string(),
    })
}

/// The line where brackets first nest deeper than allowed, skipping strings and comments. It
/// over-counts only in text hcl-rs would reject anyway or in pathological templates.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut line, mut at) = (0usize, 1usize, 0usize);
    while at < bytes.len() {
        match bytes[at] {
            b'\n' => line += 1,
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(line);
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            b'#' => {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
                continue;
            }
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
                continue;
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                at += 2;
                while at < bytes.len() && !(bytes[at] == b'*' && bytes.get(at + 1) == Some(&b'/')) {
                    line += usize::from(bytes[at] == b'\n');
                    at += 1;
                }
                at += 2;
                continue;
            }
            b'"' => {
                // A string; `${` inside it opens an interpolation, which counts as nesting.
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' && bytes[at] != b'\n' {
                    match bytes[at] {
                        b'\\' => at += 1,
                        b'{' => {
                            depth += 1;
                            if depth > MAX_DEPTH {
                                return Some(line);
                            }
                        }
                        b'}' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    at += 1;
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

fn collect(
    module: &mut Module,
    file: &str,
    body: Body,
    variable_defaults: &mut BTreeMap<String, Expression>,
    locals: &mut Vec<(String, Expression)>,
) {
    for block in body.into_blocks() {
        let labels: Vec<String> = block.labels.iter().map(|it| it.as_str().to_string()).collect();
        match (block.identifier.as_str(), labels.as_slice()) {
            ("resource", [r#type, name]) => module.resources.push(Resource {
                r#type: r#type.clone(),
                name: name.clone(),
                file: file.to_string(),
                body: block.body,
            }),
            ("data", [r#type, name]) => module.data.push(Resource {
                r#type: r#type.clone(),
                name: name.clone(),
                file: file.to_string(),
                body: block.body,
            }),
            ("variable", [name]) => {
                if let Some(default) = block.body.attributes().find(|it| it.key.as_str() == "default") {
                    variable_defaults.insert(name.clone(), default.expr.clone());
                }
            }
            ("locals", []) => {
                for attribute in block.body.attributes() {
                    locals.push((attribute.key.to_string(), attribute.expr.clone()));
                }
            }
            ("provider", [name]) => {
                module.providers.entry(name.clone()).or_insert(block.body);
            }
            ("module", [name]) => {
                let source = block
                    .body
                    .attributes()
                    .find(|it| it.key.as_str() == "source")
                    .and_then(|it| match &it.expr {
                        Expression::String(source) => Some(source.clone()),
                        _ => None,
                    })
                    .unwrap_or_default();
                if let Some(key) = known_module(&source) {
                    module.resources.push(Resource {
                        r#type: format!("module:{key}"),
                        name: name.clone(),
                        file: file.to_string(),
                        body: block.body,
                    });
                    continue;
                }
                module.skipped.push(Skipped {
                    address: format!("module.{name}"),
                    file: file.to_string(),
                    why: format!(
                        "a module call (source `{source}`): Plan does not read modules; import the module's own directory, or describe what it creates as Plan blocks"
                    ),
                });
            }
            ("output", [name]) => module.skipped.push(Skipped {
                address: format!("output.{name}"),
                file: file.to_string(),
                why: "an output: Plan blocks have their own outputs (`db.host`, `cluster.endpoint`)".into(),
            }),
            ("terraform", []) => module.skipped.push(Skipped {
                address: "terraform".into(),
                file: file.to_string(),
                why: "Terraform settings: planc writes its own `versions.tf`; the state backend is `plan.state`".into(),
            }),
            (other, labels) => module.skipped.push(Skipped {
                address: std::iter::once(other.to_string()).chain(labels.iter().cloned()).collect::<Vec<_>>().join("."),
                file: file.to_string(),
                why: format!("a `{other}` block: Plan has nothing it could become"),
            }),
        }
    }
}

/// Variables from their defaults and tfvars, then locals in as many passes as their
/// dependencies need. What does not evaluate (a variable without a value, a local built from
/// resources) stays out, and a value using it is reported where it is used.
fn evaluate_values(module: &mut Module, variables: BTreeMap<String, Expression>, locals: Vec<(String, Expression)>) {
    for (name, expression) in variables {
        let context = context(module);
        if let Some(value) = evaluate(&expression, &context) {
            module.variables.insert(name, value);
        }
    }
    let mut pending = locals;
    loop {
        let before = pending.len();
        let mut still = Vec::new();
        for (name, expression) in pending {
            let context = context(module);
            match evaluate(&expression, &context) {
                Some(value) => {
                    module.locals.insert(name, value);
                }
                None => still.push((name, expression)),
            }
        }
        pending = still;
        if pending.is_empty() || pending.len() == before {
            break;
        }
    }
}

/// Evaluates an expression without letting hcl-rs do arithmetic: its numbers panic on a
/// remainder by zero and overflow in debug builds. `+ - * / %` at the top of an expression
/// (or of a parenthesis) are computed here with checked operations; arithmetic anywhere else
/// (inside a list, a call, a template, a condition) leaves the expression unevaluated, and the
/// caller reports it as not a literal.
pub fn evaluate(expression: &Expression, context: &Context<'_>) -> Option<Value> {
    use hcl::expr::Operation;
    match expression {
        Expression::Parenthesis(inner) => evaluate(inner, context),
        Expression::Operation(operation) => match operation.as_ref() {
            Operation::Binary(binary) if is_arithmetic(binary.operator) => {
                let lhs = evaluate(&binary.lhs_expr, context)?;
                let rhs = evaluate(&binary.rhs_expr, context)?;
                arithmetic(binary.operator, lhs.as_number()?, rhs.as_number()?)
            }
            _ if has_arithmetic(expression) => None,
            _ => expression.evaluate(context).ok(),
        },
        _ if has_arithmetic(expression) => None,
        _ => expression.evaluate(context).ok(),
    }
}

fn is_arithmetic(operator: hcl::expr::BinaryOperator) -> bool {
    use hcl::expr::BinaryOperator::*;
    matches!(operator, Plus | Minus | Mul | Div | Mod)
}

/// Checked integer arithmetic where both sides are integers, finite floats otherwise.
fn arithmetic(operator: hcl::expr::BinaryOperator, lhs: &hcl::Number, rhs: &hcl::Number) -> Option<Value> {
    use hcl::expr::BinaryOperator::*;
    if let (Some(a), Some(b), false) = (lhs.as_i64(), rhs.as_i64(), operator == Div) {
        let result = match operator {
            Plus => a.checked_add(b),
            Minus => a.checked_sub(b),
            Mul => a.checked_mul(b),
            Mod => a.checked_rem(b),
            _ => None,
        }?;
        return Some(Value::Number(hcl::Number::from(result)));
    }
    let (a, b) = (lhs.as_f64()?, rhs.as_f64()?);
    let result = match operator {
        Plus => a + b,
        Minus => a - b,
        Mul => a * b,
        Div if b != 0.0 => a / b,
        Mod if b != 0.0 => a % b,
        _ => return None,
    };
    hcl::Number::from_f64(result).map(Value::Number)
}

/// Whether arithmetic (or a template directive, which may hold some) appears anywhere in it.
fn has_arithmetic(expression: &Expression) -> bool {
    use hcl::expr::{Operation, TraversalOperator};
    match expression {
        Expression::Operation(operation) => match operation.as_ref() {
            Operation::Binary(binary) => {
                is_arithmetic(binary.operator) || has_arithmetic(&binary.lhs_expr) || has_arithmetic(&binary.rhs_expr)
            }
            Operation::Unary(unary) => has_arithmetic(&unary.expr),
        },
        Expression::Array(items) => items.iter().any(has_arithmetic),
        Expression::Object(entries) => entries.iter().any(|(key, value)| {
            matches!(key, hcl::ObjectKey::Expression(key) if has_arithmetic(key)) || has_arithmetic(value)
        }),
        Expression::Parenthesis(inner) => has_arithmetic(inner),
        Expression::FuncCall(call) => call.args.iter().any(has_arithmetic),
        Expression::Conditional(it) => {
            has_arithmetic(&it.cond_expr) || has_arithmetic(&it.true_expr) || has_arithmetic(&it.false_expr)
        }
        Expression::Traversal(traversal) => {
            has_arithmetic(&traversal.expr)
                || traversal
                    .operators
                    .iter()
                    .any(|it| matches!(it, TraversalOperator::Index(index) if has_arithmetic(index)))
        }
        Expression::ForExpr(it) => {
            has_arithmetic(&it.collection_expr)
                || has_arithmetic(&it.value_expr)
                || it.key_expr.as_ref().is_some_and(has_arithmetic)
                || it.cond_expr.as_ref().is_some_and(has_arithmetic)
        }
        Expression::TemplateExpr(template) => match hcl::Template::from_expr(template) {
            Ok(parsed) => parsed.elements().iter().any(|element| match element {
                hcl::template::Element::Literal(_) => false,
                hcl::template::Element::Interpolation(it) => has_arithmetic(&it.expr),
                hcl::template::Element::Directive(_) => true,
            }),
            Err(_) => true,
        },
        _ => false,
    }
}

/// The evaluation context: `var`, `local` and the functions a literal is commonly built with.
pub fn context(module: &Module) -> Context<'static> {
    let mut context = Context::new();
    let object = |values: &BTreeMap<String, Value>| {
        Value::Object(values.iter().map(|(key, value)| (key.clone(), value.clone())).collect())
    };
    context.declare_var("var", object(&module.variables));
    context.declare_var("local", object(&module.locals));
    context.declare_func("jsonencode", FuncDef::builder().param(ParamType::Any).build(jsonencode));
    context.declare_func("tostring", FuncDef::builder().param(ParamType::Any).build(tostring));
    context.declare_func("lower", FuncDef::builder().param(ParamType::String).build(lower));
    context.declare_func("upper", FuncDef::builder().param(ParamType::String).build(upper));
    context.declare_func("tolist", FuncDef::builder().param(ParamType::Any).build(identity));
    context.declare_func("toset", FuncDef::builder().param(ParamType::Any).build(identity));
    context.declare_func("merge", FuncDef::builder().variadic_param(ParamType::Any).build(merge));
    context.declare_func("concat", FuncDef::builder().variadic_param(ParamType::Any).build(concat));
    context
}

fn jsonencode(args: FuncArgs) -> Result<Value, String> {
    serde_json::to_string(&args[0]).map(Value::String).map_err(|error| error.to_string())
}

fn tostring(args: FuncArgs) -> Result<Value, String> {
    match &args[0] {
        Value::String(text) => Ok(Value::String(text.clone())),
        Value::Number(number) => Ok(Value::String(number.to_string())),
        Value::Bool(value) => Ok(Value::String(value.to_string())),
        _ => Err("tostring takes a string, number or bool".into()),
    }
}

fn lower(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::String(args[0].as_str().unwrap_or_default().to_lowercase()))
}

fn upper(args: FuncArgs) -> Result<Value, String> {
    Ok(Value::String(args[0].as_str().unwrap_or_default().to_uppercase()))
}

fn identity(args: FuncArgs) -> Result<Value, String> {
    Ok(args[0].clone())
}

fn merge(args: FuncArgs) -> Result<Value, String> {
    let mut merged = hcl::Map::new();
    for value in args.variadic_args() {
        match value {
            Value::Object(entries) => merged.extend(entries.clone()),
            Value::Null => {}
            _ => return Err("merge takes objects".into()),
        }
    }
    Ok(Value::Object(merged))
}

fn concat(args: FuncArgs) -> Result<Value, String> {
    let mut all = Vec::new();
    for value in args.variadic_args() {
        match value {
            Value::Array(items) => all.extend(items.iter().cloned()),
            _ => return Err("concat takes lists".into()),
        }
    }
    Ok(Value::Array(all))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = format!("x = {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let error = parse(&text).err().unwrap_or_default();
        assert!(error.contains("nest deeper than"), "{error}");
    }

    #[test]
    fn a_parse_error_names_its_line() {
        let error = parse("resource \"aws_vpc\" \"main\" {\n  cidr_block = \n}\n").err().unwrap_or_default();
        assert!(error.starts_with("line 3") || error.starts_with("line 2"), "{error}");
    }

    #[test]
    fn registry_and_git_sources_of_known_modules_are_recognised() {
        assert_eq!(known_module("terraform-aws-modules/vpc/aws"), Some("vpc"));
        assert_eq!(known_module("registry.terraform.io/terraform-aws-modules/eks/aws"), Some("eks"));
        assert_eq!(
            known_module("git::https://github.com/terraform-aws-modules/terraform-aws-rds.git?ref=v6.10.0"),
            Some("rds")
        );
        assert_eq!(known_module("terraform-aws-modules/eks/aws//modules/karpenter"), None);
        assert_eq!(known_module("../../"), None);
    }

    #[test]
    fn arithmetic_is_checked_not_left_to_hcl_rs() {
        let module = Module::default();
        let context = context(&module);
        let eval = |text: &str| evaluate(&text.parse::<Expression>().unwrap_or(Expression::Null), &context);
        assert_eq!(eval("7 % 0"), None);
        assert_eq!(eval("1 / 0"), None);
        assert_eq!(eval("9223372036854775807 + 1"), None);
        assert_eq!(eval("[1 % 0]"), None);
        assert_eq!(eval("\"${1 % 0}\""), None);
        assert_eq!(eval("(6 * 7)"), Some(Value::from(42)));
        assert_eq!(eval("7 / 2"), Some(Value::from(3.5)));
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_count() {
        let text = format!("# {}\nx = \"{}\"\n", "{".repeat(500), "[".repeat(500));
        assert!(parse(&text).is_ok());
    }
}
