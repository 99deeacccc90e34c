// The cost report request and the handling of the server's answer.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { costReportParams, costReportMarkdown, SERVER_COST_REPORT } = require('../out/costReport');

test('the request is workspace/executeCommand plan.server.costReport with no arguments', () => {
  assert.deepEqual(costReportParams(), { command: 'plan.server.costReport', arguments: [] });
  assert.equal(SERVER_COST_REPORT, 'plan.server.costReport');
});

test('a Markdown string is the report', () => {
  const report = '# Cost report\n\n| block | $/mo |\n| --- | --- |\n| api | 120.00 |\n';
  assert.equal(costReportMarkdown(report), report);
});

test('anything else is an error with a message', () => {
  for (const result of [null, undefined, '', '  ', 42, { markdown: '# x' }]) {
    const answer = costReportMarkdown(result);
    assert.ok(answer instanceof Error, JSON.stringify(result));
    assert.match(answer.message, /^Plan: /);
  }
});

test('the extension sends the request itself instead of registering the server command id', () => {
  const source = fs.readFileSync(path.join(__dirname, '..', 'src', 'extension.ts'), 'utf8');
  assert.match(source, /sendRequest\(ExecuteCommandRequest\.type, costReportParams\(\)\)/);
  assert.match(source, /'markdown\.showPreview'/);
  assert.doesNotMatch(source, /registerCommand\('plan\.server\./);
});
