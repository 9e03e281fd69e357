/*
 * x86.h: every architectural number ringbench uses, named once (Intel SDM vol. 3 / AMD APM vol. 2 names
 * in the trailing comments). Included by C and by .S files: the C-only parts sit under !__ASSEMBLER__.
 * A grep for an MSR number or a CR bit should hit only this file.
 */
#ifndef RINGBENCH_X86_H
#define RINGBENCH_X86_H

#ifdef __ASSEMBLER__
#define BIT(n)  (1 << (n))
#define BITL(n) (1 << (n))
#else
#define BIT(n)  (1u << (n))
#define BITL(n) (1ull << (n))
#endif

/* Model-specific registers. */
#define MSR_EFER            0xc0000080 /* IA32_EFER: extended features */
#define MSR_STAR            0xc0000081 /* IA32_STAR: SYSCALL/SYSRET selector bases */
#define MSR_LSTAR           0xc0000082 /* IA32_LSTAR: 64-bit SYSCALL entry RIP */
#define MSR_FMASK           0xc0000084 /* IA32_FMASK: RFLAGS bits cleared by SYSCALL */
#define MSR_FS_BASE         0xc0000100 /* IA32_FS_BASE */
#define MSR_GS_BASE         0xc0000101 /* IA32_GS_BASE: current GS base */
#define MSR_KERNEL_GS_BASE  0xc0000102 /* IA32_KERNEL_GS_BASE: the base SWAPGS exchanges in */
#define MSR_SYSENTER_CS     0x174      /* IA32_SYSENTER_CS */
#define MSR_SYSENTER_ESP    0x175      /* IA32_SYSENTER_ESP */
#define MSR_SYSENTER_EIP    0x176      /* IA32_SYSENTER_EIP */
#define MSR_SPEC_CTRL       0x48       /* IA32_SPEC_CTRL: speculation control */
#define MSR_PRED_CMD        0x49       /* IA32_PRED_CMD: prediction commands (write-only) */
#define MSR_ARCH_CAPABILITIES 0x10a    /* IA32_ARCH_CAPABILITIES: what the CPU is not vulnerable to */
#define MSR_FRED_RSP(level) (0x1cc + (level)) /* IA32_FRED_RSP0..3: each stack level's stack (entry/fred.h) */
#define MSR_FRED_STKLVLS    0x1d0      /* IA32_FRED_STKLVLS: the stack level of each exception vector */
#define MSR_FRED_CONFIG     0x1d4      /* IA32_FRED_CONFIG: the entry page (and red zone, interrupt level) */
#define FRED_STKLVL(vector, level) ((uint64_t)(level) << (2 * (vector))) /* IA32_FRED_STKLVLS's field */

#define SPEC_CTRL_IBRS      BIT(0)     /* indirect branch restricted speculation */
#define PRED_CMD_IBPB       BIT(0)     /* indirect branch prediction barrier */
#define ARCH_CAP_RDCL_NO    BITL(0)    /* not vulnerable to rogue data cache load (Meltdown) */
#define ARCH_CAP_IBRS_ALL   BITL(1)    /* enhanced IBRS: set once, not per entry */
#define ARCH_CAP_MDS_NO     BITL(5)    /* not vulnerable to microarchitectural data sampling */
#define RSB_ENTRIES         32         /* return stack buffer entries to overwrite (Linux's RSB_CLEAR_LOOPS) */

#define EFER_SCE            BITL(0)    /* SYSCALL/SYSRET enable */
#define EFER_LME            BITL(8)    /* long mode enable */
#define EFER_NXE            BITL(11)   /* no-execute page bit enable */

/* STAR: SYSCALL loads CS from [47:32] (SS = +8); 64-bit SYSRET loads SS from [63:48]+8, CS from +16. */
#define STAR_SYSCALL_SHIFT  32
#define STAR_SYSRET_SHIFT   48

/* RFLAGS. */
#define RFLAGS_CF           BITL(0)    /* carry */
#define RFLAGS_FIXED        BITL(1)    /* reserved, always 1 */
#define RFLAGS_PF           BITL(2)    /* parity */
#define RFLAGS_AF           BITL(4)    /* auxiliary carry */
#define RFLAGS_ZF           BITL(6)    /* zero */
#define RFLAGS_SF           BITL(7)    /* sign */
#define RFLAGS_TF           BITL(8)    /* trap (single step) */
#define RFLAGS_IF           BITL(9)    /* interrupt enable */
#define RFLAGS_DF           BITL(10)   /* direction */
#define RFLAGS_OF           BITL(11)   /* overflow */
#define RFLAGS_IOPL         (3ull << 12) /* I/O privilege level */
#define RFLAGS_NT           BITL(14)   /* nested task */
#define RFLAGS_RF           BITL(16)   /* resume */
#define RFLAGS_AC           BITL(18)   /* alignment check / SMAP override */
#define RFLAGS_ID           BITL(21)   /* CPUID available */

/* DR6, the debug status register */
#define DR6_BS              BITL(14)   /* the #DB was a single step (RFLAGS.TF) */
#define DR6_RESET           0xffff0ff0ull /* its value with no condition recorded */

/* Control registers. */
#define CR0_MP              BITL(1)    /* WAIT/FWAIT honour TS */
#define CR0_EM              BITL(2)    /* x87 emulation: must be clear for SSE */
#define CR0_TS              BITL(3)    /* task switched: lazy FPU trap */
#define CR0_WP              BITL(16)   /* supervisor writes honour read-only pages */
#define CR0_AM              BITL(18)   /* alignment checks in ring 3 when RFLAGS.AC is set */
#define CR4_PAE             BITL(5)
#define CR4_PGE             BITL(7)    /* global pages */
#define CR4_PCIDE           BITL(17)   /* process-context identifiers: CR3[11:0] tags TLB entries */
#define CR3_NOFLUSH         BITL(63)   /* with PCIDE, a CR3 write keeps the new PCID's TLB entries */
#define CR4_OSFXSR          BITL(9)
#define CR4_OSXMMEXCPT      BITL(10)
#define CR4_UMIP            BITL(11)   /* SGDT/SIDT/SLDT/SMSW/STR fault in ring 3 */
#define CR4_SMEP            BITL(20)   /* no supervisor execution of user pages */
#define CR4_SMAP            BITL(21)   /* no supervisor access to user pages unless RFLAGS.AC */
#define CR4_PCE             BITL(8)    /* RDPMC in ring 3 (lib/pmu.h) */
#define CR4_FRED            BITL(32)   /* FRED event delivery (entry/fred.h) */

/* Page-table entries (4-level paging). */
#define PTE_P               BITL(0)    /* present */
#define PTE_W               BITL(1)    /* writable */
#define PTE_U               BITL(2)    /* user accessible */
#define PTE_PCD             BITL(4)    /* cache disable: device registers */
#define PTE_PS              BITL(7)    /* large page (in a PDE: 2 MiB) */
#define PTE_G               BITL(8)    /* global */
#define PTE_NX              BITL(63)   /* no execute (needs EFER.NXE) */
#define PTE_ADDR_MASK       0x000ffffffffff000ull
#define PAGE_SHIFT          12
#define PAGE_SIZE           4096ull
#define LARGE_PAGE_SIZE     (512ull * PAGE_SIZE)
#define PT_ENTRIES          512
#define PT_INDEX_BITS       9

/* Page-fault error code. */
#define PFERR_P             BIT(0)     /* fault on a present page (protection), else not-present */
#define PFERR_W             BIT(1)     /* write access */
#define PFERR_U             BIT(2)     /* access from CPL 3 */
#define PFERR_I             BIT(4)     /* instruction fetch */

/* Exception vectors. */
#define T_DE      0   /* divide error */
#define T_DB      1   /* debug */
#define T_NMI     2   /* non-maskable interrupt */
#define T_BP      3   /* breakpoint */
#define T_OF      4   /* overflow */
#define T_BR      5   /* bound range */
#define T_UD      6   /* invalid opcode */
#define T_NM      7   /* device not available */
#define T_DF      8   /* double fault */
#define T_TS      10  /* invalid TSS */
#define T_NP      11  /* segment not present */
#define T_SS      12  /* stack-segment fault */
#define T_GP      13  /* general protection */
#define T_PF      14  /* page fault */
#define T_MF      16  /* x87 floating point */
#define T_AC      17  /* alignment check */
#define T_MC      18  /* machine check */
#define T_XM      19  /* SIMD floating point */
#define T_VE      20  /* virtualization exception */
#define T_CP      21  /* control protection */
#define T_NEXCEPTIONS 32
#define T_INT80   0x80  /* the int 0x80 door: the one gate with DPL 3 */
#define IDT_VECTORS 256
/* Vectors that push an error code (SDM vol. 3 table 6-1): DF TS NP SS GP PF AC CP. */
#define T_HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21)
#define T_SYSCALL  0x100 /* not a CPU vector: marks a frame built by the SYSCALL entry */
#define T_SYSENTER 0x101 /* not a CPU vector: marks a frame built by the SYSENTER entry */
#define IDT_ERROR(vector) ((vector) << 3 | 2) /* the error code of a #GP for a gate: its IDT slot, "IDT" bit */

/*
 * GDT slots. The fast doors load selectors at fixed distances instead of reading the GDT by choice:
 *   SYSCALL:        CS = STAR[47:32],          SS = STAR[47:32] + 8
 *   64-bit SYSRET:  SS = STAR[63:48] + 8,      CS = STAR[63:48] + 16   (RPL forced to 3)
 *   64-bit SYSEXIT: CS = SYSENTER_CS + 32,     SS = SYSENTER_CS + 40   (RPL forced to 3)
 * With SYSENTER_CS = STAR[47:32] = kernel code (slot 1), SYSEXIT needs user code at slot 5 and user data at
 * slot 6; SYSRET then needs its base at slot 3 and user data at slot 4. So user code sits between two
 * user data descriptors (seL4 documents the same constraint). Slot 3 stays null: it would be the 32-bit
 * user code segment for SYSRETL, and ringbench never returns to compatibility mode.
 * kernel/gdt.c pins all of this with _Static_asserts.
 */
#define GDT_KCODE         1
#define GDT_KDATA         2
#define GDT_SYSRET_BASE   3
#define GDT_UDATA         4 /* user SS after IRETQ and SYSRET */
#define GDT_UCODE         5 /* the one 64-bit user code segment */
#define GDT_UDATA_SYSEXIT 6 /* user SS after SYSEXIT: same descriptor as slot 4 */
#define GDT_TSS           7 /* a 64-bit TSS descriptor takes two slots */
#define GDT_ENTRIES       9
#define SEL(slot, rpl)    (((slot) << 3) | (rpl))
#define SEL_KCODE         SEL(GDT_KCODE, 0)
#define SEL_KDATA         SEL(GDT_KDATA, 0)
#define SEL_SYSRET_BASE   SEL(GDT_SYSRET_BASE, 3)
#define SEL_UDATA         SEL(GDT_UDATA, 3)
#define SEL_UCODE         SEL(GDT_UCODE, 3)
#define SEL_UDATA_SYSEXIT SEL(GDT_UDATA_SYSEXIT, 3)
#define SEL_TSS           SEL(GDT_TSS, 0)
#define SEL_RPL_MASK      3

/* TSS interrupt-stack-table slots (1-based, as the gate's IST field counts them). */
#define IST_DF  1
#define IST_NMI 2
#define IST_MC  3
#define IST_DB  4 /* a #DB can arrive at a door's first instruction, on the app's RSP (MOV SS, then SYSCALL) */
#define IST_COUNT 4

/* IDT gate and descriptor bits. */
#define IDT_GATE_INTR       0xe        /* 64-bit interrupt gate: clears IF on entry */
#define DESC_P              BIT(7)     /* in the access byte: present */
#define DESC_DPL(n)         ((n) << 5)
#define DESC_S              BIT(4)     /* code/data (not system) */
#define DESC_CODE           (BIT(3) | BIT(1)) /* execute + readable */
#define DESC_DATA           BIT(1)     /* writable */
#define DESC_TSS_AVAIL      0x9        /* 64-bit available TSS */
#define DESC_FLAG_L         BIT(1)     /* in the flags nibble: 64-bit code */

/* Legacy I/O ports. */
#define PORT_COM1           0x3f8
#define PORT_QEMU_DEBUG_EXIT 0xf4      /* QEMU isa-debug-exit: exit status (value << 1) | 1 */
#define PORT_PIT_CH2        0x42
#define PORT_PIT_CMD        0x43
#define PORT_PIT_GATE       0x61       /* bit 0: channel 2 gate, bit 1: speaker, bit 5: channel 2 out */
#define PORT_PIC1_DATA      0x21
#define PORT_PIC2_DATA      0xa1
#define PIT_HZ              1193182ull

/* CPUID leaves and bits. */
#define CPUID_VENDOR          0x0
#define CPUID_FEATURES        0x1
#define CPUID_EXT_FEATURES    0x7
#define CPUID_TSC_CRYSTAL     0x15
#define CPUID_FREQ            0x16
#define CPUID_HV_BASE         0x40000000
#define CPUID_EXT_MAX         0x80000000
#define CPUID_EXT_INFO        0x80000001
#define CPUID_BRAND0          0x80000002
#define CPUID_POWER           0x80000007
#define CPUID1_ECX_HYPERVISOR BIT(31)
#define CPUID_VENDOR_INTEL    "GenuineIntel" /* leaf 0: EBX EDX ECX */
#define CPUID_VENDOR_AMD      "AuthenticAMD"
#define CPUID_HV_TCG          "TCGTCGTCGTCG" /* leaf CPUID_HV_BASE: EBX ECX EDX */
#define CPUID_HV_KVM          "KVMKVMKVM"    /* (then three NULs) */
#define CPUID1_EDX_SEP        BIT(11)  /* SYSENTER/SYSEXIT present (in 64-bit mode: Intel only) */
#define CPUID7_EBX_SMEP       BIT(7)
#define CPUID7_EBX_SMAP       BIT(20)
#define CPUID7_ECX_UMIP       BIT(2)
#define CPUID7_SUBLEAF_1      1        /* leaf 7's subleaf 1 */
#define CPUID7_1_EAX_FRED     BIT(17)  /* FRED event delivery, ERETU/ERETS */
#define CPUID7_EDX_MD_CLEAR   BIT(10)  /* VERW overwrites the CPU's buffers (MDS) */
#define CPUID7_EDX_SPEC_CTRL  BIT(26)  /* Intel: IBRS and IBPB (IA32_SPEC_CTRL, IA32_PRED_CMD) */
#define CPUID7_EDX_ARCH_CAP   BIT(29)  /* IA32_ARCH_CAPABILITIES exists */
#define CPUID1_ECX_PCID       BIT(17)  /* process-context identifiers */
#define CPUID1_ECX_RDRAND     BIT(30)  /* RDRAND: the CPU's random number generator */
#define CPUID_EXT_ADDR        0x80000008
#define CPUID_EXT_ADDR_EBX_IBPB BIT(12) /* AMD: IBPB */
#define CPUID_EXT_ADDR_EBX_IBRS BIT(14) /* AMD: IBRS */
#define CPUID_EXT_ECX_LAHF_LM BIT(0)   /* LAHF/SAHF in 64-bit mode */
#define CPUID_EXT_EDX_NX      BIT(20)
#define CPUID_EXT_EDX_PDPE1GB BIT(26)
#define CPUID_POWER_EDX_INVTSC BIT(8)

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
static inline uint64_t rdpmc(uint32_t counter) /* lib/pmu.h: RDPMC's ECX */
{
	uint32_t lo, hi;
	__asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(counter));
	return ((uint64_t)hi << 32) | lo;
}
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
#define DEFINE_CR(n)                                                                   \
	static inline uint64_t read_cr##n(void)                                        \
	{                                                                              \
		uint64_t v;                                                            \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                     \
		return v;                                                              \
	}                                                                              \
	static inline void write_cr##n(uint64_t v) { __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR
#endif /* !__ASSEMBLER__ */
#endif
