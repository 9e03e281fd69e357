/*
 * acpi.c: the little of ACPI the kernel needs: find a table by signature through the RSDP the EFI stub
 * recorded (XSDT, else RSDT), and power off through the FADT's PM1 control registers with the sleep type
 * of the DSDT's \_S5 object (ACPI 6.5, 4.8.3.2 and 7.4.2). Called by power.c.
 */
#include "defs.h"
#include "../lib/string.h"
#include "../lib/x86.h"

#define RSDP_XSDT_REVISION 2
#define SDT_HEADER_LEN 36
#define FADT_DSDT 40          /* u32 physical address */
#define FADT_SMI_CMD 48       /* u32 port */
#define FADT_ACPI_ENABLE 52   /* u8 */
#define FADT_PM1A_CNT 64      /* u32 port */
#define FADT_PM1B_CNT 68      /* u32 port */
#define FADT_X_DSDT 140       /* u64 physical address (ACPI 2.0+) */
#define FADT_PM_TMR_BLK 76    /* u32 port of the PM timer */
#define FADT_FLAGS 112        /* u32 */
#define FADT_TMR_VAL_EXT BIT(8) /* the PM timer counts 32 bits, not 24 */
#define HPET_BASE_ADDRESS 44  /* u64 in the table's Generic Address Structure at offset 40 */
#define GAS_SPACE_MEMORY 0
#define PM1_SCI_EN BIT(0)
#define PM1_SLP_TYP_SHIFT 10
#define PM1_SLP_EN BIT(13)
#define AML_NAME_OP 0x08
#define AML_PACKAGE_OP 0x12
#define AML_BYTE_PREFIX 0x0a
#define ACPI_ENABLE_SPINS 1000000
#define ACPI_MAX_TABLE (16u << 20) /* a larger length is a corrupt header */

struct rsdp {
	char signature[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum, reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct rsdp) == 36, "ACPI 2.0 RSDP is 36 bytes");

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static bool checksum_ok(const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;
	for (uint32_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

/* A system description table at phys, if its header is sane and its checksum holds. */
static const uint8_t *table_at(uint64_t phys)
{
	if (!phys)
		return 0;
	const uint8_t *t = P2V(phys);
	uint32_t len = rd32(t + 4);
	return len >= SDT_HEADER_LEN && len <= ACPI_MAX_TABLE && checksum_ok(t, len) ? t : 0;
}

const uint8_t *acpi_find(const char sig[4])
{
	if (!boot.acpi_rsdp)
		return 0;
	const struct rsdp *r = P2V(boot.acpi_rsdp);
	bool x = r->revision >= RSDP_XSDT_REVISION && r->xsdt;
	const uint8_t *root = table_at(x ? r->xsdt : r->rsdt);
	if (!root)
		return 0;
	unsigned width = x ? 8 : 4, n = (rd32(root + 4) - SDT_HEADER_LEN) / width;
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *e = root + SDT_HEADER_LEN + i * width;
		const uint8_t *t = table_at(x ? rd64(e) : rd32(e));
		if (t && !memcmp(t, sig, 4))
			return t;
	}
	return 0;
}

/* SLP_TYPa from "Name(_S5_, Package(){a, b, ...})" in the DSDT's AML; -1 when absent. */
static int s5_sleep_type(const uint8_t *dsdt)
{
	uint32_t len = rd32(dsdt + 4);
	for (uint32_t i = SDT_HEADER_LEN; i + 8 < len; i++) {
		const uint8_t *p = dsdt + i;
		if (memcmp(p, "_S5_", 4) || p[4] != AML_PACKAGE_OP || (p[-1] != AML_NAME_OP && p[-2] != AML_NAME_OP))
			continue;
		p += 5;
		p += 1 + (*p >> 6); /* PkgLength: its top two bits count the extra bytes */
		p++;                /* NumElements */
		return *p == AML_BYTE_PREFIX ? p[1] : *p <= 1 ? *p : -1; /* BytePrefix n, or ZeroOp/OneOp */
	}
	return -1;
}

/* The ACPI PM timer's port and counter width (24 or 32 bits); false when the FADT names none. */
bool acpi_pm_timer(uint16_t *port, unsigned *bits)
{
	const uint8_t *fadt = acpi_find("FACP");
	if (!fadt || rd32(fadt + 4) < FADT_FLAGS + 4 || !rd32(fadt + FADT_PM_TMR_BLK))
		return false;
	*port = (uint16_t)rd32(fadt + FADT_PM_TMR_BLK);
	*bits = rd32(fadt + FADT_FLAGS) & FADT_TMR_VAL_EXT ? 32 : 24;
	return true;
}

/* The HPET's register block (physical, memory-mapped), or 0. */
uint64_t acpi_hpet(void)
{
	const uint8_t *t = acpi_find("HPET");
	if (!t || rd32(t + 4) < HPET_BASE_ADDRESS + 8 || t[HPET_BASE_ADDRESS - 4] != GAS_SPACE_MEMORY)
		return 0;
	return rd64(t + HPET_BASE_ADDRESS);
}

/* Returns only when ACPI cannot power the machine off. */
void acpi_power_off(void)
{
	const uint8_t *fadt = acpi_find("FACP");
	if (!fadt)
		return;
	uint32_t len = rd32(fadt + 4);
	uint64_t dsdt_phys = len >= FADT_X_DSDT + 8 && rd64(fadt + FADT_X_DSDT) ? rd64(fadt + FADT_X_DSDT)
										 : rd32(fadt + FADT_DSDT);
	const uint8_t *dsdt = table_at(dsdt_phys);
	int slp_typ = dsdt ? s5_sleep_type(dsdt) : -1;
	uint16_t pm1a = (uint16_t)rd32(fadt + FADT_PM1A_CNT), pm1b = (uint16_t)rd32(fadt + FADT_PM1B_CNT);
	if (slp_typ < 0 || !pm1a)
		return;
	uint16_t smi = (uint16_t)rd32(fadt + FADT_SMI_CMD);
	if (!(inw(pm1a) & PM1_SCI_EN) && smi && fadt[FADT_ACPI_ENABLE]) {
		outb(smi, fadt[FADT_ACPI_ENABLE]); /* hand the PM registers from the SMM firmware to the OS */
		for (int spin = 0; spin < ACPI_ENABLE_SPINS && !(inw(pm1a) & PM1_SCI_EN); spin++)
			;
	}
	uint16_t v = (uint16_t)((slp_typ << PM1_SLP_TYP_SHIFT) | PM1_SLP_EN);
	outw(pm1a, v);
	if (pm1b)
		outw(pm1b, v);
}
