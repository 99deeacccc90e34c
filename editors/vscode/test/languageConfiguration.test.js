// language-configuration.json: valid JSON whose patterns compile and do what the README says.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const config = require('../language-configuration.json');

test('comments and brackets', () => {
  assert.equal(config.comments.lineComment, '//');
  assert.deepEqual(config.comments.blockComment, ['/*', '*/']);
  assert.deepEqual(config.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
  const quote = config.autoClosingPairs.find((p) => p.open === '"');
  assert.deepEqual(quote.notIn, ['string', 'comment']);
  assert.ok(config.surroundingPairs.some(([open]) => open === '"'));
});

test('words include hyphens and dotted versions, not a trailing hyphen', () => {
  const words = (text) => text.match(new RegExp(config.wordPattern, 'g'));
  assert.deepEqual(words('api-gateway = order-events.url'), ['api-gateway', 'order-events', 'url']);
  assert.deepEqual(words('runtime = python3.12'), ['runtime', 'python3.12']);
  assert.deepEqual(words('api-  512Mi  70%  -1'), ['api', '512Mi', '70%', '-1']);
});

test('indentation grows after an unclosed { or [ and shrinks at a leading } or ]', () => {
  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
  for (const line of ['service api {', '  tags = [', 'cluster apps {  // the cluster', '  env prod { ha = true']) {
    assert.ok(increase.test(line), line);
  }
  for (const line of ['  tags { team = "core" }', '  zones = [1, 2]', '// service api {', '  host = "${env.name}"']) {
    assert.ok(!increase.test(line), line);
  }
  assert.ok(decrease.test('  }') && decrease.test(']') && !decrease.test('  a = [1]'));
});

test('folding markers', () => {
  const start = new RegExp(config.folding.markers.start);
  const end = new RegExp(config.folding.markers.end);
  assert.ok(start.test('  // #region data') && start.test('// region'));
  assert.ok(end.test('// #endregion') && !end.test('// #region'));
});

test('Enter continues a /// doc comment but not a //// comment', () => {
  const [rule] = config.onEnterRules;
  assert.equal(rule.action.appendText, '/// ');
  const before = new RegExp(rule.beforeText);
  assert.ok(before.test('  /// The orders store.'));
  assert.ok(!before.test('  //// not a doc comment'));
  assert.ok(!before.test('  // a comment'));
});
