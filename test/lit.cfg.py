# lit configuration for stmc.  Substitutions (longest first, so prefixes never clash):
#   %stmcc_nostm   build/bin/stmcc --no-stm (plain C, the global-lock baseline)
#   %stmcc         build/bin/stmcc (clang + the stmc plugin + libstmc)
#   %clang         the clang the plugin was built for (no plugin)
#   %opt_stm       opt with the pass-only plugin loaded: add -passes=stmc-instrument
#   %stmc_plugin   the clang plugin; %stmc_pass  the pass-only plugin
#   %stmc_include  build/include; %stmc_lib  build/lib; %stmc_obj  the build tree
#   %run           runs a test program (with a time limit, so a hang fails instead of blocking CI)
# Features: stmc-runtime (libstmc is built), llvm-19 / llvm-22, valgrind (installed), gdb (can
# run a program), avx512f (the CPU has it).
import os
import shutil
import lit.formats

config.name = "stmc"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".ll", ".c", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py", "CMakeLists.txt", "README.md"]
config.test_source_root = os.path.join(config.stmc_src_root, "test")
config.test_exec_root = os.path.join(config.stmc_obj_root, "test")

obj = config.stmc_obj_root
plugin = os.path.join(config.stmc_plugin_dir, "stmc_plugin.so")
passonly = os.path.join(config.stmc_plugin_dir, "stmc_pass.so")
stmcc = os.path.join(obj, "bin", "stmcc")

config.environment["PATH"] = os.pathsep.join(
    [config.stmc_llvm_bin, os.path.join(obj, "bin"), config.environment.get("PATH", os.environ.get("PATH", ""))])
# Tests must not inherit a developer's tuning; each test sets what it needs.
for k in list(config.environment):
    if k.startswith("STM_") or k.startswith("STMCC_"):
        del config.environment[k]

run_timeout = os.environ.get("STMC_TEST_TIMEOUT", "300")
config.substitutions.extend([
    ("%stmcc_nostm", stmcc + " --no-stm"),
    ("%stmcc", stmcc),
    ("%stmc_plugin", plugin),
    ("%stmc_pass", passonly),
    ("%stmc_include", os.path.join(obj, "include")),
    ("%stmc_lib", os.path.join(obj, "lib")),
    ("%stmc_obj", obj),
    ("%stmc_src", config.stmc_src_root),
    ("%opt_stm", config.stmc_opt + " -load-pass-plugin=" + passonly),
    ("%clang", config.stmc_clang),
    ("%run", "timeout " + run_timeout),
])

config.available_features.add("llvm-" + config.stmc_llvm_version)
if os.path.exists(os.path.join(obj, "lib", "libstmc.a")):
    config.available_features.add("stmc-runtime")
if shutil.which("valgrind"):
    config.available_features.add("valgrind")
# AVX-512 (tests that run its masked loads and stores on the heap)
try:
    with open("/proc/cpuinfo") as f:
        if " avx512f" in f.read():
            config.available_features.add("avx512f")
except OSError:
    pass
# OpenMP: clang's runtime (libomp-N-dev; tools/setup-deps.sh installs it)
try:
    import subprocess
    r = subprocess.run([config.stmc_clang, "-fopenmp", "-x", "c", "-", "-o", os.devnull],
                       input="#include <omp.h>\nint main(void) { return omp_get_max_threads() < 1; }\n",
                       capture_output=True, text=True, timeout=120)
    if r.returncode == 0:
        config.available_features.add("openmp")
except (OSError, subprocess.TimeoutExpired):
    pass
# gdb that can run a program (ptrace may be forbidden in a container)
if shutil.which("gdb"):
    import subprocess
    try:
        r = subprocess.run(["gdb", "-batch", "-nx", "-ex", "run", "--args", "/bin/true"],
                           capture_output=True, text=True, timeout=60)
        if "exited normally" in r.stdout + r.stderr:
            config.available_features.add("gdb")
    except (OSError, subprocess.TimeoutExpired):
        pass
