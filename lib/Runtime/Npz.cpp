//===- Npz.cpp - numpy .npz archives (zip of .npy) ------------------------===//
//
// np.savez writes a zip archive of stored `.npy` members, np.savez_compressed
// deflated ones, with zip64 extra fields. The central directory is the
// authority on sizes and offsets (local headers of zip64 members carry
// placeholders); every offset and size is checked against the file.
//
//===----------------------------------------------------------------------===//
#include "qcc/Runtime/TensorIO.h"

#include <zlib.h>

#include <cstring>

using namespace qcc::runtime;

namespace {
uint32_t le16(const uint8_t *p) { return p[0] | (p[1] << 8); }
uint32_t le32(const uint8_t *p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}
uint64_t le64(const uint8_t *p) {
  return le32(p) | ((uint64_t)le32(p + 4) << 32);
}

bool inflateRaw(const uint8_t *in, size_t inSize, std::vector<uint8_t> &out,
                size_t outSize) {
  out.assign(outSize, 0);
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
    return false;
  zs.next_in = const_cast<uint8_t *>(in);
  zs.avail_in = (uInt)inSize;
  zs.next_out = out.data();
  zs.avail_out = (uInt)outSize;
  int rc = inflate(&zs, Z_FINISH);
  bool ok = rc == Z_STREAM_END && zs.total_out == outSize;
  inflateEnd(&zs);
  return ok;
}
} // namespace

bool qcc::runtime::readNpz(const std::string &path,
                           std::vector<std::pair<std::string, Tensor>> &out,
                           std::string &error) {
  std::vector<uint8_t> file;
  if (!readFile(path, file, error))
    return false;
  auto bad = [&](const std::string &why) {
    error = path + ": not a valid .npz archive (" + why + ")";
    return false;
  };
  size_t size = file.size();
  const uint8_t *d = file.data();
  // End of central directory: 22 bytes plus a comment of up to 64 KiB.
  if (size < 22)
    return bad("too short");
  size_t eocd = size - 22;
  for (;;) {
    if (le32(d + eocd) == 0x06054b50)
      break;
    if (eocd == 0 || size - eocd > 22 + 65535)
      return bad("no end of central directory");
    --eocd;
  }
  uint64_t entries = le16(d + eocd + 10);
  uint64_t cdSize = le32(d + eocd + 12), cdOffset = le32(d + eocd + 16);
  if (cdOffset == 0xFFFFFFFF || entries == 0xFFFF) {
    // Zip64 end of central directory, found through its locator.
    if (eocd < 20 || le32(d + eocd - 20) != 0x07064b50)
      return bad("zip64 locator missing");
    uint64_t z64 = le64(d + eocd - 20 + 8);
    if (z64 > size || size - z64 < 56 || le32(d + z64) != 0x06064b50)
      return bad("zip64 end of central directory missing");
    entries = le64(d + z64 + 32);
    cdSize = le64(d + z64 + 40);
    cdOffset = le64(d + z64 + 48);
  }
  if (cdOffset > size || cdSize > size - cdOffset)
    return bad("central directory out of the file");
  size_t p = cdOffset, end = cdOffset + cdSize;
  out.clear();
  for (uint64_t e = 0; e < entries; ++e) {
    if (end - p < 46 || le32(d + p) != 0x02014b50)
      return bad("truncated central directory");
    uint32_t method = le16(d + p + 10);
    uint64_t compressed = le32(d + p + 20), uncompressed = le32(d + p + 24);
    size_t nameLen = le16(d + p + 28), extraLen = le16(d + p + 30),
           commentLen = le16(d + p + 32);
    uint64_t local = le32(d + p + 42);
    if (end - p - 46 < nameLen + extraLen + commentLen)
      return bad("truncated central directory entry");
    std::string name(reinterpret_cast<const char *>(d + p + 46), nameLen);
    // Zip64 extra field: the 0xFFFFFFFF fields, in this order.
    const uint8_t *x = d + p + 46 + nameLen, *xEnd = x + extraLen;
    while (xEnd - x >= 4) {
      uint32_t id = le16(x), len = le16(x + 2);
      if ((size_t)(xEnd - x - 4) < len)
        return bad("truncated extra field");
      if (id == 0x0001) {
        const uint8_t *f = x + 4, *fEnd = f + len;
        for (uint64_t *field : {&uncompressed, &compressed, &local}) {
          if (*field != 0xFFFFFFFF)
            continue;
          if (fEnd - f < 8)
            return bad("truncated zip64 field");
          *field = le64(f);
          f += 8;
        }
      }
      x += 4 + len;
    }
    p += 46 + nameLen + extraLen + commentLen;

    if (local > size || size - local < 30 || le32(d + local) != 0x04034b50)
      return bad("member '" + name + "' has no local header");
    uint64_t dataStart =
        local + 30 + le16(d + local + 26) + le16(d + local + 28);
    if (dataStart > size || compressed > size - dataStart)
      return bad("member '" + name + "' runs past the end of the file");
    std::vector<uint8_t> bytes;
    if (method == 0) {
      if (compressed != uncompressed)
        return bad("stored member '" + name + "' changes size");
      bytes.assign(d + dataStart, d + dataStart + compressed);
    } else if (method == 8) {
      // Refuse absurd claims before allocating (a zip bomb guard).
      if (uncompressed > (uint64_t)1 << 34 ||
          !inflateRaw(d + dataStart, compressed, bytes, uncompressed))
        return bad("member '" + name + "' does not inflate");
    } else {
      return bad("member '" + name + "' uses compression method " +
                 std::to_string(method) + " (only stored and deflate)");
    }
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0)
      name.resize(name.size() - 4);
    Tensor t;
    std::string npyError;
    if (!parseNpy(bytes.data(), bytes.size(), t, npyError)) {
      error = path + ": member '" + name + "': " + npyError;
      return false;
    }
    out.emplace_back(name, std::move(t));
  }
  return true;
}
