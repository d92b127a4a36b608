import { withDefaults } from '@keywatch/detect';
import { writeReport } from '@keywatch/report';
import { StateReader } from '@keywatch/state';

export interface ReportOptions {
  state: string;
  out: string;
}

/** `keywatch report --state FILE --out DIR`: the static HTML report of every key in a state file. */
export function reportCommand(opts: ReportOptions): number {
  const reader = new StateReader(opts.state);
  try {
    const r = writeReport(reader, opts.out, withDefaults());
    process.stderr.write(
      `keywatch report: ${r.keys.toLocaleString('en-US')} keys → ${opts.out}/index.html and ${r.keys.toLocaleString('en-US')} key pages (${(r.bytes / 1e6).toFixed(1)} MB) in ${r.seconds.toFixed(1)} s\n`,
    );
  } finally {
    reader.close();
  }
  return 0;
}
