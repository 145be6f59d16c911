//===- ModelLoader.cpp - reading and validating ModelProto ----------------===//
//
// The only translation unit built with exceptions: libonnx reports checker
// failures by throwing, and every throw is caught here and turned into an
// llvm::Error naming the file.
//
//===----------------------------------------------------------------------===//
#include "ModelLoader.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <onnx/checker.h>
#include <onnx/defs/parser.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace llvm;

namespace qcc::onnx_import {

static Error fail(StringRef file, const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), file + ": " + msg);
}

/// Newest opset and IR version libonnx 1.12's checker understands. Newer
/// models skip it; qcc's importers validate what they read themselves.
static constexpr int64_t kCheckerMaxOpset = 17;
static constexpr int64_t kCheckerMaxIRVersion = 8;

/// onnx::checker::check_model with the model's folder known: external data
/// is left in place and the checker looks for it there (check_model itself
/// looks in the working directory).
static void checkModelIn(const onnx::ModelProto &model, StringRef dir) {
  std::unordered_map<std::string, int> versions;
  for (const auto &imp : model.opset_import())
    versions[imp.domain()] = (int)imp.version();
  if (model.ir_version() <= 0)
    throw std::runtime_error("the model does not set ir_version");
  if (model.ir_version() >= 3 && versions.empty())
    throw std::runtime_error("a model of IR version 3 or later must import "
                             "an opset");
  onnx::checker::CheckerContext ctx;
  ctx.set_ir_version((int)model.ir_version());
  ctx.set_opset_imports(versions);
  ctx.set_model_dir(dir.str());
  onnx::checker::LexicalScopeContext lex;
  onnx::checker::check_graph(model.graph(), ctx, lex);
  if (model.ir_version() >= 8)
    onnx::checker::check_model_local_functions(model, ctx, lex);
}

static Error runChecker(const onnx::ModelProto &model, StringRef file,
                        StringRef dir = "") {
  int64_t opset = 0;
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset = imp.version();
  if (opset > kCheckerMaxOpset || model.ir_version() > kCheckerMaxIRVersion)
    return Error::success();
  try {
    if (dir.empty())
      onnx::checker::check_model(model);
    else
      checkModelIn(model, dir);
  } catch (const std::exception &e) {
    // One line: the checker puts the offending node on the following lines.
    std::string what = e.what();
    std::string line;
    for (StringRef part : llvm::split(StringRef(what).trim(), '\n')) {
      part = part.trim();
      if (!part.empty())
        line += (line.empty() ? "" : " ") + part.str();
    }
    return fail(file, "ONNX checker rejected the model: " + line);
  }
  return Error::success();
}

static size_t elementSize(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::BOOL:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8: return 1;
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16: return 2;
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::FLOAT: return 4;
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
  case onnx::TensorProto::DOUBLE: return 8;
  default: return 0;
  }
}

ExternalFile::~ExternalFile() {
  if (fd >= 0)
    ::close(fd);
}

/// Validates the external data reference of `t`, refusing any location that
/// could leave the model's folder, and says where its bytes are. Files are
/// opened once per model (`opened`).
static Expected<ExternalTensor>
locateExternalData(const onnx::TensorProto &t, StringRef modelDir,
                   StringRef file, uint64_t &budget,
                   StringMap<std::shared_ptr<ExternalFile>> &opened) {
  std::string location;
  uint64_t offset = 0;
  int64_t length = -1;
  for (const auto &kv : t.external_data()) {
    if (kv.key() == "location")
      location = kv.value();
    else if (kv.key() == "offset" || kv.key() == "length") {
      StringRef v = kv.value();
      uint64_t parsed;
      if (v.getAsInteger(10, parsed))
        return fail(file, "tensor '" + t.name() + "': external data " +
                              kv.key() + " '" + v + "' is not a number");
      (kv.key() == "offset" ? offset : (uint64_t &)length) = parsed;
    }
  }
  auto where = [&] { return "tensor '" + t.name() + "': external data '" + location + "'"; };
  if (location.empty())
    return fail(file, "tensor '" + t.name() + "' has external data without a location");
  if (sys::path::is_absolute(location))
    return fail(file, where() + " is an absolute path (only paths inside the model folder are allowed)");
  for (auto it = sys::path::begin(location), e = sys::path::end(location); it != e; ++it)
    if (*it == "..")
      return fail(file, where() + " contains '..' (only paths inside the model folder are allowed)");
  SmallString<256> full(modelDir);
  sys::path::append(full, location);
  std::shared_ptr<ExternalFile> &handle = opened[full];
  if (!handle) {
    // Every component must be a real directory/file, never a symbolic link.
    SmallString<256> walk(modelDir);
    for (auto it = sys::path::begin(location), e = sys::path::end(location); it != e; ++it) {
      sys::path::append(walk, *it);
      struct stat st;
      if (::lstat(walk.c_str(), &st) != 0)
        return fail(file, where() + " does not exist");
      if (S_ISLNK(st.st_mode))
        return fail(file, where() + " goes through a symbolic link");
      // The file itself: a FIFO or device would block or never end.
      if (std::next(it) == e && !S_ISREG(st.st_mode))
        return fail(file, where() + " is not a regular file");
    }
    // O_NONBLOCK: should the path change into a FIFO after the check, the
    // open still returns at once (and fstat below refuses it).
    int fd = ::open(full.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
      return fail(file, where() + " cannot be opened");
    struct stat st;
    bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    auto opening = std::make_shared<ExternalFile>(fd, regular ? st.st_size : 0);
    if (!regular)
      return fail(file, where() + " is not a regular file");
    if (st.st_nlink > 1)
      return fail(file, where() + " is a hard link (it may point outside the model folder)");
    handle = std::move(opening);
  }
  uint64_t numel = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d && numel > (UINT64_MAX / 16) / (uint64_t)d))
      return fail(file, "tensor '" + t.name() + "' has absurd dims");
    numel *= d;
  }
  size_t esize = elementSize(t.data_type());
  uint64_t expected = numel * esize;
  if (esize == 0)
    return fail(file, "tensor '" + t.name() + "' has an unsupported data type for external data");
  uint64_t fileSize = handle->size;
  uint64_t len = length < 0 ? (offset <= fileSize ? fileSize - offset : 0) : (uint64_t)length;
  if (offset > fileSize || len > fileSize - offset)
    return fail(file, where() + ": offset " + Twine(offset) + " + length " +
                          Twine(len) + " is past the end of the file (" +
                          Twine(fileSize) + " bytes)");
  if (len != expected)
    return fail(file, where() + ": length " + Twine(len) + " does not match dims x dtype (" +
                          Twine(expected) + " bytes)");
  if (len > budget)
    return fail(file, "external data exceeds the limit");
  budget -= len;
  return ExternalTensor{handle, offset, len};
}

Error readExternalData(const ExternalTensor &ext, char *out, StringRef what) {
  uint64_t done = 0;
  while (done < ext.length) {
    ssize_t r = ::pread(ext.file->fd, out + done, ext.length - done,
                        ext.offset + done);
    if (r <= 0)
      return createStringError(inconvertibleErrorCode(),
                               what + ": reading external data failed");
    done += r;
  }
  return Error::success();
}

/// Reads external data into the tensors of nodes' attributes and of
/// subgraphs; the main graph's initializers (`top`) are recorded in
/// `external` instead, to be mapped when imported.
static Error resolveExternalData(onnx::GraphProto &g, bool top, StringRef dir,
                                 StringRef file, uint64_t &budget,
                                 StringMap<std::shared_ptr<ExternalFile>> &opened,
                                 LoadedModel &loaded) {
  auto resolve = [&](onnx::TensorProto &t, bool keep) -> Error {
    auto ext = locateExternalData(t, dir, file, budget, opened);
    if (!ext)
      return ext.takeError();
    if (keep) {
      loaded.external[&t] = std::move(*ext);
      return Error::success();
    }
    std::string bytes(ext->length, '\0');
    if (Error e = readExternalData(*ext, bytes.data(),
                                   (file + ": tensor '" + t.name() + "'").str()))
      return e;
    t.set_raw_data(std::move(bytes));
    t.clear_external_data();
    t.set_data_location(onnx::TensorProto::DEFAULT);
    return Error::success();
  };
  for (auto &t : *g.mutable_initializer())
    if (t.data_location() == onnx::TensorProto::EXTERNAL)
      if (Error e = resolve(t, top))
        return e;
  for (auto &n : *g.mutable_node())
    for (auto &a : *n.mutable_attribute()) {
      if (a.has_t() && a.t().data_location() == onnx::TensorProto::EXTERNAL)
        if (Error e = resolve(*a.mutable_t(), false))
          return e;
      if (a.has_g())
        if (Error e = resolveExternalData(*a.mutable_g(), false, dir, file,
                                          budget, opened, loaded))
          return e;
    }
  return Error::success();
}

Error inlineExternalData(LoadedModel &loaded) {
  for (auto &[proto, ext] : loaded.external) {
    auto *t = const_cast<onnx::TensorProto *>(proto);
    std::string bytes(ext.length, '\0');
    if (Error e = readExternalData(ext, bytes.data(),
                                   "tensor '" + t->name() + "'"))
      return e;
    t->set_raw_data(std::move(bytes));
    t->clear_external_data();
    t->set_data_location(onnx::TensorProto::DEFAULT);
  }
  loaded.external.clear();
  return Error::success();
}

Expected<LoadedModel> loadModelFile(StringRef path,
                                    const ImportOptions &options) {
  sys::fs::file_status status;
  if (std::error_code ec = sys::fs::status(path, status))
    return fail(path, "cannot open: " + ec.message());
  if (status.type() != sys::fs::file_type::regular_file)
    return fail(path, "not a regular file");
  if (status.getSize() > options.maxModelBytes)
    return fail(path, "model is " + Twine(status.getSize()) +
                          " bytes, over the limit of " +
                          Twine(options.maxModelBytes));
  auto buffer = MemoryBuffer::getFile(path, /*IsText=*/false,
                                      /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail(path, "cannot read: " + buffer.getError().message());
  auto model = std::make_unique<onnx::ModelProto>();
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart()),
      (*buffer)->getBufferSize());
  stream.SetTotalBytesLimit((int)std::min<uint64_t>(options.maxModelBytes, INT32_MAX));
  stream.SetRecursionLimit(64);
  if (!model->ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage())
    return fail(path, "not a valid ONNX model (protobuf parsing failed: "
                      "truncated or corrupt file?)");
  if (!model->has_graph())
    return fail(path, "the model has no graph");
  SmallString<256> dir(path);
  sys::path::remove_filename(dir);
  if (dir.empty())
    dir = ".";
  uint64_t budget = options.maxExternalBytes;
  LoadedModel loaded;
  StringMap<std::shared_ptr<ExternalFile>> opened;
  if (Error e = resolveExternalData(*model->mutable_graph(), /*top=*/true, dir,
                                    path, budget, opened, loaded))
    return std::move(e);
  if (options.runChecker)
    if (Error e = runChecker(*model, path, dir))
      return std::move(e);
  loaded.proto = std::move(model);
  return std::move(loaded);
}

Expected<std::unique_ptr<onnx::ModelProto>>
parseModelText(StringRef text, StringRef displayName,
               const ImportOptions &options) {
  auto model = std::make_unique<onnx::ModelProto>();
  std::string copy = text.str();
  try {
    auto status = onnx::OnnxParser::Parse(*model, copy.c_str());
    if (!status.IsOK())
      return fail(displayName, "cannot parse ONNX text: " + status.ErrorMessage());
  } catch (const std::exception &e) {
    return fail(displayName, Twine("cannot parse ONNX text: ") + e.what());
  }
  if (options.runChecker)
    if (Error e = runChecker(*model, displayName))
      return std::move(e);
  return std::move(model);
}

} // namespace qcc::onnx_import
