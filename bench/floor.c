/*
 * The floor for npm run bench: the WTS calls one listing makes (native/session_query.cc), in a plain loop on one
 * thread, with no JS objects built. Loaded through koffi in the same Windows node.exe as the package, so that the
 * package's overhead over the WTS calls themselves is a ratio measured in one run.
 */
#define WIN32_LEAN_AND_MEAN
#define _WIN32_WINNT 0x0A00
#include <windows.h>

#include <wtsapi32.h>

static BOOL Query(HANDLE server, DWORD id, WTS_INFO_CLASS infoClass, void** buffer) {
  DWORD bytes = 0;
  *buffer = NULL;
  return WTSQuerySessionInformationW(server, id, infoClass, (LPWSTR*)buffer, &bytes) && *buffer != NULL;
}

static int Protocol(const WCHAR* station) {
  if (wcscmp(station, L"Console") == 0 || wcscmp(station, L"Services") == 0) return 0;
  if (wcsncmp(station, L"RDP-Tcp", 7) == 0) return 2;
  return -1;
}

/* Lists `server` (NULL: this machine) as the addon does; returns the number of sessions read, or -1. */
__declspec(dllexport) int FloorListing(const WCHAR* server) {
  HANDLE handle = server ? WTSOpenServerW((LPWSTR)server) : WTS_CURRENT_SERVER_HANDLE;
  if (server && !handle) return -1; /* the local machine's handle is NULL itself */
  WTS_SESSION_INFOW* list = NULL;
  DWORD count = 0;
  int read = -1;
  if (WTSEnumerateSessionsW(handle, 0, 1, &list, &count)) {
    read = 0;
    for (DWORD i = 0; i < count; ++i) {
      void* buffer;
      const DWORD id = list[i].SessionId;
      if (!Query(handle, id, WTSSessionInfo, &buffer)) continue;
      WTSFreeMemory(buffer);
      ++read;
      int protocol = Protocol(list[i].pWinStationName ? list[i].pWinStationName : L"");
      if (protocol < 0 && Query(handle, id, WTSClientProtocolType, &buffer)) {
        protocol = *(USHORT*)buffer;
        WTSFreeMemory(buffer);
      }
      if (id == 0 || list[i].State == WTSListen || protocol == 0) continue;
      if (!Query(handle, id, WTSClientInfo, &buffer)) continue;
      const BOOL ipv6 = ((WTSCLIENTW*)buffer)->ClientAddressFamily == 23;
      WTSFreeMemory(buffer);
      if (ipv6 && Query(handle, id, WTSClientAddress, &buffer)) WTSFreeMemory(buffer);
    }
    WTSFreeMemory(list);
  }
  if (server) WTSCloseServer(handle);
  return read;
}
