//! The tower-lsp glue: LSP requests in, `analysis` calls on the shared database, LSP answers
//! out. Every handler runs under `guard`, which turns a panic into an error response so that
//! the server keeps serving.

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use planc::db::{all_diagnostics, new_source_file, Database, SourceFile, Workspace};
use planc::diagnostics::{Diagnostic as PlanDiagnostic, LineIndex, Severity};
use planc::syntax::{TextRange, TextSize};
use salsa::Setter;
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

use crate::analysis;

pub struct State {
    pub db: Database,
    pub workspace: Option<Workspace>,
    /// Path (as diagnostics name it) to input.
    pub files: BTreeMap<String, SourceFile>,
    pub uris: HashMap<String, Url>,
    /// What was last published per file, so unchanged diagnostics are not sent again.
    published: HashMap<String, Vec<tower_lsp::lsp_types::Diagnostic>>,
    /// The workspace folders, where `planc build` writes `out/` by default.
    roots: Vec<PathBuf>,
}

pub struct Backend {
    client: Client,
    /// Whether the client lets the server register for file-change notifications.
    watch_files: std::sync::atomic::AtomicBool,
    state: Arc<Mutex<State>>,
    generation: Arc<AtomicU64>,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            watch_files: std::sync::atomic::AtomicBool::new(false),
            state: Arc::new(Mutex::new(State {
                db: Database::default(),
                workspace: None,
                files: BTreeMap::new(),
                uris: HashMap::new(),
                published: HashMap::new(),
                roots: Vec::new(),
            })),
            generation: Arc::new(AtomicU64::new(0)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` on the state; a panic becomes an error response instead of a dead server.
    fn guard<T>(&self, work: impl FnOnce(&mut State) -> Option<T>) -> Result<Option<T>> {
        let mut state = self.lock();
        match std::panic::catch_unwind(AssertUnwindSafe(|| work(&mut state))) {
            Ok(value) => Ok(value),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|it| it.to_string()))
                    .unwrap_or_else(|| "unknown".into());
                Err(Error {
                    code: ErrorCode::InternalError,
                    message: format!("plan-lsp failed on this request: {message}").into(),
                    data: None,
                })
            }
        }
    }

    /// Publishes diagnostics a few milliseconds after the last change, unless another arrives.
    fn schedule_diagnostics(&self) {
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let (state, counter, client) = (Arc::clone(&self.state), Arc::clone(&self.generation), self.client.clone());
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(3)).await;
            if counter.load(Ordering::SeqCst) != generation {
                return;
            }
            let batches = {
                let mut state = state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                match std::panic::catch_unwind(AssertUnwindSafe(|| diagnostics_to_publish(&mut state))) {
                    Ok(batches) => batches,
                    Err(_) => return,
                }
            };
            for (uri, diagnostics) in batches {
                client.publish_diagnostics(uri, diagnostics, None).await;
            }
        });
    }
}

fn path_of(uri: &Url) -> String {
    match uri.to_file_path() {
        Ok(path) => path.to_string_lossy().into_owned(),
        Err(()) => uri.to_string(),
    }
}

fn uri_of(state: &State, path: &str) -> Option<Url> {
    state.uris.get(path).cloned().or_else(|| Url::from_file_path(path).ok())
}

pub fn position(text: &str, index: &LineIndex, offset: TextSize) -> Position {
    let at = index.line_col_utf16(text, offset);
    Position { line: at.line, character: at.col }
}

pub fn range(text: &str, index: &LineIndex, range: TextRange) -> Range {
    Range { start: position(text, index, range.start()), end: position(text, index, range.end()) }
}

pub fn offset(text: &str, index: &LineIndex, position: Position) -> TextSize {
    index.offset_utf16(text, planc::diagnostics::line_index::LineCol { line: position.line, col: position.character })
}

fn add_file(state: &mut State, path: String, uri: Option<Url>, bytes: Vec<u8>) -> SourceFile {
    if let Some(uri) = uri {
        state.uris.insert(path.clone(), uri);
    }
    let file = new_source_file(&state.db, path.clone(), bytes);
    state.files.insert(path, file);
    let files: Vec<SourceFile> = state.files.values().copied().collect();
    match state.workspace {
        Some(workspace) => {
            workspace.set_files(&mut state.db).to(files);
        }
        None => state.workspace = Some(Workspace::new(&state.db, files)),
    }
    file
}

fn load_folder(state: &mut State, root: &Path) {
    let Ok(paths) = planc::cli::workspace::discover(root) else { return };
    for path in paths {
        let key = path.to_string_lossy().into_owned();
        if state.files.contains_key(&key) {
            continue;
        }
        if let Ok(bytes) = planc::cli::workspace::read_source(&path) {
            add_file(state, key, None, bytes);
        }
    }
}

/// Line indexes of the files a batch of diagnostics points into, each built once: a file with
/// thousands of warnings would otherwise be scanned for line breaks thousands of times.
#[derive(Default)]
struct LineIndexes(HashMap<String, LineIndex>);

impl LineIndexes {
    fn get(&mut self, path: &str, text: &str) -> &LineIndex {
        self.0.entry(path.to_string()).or_insert_with(|| LineIndex::new(text))
    }
}

fn to_lsp_diagnostic(
    state: &State,
    indexes: &mut LineIndexes,
    diagnostic: &PlanDiagnostic,
) -> Option<tower_lsp::lsp_types::Diagnostic> {
    let file = state.files.get(diagnostic.primary.file.as_ref())?;
    let text = file.text(&state.db);
    let severity = match diagnostic.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .secondary
        .iter()
        .filter_map(|label| {
            let other = state.files.get(label.file.as_ref())?;
            let other_text = other.text(&state.db);
            let other_index = indexes.get(&label.file, other_text);
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri: uri_of(state, &label.file)?,
                    range: range(other_text, other_index, label.range),
                },
                message: label.message.clone(),
            })
        })
        .collect();
    let name = planc::diagnostics::code_info(diagnostic.code).map(|it| it.name).unwrap_or("");
    Some(tower_lsp::lsp_types::Diagnostic {
        range: range(text, indexes.get(&diagnostic.primary.file, text), diagnostic.primary.range),
        severity: Some(severity),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: Url::parse(&format!("https://plan.dev/docs/{}-{name}", diagnostic.code))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some("planc".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    })
}

/// The diagnostics of every file whose diagnostics changed since they were last published.
fn diagnostics_to_publish(state: &mut State) -> Vec<(Url, Vec<tower_lsp::lsp_types::Diagnostic>)> {
    let Some(workspace) = state.workspace else { return Vec::new() };
    let all = all_diagnostics(&state.db, workspace);
    let mut by_file: BTreeMap<String, Vec<tower_lsp::lsp_types::Diagnostic>> =
        state.files.keys().map(|it| (it.clone(), Vec::new())).collect();
    let mut indexes = LineIndexes::default();
    for diagnostic in &all {
        if let Some(converted) = to_lsp_diagnostic(state, &mut indexes, diagnostic) {
            by_file.entry(diagnostic.primary.file.to_string()).or_default().push(converted);
        }
    }
    let mut batches = Vec::new();
    for (path, diagnostics) in by_file {
        if state.published.get(&path) == Some(&diagnostics) {
            continue;
        }
        if let Some(uri) = uri_of(state, &path) {
            state.published.insert(path, diagnostics.clone());
            batches.push((uri, diagnostics));
        }
    }
    batches
}

/// The file of a URI and its text with a line index.
fn document(state: &State, uri: &Url) -> Option<(SourceFile, Arc<str>, LineIndex)> {
    let file = *state.files.get(&path_of(uri))?;
    let text = Arc::clone(file.text(&state.db));
    let index = LineIndex::new(&text);
    Some((file, text, index))
}

fn location(state: &State, at: &analysis::Location) -> Option<Location> {
    let path = at.file.path(&state.db);
    let text = at.file.text(&state.db);
    let index = LineIndex::new(text);
    Some(Location { uri: uri_of(state, path)?, range: range(text, &index, at.range) })
}

fn symbol_kind(kind: &str) -> SymbolKind {
    match kind {
        "plan" => SymbolKind::MODULE,
        "env" => SymbolKind::NAMESPACE,
        "network" | "subnet" => SymbolKind::INTERFACE,
        "cluster" | "node_pool" => SymbolKind::PACKAGE,
        "service" | "worker" | "job" | "function" => SymbolKind::FUNCTION,
        "database" | "cache" | "bucket" => SymbolKind::STRUCT,
        "queue" | "topic" => SymbolKind::EVENT,
        "decision" | "option" => SymbolKind::OBJECT,
        _ => SymbolKind::CLASS,
    }
}

#[allow(deprecated)]
fn document_symbol(text: &str, index: &LineIndex, symbol: &analysis::Symbol) -> DocumentSymbol {
    DocumentSymbol {
        name: symbol.name.clone(),
        detail: Some(symbol.kind.clone()),
        kind: symbol_kind(&symbol.kind),
        tags: None,
        deprecated: None,
        range: range(text, index, symbol.range),
        selection_range: range(text, index, symbol.selection),
        children: Some(symbol.children.iter().map(|it| document_symbol(text, index, it)).collect()),
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let dynamic = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|it| it.did_change_watched_files.as_ref())
            .and_then(|it| it.dynamic_registration)
            .unwrap_or(false);
        self.watch_files.store(dynamic, Ordering::SeqCst);
        let mut roots: Vec<PathBuf> =
            params.workspace_folders.unwrap_or_default().iter().filter_map(|it| it.uri.to_file_path().ok()).collect();
        #[allow(deprecated)]
        if roots.is_empty() {
            if let Some(root) = params.root_uri.and_then(|it| it.to_file_path().ok()) {
                roots.push(root);
            }
        }
        {
            let mut state = self.lock();
            state.roots = roots.clone();
            for root in &roots {
                load_folder(&mut state, root);
            }
            if state.workspace.is_none() {
                state.workspace = Some(Workspace::new(&state.db, Vec::new()));
            }
        }
        let legend = SemanticTokensLegend {
            token_types: analysis::TOKEN_TYPES.iter().map(|it| SemanticTokenType::new(it)).collect(),
            token_modifiers: Vec::new(),
        };
        Ok(InitializeResult {
            server_info: Some(ServerInfo { name: "plan-lsp".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::INCREMENTAL)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["=".into(), " ".into(), ".".into()]),
                    ..CompletionOptions::default()
                }),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                })),
                document_formatting_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
                inlay_hint_provider: Some(OneOf::Left(true)),
                semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
                    SemanticTokensOptions {
                        legend,
                        full: Some(SemanticTokensFullOptions::Bool(true)),
                        range: None,
                        work_done_progress_options: WorkDoneProgressOptions::default(),
                    },
                )),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                workspace: Some(WorkspaceServerCapabilities { workspace_folders: None, file_operations: None }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![analysis::COST_REPORT_COMMAND.into()],
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
                ..ServerCapabilities::default()
            },
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        if !self.watch_files.load(Ordering::SeqCst) {
            self.schedule_diagnostics();
            return;
        }
        let watchers = vec![FileSystemWatcher { glob_pattern: GlobPattern::String("**/*.plan".into()), kind: None }];
        let registration = Registration {
            id: "plan-files".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(DidChangeWatchedFilesRegistrationOptions { watchers }).ok(),
        };
        let _ = self.client.register_capability(vec![registration]).await;
        self.schedule_diagnostics();
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        {
            let mut state = self.lock();
            let path = path_of(&params.text_document.uri);
            state.uris.insert(path.clone(), params.text_document.uri.clone());
            match state.files.get(&path).copied() {
                Some(file) => {
                    if file.text(&state.db).as_ref() != params.text_document.text {
                        file.set_text(&mut state.db).to(Arc::from(params.text_document.text));
                        file.set_invalid_utf8_at(&mut state.db).to(None);
                    }
                }
                None => {
                    add_file(&mut state, path, Some(params.text_document.uri), params.text_document.text.into_bytes());
                }
            }
        }
        self.schedule_diagnostics();
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        {
            let mut state = self.lock();
            let path = path_of(&params.text_document.uri);
            let Some(file) = state.files.get(&path).copied() else { return };
            let mut text = file.text(&state.db).to_string();
            for change in params.content_changes {
                match change.range {
                    Some(change_range) => {
                        let index = LineIndex::new(&text);
                        let start = usize::from(offset(&text, &index, change_range.start)).min(text.len());
                        let end = usize::from(offset(&text, &index, change_range.end)).clamp(start, text.len());
                        text.replace_range(start..end, &change.text);
                    }
                    None => text = change.text,
                }
            }
            file.set_text(&mut state.db).to(Arc::from(text));
        }
        self.schedule_diagnostics();
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        // The file on disk is the truth again.
        let mut state = self.lock();
        let path = path_of(&params.text_document.uri);
        if let (Some(file), Ok(bytes)) = (state.files.get(&path).copied(), planc::cli::workspace::read_source(&path)) {
            let (text, invalid) = planc::db::decode(bytes);
            file.set_text(&mut state.db).to(text);
            file.set_invalid_utf8_at(&mut state.db).to(invalid);
        }
        drop(state);
        self.schedule_diagnostics();
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        {
            let mut state = self.lock();
            for change in params.changes {
                let path = path_of(&change.uri);
                if change.typ == FileChangeType::DELETED {
                    if state.files.remove(&path).is_some() {
                        let files: Vec<SourceFile> = state.files.values().copied().collect();
                        if let Some(workspace) = state.workspace {
                            workspace.set_files(&mut state.db).to(files);
                        }
                    }
                    continue;
                }
                let Ok(bytes) = planc::cli::workspace::read_source(&path) else { continue };
                match state.files.get(&path).copied() {
                    Some(file) => {
                        let (text, invalid) = planc::db::decode(bytes);
                        file.set_text(&mut state.db).to(text);
                        file.set_invalid_utf8_at(&mut state.db).to(invalid);
                    }
                    None => {
                        add_file(&mut state, path, Some(change.uri), bytes);
                    }
                }
            }
        }
        self.schedule_diagnostics();
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let at = params.text_document_position_params.position;
        self.guard(|state| {
            let (file, text, index) = document(state, &uri)?;
            let (markdown, hover_range) =
                analysis::hover(&state.db, state.workspace?, file, offset(&text, &index, at))?;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
                range: Some(range(&text, &index, hover_range)),
            })
        })
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri;
        let at = params.text_document_position.position;
        self.guard(|state| {
            let (file, text, index) = document(state, &uri)?;
            let items = analysis::completions(&state.db, state.workspace?, file, offset(&text, &index, at));
            Some(CompletionResponse::Array(
                items
                    .into_iter()
                    .map(|item| CompletionItem {
                        kind: Some(match item.kind {
                            analysis::CompletionKind::Kind => CompletionItemKind::CLASS,
                            analysis::CompletionKind::Attribute => CompletionItemKind::PROPERTY,
                            analysis::CompletionKind::Value => CompletionItemKind::ENUM_MEMBER,
                            analysis::CompletionKind::Reference => CompletionItemKind::REFERENCE,
                            analysis::CompletionKind::Env => CompletionItemKind::MODULE,
                            analysis::CompletionKind::Unit => CompletionItemKind::UNIT,
                        }),
                        detail: Some(item.detail),
                        insert_text_format: item.snippet.as_ref().map(|_| InsertTextFormat::SNIPPET),
                        insert_text: item.snippet,
                        label: item.label,
                        ..CompletionItem::default()
                    })
                    .collect(),
            ))
        })
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let uri = params.text_document_position_params.text_document.uri;
        let at = params.text_document_position_params.position;
        self.guard(|state| {
            let (file, text, index) = document(state, &uri)?;
            let target = analysis::definition(&state.db, state.workspace?, file, offset(&text, &index, at))?;
            Some(GotoDefinitionResponse::Scalar(location(state, &target)?))
        })
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let uri = params.text_document_position.text_document.uri;
        let at = params.text_document_position.position;
        let include_declaration = params.context.include_declaration;
        self.guard(|state| {
            let (file, text, index) = document(state, &uri)?;
            let workspace = state.workspace?;
            let (name, _) = analysis::prepare_rename(&state.db, workspace, file, offset(&text, &index, at))?;
            let mut found = Vec::new();
            if include_declaration {
                if let Some((declaration, _)) = analysis::declaration(&state.db, workspace, &name) {
                    found.extend(location(state, &declaration));
                }
            }
            found.extend(analysis::references(&state.db, workspace, &name).iter().filter_map(|it| location(state, it)));
            Some(found)
        })
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        let uri = params.text_document_position_params.text_document.uri;
        let at = params.text_document_position_params.position;
        self.guard(|state| {
            let (file, text, index) = document(state, &uri)?;
            let workspace = state.workspace?;
            let (name, _) = analysis::prepare_rename(&state.db, workspace, file, offset(&text, &index, at))?;
            let mut highlights = Vec::new();
            if let Some((declaration, _)) = analysis::declaration(&state.db, workspace, &name) {
                if declaration.file == file {
                    highlights.push(DocumentHighlight {
                        range: range(&text, &index, declaration.range),
                        kind: Some(DocumentHighlightKind::WRITE),
                    });
                }
            }
            for reference in analysis::references(&state.db, workspace, &name).into_iter().filter(|it| it.file == file)
            {
                highlights.push(DocumentHighlight {
                    range: range(&text, &index, reference.range),
                    kind: Some(DocumentHighlightKind::READ),
                });
            }
            Some(highlights)
        })
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        self.guard(|state| {
            let (file, text, index) = document(state, &params.text_document.uri)?;
            let symbols = analysis::document_symbols(&state.db, file);
            Some(DocumentSymbolResponse::Nested(symbols.iter().map(|it| document_symbol(&text, &index, it)).collect()))
        })
    }

    #[allow(deprecated)]
    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<Vec<SymbolInformation>>> {
        self.guard(|state| {
            let found = analysis::workspace_symbols(&state.db, state.workspace?, &params.query);
            Some(
                found
                    .iter()
                    .filter_map(|(symbol, file)| {
                        let at = analysis::Location { file: *file, range: symbol.selection };
                        Some(SymbolInformation {
                            name: symbol.name.clone(),
                            kind: symbol_kind(&symbol.kind),
                            tags: None,
                            deprecated: None,
                            location: location(state, &at)?,
                            container_name: Some(symbol.kind.clone()),
                        })
                    })
                    .collect(),
            )
        })
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        self.guard(|state| {
            let (file, text, index) = document(state, &params.text_document.uri)?;
            let (name, name_range) =
                analysis::prepare_rename(&state.db, state.workspace?, file, offset(&text, &index, params.position))?;
            Some(PrepareRenameResponse::RangeWithPlaceholder {
                range: range(&text, &index, name_range),
                placeholder: name,
            })
        })
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let uri = params.text_document_position.text_document.uri;
        let at = params.text_document_position.position;
        let result = self.guard(|state| {
            let (file, text, index) = document(state, &uri)?;
            let workspace = state.workspace?;
            let at_offset = offset(&text, &index, at);
            let old_name = analysis::prepare_rename(&state.db, workspace, file, at_offset).map(|it| it.0);
            Some(analysis::rename(&state.db, workspace, file, at_offset, &params.new_name).map(|mut edits| {
                // A block a previous build produced keeps its resources: the rename records
                // its old name for `moved` blocks.
                if let Some(old_name) = &old_name {
                    let built = analysis::built_blocks(&state.roots);
                    edits.extend(analysis::renamed_from_edit(&state.db, workspace, old_name, &built));
                }
                let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
                for (at, new_text) in edits {
                    if let Some(location) = location(state, &at) {
                        changes.entry(location.uri).or_default().push(TextEdit { range: location.range, new_text });
                    }
                }
                WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }
            }))
        })?;
        match result {
            Some(Ok(edit)) => Ok(Some(edit)),
            Some(Err(message)) => Err(Error { code: ErrorCode::InvalidParams, message: message.into(), data: None }),
            None => Ok(None),
        }
    }

    /// `plan.server.costReport [{ "env": NAME }]`: the workspace's cost report as Markdown, for
    /// an editor command to show (the same report as `planc cost --format markdown`).
    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<serde_json::Value>> {
        if params.command != analysis::COST_REPORT_COMMAND {
            return Err(Error::invalid_params(format!("unknown command `{}`", params.command)));
        }
        let env = params.arguments.first().and_then(|it| match it {
            serde_json::Value::String(env) => Some(env.clone()),
            other => other.get("env").and_then(|it| it.as_str()).map(str::to_string),
        });
        self.guard(|state| {
            let report = analysis::cost_report(&state.db, state.workspace?, env.as_deref());
            Some(serde_json::Value::String(report))
        })
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.guard(|state| {
            let (_, text, index) = document(state, &params.text_document.uri)?;
            let formatted = planc::fmt::format(&text).ok()?;
            if formatted == *text {
                return Some(Vec::new());
            }
            Some(vec![TextEdit {
                range: range(&text, &index, TextRange::up_to(TextSize::from(text.len() as u32))),
                new_text: formatted,
            }])
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.guard(|state| {
            let (file, text, index) = document(state, &params.text_document.uri)?;
            let workspace = state.workspace?;
            let wanted = {
                // A client may send an inverted range: take it as the span between its ends.
                let (a, b) = (offset(&text, &index, params.range.start), offset(&text, &index, params.range.end));
                TextRange::new(a.min(b), a.max(b))
            };
            let path = file.path(&state.db).clone();
            let mut actions = Vec::new();
            let parse = planc::db::parse(&state.db, file);
            // After the fixes: ignoring a problem is the last resort.
            let mut ignores = Vec::new();
            for diagnostic in all_diagnostics(&state.db, workspace).iter().filter(|it| it.primary.file == path) {
                if diagnostic.primary.range.intersect(wanted).is_none()
                    && !diagnostic.primary.range.contains_range(wanted)
                {
                    continue;
                }
                let ignore =
                    planc::check::ignore::ignore_edit(parse, &text, &path, diagnostic.code, diagnostic.primary.range);
                if let Some(edit) = ignore {
                    let edit = TextEdit { range: range(&text, &index, edit.range), new_text: edit.new_text };
                    ignores.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("Ignore {} here (say why)", diagnostic.code),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: to_lsp_diagnostic(state, &mut LineIndexes::default(), diagnostic)
                            .map(|it| vec![it]),
                        edit: Some(WorkspaceEdit {
                            changes: Some(HashMap::from([(params.text_document.uri.clone(), vec![edit])])),
                            ..WorkspaceEdit::default()
                        }),
                        is_preferred: Some(false),
                        ..CodeAction::default()
                    }));
                }
                let Some(fix) = &diagnostic.fix else { continue };
                let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
                for edit in &fix.edits {
                    let Some(target) = state.files.get(edit.file.as_ref()) else { continue };
                    let target_text = target.text(&state.db);
                    let target_index = LineIndex::new(target_text);
                    if let Some(uri) = uri_of(state, &edit.file) {
                        changes.entry(uri).or_default().push(TextEdit {
                            range: range(target_text, &target_index, edit.range),
                            new_text: edit.new_text.clone(),
                        });
                    }
                }
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: to_lsp_diagnostic(state, &mut LineIndexes::default(), diagnostic).map(|it| vec![it]),
                    edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
                    is_preferred: Some(fix.applicability == planc::diagnostics::Applicability::Safe),
                    ..CodeAction::default()
                }));
            }
            actions.extend(ignores);
            Some(actions)
        })
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.guard(|state| {
            let (file, text, index) = document(state, &params.text_document.uri)?;
            // No hints before the workspace is loaded: the costs need its plan facts.
            state.workspace?;
            let hints = analysis::inlay_hints(&state.db, file);
            Some(
                hints
                    .into_iter()
                    .map(|(at, label)| InlayHint {
                        position: position(&text, &index, at),
                        label: InlayHintLabel::String(format!(" {label}")),
                        kind: None,
                        text_edits: None,
                        tooltip: Some(InlayHintTooltip::String("estimated monthly cost, on-demand list prices".into())),
                        padding_left: Some(true),
                        padding_right: None,
                        data: None,
                    })
                    .collect(),
            )
        })
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        self.guard(|state| {
            let (file, text, index) = document(state, &params.text_document.uri)?;
            let mut data = Vec::new();
            let (mut previous_line, mut previous_start) = (0u32, 0u32);
            for (token_range, kind) in analysis::semantic_tokens(&state.db, file) {
                let start = position(&text, &index, token_range.start());
                let end = position(&text, &index, token_range.end());
                // Tokens spanning lines (text blocks, block comments) are sent for their first line.
                let length = if end.line == start.line { end.character - start.character } else { 1 };
                let delta_line = start.line - previous_line;
                let delta_start = if delta_line == 0 { start.character - previous_start } else { start.character };
                data.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length,
                    token_type: kind,
                    token_modifiers_bitset: 0,
                });
                previous_line = start.line;
                previous_start = start.character;
            }
            Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data }))
        })
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.guard(|state| {
            let (file, text, index) = document(state, &params.text_document.uri)?;
            Some(
                analysis::folding_ranges(&state.db, file)
                    .into_iter()
                    .filter_map(|it| {
                        let folded = range(&text, &index, it);
                        (folded.end.line > folded.start.line).then_some(FoldingRange {
                            start_line: folded.start.line,
                            start_character: None,
                            end_line: folded.end.line,
                            end_character: None,
                            kind: None,
                            collapsed_text: None,
                        })
                    })
                    .collect(),
            )
        })
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        self.guard(|state| {
            let (file, text, index) = document(state, &params.text_document.uri)?;
            Some(
                params
                    .positions
                    .iter()
                    .map(|at| {
                        let ranges = analysis::selection_ranges(&state.db, file, offset(&text, &index, *at));
                        let mut parent: Option<Box<SelectionRange>> = None;
                        for it in ranges.iter().rev() {
                            parent = Some(Box::new(SelectionRange { range: range(&text, &index, *it), parent }));
                        }
                        parent.map(|it| *it).unwrap_or(SelectionRange { range: Range::default(), parent: None })
                    })
                    .collect(),
            )
        })
    }
}
