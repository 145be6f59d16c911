//===- WeightsSection.cpp - big weights outside LLVM IR -------------------===//
#include "qcc/Target/CPU/WeightsSection.h"
#include "qcc/Dialect/Qcc/IR/Weights.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/xxhash.h"

using namespace llvm;
namespace LLVM = mlir::LLVM;

namespace qcc {

static Error err(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

Error externalizeWeights(mlir::ModuleOp module, StringRef prefix,
                         bool embedded, WeightTable &table) {
  DenseMap<mlir::StringAttr, uint64_t> offsets;
  SmallVector<LLVM::GlobalOp> moved;
  for (auto global : module.getOps<LLVM::GlobalOp>()) {
    auto value = global.getValueOrNull();
    if (!isResourceWeight(value))
      continue;
    std::optional<WeightData> data = getWeightData(value);
    if (!data)
      return err("weight '" + global.getSymName() +
                 "' lost its bytes before code generation");
    uint64_t offset = alignTo(table.size, 64);
    table.entries.push_back({data->raw, offset});
    table.size = offset + data->raw.size();
    offsets[global.getSymNameAttr()] = offset;
    moved.push_back(global);
  }
  if (moved.empty())
    return Error::success();
  table.symbol = (prefix + "_weights").str();

  mlir::MLIRContext *ctx = module.getContext();
  mlir::OpBuilder b(ctx);
  b.setInsertionPointToStart(module.getBody());
  auto ptr = LLVM::LLVMPointerType::get(ctx);
  mlir::Location loc = module.getLoc();
  std::string baseName = (prefix + "_weights_base").str();
  // External linkage, hidden: the optimizer must not treat the pointer as
  // a constant (a weights file sets it at load).
  auto base = LLVM::GlobalOp::create(b, loc, ptr, /*isConstant=*/false,
                                     LLVM::Linkage::External, baseName,
                                     mlir::Attribute(), /*alignment=*/8);
  base.setVisibility_(LLVM::Visibility::Hidden);
  {
    mlir::Block *init = b.createBlock(&base.getInitializerRegion());
    b.setInsertionPointToStart(init);
    mlir::Value v;
    if (embedded)
      v = LLVM::AddressOfOp::create(b, loc, ptr, table.symbol);
    else
      v = LLVM::ZeroOp::create(b, loc, ptr);
    LLVM::ReturnOp::create(b, loc, v);
  }
  if (embedded) {
    b.setInsertionPoint(base);
    auto blob = LLVM::GlobalOp::create(
        b, loc, mlir::IntegerType::get(ctx, 8), /*isConstant=*/true,
        LLVM::Linkage::External, table.symbol, mlir::Attribute(),
        /*alignment=*/64);
    blob.setVisibility_(LLVM::Visibility::Hidden);
  }

  SmallVector<LLVM::AddressOfOp> uses;
  module.walk([&](LLVM::AddressOfOp op) {
    if (offsets.count(op.getGlobalNameAttr().getAttr()))
      uses.push_back(op);
  });
  for (LLVM::AddressOfOp op : uses) {
    b.setInsertionPoint(op);
    mlir::Location l = op.getLoc();
    mlir::Value slot = LLVM::AddressOfOp::create(b, l, ptr, baseName);
    auto load = LLVM::LoadOp::create(b, l, ptr, slot, /*alignment=*/8,
                                     /*isVolatile=*/false,
                                     /*isNonTemporal=*/false,
                                     /*isInvariant=*/true);
    uint64_t offset = offsets.lookup(op.getGlobalNameAttr().getAttr());
    // An i64 operand: GEP's constant indices hold only 29 bits.
    mlir::Value index = LLVM::ConstantOp::create(
        b, l, b.getI64Type(), b.getI64IntegerAttr((int64_t)offset));
    mlir::Value p = LLVM::GEPOp::create(
        b, l, ptr, mlir::IntegerType::get(ctx, 8), load,
        ArrayRef<LLVM::GEPArg>{index}, LLVM::GEPNoWrapFlags::inbounds);
    op.replaceAllUsesWith(p);
    op.erase();
  }
  for (LLVM::GlobalOp global : moved)
    global.erase();

  SmallVector<uint64_t> summary;
  for (const WeightTable::Entry &e : table.entries) {
    summary.push_back(e.offset);
    summary.push_back(e.bytes.size());
    summary.push_back(xxh3_64bits(ArrayRef<uint8_t>(
        reinterpret_cast<const uint8_t *>(e.bytes.data()), e.bytes.size())));
  }
  table.hash = xxh3_64bits(ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(summary.data()),
      summary.size() * sizeof(uint64_t)));
  return Error::success();
}

/// Writes `bytes` zero bytes.
static void pad(raw_ostream &os, uint64_t bytes) {
  static const char zeros[4096] = {};
  while (bytes) {
    uint64_t n = std::min<uint64_t>(bytes, sizeof(zeros));
    os.write(zeros, n);
    bytes -= n;
  }
}

template <class ELFT>
static Error rewrite(ArrayRef<char> object, const WeightTable &table,
                     raw_ostream &os) {
  using Ehdr = typename ELFT::Ehdr;
  using Shdr = typename ELFT::Shdr;
  using Sym = typename ELFT::Sym;
  auto file = object::ELFFile<ELFT>::create(
      StringRef(object.data(), object.size()));
  if (!file)
    return file.takeError();
  Ehdr header = file->getHeader();
  auto sectionsOr = file->sections();
  if (!sectionsOr)
    return sectionsOr.takeError();
  std::vector<Shdr> sections(sectionsOr->begin(), sectionsOr->end());
  if (sections.size() + 1 >= ELF::SHN_LORESERVE ||
      header.e_shstrndx >= sections.size())
    return err("unexpected section table in the generated object");
  // Contents, with the two that change kept here.
  std::vector<std::string> owned(sections.size());
  std::vector<ArrayRef<char>> contents(sections.size());
  for (size_t i = 0; i < sections.size(); ++i) {
    const Shdr &s = sections[i];
    if (s.sh_type == ELF::SHT_NOBITS || s.sh_type == ELF::SHT_NULL)
      continue;
    if (s.sh_offset + s.sh_size > object.size())
      return err("a section of the generated object is out of bounds");
    contents[i] = object.slice(s.sh_offset, s.sh_size);
  }
  // The section's name, appended to the section-name table.
  bool x86_64 = header.e_machine == ELF::EM_X86_64;
  StringRef name = x86_64 ? ".lrodata.qcc_weights" : ".rodata.qcc_weights";
  unsigned strndx = header.e_shstrndx;
  owned[strndx].assign(contents[strndx].begin(), contents[strndx].end());
  uint32_t nameOffset = owned[strndx].size();
  owned[strndx] += name.str();
  owned[strndx] += '\0';
  contents[strndx] = ArrayRef<char>(owned[strndx].data(), owned[strndx].size());
  sections[strndx].sh_size = owned[strndx].size();
  // The blob's symbol: undefined in the object, defined by the new section.
  unsigned newIndex = sections.size();
  bool defined = false;
  for (size_t i = 0; i < sections.size() && !defined; ++i) {
    if (sections[i].sh_type != ELF::SHT_SYMTAB)
      continue;
    auto strtab = file->getStringTableForSymtab(sections[i]);
    if (!strtab)
      return strtab.takeError();
    owned[i].assign(contents[i].begin(), contents[i].end());
    auto *syms = reinterpret_cast<Sym *>(owned[i].data());
    size_t count = owned[i].size() / sizeof(Sym);
    for (size_t k = 1; k < count; ++k) {
      auto symName = syms[k].getName(*strtab);
      if (!symName)
        return symName.takeError();
      if (*symName != table.symbol || syms[k].st_shndx != ELF::SHN_UNDEF)
        continue;
      syms[k].st_shndx = newIndex;
      syms[k].st_value = 0;
      syms[k].st_size = table.size;
      syms[k].setType(ELF::STT_OBJECT);
      defined = true;
    }
    contents[i] = ArrayRef<char>(owned[i].data(), owned[i].size());
  }
  if (!defined)
    return err("the generated object does not refer to '" + table.symbol +
               "'");
  Shdr weights{};
  weights.sh_name = nameOffset;
  weights.sh_type = ELF::SHT_PROGBITS;
  weights.sh_flags = ELF::SHF_ALLOC | (x86_64 ? ELF::SHF_X86_64_LARGE : 0);
  weights.sh_addralign = 64;
  weights.sh_size = table.size;
  sections.push_back(weights);

  // Layout: the header, each section at its alignment, the table last.
  uint64_t offset = sizeof(Ehdr);
  for (size_t i = 1; i < sections.size(); ++i) {
    Shdr &s = sections[i];
    if (s.sh_type == ELF::SHT_NOBITS) {
      s.sh_offset = offset;
      continue;
    }
    offset = alignTo(offset, std::max<uint64_t>(1, s.sh_addralign));
    s.sh_offset = offset;
    offset += s.sh_size;
  }
  offset = alignTo(offset, 8);
  header.e_shoff = offset;
  header.e_shnum = sections.size();

  uint64_t written = 0;
  auto put = [&](const void *data, uint64_t n) {
    os.write(static_cast<const char *>(data), n);
    written += n;
  };
  auto padTo = [&](uint64_t to) {
    pad(os, to - written);
    written = to;
  };
  put(&header, sizeof(header));
  for (size_t i = 1; i + 1 < sections.size(); ++i) {
    if (sections[i].sh_type == ELF::SHT_NOBITS)
      continue;
    padTo(sections[i].sh_offset);
    put(contents[i].data(), contents[i].size());
  }
  padTo(sections.back().sh_offset);
  uint64_t start = written;
  for (const WeightTable::Entry &e : table.entries) {
    padTo(start + e.offset);
    put(e.bytes.data(), e.bytes.size());
    doneReadingWeight(e.bytes);
  }
  padTo(start + table.size);
  padTo(header.e_shoff);
  put(sections.data(), sections.size() * sizeof(Shdr));
  return Error::success();
}

Error writeObjectWithWeights(ArrayRef<char> object, const WeightTable &table,
                             raw_ostream &os) {
  if (object.size() < 6 || StringRef(object.data(), 4) != "\x7f" "ELF")
    return err("weights outside the code need an ELF target");
  bool is64 = object[4] == ELF::ELFCLASS64;
  bool little = object[5] == ELF::ELFDATA2LSB;
  if (!little)
    return err("weights outside the code need a little-endian target");
  return is64 ? rewrite<object::ELF64LE>(object, table, os)
              : rewrite<object::ELF32LE>(object, table, os);
}

} // namespace qcc
