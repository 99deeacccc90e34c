// The extension against the real language server (target/release/plan-lsp of this repository,
// skipped when it is not built): it starts over stdio, the cost report opens as Markdown with a
// preview, and `plan.inlayHints.cost` lets the server's hints through or drops them.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { fakeVscode, loadExtension, flush, Uri } = require('./fakeVscode');

const ROOT = path.join(__dirname, '..', '..', '..');
// PLAN_LSP names the binary (and makes this test required); else the release build, if any.
const SERVER = process.env.PLAN_LSP || path.join(ROOT, 'target', 'release', process.platform === 'win32' ? 'plan-lsp.exe' : 'plan-lsp');
const SHOP = path.join(ROOT, 'examples', 'shop');

// Now and then (a few runs in a hundred, with builds of plan-lsp old and new) something of
// vscode-languageclient keeps the event loop alive after the client has stopped and the
// server has exited: end the process once the test has reported, rather than hang the suite.
test.after(() => {
  setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
});

test('cost report and cost hints from plan-lsp', { skip: !process.env.PLAN_LSP && !fs.existsSync(SERVER) && `no ${SERVER}`, timeout: 60_000 }, async () => {
  const settings = { 'plan.server.path': SERVER, 'plan.inlayHints.cost': true };
  const { vscode, calls } = fakeVscode(settings, SHOP);
  const extension = loadExtension(vscode);
  await extension.activate({ subscriptions: [] });
  try {
    assert.deepEqual(calls.errors, []);
    // vscode-languageclient registers the server's own command id; ours does not collide with it.
    assert.ok(calls.commands.has('plan.server.costReport'));
    assert.ok(calls.commands.has('plan.showCostReport'));

    await calls.commands.get('plan.showCostReport')();
    assert.deepEqual(calls.errors, []);
    assert.equal(calls.opened.length, 1);
    assert.equal(calls.opened[0].language, 'markdown');
    assert.match(calls.opened[0].content, /shop/);
    assert.equal(calls.executed.at(-1)[0], 'markdown.showPreview');

    const [provider] = calls.inlayHintProviders;
    assert.ok(provider, 'the client registered no inlay hint provider');
    const document = { uri: Uri.file(path.join(SHOP, 'data.plan')), languageId: 'plan', version: 1 };
    const range = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };
    const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
    const hints = await provider.provideInlayHints(document, range, token);
    assert.ok(Array.isArray(hints) && hints.length > 0, 'the server sent no cost hints for data.plan');
    settings['plan.inlayHints.cost'] = false;
    assert.deepEqual(await provider.provideInlayHints(document, range, token), []);
  } finally {
    await extension.deactivate();
    await flush();
  }
});
