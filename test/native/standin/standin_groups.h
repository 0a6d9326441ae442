/*
 * Group memberships for the stand-in (included once, by wtsapi32.c, whose statics it uses): the addon's imports of
 * netapi32's NetUserGetLocalGroups, NetUserGetGroups and DsGetDcNameW are repointed here, as NetRemoteTOD's are.
 *
 *   G <server|-> <accountHex> <kind> <groupHex|->
 *       a membership of DOMAIN\user (UTF-16 hex, as the S lines write names). kind L: a local group of <server> the
 *       account is in directly; I: a local group it is in through a domain group (NetUserGetLocalGroups returns it
 *       only with LG_INCLUDE_INDIRECT, Microsoft's page); D: a global group of its domain (<server> is ignored).
 *       A group of "-" names no group: the account exists with no membership of that kind.
 *
 * NetUserGetLocalGroups(server, "DOMAIN\user") answers the L (and with the flag the I) groups of that host, or
 * NERR_UserNotFound for an account without L/I lines there, or RPC_S_SERVER_UNAVAILABLE for a host the scenario
 * does not know (as its page says). DsGetDcNameW(NULL, domain) answers "\\DC-<domain>" for a domain with D lines, else
 * ERROR_NO_SUCH_DOMAIN (no domain controller found). NetUserGetGroups("\\DC-<domain>", user) answers its D groups, or
 * NERR_UserNotFound; any other server ERROR_BAD_NETPATH. Every buffer is one allocation counted as the WTS buffers are,
 * given back through the repointed NetApiBufferFree; "F <function> ..." lines fail each of the three as any other
 * function.
 */
#include <dsgetdc.h>
#include <ntsecapi.h>

static BOOL KnownServer(const WCHAR* name);
static DWORD ScriptedError(int function, const WCHAR* server, long long session);
static void Reload(void);
static void* Allocate(size_t bytes);
static void WriteStats(void);
static void RepointImport(const char* dll, const char* name, ULONG_PTR replacement, ULONG_PTR* real);

typedef struct {
  WCHAR server[256], account[256], group[257];
  char kind;
} Membership;
#define MAX_MEMBERSHIPS 256
static Membership memberships[MAX_MEMBERSHIPS];
static int membershipCount;

static void ParseGroupLine(char** f) {
  if (membershipCount >= MAX_MEMBERSHIPS || strlen(f[3]) != 1 || !strchr("LID", f[3][0])) return;
  Membership* m = &memberships[membershipCount++];
  memset(m, 0, sizeof *m);
  DecodeText(f[1], m->server, 256);
  DecodeText(f[2], m->account, 256);
  m->kind = f[3][0];
  DecodeText(f[4], m->group, 257);
}

static const WCHAR* StripSlashes(const WCHAR* name) {
  const WCHAR* s = name ? name : L"";
  while (*s == L'\\') ++s;
  return s;
}

/* The domain part of DOMAIN\user, compared with `domain` without regard to case. */
static BOOL InDomain(const WCHAR* account, const WCHAR* domain) {
  const WCHAR* slash = wcschr(account, L'\\');
  return slash && (size_t)(slash - account) == wcslen(domain) && _wcsnicmp(account, domain, slash - account) == 0;
}

/* One allocation: `count` pointers to the names, then the names (an array of LOCALGROUP_USERS_INFO_0 or
 * GROUP_USERS_INFO_0, each a single LPWSTR). */
static LPWSTR* NameArray(const WCHAR** names, DWORD count) {
  size_t bytes = count * sizeof(LPWSTR);
  for (DWORD i = 0; i < count; ++i) bytes += (wcslen(names[i]) + 1) * sizeof(WCHAR);
  LPWSTR* array = (LPWSTR*)Allocate(bytes);
  if (!array) return NULL;
  WCHAR* text = (WCHAR*)(array + count);
  for (DWORD i = 0; i < count; ++i) {
    array[i] = text;
    wcscpy(text, names[i]);
    text += wcslen(names[i]) + 1;
  }
  return array;
}

/* Collects the groups of `account` of the kinds given; FALSE when no line names the account with those kinds. */
static BOOL GroupsOf(const WCHAR* server, const WCHAR* account, const char* kinds, const WCHAR** out, DWORD* count) {
  BOOL known = FALSE;
  *count = 0;
  for (int i = 0; i < membershipCount; ++i) {
    const Membership* m = &memberships[i];
    if (!strchr(kinds, m->kind) || _wcsicmp(m->account, account) != 0) continue;
    if (m->kind != 'D' && _wcsicmp(m->server, server) != 0) continue;
    known = TRUE;
    if (m->group[0] && wcscmp(m->group, L"-") != 0 && *count < MAX_MEMBERSHIPS) out[(*count)++] = m->group;
  }
  return known;
}

static NET_API_STATUS GroupAnswer(NET_API_STATUS error, const WCHAR** names, DWORD count, LPBYTE* out, LPDWORD read,
                                  LPDWORD total) {
  if (!error) {
    LPWSTR* array = NameArray(names, count);
    if (!array) return ERROR_NOT_ENOUGH_MEMORY;
    *out = (LPBYTE)array;
    *read = *total = count;
  }
  if (statsEveryCall) WriteStats();
  return error;
}

static NET_API_STATUS WINAPI ScriptedNetUserGetLocalGroups(LPCWSTR name, LPCWSTR user, DWORD level, DWORD flags,
                                                           LPBYTE* out, DWORD max, LPDWORD read, LPDWORD total) {
  (void)max;
  EnterCriticalSection(&lock);
  Reload();
  ++callCounts[F_LOCALGROUPS];
  const WCHAR* server = StripSlashes(name);
  static const WCHAR* names[MAX_MEMBERSHIPS];
  DWORD count = 0;
  DWORD error = ScriptedError(F_LOCALGROUPS, server, -1);
  if (!error && (level != 0 || (flags & ~(DWORD)LG_INCLUDE_INDIRECT)))
    error = level ? ERROR_INVALID_LEVEL : ERROR_INVALID_PARAMETER;
  /* The page: RPC_S_SERVER_UNAVAILABLE when the server cannot be found (NetUserGetGroups says ERROR_BAD_NETPATH). */
  if (!error && !KnownServer(server)) error = RPC_S_SERVER_UNAVAILABLE;
  if (!error && !GroupsOf(server, user ? user : L"", (flags & LG_INCLUDE_INDIRECT) ? "LI" : "L", names, &count))
    error = NERR_UserNotFound;
  *out = NULL;
  *read = *total = 0;
  const NET_API_STATUS status = GroupAnswer(error, names, count, out, read, total);
  LeaveCriticalSection(&lock);
  return status;
}

static DWORD WINAPI ScriptedDsGetDcNameW(LPCWSTR computer, LPCWSTR domain, GUID* guid, LPCWSTR site, ULONG flags,
                                         PDOMAIN_CONTROLLER_INFOW* out) {
  (void)computer, (void)guid, (void)site, (void)flags;
  EnterCriticalSection(&lock);
  Reload();
  ++callCounts[F_DCNAME];
  *out = NULL;
  DWORD error = ScriptedError(F_DCNAME, L"", -1);
  BOOL known = FALSE;
  for (int i = 0; i < membershipCount && domain; ++i)
    if (memberships[i].kind == 'D' && InDomain(memberships[i].account, domain)) known = TRUE;
  if (!error && !known) error = ERROR_NO_SUCH_DOMAIN;
  if (!error) {
    const size_t chars = wcslen(domain) + 6; /* "\\DC-" and the terminator */
    PDOMAIN_CONTROLLER_INFOW info = (PDOMAIN_CONTROLLER_INFOW)Allocate(sizeof *info + chars * sizeof(WCHAR));
    if (!info) {
      error = ERROR_NOT_ENOUGH_MEMORY;
    } else {
      info->DomainControllerName = (LPWSTR)(info + 1);
      _snwprintf(info->DomainControllerName, chars, L"\\\\DC-%ls", domain);
      *out = info;
    }
  }
  if (statsEveryCall) WriteStats();
  LeaveCriticalSection(&lock);
  return error;
}

static NET_API_STATUS WINAPI ScriptedNetUserGetGroups(LPCWSTR name, LPCWSTR user, DWORD level, LPBYTE* out, DWORD max,
                                                      LPDWORD read, LPDWORD total) {
  (void)max;
  EnterCriticalSection(&lock);
  Reload();
  ++callCounts[F_GROUPS];
  const WCHAR* server = StripSlashes(name);
  static const WCHAR* names[MAX_MEMBERSHIPS];
  DWORD count = 0;
  DWORD error = ScriptedError(F_GROUPS, server, -1);
  if (!error && level != 0) error = ERROR_INVALID_LEVEL;
  /* Only a domain controller DsGetDcNameW named knows domain accounts. */
  WCHAR account[512] = L"";
  if (!error && _wcsnicmp(server, L"DC-", 3) != 0) error = ERROR_BAD_NETPATH;
  if (!error) _snwprintf(account, 511, L"%ls\\%ls", server + 3, user ? user : L"");
  if (!error && !GroupsOf(L"", account, "D", names, &count)) error = NERR_UserNotFound;
  *out = NULL;
  *read = *total = 0;
  const NET_API_STATUS status = GroupAnswer(error, names, count, out, read, total);
  LeaveCriticalSection(&lock);
  return status;
}

/*
 * NetWkstaGetInfo(server, 100), which the addon asks for a host's NetBIOS name (the domain Windows gives its local
 * accounts): this machine's is "O computerName <hex>" (else GetComputerNameW's), a remote host's the first label of
 * its name in upper case; a host the scenario does not know fails with ERROR_BAD_NETPATH.
 */
static WCHAR computerName[64];

static NET_API_STATUS WINAPI ScriptedNetWkstaGetInfo(LMSTR name, DWORD level, LPBYTE* out) {
  EnterCriticalSection(&lock);
  Reload();
  const WCHAR* server = StripSlashes(name);
  WCHAR host[64] = L"";
  DWORD length = 64, error = level != 100 ? ERROR_INVALID_LEVEL : 0;
  *out = NULL;
  if (!error && !KnownServer(server)) error = ERROR_BAD_NETPATH;
  if (!error && server[0]) {
    for (int i = 0; i < 63 && server[i] && server[i] != L'.'; ++i) host[i] = towupper(server[i]);
  } else if (!error && computerName[0]) {
    wcscpy(host, computerName);
  } else if (!error && !GetComputerNameW(host, &length)) {
    error = GetLastError();
  }
  if (!error) {
    WKSTA_INFO_100* info = (WKSTA_INFO_100*)Allocate(sizeof *info + sizeof host);
    if (!info) {
      error = ERROR_NOT_ENOUGH_MEMORY;
    } else {
      info->wki100_computername = (LMSTR)(info + 1);
      wcscpy(info->wki100_computername, host);
      *out = (LPBYTE)info;
    }
  }
  if (statsEveryCall) WriteStats();
  LeaveCriticalSection(&lock);
  return error;
}

static void PatchGroups(void) {
  static ULONG_PTR local, global, dc, workstation;
  RepointImport("netapi32.dll", "NetWkstaGetInfo", (ULONG_PTR)ScriptedNetWkstaGetInfo, &workstation);
  RepointImport("netapi32.dll", "NetUserGetLocalGroups", (ULONG_PTR)ScriptedNetUserGetLocalGroups, &local);
  RepointImport("netapi32.dll", "NetUserGetGroups", (ULONG_PTR)ScriptedNetUserGetGroups, &global);
  RepointImport("netapi32.dll", "DsGetDcNameW", (ULONG_PTR)ScriptedDsGetDcNameW, &dc);
}

/*
 * Session tokens: WTSQueryUserToken, which only LocalSystem may call (Microsoft's page).
 *
 *   K <session> <sid>:<attributes>[,<sid>:<attributes>...] <userSid>
 *       the groups of that local session's token (TOKEN_GROUPS; attributes as SE_GROUP_* bits) and its user
 *       (TOKEN_USER). Names come from N lines, whose optional sixth field is the SID_NAME_USE LookupAccountSidW answers
 *       (2 a domain group, 4 a local group, 5 a well-known one; default 1, a user).
 *
 * WTSQueryUserToken of a session with a K line gives a handle (an event, so that CloseHandle works on it) that the
 * addon's repointed GetTokenInformation answers TokenGroups for, sized as the function's page says
 * (ERROR_INSUFFICIENT_BUFFER and the size needed); of any other session it fails with ERROR_PRIVILEGE_NOT_HELD, as for
 * a caller that is not LocalSystem. The addon's CloseHandle is repointed to see each token closed: a token still
 * open counts in stats.txt's "handles", as a server handle does.
 */
typedef struct {
  DWORD session;
  char sids[1024];
  char user[96];
} TokenScript;
#define MAX_TOKENS 16
static TokenScript tokenScripts[MAX_TOKENS];
static int tokenScriptCount;
static struct {
  HANDLE handle;
  DWORD session;
} openTokens[64];
static int openTokenCount;

static void ParseTokenLine(char** f) {
  if (tokenScriptCount >= MAX_TOKENS) return;
  TokenScript* t = &tokenScripts[tokenScriptCount++];
  t->session = strtoul(f[1], NULL, 10);
  strncpy(t->sids, f[2], sizeof t->sids - 1);
  t->sids[sizeof t->sids - 1] = 0;
  strncpy(t->user, f[3] ? f[3] : "", sizeof t->user - 1);
  t->user[sizeof t->user - 1] = 0;
}

/* TOKEN_USER of a scripted token: the header, then the SID. */
static BOOL TokenUserAnswer(const TokenScript* script, LPVOID out, DWORD length, PDWORD needed) {
  WCHAR wide[96];
  PSID sid = NULL;
  MultiByteToWideChar(CP_ACP, 0, script->user, -1, wide, 96);
  if (!ConvertStringSidToSidW(wide, &sid)) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return FALSE;
  }
  const DWORD size = (DWORD)sizeof(TOKEN_USER) + GetLengthSid(sid);
  BOOL ok = FALSE;
  *needed = size;
  if (length < size || !out) {
    SetLastError(ERROR_INSUFFICIENT_BUFFER);
  } else {
    TOKEN_USER* user = (TOKEN_USER*)out;
    user->User.Sid = (BYTE*)out + sizeof(TOKEN_USER);
    user->User.Attributes = 0;
    CopySid(GetLengthSid(sid), user->User.Sid, sid);
    ok = TRUE;
  }
  LocalFree(sid);
  return ok;
}

static const TokenScript* ScriptFor(DWORD session) {
  for (int i = 0; i < tokenScriptCount; ++i)
    if (tokenScripts[i].session == session) return &tokenScripts[i];
  return NULL;
}

API BOOL WINAPI WTSQueryUserToken(ULONG session, PHANDLE token) {
  EnterCriticalSection(&lock);
  Reload();
  ++callCounts[F_TOKEN];
  DWORD error = ScriptedError(F_TOKEN, L"", session);
  if (!error && !ScriptFor(session)) error = ERROR_PRIVILEGE_NOT_HELD;
  if (!error && openTokenCount >= 64) error = ERROR_NO_SYSTEM_RESOURCES;
  if (!error) {
    *token = CreateEventW(NULL, TRUE, FALSE, NULL);
    openTokens[openTokenCount].handle = *token;
    openTokens[openTokenCount++].session = session;
  }
  if (statsEveryCall) WriteStats();
  LeaveCriticalSection(&lock);
  SetLastError(error);
  return error == 0;
}

typedef BOOL(WINAPI* GetTokenInformationFn)(HANDLE, TOKEN_INFORMATION_CLASS, LPVOID, DWORD, PDWORD);
typedef BOOL(WINAPI* CloseHandleFn)(HANDLE);
static ULONG_PTR realGetTokenInformation, realCloseHandle;

/* TOKEN_GROUPS of a scripted token: the header, the SID_AND_ATTRIBUTES array, then the SIDs. */
static BOOL WINAPI ScriptedGetTokenInformation(HANDLE token, TOKEN_INFORMATION_CLASS cls, LPVOID out, DWORD length,
                                               PDWORD needed) {
  EnterCriticalSection(&lock);
  const TokenScript* script = NULL;
  for (int i = 0; i < openTokenCount; ++i)
    if (openTokens[i].handle == token) script = ScriptFor(openTokens[i].session);
  LeaveCriticalSection(&lock);
  if (script && cls == TokenUser) return TokenUserAnswer(script, out, length, needed);
  if (!script || cls != TokenGroups)
    return ((GetTokenInformationFn)realGetTokenInformation)(token, cls, out, length, needed);
  PSID sids[64];
  DWORD attributes[64], count = 0, sidBytes = 0;
  char list[1024];
  strcpy(list, script->sids);
  for (char* item = strtok(list, ","); item && count < 64; item = strtok(NULL, ",")) {
    char* colon = strchr(item, ':');
    WCHAR wide[128];
    if (colon) *colon = 0;
    MultiByteToWideChar(CP_ACP, 0, item, -1, wide, 128);
    if (!ConvertStringSidToSidW(wide, &sids[count])) continue;
    attributes[count] = colon ? strtoul(colon + 1, NULL, 10) : SE_GROUP_ENABLED;
    sidBytes += GetLengthSid(sids[count++]);
  }
  const DWORD header = (DWORD)(offsetof(TOKEN_GROUPS, Groups) + count * sizeof(SID_AND_ATTRIBUTES));
  const DWORD size = header + sidBytes;
  BOOL ok = FALSE;
  *needed = size;
  if (length < size || !out) {
    SetLastError(ERROR_INSUFFICIENT_BUFFER);
  } else {
    TOKEN_GROUPS* groups = (TOKEN_GROUPS*)out;
    BYTE* next = (BYTE*)out + header;
    groups->GroupCount = count;
    for (DWORD i = 0; i < count; ++i) {
      CopySid(GetLengthSid(sids[i]), next, sids[i]);
      groups->Groups[i].Sid = next;
      groups->Groups[i].Attributes = attributes[i];
      next += GetLengthSid(sids[i]);
    }
    ok = TRUE;
  }
  for (DWORD i = 0; i < count; ++i) LocalFree(sids[i]);
  return ok;
}

/* The addon's CloseHandle: a scripted token is forgotten, then every handle goes to the real function. */
static BOOL WINAPI TrackedCloseHandle(HANDLE handle) {
  EnterCriticalSection(&lock);
  for (int i = 0; i < openTokenCount; ++i) {
    if (openTokens[i].handle == handle) {
      openTokens[i] = openTokens[--openTokenCount];
      if (statsEveryCall) WriteStats();
      break;
    }
  }
  LeaveCriticalSection(&lock);
  return ((CloseHandleFn)realCloseHandle)(handle);
}

static void PatchTokens(void) {
  RepointImport("advapi32.dll", "GetTokenInformation", (ULONG_PTR)ScriptedGetTokenInformation,
                &realGetTokenInformation);
  RepointImport("kernel32.dll", "CloseHandle", (ULONG_PTR)TrackedCloseHandle, &realCloseHandle);
}

/*
 * LookupAccountNameW, which the addon uses to tell a local group's SID by its name: answered from the N lines (the
 * first whose name matches, without regard to case), following Microsoft's page for buffers that are too small
 * (ERROR_INSUFFICIENT_BUFFER with the sizes needed), or failing with the N line's errno; any other name is
 * ERROR_NONE_MAPPED, so that what Wine itself knows does not leak into the answers.
 */
static BOOL WINAPI ScriptedLookupAccountNameW(LPCWSTR system, LPCWSTR name, PSID sid, LPDWORD cbSid, LPWSTR domain,
                                              LPDWORD cchDomain, PSID_NAME_USE use) {
  (void)system;
  EnterCriticalSection(&lock);
  const Account* account = NULL;
  for (int i = 0; i < accountCount && name && !account; ++i)
    if (_wcsicmp(accounts[i].name, name) == 0) account = &accounts[i];
  PSID found = NULL;
  WCHAR wide[96];
  if (account && !account->error) {
    MultiByteToWideChar(CP_ACP, 0, account->sid, -1, wide, 96);
    if (!ConvertStringSidToSidW(wide, &found)) found = NULL;
  }
  BOOL ok = FALSE;
  DWORD error = account && account->error ? account->error : ERROR_NONE_MAPPED;
  if (found) {
    const DWORD needSid = GetLengthSid(found), needDomain = (DWORD)wcslen(account->domain) + 1;
    if (*cbSid < needSid || *cchDomain < needDomain || !sid || !domain) {
      *cbSid = needSid;
      *cchDomain = needDomain;
      error = ERROR_INSUFFICIENT_BUFFER;
    } else {
      CopySid(needSid, sid, found);
      wcscpy(domain, account->domain);
      *cchDomain = needDomain - 1;
      *use = (SID_NAME_USE)account->use;
      ok = TRUE;
      error = 0;
    }
    LocalFree(found);
  }
  LeaveCriticalSection(&lock);
  SetLastError(error);
  return ok;
}

/*
 * LsaQueryInformationPolicy(PolicyAccountDomainInformation), which the addon asks for this machine's account domain:
 * the first N line of use 3 (SidTypeDomain) gives its SID and name, in one allocation the repointed LsaFreeMemory
 * takes back; without one, STATUS_NO_SUCH_DOMAIN. Other classes go to the real function, as does LsaOpenPolicy.
 */
typedef NTSTATUS(NTAPI* LsaQueryFn)(LSA_HANDLE, POLICY_INFORMATION_CLASS, PVOID*);
typedef NTSTATUS(NTAPI* LsaFreeFn)(PVOID);
static ULONG_PTR realLsaQuery, realLsaFree;
static void* domainInfos[16];

static NTSTATUS NTAPI ScriptedLsaQueryInformationPolicy(LSA_HANDLE policy, POLICY_INFORMATION_CLASS cls, PVOID* out) {
  if (cls != PolicyAccountDomainInformation) return ((LsaQueryFn)realLsaQuery)(policy, cls, out);
  EnterCriticalSection(&lock);
  Reload();
  const Account* domain = NULL;
  for (int i = 0; i < accountCount && !domain; ++i)
    if (accounts[i].use == SidTypeDomain) domain = &accounts[i];
  NTSTATUS status = (NTSTATUS)0xC00000DFL; /* STATUS_NO_SUCH_DOMAIN */
  WCHAR wide[96];
  PSID sid = NULL;
  if (domain) MultiByteToWideChar(CP_ACP, 0, domain->sid, -1, wide, 96);
  if (domain && ConvertStringSidToSidW(wide, &sid)) {
    const size_t name = (wcslen(domain->name) + 1) * sizeof(WCHAR);
    POLICY_ACCOUNT_DOMAIN_INFO* info =
        (POLICY_ACCOUNT_DOMAIN_INFO*)LocalAlloc(LPTR, sizeof *info + GetLengthSid(sid) + name);
    int slot = 0;
    while (slot < 16 && domainInfos[slot]) ++slot;
    if (info && slot < 16) {
      info->DomainSid = (PSID)(info + 1);
      CopySid(GetLengthSid(sid), info->DomainSid, sid);
      info->DomainName.Buffer = (PWSTR)((BYTE*)info->DomainSid + GetLengthSid(sid));
      wcscpy(info->DomainName.Buffer, domain->name);
      info->DomainName.Length = (USHORT)(name - sizeof(WCHAR));
      info->DomainName.MaximumLength = (USHORT)name;
      domainInfos[slot] = info;
      *out = info;
      status = 0;
    } else {
      LocalFree(info);
      status = (NTSTATUS)0xC0000017L; /* STATUS_NO_MEMORY */
    }
    LocalFree(sid);
  }
  LeaveCriticalSection(&lock);
  return status;
}

/* The addon's LsaFreeMemory: what ScriptedLsaQueryInformationPolicy allocated is freed here, anything else there. */
static NTSTATUS NTAPI TrackedLsaFreeMemory(PVOID buffer) {
  BOOL ours = FALSE;
  EnterCriticalSection(&lock);
  for (int i = 0; i < 16 && buffer; ++i) {
    if (domainInfos[i] == buffer) {
      domainInfos[i] = NULL;
      ours = TRUE;
    }
  }
  LeaveCriticalSection(&lock);
  if (!ours) return ((LsaFreeFn)realLsaFree)(buffer);
  LocalFree(buffer);
  return 0;
}

static void PatchNameLookups(void) {
  static ULONG_PTR real;
  RepointImport("advapi32.dll", "LookupAccountNameW", (ULONG_PTR)ScriptedLookupAccountNameW, &real);
  RepointImport("advapi32.dll", "LsaQueryInformationPolicy", (ULONG_PTR)ScriptedLsaQueryInformationPolicy,
                &realLsaQuery);
  RepointImport("advapi32.dll", "LsaFreeMemory", (ULONG_PTR)TrackedLsaFreeMemory, &realLsaFree);
}
