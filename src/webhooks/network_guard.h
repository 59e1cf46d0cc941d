#pragma once
// Which addresses an outbound webhook may connect to. An admin types the endpoint's URL,
// and a name can resolve to anything (and change between the check and the connection),
// so the address is judged when curl opens the socket: loopback, private, link-local,
// carrier-grade NAT, multicast and reserved addresses are refused unless the server allows
// its private network. Without this, a webhook could reach the cloud's metadata service
// (169.254.169.254) or a database port on the server's own network.
#include <string>

#include <sys/socket.h>

namespace vaarta::webhooks {

// True for an address on the public Internet (IPv4, IPv6, and IPv4 mapped into IPv6).
bool IsPublicAddress(const sockaddr* address);
// "127.0.0.1", "fe80::1": for the refusal's message.
std::string AddressText(const sockaddr* address);

}  // namespace vaarta::webhooks
