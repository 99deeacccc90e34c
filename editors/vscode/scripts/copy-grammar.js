// Copies the one source of truth, grammar/plan.tmLanguage.json at the repository root, into
// syntaxes/ where the extension manifest points. Checks that it is JSON with the right scope.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const source = path.join(__dirname, '..', '..', '..', 'grammar', 'plan.tmLanguage.json');
const target = path.join(__dirname, '..', 'syntaxes', 'plan.tmLanguage.json');

const text = fs.readFileSync(source, 'utf8');
const grammar = JSON.parse(text);
if (grammar.scopeName !== 'source.plan') {
  throw new Error(`${source}: scopeName is ${grammar.scopeName}, expected source.plan`);
}
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, text);
console.log(`copied ${path.relative(process.cwd(), source)} -> ${path.relative(process.cwd(), target)}`);
