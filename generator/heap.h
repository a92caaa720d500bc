/* heap: asks glibc's malloc to back its heaps with transparent huge pages
 * (the glibc.malloc.hugetlb tunable). glibc reads its tunables only as a
 * program starts, from GLIBC_TUNABLES, so a command that loads a site
 * starts charter once more with the tunable added, and that run puts the
 * environment back as the user had it, for what it runs in turn (gpg). */
#ifndef CHARTER_HEAP_H
#define CHARTER_HEAP_H

/* What heap_tune decides for a process whose GLIBC_TUNABLES is `tunables`,
 * LD_PRELOAD `preload` and CHARTER_HEAP_RESTORE `restore` (each NULL when
 * unset): 1 and the GLIBC_TUNABLES to start again with in *value (caller
 * frees); 0 (*value NULL) when not: this run was started so already
 * (`restore` set), the user named the tunable (to keep or to refuse it:
 * glibc.malloc.hugetlb=0), or valgrind runs it (a new start would leave
 * it). */
int heap_plan(char **value, const char *tunables, const char *preload, const char *restore);

/* Called first in main for a command that loads a site: keeps argv for
 * heap_tune and, in the run heap_tune started, restores GLIBC_TUNABLES and
 * removes CHARTER_HEAP_RESTORE. */
void heap_init(char **argv);
/* May not return: charter starts again (execv of the binary
 * /proc/self/exe names, with the arguments heap_init kept) with the
 * tunable; when that cannot be, or heap_plan says not, it goes on as it
 * is. The commands that load a site call it right after heap_init, but
 * `charter build` only once it knows it has work to do: a build that
 * finds the site as it last built it ends sooner than a new start
 * (about 10 ms). Does nothing in a sanitizer's build (its allocator is
 * not glibc's), nor a second time. */
void heap_tune(void);
/* 1 when this run was started by heap_tune, with the tunable. */
int heap_tuned(void);

/* What malloc's arenas grow by besides what they need, and keep when
 * trimmed (M_TOP_PAD): with glibc's 128 KB a one-page edit at 10,000 pages
 * grew its threads' heaps in 3,059 steps (an mprotect each), against 40
 * with 16 MB, and took 10% longer. */
#define HEAP_TOP_PAD ((size_t)16 << 20) /* stage_clock_print says "16 MB" */
/* Setting the top pad ends glibc's sliding mmap threshold, which would
 * stay at 128 KB: the history of a 40,000-page site then mapped and
 * unmapped its buffers, 36 s instead of 3 s. So the threshold is set too:
 * 1 MB did as well there as 4 or 32 MB, and at 32 MB (the most the
 * sliding one reaches) a cold build of 10,000 pages peaked at 152-154 MB
 * instead of 138-140, its large buffers kept in the arenas. */
#define HEAP_MMAP_THRESHOLD ((size_t)1 << 20)
/* 1 when heap_pad sets them for a process whose GLIBC_TUNABLES is
 * `tunables` (NULL when unset): 0 when it names glibc.malloc.top_pad or
 * glibc.malloc.mmap_threshold (the user's choices stand, and neither is
 * set). */
int heap_pad_plan(const char *tunables);
/* Called in main for a command that loads a site, after heap_init: sets
 * the top pad and the mmap threshold (mallopt) when heap_pad_plan says
 * so. */
void heap_pad(void);
/* 1 when heap_pad set it. */
int heap_padded(void);

/* Gives back to the system what malloc's arenas hold free (malloc_trim),
 * from any thread. Nothing in a sanitizer's build: its allocator is not
 * glibc's, whose arenas then hold only libc's own allocations, and glibc's
 * trim walking them beside those crashed an ASan build (a SEGV in mtrim,
 * from a render thread). */
void heap_trim(void);

/* 0 when a process may leave what it allocated to its exit rather than
 * free it block by block; 1 in a sanitizer's build, whose leak check at
 * exit is the test that all of it can be freed. */
int heap_frees_at_exit(void);

#endif
