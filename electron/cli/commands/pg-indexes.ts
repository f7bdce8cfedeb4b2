import { Command } from 'commander';
import { CliError, EXIT } from '../exit-codes';
import { info, printJson, printTable } from '../output';
import { postgresUrl } from '../options';
import { withProbe } from '../postgres-probe';

/** `preflight pg indexes`: expected indexes by definition, invalid indexes, seq-scan suspects. */
export function pgIndexesCommand(): Command {
  return new Command('indexes')
    .description('compare expected indexes with the catalog by definition (not by name); list INVALID indexes and tables with heavy sequential scans')
    .requiredOption('--url <postgres-url>', 'database to inspect', postgresUrl)
    .requiredOption('--expect <file>', 'YAML list of expected indexes (table, columns, unique, name?, where?) or a profile with expectations.indexes')
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nStatuses: present, present_other_name, missing, invalid, not_ready, not_applicable.\nExit codes: 0 all usable, 1 an expected index is missing/invalid/not ready, 2 bad usage or file, 3 unreachable.')
    .action(async (opts: { url: string; expect: string; json?: boolean }) => {
      // Loaded when this command runs: `pg activity` does not pay for the YAML and profile readers.
      const [{ evaluateIndexes, indexCheck }, { ExpectationFileError, loadIndexExpectations }, { readIndexCatalog }] = await Promise.all([
        import('../../core/checks/indexes'),
        import('../../core/probes/postgres/expectations'),
        import('../../core/probes/postgres/indexes'),
      ]);
      let expectations;
      try {
        expectations = loadIndexExpectations(opts.expect);
      } catch (err) {
        if (err instanceof ExpectationFileError) throw new CliError(err.message, EXIT.usage);
        throw err;
      }
      const catalog = await withProbe(opts.url, (c) => readIndexCatalog(c), 'reader');
      const report = evaluateIndexes(catalog, expectations);
      const check = indexCheck(report);
      if (opts.json) printJson({ ...report, check: { id: check.id, status: check.status, summary: check.summary } });
      else {
        printTable(
          report.indexes.map((v) => ({ ...v, unique: v.unique ? 'yes' : '', reason: v.reason ?? v.notes.map((n) => `${n.kind}: ${n.message}`).join('; ') })),
          ['name', 'table', 'columns', 'unique', 'status', 'foundAs', 'reason'],
        );
        if (report.invalid.length) {
          process.stdout.write('\nINVALID indexes in the database:\n');
          printTable(report.invalid.map((i) => ({ ...i, table: `${i.schema}.${i.table}` })), ['name', 'table', 'columns', 'valid', 'ready', 'fix']);
        }
        if (report.seqScanSuspects.length) {
          process.stdout.write(`\nTables with heavy sequential scans (since ${report.statsResetAt ?? 'statistics were created'}):\n`);
          printTable(report.seqScanSuspects.map((s) => ({ ...s, table: `${s.schema}.${s.table}`, indexScanShare: `${(s.indexScanShare * 100).toFixed(1)} %` })), ['table', 'seqScans', 'seqRowsRead', 'rowsPerSeqScan', 'indexScans', 'indexScanShare', 'liveRows']);
        }
        info(check.summary);
      }
      if (check.status === 'fail') process.exitCode = EXIT.checkFailed;
    });
}
