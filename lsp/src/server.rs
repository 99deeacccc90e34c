//! The tower-lsp glue: LSP messages in, `plan_ide` calls out, LSP answers back. Changes go to
//! the `AnalysisHost`; requests and diagnostics run on `Analysis` snapshots on blocking threads,
//! so a keystroke cancels stale work instead of queueing behind it.

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use plan_ide::{self as ide, Analysis, AnalysisHost, Cancellable};
use planc::db::SourceFile;
use planc::diagnostics::{Diagnostic as PlanDiagnostic, LineIndex, Severity};
use planc::syntax::{TextRange, TextSize};
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};

/// What the server holds besides the database: the clients' URIs and what was published.
struct State {
    host: AnalysisHost,
    /// Path (as diagnostics name it) to the URI the client used for it.
    uris: Arc<HashMap<String, Url>>,
    /// What was last published per file, so unchanged diagnostics are neither converted nor
    /// sent again.
    published: Arc<HashMap<String, Arc<Published>>>,
    /// The workspace folders, where `planc build` writes `out/` by default.
    roots: Arc<Vec<PathBuf>>,
}

impl State {
    fn snapshot(&self) -> Snapshot {
        Snapshot { analysis: self.host.analysis(), uris: Arc::clone(&self.uris), roots: Arc::clone(&self.roots) }
    }

    fn remember_uri(&mut self, path: &str, uri: &Url) {
        if self.uris.get(path) != Some(uri) {
            Arc::make_mut(&mut self.uris).insert(path.to_string(), uri.clone());
        }
    }
}

/// A request's view of the workspace: an analysis snapshot and the URIs to answer with. It
/// never takes the state's lock, so a change can always cancel it.
struct Snapshot {
    analysis: Analysis,
    uris: Arc<HashMap<String, Url>>,
    roots: Arc<Vec<PathBuf>>,
}

impl Snapshot {
    fn uri_of(&self, path: &str) -> Option<Url> {
        self.uris.get(path).cloned().or_else(|| Url::from_file_path(path).ok())
    }

    /// The file of a URI, its text and its line index.
    fn document(&self, uri: &Url) -> Cancellable<Option<(SourceFile, &str, &LineIndex)>> {
        let Some(file) = self.analysis.file(&path_of(uri)) else { return Ok(None) };
        Ok(Some((file, self.analysis.text(file), self.analysis.line_index(file)?)))
    }

    fn location(&self, at: &ide::Location) -> Cancellable<Option<Location>> {
        let text = self.analysis.text(at.file);
        let index = self.analysis.line_index(at.file)?;
        Ok(self.uri_of(self.analysis.path(at.file)).map(|uri| Location { uri, range: range(text, index, at.range) }))
    }

    fn locations<'a>(&self, found: impl IntoIterator<Item = &'a ide::Location>) -> Cancellable<Vec<Location>> {
        let mut locations = Vec::new();
        for at in found {
            locations.extend(self.location(at)?);
        }
        Ok(locations)
    }
}

pub struct Backend {
    client: Client,
    /// Whether the client lets the server register for file-change notifications.
    watch_files: std::sync::atomic::AtomicBool,
    state: Arc<Mutex<State>>,
    /// Counts changes: a diagnostics run publishes only when no change came after it started.
    generation: Arc<AtomicU64>,
    /// Publications go out one run at a time, in the order of the changes.
    publishing: Arc<tokio::sync::Mutex<()>>,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        Backend {
            client,
            watch_files: std::sync::atomic::AtomicBool::new(false),
            state: Arc::new(Mutex::new(State {
                host: AnalysisHost::default(),
                uris: Arc::default(),
                published: Arc::default(),
                roots: Arc::default(),
            })),
            generation: Arc::new(AtomicU64::new(0)),
            publishing: Arc::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// Answers a request from a snapshot on a blocking thread, so that neither the protocol
    /// loop nor the next change waits for it. A change that arrives meanwhile cancels the work
    /// and the request answers `ContentModified`; a panic becomes an error response instead of
    /// a dead server.
    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Snapshot) -> Cancellable<Option<T>> + Send + 'static,
    ) -> Result<Option<T>> {
        let snapshot = self.lock().snapshot();
        let outcome =
            tokio::task::spawn_blocking(move || std::panic::catch_unwind(AssertUnwindSafe(|| work(&snapshot)))).await;
        match outcome {
            Ok(Ok(Ok(value))) => Ok(value),
            Ok(Ok(Err(_cancelled))) => Err(Error::content_modified()),
            Ok(Err(panic)) => Err(panic_error(panic)),
            Err(join) => Err(Error {
                code: ErrorCode::InternalError,
                message: format!("plan-lsp failed on this request: {join}").into(),
                data: None,
            }),
        }
    }

    /// Applies a change to the host; snapshots still computing are cancelled first.
    fn change(&self, apply: impl FnOnce(&mut State)) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        {
            let mut state = self.lock();
            // A panic in a change must not kill the server; the inputs stay as they were set.
            let _ = std::panic::catch_unwind(AssertUnwindSafe(|| apply(&mut state)));
        }
        self.schedule_diagnostics();
    }

    /// Publishes diagnostics a millisecond after the last change, unless another arrives: enough
    /// to take a burst of changes (a paste, several cursors) as one. A longer wait is not
    /// needed against fast typing, since the next change cancels a run still at work.
    fn schedule_diagnostics(&self) {
        let generation = self.generation.load(Ordering::SeqCst);
        let (state, counter, client) = (Arc::clone(&self.state), Arc::clone(&self.generation), self.client.clone());
        let publishing = Arc::clone(&self.publishing);
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            if counter.load(Ordering::SeqCst) != generation {
                return;
            }
            let (snapshot, published) = {
                let state = lock(&state);
                (state.snapshot(), Arc::clone(&state.published))
            };
            let computed = tokio::task::spawn_blocking(move || {
                std::panic::catch_unwind(AssertUnwindSafe(|| changed_diagnostics(&snapshot, &published)))
            })
            .await;
            // Cancelled or failed: the change that cancelled it schedules a run of its own.
            let Ok(Ok(Ok(changed))) = computed else { return };
            let _order = publishing.lock().await;
            if counter.load(Ordering::SeqCst) != generation {
                return;
            }
            {
                let mut state = lock(&state);
                let published = Arc::make_mut(&mut state.published);
                for change in &changed {
                    published.insert(change.path.clone(), Arc::clone(&change.published));
                }
            }
            for change in changed {
                client.publish_diagnostics(change.uri, change.diagnostics, None).await;
            }
        });
    }
}

/// A file's published diagnostics as the compiler gave them, and the texts their positions were
/// computed against: the file's own and those of files their related locations point into.
/// Equal diagnostics over the same texts convert to the same LSP diagnostics.
#[derive(PartialEq)]
struct Published {
    diagnostics: Vec<PlanDiagnostic>,
    texts: Vec<Arc<str>>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn panic_error(panic: Box<dyn std::any::Any + Send>) -> Error {
    if panic.downcast_ref::<salsa::Cancelled>().is_some() {
        return Error::content_modified();
    }
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|it| it.to_string()))
        .unwrap_or_else(|| "unknown".into());
    Error {
        code: ErrorCode::InternalError,
        message: format!("plan-lsp failed on this request: {message}").into(),
        data: None,
    }
}

fn path_of(uri: &Url) -> String {
    match uri.to_file_path() {
        Ok(path) => path.to_string_lossy().into_owned(),
        Err(()) => uri.to_string(),
    }
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

fn to_lsp_diagnostic(
    snapshot: &Snapshot,
    diagnostic: &PlanDiagnostic,
) -> Cancellable<Option<tower_lsp::lsp_types::Diagnostic>> {
    to_lsp_diagnostic_with(snapshot, diagnostic, &mut HashMap::new())
}

/// The documentation page of a code, parsed once per run rather than once per diagnostic
/// (a keystroke in a file with 900 warnings parsed 900 URLs).
fn code_page(code: &'static str, pages: &mut HashMap<&'static str, Option<Url>>) -> Option<Url> {
    pages
        .entry(code)
        .or_insert_with(|| {
            let name = planc::diagnostics::code_info(code).map(|it| it.name).unwrap_or("");
            Url::parse(&format!("https://plan.dev/docs/{code}-{name}")).ok()
        })
        .clone()
}

fn to_lsp_diagnostic_with(
    snapshot: &Snapshot,
    diagnostic: &PlanDiagnostic,
    pages: &mut HashMap<&'static str, Option<Url>>,
) -> Cancellable<Option<tower_lsp::lsp_types::Diagnostic>> {
    let analysis = &snapshot.analysis;
    let Some(file) = analysis.file(&diagnostic.primary.file) else { return Ok(None) };
    let text = analysis.text(file);
    let severity = match diagnostic.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let mut related = Vec::new();
    for label in &diagnostic.secondary {
        let Some(other) = analysis.file(&label.file) else { continue };
        let Some(uri) = snapshot.uri_of(&label.file) else { continue };
        let other_index = analysis.line_index(other)?;
        related.push(DiagnosticRelatedInformation {
            location: Location { uri, range: range(analysis.text(other), other_index, label.range) },
            message: label.message.clone(),
        });
    }
    Ok(Some(tower_lsp::lsp_types::Diagnostic {
        range: range(text, analysis.line_index(file)?, diagnostic.primary.range),
        severity: Some(severity),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        code_description: code_page(diagnostic.code, pages).map(|href| CodeDescription { href }),
        source: Some("planc".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }))
}

/// Every file's diagnostics in the protocol's terms, files without any included (to clear them).
#[allow(clippy::type_complexity)]
/// The diagnostics of one file that differ from what was published for it.
struct Changed {
    uri: Url,
    path: String,
    published: Arc<Published>,
    diagnostics: Vec<tower_lsp::lsp_types::Diagnostic>,
}

/// Every file whose diagnostics differ from `published`, converted for the client. Files whose
/// diagnostics and texts are unchanged are not converted: a keystroke changes one file's.
fn changed_diagnostics(snapshot: &Snapshot, published: &HashMap<String, Arc<Published>>) -> Cancellable<Vec<Changed>> {
    let analysis = &snapshot.analysis;
    let all = analysis.diagnostics()?;
    let mut by_file: BTreeMap<String, Vec<PlanDiagnostic>> =
        analysis.files().map(|(path, _)| (path.to_string(), Vec::new())).collect();
    for diagnostic in all {
        by_file.entry(diagnostic.primary.file.to_string()).or_default().push(diagnostic);
    }
    let mut pages = HashMap::new();
    let mut changed = Vec::new();
    for (path, diagnostics) in by_file {
        let Some(uri) = snapshot.uri_of(&path) else { continue };
        let mut paths: Vec<&str> = vec![path.as_str()];
        for diagnostic in &diagnostics {
            for label in &diagnostic.secondary {
                if !paths.contains(&&*label.file) {
                    paths.push(&label.file);
                }
            }
        }
        let texts: Vec<Arc<str>> =
            paths.iter().filter_map(|it| analysis.file(it)).map(|file| Arc::clone(analysis.text(file))).collect();
        let unchanged = published.get(&path).is_some_and(|before| {
            before.diagnostics == diagnostics
                && before.texts.len() == texts.len()
                && before.texts.iter().zip(&texts).all(|(a, b)| Arc::ptr_eq(a, b) || a == b)
        });
        if unchanged {
            continue;
        }
        let mut converted = Vec::with_capacity(diagnostics.len());
        for diagnostic in &diagnostics {
            if let Some(it) = to_lsp_diagnostic_with(snapshot, diagnostic, &mut pages)? {
                converted.push(it);
            }
        }
        changed.push(Changed {
            uri,
            path,
            published: Arc::new(Published { diagnostics, texts }),
            diagnostics: converted,
        });
    }
    Ok(changed)
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
fn document_symbol(text: &str, index: &LineIndex, symbol: &ide::Symbol) -> DocumentSymbol {
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
            for root in &roots {
                state.host.load_folder(root);
            }
            state.roots = Arc::new(roots);
        }
        let legend = SemanticTokensLegend {
            token_types: ide::TOKEN_TYPES.iter().map(|it| SemanticTokenType::new(it)).collect(),
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
                    commands: vec![ide::COST_REPORT_COMMAND.into()],
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
        self.change(|state| {
            let path = path_of(&params.text_document.uri);
            state.remember_uri(&path, &params.text_document.uri);
            state.host.set_text(&path, Arc::from(params.text_document.text));
        });
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        self.change(|state| {
            let path = path_of(&params.text_document.uri);
            let Some(file) = state.host.file(&path) else { return };
            let mut text = state.host.text(file).to_string();
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
            state.host.set_text(&path, Arc::from(text));
        });
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        // The file on disk is the truth again.
        self.change(|state| {
            let path = path_of(&params.text_document.uri);
            if state.host.file(&path).is_some() {
                if let Ok(bytes) = planc::cli::workspace::read_source(&path) {
                    state.host.set_bytes(&path, bytes);
                }
            }
        });
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        self.change(|state| {
            for change in params.changes {
                let path = path_of(&change.uri);
                if change.typ == FileChangeType::DELETED {
                    state.host.remove(&path);
                    continue;
                }
                let Ok(bytes) = planc::cli::workspace::read_source(&path) else { continue };
                state.remember_uri(&path, &change.uri);
                state.host.set_bytes(&path, bytes);
            }
        });
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params.text_document_position_params.text_document.uri;
        let at = params.text_document_position_params.position;
        self.read(move |snapshot| {
            let Some((file, text, index)) = snapshot.document(&uri)? else { return Ok(None) };
            let Some((markdown, hover_range)) = snapshot.analysis.hover(file, offset(text, index, at))? else {
                return Ok(None);
            };
            Ok(Some(Hover {
                contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
                range: Some(range(text, index, hover_range)),
            }))
        })
        .await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri;
        let at = params.text_document_position.position;
        self.read(move |snapshot| {
            let Some((file, text, index)) = snapshot.document(&uri)? else { return Ok(None) };
            let items = snapshot.analysis.completions(file, offset(text, index, at))?;
            Ok(Some(CompletionResponse::Array(
                items
                    .into_iter()
                    .map(|item| CompletionItem {
                        kind: Some(match item.kind {
                            ide::CompletionKind::Kind => CompletionItemKind::CLASS,
                            ide::CompletionKind::Attribute => CompletionItemKind::PROPERTY,
                            ide::CompletionKind::Value => CompletionItemKind::ENUM_MEMBER,
                            ide::CompletionKind::Reference => CompletionItemKind::REFERENCE,
                            ide::CompletionKind::Env => CompletionItemKind::MODULE,
                            ide::CompletionKind::Unit => CompletionItemKind::UNIT,
                        }),
                        detail: Some(item.detail),
                        insert_text_format: item.snippet.as_ref().map(|_| InsertTextFormat::SNIPPET),
                        insert_text: item.snippet,
                        label: item.label,
                        ..CompletionItem::default()
                    })
                    .collect(),
            )))
        })
        .await
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let uri = params.text_document_position_params.text_document.uri;
        let at = params.text_document_position_params.position;
        self.read(move |snapshot| {
            let Some((file, text, index)) = snapshot.document(&uri)? else { return Ok(None) };
            let Some(target) = snapshot.analysis.definition(file, offset(text, index, at))? else { return Ok(None) };
            Ok(snapshot.location(&target)?.map(GotoDefinitionResponse::Scalar))
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let uri = params.text_document_position.text_document.uri;
        let at = params.text_document_position.position;
        let include_declaration = params.context.include_declaration;
        self.read(move |snapshot| {
            let analysis = &snapshot.analysis;
            let Some((file, text, index)) = snapshot.document(&uri)? else { return Ok(None) };
            let Some((name, _)) = analysis.prepare_rename(file, offset(text, index, at))? else { return Ok(None) };
            let mut found = Vec::new();
            if include_declaration {
                found.extend(analysis.declaration(&name)?);
            }
            found.extend(analysis.references(&name)?);
            Ok(Some(snapshot.locations(&found)?))
        })
        .await
    }

    async fn document_highlight(&self, params: DocumentHighlightParams) -> Result<Option<Vec<DocumentHighlight>>> {
        let uri = params.text_document_position_params.text_document.uri;
        let at = params.text_document_position_params.position;
        self.read(move |snapshot| {
            let analysis = &snapshot.analysis;
            let Some((file, text, index)) = snapshot.document(&uri)? else { return Ok(None) };
            let Some((name, _)) = analysis.prepare_rename(file, offset(text, index, at))? else { return Ok(None) };
            let mut highlights = Vec::new();
            if let Some(declaration) = analysis.declaration(&name)?.filter(|it| it.file == file) {
                highlights.push(DocumentHighlight {
                    range: range(text, index, declaration.range),
                    kind: Some(DocumentHighlightKind::WRITE),
                });
            }
            for reference in analysis.references(&name)?.into_iter().filter(|it| it.file == file) {
                highlights.push(DocumentHighlight {
                    range: range(text, index, reference.range),
                    kind: Some(DocumentHighlightKind::READ),
                });
            }
            Ok(Some(highlights))
        })
        .await
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        self.read(move |snapshot| {
            let Some((file, text, index)) = snapshot.document(&params.text_document.uri)? else { return Ok(None) };
            let symbols = snapshot.analysis.document_symbols(file)?;
            Ok(Some(DocumentSymbolResponse::Nested(
                symbols.iter().map(|it| document_symbol(text, index, it)).collect(),
            )))
        })
        .await
    }

    #[allow(deprecated)]
    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<Vec<SymbolInformation>>> {
        self.read(move |snapshot| {
            let mut found = Vec::new();
            for (symbol, file) in snapshot.analysis.workspace_symbols(&params.query)? {
                let at = ide::Location { file, range: symbol.selection };
                let Some(location) = snapshot.location(&at)? else { continue };
                found.push(SymbolInformation {
                    name: symbol.name.clone(),
                    kind: symbol_kind(&symbol.kind),
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: Some(symbol.kind.clone()),
                });
            }
            Ok(Some(found))
        })
        .await
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        self.read(move |snapshot| {
            let Some((file, text, index)) = snapshot.document(&params.text_document.uri)? else { return Ok(None) };
            let prepared = snapshot.analysis.prepare_rename(file, offset(text, index, params.position))?;
            Ok(prepared.map(|(name, name_range)| PrepareRenameResponse::RangeWithPlaceholder {
                range: range(text, index, name_range),
                placeholder: name,
            }))
        })
        .await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let uri = params.text_document_position.text_document.uri;
        let at = params.text_document_position.position;
        let result = self
            .read(move |snapshot| {
                let Some((file, text, index)) = snapshot.document(&uri)? else { return Ok(None) };
                // A block a previous build produced keeps its resources: the rename records its
                // old name for `moved` blocks.
                let built = ide::built_blocks(&snapshot.roots);
                let edits = match snapshot.analysis.rename(file, offset(text, index, at), &params.new_name, &built)? {
                    Ok(edits) => edits,
                    Err(message) => return Ok(Some(Err(message))),
                };
                let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
                for (at, new_text) in edits {
                    if let Some(location) = snapshot.location(&at)? {
                        changes.entry(location.uri).or_default().push(TextEdit { range: location.range, new_text });
                    }
                }
                Ok(Some(Ok(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() })))
            })
            .await?;
        match result {
            Some(Ok(edit)) => Ok(Some(edit)),
            Some(Err(message)) => Err(Error { code: ErrorCode::InvalidParams, message: message.into(), data: None }),
            None => Ok(None),
        }
    }

    /// `plan.server.costReport [{ "env": NAME }]`: the workspace's cost report as Markdown, for
    /// an editor command to show (the same report as `planc cost --format markdown`).
    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<serde_json::Value>> {
        if params.command != ide::COST_REPORT_COMMAND {
            return Err(Error::invalid_params(format!("unknown command `{}`", params.command)));
        }
        let env = params.arguments.first().and_then(|it| match it {
            serde_json::Value::String(env) => Some(env.clone()),
            other => other.get("env").and_then(|it| it.as_str()).map(str::to_string),
        });
        self.read(move |snapshot| Ok(Some(serde_json::Value::String(snapshot.analysis.cost_report(env.as_deref())?))))
            .await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        self.read(move |snapshot| {
            let Some((file, text, index)) = snapshot.document(&params.text_document.uri)? else { return Ok(None) };
            let Some(formatted) = snapshot.analysis.format(file) else { return Ok(None) };
            if formatted == text {
                return Ok(Some(Vec::new()));
            }
            Ok(Some(vec![TextEdit {
                range: range(text, index, TextRange::up_to(TextSize::from(text.len() as u32))),
                new_text: formatted,
            }]))
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.read(move |snapshot| {
            let Some((file, text, index)) = snapshot.document(&params.text_document.uri)? else { return Ok(None) };
            let wanted = {
                // A client may send an inverted range: take it as the span between its ends.
                let (a, b) = (offset(text, index, params.range.start), offset(text, index, params.range.end));
                TextRange::new(a.min(b), a.max(b))
            };
            let mut actions = Vec::new();
            for action in snapshot.analysis.code_actions(file, wanted)? {
                let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
                for (at, new_text) in action.edits {
                    if let Some(location) = snapshot.location(&at)? {
                        changes.entry(location.uri).or_default().push(TextEdit { range: location.range, new_text });
                    }
                }
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: action.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: to_lsp_diagnostic(snapshot, &action.diagnostic)?.map(|it| vec![it]),
                    edit: Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() }),
                    is_preferred: Some(action.preferred),
                    ..CodeAction::default()
                }));
            }
            Ok(Some(actions))
        })
        .await
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        self.read(move |snapshot| {
            let Some((file, text, index)) = snapshot.document(&params.text_document.uri)? else { return Ok(None) };
            let hints = snapshot.analysis.inlay_hints(file)?;
            Ok(Some(
                hints
                    .into_iter()
                    .map(|(at, label)| InlayHint {
                        position: position(text, index, at),
                        label: InlayHintLabel::String(format!(" {label}")),
                        kind: None,
                        text_edits: None,
                        tooltip: Some(InlayHintTooltip::String("estimated monthly cost, on-demand list prices".into())),
                        padding_left: Some(true),
                        padding_right: None,
                        data: None,
                    })
                    .collect(),
            ))
        })
        .await
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        self.read(move |snapshot| {
            let Some((file, text, index)) = snapshot.document(&params.text_document.uri)? else { return Ok(None) };
            let mut data = Vec::new();
            let (mut previous_line, mut previous_start) = (0u32, 0u32);
            for (token_range, kind) in snapshot.analysis.semantic_tokens(file)? {
                let start = position(text, index, token_range.start());
                let end = position(text, index, token_range.end());
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
            Ok(Some(SemanticTokensResult::Tokens(SemanticTokens { result_id: None, data })))
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.read(move |snapshot| {
            let Some((file, text, index)) = snapshot.document(&params.text_document.uri)? else { return Ok(None) };
            Ok(Some(
                snapshot
                    .analysis
                    .folding_ranges(file)?
                    .into_iter()
                    .filter_map(|it| {
                        let folded = range(text, index, it);
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
            ))
        })
        .await
    }

    async fn selection_range(&self, params: SelectionRangeParams) -> Result<Option<Vec<SelectionRange>>> {
        self.read(move |snapshot| {
            let Some((file, text, index)) = snapshot.document(&params.text_document.uri)? else { return Ok(None) };
            let mut answers = Vec::new();
            for at in &params.positions {
                let ranges = snapshot.analysis.selection_ranges(file, offset(text, index, *at))?;
                let mut parent: Option<Box<SelectionRange>> = None;
                for it in ranges.iter().rev() {
                    parent = Some(Box::new(SelectionRange { range: range(text, index, *it), parent }));
                }
                answers.push(parent.map(|it| *it).unwrap_or(SelectionRange { range: Range::default(), parent: None }));
            }
            Ok(Some(answers))
        })
        .await
    }
}
