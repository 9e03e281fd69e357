/*
 * files.c: read a file from the ringbench folder of the ESP the stub itself was loaded from
 * (LoadedImage->DeviceHandle), into freshly allocated LoaderData pages that the kernel will not reuse.
 */
#include "stub.h"
#include "../lib/x86.h"

#define PATH_MAX_CHARS 128

static EFI_FILE_HANDLE open_root(EFI_STATUS *st)
{
	EFI_GUID li_guid = EFI_LOADED_IMAGE_PROTOCOL_GUID, fs_guid = EFI_SIMPLE_FILE_SYSTEM_PROTOCOL_GUID;
	EFI_LOADED_IMAGE *li;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *fs;
	EFI_FILE_HANDLE root = 0;
	*st = gBS->HandleProtocol(gImage, &li_guid, (void **)&li);
	if (!EFI_ERROR(*st))
		*st = gBS->HandleProtocol(li->DeviceHandle, &fs_guid, (void **)&fs);
	if (!EFI_ERROR(*st))
		*st = fs->OpenVolume(fs, &root);
	return EFI_ERROR(*st) ? 0 : root;
}

/* \ringbench\<name>, with '/' accepted for '\'. */
static EFI_STATUS make_path(CHAR16 *path, const char *name)
{
	const CHAR16 *dir = ESP_DIR;
	UINTN n = 0;
	while (*dir)
		path[n++] = *dir++;
	for (; *name; name++) {
		if (n + 1 >= PATH_MAX_CHARS)
			return EFI_INVALID_PARAMETER;
		path[n++] = *name == '/' ? L'\\' : (CHAR16)(unsigned char)*name;
	}
	path[n] = 0;
	return EFI_SUCCESS;
}

static EFI_STATUS file_size(EFI_FILE_HANDLE f, UINTN *size)
{
	EFI_GUID info_guid = EFI_FILE_INFO_ID;
	union {
		EFI_FILE_INFO info;
		char space[sizeof(EFI_FILE_INFO) + 2 * PATH_MAX_CHARS];
	} u;
	UINTN len = sizeof(u);
	EFI_STATUS st = f->GetInfo(f, &info_guid, &len, &u.info);
	*size = u.info.FileSize;
	return st;
}

EFI_STATUS read_esp_file(const char *name, void **data, UINTN *size)
{
	CHAR16 path[PATH_MAX_CHARS];
	EFI_STATUS st = make_path(path, name);
	EFI_FILE_HANDLE root = EFI_ERROR(st) ? 0 : open_root(&st), f = 0;
	if (root)
		st = root->Open(root, &f, path, EFI_FILE_MODE_READ, 0);
	if (!EFI_ERROR(st))
		st = file_size(f, size);
	EFI_PHYSICAL_ADDRESS buf = 0;
	UINTN pages = (*size + PAGE_SIZE - 1) / PAGE_SIZE;
	if (!EFI_ERROR(st))
		st = gBS->AllocatePages(AllocateAnyPages, EfiLoaderData, pages ? pages : 1, &buf);
	UINTN got = *size;
	if (!EFI_ERROR(st))
		st = f->Read(f, &got, (void *)buf);
	if (!EFI_ERROR(st) && got != *size)
		st = EFI_VOLUME_CORRUPTED; /* a short read: never hand on a silently truncated file */
	if (f)
		f->Close(f);
	if (root)
		root->Close(root);
	*data = (void *)buf;
	return st;
}
