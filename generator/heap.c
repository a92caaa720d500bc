/* heap: transparent huge pages for malloc's heaps, by starting charter
 * again with glibc.malloc.hugetlb=1 in GLIBC_TUNABLES (see heap.h). At
 * 10,000 pages a one-page edit makes half the page faults (33,000 ->
 * 18,000) and takes about 9% less time; a start costs about 10 ms (the
 * libraries loaded again), which `charter build` spends only when it has
 * work to do. And a larger top pad (mallopt), which needs no new start. */
#include "heap.h"

#include "buf.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TUNABLE "glibc.malloc.hugetlb"
#define TOP_PAD "glibc.malloc.top_pad"
#define MMAP_THRESHOLD "glibc.malloc.mmap_threshold"
#define RESTORE "CHARTER_HEAP_RESTORE"

static int tuned, padded;

int heap_pad_plan(const char *tunables)
{
    return !tunables || (!strstr(tunables, TOP_PAD) && !strstr(tunables, MMAP_THRESHOLD));
}

void heap_pad(void)
{
    padded = heap_pad_plan(getenv("GLIBC_TUNABLES")) &&
             mallopt(M_MMAP_THRESHOLD, (int)HEAP_MMAP_THRESHOLD) == 1 &&
             mallopt(M_TOP_PAD, (int)HEAP_TOP_PAD) == 1;
}

int heap_padded(void)
{
    return padded;
}

int heap_plan(char **value, const char *tunables, const char *preload, const char *restore)
{
    *value = NULL;
    if (restore || (tunables && strstr(tunables, TUNABLE)) ||
        (preload && strstr(preload, "vgpreload")))
        return 0;
    buf b;
    buf_init(&b);
    if (tunables && *tunables)
        buf_printf(&b, "%s:", tunables);
    buf_adds(&b, TUNABLE "=1");
    *value = buf_detach(&b);
    return 1;
}

int heap_tuned(void)
{
    return tuned;
}

static char **kept_argv;

void heap_init(char **argv)
{
    kept_argv = argv;
    const char *restore = getenv(RESTORE);
    if (!restore)
        return;
    /* Started by heap_tune: the user's environment back. */
    tuned = 1;
    if (restore[0] == '=')
        setenv("GLIBC_TUNABLES", restore + 1, 1);
    else
        unsetenv("GLIBC_TUNABLES");
    unsetenv(RESTORE);
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
int heap_frees_at_exit(void)
{
    return 1;
}

void heap_trim(void)
{
}

void heap_tune(void)
{
}
#else
int heap_frees_at_exit(void)
{
    return 0;
}

void heap_trim(void)
{
    malloc_trim(0);
}

void heap_tune(void)
{
    static int tried;
    if (tuned || tried || !kept_argv)
        return;
    tried = 1;
    const char *tunables = getenv("GLIBC_TUNABLES");
    char *value = NULL;
    if (!heap_plan(&value, tunables, getenv("LD_PRELOAD"), NULL))
        return;
    /* "=<value>" for the user's GLIBC_TUNABLES, "" when it was unset. */
    buf was;
    buf_init(&was);
    if (tunables)
        buf_printf(&was, "=%s", tunables);
    /* The binary by its own path, not /proc/self/exe: the process keeps
     * its name (ps, pgrep, top show "charter", not "exe"). */
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0 && (size_t)n < sizeof self - 1) {
        self[n] = '\0';
        if (setenv(RESTORE, was.data, 1) == 0 && setenv("GLIBC_TUNABLES", value, 1) == 0)
            execv(self, kept_argv);
    }
    /* No /proc, or no exec: on as it is, the environment as it was. */
    if (was.len)
        setenv("GLIBC_TUNABLES", was.data + 1, 1);
    else
        unsetenv("GLIBC_TUNABLES");
    unsetenv(RESTORE);
    buf_release(&was);
    free(value);
}
#endif
