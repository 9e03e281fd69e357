/*
 * stub.h: what the parts of the EFI stub (efi/) share. The stub runs with boot services up, on the
 * firmware's identity map, and ends by jumping to the kernel (efi/handoff.c).
 */
#ifndef RINGBENCH_STUB_H
#define RINGBENCH_STUB_H
#include <efi.h>
#include "../lib/bootinfo.h"

#define ESP_DIR L"\\ringbench\\"

extern EFI_SYSTEM_TABLE *gST;
extern EFI_BOOT_SERVICES *gBS;
extern EFI_HANDLE gImage;

/* console.c */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* a human line on ConOut */
void json_line(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* a JSON line on COM1 */
const char *efi_status_name(EFI_STATUS st);
int under_hypervisor(void);
__attribute__((noreturn)) void fail(EFI_STATUS st, const char *what, const char *file);

/* previous.c */
void show_previous(void);

/* files.c */
/* Read \ringbench\<name> from the ESP the stub was loaded from, into LoaderData pages. */
EFI_STATUS read_esp_file(const char *name, void **data, UINTN *size);

/* payload.c: the parts a unified image carries (start == end: a part it does not carry) */
enum { PART_KERNEL, PART_APP, PART_CONFIG, PART_FILES, PART_COUNT };
struct embedded {
	const char *start, *end;
};
extern const struct embedded embedded[PART_COUNT];

/* handoff.c */
__attribute__((noreturn)) void handoff(struct bootinfo *bi, const void *kernel, UINTN kernel_size);
#endif
