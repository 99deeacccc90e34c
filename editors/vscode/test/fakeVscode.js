// A stand-in for the `vscode` module, just enough for out/extension.js and vscode-languageclient
// to start a real language server under plain Node. Whatever is not modelled is a stub that can
// be called and constructed; `on*` and `register*` functions return disposables. If an upgrade
// of vscode-languageclient needs more, model it here.
'use strict';

const Module = require('node:module');

const disposable = () => ({ dispose() {} });
// Not a thenable (no `then`), or awaiting a stub would never settle.
const stub = () =>
  new Proxy(function () {}, {
    get: (t, k) => (k in t || k === 'then' ? t[k] : stub()),
    apply: () => stub(),
    construct: () => stub(),
  });
const soft = (object) =>
  new Proxy(object, {
    get: (target, key) => {
      if (key in target || key === 'then') return target[key];
      if (typeof key === 'string' && /^(on|register)[A-Z]/.test(key)) return () => disposable();
      return stub();
    },
  });

class EventEmitter {
  constructor() {
    this.listeners = [];
    this.event = (listener) => (this.listeners.push(listener), disposable());
  }
  fire(value) {
    for (const listener of this.listeners) listener(value);
  }
  dispose() {}
}

class Disposable {
  constructor(onDispose) {
    this.onDispose = onDispose;
  }
  static from(...items) {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  dispose() {
    if (this.onDispose) this.onDispose();
  }
}

class Uri {
  constructor(scheme, path) {
    this.scheme = scheme;
    this.path = path;
    this.fsPath = path;
  }
  static file(path) {
    return new Uri('file', path);
  }
  static parse(text) {
    const match = /^([a-z]+):(?:\/\/)?(.*)$/.exec(text);
    return match ? new Uri(match[1], match[2]) : new Uri('untitled', text);
  }
  toString() {
    return this.scheme === 'file' ? `file://${this.path}` : `${this.scheme}:${this.path}`;
  }
}

/**
 * Returns { vscode, calls }: `settings` maps `plan.server.path`-style keys to values; `calls`
 * records error messages (the first button is "clicked"), commands, executed commands, opened
 * documents, inlay hint providers and output lines.
 */
function fakeVscode(settings, workspaceFolder) {
  const calls = { errors: [], commands: new Map(), executed: [], opened: [], inlayHintProviders: [], output: [] };
  const api = {
    EventEmitter,
    Disposable,
    Uri,
    version: '1.82.0',
    env: soft({ language: 'en', appName: 'Visual Studio Code' }),
    window: soft({
      createOutputChannel: (name) => soft({ name, appendLine: (line) => calls.output.push(line), append() {}, dispose() {} }),
      showErrorMessage: async (message, ...items) => {
        calls.errors.push({ message, items });
        return items[0];
      },
      showTextDocument: async (document) => ({ document }),
      visibleTextEditors: [],
      activeTextEditor: undefined,
      tabGroups: soft({ all: [] }),
    }),
    commands: soft({
      registerCommand: (id, handler) => (calls.commands.set(id, handler), disposable()),
      executeCommand: async (...args) => calls.executed.push(args),
    }),
    workspace: soft({
      getConfiguration: (section) => ({ get: (key, fallback) => settings[`${section}.${key}`] ?? fallback }),
      workspaceFolders: workspaceFolder ? [{ uri: Uri.file(workspaceFolder), name: 'workspace', index: 0 }] : undefined,
      textDocuments: [],
      notebookDocuments: [],
      openTextDocument: async (options) => {
        calls.opened.push(options);
        return { uri: Uri.parse(`untitled:Untitled-${calls.opened.length}`), ...options };
      },
    }),
    languages: soft({
      match: () => 10,
      createDiagnosticCollection: () => soft({ set() {}, delete() {}, clear() {}, dispose() {} }),
      registerInlayHintsProvider: (selector, provider) => (calls.inlayHintProviders.push(provider), disposable()),
    }),
  };
  return { vscode: new Proxy(api, { get: (t, k) => (k in t ? t[k] : stub()) }), calls };
}

/** Loads out/extension.js with `vscode` served by the stand-in. Each test file runs in its own
 * process, so one stand-in per file. */
function loadExtension(vscode) {
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  try {
    return require('../out/extension');
  } finally {
    Module._load = load;
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

module.exports = { fakeVscode, loadExtension, flush, Uri };
