// Activates the compiled extension against a stand-in for `vscode` with no plan-lsp to be
// found: activation must not throw, must register the commands, and must show an error that
// names plan.server.path and offers to open the settings.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { fakeVscode, loadExtension, flush } = require('./fakeVscode');

test('without plan-lsp, activation reports the missing server and keeps the commands', async () => {
  const { vscode, calls } = fakeVscode({ 'plan.server.path': '/nonexistent/plan-lsp' });
  const extension = loadExtension(vscode);
  await extension.activate({ subscriptions: [] });
  await flush();

  assert.deepEqual([...calls.commands.keys()].sort(), ['plan.restartServer', 'plan.showCostReport']);
  assert.equal(calls.errors.length, 1);
  assert.match(calls.errors[0].message, /plan\.server\.path/);
  assert.match(calls.errors[0].message, /cargo install --path lsp/);
  assert.deepEqual(calls.errors[0].items, ['Open Settings']);
  // The stand-in clicks the button.
  assert.deepEqual(calls.executed, [['workbench.action.openSettings', 'plan.server.path']]);

  // The cost report needs the server: another clear error, no exception.
  await calls.commands.get('plan.showCostReport')();
  await flush();
  assert.equal(calls.errors.length, 2);
  assert.match(calls.errors[1].message, /not running/);

  await extension.deactivate();
});
