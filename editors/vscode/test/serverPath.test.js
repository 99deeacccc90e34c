// Finding plan-lsp from the setting and PATH, on Linux for real and on Windows with a fake
// file system, and the message shown when it is missing.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { resolveServerPath, missingServerMessage } = require('../out/serverPath');

const posixOnly = { skip: process.platform === 'win32' && 'uses POSIX execute bits' };

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-server-path-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function executable(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, 0o755);
  return file;
}

test('an empty setting finds plan-lsp on PATH, in PATH order', posixOnly, (t) => {
  const dir = tempDir(t);
  const second = executable(path.join(dir, 'b', 'plan-lsp'));
  executable(path.join(dir, 'c', 'plan-lsp'));
  const env = { PATH: [path.join(dir, 'a'), '', second.replace('/plan-lsp', ''), path.join(dir, 'c')].join(':') };
  assert.equal(resolveServerPath({ setting: '', env }), second);
  assert.equal(resolveServerPath({ setting: '   ', env }), second);
});

test('a file without the execute bit, or a directory, does not count', posixOnly, (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'a', 'plan-lsp'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'b'));
  fs.writeFileSync(path.join(dir, 'b', 'plan-lsp'), '');
  const env = { PATH: `${path.join(dir, 'a')}:${path.join(dir, 'b')}` };
  assert.equal(resolveServerPath({ setting: '', env }), undefined);
});

test('nothing on PATH, or no PATH at all, gives undefined', () => {
  assert.equal(resolveServerPath({ setting: '', env: { PATH: '/nonexistent/plan-bin' } }), undefined);
  assert.equal(resolveServerPath({ setting: '', env: {} }), undefined);
});

test('a setting with a directory names the file: absolute, relative to the workspace, or ~', posixOnly, (t) => {
  const dir = tempDir(t);
  const server = executable(path.join(dir, 'target', 'release', 'plan-lsp'));
  const env = { PATH: '' };
  assert.equal(resolveServerPath({ setting: server, env }), server);
  assert.equal(resolveServerPath({ setting: './target/release/plan-lsp', cwd: dir, env }), server);
  assert.equal(resolveServerPath({ setting: 'target/release/plan-lsp', cwd: dir, env }), server);
  assert.equal(resolveServerPath({ setting: '~/target/release/plan-lsp', homedir: dir, env }), server);
  assert.equal(resolveServerPath({ setting: path.join(dir, 'missing', 'plan-lsp'), env }), undefined);
});

test('a bare name in the setting is looked up on PATH', posixOnly, (t) => {
  const dir = tempDir(t);
  const server = executable(path.join(dir, 'plan-lsp-nightly'));
  assert.equal(resolveServerPath({ setting: 'plan-lsp-nightly', env: { PATH: dir } }), server);
});

test('on Windows, plan-lsp means plan-lsp.exe and Path is case-insensitive', () => {
  const files = new Set(['C:\\Users\\me\\.cargo\\bin\\plan-lsp.exe', 'D:\\tools\\plan-lsp.exe']);
  const isExecutable = (file) => files.has(file);
  const win = { platform: 'win32', isExecutable };
  const env = { Path: 'C:\\Windows;"C:\\Users\\me\\.cargo\\bin";D:\\tools' };
  assert.equal(resolveServerPath({ ...win, setting: '', env }), 'C:\\Users\\me\\.cargo\\bin\\plan-lsp.exe');
  assert.equal(resolveServerPath({ ...win, setting: 'D:\\tools\\plan-lsp', env: {} }), 'D:\\tools\\plan-lsp.exe');
  assert.equal(resolveServerPath({ ...win, setting: 'D:\\tools\\plan-lsp.exe', env: {} }), 'D:\\tools\\plan-lsp.exe');
  assert.equal(resolveServerPath({ ...win, setting: 'tools\\plan-lsp', cwd: 'D:\\', env: {} }), 'D:\\tools\\plan-lsp.exe');
  assert.equal(resolveServerPath({ ...win, setting: '', env: { PATH: 'C:\\Windows' } }), undefined);
});

test('the missing-server message names the setting and how to install', () => {
  for (const setting of ['', '/opt/plan/plan-lsp']) {
    const message = missingServerMessage(setting);
    assert.match(message, /plan\.server\.path/);
    assert.match(message, /cargo install --path lsp/);
    assert.match(message, /PATH/);
  }
  assert.match(missingServerMessage('/opt/plan/plan-lsp'), /"\/opt\/plan\/plan-lsp"/);
});
