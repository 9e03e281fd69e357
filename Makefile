# ringbench: one Makefile. Every product goes to build/ (out of tree); V=1 shows the full commands.
#
#   make            build BOOTX64.EFI, the kernel, the app and the ESP image (build/esp.img)
#   make run        boot it in QEMU+OVMF: the console's human lines here (JSON=1: every line), all in build/run.log
#                   (APP=, ARGS=, ENV=, FILES=, STDIN=, ENTRY=, CONFIG=, ACCEL=, QEMU_CPU=, JSON=)
#   make bench      the latency benchmark: build/bench/{results.json,results.md,latency.*,variants.*} (png, svg)
#   make bench-compare A="QEMU_CPU=..." B="..."   two configurations back to back, B/A of every figure
#   make bench-linux  the same benchmark on Debian's kernel in the same QEMU (default mitigations, and off;
#                   ICOUNT=1: under -icount), build/bench-linux/; make bench-native: on this machine's Linux
#   make bench-peers  all of them and ringbench's, side by side: build/bench-peers/{peers.md,peers.*}
#   make trace      every instruction of one call through a door (DOOR=syscall|int80|sysenter|all, ENTRY=, CALL=)
#   make test       host unit tests + QEMU integration tests; ends with "N passed, N failed"
#   make usb        build/ringbench.img: a GPT disk image for a USB stick (USB_ARGS=, CONFIG=; README: real hardware);
#                   SIGN_KEY= SIGN_CERT=: build/ringbench-signed.img, one signed unified image for Secure Boot
#   make check-gen  generated syscall files against the golden copies in tests/golden/
#   make fuzz       libFuzzer on the ELF validator, the config parser and the cpio reader (FUZZ_SECONDS each)
#   make deps       check (and as root, install) the Debian packages ringbench needs
#
# The EFI stub is built by the direct PE route: clang targets x86_64-unknown-windows and lld-link writes
# a PE32+ EFI application at once. The alternative (gnu-efi's crt0 and ELF linker script, then GNU
# objcopy to PE) needs three linker workarounds with ld.lld and a second toolchain for the conversion;
# the direct route needs only gnu-efi's headers, for the UEFI types and protocols.

VERSION  := 0.1.0
GITREV   := $(shell git describe --always --dirty --abbrev=7 2>/dev/null)
BUILD    := build
GEN      := $(BUILD)/gen
CC       := clang
LD       := ld.lld
PYTHON   := python3
HOSTCC   := cc
EFI_INC  := /usr/include/efi

APP      ?= $(BUILD)/app/app.elf
ARGS     ?=
ENV      ?=
export ACCEL QEMU_CPU EMU BOCHS BOCHS_CPU

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' $(1) $(2)
endif

WARN     := -Wall -Wextra -Werror -Wno-unused-parameter
COMMON   := -std=gnu11 -O2 -fomit-frame-pointer -ffreestanding -fno-stack-protector -fno-builtin -mno-red-zone -mgeneral-regs-only \
            $(WARN) -MMD -MP
EFI_CFLAGS := --target=x86_64-unknown-windows -fno-ms-extensions -fshort-wchar -mno-stack-arg-probe $(COMMON) -I$(EFI_INC) -I$(EFI_INC)/x86_64 \
            -I$(GEN)
EFI_LDFLAGS := --target=x86_64-unknown-windows -fuse-ld=lld -nostdlib -Wl,/subsystem:efi_application \
            -Wl,/entry:efi_main
ELF_CFLAGS := --target=x86_64-unknown-none-elf -fno-pic -fno-pie -g $(COMMON) -I$(GEN)
K_CFLAGS := $(ELF_CFLAGS) -mcmodel=kernel
A_CFLAGS := $(ELF_CFLAGS) -mcmodel=small -Iapp

LIB      := lib/fmt.c lib/string.c
EFI_SRC  := efi/main.c efi/console.c efi/files.c efi/handoff.c efi/previous.c efi/payload.c $(LIB) lib/config.c lib/elf.c lib/pagetable.c \
            lib/efimem.c
K_SRC    := kernel/start.S kernel/main.c kernel/console.c kernel/cpu.c kernel/gdt.c kernel/idt.c kernel/trap.c \
            kernel/fault.c kernel/frames.c kernel/vm.c kernel/usercopy.c kernel/sys.c kernel/tsc.c \
            services/exec.c services/proc.c services/mm.c services/fd.c services/path.c services/fs.c \
            services/time.c services/unimpl.c services/signal.c services/vsyscall.c \
            kernel/power.c kernel/acpi.c kernel/selftest.c kernel/fbcon.c kernel/efirt.c kernel/doors.c \
            kernel/audit.c kernel/kpti.c kernel/defences.c kernel/pmu.c kernel/fred.c lib/pmu.c kernel/vdso_image.S $(GEN)/font.c lib/words.c lib/cpio.c \
            entry/syscall64.S entry/sysenter64.S entry/int80.S entry/bare.S entry/kprobe.S entry/vectors.S \
            entry/retpoline.S entry/fred.S entry/dispatch.c entry/framethunk.S entry/framecall.c $(LIB) lib/elf.c lib/pagetable.c lib/efimem.c
DOORS    := syscall int80 sysenter
A_SRC    := app/crt0.S app/libc.c app/main.c app/selftest.c app/doors.c app/bench.c app/oneway.c app/benchpaths.c app/benchprint.c app/fuzz.c app/vdso.c app/audit.c app/probe.S app/hazards.S app/catch.S app/caught.c app/host.c app/trace.c \
            $(DOORS:%=$(GEN)/usys_%.S) $(GEN)/nopdoor.S $(LIB) lib/stats.c lib/vdso_sym.c
GEN_OUT  := $(GEN)/syscall_nr.h $(GEN)/syscall_list.h $(GEN)/usys.h $(DOORS:%=$(GEN)/usys_%.S) $(GEN)/nopdoor.S \
            $(GEN)/linux_calls.md

obj = $(patsubst %,$(BUILD)/$(1)/%.o,$(basename $(2)))
EFI_OBJ  := $(call obj,efi,$(EFI_SRC))
K_OBJ    := $(call obj,kernel,$(K_SRC))
A_OBJ    := $(call obj,app,$(A_SRC))

.PHONY: trace unified sign-check all run bench bench-compare bench-linux bench-native bench-peers test check-gen deps clean fuzz usb
all: $(BUILD)/esp.img

# ---- generated syscall files (entry/syscall.tbl is the single source) ----
$(GEN_OUT) &: entry/syscall.tbl entry/gensyscalls.py | deps-checked
	$(call msg,GEN,$(GEN))
	$(Q)mkdir -p $(GEN) && $(PYTHON) entry/gensyscalls.py entry/syscall.tbl $(GEN)

# The screen console's font: Terminus (SIL OFL 1.1) from Debian's console-setup-linux.
FONT ?= /usr/share/consolefonts/Lat15-Terminus16.psf.gz
$(GEN)/font.c: $(FONT) scripts/psf2c.py | deps-checked
	$(call msg,FONT,$@)
	$(Q)mkdir -p $(GEN) && $(PYTHON) scripts/psf2c.py $(FONT) $@

# The version the boot lines print: the release and the commit the build is from, "-dirty" with uncommitted
# changes. version.h is rewritten only when that string changes, so only its readers recompile.
$(GEN)/version.h: FORCE
	$(Q)mkdir -p $(GEN) && v='#define RINGBENCH_VERSION "$(VERSION)$(if $(GITREV),+$(GITREV))"' && \
		{ [ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" > $@; }
$(BUILD)/efi/efi/main.o $(BUILD)/kernel/kernel/cpu.o $(BUILD)/kernel/services/proc.o: $(GEN)/version.h

# ---- EFI stub ----
$(BUILD)/efi/%.o: %.c Makefile | deps-checked
	$(call msg,CC-EFI,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(EFI_CFLAGS) -c $< -o $@
$(BUILD)/BOOTX64.EFI: $(EFI_OBJ)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(EFI_LDFLAGS) $^ -o $@

# ---- kernel ----
$(BUILD)/kernel/%.o: %.c $(GEN_OUT) Makefile
	$(call msg,CC,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(K_CFLAGS) -c $< -o $@
$(BUILD)/kernel/%.o: %.S $(GEN_OUT) Makefile
	$(call msg,AS,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(K_CFLAGS) -c $< -o $@
# The EV_SWITCH dispatch must compile to compares and direct calls: a jump table is an indirect branch.
$(BUILD)/kernel/entry/dispatch.o: K_CFLAGS += -fno-jump-tables
# The vDSO (vdso/): position-independent, no libc, its symbols under LINUX_2.6; the kernel carries it
# (kernel/vdso_image.S) and maps it into the app.
VDSO_CFLAGS := --target=x86_64-unknown-none-elf -fPIC -O2 -ffreestanding -nostdlib -fno-stack-protector \
               -fno-builtin -mgeneral-regs-only -fno-asynchronous-unwind-tables $(WARN) -I$(GEN)
VDSO_LDFLAGS := -shared -fuse-ld=lld -Wl,-T,vdso/vdso.lds -Wl,--version-script,vdso/vdso.ver -Wl,--hash-style=both \
                -Wl,-soname=linux-vdso.so.1 -Wl,-z,max-page-size=4096 -Wl,--no-undefined
$(BUILD)/vdso/vdso.so: vdso/vdso.c vdso/vdso.lds vdso/vdso.ver lib/timepage.h lib/abi.h $(GEN_OUT) Makefile
	$(call msg,VDSO,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(VDSO_CFLAGS) $(VDSO_LDFLAGS) vdso/vdso.c -o $@
$(BUILD)/kernel/kernel/vdso_image.o: $(BUILD)/vdso/vdso.so
$(BUILD)/kernel/kernel/vdso_image.o: K_CFLAGS += -DVDSO_IMAGE='"$(BUILD)/vdso/vdso.so"'
$(BUILD)/kernel/kernel.lds: kernel/kernel.lds.S lib/memlayout.h
	$(Q)mkdir -p $(@D) && $(CC) -E -P -x c -D__ASSEMBLER__ $< -o $@
$(BUILD)/kernel.elf: $(K_OBJ) $(BUILD)/kernel/kernel.lds
	$(call msg,LD,$@)
	$(Q)$(LD) -static -nostdlib -z max-page-size=4096 -T $(BUILD)/kernel/kernel.lds $(K_OBJ) -o $@

# ---- app ----
$(BUILD)/app/%.o: %.c $(GEN_OUT) Makefile
	$(call msg,CC-APP,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(A_CFLAGS) -c $< -o $@
$(BUILD)/app/%.o: %.S $(GEN_OUT) Makefile
	$(call msg,AS-APP,$<)
	$(Q)mkdir -p $(@D) && $(CC) $(A_CFLAGS) -c $< -o $@
# The door stubs' timing baselines expand the stamped variants' readings (entry/stamp.h).
$(call obj,app,$(GEN)/nopdoor.S): A_CFLAGS += -Ientry
$(BUILD)/app/app.lds: app/app.lds.S lib/memlayout.h
	$(Q)mkdir -p $(@D) && $(CC) -E -P -x c -D__ASSEMBLER__ $< -o $@
$(BUILD)/app/app.elf: $(A_OBJ) $(BUILD)/app/app.lds
	$(call msg,LD,$@)
	$(Q)$(LD) -static -nostdlib -z max-page-size=4096 -T $(BUILD)/app/app.lds $(A_OBJ) -o $@

# ---- the ESP image: \EFI\BOOT\BOOTX64.EFI, \ringbench\{kernel.elf, ringbench.cfg, <app>} ----
ENTRY ?= plain
# CONFIG: more settings, as key=value words ("vdso=on kernel_test=fault"); later lines win, so they do.
# ARGS and ENV reach the file through the environment, untouched: their quotes are the app's
# (lib/words.h splits them as a shell would, and interprets nothing else).
$(BUILD)/ringbench.cfg: export RB_ARGS := $(value ARGS)
$(BUILD)/ringbench.cfg: export RB_ENV := $(value ENV)
$(BUILD)/ringbench.cfg: FORCE
	$(Q)mkdir -p $(BUILD) && printf '# written by make from APP, ARGS, ENV, FILES, STDIN, ENTRY and CONFIG\napp = %s\nargs = %s\nenv = %s\nfiles = %s\nstdin = %s\nentry = %s\npoweroff = yes\n' \
		"$(notdir $(APP))" "$$RB_ARGS" "$$RB_ENV" "$(notdir $(FILES_CPIO))" "$(STDIN)" "$(ENTRY)" > $@
	$(Q)for word in $(CONFIG); do printf '%s\n' "$$word" >> $@; done

# FILES=dir: the app's files, the directory packed as the newc cpio archive the kernel unpacks into its
# RAM filesystem (its / is dir's top); STDIN=path: a file of it the app's stdin reads.
FILES    ?=
STDIN    ?=
FILES_CPIO := $(if $(FILES),$(BUILD)/files.cpio)
$(BUILD)/files.cpio: FORCE
	$(Q)[ -d "$(FILES)" ] || { echo "make: FILES=$(FILES): not a directory" >&2; exit 2; }
	$(call msg,CPIO,$@)
	$(Q)mkdir -p $(BUILD) && scripts/mkcpio.sh "$(FILES)" $@
$(BUILD)/esp.img: $(BUILD)/BOOTX64.EFI $(BUILD)/kernel.elf $(APP) $(BUILD)/ringbench.cfg $(FILES_CPIO) scripts/mkesp.sh
	$(call msg,ESP,$@)
	$(Q)scripts/mkesp.sh $@ $(BUILD)/BOOTX64.EFI $(BUILD)/kernel.elf $(BUILD)/ringbench.cfg $(APP) $(FILES_CPIO)

# The USB stick: the app's default run (self-tests, then the benchmark), halting with the results on
# screen on real hardware (poweroff = auto); USB_ARGS for other app arguments.
USB_ARGS ?=
$(BUILD)/usb.cfg: FORCE
	$(Q)mkdir -p $(BUILD) && printf '# ringbench on a USB stick: see README.md\napp = app.elf\nargs = %s\nfiles = %s\npoweroff = auto\n' \
		"$(USB_ARGS)" "$(notdir $(FILES_CPIO))" > $@
	$(Q)for word in $(CONFIG); do printf '%s\n' "$$word" >> $@; done
# The unified image: the stub carrying the kernel, the app, a configuration and the file archive in its
# own .rbpay section (efi/payload.c), which a Secure Boot signature covers. UNIFIED_DIR and UNIFIED_CONFIG
# choose where and with which configuration (default: the stick's); the app is APP.
UNIFIED_DIR ?= $(BUILD)/unified
UNIFIED_CONFIG ?= $(BUILD)/usb.cfg
$(UNIFIED_DIR)/payload.o: efi/payload.c efi/stub.h $(BUILD)/kernel.elf $(APP) $(UNIFIED_CONFIG) $(FILES_CPIO) FORCE
	$(call msg,CC-EFI,$@)
	$(Q)mkdir -p $(UNIFIED_DIR)/payload && cp $(BUILD)/kernel.elf $(UNIFIED_DIR)/payload/kernel.elf && \
		cp $(APP) $(UNIFIED_DIR)/payload/app && cp $(UNIFIED_CONFIG) $(UNIFIED_DIR)/payload/ringbench.cfg && \
		{ [ -n "$(FILES_CPIO)" ] && cp $(FILES_CPIO) $(UNIFIED_DIR)/payload/files.cpio || : > $(UNIFIED_DIR)/payload/files.cpio; }
	$(Q)$(CC) $(EFI_CFLAGS) -DPAYLOAD_DIR='"$(UNIFIED_DIR)/payload"' -c efi/payload.c -o $@
$(UNIFIED_DIR)/BOOTX64.EFI: $(filter-out %/payload.o,$(EFI_OBJ)) $(UNIFIED_DIR)/payload.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(EFI_LDFLAGS) $^ -o $@
unified: $(UNIFIED_DIR)/BOOTX64.EFI

# make usb: with SIGN_KEY and SIGN_CERT, the stick holds only the signed unified image (scripts/sign.sh checks
# the key and certificate before anything is written; SIGN_PASS_FILE for a key's passphrase); without, the
# plain stub and the loose files.
ifneq ($(SIGN_KEY)$(SIGN_CERT),)
sign-check:
	$(Q)scripts/sign.sh --check "$(SIGN_KEY)" "$(SIGN_CERT)"
$(UNIFIED_DIR)/payload.o: | sign-check
USB_IMG := $(BUILD)/ringbench-signed.img
$(USB_IMG): $(UNIFIED_DIR)/BOOTX64.EFI scripts/sign.sh scripts/mkesp.sh FORCE
	$(call msg,SIGN,$(UNIFIED_DIR)/BOOTX64.signed.EFI)
	$(Q)scripts/sign.sh "$(SIGN_KEY)" "$(SIGN_CERT)" $< $(UNIFIED_DIR)/BOOTX64.signed.EFI
	$(call msg,USB,$@)
	$(Q)scripts/mkesp.sh --gpt $@ $(UNIFIED_DIR)/BOOTX64.signed.EFI
else
USB_IMG := $(BUILD)/ringbench.img
endif
$(BUILD)/ringbench.img: $(BUILD)/BOOTX64.EFI $(BUILD)/kernel.elf $(BUILD)/app/app.elf $(BUILD)/usb.cfg $(FILES_CPIO) \
                        scripts/mkesp.sh
	$(call msg,USB,$@)
	$(Q)scripts/mkesp.sh --gpt $@ $(BUILD)/BOOTX64.EFI $(BUILD)/kernel.elf $(BUILD)/usb.cfg $(BUILD)/app/app.elf $(FILES_CPIO)
usb: $(USB_IMG)
	@echo "usb: wrote $(USB_IMG); write it to a stick as README.md says (dd: check the device twice)"

# An APP= that is not there: say so (make alone would say "No rule to make target"). A file that exists
# is up to date under this rule, which has no prerequisites.
ifneq ($(APP),$(BUILD)/app/app.elf)
$(APP):
	@echo "make: APP=$(APP): no such file (a static x86-64 ELF: see README.md, \"The ABI: writing an app\")" >&2; exit 2
endif

# JSON=1: the JSON lines on the terminal too (they are in build/run.log either way).
# With SIGN_KEY and SIGN_CERT, the ESP holds only the signed unified image of this run's configuration;
# SECURE_BOOT=1 boots Debian's Secure Boot test firmware (its snakeoil key: SIGN_KEY=/usr/share/ovmf/
# PkKek-1-snakeoil.key SIGN_CERT=/usr/share/ovmf/PkKek-1-snakeoil.pem, passphrase snakeoil).
ifneq ($(SIGN_KEY)$(SIGN_CERT),)
RUN_ESP := $(BUILD)/esp-signed.img
$(RUN_ESP): $(BUILD)/ringbench.cfg scripts/sign.sh scripts/mkesp.sh FORCE | sign-check
	$(Q)$(MAKE) --no-print-directory unified UNIFIED_DIR=$(BUILD)/unified-run UNIFIED_CONFIG=$(BUILD)/ringbench.cfg
	$(Q)scripts/sign.sh "$(SIGN_KEY)" "$(SIGN_CERT)" $(BUILD)/unified-run/BOOTX64.EFI $(BUILD)/unified-run/signed.efi
	$(Q)scripts/mkesp.sh $@ $(BUILD)/unified-run/signed.efi
else
RUN_ESP := $(BUILD)/esp.img
endif
run: $(RUN_ESP)
	$(Q)JSON="$(JSON)" SECURE_BOOT="$(SECURE_BOOT)" $(PYTHON) tests/qemu.py run $(RUN_ESP)

# ARGS here are the app's bench arguments (default: bench); CONFIG as for run (both sides of a compare);
# BENCH_OUT a results folder of your own.
BENCH_OUT ?= $(BUILD)/bench
bench: $(BUILD)/BOOTX64.EFI $(BUILD)/kernel.elf $(BUILD)/app/app.elf
	$(Q)BENCH_ARGS="$(or $(ARGS),bench)" BENCH_CONFIG="$(CONFIG)" ICOUNT="$(ICOUNT)" $(PYTHON) bench/report.py run --out $(BENCH_OUT)
bench-compare: $(BUILD)/BOOTX64.EFI $(BUILD)/kernel.elf $(BUILD)/app/app.elf
	$(Q)BENCH_CONFIG="$(CONFIG)" $(PYTHON) bench/report.py compare "$(A)" "$(B)"

DOOR ?= syscall
CALL ?= getpid
trace: $(BUILD)/BOOTX64.EFI $(BUILD)/kernel.elf $(BUILD)/app/app.elf
	$(Q)$(PYTHON) scripts/trace.py --door $(DOOR) --entry $(ENTRY) --call $(CALL)

# Linux beside ringbench: Debian's own kernel (fetched from Debian's archive into build/linux/, never
# installed), with the app as /init of an initramfs that Debian's cpio packs; and the app on this machine.
LINUX := $(BUILD)/linux
$(LINUX)/vmlinuz: scripts/fetch-linux.sh
	$(call msg,FETCH,$@)
	$(Q)scripts/fetch-linux.sh $(LINUX)
$(LINUX)/initramfs.cpio: $(BUILD)/app/app.elf scripts/mkcpio.sh
	$(call msg,CPIO,$@)
	$(Q)rm -rf $(LINUX)/root && mkdir -p $(LINUX)/root && cp $< $(LINUX)/root/init && scripts/mkcpio.sh $(LINUX)/root $@
bench-linux: $(LINUX)/vmlinuz $(LINUX)/initramfs.cpio $(BUILD)/BOOTX64.EFI
	$(Q)BENCH_ARGS="$(or $(ARGS),bench)" ICOUNT="$(ICOUNT)" $(PYTHON) bench/report.py linux --out $(BUILD)/bench-linux
bench-native: $(BUILD)/app/app.elf
	$(Q)BENCH_ARGS="$(or $(ARGS),bench)" $(PYTHON) bench/report.py native --out $(BUILD)/bench-native
bench-peers: # one after the other: no two runs share the machine's cores
	$(Q)$(MAKE) --no-print-directory bench && $(MAKE) --no-print-directory bench-linux && \
		$(MAKE) --no-print-directory bench-native
	$(Q)$(PYTHON) bench/report.py peers ringbench=$(BENCH_OUT)/results.json linux=$(BUILD)/bench-linux/default/results.json \
		linux_nomitigations=$(BUILD)/bench-linux/mitigations-off/results.json native=$(BUILD)/bench-native/results.json \
		--out $(BUILD)/bench-peers

# ---- tests ----
UNIT_SRC := $(wildcard tests/unit/*.c) lib/fmt.c lib/words.c lib/cpio.c lib/config.c lib/elf.c lib/pagetable.c lib/efimem.c lib/stats.c \
            lib/vdso_sym.c lib/pmu.c \
            kernel/frames.c
$(BUILD)/unit-tests: $(UNIT_SRC) $(GEN_OUT) $(wildcard tests/unit/*.h lib/*.h kernel/frames.h) $(BUILD)/vdso/vdso.so
	$(call msg,HOSTCC,$@)
	$(Q)$(HOSTCC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -fsanitize=address,undefined \
		-I$(GEN) -DVDSO_SO='"$(BUILD)/vdso/vdso.so"' $(UNIT_SRC) -o $@

test: $(BUILD)/unit-tests $(BUILD)/BOOTX64.EFI $(BUILD)/kernel.elf $(BUILD)/app/app.elf check-gen $(BUILD)/ringbench.img \
      $(BUILD)/fuzz/fuzz_elf $(BUILD)/fuzz/fuzz_config $(BUILD)/fuzz/fuzz_cpio $(LINUX)/vmlinuz $(LINUX)/initramfs.cpio
	$(Q)$(PYTHON) tests/integration.py

# ---- host fuzzing (libFuzzer + AddressSanitizer) of the parsers that take untrusted bytes ----
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
$(BUILD)/fuzz/fuzz_elf: tests/fuzz/fuzz_elf.c lib/elf.c lib/elf.h lib/memlayout.h
	$(call msg,FUZZER,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(FUZZ_FLAGS) tests/fuzz/fuzz_elf.c lib/elf.c -o $@
$(BUILD)/fuzz/fuzz_config: tests/fuzz/fuzz_config.c lib/config.c lib/fmt.c lib/config.h
	$(call msg,FUZZER,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(FUZZ_FLAGS) tests/fuzz/fuzz_config.c lib/config.c lib/fmt.c -o $@
$(BUILD)/fuzz/fuzz_cpio: tests/fuzz/fuzz_cpio.c lib/cpio.c lib/cpio.h
	$(call msg,FUZZER,$@)
	$(Q)mkdir -p $(@D) && $(CC) $(FUZZ_FLAGS) tests/fuzz/fuzz_cpio.c lib/cpio.c -o $@
fuzz: $(BUILD)/fuzz/fuzz_elf $(BUILD)/fuzz/fuzz_config $(BUILD)/fuzz/fuzz_cpio $(BUILD)/app/app.elf
	$(Q)tests/fuzz/run.sh $(BUILD) -max_total_time=$(FUZZ_SECONDS)

check-gen: $(GEN_OUT)
	$(Q)for f in $(notdir $(filter-out %.md,$(GEN_OUT))); do diff -u tests/golden/$$f $(GEN)/$$f || \
		{ echo "check-gen: $(GEN)/$$f differs from tests/golden/$$f (after editing syscall.tbl, copy it there)"; exit 1; }; done
	$(Q)$(PYTHON) -c 'import sys; sys.exit(open(sys.argv[1]).read() not in open(sys.argv[2]).read())' \
		$(GEN)/linux_calls.md docs/linux.md || { echo "check-gen: docs/linux.md does not list the calls" \
		"entry/syscall.tbl provides: put $(GEN)/linux_calls.md there"; exit 1; }

# ---- dependencies: checked once per make run, installed when root ----
.PHONY: deps-checked FORCE
deps-checked deps:
	$(Q)scripts/deps.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
