// The cost report request and the check of its answer, without `vscode`, for the unit tests.

/** The server's `workspace/executeCommand` id. The extension's own command has another id,
 * `plan.showCostReport`, because vscode-languageclient registers server command ids itself. */
export const SERVER_COST_REPORT = 'plan.server.costReport';

export interface ExecuteCommandParams {
  command: string;
  arguments: unknown[];
}

export function costReportParams(): ExecuteCommandParams {
  return { command: SERVER_COST_REPORT, arguments: [] };
}

/** The Markdown of the report, or an Error saying what the server sent instead. */
export function costReportMarkdown(result: unknown): string | Error {
  if (typeof result === 'string' && result.trim() !== '') return result;
  if (result === null || result === undefined || result === '') {
    return new Error('Plan: the language server returned no cost report. Is a workspace with a plan block open?');
  }
  return new Error(`Plan: the language server returned a cost report that is not Markdown text (${typeof result}).`);
}
