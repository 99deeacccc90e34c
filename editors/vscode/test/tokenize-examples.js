// Tokenizes every examples/**/*.plan file of the repository with the TextMate grammar and fails
// when a token is `invalid.*` or when text is left without a scope of its own (only
// `source.plan` and `meta.*`), which would mean the grammar does not know that token.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { tokenize } = require('./tokenizer');

const EXAMPLES = path.join(__dirname, '..', '..', '..', 'examples');

function planFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : planFiles(full);
    return entry.name.endsWith('.plan') ? [full] : [];
  });
}

async function main() {
  const files = planFiles(EXAMPLES).sort();
  if (files.length === 0) throw new Error(`no .plan files under ${EXAMPLES}`);
  let failed = 0;
  for (const file of files) {
    const problems = [];
    for (const token of await tokenize(fs.readFileSync(file, 'utf8'))) {
      if (token.text.trim() === '') continue;
      const where = `${path.relative(EXAMPLES, file)}:${token.line + 1}:${token.startIndex + 1}`;
      if (token.scopes.some((scope) => scope.startsWith('invalid'))) {
        problems.push(`${where} ${JSON.stringify(token.text)} is ${token.scopes.join(' ')}`);
      } else if (token.scopes.every((scope) => scope === 'source.plan' || scope.startsWith('meta.'))) {
        problems.push(`${where} ${JSON.stringify(token.text)} has no token scope (${token.scopes.join(' ')})`);
      }
    }
    if (problems.length > 0) {
      failed += 1;
      console.log(`not ok ${path.relative(EXAMPLES, file)}\n  ${problems.join('\n  ')}`);
    } else {
      console.log(`ok ${path.relative(EXAMPLES, file)}`);
    }
  }
  console.log(`${files.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
