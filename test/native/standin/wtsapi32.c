/*
 * A scripted stand-in for wtsapi32.dll, loaded by the real Windows node.exe under Wine in place of Wine's own
 * (WINEDLLOVERRIDES=wtsapi32=n). It answers from a scenario file the tests write, fails any call on demand, and
 * accounts for every buffer and server handle it hands out, so that a leak or a wrong argument fails a test.
 *
 * Files live in the folder named by WTS_STANDIN_DIR:
 *   scenario.txt  written by the test; re-read whenever its write time or size changes. One record per line,
 *                 fields separated by single spaces; strings as hex of UTF-16LE code units, "-" for none/empty:
 *     S <server> <id> <state> <protocol> <station> <user> <domain> <clientName> <family> <addressHex> \
 *       <connect> <disconnect> <lastInput> <logon> <current> <clientAddressHex> [<lockFlags>]
 *                 a session (server "-" = local; times FILETIME; WTSEnumerateSessionsExW lists it too, level 1
 *                 only, its block freed with WTSFreeMemoryExW(WTSTypeSessionInfoLevel1, p, count) only).
 *                 <addressHex> is WTSCLIENTW.ClientAddress and <clientAddressHex> the whole WTS_CLIENT_ADDRESS,
 *                 byte for byte as the test lays them out: the forms Windows uses are the test's to choose
 *                 (docs/windows-behaviour.md). <lockFlags> is
 *                 WTSINFOEX_LEVEL1_W.SessionFlags as Windows 8 and later report it (default 0xFFFFFFFF, unknown)
 *     F <function> <errno> <session|-1> <server|-|*> <nth> <times> [<infoClass|-1>]
 *                 fail matching calls (nth 0: any; times -1: all; infoClass: WTSQuerySessionInformationW only)
 *     L <function> <ms> [<server>]
 *                 sleep in every call of <function>; with <server>, only in calls to that host (a host stuck in
 *                 RPC): its session queries, process lists, or flushes (WTSWaitSystemEvent)
 *     A <server> <session> <response> <delayMs>
 *                 the next answer to a message in that session
 *     P <server> <pid> <session> <name> <sid|-> [<workingSet> <pagefile> <handles> <threads> <userMs> <kernelMs> \
 *       <stepMs>]
 *                 a process (SID as text, e.g. S-1-5-18), with what WTSEnumerateProcessesExW's level 1 reports of it
 *                 (bytes, counts, CPU ms); each such call adds <stepMs> to its user time after answering. Its buffer
 *                 is freed with WTSFreeMemoryExW(WTSTypeProcessInfoLevel1, p, count) only: WTSFreeMemory of it, or
 *                 another class or count, is a bad free (and the buffer stays outstanding)
 *     E <server> <delayMs> <flags>
 *                 a session event, <delayMs> into a wait
 *     H <server> <id>
 *                 a hung session: WTSLogoffSession and WTSDisconnectSession accept it and leave it as it is
 *     O stats <0|1>
 *                 write stats.txt after every call (default 1)
 *     O computerName <hex>
 *                 this machine's NetBIOS name, as NetWkstaGetInfo answers it (see standin_groups.h)
 *     O enumCount <n>
 *                 WTSEnumerateSessionsW reports n sessions whatever it holds (0: the real count), as a corrupt
 *                 answer would: more than memory can hold makes the addon's allocation fail
 *     O failThreads <0|1>
 *                 the addon's thread creation fails (its import of msvcrt's _beginthreadex is repointed), as on a
 *                 system out of threads or memory
 *     O notAdministrator <0|1>
 *                 the addon's CheckTokenMembership (advapi32) answers "not a member": a process that is not an
 *                 elevated administrator
 *     O failAlloc <trigger> <skip>
 *                 one allocation of the addon fails (its imports of msvcrt's malloc, calloc and realloc are
 *                 repointed), so that operator new throws std::bad_alloc at a chosen point: once a thread is armed,
 *                 its allocation number <skip> (0: the first) returns NULL, once per scenario. <trigger> is a WTS
 *                 function (the first thread to call it is armed as it enters it, so its count starts with what the
 *                 addon does after the call) or size:<bytes> (the first thread to allocate exactly that many bytes
 *                 is armed, and that allocation is number 0: a marker, such as a string argument of a chosen
 *                 length, for the JS thread, which calls no WTS function)
 *     O waitDelay <ms>
 *                 a wait registers this long after it is called: a flush in between is lost, as it can be on
 *                 Windows (a flush releases only the waits already registered)
 *     X <prefix> <count> <sessions> <rttMs>
 *                 a farm: hosts <prefix>0 … <prefix><count-1> (names compare without case), each with <sessions>
 *                 synthesized sessions (ids 1…, active RDP, user u<id> of domain FARM, client 10.0.0.1, signed in an
 *                 hour before the first farm listing, times that never move), every enumeration, query and flush
 *                 of them taking rttMs (a round trip), outside the lock
 *     XS <from> <to> <ms>   farm hosts from…to-1 are slow: <ms> more per call
 *     XD <from> <to> <ms>   farm hosts from…to-1 are down: each call takes <ms> (an RPC time-out), then fails with
 *                 RPC_S_SERVER_UNAVAILABLE, as does a wait on them
 *     XL <host> <filetime> <user>
 *                 a sign-in on farm host <host> at that time (the real clock): from then on it lists session 1000+k
 *                 of <user> (domain FARM, client 203.0.113.9, logon time <filetime>), and its blocked wait returns
 *                 WTS_EVENT_CREATE | WTS_EVENT_LOGON then; a farm host's wait sleeps on an event until then or a flush
 *     T <filetime>
 *                 the caller's clock: the addon's import of kernel32's GetSystemTimePreciseAsFileTime (which only its
 *                 remote-clock code calls) is repointed to answer this time while the scenario has a T line
 *     C <server> <aheadMs> <errno>
 *                 a remote host whose clock runs aheadMs ahead of the caller's (negative: behind), as Windows Server
 *                 2008 and later answer a remote caller: its WTSINFOW.CurrentTime (and WTSINFOEX's) is the caller's
 *                 clock (MS-TSTS LSM_SESSIONINFO_EX_LEVEL1 has no CurrentTime: the caller fills it), its S lines'
 *                 other times are on its own clock, and NetRemoteTOD answers its own clock, or fails with errno
 *                 (0: answers). The addon's imports of netapi32's NetRemoteTOD and NetApiBufferFree are always
 *                 repointed: a host without a C line answers NetRemoteTOD with its first session's <current> (a
 *                 host that fills CurrentTime from its own clock, as Windows Server 2003 did, and the old scenarios'
 *                 model), the local machine or one without sessions with the caller's clock, and an unknown host
 *                 fails with ERROR_BAD_NETPATH. Its buffers count as the WTS ones do; "F NetRemoteTOD" fails it too
 *     G <server|-> <accountHex> <L|I|D> <groupHex|->
 *                 a group membership, for NetUserGetLocalGroups, DsGetDcNameW and NetUserGetGroups (see
 *                 standin_groups.h)
 *     K <session> <sid>:<attributes>[,...] <userSid>
 *                 that session's token groups and user, for WTSQueryUserToken (see standin_groups.h)
 *     N <sid> <name> <domain> <delayMs> [<use> [<errno>]]
 *                 an account: the addon's LookupAccountSidW of that SID (its import from ADVAPI32 is repointed
 *                 while the scenario has N lines; other SIDs go to the real function) answers these names after
 *                 delayMs, failing with ERROR_INSUFFICIENT_BUFFER and the sizes needed (terminator included) when a
 *                 buffer is too small, as Microsoft's LookupAccountSidW page says; with errno, it and
 *                 LookupAccountNameW of the name fail with that error (1789: a domain controller out of reach)
 *                 A wait (WTSWaitSystemEvent other than WTS_EVENT_FLUSH) on a handle that already has one outstanding
 *                 fails with ERROR_BUSY and counts as a conflict: MS-TSTS 3.7.4.1.15 allows one event wait at a time
 *                 per server handle (the error code is this DLL's choice; the protocol says only that it fails). A
 *                 blocked wait re-reads a changed scenario, so a test can script events once its watchers are ready.
 *   calls.log     one line per acting call: "WTSLogoffSession <server> <session> <wait>", the same for
 *                 WTSDisconnectSession, and "WTSSendMessageW <server> <session> <wait> <title> <message> <style>
 *                 <timeout>" with title and message as the exact bytes given (so a length in characters shows)
 *   stats.txt     "allocs <outstanding> total <n> badFrees <n> handles <open> badHandles <n> calls <n> waits <n>
 *                 waitsPeak <n> waitConflicts <n>" (waits blocked now, the most at once, and waits refused since the
 *                 DLL loaded because their handle had one outstanding), "allocFailed <n>" (failAlloc fired), "lookup
 * <sid> <calls> <answered>" per scripted account, "peak <function> <n>" (calls inside their latency at once, the most),
 * "threads <function> <n>" (how many threads called it since the scenario was written, up to 64) plus one
 *                 "<function> <count>" line each and one "class <infoClass> <count>" line per queried class;
 *                 written after every call (option) and at unload.
 */
#define WIN32_LEAN_AND_MEAN
#define _WIN32_WINNT 0x0A00
// windows.h first: the other Windows headers depend on it.
#include <windows.h>

#include <errno.h>
#include <lm.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wtsapi32.h>

#define API __declspec(dllexport)
#define MAX_SESSIONS 20000
#define MAX_RULES 64
#define MAX_OUTSTANDING 65536

enum {
  F_OPEN,
  F_CLOSE,
  F_ENUM,
  F_QUERY,
  F_LOGOFF,
  F_FREE,
  F_DISCONNECT,
  F_MESSAGE,
  F_PROCESSES,
  F_WAIT,
  F_TOD,
  F_LOCALGROUPS,
  F_GROUPS,
  F_DCNAME,
  F_TOKEN,
  F_PROCESSES_EX,
  F_FREE_EX,
  F_ENUM_EX,
  F_COUNT
};
static const char* const FUNCTION_NAMES[F_COUNT] = {
    "WTSOpenServerW",         "WTSCloseServer",         "WTSEnumerateSessionsW", "WTSQuerySessionInformationW",
    "WTSLogoffSession",       "WTSFreeMemory",          "WTSDisconnectSession",  "WTSSendMessageW",
    "WTSEnumerateProcessesW", "WTSWaitSystemEvent",     "NetRemoteTOD",          "NetUserGetLocalGroups",
    "NetUserGetGroups",       "DsGetDcNameW",           "WTSQueryUserToken",     "WTSEnumerateProcessesExW",
    "WTSFreeMemoryExW",       "WTSEnumerateSessionsExW"};

typedef struct {
  WCHAR server[256]; /* "" = local */
  DWORD id, state;
  int protocol; /* -1: report 0xFFFF */
  WCHAR station[64], user[128], domain[128], clientName[64];
  DWORD family;
  BYTE address[62];       /* WTSCLIENTW.ClientAddress */
  BYTE clientAddress[24]; /* WTS_CLIENT_ADDRESS */
  LONGLONG connect, disconnect, lastInput, logon, current;
  LONG lockFlags;
  BOOL removed;
} Session;

/* WTSINFOEXW with its level-1 data (the WTSINFOEXW and WTSINFOEX_LEVEL1_W pages); MinGW's header lacks them. */
typedef struct {
  ULONG SessionId;
  WTS_CONNECTSTATE_CLASS SessionState;
  LONG SessionFlags;
  WCHAR WinStationName[WINSTATIONNAME_LENGTH + 1];
  WCHAR UserName[USERNAME_LENGTH + 1];
  WCHAR DomainName[DOMAIN_LENGTH + 1];
  LARGE_INTEGER LogonTime, ConnectTime, DisconnectTime, LastInputTime, CurrentTime;
  DWORD IncomingBytes, OutgoingBytes, IncomingFrames, OutgoingFrames, IncomingCompressedBytes, OutgoingCompressedBytes;
} InfoExLevel1;
typedef struct {
  DWORD Level;
  union {
    InfoExLevel1 WTSInfoExLevel1;
  } Data;
} InfoEx;
#define WTS_SESSION_INFO_EX 25

#ifndef WTS_ANY_SESSION
#define WTS_ANY_SESSION ((DWORD)-2)
#endif
/* WTS_PROCESS_INFO_EXW (the WTS_PROCESS_INFO_EXW page); MinGW's header lacks it. */
typedef struct {
  DWORD SessionId, ProcessId;
  LPWSTR pProcessName;
  PSID pUserSid;
  DWORD NumberOfThreads, HandleCount, PagefileUsage, PeakPagefileUsage, WorkingSetSize, PeakWorkingSetSize;
  LARGE_INTEGER UserTime, KernelTime;
} WTS_PROCESS_INFO_EXW;

typedef struct {
  int function;
  DWORD error;
  long long session; /* -1: any */
  int serverMode;    /* 0 any, 1 local, 2 named */
  WCHAR server[256];
  long nth, seen, times;
  long long infoClass; /* -1: any */
} Rule;

typedef struct {
  WCHAR server[256];
  DWORD session, response, delay;
  BOOL used;
} Answer;

typedef struct {
  WCHAR server[256];
  DWORD pid, session;
  WCHAR name[64];
  char sid[96];
  DWORD workingSet, pagefile, handles, threads, stepMs; /* WTS_PROCESS_INFO_EXW's figures */
  LONGLONG userMs, kernelMs;
} Process;

typedef struct {
  WCHAR server[256];
  DWORD delay, flags;
  BOOL used;
} Event;

typedef struct {
  DWORD magic;
  WCHAR name[256];
  volatile LONG flushes; /* WTS_EVENT_FLUSH calls on this handle */
  HANDLE flushed;        /* set by each flush: a farm host's wait sleeps on it */
  BOOL waiting;          /* a wait is outstanding on this handle (MS-TSTS 3.7.4.1.15: one at a time) */
} Server;

typedef struct {
  char sid[96];
  WCHAR name[512], domain[512];
  DWORD delay;
  int use;              /* the SID_NAME_USE answered (N's optional sixth field; default SidTypeUser) */
  DWORD error;          /* N's optional seventh field: both look-ups of this account fail with it (0: answered) */
  long calls, answered; /* LookupAccountSidW calls for this SID, and those that returned its names */
} Account;

/* Remote hosts' clocks ("C" lines). */
typedef struct {
  WCHAR server[256];
  LONGLONG aheadMs;
  DWORD error;
} Clock;
#define MAX_CLOCKS 16
static Clock clocks[MAX_CLOCKS];
static int clockCount;
static LONGLONG callerTime; /* "T": the caller's clock as a FILETIME; 0: the real one */

#define MAX_ACCOUNTS 64
static Account accounts[MAX_ACCOUNTS];
static int accountCount;

#define MAX_ITEMS 1024
static Answer answers[MAX_ITEMS];
static int answerCount;
#define MAX_PROCESSES 4096
static Process processes[MAX_PROCESSES];
static int processCount;
static Event events[MAX_ITEMS];
static int eventCount;
static volatile LONG localFlushes;
static BOOL localWaiting;             /* a wait is outstanding on WTS_CURRENT_SERVER_HANDLE */
static LONG waitConflicts;            /* waits refused since the DLL loaded: their handle had one outstanding */
static volatile LONG waitsInProgress; /* WTSWaitSystemEvent calls blocked right now: a lost flush shows here */
static LONG waitsPeak;                /* the most blocked at once: the threads the addon gave to waits */
static LONG sleeping[F_COUNT], sleepingPeak[F_COUNT]; /* calls inside their latency (L) at once, and the most */
#define MAX_CALLERS 64
static DWORD callers[F_COUNT][MAX_CALLERS]; /* the threads that called each function since the scenario */
static int callerCount[F_COUNT];

#define SERVER_MAGIC 0x53525653u

/* The farm ("X" lines). */
#define MAX_FARM 4096
static WCHAR farmPrefix[64];
static DWORD farmCount, farmSessions, farmRtt;
static DWORD farmExtra[MAX_FARM]; /* XS, XD: more latency per call */
static BYTE farmDown[MAX_FARM];
typedef struct {
  DWORD host;
  LONGLONG at;
  WCHAR user[64];
  BOOL told; /* its wait has returned */
} FarmLogon;
static FarmLogon farmLogons[MAX_ITEMS];
static int farmLogonCount;
static Session farmScratch; /* a synthesized session, used under the lock only */
static HANDLE farmReloaded; /* manual-reset: set at each reload, reset by the watcher before it looks again */

static CRITICAL_SECTION lock;
static WCHAR folder[MAX_PATH];
static FILETIME loadedTime;
static DWORD loadedSize = 0xFFFFFFFFu;
static Session* sessions;
static int sessionCount;
static Rule rules[MAX_RULES];
static int ruleCount;
static DWORD latency[F_COUNT];
static WCHAR slowServer[256]; /* its calls to function f sleep slowServerMs[f]: a remote host stuck in RPC */
static DWORD slowServerMs[F_COUNT];
static int statsEveryCall = 1;
static DWORD waitDelay;
static DWORD enumCount;
static int failThreads;      /* the addon's thread creation fails (see PatchThreadCreation) */
static int notAdministrator; /* the addon's CheckTokenMembership says "not a member" (see PatchMembership) */
static void* outstanding[MAX_OUTSTANDING];
static int outstandingCount;
static long long totalAllocs, badFrees, badHandles, totalCalls, callCounts[F_COUNT];
#define MAX_CLASS 64
static long long classCounts[MAX_CLASS];
static Server* handles[8192];
static int handleCount;

static void PathIn(WCHAR* out, const WCHAR* name) { _snwprintf(out, MAX_PATH, L"%ls\\%ls", folder, name); }

static int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Hex of bytes into `out` (at most `capacity` bytes); "-" is empty. Returns the byte count. */
static int DecodeHex(const char* hex, BYTE* out, int capacity) {
  if (strcmp(hex, "-") == 0) return 0;
  int n = 0;
  for (; hex[0] && hex[1] && n < capacity; hex += 2) out[n++] = (BYTE)(HexValue(hex[0]) * 16 + HexValue(hex[1]));
  return n;
}

static void DecodeText(const char* hex, WCHAR* out, int capacityChars) {
  memset(out, 0, capacityChars * sizeof(WCHAR));
  DecodeHex(hex, (BYTE*)out, (capacityChars - 1) * (int)sizeof(WCHAR));
}

static int FunctionIndex(const char* name) {
  for (int i = 0; i < F_COUNT; ++i)
    if (strcmp(name, FUNCTION_NAMES[i]) == 0) return i;
  return -1;
}

/* W lines: what WTSUserName / WTSDomainName answer for a session, when Windows keeps a second form of its names
 * (MS-TSTS WINSTATIONINFORMATIONEX_LEVEL2: a long UserName[257] beside the SAM-compatible one WTSINFOW's size fits). */
#define MAX_SECOND_NAMES 8
static struct {
  WCHAR server[256], user[260], domain[260];
  DWORD id;
} secondNames[MAX_SECOND_NAMES];
static int secondNameCount;

/* The text WTSUserName (or WTSDomainName) answers: a W line's, else the session's own name in full. */
static const WCHAR* NameAnswer(const Session* s, BOOL user) {
  for (int i = 0; i < secondNameCount; ++i) {
    if (secondNames[i].id != s->id || _wcsicmp(secondNames[i].server, s->server) != 0) continue;
    const WCHAR* text = user ? secondNames[i].user : secondNames[i].domain;
    if (text[0]) return text;
  }
  return user ? s->user : s->domain;
}

/* Hung sessions ("H" lines): asked to end or disconnect, they accept and stay. */
#define MAX_HUNG 16
static struct {
  WCHAR server[256];
  DWORD id;
} hung[MAX_HUNG];
static int hungCount;

static BOOL IsHung(const WCHAR* server, DWORD id) {
  for (int i = 0; i < hungCount; ++i) {
    if (hung[i].id == id && _wcsicmp(hung[i].server, server) == 0) return TRUE;
  }
  return FALSE;
}

/* O failAlloc: one failed allocation in the addon, at a point the test chooses. */
static int allocTrigger = -1;     /* a function index, or -1 */
static size_t allocMarker;        /* or an allocation size; 0: none */
static LONG allocSkip;            /* allocations of the armed thread that succeed before the one that fails */
static volatile LONG allocArmed;  /* the armed thread's id; 0: none */
static volatile LONG allocLeft;   /* its allocations still to succeed */
static volatile LONG allocSpent;  /* 1 once a thread was armed: once per scenario */
static volatile LONG allocFailed; /* reported in stats.txt */

static void ParseFailAlloc(const char* trigger, const char* skip) {
  if (strncmp(trigger, "size:", 5) == 0)
    allocMarker = strtoul(trigger + 5, NULL, 10);
  else
    allocTrigger = FunctionIndex(trigger);
  allocSkip = atol(skip);
}

#include "standin_groups.h"

static void ParseLine(char* line) {
  char* f[20];
  int n = 0;
  for (char* t = strtok(line, " \r\n"); t && n < 20; t = strtok(NULL, " \r\n")) f[n++] = t;
  if (n == 0) return;
  if (strcmp(f[0], "S") == 0 && (n == 17 || n == 18) && sessionCount < MAX_SESSIONS) {
    Session* s = &sessions[sessionCount++];
    memset(s, 0, sizeof *s);
    DecodeText(f[1], s->server, 256);
    s->id = strtoul(f[2], NULL, 10);
    s->state = strtoul(f[3], NULL, 10);
    s->protocol = atoi(f[4]);
    DecodeText(f[5], s->station, 64);
    DecodeText(f[6], s->user, 128);
    DecodeText(f[7], s->domain, 128);
    DecodeText(f[8], s->clientName, 64);
    s->family = strtoul(f[9], NULL, 10);
    DecodeHex(f[10], s->address, sizeof s->address);
    s->connect = _strtoi64(f[11], NULL, 10);
    s->disconnect = _strtoi64(f[12], NULL, 10);
    s->lastInput = _strtoi64(f[13], NULL, 10);
    s->logon = _strtoi64(f[14], NULL, 10);
    s->current = _strtoi64(f[15], NULL, 10);
    DecodeHex(f[16], s->clientAddress, sizeof s->clientAddress);
    s->lockFlags = n == 18 ? (LONG)strtoul(f[17], NULL, 10) : (LONG)0xFFFFFFFF;
  } else if (strcmp(f[0], "G") == 0 && n == 5) {
    ParseGroupLine(f);
  } else if (strcmp(f[0], "K") == 0 && n == 4) {
    ParseTokenLine(f);
  } else if (strcmp(f[0], "W") == 0 && n == 5 && secondNameCount < MAX_SECOND_NAMES) {
    DecodeText(f[1], secondNames[secondNameCount].server, 256);
    secondNames[secondNameCount].id = strtoul(f[2], NULL, 10);
    DecodeText(f[3], secondNames[secondNameCount].user, 260);
    DecodeText(f[4], secondNames[secondNameCount++].domain, 260);
  } else if (strcmp(f[0], "H") == 0 && n == 3 && hungCount < MAX_HUNG) {
    DecodeText(f[1], hung[hungCount].server, 256);
    hung[hungCount++].id = strtoul(f[2], NULL, 10);
  } else if (strcmp(f[0], "F") == 0 && (n == 7 || n == 8) && ruleCount < MAX_RULES && FunctionIndex(f[1]) >= 0) {
    Rule* r = &rules[ruleCount++];
    memset(r, 0, sizeof *r);
    r->function = FunctionIndex(f[1]);
    r->error = strtoul(f[2], NULL, 10);
    r->session = _strtoi64(f[3], NULL, 10);
    r->serverMode = strcmp(f[4], "*") == 0 ? 0 : strcmp(f[4], "-") == 0 ? 1 : 2;
    if (r->serverMode == 2) DecodeText(f[4], r->server, 256);
    r->nth = atol(f[5]);
    r->times = atol(f[6]);
    r->infoClass = n == 8 ? _strtoi64(f[7], NULL, 10) : -1;
  } else if (strcmp(f[0], "L") == 0 && n == 3 && FunctionIndex(f[1]) >= 0) {
    latency[FunctionIndex(f[1])] = strtoul(f[2], NULL, 10);
  } else if (strcmp(f[0], "L") == 0 && n == 4 && FunctionIndex(f[1]) >= 0) {
    slowServerMs[FunctionIndex(f[1])] = strtoul(f[2], NULL, 10);
    DecodeText(f[3], slowServer, 256);
  } else if (strcmp(f[0], "A") == 0 && n == 5 && answerCount < MAX_ITEMS) {
    Answer* a = &answers[answerCount++];
    memset(a, 0, sizeof *a);
    DecodeText(f[1], a->server, 256);
    a->session = strtoul(f[2], NULL, 10);
    a->response = strtoul(f[3], NULL, 10);
    a->delay = strtoul(f[4], NULL, 10);
  } else if (strcmp(f[0], "P") == 0 && (n == 6 || n == 13) && processCount < MAX_PROCESSES) {
    Process* p = &processes[processCount++];
    memset(p, 0, sizeof *p);
    DecodeText(f[1], p->server, 256);
    p->pid = strtoul(f[2], NULL, 10);
    p->session = strtoul(f[3], NULL, 10);
    DecodeText(f[4], p->name, 64);
    if (strcmp(f[5], "-") != 0) strncpy(p->sid, f[5], sizeof p->sid - 1);
    if (n == 13) {
      p->workingSet = strtoul(f[6], NULL, 10);
      p->pagefile = strtoul(f[7], NULL, 10);
      p->handles = strtoul(f[8], NULL, 10);
      p->threads = strtoul(f[9], NULL, 10);
      p->userMs = _strtoi64(f[10], NULL, 10);
      p->kernelMs = _strtoi64(f[11], NULL, 10);
      p->stepMs = strtoul(f[12], NULL, 10);
    }
  } else if (strcmp(f[0], "E") == 0 && n == 4 && eventCount < MAX_ITEMS) {
    Event* e = &events[eventCount++];
    memset(e, 0, sizeof *e);
    DecodeText(f[1], e->server, 256);
    e->delay = strtoul(f[2], NULL, 10);
    e->flags = strtoul(f[3], NULL, 10);
  } else if (strcmp(f[0], "X") == 0 && n == 5) {
    DecodeText(f[1], farmPrefix, 64);
    farmCount = min(strtoul(f[2], NULL, 10), MAX_FARM);
    farmSessions = strtoul(f[3], NULL, 10);
    farmRtt = strtoul(f[4], NULL, 10);
  } else if ((strcmp(f[0], "XS") == 0 || strcmp(f[0], "XD") == 0) && n == 4) {
    for (DWORD i = strtoul(f[1], NULL, 10); i < strtoul(f[2], NULL, 10) && i < MAX_FARM; ++i) {
      farmExtra[i] = strtoul(f[3], NULL, 10);
      farmDown[i] = f[0][1] == 'D';
    }
  } else if (strcmp(f[0], "XL") == 0 && n == 4 && farmLogonCount < MAX_ITEMS) {
    FarmLogon* l = &farmLogons[farmLogonCount++];
    const FarmLogon was = *l; /* the same sign-in in the scenario before: told stays told */
    memset(l, 0, sizeof *l);
    l->host = strtoul(f[1], NULL, 10);
    l->at = _strtoi64(f[2], NULL, 10);
    l->told = was.told && was.host == l->host && was.at == l->at;
    DecodeText(f[3], l->user, 64);
  } else if (strcmp(f[0], "T") == 0 && n == 2) {
    callerTime = _strtoi64(f[1], NULL, 10);
  } else if (strcmp(f[0], "C") == 0 && n == 4 && clockCount < MAX_CLOCKS) {
    Clock* c = &clocks[clockCount++];
    DecodeText(f[1], c->server, 256);
    c->aheadMs = _strtoi64(f[2], NULL, 10);
    c->error = strtoul(f[3], NULL, 10);
  } else if (strcmp(f[0], "N") == 0 && n >= 5 && n <= 7 && accountCount < MAX_ACCOUNTS) {
    Account* a = &accounts[accountCount++];
    memset(a, 0, sizeof *a);
    strncpy(a->sid, f[1], sizeof a->sid - 1);
    DecodeText(f[2], a->name, 512);
    DecodeText(f[3], a->domain, 512);
    a->delay = strtoul(f[4], NULL, 10);
    a->use = n >= 6 ? atoi(f[5]) : SidTypeUser;
    a->error = n == 7 ? strtoul(f[6], NULL, 10) : 0;
  } else if (strcmp(f[0], "O") == 0 && n == 3 && strcmp(f[1], "computerName") == 0) {
    DecodeText(f[2], computerName, 64);
  } else if (strcmp(f[0], "O") == 0 && n == 3 && strcmp(f[1], "stats") == 0) {
    statsEveryCall = atoi(f[2]);
  } else if (strcmp(f[0], "O") == 0 && n == 3 && strcmp(f[1], "enumCount") == 0) {
    enumCount = strtoul(f[2], NULL, 10);
  } else if (strcmp(f[0], "O") == 0 && n == 3 && strcmp(f[1], "waitDelay") == 0) {
    waitDelay = strtoul(f[2], NULL, 10);
  } else if (strcmp(f[0], "O") == 0 && n == 3 && strcmp(f[1], "notAdministrator") == 0) {
    notAdministrator = atoi(f[2]);
  } else if (strcmp(f[0], "O") == 0 && n == 3 && strcmp(f[1], "failThreads") == 0) {
    failThreads = atoi(f[2]);
  } else if (strcmp(f[0], "O") == 0 && n == 4 && strcmp(f[1], "failAlloc") == 0) {
    ParseFailAlloc(f[2], f[3]);
  }
}

/* What a system out of threads answers: no thread, errno EAGAIN (msvcrt's _beginthreadex, which MinGW's
 * std::thread calls through winpthreads). */
static uintptr_t __cdecl FailingBeginThreadEx(void* security, unsigned stack, unsigned(__stdcall* start)(void*),
                                              void* arg, unsigned flags, unsigned* id) {
  (void)security, (void)stack, (void)start, (void)arg, (void)flags, (void)id;
  errno = EAGAIN;
  return 0;
}

static void WriteStats(void);

/* Arms the calling thread (under the lock). */
static void ArmAlloc(void) {
  allocLeft = allocSkip;
  allocArmed = (LONG)GetCurrentThreadId();
}

/* Whether this allocation of the addon is the one to fail. Never under the lock: the addon's own code calls it. */
static BOOL AllocFails(size_t bytes) {
  const LONG self = (LONG)GetCurrentThreadId();
  if (allocMarker && bytes == allocMarker && InterlockedCompareExchange(&allocSpent, 1, 0) == 0) {
    allocLeft = allocSkip;
    allocArmed = self;
  }
  if (allocArmed != self) return FALSE;
  if (allocLeft-- > 0) return FALSE;
  allocArmed = 0;
  EnterCriticalSection(&lock);
  ++allocFailed;
  WriteStats(); /* the call may fail before any WTS call would write them */
  LeaveCriticalSection(&lock);
  errno = ENOMEM;
  return TRUE;
}

/* The real allocators, kept as the addon's import table had them. */
static ULONG_PTR realMalloc, realCalloc, realRealloc;
typedef void*(__cdecl* MallocFn)(size_t);
typedef void*(__cdecl* CallocFn)(size_t, size_t);
typedef void*(__cdecl* ReallocFn)(void*, size_t);
static void* __cdecl FailingMalloc(size_t bytes) { return AllocFails(bytes) ? NULL : ((MallocFn)realMalloc)(bytes); }
static void* __cdecl FailingCalloc(size_t count, size_t size) {
  return AllocFails(count * size) ? NULL : ((CallocFn)realCalloc)(count, size);
}
static void* __cdecl FailingRealloc(void* p, size_t bytes) {
  return bytes && AllocFails(bytes) ? NULL : ((ReallocFn)realRealloc)(p, bytes);
}

/* Points the addon's import of `name` from `dll` at `replacement`, or back to the real function (replacement 0),
 * which is kept in *real. Its import table is read in memory, as the loader laid it out. */
static void RepointImport(const char* dll, const char* name, ULONG_PTR replacement, ULONG_PTR* real) {
  BYTE* base = (BYTE*)GetModuleHandleW(L"windows-sessions.node");
  if (!base) return;
  IMAGE_NT_HEADERS* nt = (IMAGE_NT_HEADERS*)(base + ((IMAGE_DOS_HEADER*)base)->e_lfanew);
  IMAGE_DATA_DIRECTORY dir = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
  for (IMAGE_IMPORT_DESCRIPTOR* d = (IMAGE_IMPORT_DESCRIPTOR*)(base + dir.VirtualAddress); d->Name; ++d) {
    if (_stricmp((const char*)(base + d->Name), dll) != 0) continue;
    IMAGE_THUNK_DATA* entry = (IMAGE_THUNK_DATA*)(base + d->OriginalFirstThunk);
    IMAGE_THUNK_DATA* slot = (IMAGE_THUNK_DATA*)(base + d->FirstThunk);
    for (; entry->u1.AddressOfData; ++entry, ++slot) {
      if (IMAGE_SNAP_BY_ORDINAL(entry->u1.Ordinal)) continue;
      if (strcmp((const char*)((IMAGE_IMPORT_BY_NAME*)(base + entry->u1.AddressOfData))->Name, name) != 0) continue;
      if (!*real) *real = slot->u1.Function;
      if (!replacement && slot->u1.Function == *real) return;
      DWORD protection;
      VirtualProtect(&slot->u1.Function, sizeof slot->u1.Function, PAGE_READWRITE, &protection);
      slot->u1.Function = replacement ? replacement : *real;
      VirtualProtect(&slot->u1.Function, sizeof slot->u1.Function, protection, &protection);
      return;
    }
  }
}

/* The addon's pin of itself (GetModuleHandleExW with GET_MODULE_HANDLE_EX_FLAG_PIN) fails with this error, when
 * WTS_STANDIN_FAIL_PIN names one: a failure no real system gives on demand. */
static DWORD pinError;
static BOOL WINAPI FailingGetModuleHandleExW(DWORD flags, LPCWSTR name, HMODULE* module) {
  (void)flags, (void)name;
  *module = NULL;
  SetLastError(pinError);
  return FALSE;
}

/* Points the addon's import of kernel32's GetModuleHandleExW at FailingGetModuleHandleExW. Called from DllMain: the
 * loader binds the addon's imports (this DLL is one) before it runs any DllMain, so the addon's Init sees it. */
static void FailPin(void) {
  static ULONG_PTR real;
  RepointImport("kernel32.dll", "GetModuleHandleExW", (ULONG_PTR)FailingGetModuleHandleExW, &real);
}

/* What CheckTokenMembership answers for a process that is not an elevated administrator. */
static BOOL WINAPI NotAMember(HANDLE token, PSID sid, PBOOL member) {
  (void)token, (void)sid;
  *member = FALSE;
  return TRUE;
}

/* Points the addon's CheckTokenMembership at NotAMember, or back at the real one. */
static void PatchMembership(BOOL notMember) {
  static ULONG_PTR real;
  RepointImport("advapi32.dll", "CheckTokenMembership", notMember ? (ULONG_PTR)NotAMember : 0, &real);
}

/* Installs the failing allocators while a failAlloc is scripted, and the real ones otherwise. */
static void PatchAllocation(BOOL fail) {
  RepointImport("msvcrt.dll", "malloc", fail ? (ULONG_PTR)FailingMalloc : 0, &realMalloc);
  RepointImport("msvcrt.dll", "calloc", fail ? (ULONG_PTR)FailingCalloc : 0, &realCalloc);
  RepointImport("msvcrt.dll", "realloc", fail ? (ULONG_PTR)FailingRealloc : 0, &realRealloc);
}

/* Points the addon's import of msvcrt's _beginthreadex at FailingBeginThreadEx, or back: an injected failure to
 * create threads with no seam in the shipped addon. */
static void PatchThreadCreation(BOOL fail) {
  static ULONG_PTR real;
  RepointImport("msvcrt.dll", "_beginthreadex", fail ? (ULONG_PTR)FailingBeginThreadEx : 0, &real);
}

typedef BOOL(WINAPI* LookupAccountSidFn)(LPCWSTR, PSID, LPWSTR, LPDWORD, LPWSTR, LPDWORD, PSID_NAME_USE);
static ULONG_PTR realLookupAccountSid;
static void WriteStats(void);

/* The addon's LookupAccountSidW while the scenario scripts accounts (N lines): a scripted SID answers its names,
 * following Microsoft's LookupAccountSidW page for buffers that are too small; any other goes to the real one. */
static BOOL WINAPI ScriptedLookupAccountSidW(LPCWSTR system, PSID sid, LPWSTR name, LPDWORD cchName, LPWSTR domain,
                                             LPDWORD cchDomain, PSID_NAME_USE use) {
  char text[96] = "";
  LPWSTR wide = NULL;
  if (sid && IsValidSid(sid) && ConvertSidToStringSidW(sid, &wide)) {
    WideCharToMultiByte(CP_ACP, 0, wide, -1, text, sizeof text, NULL, NULL);
    LocalFree(wide);
  }
  EnterCriticalSection(&lock);
  Account* account = NULL;
  for (int i = 0; i < accountCount; ++i)
    if (text[0] && strcmp(accounts[i].sid, text) == 0) account = &accounts[i];
  if (!account) {
    LeaveCriticalSection(&lock);
    return ((LookupAccountSidFn)realLookupAccountSid)(system, sid, name, cchName, domain, cchDomain, use);
  }
  ++account->calls;
  const DWORD delay = account->delay;
  LeaveCriticalSection(&lock);
  if (delay) Sleep(delay); /* a domain controller far away; outside the lock, so lookups overlap */
  EnterCriticalSection(&lock);
  const DWORD needName = (DWORD)wcslen(account->name) + 1, needDomain = (DWORD)wcslen(account->domain) + 1;
  BOOL ok = FALSE;
  if (!cchName || !cchDomain || !use) {
    SetLastError(ERROR_INVALID_PARAMETER);
  } else if (account->error) {
    SetLastError(account->error);
  } else if (*cchName < needName || *cchDomain < needDomain || !name || !domain) {
    *cchName = needName;
    *cchDomain = needDomain;
    SetLastError(ERROR_INSUFFICIENT_BUFFER);
  } else {
    wcscpy(name, account->name);
    wcscpy(domain, account->domain);
    *cchName = needName - 1;
    *cchDomain = needDomain - 1;
    *use = (SID_NAME_USE)account->use;
    ++account->answered;
    ok = TRUE;
  }
  const DWORD error = GetLastError();
  if (statsEveryCall) WriteStats();
  LeaveCriticalSection(&lock);
  SetLastError(error);
  return ok;
}

/* The caller's clock: the scenario's T line, else the real one. */
static LONGLONG CallerTime(void) {
  if (callerTime) return callerTime;
  FILETIME now;
  GetSystemTimeAsFileTime(&now);
  return ((LONGLONG)now.dwHighDateTime << 32) | now.dwLowDateTime;
}

static VOID WINAPI ScriptedPreciseTime(LPFILETIME out) {
  EnterCriticalSection(&lock);
  const LONGLONG now = CallerTime();
  LeaveCriticalSection(&lock);
  out->dwLowDateTime = (DWORD)now;
  out->dwHighDateTime = (DWORD)((ULONGLONG)now >> 32);
}

static const Clock* FindClock(const WCHAR* server) {
  for (int i = 0; i < clockCount; ++i)
    if (_wcsicmp(clocks[i].server, server) == 0) return &clocks[i];
  return NULL;
}

/* WTSINFOW.CurrentTime of a session: the caller's clock for a host with a C line (Windows Server 2008 and later
 * leave it to the caller), else the scenario's <current>. */
static LONGLONG CurrentTimeOf(const Session* s) { return FindClock(s->server) ? CallerTime() : s->current; }

static BOOL KnownServer(const WCHAR* name);
static DWORD ScriptedError(int function, const WCHAR* server, long long session);
static void Reload(void);
static void* Allocate(size_t bytes);

/* NetRemoteTOD (lmremutl.h): a TIME_OF_DAY_INFO the caller frees with NetApiBufferFree. */
static NET_API_STATUS WINAPI ScriptedNetRemoteTOD(LPCWSTR name, LPBYTE* out) {
  EnterCriticalSection(&lock);
  Reload();
  ++callCounts[F_TOD]; /* not in totalCalls: the WTS call counts the tests check stay as they were */
  const WCHAR* server = name ? name : L"";
  while (*server == L'\\') ++server;
  DWORD error = ScriptedError(F_TOD, server, -1);
  const Clock* clock = FindClock(server);
  if (!error && clock) error = clock->error;
  if (!error && !KnownServer(server)) error = ERROR_BAD_NETPATH;
  LONGLONG now = CallerTime();
  if (!error && clock) {
    now += clock->aheadMs * 10000;
  } else if (!error && server[0]) {
    for (int i = 0; i < sessionCount; ++i) {
      if (_wcsicmp(sessions[i].server, server) == 0) {
        now = sessions[i].current;
        break;
      }
    }
  }
  TIME_OF_DAY_INFO* tod = error ? NULL : (TIME_OF_DAY_INFO*)Allocate(sizeof(TIME_OF_DAY_INFO));
  if (!error && !tod) error = ERROR_NOT_ENOUGH_MEMORY;
  if (!error) {
    const LONGLONG sinceUnix = now - 116444736000000000LL; /* 100-ns units since 1970 */
    FILETIME ft = {(DWORD)now, (DWORD)((ULONGLONG)now >> 32)};
    SYSTEMTIME st;
    FileTimeToSystemTime(&ft, &st);
    tod->tod_elapsedt = (DWORD)(sinceUnix / 10000000);
    tod->tod_msecs = GetTickCount(); /* from an arbitrary point: no wall clock */
    tod->tod_hours = st.wHour;
    tod->tod_mins = st.wMinute;
    tod->tod_secs = st.wSecond;
    tod->tod_hunds = (DWORD)(sinceUnix % 10000000 / 100000);
    tod->tod_timezone = 0;
    tod->tod_tinterval = 310;
    tod->tod_day = st.wDay;
    tod->tod_month = st.wMonth;
    tod->tod_year = st.wYear;
    tod->tod_weekday = st.wDayOfWeek;
    *out = (LPBYTE)tod;
  }
  if (statsEveryCall) WriteStats();
  LeaveCriticalSection(&lock);
  return error;
}

/* NetApiBufferFree of what ScriptedNetRemoteTOD allocated: counted as WTSFreeMemory counts its buffers. */
static NET_API_STATUS WINAPI TrackedNetApiBufferFree(LPVOID memory) {
  EnterCriticalSection(&lock);
  for (int i = 0; i < outstandingCount; ++i) {
    if (outstanding[i] == memory) {
      free(memory);
      outstanding[i] = outstanding[--outstandingCount];
      if (statsEveryCall) WriteStats(); /* the last call of a read may be this free: the count must show it */
      LeaveCriticalSection(&lock);
      return NERR_Success;
    }
  }
  ++badFrees;
  LeaveCriticalSection(&lock);
  return ERROR_INVALID_PARAMETER;
}

static ULONG_PTR realPreciseTime, realNetRemoteTOD, realNetApiBufferFree;
static void PatchClocks(void) {
  RepointImport("kernel32.dll", "GetSystemTimePreciseAsFileTime", callerTime ? (ULONG_PTR)ScriptedPreciseTime : 0,
                &realPreciseTime);
  RepointImport("netapi32.dll", "NetRemoteTOD", (ULONG_PTR)ScriptedNetRemoteTOD, &realNetRemoteTOD);
  RepointImport("netapi32.dll", "NetApiBufferFree", (ULONG_PTR)TrackedNetApiBufferFree, &realNetApiBufferFree);
}

/* Re-reads scenario.txt when it changed since the last read. Called under the lock at every entry. */
static void Reload(void) {
  WCHAR path[MAX_PATH];
  WIN32_FILE_ATTRIBUTE_DATA attributes;
  PathIn(path, L"scenario.txt");
  if (!GetFileAttributesExW(path, GetFileExInfoStandard, &attributes)) return;
  if (CompareFileTime(&attributes.ftLastWriteTime, &loadedTime) == 0 && attributes.nFileSizeLow == loadedSize) return;
  FILE* file = _wfopen(path, L"rb");
  if (!file) return;
  loadedTime = attributes.ftLastWriteTime;
  loadedSize = attributes.nFileSizeLow;
  sessionCount = 0;
  farmCount = 0;
  farmLogonCount = 0;
  memset(farmExtra, 0, sizeof farmExtra);
  memset(farmDown, 0, sizeof farmDown);
  ruleCount = 0;
  hungCount = 0;
  secondNameCount = 0;
  answerCount = 0;
  processCount = 0;
  eventCount = 0;
  accountCount = 0;
  computerName[0] = 0;
  membershipCount = 0;
  tokenScriptCount = 0;
  clockCount = 0;
  callerTime = 0;
  memset(latency, 0, sizeof latency);
  memset(slowServerMs, 0, sizeof slowServerMs);
  slowServer[0] = 0;
  statsEveryCall = 1;
  waitDelay = 0;
  enumCount = 0;
  failThreads = 0;
  notAdministrator = 0;
  allocTrigger = -1;
  allocMarker = 0;
  allocArmed = 0;
  allocSpent = 0;
  allocFailed = 0;
  waitsPeak = waitsInProgress; /* peaks are per scenario (a wait still blocked counts in the new one) */
  memset(sleepingPeak, 0, sizeof sleepingPeak);
  memset(callerCount, 0, sizeof callerCount);
  static char line[4096];
  while (fgets(line, sizeof line, file)) ParseLine(line);
  fclose(file);
  PatchThreadCreation(failThreads);
  PatchMembership(notAdministrator);
  PatchAllocation(allocTrigger >= 0 || allocMarker > 0);
  RepointImport("advapi32.dll", "LookupAccountSidW", accountCount ? (ULONG_PTR)ScriptedLookupAccountSidW : 0,
                &realLookupAccountSid);
  PatchClocks();
  PatchGroups();
  PatchTokens();
  PatchNameLookups();
  if (farmReloaded) SetEvent(farmReloaded); /* farm waits look at their sign-ins again */
}

static void WriteStats(void) {
  WCHAR path[MAX_PATH], temp[MAX_PATH];
  PathIn(path, L"stats.txt");
  PathIn(temp, L"stats.tmp");
  FILE* file = _wfopen(temp, L"wb");
  if (!file) return;
  fprintf(file,
          "allocs %d total %lld badFrees %lld handles %d badHandles %lld calls %lld waits %ld waitsPeak %ld "
          "waitConflicts %ld\n",
          outstandingCount, totalAllocs, badFrees, handleCount + openTokenCount, badHandles, totalCalls,
          (long)waitsInProgress, (long)waitsPeak, (long)waitConflicts);
  fprintf(file, "allocFailed %ld\n", (long)allocFailed);
  for (int i = 0; i < accountCount; ++i)
    fprintf(file, "lookup %s %ld %ld\n", accounts[i].sid, accounts[i].calls, accounts[i].answered);
  for (int i = 0; i < F_COUNT; ++i)
    if (sleepingPeak[i]) fprintf(file, "peak %s %ld\n", FUNCTION_NAMES[i], (long)sleepingPeak[i]);
  for (int i = 0; i < F_COUNT; ++i)
    if (callerCount[i]) fprintf(file, "threads %s %d\n", FUNCTION_NAMES[i], callerCount[i]);
  for (int i = 0; i < F_COUNT; ++i) fprintf(file, "%s %lld\n", FUNCTION_NAMES[i], callCounts[i]);
  for (int i = 0; i < MAX_CLASS; ++i)
    if (classCounts[i]) fprintf(file, "class %d %lld\n", i, classCounts[i]);
  fclose(file);
  MoveFileExW(temp, path, MOVEFILE_REPLACE_EXISTING); /* readers never see half a file */
}

static void Enter(int function) {
  EnterCriticalSection(&lock);
  Reload();
  ++totalCalls;
  ++callCounts[function];
  DWORD self = GetCurrentThreadId();
  int known = 0;
  while (known < callerCount[function] && callers[function][known] != self) ++known;
  if (known == callerCount[function] && known < MAX_CALLERS) callers[function][callerCount[function]++] = self;
  if (function == allocTrigger && !allocSpent) {
    allocSpent = 1;
    ArmAlloc();
  }
  DWORD ms = latency[function];
  if (ms) {
    if (++sleeping[function] > sleepingPeak[function]) sleepingPeak[function] = sleeping[function];
    LeaveCriticalSection(&lock);
    Sleep(ms); /* outside the lock, so concurrent calls overlap as on a real server */
    EnterCriticalSection(&lock);
    --sleeping[function];
  }
}

/* The slow host's calls to this function take their time: outside the lock, so only this host is slow. */
static void SlowHost(int function, const WCHAR* server) {
  if (!slowServerMs[function] || _wcsicmp(server, slowServer) != 0) return;
  LeaveCriticalSection(&lock);
  Sleep(slowServerMs[function]);
  EnterCriticalSection(&lock);
}

static void Leave(void) {
  if (statsEveryCall) WriteStats();
  LeaveCriticalSection(&lock);
}

static BOOL Fail(DWORD error) {
  Leave();
  SetLastError(error);
  return FALSE;
}

static void PutHex(FILE* file, const BYTE* bytes, size_t count) {
  if (count == 0) fputc('-', file);
  for (size_t i = 0; i < count; ++i) fprintf(file, "%02x", bytes[i]);
}

/* One line in calls.log; `extra` (may be NULL) is appended as it is. */
static void LogCall(const char* function, const WCHAR* server, DWORD session, BOOL wait, const char* extra) {
  WCHAR path[MAX_PATH];
  PathIn(path, L"calls.log");
  FILE* file = _wfopen(path, L"ab");
  if (!file) return;
  fprintf(file, "%s ", function);
  PutHex(file, (const BYTE*)server, wcslen(server) * sizeof(WCHAR));
  fprintf(file, " %lu %d%s\n", (unsigned long)session, wait ? 1 : 0, extra ? extra : "");
  fclose(file);
}

/* The first scripted error for this call (of this information class, for queries), or 0. */
static DWORD ScriptedClassError(int function, const WCHAR* server, long long session, long long infoClass) {
  for (int i = 0; i < ruleCount; ++i) {
    Rule* r = &rules[i];
    if (r->function != function || r->times == 0) continue;
    if (r->session >= 0 && r->session != session) continue;
    if (r->infoClass >= 0 && r->infoClass != infoClass) continue;
    if (r->serverMode == 1 && server[0] != 0) continue;
    if (r->serverMode == 2 && _wcsicmp(r->server, server) != 0) continue;
    ++r->seen;
    if (r->nth > 0 && r->seen != r->nth) continue;
    if (r->times > 0) --r->times;
    return r->error;
  }
  return 0;
}

static DWORD ScriptedError(int function, const WCHAR* server, long long session) {
  return ScriptedClassError(function, server, session, -1);
}

static void* Allocate(size_t bytes) {
  if (outstandingCount >= MAX_OUTSTANDING) return NULL;
  void* p = calloc(1, bytes ? bytes : 1);
  if (p) {
    outstanding[outstandingCount++] = p;
    ++totalAllocs;
  }
  return p;
}

/* The server a handle names ("" for the local machine), or NULL for a handle this DLL did not hand out. */
static const WCHAR* ServerName(HANDLE handle) {
  if (handle == WTS_CURRENT_SERVER_HANDLE) return L"";
  for (int i = 0; i < handleCount; ++i)
    if (handles[i] == (Server*)handle && handles[i]->magic == SERVER_MAGIC) return handles[i]->name;
  ++badHandles;
  return NULL;
}

static int FarmHost(const WCHAR* name);

/* A server the scenario knows (local always exists). */
static BOOL KnownServer(const WCHAR* name) {
  if (name[0] == 0) return TRUE;
  if (FarmHost(name) >= 0) return !farmDown[FarmHost(name)];
  for (int i = 0; i < sessionCount; ++i)
    if (_wcsicmp(sessions[i].server, name) == 0) return TRUE;
  return FALSE;
}

static Session* FarmSession(int h, DWORD id);

static Session* Find(const WCHAR* server, DWORD id) {
  if (FarmHost(server) >= 0) return FarmSession(FarmHost(server), id);
  for (int i = 0; i < sessionCount; ++i)
    if (!sessions[i].removed && sessions[i].id == id && _wcsicmp(sessions[i].server, server) == 0) return &sessions[i];
  return NULL;
}

/* The farm host a name is (its index), or -1. */
static int FarmHost(const WCHAR* name) {
  const size_t n = wcslen(farmPrefix);
  if (!farmCount || !n || _wcsnicmp(name, farmPrefix, n) != 0) return -1;
  WCHAR* end = NULL;
  const unsigned long i = wcstoul(name + n, &end, 10);
  return end != name + n && *end == 0 && i < farmCount ? (int)i : -1;
}

static LONGLONG Now(void) {
  FILETIME ft;
  GetSystemTimeAsFileTime(&ft);
  return (LONGLONG)(((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime);
}

/* A farm host's round trip, outside the lock; FALSE for a host that is down (the caller fails with 1722). */
static BOOL FarmTrip(const WCHAR* server) {
  const int h = FarmHost(server);
  if (h < 0) return TRUE;
  const DWORD ms = farmRtt + farmExtra[h];
  if (ms) {
    LeaveCriticalSection(&lock);
    Sleep(ms);
    EnterCriticalSection(&lock);
  }
  return !farmDown[h];
}

/* Session `id` of farm host `h` (its synthesized ones, then its sign-ins so far), in farmScratch; NULL if none. */
static Session* FarmSession(int h, DWORD id) {
  Session* s = &farmScratch;
  memset(s, 0, sizeof *s);
  const WCHAR* user = NULL;
  if (id >= 1 && id <= farmSessions) {
    static WCHAR name[16];
    _snwprintf(name, 16, L"u%lu", (unsigned long)id);
    user = name;
    s->address[0] = 10, s->address[6] = 1; /* 10.0.0.1 as WTSCLIENTW octets (one USHORT each) */
  } else if (id >= 1000 && id - 1000 < (DWORD)farmLogonCount) {
    const FarmLogon* l = &farmLogons[id - 1000];
    if ((int)l->host != h || l->at > Now()) return NULL;
    user = l->user;
    s->address[0] = 203, s->address[2] = 0, s->address[4] = 113, s->address[6] = 9;
  } else {
    return NULL;
  }
  s->id = id;
  s->state = WTSActive;
  s->protocol = 2;
  _snwprintf(s->station, 64, L"RDP-Tcp#%lu", (unsigned long)id);
  wcsncpy(s->user, user, 127);
  wcscpy(s->domain, L"FARM");
  s->family = 2; /* AF_INET */
  s->clientAddress[0] = 2;
  for (int i = 0; i < 4; ++i) s->clientAddress[6 + i] = s->address[2 * i];
  s->current = Now();
  /* Fixed, as a real sign-in's are (an hour before the stand-in first saw a farm; a scripted sign-in's own time):
   * times that moved with every query made each listing look like new sign-ins to a poll's change detection. */
  static LONGLONG farmEpoch;
  if (!farmEpoch) farmEpoch = s->current - 36000000000LL;
  s->logon = s->connect = s->lastInput = id >= 1000 ? farmLogons[id - 1000].at : farmEpoch;
  s->lockFlags = (LONG)0xFFFFFFFF;
  return s;
}

API HANDLE WINAPI WTSOpenServerW(LPWSTR name) {
  Enter(F_OPEN);
  const WCHAR* text = name ? name : L"";
  DWORD error = ScriptedError(F_OPEN, text, -1);
  if (error || handleCount >= 8192 || wcslen(text) >= 256) {
    Fail(error ? error : ERROR_NOT_ENOUGH_MEMORY);
    return NULL;
  }
  /* Like Windows, opening succeeds for any name; an unreachable host fails at its first use. */
  Server* server = (Server*)calloc(1, sizeof *server);
  server->magic = SERVER_MAGIC;
  server->flushed = CreateEventW(NULL, FALSE, FALSE, NULL);
  wcscpy(server->name, text);
  handles[handleCount++] = server;
  Leave();
  return (HANDLE)server;
}

API VOID WINAPI WTSCloseServer(HANDLE handle) {
  Enter(F_CLOSE);
  for (int i = 0; i < handleCount; ++i) {
    if (handles[i] == (Server*)handle) {
      handles[i]->magic = 0;
      CloseHandle(handles[i]->flushed);
      free(handles[i]);
      handles[i] = handles[--handleCount];
      Leave();
      return;
    }
  }
  ++badHandles;
  Leave();
}

/* The buffers WTSEnumerateProcessesExW and WTSEnumerateSessionsExW handed out, with their counts and WTS_TYPE_CLASS
 * (1 WTSTypeProcessInfoLevel1, 2 WTSTypeSessionInfoLevel1): only WTSFreeMemoryExW with both frees them. */
#define MAX_EX_BLOCKS 1024
static struct {
  void* block;
  DWORD count;
  int typeClass;
} exBlocks[MAX_EX_BLOCKS];
static int exBlockCount;

static int ExBlock(void* memory) {
  for (int i = 0; i < exBlockCount; ++i)
    if (exBlocks[i].block == memory) return i;
  return -1;
}

static void Release(void* memory) {
  for (int i = 0; i < outstandingCount; ++i) {
    if (outstanding[i] == memory) {
      free(memory);
      outstanding[i] = outstanding[--outstandingCount];
      return;
    }
  }
}

API BOOL WINAPI WTSFreeMemoryExW(int typeClass, PVOID memory, ULONG count) {
  Enter(F_FREE_EX);
  int i = ExBlock(memory);
  if (i < 0 || typeClass != exBlocks[i].typeClass || exBlocks[i].count != count) {
    ++badFrees;
    return Fail(ERROR_INVALID_PARAMETER);
  }
  exBlocks[i] = exBlocks[--exBlockCount];
  Release(memory);
  Leave();
  return TRUE;
}

API VOID WINAPI WTSFreeMemory(PVOID memory) {
  Enter(F_FREE);
  if (ExBlock(memory) >= 0) { /* the wrong call for a WTS_PROCESS_INFO_EXW or WTS_SESSION_INFO_1W array */
    ++badFrees;
    Leave();
    return;
  }
  for (int i = 0; i < outstandingCount; ++i) {
    if (outstanding[i] == memory) {
      free(memory);
      outstanding[i] = outstanding[--outstandingCount];
      Leave();
      return;
    }
  }
  ++badFrees;
  Leave();
}

/* A farm host's enumeration (under the lock): its sessions and its sign-ins so far, in one block. */
static BOOL FarmEnumerate(int h, PWTS_SESSION_INFOW* out, DWORD* count) {
  DWORD ids[4096], n = 0;
  for (DWORD id = 1; id <= farmSessions && n < 4096; ++id) ids[n++] = id;
  for (int k = 0; k < farmLogonCount && n < 4096; ++k)
    if ((int)farmLogons[k].host == h && farmLogons[k].at <= Now()) ids[n++] = 1000 + k;
  const size_t stationChars = 20;
  BYTE* block = (BYTE*)Allocate(n * (sizeof(WTS_SESSION_INFOW) + stationChars * sizeof(WCHAR)));
  if (!block) return Fail(ERROR_NOT_ENOUGH_MEMORY);
  WTS_SESSION_INFOW* info = (WTS_SESSION_INFOW*)block;
  WCHAR* text = (WCHAR*)(block + n * sizeof(WTS_SESSION_INFOW));
  for (DWORD k = 0; k < n; ++k, text += stationChars) {
    info[k].SessionId = ids[k];
    info[k].State = WTSActive;
    info[k].pWinStationName = text;
    _snwprintf(text, stationChars, L"RDP-Tcp#%lu", (unsigned long)ids[k]);
  }
  *out = info;
  *count = n;
  Leave();
  return TRUE;
}

API BOOL WINAPI WTSEnumerateSessionsW(HANDLE handle, DWORD reserved, DWORD version, PWTS_SESSION_INFOW* out,
                                      DWORD* count) {
  Enter(F_ENUM);
  const WCHAR* server = ServerName(handle);
  if (!server) return Fail(ERROR_INVALID_HANDLE);
  if (reserved != 0 || version != 1 || !out || !count) return Fail(ERROR_INVALID_PARAMETER);
  DWORD error = ScriptedError(F_ENUM, server, -1);
  if (error) return Fail(error);
  if (!FarmTrip(server) || !KnownServer(server)) return Fail(RPC_S_SERVER_UNAVAILABLE);
  if (FarmHost(server) >= 0) return FarmEnumerate(FarmHost(server), out, count);
  /* One block, as Windows hands it out: the array, then the station names it points to. */
  DWORD n = 0;
  size_t textBytes = 0;
  for (int i = 0; i < sessionCount; ++i) {
    if (sessions[i].removed || _wcsicmp(sessions[i].server, server) != 0) continue;
    ++n;
    textBytes += (wcslen(sessions[i].station) + 1) * sizeof(WCHAR);
  }
  BYTE* block = (BYTE*)Allocate(n * sizeof(WTS_SESSION_INFOW) + textBytes);
  if (!block) return Fail(ERROR_NOT_ENOUGH_MEMORY);
  WTS_SESSION_INFOW* info = (WTS_SESSION_INFOW*)block;
  WCHAR* text = (WCHAR*)(block + n * sizeof(WTS_SESSION_INFOW));
  DWORD k = 0;
  for (int i = 0; i < sessionCount; ++i) {
    Session* s = &sessions[i];
    if (s->removed || _wcsicmp(s->server, server) != 0) continue;
    info[k].SessionId = s->id;
    info[k].State = (WTS_CONNECTSTATE_CLASS)s->state;
    info[k].pWinStationName = text;
    wcscpy(text, s->station);
    text += wcslen(s->station) + 1;
    ++k;
  }
  *out = info;
  *count = enumCount ? enumCount : n;
  Leave();
  return TRUE;
}

static void CopyBounded(WCHAR* to, size_t capacity, const WCHAR* from) {
  size_t n = wcslen(from);
  if (n > capacity) n = capacity; /* may leave the field unterminated, as WTSINFOW.WinStationName can be */
  memcpy(to, from, n * sizeof(WCHAR));
}

API BOOL WINAPI WTSQuerySessionInformationW(HANDLE handle, DWORD id, WTS_INFO_CLASS infoClass, LPWSTR* out,
                                            DWORD* bytes) {
  Enter(F_QUERY);
  const WCHAR* server = ServerName(handle);
  if (!server) return Fail(ERROR_INVALID_HANDLE);
  SlowHost(F_QUERY, server);
  if (!out || !bytes) return Fail(ERROR_INVALID_PARAMETER);
  if ((unsigned)infoClass < MAX_CLASS) ++classCounts[infoClass];
  DWORD error = ScriptedClassError(F_QUERY, server, id, infoClass);
  if (error) return Fail(error);
  if (!FarmTrip(server) || !KnownServer(server)) return Fail(RPC_S_SERVER_UNAVAILABLE);
  Session* s = Find(server, id);
  if (!s) return Fail(ERROR_CTX_WINSTATION_NOT_FOUND);
  void* buffer = NULL;
  DWORD size = 0;
  if (infoClass == WTSSessionInfo) {
    WTSINFOW* info = (WTSINFOW*)Allocate(size = sizeof(WTSINFOW));
    if (info) {
      info->State = (WTS_CONNECTSTATE_CLASS)s->state;
      info->SessionId = s->id;
      CopyBounded(info->WinStationName, WINSTATIONNAME_LENGTH, s->station);
      /* Longer names are cut to the fields, the domain with no terminator when full (docs/windows-behaviour.md). */
      CopyBounded(info->Domain, DOMAIN_LENGTH, s->domain);
      CopyBounded(info->UserName, USERNAME_LENGTH, s->user);
      info->ConnectTime.QuadPart = s->connect;
      info->DisconnectTime.QuadPart = s->disconnect;
      info->LastInputTime.QuadPart = s->lastInput;
      info->LogonTime.QuadPart = s->logon;
      info->CurrentTime.QuadPart = CurrentTimeOf(s);
    }
    buffer = info;
  } else if (infoClass == WTSUserName || infoClass == WTSDomainName) {
    const WCHAR* text = NameAnswer(s, infoClass == WTSUserName);
    WCHAR* copy = (WCHAR*)Allocate(size = (DWORD)((wcslen(text) + 1) * sizeof(WCHAR)));
    if (copy) wcscpy(copy, text);
    buffer = copy;
  } else if (infoClass == WTS_SESSION_INFO_EX) {
    InfoEx* info = (InfoEx*)Allocate(size = sizeof(InfoEx));
    if (info) {
      info->Level = 1;
      InfoExLevel1* l = &info->Data.WTSInfoExLevel1;
      l->SessionId = s->id;
      l->SessionState = (WTS_CONNECTSTATE_CLASS)s->state;
      l->SessionFlags = s->lockFlags;
      CopyBounded(l->WinStationName, WINSTATIONNAME_LENGTH, s->station);
      CopyBounded(l->UserName, USERNAME_LENGTH, s->user);
      CopyBounded(l->DomainName, DOMAIN_LENGTH, s->domain);
      l->LogonTime.QuadPart = s->logon;
      l->ConnectTime.QuadPart = s->connect;
      l->DisconnectTime.QuadPart = s->disconnect;
      l->LastInputTime.QuadPart = s->lastInput;
      l->CurrentTime.QuadPart = CurrentTimeOf(s);
    }
    buffer = info;
  } else if (infoClass == WTSClientAddress) {
    WTS_CLIENT_ADDRESS* address = (WTS_CLIENT_ADDRESS*)Allocate(size = sizeof(WTS_CLIENT_ADDRESS));
    if (address) memcpy(address, s->clientAddress, sizeof *address);
    buffer = address;
  } else if (infoClass == WTSClientProtocolType) {
    USHORT* protocol = (USHORT*)Allocate(size = sizeof(USHORT));
    if (protocol) *protocol = s->protocol < 0 ? 0xFFFF : (USHORT)s->protocol;
    buffer = protocol;
  } else if (infoClass == WTSClientInfo) {
    WTSCLIENTW* client = (WTSCLIENTW*)Allocate(size = sizeof(WTSCLIENTW));
    if (client) {
      CopyBounded(client->ClientName, CLIENTNAME_LENGTH, s->clientName);
      client->ClientAddressFamily = s->family;
      memcpy(client->ClientAddress, s->address, sizeof client->ClientAddress);
    }
    buffer = client;
  } else {
    return Fail(ERROR_NOT_SUPPORTED);
  }
  if (!buffer) return Fail(ERROR_NOT_ENOUGH_MEMORY);
  *out = (LPWSTR)buffer;
  *bytes = size;
  Leave();
  return TRUE;
}

API BOOL WINAPI WTSLogoffSession(HANDLE handle, DWORD id, BOOL wait) {
  Enter(F_LOGOFF);
  const WCHAR* server = ServerName(handle);
  if (!server) return Fail(ERROR_INVALID_HANDLE);
  LogCall("WTSLogoffSession", server, id, wait, NULL);
  DWORD error = ScriptedError(F_LOGOFF, server, id);
  if (error) return Fail(error);
  if (!KnownServer(server)) return Fail(RPC_S_SERVER_UNAVAILABLE);
  Session* s = Find(server, id);
  if (!s) return Fail(ERROR_CTX_WINSTATION_NOT_FOUND);
  if (!IsHung(server, id)) s->removed = TRUE;
  Leave();
  return TRUE;
}

API BOOL WINAPI WTSDisconnectSession(HANDLE handle, DWORD id, BOOL wait) {
  Enter(F_DISCONNECT);
  const WCHAR* server = ServerName(handle);
  if (!server) return Fail(ERROR_INVALID_HANDLE);
  LogCall("WTSDisconnectSession", server, id, wait, NULL);
  DWORD error = ScriptedError(F_DISCONNECT, server, id);
  if (error) return Fail(error);
  if (!KnownServer(server)) return Fail(RPC_S_SERVER_UNAVAILABLE);
  Session* s = Find(server, id);
  if (!s) return Fail(ERROR_CTX_WINSTATION_NOT_FOUND);
  if (IsHung(server, id)) {
    Leave();
    return TRUE;
  }
  s->state = WTSDisconnected;
  s->disconnect = s->current;
  s->station[0] = 0; /* a disconnected session loses its RDP-Tcp#n station, as `query session` shows */
  Leave();
  return TRUE;
}

API BOOL WINAPI WTSSendMessageW(HANDLE handle, DWORD id, LPWSTR title, DWORD titleBytes, LPWSTR message,
                                DWORD messageBytes, DWORD style, DWORD timeout, DWORD* response, BOOL wait) {
  Enter(F_MESSAGE);
  const WCHAR* server = ServerName(handle);
  if (!server) return Fail(ERROR_INVALID_HANDLE);
  if (!response || (titleBytes && !title) || (messageBytes && !message)) return Fail(ERROR_INVALID_PARAMETER);
  {
    /* Log exactly the bytes the lengths cover: a length in characters would show as half the text. */
    WCHAR path[MAX_PATH];
    PathIn(path, L"calls.log");
    FILE* file = _wfopen(path, L"ab");
    if (file) {
      fprintf(file, "WTSSendMessageW ");
      PutHex(file, (const BYTE*)server, wcslen(server) * sizeof(WCHAR));
      fprintf(file, " %lu %d ", (unsigned long)id, wait ? 1 : 0);
      PutHex(file, (const BYTE*)title, titleBytes);
      fputc(' ', file);
      PutHex(file, (const BYTE*)message, messageBytes);
      fprintf(file, " %lu %lu\n", (unsigned long)style, (unsigned long)timeout);
      fclose(file);
    }
  }
  DWORD error = ScriptedError(F_MESSAGE, server, id);
  if (error) return Fail(error);
  /* MS-TSTS 3.7.4.1.8: [in, range(0, 1024)] for both lengths, in bytes; the RPC layer refuses more. */
  if (titleBytes > 1024 || messageBytes > 1024) return Fail(RPC_S_INVALID_BOUND);
  if (!KnownServer(server)) return Fail(RPC_S_SERVER_UNAVAILABLE);
  if (!Find(server, id)) return Fail(ERROR_CTX_WINSTATION_NOT_FOUND);
  if (!wait) {
    *response = IDASYNC;
    Leave();
    return TRUE;
  }
  DWORD answer = IDTIMEOUT, delay = 0;
  for (int i = 0; i < answerCount; ++i) {
    Answer* a = &answers[i];
    if (a->used || a->session != id || _wcsicmp(a->server, server) != 0) continue;
    a->used = TRUE;
    answer = a->response;
    delay = a->delay;
    break;
  }
  LeaveCriticalSection(&lock);
  if (delay) Sleep(delay); /* the user takes a while; other calls go on meanwhile */
  EnterCriticalSection(&lock);
  *response = answer;
  Leave();
  return TRUE;
}

/* One block, as Windows hands it out: the array (entries of `entrySize`: WTS_PROCESS_INFOW, or WTS_PROCESS_INFO_EXW,
 * which starts with the same four fields), then each process's name and SID. Level 1 adds the figures. */
static BOOL ProcessBlock(const WCHAR* server, size_t entrySize, DWORD session, BYTE** out, DWORD* count) {
  static PSID sids[MAX_PROCESSES];
  DWORD n = 0;
  size_t extra = 0;
  const BOOL ex = entrySize != sizeof(WTS_PROCESS_INFOW);
  for (int i = 0; i < processCount; ++i) {
    Process* p = &processes[i];
    sids[i] = NULL;
    if (_wcsicmp(p->server, server) != 0 || (session != WTS_ANY_SESSION && p->session != session)) continue;
    WCHAR sidText[96];
    MultiByteToWideChar(CP_ACP, 0, p->sid, -1, sidText, 96);
    if (p->sid[0] && ConvertStringSidToSidW(sidText, &sids[i])) extra += GetLengthSid(sids[i]);
    extra += (wcslen(p->name) + 1) * sizeof(WCHAR) + 8;
    ++n;
  }
  BYTE* block = (BYTE*)Allocate(n * entrySize + extra);
  if (block) {
    BYTE* cursor = block + n * entrySize;
    DWORD k = 0;
    for (int i = 0; i < processCount; ++i) {
      Process* p = &processes[i];
      if (_wcsicmp(p->server, server) != 0 || (session != WTS_ANY_SESSION && p->session != session)) continue;
      WTS_PROCESS_INFOW* info = (WTS_PROCESS_INFOW*)(block + k++ * entrySize);
      info->SessionId = p->session;
      info->ProcessId = p->pid;
      info->pProcessName = (LPWSTR)cursor;
      wcscpy((WCHAR*)cursor, p->name);
      cursor += (wcslen(p->name) + 1) * sizeof(WCHAR);
      cursor += (8 - ((size_t)cursor % 8)) % 8;
      info->pUserSid = NULL;
      if (sids[i]) {
        info->pUserSid = (PSID)cursor;
        CopySid(GetLengthSid(sids[i]), cursor, sids[i]);
        cursor += GetLengthSid(sids[i]);
      }
      if (ex) {
        WTS_PROCESS_INFO_EXW* e = (WTS_PROCESS_INFO_EXW*)info;
        e->NumberOfThreads = p->threads;
        e->HandleCount = p->handles;
        e->PagefileUsage = e->PeakPagefileUsage = p->pagefile;
        e->WorkingSetSize = e->PeakWorkingSetSize = p->workingSet;
        e->UserTime.QuadPart = p->userMs;
        e->KernelTime.QuadPart = p->kernelMs;
        p->userMs += p->stepMs; /* CPU time goes on between two calls */
      }
    }
  }
  for (int i = 0; i < processCount; ++i)
    if (sids[i]) LocalFree(sids[i]);
  if (!block) return Fail(ERROR_NOT_ENOUGH_MEMORY);
  *out = block;
  *count = n;
  return TRUE;
}

API BOOL WINAPI WTSEnumerateProcessesW(HANDLE handle, DWORD reserved, DWORD version, PWTS_PROCESS_INFOW* out,
                                       DWORD* count) {
  Enter(F_PROCESSES);
  const WCHAR* server = ServerName(handle);
  if (!server) return Fail(ERROR_INVALID_HANDLE);
  if (reserved != 0 || version != 1 || !out || !count) return Fail(ERROR_INVALID_PARAMETER);
  SlowHost(F_PROCESSES, server);
  DWORD error = ScriptedError(F_PROCESSES, server, -1);
  if (error) return Fail(error);
  if (!KnownServer(server)) return Fail(RPC_S_SERVER_UNAVAILABLE);
  if (!ProcessBlock(server, sizeof(WTS_PROCESS_INFOW), WTS_ANY_SESSION, (BYTE**)out, count)) return FALSE;
  Leave();
  return TRUE;
}

/* Level 1 only (the addon asks for nothing else); any other level fails as the page says an invalid one does, with
 * *pLevel set to 1. */
API BOOL WINAPI WTSEnumerateProcessesExW(HANDLE handle, DWORD* level, DWORD session, LPWSTR* out, DWORD* count) {
  Enter(F_PROCESSES_EX);
  const WCHAR* server = ServerName(handle);
  if (!server) return Fail(ERROR_INVALID_HANDLE);
  if (!level || !out || !count) return Fail(ERROR_INVALID_PARAMETER);
  if (*level != 1) {
    *level = 1;
    return Fail(ERROR_INVALID_PARAMETER);
  }
  SlowHost(F_PROCESSES_EX, server);
  DWORD error = ScriptedError(F_PROCESSES_EX, server, -1);
  if (error) return Fail(error);
  if (!KnownServer(server)) return Fail(RPC_S_SERVER_UNAVAILABLE);
  if (exBlockCount >= MAX_EX_BLOCKS) return Fail(ERROR_NOT_ENOUGH_MEMORY);
  if (!ProcessBlock(server, sizeof(WTS_PROCESS_INFO_EXW), session, (BYTE**)out, count)) return FALSE;
  exBlocks[exBlockCount].typeClass = 1;
  exBlocks[exBlockCount].block = *out;
  exBlocks[exBlockCount++].count = *count;
  Leave();
  return TRUE;
}

/* WTS_SESSION_INFO_1W (MinGW-w64's wtsapi32.h lacks it), from its Microsoft Learn page. */
typedef struct {
  DWORD ExecEnvId;
  DWORD State;
  DWORD SessionId;
  LPWSTR pSessionName, pHostName, pUserName, pDomainName, pFarmName;
} SessionInfo1;

/* Level 1 only; *pLevel is left as it was ("does not change the value of this parameter"), Filter is reserved (0).
 * One block: the array, then the strings; a session without a user has NULL user and domain, as the page says. */
API BOOL WINAPI WTSEnumerateSessionsExW(HANDLE handle, DWORD* level, DWORD filter, SessionInfo1** out, DWORD* count) {
  Enter(F_ENUM_EX);
  const WCHAR* server = ServerName(handle);
  if (!server) return Fail(ERROR_INVALID_HANDLE);
  if (!level || *level != 1 || filter != 0 || !out || !count) return Fail(ERROR_INVALID_PARAMETER);
  DWORD error = ScriptedError(F_ENUM_EX, server, -1);
  if (error) return Fail(error);
  if (!FarmTrip(server) || !KnownServer(server)) return Fail(RPC_S_SERVER_UNAVAILABLE);
  if (exBlockCount >= MAX_EX_BLOCKS) return Fail(ERROR_NOT_ENOUGH_MEMORY);
  const int farm = FarmHost(server);
  DWORD ids[4096], n = 0;
  if (farm >= 0) {
    for (DWORD id = 1; id <= farmSessions && n < 4096; ++id) ids[n++] = id;
    for (int k = 0; k < farmLogonCount && n < 4096; ++k)
      if ((int)farmLogons[k].host == farm && farmLogons[k].at <= Now()) ids[n++] = 1000 + k;
  } else {
    for (int i = 0; i < sessionCount && n < 4096; ++i)
      if (!sessions[i].removed && _wcsicmp(sessions[i].server, server) == 0) ids[n++] = (DWORD)i;
  }
  const size_t textChars = 64 + 128 + 128; /* station, user, domain */
  BYTE* block = (BYTE*)Allocate(n * (sizeof(SessionInfo1) + textChars * sizeof(WCHAR)));
  if (!block) return Fail(ERROR_NOT_ENOUGH_MEMORY);
  SessionInfo1* info = (SessionInfo1*)block;
  WCHAR* text = (WCHAR*)(block + n * sizeof(SessionInfo1));
  for (DWORD k = 0; k < n; ++k, text += textChars) {
    const Session* s = farm >= 0 ? FarmSession(farm, ids[k]) : &sessions[ids[k]];
    memset(&info[k], 0, sizeof info[k]);
    info[k].ExecEnvId = k;
    info[k].SessionId = s->id;
    info[k].State = s->state;
    info[k].pSessionName = wcscpy(text, s->station);
    if (s->user[0]) {
      info[k].pUserName = wcscpy(text + 64, s->user);
      info[k].pDomainName = wcscpy(text + 64 + 128, s->domain);
    }
  }
  exBlocks[exBlockCount].typeClass = 2;
  exBlocks[exBlockCount].block = block;
  exBlocks[exBlockCount++].count = n;
  *out = info;
  *count = n;
  Leave();
  return TRUE;
}

/* Reloads a changed scenario every 100 ms while farm waits block (nothing else calls in then), waking them. */
static DWORD WINAPI FarmWatcher(LPVOID unused) {
  (void)unused;
  for (;;) {
    Sleep(100);
    EnterCriticalSection(&lock);
    ResetEvent(farmReloaded);
    Reload();
    LeaveCriticalSection(&lock);
  }
  return 0;
}

/* A farm host's wait (entered under the lock): asleep on its handle's event until its next sign-in, a flush, or a
 * new scenario. */
static BOOL FarmWait(Server* server, int h, LONG startFlushes, DWORD mask, DWORD* flags) {
  if (!farmReloaded) {
    farmReloaded = CreateEventW(NULL, TRUE, FALSE, NULL);
    CloseHandle(CreateThread(NULL, 64 * 1024, FarmWatcher, NULL, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL));
  }
  ResetEvent(server->flushed);
  for (;;) {
    DWORD result = WTS_EVENT_NONE;
    LONGLONG next = 0;
    if (server->flushes == startFlushes) {
      for (int k = 0; k < farmLogonCount; ++k) {
        FarmLogon* l = &farmLogons[k];
        if ((int)l->host != h || l->told) continue;
        if (l->at <= Now()) {
          l->told = TRUE;
          result |= (WTS_EVENT_CREATE | WTS_EVENT_LOGON) & mask;
        } else if (!next || l->at < next) {
          next = l->at;
        }
      }
      if (result == WTS_EVENT_NONE) {
        const DWORD ms = next ? (DWORD)((next - Now()) / 10000 + 1) : INFINITE;
        HANDLE wake[2] = {server->flushed, farmReloaded};
        LeaveCriticalSection(&lock);
        WaitForMultipleObjects(2, wake, FALSE, ms);
        EnterCriticalSection(&lock);
        /* Once per reload: a wait that woke for one must not spin until the watcher resets the event. */
        if (WaitForSingleObject(farmReloaded, 0) == WAIT_OBJECT_0) {
          LeaveCriticalSection(&lock);
          Sleep(100);
          EnterCriticalSection(&lock);
        }
        continue;
      }
    }
    server->waiting = FALSE;
    InterlockedDecrement(&waitsInProgress);
    *flags = result;
    Leave();
    return TRUE;
  }
}

API BOOL WINAPI WTSWaitSystemEvent(HANDLE handle, DWORD mask, DWORD* flags) {
  Enter(F_WAIT);
  const WCHAR* server = ServerName(handle);
  if (!server) return Fail(ERROR_INVALID_HANDLE);
  if (!flags) return Fail(ERROR_INVALID_PARAMETER);
  DWORD error = ScriptedError(F_WAIT, server, -1);
  if (error) return Fail(error);
  volatile LONG* flushes = handle == WTS_CURRENT_SERVER_HANDLE ? &localFlushes : &((Server*)handle)->flushes;
  if (mask == WTS_EVENT_FLUSH) {
    SlowHost(F_WAIT, server); /* a flush of a remote handle is an RPC too */
    FarmTrip(server);
    InterlockedIncrement(flushes);
    if (handle != WTS_CURRENT_SERVER_HANDLE) SetEvent(((Server*)handle)->flushed);
    *flags = WTS_EVENT_NONE;
    Leave();
    return TRUE;
  }
  /* A handle to a host that does not answer: WTSOpenServerW hands it out, and the first call that reaches the host
   * (this wait is an RPC, MS-TSTS 3.7.4.1.15) fails, as a listing does. */
  if (!FarmTrip(server) || !KnownServer(server)) return Fail(RPC_S_SERVER_UNAVAILABLE);
  BOOL* outstanding = handle == WTS_CURRENT_SERVER_HANDLE ? &localWaiting : &((Server*)handle)->waiting;
  if (*outstanding) {
    ++waitConflicts;
    return Fail(ERROR_BUSY);
  }
  *outstanding = TRUE;
  WCHAR name[256];
  wcscpy(name, server);
  if (InterlockedIncrement(&waitsInProgress) > waitsPeak) waitsPeak = waitsInProgress;
  if (statsEveryCall) WriteStats(); /* a blocked wait shows at once, not only when some later call ends */
  if (waitDelay) {
    LeaveCriticalSection(&lock);
    Sleep(waitDelay);
    EnterCriticalSection(&lock);
  }
  const LONG startFlushes = *flushes; /* a flush before this point is not seen: as on Windows, it is lost */
  const ULONGLONG started = GetTickCount64();
  if (FarmHost(name) >= 0) return FarmWait((Server*)handle, FarmHost(name), startFlushes, mask, flags);
  LeaveCriticalSection(&lock);
  for (;;) {
    /* Polled, not signalled: simple, and 5 ms is far below anything a test measures. */
    if (*flushes != startFlushes) {
      EnterCriticalSection(&lock);
      *outstanding = FALSE;
      InterlockedDecrement(&waitsInProgress);
      *flags = WTS_EVENT_NONE;
      Leave();
      return TRUE;
    }
    EnterCriticalSection(&lock);
    Reload(); /* a scenario written while the wait blocks can script its events */
    for (int i = 0; i < eventCount; ++i) {
      Event* e = &events[i];
      if (e->used || _wcsicmp(e->server, name) != 0) continue;
      if (GetTickCount64() - started < e->delay) break;
      e->used = TRUE;
      if ((e->flags & mask) == 0) continue;
      *flags = e->flags & mask;
      *outstanding = FALSE;
      InterlockedDecrement(&waitsInProgress);
      Leave();
      return TRUE;
    }
    LeaveCriticalSection(&lock);
    Sleep(5);
  }
}

#include "service_capture.h"

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
  (void)instance;
  (void)reserved;
  if (reason == DLL_PROCESS_ATTACH) {
    InitializeCriticalSection(&lock);
    sessions = (Session*)calloc(MAX_SESSIONS, sizeof(Session));
    if (!GetEnvironmentVariableW(L"WTS_STANDIN_DIR", folder, MAX_PATH)) wcscpy(folder, L".");
    CaptureServiceCalls();
    WCHAR code[16];
    if (GetEnvironmentVariableW(L"WTS_STANDIN_FAIL_PIN", code, 16)) {
      pinError = wcstoul(code, NULL, 10);
      FailPin();
    }
  } else if (reason == DLL_PROCESS_DETACH) {
    WriteStats();
  }
  return TRUE;
}
