"""boots_apps.py: apps that are not ringbench's own: programs built by the host's gcc as README.md tells a
stranger (the Linux raw ABI, the generated stubs), and files that are no app at all (missing, junk, and
copies of the real app each broken in one way the loader must refuse)."""
import os
import struct
import subprocess

import derive
from checks import APP, BUILD, DOORS, INTEL, ROOT, TEST_DIR, Case, check, esp, one, status_is

# How README.md ("The ABI: writing an app") tells a stranger to build an app with the host's gcc.
GCC_APP = ["gcc", "-static", "-nostdlib", "-fno-pie", "-no-pie", "-ffreestanding", "-fno-stack-protector"]


def host_app(name, *extra):
    """tests/apps/<name>.c built as README.md says, with extra words (sources, -I) after it."""
    out = os.path.join(TEST_DIR, f"{name}.elf")
    os.makedirs(TEST_DIR, exist_ok=True)
    subprocess.run(GCC_APP + ["-O2", "-o", out, os.path.join(ROOT, "tests", "apps", f"{name}.c"), *extra], check=True)
    return out


def linux_abi_app():
    """A program built by the host's gcc for Linux's raw syscall ABI; it must also run on Linux itself."""
    out = host_app("linux_abi")
    native = subprocess.run([out, "one", "two"], capture_output=True, text=True)
    check("linux_abi_app/runs_on_linux", native.returncode == 0 and '"linux_abi_app"' in native.stdout,
          f"exit {native.returncode}: {native.stdout.strip()}")
    return out


def verify_linux_abi(b):
    status_is("linux_abi", b, "app_ok")
    t = one(b, "test", name="linux_abi_app")
    detail = t.get("detail", "")
    check("linux_abi/argv_auxv_clock", all(s in detail for s in ("argc=3", "last_arg=two", "pagesz=4096", "clock_ok")),
          f"record: {t or 'missing'}")


def stubs_app():
    """A program of the host's gcc that calls through the generated stubs, linked as README.md says."""
    gen = os.path.join(BUILD, "gen")
    return host_app("stubs", "-I", gen, *(os.path.join(gen, f"usys_{door}.S") for door in DOORS))


def verify_stubs(b):
    status_is("stubs", b, "app_ok")
    t = one(b, "test", name="stubs_app")
    check("stubs/every_door", t.get("ok") is True
          and all(f"{door}=ok" in t.get("detail", "") for door in DOORS), f"record: {t or 'missing'}")


def verify_missing(b):
    status_is("missing_app", b, "boot_error")
    e = one(b, "error", stage="efi")
    check("missing_app/error_names_the_file", "nosuch.elf" in e.get("file", "") and e.get("status") == "EFI_NOT_FOUND",
          f"error: {e or 'missing'}")


def refused(case, file, words):
    """The kernel refuses the app with an error line naming the file and the problem."""
    def verify(b):
        status_is(case, b, "bad_app")
        e = one(b, "error", stage="kernel")
        check(f"{case}/error_names_file_and_problem", e.get("file") == file and words in e.get("detail", ""),
              f"error: {e or 'missing'}; expected '{words}'")
    return verify


def malformed_apps():
    """Copies of the real app, each broken in one way the loader must refuse: (name, bytes, words the
    kernel's refusal must contain)."""
    good = bytearray(open(APP, "rb").read())
    phoff = struct.unpack_from("<Q", good, 32)[0]

    def patched(offset, fmt, value):
        b = bytearray(good)
        struct.pack_into(fmt, b, offset, value)
        return bytes(b)
    vaddr, memsz = phoff + 16, phoff + 40  # the first program header: the text segment
    data_vaddr = phoff + 2 * 56 + 16       # the third: the data segment (app/app.lds.S)
    data_memsz = struct.unpack_from("<Q", good, phoff + 2 * 56 + 40)[0]
    guard = derive.const("USER_STACK_GUARD")
    into_stack = ((guard - data_memsz) & ~0xfff) + 0x2000  # so that its end runs into the guard page
    return [
        ("truncated", bytes(good[:phoff + 20]), "truncated"),
        ("wrong_machine", patched(18, "<H", 183), "machine"),
        ("kernel_space", patched(vaddr, "<Q", derive.const("KERNEL_VBASE")), "outside"),
        ("wraps", patched(vaddr, "<Q", 0xfffffffffffff000), "wraps"),
        ("huge_memsz", patched(memsz, "<Q", 1 << 40), "too large"),
        ("entry_outside", patched(24, "<Q", 0x10), "entry point"),
        ("over_the_stack", patched(data_vaddr, "<Q", into_stack), "stack"),  # its bss reaches in
    ]


def broken_archive():
    """A newc archive of one small file, cut in the middle of the file's data."""
    tree = os.path.join(TEST_DIR, "small-tree")
    os.makedirs(tree, exist_ok=True)
    with open(os.path.join(tree, "file.txt"), "w") as f:
        f.write("x" * 300)
    whole, cut = os.path.join(TEST_DIR, "small.cpio"), os.path.join(TEST_DIR, "cut.cpio")
    subprocess.run([os.path.join(ROOT, "scripts", "mkcpio.sh"), tree, whole], check=True)
    data = open(whole, "rb").read()
    second = data.index(b"070701", 6)  # the file's entry, after the tree's top
    open(cut, "wb").write(data[:second + 200])
    return cut, second


def verify_broken_archive(second):
    def verify(b):
        status_is("cut_archive", b, "bad_app")
        e = one(b, "error", stage="kernel", what="bad files")
        check("cut_archive/error_names_archive_and_offset", e.get("file") == "cut.cpio"
              and f"at offset {second}:" in e.get("detail", "") and "truncated" in e.get("detail", ""),
              f"error: {e or 'missing'}; expected cut.cpio at offset {second}")
    return verify


def cases():
    os.makedirs(TEST_DIR, exist_ok=True)
    cut, second = broken_archive()
    junk = os.path.join(TEST_DIR, "junk.elf")
    open(junk, "w").write("this is not an ELF file\n")
    out = [
        Case("missing_app", esp("missing", "app = nosuch.elf\n", [APP]), verify_missing),
        Case("bad_app", esp("bad_app", "app = junk.elf\n", [junk]), refused("bad_app", "junk.elf", "not an ELF")),
        Case("linux_abi", esp("linux_abi", "app = linux_abi.elf\nargs = one two\n", [linux_abi_app()]),
             verify_linux_abi),
        Case("stubs", esp("stubs", "app = stubs.elf\n", [stubs_app()]), verify_stubs, {"cpu": INTEL}),
        Case("cut_archive", esp("cut_archive", "app = app.elf\nfiles = cut.cpio\n", [APP, cut]),
             verify_broken_archive(second)),
    ]
    for name, data, words in malformed_apps():
        path = os.path.join(TEST_DIR, f"{name}.elf")
        open(path, "wb").write(data)
        case = f"malformed_{name}"
        out.append(Case(case, esp(case, f"app = {name}.elf\n", [path]), refused(case, f"{name}.elf", words)))
    return out
