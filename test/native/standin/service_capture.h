/*
 * The service side of the stand-in (included by wtsapi32.c, which has RepointImport and the folder): what the Event
 * Log and the Service Control Manager do for the addon that Wine cannot show a test.
 *
 *   events.log   one line per ReportEventW of the addon (its imports of ADVAPI32's RegisterEventSourceW and
 *                ReportEventW are repointed: Wine's event log keeps no records): "<type> <eventId> <sourceHex>
 *                <textHex> <dataHex>", where <textHex> is the message as Event Viewer would show it (FormatMessageW
 *                on the EventMessageFile the source's registry key names, loaded as a data file, with the event's
 *                strings) and "-" when that fails; strings as UTF-16LE hex, data as its bytes in hex
 *   control.txt  written by the test: each new line "<control> <eventType> <sessionId>" is handed to the handler
 *                the addon registered (its import of RegisterServiceCtrlHandlerExW is repointed to keep it), with a
 *                WTSSESSION_NOTIFICATION for that session, from a thread of its own, as the SCM's dispatcher
 *                would: Wine's ControlService refuses SERVICE_CONTROL_SESSIONCHANGE (14) from a client, and Windows
 *                sends it to no test
 *
 * A process started by the SCM does not get the test's environment: without WTS_STANDIN_DIR, the folder is read
 * from the first line of wtsapi32-standin.txt in the system folder, which the service test writes.
 */

static WCHAR* HexW(const BYTE* bytes, size_t count) {
  if (!bytes || count == 0) return _wcsdup(L"-");
  WCHAR* out = (WCHAR*)malloc((count * 2 + 1) * sizeof(WCHAR));
  for (size_t i = 0; i < count; ++i) swprintf(out + i * 2, 3, L"%02x", bytes[i]);
  out[count * 2] = 0;
  return out;
}

static WCHAR* HexText(const WCHAR* text) { return HexW((const BYTE*)text, text ? wcslen(text) * sizeof(WCHAR) : 0); }

#define MAX_SOURCES 64
static struct {
  HANDLE handle;
  WCHAR name[256];
} eventSources[MAX_SOURCES];
static ULONG_PTR realRegisterEventSource, realReportEvent;
typedef HANDLE(WINAPI* RegisterEventSourceFn)(LPCWSTR, LPCWSTR);
typedef BOOL(WINAPI* ReportEventFn)(HANDLE, WORD, WORD, DWORD, PSID, WORD, DWORD, LPCWSTR*, LPVOID);

static HANDLE WINAPI CapturedRegisterEventSource(LPCWSTR server, LPCWSTR source) {
  HANDLE handle = ((RegisterEventSourceFn)realRegisterEventSource)(server, source);
  EnterCriticalSection(&lock);
  for (int i = 0; handle && source && i < MAX_SOURCES; ++i) {
    if (eventSources[i].handle && eventSources[i].handle != handle) continue;
    eventSources[i].handle = handle;
    wcsncpy(eventSources[i].name, source, 255);
    break;
  }
  LeaveCriticalSection(&lock);
  return handle;
}

/* The message of `id` as Event Viewer reads it: the source's EventMessageFile, as a data file, formatted with the
 * event's strings. NULL when any step fails. */
static WCHAR* ViewerText(const WCHAR* source, DWORD id, WORD count, LPCWSTR* strings) {
  WCHAR key[512], file[MAX_PATH], expanded[MAX_PATH];
  swprintf(key, 512, L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\%ls", source);
  DWORD size = sizeof file;
  if (RegGetValueW(HKEY_LOCAL_MACHINE, key, L"EventMessageFile", RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ | RRF_NOEXPAND,
                   NULL, file, &size) != ERROR_SUCCESS)
    return NULL;
  ExpandEnvironmentStringsW(file, expanded, MAX_PATH);
  HMODULE module = LoadLibraryExW(expanded, NULL, LOAD_LIBRARY_AS_DATAFILE);
  if (!module) return NULL;
  WCHAR* text = NULL;
  DWORD flags = FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_ARGUMENT_ARRAY;
  (void)count;
  DWORD length = FormatMessageW(flags, module, id, 0x409, (LPWSTR)&text, 0, (va_list*)strings);
  FreeLibrary(module);
  if (!length) return NULL;
  WCHAR* copy = _wcsdup(text);
  LocalFree(text);
  return copy;
}

static BOOL WINAPI CapturedReportEvent(HANDLE log, WORD type, WORD category, DWORD id, PSID sid, WORD count,
                                       DWORD dataSize, LPCWSTR* strings, LPVOID data) {
  WCHAR source[256] = L"";
  EnterCriticalSection(&lock);
  for (int i = 0; i < MAX_SOURCES; ++i) {
    if (eventSources[i].handle == log) wcscpy(source, eventSources[i].name);
  }
  LeaveCriticalSection(&lock);
  WCHAR* text = ViewerText(source, id, count, strings);
  WCHAR *sourceHex = HexText(source), *textHex = HexText(text), *dataHex = HexW((const BYTE*)data, dataSize);
  WCHAR path[MAX_PATH + 32];
  swprintf(path, MAX_PATH + 32, L"%ls\\events.log", folder);
  EnterCriticalSection(&lock);
  FILE* f = _wfopen(path, L"a");
  if (f) {
    fwprintf(f, L"%u %lu %ls %ls %ls\n", type, id, sourceHex, textHex, dataHex);
    fclose(f);
  }
  LeaveCriticalSection(&lock);
  free(text), free(sourceHex), free(textHex), free(dataHex);
  return ((ReportEventFn)realReportEvent)(log, type, category, id, sid, count, dataSize, strings, data);
}

static ULONG_PTR realRegisterHandler;
static LPHANDLER_FUNCTION_EX serviceHandler;
static LPVOID serviceContext;
typedef SERVICE_STATUS_HANDLE(WINAPI* RegisterHandlerFn)(LPCWSTR, LPHANDLER_FUNCTION_EX, LPVOID);

/* Delivers each new line of control.txt to the service's handler, every 100 ms, for the life of the process. */
static DWORD WINAPI DeliverControls(LPVOID unused) {
  (void)unused;
  WCHAR path[MAX_PATH + 32];
  swprintf(path, MAX_PATH + 32, L"%ls\\control.txt", folder);
  for (int delivered = 0;; Sleep(100)) {
    FILE* f = _wfopen(path, L"r");
    if (!f) continue;
    unsigned long control, eventType, sessionId;
    int line = 0;
    while (fscanf(f, "%lu %lu %lu", &control, &eventType, &sessionId) == 3) {
      if (line++ < delivered) continue;
      WTSSESSION_NOTIFICATION notification = {sizeof notification, sessionId};
      serviceHandler(control, eventType, &notification, serviceContext);
      ++delivered;
    }
    fclose(f);
  }
  return 0;
}

static SERVICE_STATUS_HANDLE WINAPI KeptRegisterHandler(LPCWSTR name, LPHANDLER_FUNCTION_EX handler, LPVOID context) {
  SERVICE_STATUS_HANDLE status = ((RegisterHandlerFn)realRegisterHandler)(name, handler, context);
  if (status && !serviceHandler) {
    serviceHandler = handler;
    serviceContext = context;
    CloseHandle(CreateThread(NULL, 0, DeliverControls, NULL, 0, NULL));
  }
  return status;
}

/* From DllMain: the addon's imports are bound before any DllMain runs. */
static void CaptureServiceCalls(void) {
  if (!folder[0] || wcscmp(folder, L".") == 0) {
    WCHAR path[MAX_PATH];
    GetSystemDirectoryW(path, MAX_PATH);
    wcscat(path, L"\\wtsapi32-standin.txt");
    FILE* f = _wfopen(path, L"r");
    if (f) {
      if (fgetws(folder, MAX_PATH, f)) folder[wcscspn(folder, L"\r\n")] = 0;
      fclose(f);
    }
  }
  RepointImport("advapi32.dll", "RegisterEventSourceW", (ULONG_PTR)CapturedRegisterEventSource,
                &realRegisterEventSource);
  RepointImport("advapi32.dll", "ReportEventW", (ULONG_PTR)CapturedReportEvent, &realReportEvent);
  RepointImport("advapi32.dll", "RegisterServiceCtrlHandlerExW", (ULONG_PTR)KeptRegisterHandler, &realRegisterHandler);
}
