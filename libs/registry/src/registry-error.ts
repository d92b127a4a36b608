import { KeywatchError } from '@keywatch/errors';

/** One problem in a registry file. */
export interface RegistryIssue {
  /** Path of the bad value, e.g. `keys[2].scope`; `(file)` for problems with the file as a whole. */
  field: string;
  message: string;
  /** 1-based line in the file, when known. */
  line: number | null;
}

/** A registry file that cannot be used. Lists every problem found, each with its path and line. */
export class RegistryError extends KeywatchError {
  readonly fileName: string;
  /** Path of the first problem. */
  readonly field: string;
  readonly line: number | null;
  readonly issues: readonly RegistryIssue[];

  constructor(fileName: string, issues: RegistryIssue[]) {
    const listed = issues.length > 0 ? issues : [{ field: '(file)', message: 'invalid key registry', line: null }];
    super(listed.map((issue) => formatIssue(fileName, issue)).join('\n'), { expected: true, retriable: false });
    this.fileName = fileName;
    this.field = listed[0]!.field;
    this.line = listed[0]!.line;
    this.issues = Object.freeze(listed);
  }
}

function formatIssue(fileName: string, issue: RegistryIssue): string {
  const where = issue.line === null ? fileName : `${fileName}:${issue.line}`;
  return `${where}: ${issue.field}: ${issue.message}`;
}
