// The zlib preset dictionary of SPDY/3 header blocks (SPDY draft 3, section 2.6.10.1): every
// SYN_STREAM/SYN_REPLY/HEADERS header block is compressed with it. 1423 bytes, Adler-32
// 0xe3c6a7c2 (the dictionary id in the zlib header of the first block).
//
// Thread-safety: immutable after first use.
#pragma once

#include <string_view>

namespace kc::streaming::spdy {

std::string_view HeaderDictionary();

}  // namespace kc::streaming::spdy
