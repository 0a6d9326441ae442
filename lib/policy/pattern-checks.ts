import type { PolicyWarning } from './policy-types.js';

// What JSON's escapes turn a backslash and a letter into, named the way the writer typed them.
const ESCAPES: Readonly<Record<string, string>> = {
  '\b': '\\b (a backspace)',
  '\t': '\\t (a tab)',
  '\n': '\\n (a new line)',
  '\f': '\\f (a form feed)',
  '\r': '\\r (a carriage return)',
};

/**
 * Refuses a pattern holding a control character. No account, computer name or address has one; in a JSON file it is
 * almost always `DOMAIN\user` written with one backslash, which JSON reads as an escape (`"CONTOSO\bob"` is
 * "CONTOSO", a backspace and "ob"), and which would then silently match nobody.
 */
export function refuseControlCharacters(text: string, field: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
  const match = /[\u0000-\u001f\u007f]/u.exec(text);
  if (!match) return;
  const c = match[0];
  const code = `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const seen = ESCAPES[c] ?? `a control character (${code})`;
  throw new RangeError(
    `${field} holds ${seen} at position ${match.index}: in JSON a backslash is written \\\\ ` +
      `(e.g. "CONTOSO\\\\bob"), as a single one starts an escape`,
  );
}

/**
 * Warnings for a trusted-user pattern that can never match: Windows reports a session's account as the NetBIOS
 * domain and the user name (`CONTOSO`, `alice`), never `alice@contoso.com` nor the DNS domain `contoso.com`.
 */
export function userPatternWarnings(text: string, field: string): PolicyWarning[] {
  const slash = text.indexOf('\\');
  if (slash < 0 && /^[^@]+@[^@]+$/u.test(text)) {
    return [
      {
        field,
        message:
          `${field} ${JSON.stringify(text)} is a user@domain name, which never matches: Windows reports ` +
          `DOMAIN\\user with the NetBIOS domain (e.g. "CONTOSO\\\\${text.slice(0, text.indexOf('@'))}" in JSON)`,
      },
    ];
  }
  // Entra ID and Microsoft accounts sign in as AzureAD\\<UPN> or MicrosoftAccount\\<address>, but WTS's fixed name fields
  // have the SAM-compatible sizes: an Entra ID user is AzureAD\\<name> as whoami shows it (azure-docs #38048), a
  // Microsoft account the local account it signs in to (docs/windows-behaviour.md): such a pattern may never match.
  const domain = text.slice(0, slash);
  if (slash > 0 && (text.slice(slash + 1).includes('@') || /^microsoftaccount$/iu.test(domain))) {
    const reported = /^microsoftaccount$/iu.test(domain)
      ? 'a Microsoft account as the local account it signs in to, COMPUTER\\<name> (its folder in C:\\Users)'
      : `${domain}\\<name>, the name whoami shows (for an Entra ID user, not its sign-in address)`;
    return [
      {
        field,
        message:
          `${field} ${JSON.stringify(text)} names the account by how it signs in, which Windows may not report: it ` +
          `gives ${reported}; check what \`windows-sessions list --json\` shows for that user and trust that form too`,
      },
    ];
  }
  if (slash > 0 && text.slice(0, slash).includes('.')) {
    return [
      {
        field,
        message:
          `${field} ${JSON.stringify(text)} has a dotted (DNS) domain, which never matches: Windows reports the ` +
          `NetBIOS domain name (e.g. CONTOSO, not contoso.com)`,
      },
    ];
  }
  return [];
}
