// package.json contributions agree with each other and with the files they point at.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const EXT = path.join(__dirname, '..');
const manifest = require('../package.json');
const { contributes } = manifest;
const read = (file) => fs.readFileSync(path.join(EXT, file), 'utf8');

test('the identity fields vsce needs are set', () => {
  assert.equal(manifest.name, 'plan');
  assert.equal(manifest.displayName, 'Plan');
  assert.equal(manifest.publisher, 'plan-lang');
  assert.equal(manifest.version, '0.1.0');
  assert.equal(manifest.engines.vscode, '^1.82.0');
  assert.ok(manifest.repository && manifest.repository.url, 'repository');
  for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md']) assert.ok(fs.existsSync(path.join(EXT, file)), file);
  assert.match(read('LICENSE'), /The Plan authors[\s\S]*Apache License, Version 2.0/);
});

test('main points at the compiled client', () => {
  assert.equal(manifest.main, './out/extension.js');
  assert.ok(fs.existsSync(path.join(EXT, manifest.main)), 'run `npm run compile` first');
});

test('the language, grammar and snippets agree on the language id and point at files', () => {
  const [language] = contributes.languages;
  assert.equal(language.id, 'plan');
  assert.deepEqual(language.extensions, ['.plan']);
  const [grammar] = contributes.grammars;
  assert.equal(grammar.language, language.id);
  assert.equal(grammar.scopeName, 'source.plan');
  assert.equal(JSON.parse(read(grammar.path)).scopeName, grammar.scopeName);
  // syntaxes/ is a copy of the grammar at the repository root, the one source of truth.
  assert.equal(read(grammar.path), fs.readFileSync(path.join(EXT, '..', '..', 'grammar', 'plan.tmLanguage.json'), 'utf8'));
  const [snippets] = contributes.snippets;
  assert.equal(snippets.language, language.id);
  JSON.parse(read(snippets.path));
  JSON.parse(read(language.configuration));
});

test('every command has a title and a handler, and none uses a server command id', () => {
  const source = read('src/extension.ts');
  const ids = contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(ids, ['plan.restartServer', 'plan.showCostReport']);
  for (const command of contributes.commands) {
    assert.ok(command.title, `${command.command} has no title`);
    assert.equal(command.category, 'Plan');
    assert.ok(source.includes(`registerCommand('${command.command}'`), `${command.command} is not registered`);
    // vscode-languageclient registers the server's executeCommand ids (plan.server.*) itself.
    assert.ok(!command.command.startsWith('plan.server.'), command.command);
  }
  const titles = contributes.commands.map((c) => `${c.category}: ${c.title}`).sort();
  assert.deepEqual(titles, ['Plan: Restart Language Server', 'Plan: Show Cost Report']);
});

test('every setting has a type, a default and a description, and the code reads it', () => {
  const properties = contributes.configuration.properties;
  assert.deepEqual(Object.keys(properties).sort(), ['plan.inlayHints.cost', 'plan.server.path', 'plan.trace.server']);
  for (const [key, property] of Object.entries(properties)) {
    assert.ok(property.type, `${key} type`);
    assert.ok('default' in property, `${key} default`);
    assert.ok(property.description || property.markdownDescription, `${key} description`);
  }
  assert.equal(properties['plan.server.path'].default, '');
  // A workspace that is not trusted must not choose the program that runs.
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['plan.server.path']);
  assert.equal(properties['plan.inlayHints.cost'].default, true);
  assert.deepEqual(properties['plan.trace.server'].enum, ['off', 'messages', 'verbose']);
  const source = read('src/extension.ts') + read('src/serverPath.ts');
  assert.match(source, /'server\.path'/);
  assert.match(source, /'inlayHints\.cost'/);
  // The client id `plan` is what makes vscode-languageclient read plan.trace.server.
  assert.match(source, /new LanguageClient\('plan'/);
});

test('the scripts build, test and package', () => {
  const { scripts } = manifest;
  assert.match(scripts.compile, /copy-grammar/);
  assert.match(scripts.compile, /tsc/);
  assert.match(scripts['vscode:prepublish'], /compile/);
  assert.match(scripts.package, /vsce package --out plan\.vsix/);
  assert.ok(scripts.test.includes('test:grammar') && scripts.test.includes('test:examples'));
});

test('the vsix leaves out sources and tests, and git ignores what the build writes', () => {
  const ignored = read('.vscodeignore').split('\n').map((l) => l.trim());
  for (const entry of ['src/**', 'test/**', 'tsconfig.json']) assert.ok(ignored.includes(entry), entry);
  const gitignore = read('.gitignore').split('\n').map((l) => l.trim());
  for (const entry of ['node_modules/', 'out/', '*.vsix', 'syntaxes/plan.tmLanguage.json']) {
    assert.ok(gitignore.includes(entry), entry);
  }
});
