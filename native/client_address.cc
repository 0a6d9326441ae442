#include "client_address.h"

#include <array>

namespace wts {

namespace {

std::u16string DottedQuad(const std::array<unsigned, 4>& octets) {
  std::u16string text;
  for (size_t i = 0; i < octets.size(); ++i) {
    if (i > 0) text.push_back(u'.');
    for (char c : std::to_string(octets[i])) text.push_back(static_cast<char16_t>(c));
  }
  return text;
}

bool AllZero(const std::array<unsigned, 4>& octets) {
  return octets[0] == 0 && octets[1] == 0 && octets[2] == 0 && octets[3] == 0;
}

// "a.b.c.d" with 1 to 3 digits per part, each at most 255, up to the first NUL.
std::optional<std::array<unsigned, 4>> ParseText(const USHORT (&units)[CLIENTADDRESS_LENGTH + 1]) {
  std::array<unsigned, 4> octets{};
  size_t part = 0, digits = 0, i = 0;
  for (; i < CLIENTADDRESS_LENGTH + 1 && units[i] != 0; ++i) {
    const USHORT u = units[i];
    if (u >= u'0' && u <= u'9') {
      if (++digits > 3) return std::nullopt;
      octets[part] = octets[part] * 10 + (u - u'0');
      if (octets[part] > 255) return std::nullopt;
    } else if (u == u'.' && digits > 0 && part < 3) {
      ++part;
      digits = 0;
    } else {
      return std::nullopt;
    }
  }
  if (i == CLIENTADDRESS_LENGTH + 1 || part != 3 || digits == 0) return std::nullopt;
  return octets;
}

// Octets in units 0 to 3, every later unit zero.
std::optional<std::array<unsigned, 4>> ParseOctets(const USHORT (&units)[CLIENTADDRESS_LENGTH + 1]) {
  std::array<unsigned, 4> octets{};
  for (size_t i = 0; i < CLIENTADDRESS_LENGTH + 1; ++i) {
    if (i < 4) {
      if (units[i] > 255) return std::nullopt;
      octets[i] = units[i];
    } else if (units[i] != 0) {
      return std::nullopt;
    }
  }
  return octets;
}

}  // namespace

std::optional<ClientAddress> FromClientInfoIpv4(const USHORT (&units)[CLIENTADDRESS_LENGTH + 1]) {
  auto octets = ParseText(units);
  if (!octets) octets = ParseOctets(units);
  if (!octets || AllZero(*octets)) return std::nullopt;
  return ClientAddress{kAfInet, DottedQuad(*octets)};
}

ClientAddress FromClientAddress(const WTS_CLIENT_ADDRESS& address) {
  const BYTE* bytes = address.Address + 2;
  if (address.AddressFamily == kAfInet) {
    const std::array<unsigned, 4> octets{bytes[0], bytes[1], bytes[2], bytes[3]};
    if (!AllZero(octets)) return ClientAddress{kAfInet, DottedQuad(octets)};
  } else if (address.AddressFamily == kAfInet6) {
    static const char16_t kHex[] = u"0123456789abcdef";
    ClientAddress result{kAfInet6, u""};
    bool any = false;
    for (size_t i = 0; i < 16; ++i) {
      any = any || bytes[i] != 0;
      result.text.push_back(kHex[bytes[i] >> 4]);
      result.text.push_back(kHex[bytes[i] & 0xF]);
    }
    if (any) return result;
  }
  return ClientAddress{};
}

}  // namespace wts
