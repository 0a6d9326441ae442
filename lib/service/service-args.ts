/** The service entry point's command line, as `service install` writes it. */
export interface ServiceArgs {
  policy: string;
  name: string;
  audit: string | undefined;
  servers: (string | null)[];
  /** The SID of the administrator who installed it (whom its code may belong to). */
  installer?: string;
}

/** `<policy.json> [--name <name>] [--audit <file>] [--server <host>[,<host>...]] [--installer <sid>]`. */
export function parseServiceArgs(argv: readonly string[]): ServiceArgs {
  const out: Partial<ServiceArgs> & { servers: (string | null)[] } = { name: 'windows-sessions', servers: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new TypeError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--name') out.name = value();
    else if (arg === '--audit') out.audit = value();
    else if (arg === '--server') out.servers.push(...value().split(','));
    else if (arg === '--installer') out.installer = value();
    else if (arg.startsWith('--')) throw new TypeError(`unknown flag ${arg}`);
    else if (out.policy === undefined) out.policy = arg;
    else throw new TypeError(`one policy file only, got ${out.policy} and ${arg}`);
  }
  if (out.policy === undefined) throw new TypeError('the service needs a policy file');
  const servers = out.servers.length ? out.servers : [null];
  return {
    policy: out.policy,
    name: out.name!,
    audit: out.audit,
    servers,
    ...(out.installer === undefined ? {} : { installer: out.installer }),
  };
}

/** The command line that runs the service: `node` on `entry` with these arguments, each quoted for Windows. */
export function serviceCommandLine(node: string, entry: string, args: ServiceArgs): string {
  const quote = (text: string) => `"${text.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
  const parts = [node, entry, args.policy, '--name', args.name];
  if (args.audit !== undefined) parts.push('--audit', args.audit);
  const remote = args.servers.filter((s): s is string => s !== null);
  if (remote.length) parts.push('--server', remote.join(','));
  if (args.installer !== undefined) parts.push('--installer', args.installer);
  return parts.map(quote).join(' ');
}
