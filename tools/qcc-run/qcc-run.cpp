//===- qcc-run.cpp - Run a compiled model on tensor files -----------------===//
//
// Loads a shared library built by `qcc --emit=shared` through the generic
// entry points of the compiled-model ABI (qcc_model.h), feeds it .npy or .pb
// tensors, and checks, saves or times its outputs. It depends on neither
// LLVM nor MLIR so that it can be shipped next to a compiled model.
//
//===----------------------------------------------------------------------===//

#include "qcc/Runtime/TensorIO.h"
#include "qcc/Runtime/qcc_model.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <memory>
#include <set>
#include <string>
#include <sys/stat.h>
#include <vector>

using namespace qcc::runtime;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitMismatch = 1;
constexpr int kExitError = 2;

const char kHelp[] = R"(usage: qcc-run LIB.so [options]

Loads a model compiled by `qcc --emit=shared`, feeds it tensors read from
files, runs it, and checks, saves or times its outputs.

Tensor files are NumPy .npy files or ONNX TensorProto .pb files (the format
of the ONNX backend test data sets). An input's dtype and shape must match
the model's exactly, except that a float32 file feeds an 8-bit input of a
model with integer I/O (--integer-only): qcc-run quantizes it with the
scale and zero point the model exports, rounding half to even.

options:
  --input NAME=FILE  feed FILE to the model input called NAME
  --input FILE       feed FILE to the first input not yet given, in graph
                     order; every input must be given exactly once
  --expect FILE      compare the next output, in graph order, with FILE;
                     giving fewer than there are outputs checks the first ones
  --rtol R           relative tolerance for floating-point outputs (1e-4)
  --atol A           absolute tolerance for floating-point outputs (1e-5):
                     an element matches when |got - exp| <= A + R * |exp|;
                     NaN matches NaN, infinities must be equal, and integer
                     and bool outputs must be equal
  --output-dir DIR   write each output to DIR/<output name>.npy (characters
                     other than letters, digits, '.', '-' and '_' become '_')
  --dequantize       convert integer outputs of a model with integer I/O to
                     float32, (q - zero_point) * scale, before checking and
                     writing them
  --time N           after the warmup, time N runs and print
                     `time: mean_ms=... min_ms=... runs=N`
  --warmup W         untimed runs before the measured ones (1 with --time,
                     else 0)
  --threads N        run on N threads (the model's own pool, ABI version 4;
                     default 1); outputs are the same for every N
  --quiet            print only mismatches, timings and errors
  --help             print this help

Options take their value as `--flag value` or `--flag=value`. Outputs are
checked and written after the last run.

exit status: 0 success, 1 an output did not match its --expect file,
             2 bad usage, or a load, file or run error

example:
  qcc model.onnx --emit=shared -o model.so
  qcc-run model.so --input x=test_data_set_0/input_0.pb \
      --expect test_data_set_0/output_0.pb --time 100
)";

int error(const std::string &message) {
  std::fprintf(stderr, "qcc-run: error: %s\n", message.c_str());
  return kExitError;
}

struct Options {
  std::string library;
  std::vector<std::string> inputs;
  std::vector<std::string> expects;
  double rtol = 1e-4;
  double atol = 1e-5;
  std::string outputDir;
  long long timeRuns = 0;
  long long warmup = -1; // -1: the default, which depends on --time.
  long long threads = 1;
  bool quiet = false;
  bool dequantize = false;
  bool help = false;
};

bool parseDouble(const std::string &flag, const std::string &text, double &out,
                 std::string &err) {
  char *end = nullptr;
  errno = 0;
  out = std::strtod(text.c_str(), &end);
  if (text.empty() || *end || errno || !std::isfinite(out) || out < 0) {
    err = flag + " expects a non-negative number, got '" + text + "'";
    return false;
  }
  return true;
}

bool parseCount(const std::string &flag, const std::string &text, long long min,
                long long &out, std::string &err) {
  char *end = nullptr;
  errno = 0;
  out = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end || errno || out < min) {
    err = flag + " expects an integer >= " + std::to_string(min) + ", got '" +
          text + "'";
    return false;
  }
  return true;
}

bool parseArgs(int argc, char **argv, Options &opts, std::string &err) {
  bool optionsDone = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (optionsDone || arg.size() < 2 || arg[0] != '-') {
      if (!opts.library.empty()) {
        err = "unexpected argument '" + arg + "' (the model library is '" +
              opts.library + "')";
        return false;
      }
      opts.library = arg;
      continue;
    }
    if (arg == "--") {
      optionsDone = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      opts.help = true;
      continue;
    }
    if (arg == "--quiet") {
      opts.quiet = true;
      continue;
    }
    if (arg == "--dequantize") {
      opts.dequantize = true;
      continue;
    }
    std::string flag = arg, value;
    bool hasValue = false;
    size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      hasValue = true;
    }
    if (flag == "--quiet" || flag == "--help" || flag == "--dequantize") {
      err = flag + " takes no value";
      return false;
    }
    static const char *const valueFlags[] = {
        "--input", "--expect",     "--rtol",  "--atol",
        "--time",  "--output-dir", "--warmup", "--threads"};
    if (std::find_if(std::begin(valueFlags), std::end(valueFlags),
                     [&](const char *f) { return flag == f; }) ==
        std::end(valueFlags)) {
      err = "unknown option '" + flag + "' (see --help)";
      return false;
    }
    if (!hasValue) {
      if (i + 1 >= argc) {
        err = flag + " needs a value";
        return false;
      }
      value = argv[++i];
    }
    if (flag == "--input")
      opts.inputs.push_back(value);
    else if (flag == "--expect")
      opts.expects.push_back(value);
    else if (flag == "--output-dir")
      opts.outputDir = value;
    else if (flag == "--rtol" && !parseDouble(flag, value, opts.rtol, err))
      return false;
    else if (flag == "--atol" && !parseDouble(flag, value, opts.atol, err))
      return false;
    else if (flag == "--time" &&
             !parseCount(flag, value, 1, opts.timeRuns, err))
      return false;
    else if (flag == "--warmup" &&
             !parseCount(flag, value, 0, opts.warmup, err))
      return false;
    else if (flag == "--threads" &&
             !parseCount(flag, value, 1, opts.threads, err))
      return false;
  }
  if (!opts.help && opts.library.empty()) {
    err = "no model library given (usage: qcc-run LIB.so [options]; see "
          "--help)";
    return false;
  }
  return true;
}

/// An input or output of the model, validated and copied out of the info.
struct Port {
  std::string name;
  int32_t dtype;
  std::vector<int64_t> shape;
  size_t bytes;
  bool quantized = false; ///< integer I/O: the model's P_quant_info entry
  float scale = 1;
  int32_t zeroPoint = 0;
};

std::string describe(const Port &port) {
  return dtypeName(port.dtype) + " " + formatShape(port.shape);
}

/// Copies the model's tensor infos, rejecting what a broken library could
/// hand us rather than trusting it.
bool readPorts(const char *kind, int32_t count, const qcc_tensor_info *infos,
               std::vector<Port> &ports, std::string &err) {
  if (count < 0 || (count > 0 && !infos)) {
    err = std::string("model info has a bad ") + kind + " list";
    return false;
  }
  for (int32_t i = 0; i < count; ++i) {
    const qcc_tensor_info &info = infos[i];
    Port port;
    port.name = info.name ? info.name : "";
    port.dtype = info.dtype;
    std::string label =
        std::string(kind) + " " + std::to_string(i) + " '" + port.name + "'";
    size_t elemSize = elementSize(info.dtype);
    if (elemSize == 0) {
      err = label + " has unsupported dtype " + std::to_string(info.dtype);
      return false;
    }
    if (info.rank < 0 || (info.rank > 0 && !info.shape)) {
      err = label + " has a bad rank " + std::to_string(info.rank);
      return false;
    }
    port.shape.assign(info.shape, info.shape + info.rank);
    size_t bytes = elemSize;
    for (int64_t d : port.shape) {
      if (d < 0 || (d > 0 && bytes > SIZE_MAX / 2 / size_t(d))) {
        err = label + " has a bad shape " + formatShape(port.shape);
        return false;
      }
      bytes *= size_t(d);
    }
    port.bytes = bytes;
    ports.push_back(std::move(port));
  }
  return true;
}

struct FreeDeleter {
  void operator()(void *p) const { std::free(p); }
};
using Buffer = std::unique_ptr<uint8_t, FreeDeleter>;

/// A 64-byte aligned buffer, as compiled code may assume for its arguments
/// and the ABI requires for the workspace. Never null, even for 0 bytes.
Buffer allocate(size_t bytes) {
  size_t rounded = (std::max<size_t>(bytes, 1) + 63) / 64 * 64;
  return Buffer(static_cast<uint8_t *>(std::aligned_alloc(64, rounded)));
}

/// Attaches the P_quant_info entries (ABI version 2) to their ports.
bool readQuant(const char *kind, int32_t count, const qcc_tensor_quant *quants,
               std::vector<Port> &ports, std::string &err) {
  if (count != int32_t(ports.size()) || (count > 0 && !quants)) {
    err = std::string("quantization info has a bad ") + kind + " list";
    return false;
  }
  for (int32_t i = 0; i < count; ++i) {
    const qcc_tensor_quant &q = quants[i];
    if (!q.quantized)
      continue;
    Port &port = ports[i];
    if ((port.dtype != QCC_DTYPE_UINT8 && port.dtype != QCC_DTYPE_INT8 &&
         port.dtype != QCC_DTYPE_INT16) ||
        !(q.scale > 0) || !std::isfinite(q.scale)) {
      err = std::string(kind) + " '" + port.name +
            "' has bad quantization parameters";
      return false;
    }
    port.quantized = true;
    port.scale = q.scale;
    port.zeroPoint = q.zero_point;
  }
  return true;
}

/// A float32 tensor quantized for an 8- or 16-bit input: round half to
/// even (the default rounding mode), add the zero point, saturate.
Tensor quantizeFor(const Port &port, const Tensor &t) {
  bool isUnsigned = port.dtype == QCC_DTYPE_UINT8;
  bool wide = port.dtype == QCC_DTYPE_INT16;
  double lo = isUnsigned ? 0
              : wide     ? -32768
                         : -128,
         hi = isUnsigned ? 255
              : wide     ? 32767
                         : 127;
  Tensor q{port.dtype, t.shape, {}};
  int64_t n = t.numElements();
  q.data.resize(size_t(n) * (wide ? 2 : 1));
  for (int64_t i = 0; i < n; ++i) {
    float x;
    std::memcpy(&x, t.data.data() + 4 * i, 4);
    double v = std::isnan(x)
                   ? 0
                   : std::nearbyint(double(x / port.scale)) + port.zeroPoint;
    v = std::min(hi, std::max(lo, v));
    if (wide) {
      int16_t w = int16_t(int(v));
      std::memcpy(q.data.data() + 2 * i, &w, 2);
    } else {
      q.data[size_t(i)] =
          isUnsigned ? uint8_t(int(v)) : uint8_t(int8_t(int(v)));
    }
  }
  return q;
}

/// A quantized output as float32 real values.
Tensor dequantize(const Port &port, const Tensor &t) {
  Tensor f{QCC_DTYPE_FLOAT, t.shape, {}};
  int64_t n = t.numElements();
  f.data.resize(size_t(n) * 4);
  for (int64_t i = 0; i < n; ++i) {
    int32_t q;
    if (port.dtype == QCC_DTYPE_INT16) {
      int16_t w;
      std::memcpy(&w, t.data.data() + 2 * i, 2);
      q = w;
    } else {
      q = port.dtype == QCC_DTYPE_UINT8 ? int32_t(t.data[size_t(i)])
                                        : int32_t(int8_t(t.data[size_t(i)]));
    }
    float x = float(q - port.zeroPoint) * port.scale;
    std::memcpy(f.data.data() + 4 * i, &x, 4);
  }
  return f;
}

template <typename Fn>
Fn lookup(void *handle, const char *symbol) {
  void *address = dlsym(handle, symbol);
  Fn fn;
  // memcpy instead of a cast: object-to-function pointer casts are only
  // conditionally supported and -pedantic warns about them.
  static_assert(sizeof(fn) == sizeof(address), "function pointer size");
  std::memcpy(&fn, &address, sizeof(fn));
  return fn;
}

/// Assigns the --input arguments to model inputs: NAME=FILE by name, the
/// rest in order to the inputs not named.
bool assignInputs(const std::vector<std::string> &args,
                  const std::vector<Port> &inputs,
                  std::vector<std::string> &files, std::string &err) {
  files.assign(inputs.size(), "");
  std::vector<std::string> positional;
  auto find = [&](const std::string &name) -> int {
    for (size_t i = 0; i < inputs.size(); ++i)
      if (inputs[i].name == name)
        return int(i);
    return -1;
  };
  std::string names;
  for (const Port &p : inputs)
    names += (names.empty() ? "'" : ", '") + p.name + "'";
  for (const std::string &arg : args) {
    // Input names may contain '=', so try every split point.
    int index = -1;
    std::string file;
    for (size_t eq = arg.find('='); eq != std::string::npos && index < 0;
         eq = arg.find('=', eq + 1)) {
      index = find(arg.substr(0, eq));
      file = arg.substr(eq + 1);
    }
    if (index < 0) {
      struct stat st;
      size_t eq = arg.find('=');
      if (eq != std::string::npos && ::stat(arg.c_str(), &st) != 0) {
        err = "--input " + arg + ": the model has no input named '" +
              arg.substr(0, eq) + "' (its inputs: " + names + ")";
        return false;
      }
      positional.push_back(arg);
      continue;
    }
    if (!files[index].empty()) {
      err = "input '" + inputs[index].name + "' is given twice";
      return false;
    }
    files[index] = file;
  }
  size_t next = 0;
  for (const std::string &file : positional) {
    while (next < files.size() && !files[next].empty())
      ++next;
    if (next == files.size()) {
      err = "too many inputs: the model has " + std::to_string(inputs.size()) +
            " (" + names + "), '" + file + "' is one too many";
      return false;
    }
    files[next] = file;
  }
  for (size_t i = 0; i < files.size(); ++i) {
    if (files[i].empty()) {
      err = "missing input '" + inputs[i].name + "' (" + describe(inputs[i]) +
            "); give it with --input " + inputs[i].name + "=FILE";
      return false;
    }
  }
  return true;
}

/// A file name for an output: model names may hold '/', ':' and the like.
std::string sanitize(const std::string &name, size_t index,
                     std::set<std::string> &taken) {
  std::string s;
  for (char c : name.substr(0, 200))
    s += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
          c == '_')
             ? c
             : '_';
  if (s.empty())
    s = "output_" + std::to_string(index);
  if (s[0] == '.') // Neither hidden nor "." or "..".
    s = "_" + s;
  if (taken.count(s))
    s += "_" + std::to_string(index);
  taken.insert(s);
  return s;
}

bool makeDirs(const std::string &dir, std::string &err) {
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos < dir.size() && dir[pos] != '/')
      continue;
    std::string prefix = dir.substr(0, pos);
    if (::mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST) {
      err = "cannot create " + prefix + ": " + std::strerror(errno);
      return false;
    }
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    err = dir + " is not a directory";
    return false;
  }
  return true;
}

/// The first elements of a tensor, for a glance at an unchecked output.
std::string preview(const Tensor &t) {
  const int64_t kMax = 8;
  int64_t n = t.numElements();
  std::string s = "[";
  for (int64_t i = 0; i < std::min(n, kMax); ++i)
    s += (i ? ", " : "") + formatElement(t, i);
  if (n > kMax)
    s += ", ...";
  return s + "]";
}

int run(const Options &opts) {
  // dlopen searches the library path for a bare file name; the user meant
  // the file in the current directory.
  std::string path = opts.library;
  if (path.find('/') == std::string::npos)
    path = "./" + path;
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return error("cannot load " + opts.library + ": " + dlerror());
  auto getInfo =
      lookup<qcc_model_get_info_fn>(handle, QCC_MODEL_GET_INFO_SYMBOL);
  auto runModel = lookup<qcc_model_run_fn>(handle, QCC_MODEL_RUN_SYMBOL);
  if (!getInfo || !runModel)
    return error(opts.library + " does not export " +
                 QCC_MODEL_GET_INFO_SYMBOL + " and " + QCC_MODEL_RUN_SYMBOL +
                 "; is it a model compiled with qcc --emit=shared?");
  const qcc_model_info *info = getInfo();
  if (!info)
    return error(std::string(QCC_MODEL_GET_INFO_SYMBOL) + " returned NULL");
  // Later versions only add symbols, so any version >= 1 runs here.
  if (info->abi_version < 1)
    return error("unsupported model ABI version " +
                 std::to_string(info->abi_version) + " (qcc-run supports " +
                 std::to_string(QCC_ABI_VERSION) + " and later)");
  std::string err;
  std::vector<Port> inputs, outputs;
  if (!readPorts("input", info->num_inputs, info->inputs, inputs, err) ||
      !readPorts("output", info->num_outputs, info->outputs, outputs, err))
    return error(opts.library + ": " + err);
  if (info->abi_version >= 2) {
    auto getQuant = lookup<qcc_model_get_quant_info_fn>(
        handle, QCC_MODEL_GET_QUANT_INFO_SYMBOL);
    const qcc_quant_info *quant = getQuant ? getQuant() : nullptr;
    if (!quant)
      return error(opts.library + ": ABI version " +
                   std::to_string(info->abi_version) + " but no " +
                   QCC_MODEL_GET_QUANT_INFO_SYMBOL);
    if (!readQuant("input", quant->num_inputs, quant->inputs, inputs, err) ||
        !readQuant("output", quant->num_outputs, quant->outputs, outputs, err))
      return error(opts.library + ": " + err);
  }
  std::string modelName = info->name ? info->name : "?";
  if (!opts.quiet)
    std::printf("model %s (target %s, abi %u): %zu input%s, %zu output%s, "
                "workspace %llu bytes\n",
                modelName.c_str(), info->target ? info->target : "?",
                info->abi_version, inputs.size(), inputs.size() == 1 ? "" : "s",
                outputs.size(), outputs.size() == 1 ? "" : "s",
                (unsigned long long)info->workspace_bytes);

  // Read every file before running so that a typo fails fast.
  std::vector<std::string> inputFiles;
  if (!assignInputs(opts.inputs, inputs, inputFiles, err))
    return error(err);
  std::vector<Buffer> inputBuffers;
  std::vector<const void *> inputPtrs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    Tensor t;
    if (!loadTensor(inputFiles[i], t, err))
      return error(err);
    if (inputs[i].quantized && t.dtype == QCC_DTYPE_FLOAT &&
        t.shape == inputs[i].shape) {
      t = quantizeFor(inputs[i], t);
      if (!opts.quiet)
        std::printf("input %s: float32 quantized to %s (scale %.9g, zero "
                    "point %d)\n",
                    inputs[i].name.c_str(), dtypeName(t.dtype).c_str(),
                    double(inputs[i].scale), inputs[i].zeroPoint);
    }
    if (t.dtype != inputs[i].dtype || t.shape != inputs[i].shape)
      return error("input '" + inputs[i].name + "': the model expects " +
                   describe(inputs[i]) + ", " + inputFiles[i] + " holds " +
                   dtypeName(t.dtype) + " " + formatShape(t.shape));
    inputBuffers.push_back(allocate(t.data.size()));
    if (!inputBuffers.back())
      return error("out of memory for input '" + inputs[i].name + "'");
    if (!t.data.empty())
      std::memcpy(inputBuffers.back().get(), t.data.data(), t.data.size());
    inputPtrs.push_back(inputBuffers.back().get());
  }
  if (opts.expects.size() > outputs.size())
    return error(std::to_string(opts.expects.size()) +
                 " --expect files for a model with " +
                 std::to_string(outputs.size()) + " outputs");
  std::vector<Tensor> expected(opts.expects.size());
  for (size_t i = 0; i < opts.expects.size(); ++i)
    if (!loadTensor(opts.expects[i], expected[i], err))
      return error(err);

  std::vector<Buffer> outputBuffers;
  std::vector<void *> outputPtrs;
  for (const Port &port : outputs) {
    outputBuffers.push_back(allocate(port.bytes));
    if (!outputBuffers.back())
      return error("out of memory for output '" + port.name + "'");
    // All-ones bytes (NaN for floats) make an output the model never
    // writes show up as a mismatch instead of passing by luck.
    std::memset(outputBuffers.back().get(), 0xff, port.bytes);
    outputPtrs.push_back(outputBuffers.back().get());
  }
  Buffer workspace;
  if (info->workspace_bytes > 0) {
    if (info->workspace_bytes > SIZE_MAX / 2)
      return error("workspace too large");
    workspace = allocate(size_t(info->workspace_bytes));
    if (!workspace)
      return error("out of memory for the workspace (" +
                   std::to_string(info->workspace_bytes) + " bytes)");
  }

  // Threads: the model's own pool through P_run_parallel (ABI version 4).
  std::unique_ptr<qcc_parallel, qcc_model_parallel_destroy_fn> pool(
      nullptr, [](qcc_parallel *) {});
  qcc_model_run_parallel_fn runParallel = nullptr;
  if (opts.threads > 1) {
    runParallel = lookup<qcc_model_run_parallel_fn>(
        handle, QCC_MODEL_RUN_PARALLEL_SYMBOL);
    auto create = lookup<qcc_model_parallel_create_fn>(
        handle, QCC_MODEL_PARALLEL_CREATE_SYMBOL);
    auto destroy = lookup<qcc_model_parallel_destroy_fn>(
        handle, QCC_MODEL_PARALLEL_DESTROY_SYMBOL);
    if (!runParallel || !create || !destroy)
      return error("--threads: " + opts.library +
                   " has no threaded entry point (ABI version 4: a CPU model "
                   "not built with --integer-only)");
    pool = decltype(pool)(create(int32_t(std::min(opts.threads, 1024LL))),
                          destroy);
    if (!pool)
      return error("--threads: the model has no thread pool of its own");
  }
  long long warmup = opts.warmup >= 0 ? opts.warmup : (opts.timeRuns ? 1 : 0);
  long long measured = std::max(opts.timeRuns, 1LL);
  double totalMs = 0, minMs = 0;
  for (long long i = 0; i < warmup + measured; ++i) {
    auto start = std::chrono::steady_clock::now();
    int rc = runParallel ? runParallel(inputPtrs.data(), outputPtrs.data(),
                                       workspace.get(), pool.get())
                         : runModel(inputPtrs.data(), outputPtrs.data(),
                                    workspace.get());
    auto stop = std::chrono::steady_clock::now();
    if (rc != 0) {
      // CUDA models say why (ABI version 3).
      auto lastError =
          lookup<qcc_model_last_error_fn>(handle, QCC_MODEL_LAST_ERROR_SYMBOL);
      const char *why = lastError ? lastError() : nullptr;
      return error(std::string(QCC_MODEL_RUN_SYMBOL) + " returned " +
                   std::to_string(rc) +
                   (why && *why ? ": " + std::string(why) : std::string()));
    }
    if (i < warmup)
      continue;
    double ms = std::chrono::duration<double, std::milli>(stop - start).count();
    totalMs += ms;
    minMs = i == warmup ? ms : std::min(minMs, ms);
  }

  std::vector<Tensor> results(outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    results[i].dtype = outputs[i].dtype;
    results[i].shape = outputs[i].shape;
    results[i].data.assign(outputBuffers[i].get(),
                           outputBuffers[i].get() + outputs[i].bytes);
    if (opts.dequantize && outputs[i].quantized)
      results[i] = dequantize(outputs[i], results[i]);
  }

  if (!opts.outputDir.empty()) {
    if (!makeDirs(opts.outputDir, err))
      return error(err);
    std::set<std::string> taken;
    for (size_t i = 0; i < outputs.size(); ++i) {
      std::string file =
          opts.outputDir + "/" + sanitize(outputs[i].name, i, taken) + ".npy";
      Tensor t = results[i];
      // NumPy has no bfloat16; float32 holds every bfloat16 value exactly.
      if (t.dtype == QCC_DTYPE_BFLOAT16) {
        Tensor f{QCC_DTYPE_FLOAT, t.shape, {}};
        f.data.resize(t.data.size() * 2);
        for (int64_t j = 0, n = t.numElements(); j < n; ++j) {
          float v = float(elementAsDouble(t, j));
          std::memcpy(f.data.data() + 4 * j, &v, 4);
        }
        t = std::move(f);
      }
      if (!writeNpy(file, t, err))
        return error(err);
      if (!opts.quiet)
        std::printf("wrote %s%s\n", file.c_str(),
                    results[i].dtype == QCC_DTYPE_BFLOAT16
                        ? " (bfloat16 as float32)"
                        : "");
    }
  }

  int status = kExitOk;
  for (size_t i = 0; i < outputs.size(); ++i) {
    const char *name = outputs[i].name.c_str();
    if (i >= expected.size()) {
      if (!opts.quiet)
        std::printf("output %s: %s %s = %s\n", name,
                    dtypeName(results[i].dtype).c_str(),
                    formatShape(results[i].shape).c_str(),
                    preview(results[i]).c_str());
      continue;
    }
    CompareResult cmp =
        compareTensors(expected[i], results[i], opts.rtol, opts.atol);
    if (!cmp.error.empty()) {
      std::printf("output %s: MISMATCH against %s: %s\n", name,
                  opts.expects[i].c_str(), cmp.error.c_str());
      status = kExitMismatch;
    } else if (!cmp.ok) {
      std::printf("output %s: MISMATCH %lld/%lld elements, worst at %s: "
                  "expected %s got %s\n",
                  name, (long long)cmp.numMismatches,
                  (long long)cmp.numElements,
                  formatIndex(outputs[i].shape, cmp.worstIndex).c_str(),
                  formatElement(expected[i], cmp.worstIndex).c_str(),
                  formatElement(results[i], cmp.worstIndex).c_str());
      status = kExitMismatch;
    } else if (!opts.quiet) {
      std::printf("output %s: ok (max abs err %.3g)\n", name, cmp.maxAbsError);
    }
  }
  if (opts.timeRuns > 0)
    std::printf("time: mean_ms=%.4f min_ms=%.4f runs=%lld\n",
                totalMs / double(opts.timeRuns), minMs, opts.timeRuns);
  std::fflush(stdout);
  return status;
}

} // namespace

int main(int argc, char **argv) {
  Options opts;
  std::string err;
  if (!parseArgs(argc, argv, opts, err))
    return error(err);
  if (opts.help) {
    std::fputs(kHelp, stdout);
    return kExitOk;
  }
  return run(opts);
}
