/* vdso_image.S: the vDSO (vdso/, built by the Makefile), carried in the kernel's read-only data to be copied
 * into the app's vDSO pages (services/exec.c). */
	.section .rodata
	.p2align 12
	.globl vdso_image, vdso_image_end
vdso_image:
	.incbin VDSO_IMAGE
vdso_image_end:
	.section .note.GNU-stack, "", @progbits
