// DNS messages on the wire: decoding and encoding through libldns, response skeletons for a
// query, FORMERR replies to undecodable messages and the UDP size limit (truncation).
//
// Thread-safety: free functions without shared state.
#pragma once

#include <cstdint>
#include <vector>

#include "pkg/api/status.h"
#include "pkg/dns/ldns_ptr.h"

namespace kc::dns {

// The UDP payload size the server advertises in its EDNS answers and the most it ever sends.
inline constexpr uint16_t kEdnsUdpSize = 1232;
// Plain DNS over UDP (no EDNS).
inline constexpr size_t kClassicUdpSize = 512;

using Wire = std::vector<uint8_t>;

// nullptr when `data` is not a DNS message libldns can decode.
PktPtr DecodeMessage(const uint8_t* data, size_t len);
api::Result<Wire> EncodeMessage(const ldns_pkt* pkt);

// A response to `query` without records: same id, opcode, RD and question (cloned), QR and RA
// set, the given rcode, and EDNS when the query had it.
PktPtr NewResponse(const ldns_pkt* query, uint8_t rcode);

// A FORMERR answer for bytes that failed to decode, built from the header alone; nullptr when
// there is no full header or the message is itself a response (never answer those: loops).
PktPtr FormatErrorFor(const uint8_t* data, size_t len);

// The largest UDP response `query` accepts.
size_t UdpLimitFor(const ldns_pkt* query);

// Encodes `response`; when it exceeds `limit` bytes, encodes instead an empty response to
// `query` with the same rcode and the TC bit, telling the client to retry over TCP.
api::Result<Wire> EncodeWithLimit(const ldns_pkt* query, const ldns_pkt* response, size_t limit);

}  // namespace kc::dns
