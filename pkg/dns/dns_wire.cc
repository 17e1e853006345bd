#include "pkg/dns/dns_wire.h"

#include <algorithm>
#include <cstdlib>

namespace kc::dns {

PktPtr DecodeMessage(const uint8_t* data, size_t len) {
  ldns_pkt* pkt = nullptr;
  if (!data || ldns_wire2pkt(&pkt, data, len) != LDNS_STATUS_OK) {
    if (pkt) ldns_pkt_free(pkt);
    return nullptr;
  }
  return PktPtr(pkt);
}

api::Result<Wire> EncodeMessage(const ldns_pkt* pkt) {
  uint8_t* buf = nullptr;
  size_t size = 0;
  ldns_status st = ldns_pkt2wire(&buf, pkt, &size);
  if (st != LDNS_STATUS_OK || !buf) {
    free(buf);
    return api::Status::Internal(std::string("encode DNS message: ") + ldns_get_errorstr_by_id(st));
  }
  Wire out(buf, buf + size);
  free(buf);
  if (out.size() > 65535) return api::Status::Internal("DNS message larger than 64 KiB");
  return out;
}

PktPtr NewResponse(const ldns_pkt* query, uint8_t rcode) {
  PktPtr resp(ldns_pkt_new());
  if (!resp) return nullptr;
  ldns_pkt_set_id(resp.get(), ldns_pkt_id(query));
  ldns_pkt_set_qr(resp.get(), true);
  ldns_pkt_set_opcode(resp.get(), ldns_pkt_get_opcode(query));
  ldns_pkt_set_rd(resp.get(), ldns_pkt_rd(query));
  ldns_pkt_set_cd(resp.get(), ldns_pkt_cd(query));
  ldns_pkt_set_ra(resp.get(), true);
  ldns_pkt_set_rcode(resp.get(), rcode);
  const ldns_rr_list* question = ldns_pkt_question(query);
  for (size_t i = 0; question && i < ldns_rr_list_rr_count(question); ++i) {
    ldns_rr* q = ldns_rr_clone(ldns_rr_list_rr(question, i));
    if (q) ldns_pkt_push_rr(resp.get(), LDNS_SECTION_QUESTION, q);
  }
  if (ldns_pkt_edns(query)) ldns_pkt_set_edns_udp_size(resp.get(), kEdnsUdpSize);
  return resp;
}

PktPtr FormatErrorFor(const uint8_t* data, size_t len) {
  if (!data || len < LDNS_HEADER_SIZE || LDNS_QR_WIRE(data)) return nullptr;
  PktPtr resp(ldns_pkt_new());
  if (!resp) return nullptr;
  ldns_pkt_set_id(resp.get(), LDNS_ID_WIRE(data));
  ldns_pkt_set_qr(resp.get(), true);
  ldns_pkt_set_opcode(resp.get(), static_cast<ldns_pkt_opcode>(LDNS_OPCODE_WIRE(data)));
  ldns_pkt_set_rcode(resp.get(), LDNS_RCODE_FORMERR);
  return resp;
}

size_t UdpLimitFor(const ldns_pkt* query) {
  if (!ldns_pkt_edns(query)) return kClassicUdpSize;
  size_t asked = ldns_pkt_edns_udp_size(query);
  return std::clamp<size_t>(asked, kClassicUdpSize, kEdnsUdpSize);
}

api::Result<Wire> EncodeWithLimit(const ldns_pkt* query, const ldns_pkt* response, size_t limit) {
  api::Result<Wire> wire = EncodeMessage(response);
  if (!wire.ok() || wire->size() <= limit) return wire;
  PktPtr truncated = NewResponse(query, ldns_pkt_get_rcode(response));
  if (!truncated) return api::Status::Internal("out of memory");
  ldns_pkt_set_aa(truncated.get(), ldns_pkt_aa(response));
  ldns_pkt_set_tc(truncated.get(), true);
  return EncodeMessage(truncated.get());
}

}  // namespace kc::dns
