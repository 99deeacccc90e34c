// The snippets cover every kind of the catalog, and their bodies, with each placeholder at its
// default, form a workspace that `planc check` parses and resolves without P0xx errors.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..', '..');
const snippets = require('../snippets/plan.json');
// PLANC names the binary (and makes the planc test required); else the release build, if any.
const PLANC = process.env.PLANC || path.join(ROOT, 'target', 'release', process.platform === 'win32' ? 'planc.exe' : 'planc');

// The core kinds of LANGUAGE.md §6 that get a snippet.
const CORE_KINDS = [
  'plan', 'env', 'network', 'subnet', 'cluster', 'node_pool', 'service', 'worker', 'job', 'function',
  'database', 'cache', 'bucket', 'queue', 'topic', 'gateway', 'cdn', 'vm', 'registry', 'decision',
  'option', 'policy',
];

// Values for the snippet variables the bodies use.
const VARIABLES = { CURRENT_YEAR: '2026', CURRENT_MONTH: '01', CURRENT_DATE: '20' };

/** Expands a snippet body the way VS Code inserts it when every placeholder is accepted:
 * `${1:default}` gives its default, `${1|a,b|}` its first choice, `$1` nothing, `\$` a `$`. */
function expand(body) {
  const text = Array.isArray(body) ? body.join('\n') : body;
  let i = 0;
  function parse(untilBrace) {
    let out = '';
    while (i < text.length) {
      const c = text[i];
      if (c === '\\' && '$}\\'.includes(text[i + 1])) {
        out += text[i + 1];
        i += 2;
      } else if (untilBrace && c === '}') {
        i += 1;
        return out;
      } else if (c === '$' && /[0-9]/.test(text[i + 1])) {
        i += 1;
        while (/[0-9]/.test(text[i])) i += 1;
      } else if (c === '$' && /[A-Z_]/.test(text[i + 1])) {
        const name = /^[A-Z_]+/.exec(text.slice(i + 1))[0];
        assert.ok(name in VARIABLES, `unknown snippet variable $${name}`);
        out += VARIABLES[name];
        i += 1 + name.length;
      } else if (c === '$' && text[i + 1] === '{') {
        const head = /^\$\{([0-9]+|[A-Z_]+)([:|}])/.exec(text.slice(i));
        assert.ok(head, `cannot read the placeholder at ${JSON.stringify(text.slice(i, i + 20))}`);
        i += head[0].length;
        if (head[2] === '}') {
          out += VARIABLES[head[1]] ?? '';
        } else if (head[2] === '|') {
          const end = text.indexOf('|}', i);
          out += text.slice(i, end).split(',')[0];
          i = end + 2;
        } else {
          const inner = parse(true);
          out += VARIABLES[head[1]] ?? inner;
        }
      } else {
        out += c;
        i += 1;
      }
    }
    assert.ok(!untilBrace, 'unclosed placeholder');
    return out;
  }
  return parse(false);
}

/** Nested kinds are checked inside a parent block, as a user would insert them. */
function wrap(kind, text) {
  switch (kind) {
    case 'subnet':
    case 'allow':
    case 'deny':
      return `network wrap-${kind} {\n  cidr = "10.1.0.0/16"\n${text}\n}\n`;
    case 'node_pool':
      return `cluster wrap-cluster {\n  version = "1.34"\n${text}\n}\n`;
    case 'phase':
    case 'risk':
      return `migration wrap-${kind} {\n  title = "Wrapped"  type = replatform  to = orders\n${text}\n}\n`;
    case 'replica':
      return `database wrap-replica {\n  engine = postgres  version = "16"  tier = "db.t4g.micro"\n${text}\n}\n`;
    case 'record':
      return `dns wrap-record {\n  zone = "wrap.example"\n${text}\n}\n`;
    case 'option':
      return `decision wrap-decision {\n  title = "Wrapped"  status = proposed\n  criteria { consistency = 9  cost = 6 }\n${text}\n}\n`;
    default:
      return text;
  }
}

function catalogKinds() {
  const dir = path.join(ROOT, 'stdlib', 'catalog', 'kinds');
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.toml'))
    .map((name) => /^kind\s*=\s*"([^"]+)"/m.exec(fs.readFileSync(path.join(dir, name), 'utf8'))[1]);
}

test('there is a snippet for every core kind and every kind of the catalog', () => {
  const prefixes = new Set(Object.values(snippets).map((s) => s.prefix));
  for (const kind of new Set([...CORE_KINDS, ...catalogKinds()])) {
    assert.ok(prefixes.has(kind), `no snippet with the prefix ${kind}`);
  }
});

test('every snippet has a prefix, a description and a body that starts with its kind', () => {
  for (const [name, snippet] of Object.entries(snippets)) {
    assert.equal(typeof snippet.prefix, 'string', name);
    assert.ok(snippet.description, `${name} has no description`);
    assert.ok(Array.isArray(snippet.body) && snippet.body.length > 0, `${name} has no body`);
    assert.ok(snippet.body[0].startsWith(`${snippet.prefix} `), `${name} does not start with its kind`);
  }
});

test('the expansion follows the snippet syntax', () => {
  assert.equal(expand(['a ${1:x} ${2|p,q|} $3 ${4} \\$${5:5}/mo $0']), 'a x p   $5/mo ');
  assert.equal(expand('${1:outer ${2:inner}}'), 'outer inner');
  assert.equal(expand('"${1:$CURRENT_YEAR-$CURRENT_MONTH}"'), '"2026-01"');
});

test('the snippet bodies parse and resolve with planc', { skip: !process.env.PLANC && !fs.existsSync(PLANC) && `no ${PLANC}` }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-snippets-'));
  try {
    const files = {};
    for (const [name, snippet] of Object.entries(snippets)) {
      files[name] = wrap(snippet.prefix, expand(snippet.body));
    }
    // A plan has one `monitoring` block (P029): the notify snippet goes inside the monitoring one's.
    files.monitoring = files.monitoring.replace(/\}\s*$/, `${expand(snippets.notify.body)}\n}\n`);
    delete files.notify;
    for (const [name, text] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, `${name}.plan`), text);
    }
    const run = spawnSync(PLANC, ['check', '--format', 'json', dir], { encoding: 'utf8' });
    assert.ok(run.stdout, `planc printed nothing: ${run.stderr}`);
    const diagnostics = JSON.parse(run.stdout).diagnostics;
    const describe = (d) => `${d.code} ${d.file}:${d.range.start.line}: ${d.message}`;
    // P001 is a syntax error: no snippet may have one.
    assert.deepEqual(diagnostics.filter((d) => d.code === 'P001').map(describe), []);
    // The other name and type codes: the snippets use the catalog's attributes and values,
    // and their default names refer to each other (a service runs on the cluster `apps`).
    assert.deepEqual(diagnostics.filter((d) => /^P0/.test(d.code)).map(describe), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

module.exports = { expand };
