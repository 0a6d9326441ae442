// The `windows-sessions` executable. Ctrl+C aborts what is waiting (a watch ends cleanly); a second one exits.
import { runCli } from './main.js';

const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});
// A policy enforcer run under a process manager is stopped with SIGTERM: it ends grace periods and closes its audit
// log. Windows never sends SIGTERM: there the enforcer runs as a service (`service install`, lib/service), which the
// SCM stops through its control handler.
process.once('SIGTERM', () => {
  controller.abort();
});
void runCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
  controller.signal,
).then((code) => {
  process.exitCode = code;
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
});
