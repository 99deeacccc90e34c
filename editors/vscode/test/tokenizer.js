// Loads the Plan TextMate grammar with the same engine VS Code uses (vscode-textmate on the
// Oniguruma WebAssembly build), for the tests and for `node test/tokenizer.js FILE` debugging.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const GRAMMAR = path.join(__dirname, '..', '..', '..', 'grammar', 'plan.tmLanguage.json');

let grammarPromise;

function loadGrammar() {
  if (!grammarPromise) {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    const onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
    const registry = new vsctm.Registry({
      onigLib,
      loadGrammar: async (scopeName) =>
        scopeName === 'source.plan' ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null,
    });
    grammarPromise = registry.loadGrammar('source.plan');
  }
  return grammarPromise;
}

/** Tokenizes `text` into [{ line, startIndex, endIndex, text, scopes }]. */
async function tokenize(text) {
  const grammar = await loadGrammar();
  const tokens = [];
  let ruleStack = vsctm.INITIAL;
  text.split(/\r?\n/).forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, ruleStack);
    for (const token of result.tokens) {
      tokens.push({
        line,
        startIndex: token.startIndex,
        endIndex: token.endIndex,
        text: lineText.slice(token.startIndex, token.endIndex),
        scopes: token.scopes,
      });
    }
    ruleStack = result.ruleStack;
  });
  return tokens;
}

module.exports = { tokenize, GRAMMAR };

if (require.main === module) {
  const file = process.argv[2];
  const text = file ? fs.readFileSync(file, 'utf8') : fs.readFileSync(0, 'utf8');
  tokenize(text).then((tokens) => {
    for (const t of tokens) {
      if (t.text.trim() === '') continue;
      console.log(`${t.line + 1}:${t.startIndex} ${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' ')}`);
    }
  });
}
