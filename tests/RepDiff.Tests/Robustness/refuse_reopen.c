#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Loaded with LD_PRELOAD by OutputFolderTests: refuses (EACCES) to reopen a file whose name holds $REFUSE_REOPEN and ends in
   ".tmp", while creating it (O_CREAT) still works: the failure just after a writer has claimed its temporary file. */
static int refused(const char *path, int flags)
{
    const char *mark = getenv("REFUSE_REOPEN");
    size_t length = path ? strlen(path) : 0;
    return mark && !(flags & O_CREAT) && strstr(path, mark) && length > 4 && strcmp(path + length - 4, ".tmp") == 0;
}

static int mode_of(va_list args, int flags) { return (flags & (O_CREAT | O_TMPFILE)) ? va_arg(args, int) : 0; }

int open(const char *path, int flags, ...)
{
    va_list args; va_start(args, flags); int mode = mode_of(args, flags); va_end(args);
    if (refused(path, flags)) { errno = EACCES; return -1; }
    return ((int (*)(const char *, int, int))dlsym(RTLD_NEXT, "open"))(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    va_list args; va_start(args, flags); int mode = mode_of(args, flags); va_end(args);
    if (refused(path, flags)) { errno = EACCES; return -1; }
    return ((int (*)(const char *, int, int))dlsym(RTLD_NEXT, "open64"))(path, flags, mode);
}

int openat(int dir, const char *path, int flags, ...)
{
    va_list args; va_start(args, flags); int mode = mode_of(args, flags); va_end(args);
    if (refused(path, flags)) { errno = EACCES; return -1; }
    return ((int (*)(int, const char *, int, int))dlsym(RTLD_NEXT, "openat"))(dir, path, flags, mode);
}
