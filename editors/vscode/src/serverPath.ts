// Finds the `plan-lsp` binary from the `plan.server.path` setting and PATH. No `vscode` import,
// so that the unit tests run under plain Node.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SERVER_NAME = 'plan-lsp';
export const SETTING = 'plan.server.path';

export interface ResolveOptions {
  /** The `plan.server.path` setting; empty means "find plan-lsp on PATH". */
  setting: string;
  /** Directory a relative setting is resolved against (the first workspace folder). */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
  /** Injected by the tests; by default an executable regular file. */
  isExecutable?: (file: string) => boolean;
}

function defaultIsExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    // Windows has no execute bit; elsewhere a non-executable file would fail to spawn.
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Environment variables are case-insensitive on Windows (`Path`, `PATHEXT`). */
function envVar(env: NodeJS.ProcessEnv, name: string, win: boolean): string | undefined {
  if (!win) return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

/** The file names to try for `base`: on Windows, `plan-lsp` means `plan-lsp.exe`. */
function candidates(base: string, win: boolean): string[] {
  if (!win || /\.exe$/i.test(base)) return [base];
  // Only .exe: Node cannot spawn .cmd/.bat without a shell.
  return [`${base}.exe`, base];
}

/**
 * Returns the absolute path of the language server, or undefined when it cannot be found.
 *
 * A setting with a directory part (`/opt/plan/bin/plan-lsp`, `./target/release/plan-lsp`,
 * `~/bin/plan-lsp`) names a file; a bare name (`plan-lsp`, or the empty default) is looked up
 * on PATH, like a shell would.
 */
export function resolveServerPath(options: ResolveOptions): string | undefined {
  const env = options.env ?? process.env;
  const win = (options.platform ?? process.platform) === 'win32';
  const p = win ? path.win32 : path.posix;
  const isExecutable = options.isExecutable ?? defaultIsExecutable;
  let setting = options.setting.trim();

  if (setting === '~' || setting.startsWith('~/') || setting.startsWith('~\\')) {
    setting = p.join(options.homedir ?? os.homedir(), setting.slice(1));
  }
  if (setting !== '' && (p.isAbsolute(setting) || /[\\/]/.test(setting))) {
    const file = p.resolve(options.cwd ?? process.cwd(), setting);
    return candidates(file, win).find(isExecutable);
  }

  const name = setting || SERVER_NAME;
  const dirs = (envVar(env, 'PATH', win) ?? '').split(p.delimiter).filter((dir) => dir !== '');
  for (const dir of dirs) {
    // Windows PATH entries may be quoted.
    const found = candidates(p.join(dir.replace(/^"(.*)"$/, '$1'), name), win).find(isExecutable);
    if (found) return found;
  }
  return undefined;
}

const INSTALL = 'Install it with `cargo install --path lsp` from the Plan repository, or put plan-lsp on PATH';

/** The error shown when the server binary is missing; names the setting and how to install. */
export function missingServerMessage(setting: string): string {
  const value = setting.trim();
  if (value !== '') {
    return (
      `Plan: the language server was not found at "${value}" (setting ${SETTING}). ` +
      `${INSTALL}, then correct ${SETTING} or clear it to use plan-lsp from PATH.`
    );
  }
  return `Plan: the language server plan-lsp was not found on PATH. ${INSTALL}, or set ${SETTING} to its location.`;
}
