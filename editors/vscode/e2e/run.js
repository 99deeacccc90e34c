#!/usr/bin/env node
// End-to-end test of the Plan extension in a real VS Code: code-server (VS Code's own workbench
// in a browser) with the packaged plan.vsix installed, driven through its page in headless
// Chromium. It asserts what a person sees: the language in the status bar, diagnostics in the
// Problems view, a hover with the monthly cost, a quick fix that edits the file, and the
// "Plan: Show Cost Report" command; and it saves a screenshot for docs/editor-setup.md.
//
// Usage: node run.js /absolute/path/to/plan-lsp   (run.sh checks the setup first)
// Environment: CHROMIUM (default /usr/bin/chromium), PLAN_E2E_TIMEOUT_MS (default 240000),
// PLAN_E2E_KEEP=1 keeps the temporary directory (logs, workspaces) even when the test passes.
'use strict';

const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const E2E = __dirname;
const REPO = path.resolve(E2E, '..', '..', '..');
const VSIX = path.join(REPO, 'editors', 'vscode', 'plan.vsix');
const SCREENSHOT = path.join(REPO, 'docs', 'images', 'vscode-diagnostics-hover.png');
const CODE_SERVER = path.join(E2E, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.PLAN_E2E_TIMEOUT_MS || 240_000);
// How long one expectation may take before the step fails: the first ones include starting
// the workbench and plan-lsp on a busy 2-core machine.
const WAIT_MS = 60_000;

const planLsp = process.argv[2];
if (!planLsp || !path.isAbsolute(planLsp)) {
  console.error('usage: node run.js /absolute/path/to/plan-lsp');
  process.exit(2);
}

const started = Date.now();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-vscode-e2e-'));
const dirs = {
  userData: path.join(tmp, 'user-data'),
  extensions: path.join(tmp, 'extensions'),
  chrome: path.join(tmp, 'chromium-profile'),
  workspaces: path.join(tmp, 'workspaces'),
  xdg: path.join(tmp, 'xdg'),
};
const codeServerLog = path.join(tmp, 'code-server.log');
const browserLog = path.join(tmp, 'browser.log');

let codeServer; // the code-server child process, leader of its own process group
let context; // Playwright's browser context (Chromium)
let page;
let passed = 0;
let finished = false;

function elapsed() {
  return `${((Date.now() - started) / 1000).toFixed(1)}s`;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs one named step and prints it when it passes; the first failure ends the test. */
async function step(name, body) {
  await body();
  passed += 1;
  console.log(`ok ${passed} - ${name} (${elapsed()})`);
}

/** Polls `probe` until it returns a truthy value, or fails with `what` and the last value seen. */
async function waitFor(what, probe, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeout / 1000}s waiting for ${what}; last seen: ${String(seen).slice(0, 2000)}`);
    }
    await sleep(250);
  }
}

// ---------------------------------------------------------------------------------------------
// code-server

function codeServerArgs() {
  return [
    CODE_SERVER,
    '--config', path.join(tmp, 'config.yaml'),
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
  ];
}

function codeServerEnv() {
  return {
    ...process.env,
    // Nothing is read from or written to the real home directory's config.
    XDG_CONFIG_HOME: path.join(dirs.xdg, 'config'),
    XDG_DATA_HOME: path.join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: path.join(dirs.xdg, 'cache'),
    // No extension gallery (open-vsx by default): a gallery without a service URL is off.
    EXTENSIONS_GALLERY: '{}',
  };
}

/**
 * Remote settings (user-data/Machine/settings.json): to the workbench, code-server is a remote
 * machine, and `plan.server.path` has the scope `machine-overridable`, which VS Code takes from
 * the remote's settings and leaves out of the User settings of a remote window. With the path in
 * the User settings, about one run in ten started the extension with an empty path ("plan-lsp
 * was not found on PATH"). So it goes where a person using Remote-SSH or code-server puts it.
 */
function machineSettings() {
  return { 'plan.server.path': planLsp };
}

/** User settings: everything that would reach the network turned off, and a quiet workbench. */
function userSettings() {
  return {
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.enableExperiments': false,
    'workbench.tips.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.settings.enableNaturalLanguageSearch': false,
    'npm.fetchOnlinePackageInfo': false,
    'typescript.disableAutomaticTypeAcquisition': true,
    'json.schemaDownload.enable': false,
    'git.enabled': false,
    'git.autofetch': false,
    'github.gitAuthentication': false,
    'chat.commandCenter.enabled': false,
    'chat.disableAIFeatures': true,
    'workbench.colorTheme': 'Default Light Modern',
    'workbench.editor.enablePreview': false,
    'editor.minimap.enabled': false,
    'editor.hover.delay': 300,
    'editor.cursorBlinking': 'solid',
    'editor.hover.sticky': true,
    'files.autoSave': 'off',
    'window.restoreWindows': 'none',
  };
}

function installExtension() {
  const result = childProcess.spawnSync(
    process.execPath,
    [...codeServerArgs(), '--install-extension', VSIX, '--force'],
    { env: codeServerEnv(), encoding: 'utf8', timeout: 120_000 },
  );
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 || !/successfully installed/.test(output)) {
    throw new Error(`code-server --install-extension ${VSIX} failed (exit ${result.status}):\n${output}`);
  }
  const installed = fs.readdirSync(dirs.extensions).filter((it) => it.startsWith('plan-lang.plan-'));
  if (installed.length !== 1) {
    throw new Error(`expected one plan-lang.plan-* in ${dirs.extensions}, found: ${fs.readdirSync(dirs.extensions)}`);
  }
  return installed[0];
}

/** Starts code-server on a free loopback port and resolves to its URL once it listens. */
function startCodeServer() {
  const log = fs.openSync(codeServerLog, 'a');
  codeServer = childProcess.spawn(
    process.execPath,
    [
      ...codeServerArgs(),
      '--auth', 'none',
      '--bind-addr', '127.0.0.1:0',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    // Its own process group, so that cleanup ends it with its extension hosts and plan-lsp.
    { env: codeServerEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // run.sh ends this group if this process dies before its cleanup has.
  if (process.env.PLAN_E2E_PIDFILE) fs.writeFileSync(process.env.PLAN_E2E_PIDFILE, String(codeServer.pid));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not start listening in 60s:\n${output}`)), 60_000);
    const onData = (chunk) => {
      fs.writeSync(log, chunk);
      output += chunk.toString();
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    codeServer.stdout.on('data', onData);
    codeServer.stderr.on('data', onData);
    codeServer.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (finished) return;
      console.error(`code-server exited (code ${code}, signal ${signal}); its log: ${codeServerLog}`);
      reject(new Error(`code-server exited (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}

async function stopCodeServer() {
  if (!codeServer || codeServer.exitCode !== null || codeServer.signalCode !== null) return;
  const group = -codeServer.pid;
  const exited = new Promise((resolve) => codeServer.once('exit', resolve));
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return; // already gone
  }
  await Promise.race([exited, sleep(5000)]);
  try {
    process.kill(group, 'SIGKILL'); // whatever of the group is left: extension hosts, plan-lsp
  } catch {
    // the whole group has exited
  }
  if (process.env.PLAN_E2E_PIDFILE) fs.writeFileSync(process.env.PLAN_E2E_PIDFILE, '');
}

// ---------------------------------------------------------------------------------------------
// Chromium and the workbench

async function startChromium() {
  // Only Playwright's driver from npm: the browser is the system's Chromium, never a download.
  const { chromium } = require('playwright-core');
  context = await chromium.launchPersistentContext(dirs.chrome, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Only loopback resolves: the page has nothing to fetch from anywhere else.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
    timeout: 60_000,
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(WAIT_MS);
  // The page's errors and every request that did not go to code-server, for a failure's report.
  const log = (line) => fs.appendFileSync(browserLog, `${new Date().toISOString()} ${line}\n`);
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') log(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => log(`page error: ${error.stack || error}`));
  context.on('request', (request) => {
    if (!/^(https?|wss?):\/\/127\.0\.0\.1[:/]|^(data|blob|vscode-[a-z-]+):/.test(request.url())) log(`request off loopback: ${request.url()}`);
  });
  context.on('requestfailed', (request) => log(`request failed: ${request.url()} ${request.failure()?.errorText}`));
}

/** Opens a folder in the workbench (a new window: a new extension host and plan-lsp). */
async function openFolder(baseUrl, folder) {
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('.monaco-workbench .part.statusbar', { state: 'visible' });
  // The explorer lists the folder's files once the workbench has loaded it.
  await waitFor(`the explorer to list ${folder}`, () =>
    page.evaluate(() => document.querySelectorAll('.explorer-folders-view .monaco-list-row').length > 1),
  );
}

/** The text of the quick-input list's focused row (command palette, quick open). */
function focusedPickText() {
  return page.evaluate(() => {
    const widget = document.querySelector('.quick-input-widget');
    if (!widget || widget.style.display === 'none') return '';
    const row = widget.querySelector('.monaco-list-row.focused');
    return row ? row.textContent.replace(/\s+/g, ' ').trim() : '';
  });
}

async function quickInput(open, text, expected) {
  await page.keyboard.press(open);
  await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible' });
  await page.keyboard.type(text);
  await waitFor(`"${expected}" to be the first choice after typing "${text}"`, async () => {
    const focused = await focusedPickText();
    return focused.includes(expected) ? focused : false;
  });
  await page.keyboard.press('Enter');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden' });
}

/** Runs a command from the command palette (F1) by its title. */
async function runCommand(title) {
  await quickInput('F1', title, title);
}

/** The active editor group's editor, where the text cursor is. */
const ACTIVE_EDITOR = '.part.editor .editor-group-container.active .monaco-editor';

async function openFile(name) {
  await quickInput('Control+P', name, name);
  await waitFor(`${name} to be the active editor tab`, () =>
    page.evaluate(
      (name) => document.querySelector('.part.editor .editor-group-container.active .tab.active')?.getAttribute('aria-label')?.startsWith(name),
      name,
    ),
  );
  await page.waitForSelector(`${ACTIVE_EDITOR} .view-lines .view-line`, { state: 'visible' });
}

/** Moves the cursor with "Go to Line/Column" and checks the status bar says it is there. */
async function goTo(line, column) {
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible' });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('.quick-input-widget', { state: 'hidden' });
  await waitFor(`the cursor at Ln ${line}, Col ${column}`, async () => {
    const text = await statusText('status.editor.selection');
    return text.includes(`Ln ${line}, Col ${column}`) ? text : false;
  });
}

/** The text (or label) of a status bar item by its id. */
function statusText(id) {
  return page.evaluate((id) => {
    const item = document.getElementById(id);
    return item ? `${item.textContent} ${item.getAttribute('aria-label') || ''}`.replace(/\s+/g, ' ').trim() : '';
  }, id);
}

/** The text of the visible lines of the editors (Monaco renders spaces as no-break spaces). */
function editorLines(selector = '.part.editor .monaco-editor') {
  return page.evaluate((selector) => {
    const lines = [];
    for (const editor of document.querySelectorAll(selector)) {
      for (const line of editor.querySelectorAll('.view-lines .view-line')) lines.push(line.textContent.replace(/\u00a0/g, ' '));
    }
    return lines;
  }, selector);
}

/**
 * The screen rectangle of `word` on the visible line of the active editor that matches
 * `linePattern` (a regular expression source), measured on the rendered text itself.
 */
function wordBox(linePattern, word) {
  return page.evaluate(
    ({ selector, linePattern, word }) => {
      const pattern = new RegExp(linePattern);
      for (const line of document.querySelectorAll(`${selector} .view-lines .view-line`)) {
        const text = line.textContent.replace(/\u00a0/g, ' ');
        if (!pattern.test(text)) continue;
        const at = text.indexOf(word);
        if (at < 0) continue;
        // Walk the text nodes to turn the character offsets into a DOM range.
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        let offset = 0;
        let startSet = false;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent.length;
          if (!startSet && at < offset + length) {
            range.setStart(node, at - offset);
            startSet = true;
          }
          if (startSet && at + word.length <= offset + length) {
            range.setEnd(node, at + word.length - offset);
            const box = range.getBoundingClientRect();
            return { x: box.x, y: box.y, width: box.width, height: box.height };
          }
          offset += length;
        }
      }
      return null;
    },
    { selector: ACTIVE_EDITOR, linePattern, word },
  );
}

/** The text of the visible hover widget, if any. */
function hoverText() {
  return page.evaluate(() => {
    const texts = [];
    for (const hover of document.querySelectorAll('.monaco-hover')) {
      const box = hover.getBoundingClientRect();
      if (hover.classList.contains('hidden') || box.width === 0 || box.height === 0) continue;
      texts.push(hover.innerText);
    }
    return texts.join('\n');
  });
}

/** The rows of the tables in the visible hover, and whether each is inside the hover's box. */
function hoverTableRows() {
  return page.evaluate(() => {
    const rows = [];
    for (const hover of document.querySelectorAll('.monaco-hover')) {
      const box = hover.getBoundingClientRect();
      if (hover.classList.contains('hidden') || box.width === 0 || box.height === 0) continue;
      for (const row of hover.querySelectorAll('tr')) {
        const rect = row.getBoundingClientRect();
        rows.push({
          text: row.innerText.replace(/\s+/g, ' ').trim(),
          inView: rect.height > 0 && rect.top >= box.top && rect.bottom <= box.bottom,
        });
      }
    }
    return rows;
  });
}

/**
 * Hovers the mouse over `word` on the line matching `linePattern` until the hover shows every
 * string in `expected`. The first hovers can come before plan-lsp has loaded the workspace,
 * so the mouse leaves and comes back until it does.
 */
async function hover(linePattern, word, expected) {
  return waitFor(`a hover over \`${word}\` that shows ${JSON.stringify(expected)}`, async () => {
    const box = await wordBox(linePattern, word);
    if (!box) return false;
    await page.mouse.move(5, 400); // off the editor, so the next move is a new hover
    await sleep(200);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    const deadline = Date.now() + 5000;
    let text = '';
    while (Date.now() < deadline) {
      text = await hoverText();
      if (expected.every((it) => text.includes(it))) return text;
      await sleep(250);
    }
    throw new Error(`hover text: ${JSON.stringify(text)}`);
  });
}

/** The rows of the Problems view (virtualised: the rows in view). */
function problemsText() {
  return page.evaluate(() => {
    const panel = document.querySelector('.markers-panel');
    if (!panel) return '';
    return [...panel.querySelectorAll('.monaco-list-row')].map((row) => row.textContent.replace(/\s+/g, ' ').trim()).join('\n');
  });
}

/** The texts of the Quick Fix menu's actions, the focused one marked with "> ". */
function quickFixMenu() {
  return page.evaluate(() =>
    [...document.querySelectorAll('.action-widget .monaco-list-row.action')].map(
      (row) => `${row.classList.contains('focused') ? '> ' : ''}${row.textContent.replace(/\s+/g, ' ').trim()}`,
    ),
  );
}

/** Picks `title` in the open Quick Fix menu with the keyboard, as a person would. */
async function chooseQuickFix(title) {
  const rows = await waitFor(`"${title}" in the Quick Fix menu`, async () => {
    const menu = await quickFixMenu();
    return menu.some((it) => it.includes(title)) ? menu : false;
  });
  for (let i = 0; i <= rows.length; i += 1) {
    const focused = (await quickFixMenu()).find((it) => it.startsWith('> '));
    if (focused && focused.includes(title)) {
      await page.keyboard.press('Enter');
      await page.waitForSelector('.action-widget .monaco-list-row.action', { state: 'detached' });
      return;
    }
    await page.keyboard.press('ArrowDown');
    await sleep(100);
  }
  throw new Error(`could not focus "${title}" in the Quick Fix menu: ${JSON.stringify(await quickFixMenu())}`);
}

/**
 * A screenshot once the page has stopped changing (scrollbars fade out after a hover), so that
 * the committed image stays the same from run to run: four identical captures in a row.
 */
async function settledScreenshot() {
  const shots = [];
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    shots.push(await page.screenshot());
    const last = shots.slice(-4);
    if (last.length === 4 && last.every((it) => it.equals(last[0]))) return { image: last[0], settled: true };
    await sleep(300);
  }
  return { image: shots[shots.length - 1], settled: false };
}

// ---------------------------------------------------------------------------------------------
// The test

async function main() {
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  // The same options as on the command line: code-server reads no config from the home directory.
  fs.writeFileSync(
    path.join(tmp, 'config.yaml'),
    'auth: none\nbind-addr: 127.0.0.1:0\ndisable-telemetry: true\ndisable-update-check: true\n',
  );
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify(userSettings(), null, 2));
  fs.mkdirSync(path.join(dirs.userData, 'Machine'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'Machine', 'settings.json'), JSON.stringify(machineSettings(), null, 2));
  // Copies of the examples: the quick fix edits and saves a file.
  const shop = path.join(dirs.workspaces, 'shop');
  const errorsDemo = path.join(dirs.workspaces, 'errors-demo');
  fs.cpSync(path.join(REPO, 'examples', 'shop'), shop, { recursive: true });
  fs.cpSync(path.join(REPO, 'examples', 'errors-demo'), errorsDemo, { recursive: true });
  console.log(`temporary directory: ${tmp}`);

  await step('plan.vsix installs into code-server', async () => {
    installExtension();
  });

  let baseUrl;
  await step('code-server listens on loopback', async () => {
    baseUrl = await startCodeServer();
  });

  await step('headless Chromium starts', startChromium);

  // Phase 1: examples/shop, a plan without problems.
  await step('the workbench opens the shop example', () => openFolder(baseUrl, shop));

  await step('a .plan file is in the Plan language (status bar)', async () => {
    await openFile('data.plan');
    await waitFor('the status bar language indicator to say "Plan"', async () => {
      const text = await statusText('status.editor.mode');
      return text.startsWith('Plan') ? text : false;
    });
  });

  await step('hovering the database `orders-db` shows its monthly cost', async () => {
    const text = await hover('^database orders-db\\b', 'orders-db', ['database orders-db', 'Monthly cost', '$', 'prod']);
    if (!/\$\d[\d,]*\.\d\d/.test(text)) throw new Error(`no dollar amount in the hover: ${JSON.stringify(text)}`);
    await page.screenshot({ path: path.join(tmp, 'shop-hover.png') }); // kept with PLAN_E2E_KEEP=1
  });

  await step('"Plan: Show Cost Report" opens the cost report', async () => {
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');
    await runCommand('Plan: Show Cost Report');
    await waitFor('the cost report in an editor', async () => {
      const lines = await editorLines();
      const joined = lines.join('\n');
      return joined.includes('## Monthly cost of `shop`') && /\| `prod` \| \$[\d,.]+\.\.\$[\d,.]+ \| \$4,500\.00 \|/.test(joined)
        ? joined
        : false;
    });
    // And the Markdown preview beside it renders the same report (a webview: nested frames).
    await waitFor('the rendered cost report in the Markdown preview', async () => {
      for (const frame of page.frames()) {
        const text = await frame.evaluate(() => document.body?.innerText || '').catch(() => '');
        if (text.includes('Monthly cost of shop') && text.includes('$4,500.00')) return true;
      }
      return false;
    });
  });

  // Phase 2: examples/errors-demo, a plan with deliberate mistakes.
  await step('the workbench opens the errors-demo example', () => openFolder(baseUrl, errorsDemo));

  await step('the Problems view lists the errors-demo diagnostics', async () => {
    await openFile('mistakes.plan');
    await runCommand('Problems: Focus on Problems View');
    const text = await waitFor('P003 and P004 in the Problems view', async () => {
      const rows = await problemsText();
      return rows.includes('unknown kind `servce`') && rows.includes('P003') && rows.includes('`service` has no attribute `replcas`') && rows.includes('P004')
        ? rows
        : false;
    });
    const counts = await waitFor('the error count in the status bar', async () => {
      const label = await statusText('status.problems');
      const match = /Errors: (\d+)/.exec(label);
      return match && Number(match[1]) >= 10 ? label : false;
    });
    console.log(`    ${counts.replace(/^.*?(Errors:)/, '$1')}; first rows: ${text.split('\n').slice(0, 3).join(' | ')}`);
    // No row focused (whether the first one was depends on when the diagnostics came), and back
    // to the editor, so that the screenshot is the same on every run: Home focuses the first
    // row, Escape clears the list's focus.
    await page.keyboard.press('Home');
    await page.waitForSelector('.markers-panel .monaco-list-row.focused', { state: 'attached' });
    await page.keyboard.press('Escape');
    await page.waitForSelector('.markers-panel .monaco-list-row.focused, .markers-panel .monaco-list-row.selected', { state: 'detached' });
    await runCommand('View: Focus Active Editor Group');
    await page.waitForSelector(`${ACTIVE_EDITOR}.focused`, { state: 'visible' });
  });

  await step('a hover in errors-demo shows the diagnostic and the cost; screenshot saved', async () => {
    // `worker reports` has one error on its name (REL203) and a cost per environment. Scrolled to
    // the top of the editor, the hover opens below it with room for all of it.
    for (let i = 0; i < 23; i += 1) await page.keyboard.press('Control+ArrowDown');
    await waitFor('`worker reports` at the top of the editor', async () => {
      const [box, top] = await Promise.all([
        wordBox('^worker reports\\b', 'reports'),
        page.evaluate((selector) => document.querySelector(selector).getBoundingClientRect().top, ACTIVE_EDITOR),
      ]);
      return box && box.y - top < 30;
    });
    await hover('^worker reports\\b', 'reports', ['worker reports', 'REL203', 'Monthly cost']);
    // Both environments' rows of the cost table are in view, not scrolled out of the hover.
    await waitFor('the dev and prod rows of the cost table in view in the hover', async () => {
      const rows = await hoverTableRows();
      const shown = (env) => rows.some((it) => it.inView && it.text.startsWith(env) && /\$\d/.test(it.text));
      return shown('dev') && shown('prod') ? rows : false;
    }, 5000);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    const { image, settled } = await settledScreenshot();
    fs.writeFileSync(SCREENSHOT, image);
    console.log(`    ${path.relative(REPO, SCREENSHOT)}: ${image.length} bytes${settled ? '' : ' (the page was still changing)'}`);
  });

  await step('the quick fix "Change to `replicas`" fixes P004 in the file', async () => {
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');
    const file = path.join(errorsDemo, 'mistakes.plan');
    const before = fs.readFileSync(file, 'utf8');
    if (!before.includes('  replcas = 2..4\n')) throw new Error('mistakes.plan lacks `replcas = 2..4`');
    await goTo(13, 3);
    const errorsBefore = Number(/Errors: (\d+)/.exec(await statusText('status.problems'))[1]);
    await page.keyboard.press('Control+.');
    await chooseQuickFix('Change to `replicas`');
    await page.keyboard.press('Control+S');
    await waitFor('mistakes.plan on disk to hold `replicas = 2..4`', () => {
      const after = fs.readFileSync(file, 'utf8');
      return after === before.replace('  replcas = 2..4\n', '  replicas = 2..4\n');
    });
    // With `replicas = 2..4` the service also runs two replicas in prod: REL203 for `api` goes too.
    const label = await waitFor('P004 and REL203 of `api` to leave the Problems view and the error count to drop', async () => {
      const rows = await problemsText();
      const label = await statusText('status.problems');
      const errors = Number((/Errors: (\d+)/.exec(label) || [])[1]);
      return rows.includes('unknown kind `servce`') && !rows.includes('replcas') && !rows.includes('service `api` can run a single replica') && errors < errorsBefore
        ? label
        : false;
    });
    console.log(`    errors before the fix: ${errorsBefore}; after: ${label.replace(/^.*?(Errors:)/, '$1')}`);
  });
}

async function cleanup() {
  finished = true;
  if (context) await Promise.race([context.close().catch(() => {}), sleep(10_000)]);
  await stopCodeServer();
}

async function fail(error) {
  if (finished) return;
  console.error(`not ok ${passed + 1} - ${error && error.stack ? error.stack : error}`);
  if (page) {
    const shot = path.join(tmp, 'failure.png');
    await Promise.race([page.screenshot({ path: shot }).then(() => console.error(`screenshot of the failure: ${shot}`)), sleep(5000)]).catch(() => {});
  }
  await cleanup();
  try {
    const log = fs.readFileSync(codeServerLog, 'utf8').split('\n').slice(-30).join('\n');
    console.error(`last lines of ${codeServerLog}:\n${log}`);
  } catch {
    // no log yet
  }
  try {
    const log = fs.readFileSync(browserLog, 'utf8').split('\n').slice(-15).join('\n');
    console.error(`last lines of ${browserLog}:\n${log}`);
  } catch {
    // no browser yet
  }
  console.error(`kept for inspection: ${tmp}`);
  console.log(`vscode-e2e: ${passed} passed, 1 failed`);
  process.exit(1);
}

const globalTimer = setTimeout(
  () => fail(new Error(`the test did not finish within ${TIMEOUT_MS / 1000}s (PLAN_E2E_TIMEOUT_MS)`)),
  TIMEOUT_MS,
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => fail(new Error(`interrupted by ${signal}`)));
}

main().then(
  async () => {
    clearTimeout(globalTimer);
    await cleanup();
    if (process.env.PLAN_E2E_KEEP) console.log(`kept: ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
    console.log(`vscode-e2e: ${passed} passed, 0 failed (${elapsed()})`);
    process.exit(0);
  },
  (error) => fail(error),
);
