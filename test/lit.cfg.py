# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "qcc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".onnxtxt", ".test", ".c"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.qcc_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
# Commands qcc prints (the replay of a compile) name its tools.
llvm_config.with_environment("PATH", config.qcc_tools_dir, append_path=True)

# Debian's numpy/onnx/torch live under the system interpreter only.
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(("%qcc_src", config.qcc_src_root))
config.substitutions.append(("%cc", "cc"))
config.substitutions.append(("%qcc_plugin_dir", os.path.join(config.qcc_obj_root, "lib")))
config.environment["PYTHONPATH"] = os.path.join(config.qcc_src_root, "python")

tools = [
    ToolSubst("qcc", unresolved="fatal"),
    ToolSubst("qcc-opt", unresolved="fatal"),
    ToolSubst("qcc-run", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, [config.qcc_tools_dir, config.llvm_tools_dir])

# -target=cuda: every PTX qcc writes is assembled by ptxas when the CUDA
# toolkit is there; without it those tests report UNSUPPORTED.
import shutil
cuda_path = os.environ.get("CUDA_PATH", "/usr/local/cuda")
ptxas = os.path.join(cuda_path, "bin", "ptxas")
if not os.access(ptxas, os.X_OK):
    ptxas = shutil.which("ptxas") or ""
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
else:
    lit_config.note("ptxas not found (no CUDA toolkit at %s): the tests that "
                    "assemble qcc's PTX for sm_80 and sm_90 are skipped"
                    % cuda_path)

# The benchmarks' reference tools (../shared/tools: peak.c, make_llama.py)
# sit next to the project on developers' and CI machines.
if os.path.exists(os.path.join(config.qcc_src_root, "..", "shared", "tools", "peak.c")):
    config.available_features.add("shared-tools")
